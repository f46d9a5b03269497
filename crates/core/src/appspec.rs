//! AppSpec parsing (YAML and JSON) for the Lambda and ECS shapes.
//!
//! An AppSpec names what a deployment moves (`Resources`) and the functions run at its
//! lifecycle events (`Hooks`), as in CodeDeploy's user guide. Every error names the field at
//! fault, e.g. `Resources[0].myFn.Properties.TargetVersion: must be a positive integer, got "abc"`.

mod document;
mod ecs;
mod fields;
mod hooks;
mod lambda;
mod path;
mod resources;
mod strict_json;
mod suggest;
#[cfg(test)]
mod tests;

pub use ecs::{EcsService, LoadBalancerInfo};
pub use lambda::LambdaResource;
pub use path::AppSpecError;
pub use resources::AppSpecResources;

use crate::lifecycle::{Hook, LifecycleEvent};
use crate::platform::ComputePlatform;
use crate::target::LambdaAliasTarget;
use fields::{Field, Fields};
use serde::{Deserialize, Serialize};

/// A parsed, validated AppSpec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppSpec {
    pub resources: AppSpecResources,
    /// At most one per event, in the order the lifecycle runs them.
    pub hooks: Vec<Hook>,
}

const ROOT_KEYS: &[&str] = &["version", "Resources", "Hooks"];

impl AppSpec {
    /// Parses an AppSpec written in JSON (when the text opens with `{`) or YAML.
    pub fn parse(text: &str) -> Result<AppSpec, AppSpecError> {
        let tree = document::read(text)?;
        let root = Fields::new(&Field::root(&tree), ROOT_KEYS)?;
        check_version(&root.required("version")?)?;
        let resources = resources::parse(&root.required("Resources")?)?;
        let hooks = hooks::parse(root.optional("Hooks").as_ref(), resources.platform())?;
        Ok(AppSpec { resources, hooks })
    }

    /// The platform, as given by the resources' `Type`.
    pub fn platform(&self) -> ComputePlatform {
        self.resources.platform()
    }

    /// The aliases to shift, in the order of the AppSpec; empty for an ECS AppSpec.
    pub fn lambda_targets(&self) -> Vec<LambdaAliasTarget> {
        match &self.resources {
            AppSpecResources::Lambda(functions) => {
                functions.iter().map(LambdaResource::target).collect()
            }
            AppSpecResources::Ecs(_) => Vec::new(),
        }
    }

    /// The hook attached to `event`, if any.
    pub fn hook(&self, event: LifecycleEvent) -> Option<&Hook> {
        self.hooks.iter().find(|hook| hook.event == event)
    }
}

/// CodeDeploy knows one AppSpec version, `0.0`, written as a number or a string.
fn check_version(version: &Field<'_>) -> Result<(), AppSpecError> {
    let is_zero = match version.value {
        serde_json::Value::Number(number) => number.as_f64() == Some(0.0),
        serde_json::Value::String(text) => text == "0.0",
        _ => false,
    };
    if is_zero {
        Ok(())
    } else {
        Err(version.mismatch("0.0"))
    }
}
