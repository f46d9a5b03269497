//! Reading the definition's JSON into a [`Branch`] tree, refusing what is not supported.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::fields::Fields;
use super::{graph, states, task, Branch, State, StateKind};
use crate::error::LoadError;
use crate::functions::FunctionRegistry;

/// Reads the whole machine: its root branch and its TimeoutSeconds.
pub fn machine(
    json: &Value,
    registry: &FunctionRegistry,
) -> Result<(Branch, Option<u64>), LoadError> {
    let mut loader = Loader {
        registry,
        state_names: HashSet::new(),
    };
    let mut fields = Fields::of(json, "StateMachine")?;
    fields.optional("Comment");
    if let Some(version) = fields.string("Version")? {
        if version != "1.0" {
            return Err(fields.invalid(
                "Version",
                "only version \"1.0\" of the States Language exists",
            ));
        }
    }
    let timeout = fields.integer("TimeoutSeconds", 1)?;
    query_language(&mut fields)?;
    let root = loader.branch_body(&mut fields, "")?;
    fields.finish()?;
    Ok((root, timeout))
}

/// Accepts `QueryLanguage` only when it names JSONPath.
pub fn query_language(fields: &mut Fields) -> Result<(), LoadError> {
    match fields.string("QueryLanguage")? {
        None | Some("JSONPath") => Ok(()),
        Some(language) => Err(LoadError::UnsupportedQueryLanguage {
            at: fields.at_field("QueryLanguage"),
            language: language.to_owned(),
        }),
    }
}

pub struct Loader<'r> {
    pub registry: &'r FunctionRegistry,
    /// State names must be unique across the whole machine, branches included.
    state_names: HashSet<String>,
}

impl Loader<'_> {
    /// A Parallel branch: an object with StartAt and States.
    pub fn branch(&mut self, value: &Value, at: &str) -> Result<Branch, LoadError> {
        let mut fields = Fields::of(value, at)?;
        fields.optional("Comment");
        let branch = self.branch_body(&mut fields, &format!("{at}."))?;
        fields.finish()?;
        Ok(branch)
    }

    /// StartAt and States of an object being read; state locations start with `prefix`.
    pub fn branch_body(&mut self, fields: &mut Fields, prefix: &str) -> Result<Branch, LoadError> {
        let start_at = fields.required_string("StartAt")?.to_owned();
        let listed = fields
            .required("States")?
            .as_object()
            .filter(|states| !states.is_empty())
            .ok_or_else(|| {
                fields.invalid("States", "expected an object with at least one state")
            })?;
        let mut states = HashMap::with_capacity(listed.len());
        for (name, value) in listed {
            let at = format!("{prefix}States.{name}");
            if name.chars().count() > 80 {
                return Err(LoadError::InvalidValue {
                    at,
                    problem: "a state name must be at most 80 characters long".to_owned(),
                });
            }
            if !self.state_names.insert(name.clone()) {
                return Err(LoadError::DuplicateStateName {
                    at,
                    name: name.clone(),
                });
            }
            states.insert(name.clone(), self.state(name, value, &at)?);
        }
        let branch = Branch { start_at, states };
        graph::check(&branch, prefix)?;
        Ok(branch)
    }

    fn state(&mut self, name: &str, value: &Value, at: &str) -> Result<State, LoadError> {
        let mut fields = Fields::of(value, at)?;
        let type_name = fields.required_string("Type")?;
        fields.optional("Comment");
        query_language(&mut fields)?;
        let kind = match type_name {
            "Pass" => states::pass(&mut fields)?,
            "Task" => task::task(&mut fields, self.registry)?,
            "Choice" => states::choice(&mut fields)?,
            "Wait" => states::wait(&mut fields)?,
            "Succeed" => StateKind::Succeed,
            "Fail" => states::fail(&mut fields)?,
            "Parallel" => states::parallel(&mut fields, self)?,
            "Map" => states::map(&mut fields, self)?,
            other => {
                return Err(LoadError::UnsupportedStateType {
                    at: fields.at_field("Type"),
                    type_name: other.to_owned(),
                })
            }
        };
        let state = states::finish(name, kind, &mut fields)?;
        fields.finish()?;
        Ok(state)
    }
}
