//! The settings template.yaml gives every function through its environment, and the errors of
//! a function that starts without them.

use aws_config::SdkConfig;
use gradual_aws::step_functions::StateMachineArnError;
use gradual_core::trigger::Origin;
use gradual_handlers::{Function, Port};
use thiserror::Error;

/// The DynamoDB table holding applications, groups, deployments, their history and hook
/// executions.
pub const TABLE: &str = "GRADUAL_TABLE";
/// The ARN of the deployment workflow's state machine, whose waiting tasks `run-hook` and
/// `hook-callback` resume.
pub const STATE_MACHINE_ARN: &str = "GRADUAL_STATE_MACHINE_ARN";
/// The 12-digit id of the account gradual runs in, for the `accountId` of trigger messages.
pub const ACCOUNT_ID: &str = "GRADUAL_ACCOUNT_ID";
/// The function's own name, set by the Lambda service: a CodePipeline job must name it.
pub const FUNCTION_NAME: &str = "AWS_LAMBDA_FUNCTION_NAME";

/// The environment variables `function` reads, each with the first of its ports that needs it.
pub fn variables(function: Function) -> Vec<(&'static str, Port)> {
    let mut variables: Vec<(&'static str, Port)> = Vec::new();
    for &port in function.ports() {
        let variable = match port {
            Port::Store | Port::Signals | Port::HookExecutions => TABLE,
            Port::Workflow => STATE_MACHINE_ARN,
            Port::Origin => ACCOUNT_ID,
            _ => continue,
        };
        if !variables.iter().any(|(known, _)| *known == variable) {
            variables.push((variable, port));
        }
    }
    variables
}

/// Why a function could not start.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SetupError {
    #[error("the environment variable {name} is not set (template.yaml sets it on the function)")]
    MissingVariable { name: String },
    #[error("{ACCOUNT_ID}: {value:?} is not an AWS account id (expected 12 digits)")]
    InvalidAccountId { value: String },
    #[error("no AWS region is configured: set AWS_REGION (the Lambda service sets it)")]
    MissingRegion,
    #[error("{STATE_MACHINE_ARN}: {0}")]
    StateMachineArn(#[from] StateMachineArnError),
}

/// A required, non-empty environment variable.
pub fn env(name: &str) -> Result<String, SetupError> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.is_empty())
        .ok_or_else(|| SetupError::MissingVariable {
            name: name.to_owned(),
        })
}

/// Where trigger messages say they come from: the configured region and [`ACCOUNT_ID`].
pub fn origin(config: &SdkConfig) -> Result<Origin, SetupError> {
    let region = config.region().map(|region| region.as_ref().to_owned());
    origin_of(region, env(ACCOUNT_ID)?)
}

fn origin_of(region: Option<String>, account_id: String) -> Result<Origin, SetupError> {
    let region = region
        .filter(|region| !region.is_empty())
        .ok_or(SetupError::MissingRegion)?;
    let is_account_id = account_id.len() == 12 && account_id.bytes().all(|b| b.is_ascii_digit());
    if !is_account_id {
        return Err(SetupError::InvalidAccountId { value: account_id });
    }
    Ok(Origin { region, account_id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_is_the_region_and_the_account_id() {
        let origin = origin_of(Some("eu-west-1".to_owned()), "123456789012".to_owned()).unwrap();
        assert_eq!(
            origin,
            Origin {
                region: "eu-west-1".to_owned(),
                account_id: "123456789012".to_owned(),
            }
        );
    }

    #[test]
    fn an_origin_needs_a_region_and_a_12_digit_account_id() {
        assert_eq!(
            origin_of(None, "123456789012".to_owned()),
            Err(SetupError::MissingRegion)
        );
        for account_id in ["12345678901", "1234567890123", "12345678901a"] {
            let error = origin_of(Some("eu-west-1".to_owned()), account_id.to_owned()).unwrap_err();
            assert_eq!(
                error.to_string(),
                format!(
                    "GRADUAL_ACCOUNT_ID: {account_id:?} is not an AWS account id (expected 12 digits)"
                )
            );
        }
    }

    #[test]
    fn a_function_reads_the_settings_of_its_ports() {
        assert_eq!(variables(Function::GetDeployment), [(TABLE, Port::Store)]);
        assert_eq!(
            variables(Function::RecordStatus),
            [(TABLE, Port::Store), (ACCOUNT_ID, Port::Origin)]
        );
        assert_eq!(
            variables(Function::RunHook),
            [(TABLE, Port::Store), (STATE_MACHINE_ARN, Port::Workflow)]
        );
    }

    #[test]
    fn a_missing_variable_is_named() {
        let error = env("GRADUAL_TEST_VARIABLE_NEVER_SET").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the environment variable GRADUAL_TEST_VARIABLE_NEVER_SET is not set (template.yaml sets it on the function)"
        );
    }
}
