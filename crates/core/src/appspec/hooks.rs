//! The `Hooks` list: which function runs at which lifecycle event.

use super::fields::Field;
use super::path::AppSpecError;
use crate::lifecycle::{Hook, LifecycleEvent};
use crate::platform::ComputePlatform;

/// Reads the `Hooks` field (absent means no hooks), returning the hooks in lifecycle order.
pub(crate) fn parse(
    hooks: Option<&Field<'_>>,
    platform: ComputePlatform,
) -> Result<Vec<Hook>, AppSpecError> {
    let Some(hooks) = hooks else {
        return Ok(Vec::new());
    };
    let hookable = LifecycleEvent::hookable(platform);
    let mut parsed: Vec<(Hook, String)> = Vec::new();
    for item in hooks.items("hooks")? {
        let (event_name, function) = item.single_entry("LifecycleEvent: FunctionName")?;
        let event = LifecycleEvent::parse(event_name)
            .filter(|event| hookable.contains(event))
            .ok_or_else(|| {
                item.path
                    .error(not_hookable(event_name, platform, &hookable))
            })?;
        if let Some((_, first)) = parsed.iter().find(|(hook, _)| hook.event == event) {
            return Err(item.path.error(format!(
                "{event} already has a hook at {first}; an event takes one hook"
            )));
        }
        let function_name = function.non_empty_text()?.to_owned();
        parsed.push((
            Hook {
                event,
                function_name,
            },
            item.path.to_string(),
        ));
    }
    let order = LifecycleEvent::sequence(platform);
    parsed.sort_by_key(|(hook, _)| order.iter().position(|event| *event == hook.event));
    Ok(parsed.into_iter().map(|(hook, _)| hook).collect())
}

/// Why `event_name` cannot carry a hook here, with the events that can.
fn not_hookable(
    event_name: &str,
    platform: ComputePlatform,
    hookable: &[LifecycleEvent],
) -> String {
    let valid = names(hookable);
    match LifecycleEvent::parse(event_name) {
        Some(event) if LifecycleEvent::sequence(platform).contains(&event) => format!(
            "lifecycle event \"{event_name}\" takes no hook: gradual shifts the traffic itself; valid: {valid}"
        ),
        _ => format!("unknown lifecycle event \"{event_name}\" for {platform}; valid: {valid}"),
    }
}

fn names(events: &[LifecycleEvent]) -> String {
    events
        .iter()
        .map(|event| event.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
