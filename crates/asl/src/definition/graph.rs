//! The shape of a branch: every transition lands on a state of the same branch, and every
//! state can be reached from StartAt.

use std::collections::HashSet;

use super::{Branch, State, StateKind, Transition};
use crate::error::LoadError;

pub fn check(branch: &Branch, prefix: &str) -> Result<(), LoadError> {
    if !branch.states.contains_key(&branch.start_at) {
        return Err(LoadError::MissingTransitionTarget {
            at: format!("{prefix}StartAt"),
            target: branch.start_at.clone(),
        });
    }
    let mut names: Vec<&String> = branch.states.keys().collect();
    names.sort();
    for name in &names {
        for (field, target) in targets(&branch.states[*name]) {
            if !branch.states.contains_key(target) {
                return Err(LoadError::MissingTransitionTarget {
                    at: format!("{prefix}States.{name}.{field}"),
                    target: target.to_owned(),
                });
            }
        }
    }
    let mut reached = HashSet::from([branch.start_at.as_str()]);
    let mut to_visit = vec![branch.start_at.as_str()];
    while let Some(name) = to_visit.pop() {
        for (_, target) in targets(&branch.states[name]) {
            if reached.insert(target) {
                to_visit.push(target);
            }
        }
    }
    match names
        .into_iter()
        .find(|name| !reached.contains(name.as_str()))
    {
        Some(unreached) => Err(LoadError::UnreachableState {
            at: format!("{prefix}States.{unreached}"),
        }),
        None => Ok(()),
    }
}

/// Each state this one can move to, with the field that says so.
fn targets(state: &State) -> Vec<(String, &str)> {
    let mut found = Vec::new();
    if let Transition::Next(next) = &state.transition {
        found.push(("Next".to_owned(), next.as_str()));
    }
    if let StateKind::Choice { choices, default } = &state.kind {
        for (index, choice) in choices.iter().enumerate() {
            found.push((format!("Choices[{index}].Next"), choice.next.as_str()));
        }
        if let Some(default) = default {
            found.push(("Default".to_owned(), default.as_str()));
        }
    }
    if let Some(handling) = state.kind.error_handling() {
        for (index, catcher) in handling.catch.iter().enumerate() {
            found.push((format!("Catch[{index}].Next"), catcher.next.as_str()));
        }
    }
    found
}
