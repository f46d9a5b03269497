//! Task states and the resources the local executor can run.

use super::fields::Fields;
use super::states::{error_handling, result_handling, template};
use super::{Seconds, StateKind, TaskSpec};
use crate::error::LoadError;
use crate::functions::FunctionRegistry;
use crate::template::Template;

/// What a Task runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// `arn:aws:states:::lambda:invoke`, optionally `.waitForTaskToken`.
    LambdaInvoke { wait_for_token: bool },
    /// A function's own ARN, the result being the function's output as it is.
    LambdaFunction { arn: String },
    /// A resource the embedder registered by its exact ARN.
    Registered { arn: String, wait_for_token: bool },
}

const WAIT_FOR_TASK_TOKEN: &str = ".waitForTaskToken";

/// The Parameters `lambda:invoke` accepts locally.
const INVOKE_PARAMETERS: &[&str] = &["FunctionName", "Payload", "Qualifier", "InvocationType"];

impl Resource {
    fn classify(arn: &str, registry: &FunctionRegistry) -> Option<Resource> {
        let parts: Vec<&str> = arn.split(':').collect();
        let resource = match parts.as_slice() {
            ["arn", _, "states", "", "", "lambda", "invoke"] => Resource::LambdaInvoke {
                wait_for_token: false,
            },
            ["arn", _, "states", "", "", "lambda", "invoke.waitForTaskToken"] => {
                Resource::LambdaInvoke {
                    wait_for_token: true,
                }
            }
            ["arn", _, "lambda", region, account, "function", name, ..]
                if !region.is_empty()
                    && !account.is_empty()
                    && !name.is_empty()
                    && parts.len() <= 8 =>
            {
                Resource::LambdaFunction {
                    arn: arn.to_owned(),
                }
            }
            _ if registry.resource(arn).is_some() => Resource::Registered {
                arn: arn.to_owned(),
                wait_for_token: arn.ends_with(WAIT_FOR_TASK_TOKEN),
            },
            _ => return None,
        };
        Some(resource)
    }

    /// Whether the task waits for SendTaskSuccess or SendTaskFailure after the call.
    pub fn waits_for_token(&self) -> bool {
        match self {
            Resource::LambdaInvoke { wait_for_token } => *wait_for_token,
            Resource::Registered { wait_for_token, .. } => *wait_for_token,
            Resource::LambdaFunction { .. } => false,
        }
    }
}

pub fn task(fields: &mut Fields, registry: &FunctionRegistry) -> Result<StateKind, LoadError> {
    let arn = fields.required_string("Resource")?;
    let resource =
        Resource::classify(arn, registry).ok_or_else(|| LoadError::UnsupportedResource {
            at: fields.at_field("Resource"),
            resource: arn.to_owned(),
        })?;
    let parameters = template(fields, "Parameters")?;
    if let Resource::LambdaInvoke { .. } = resource {
        check_invoke_parameters(fields, parameters.as_ref())?;
    }
    let timeout = seconds(fields, "TimeoutSeconds")?;
    let heartbeat = seconds(fields, "HeartbeatSeconds")?;
    if let (Some(Seconds::Fixed(timeout)), Some(Seconds::Fixed(heartbeat))) = (&timeout, &heartbeat)
    {
        if heartbeat >= timeout {
            return Err(fields.invalid("HeartbeatSeconds", "must be smaller than TimeoutSeconds"));
        }
    }
    Ok(StateKind::Task(Box::new(TaskSpec {
        resource,
        parameters,
        results: result_handling(fields)?,
        errors: error_handling(fields)?,
        timeout,
        heartbeat,
    })))
}

fn check_invoke_parameters(
    fields: &Fields,
    parameters: Option<&Template>,
) -> Result<(), LoadError> {
    let at = fields.at_field("Parameters");
    let Some(parameters) = parameters else {
        return Err(LoadError::MissingField {
            at: fields.at().to_owned(),
            field: "Parameters".to_owned(),
        });
    };
    let names = parameters.field_names();
    if !names.contains(&"FunctionName") {
        return Err(LoadError::MissingField {
            at,
            field: "FunctionName".to_owned(),
        });
    }
    if let Some(unsupported) = names.iter().find(|name| !INVOKE_PARAMETERS.contains(name)) {
        return Err(LoadError::UnsupportedField {
            at,
            field: (*unsupported).to_owned(),
        });
    }
    match parameters.literal_field("InvocationType") {
        None => Ok(()),
        Some(value) if value == "RequestResponse" => Ok(()),
        Some(value) => Err(LoadError::InvalidValue {
            at: format!("{at}.InvocationType"),
            problem: format!(
                "only RequestResponse invocations are supported by the local executor, not {value}"
            ),
        }),
    }
}

/// `<name>` (a whole number of seconds) or `<name>Path` (a Reference Path), not both.
fn seconds(fields: &mut Fields, name: &str) -> Result<Option<Seconds>, LoadError> {
    let path_name = format!("{name}Path");
    if fields.has(name) && fields.has(&path_name) {
        return Err(fields.invalid(
            &path_name,
            &format!("{name} and {path_name} cannot both be given"),
        ));
    }
    if let Some(fixed) = fields.integer(name, 1)? {
        return Ok(Some(Seconds::Fixed(fixed)));
    }
    Ok(fields.path(&path_name, true)?.map(Seconds::Path))
}
