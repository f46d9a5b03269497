//! The Step Functions adapter of the workflow port: starts deployment executions and resumes
//! the tasks that wait for a token.

use crate::sdk_error::is_access_denied;
use async_trait::async_trait;
use aws_sdk_sfn::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_sfn::operation::send_task_failure::SendTaskFailureError;
use aws_sdk_sfn::operation::send_task_success::SendTaskSuccessError;
use aws_sdk_sfn::types::ExecutionStatus;
use gradual_core::ports::{Workflow, WorkflowError};
use gradual_core::secret::shown;
use std::fmt::Debug;
use thiserror::Error;

/// SendTaskFailure refuses longer `error` and `cause` fields (counted in characters).
const ERROR_LIMIT: usize = 256;
const CAUSE_LIMIT: usize = 32_768;
/// How much of a task token may appear in logs and errors: tokens are credentials.

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "{arn:?} is not a state machine ARN \
     (expected arn:<partition>:states:<region>:<account>:stateMachine:<name>)"
)]
pub struct StateMachineArnError {
    pub arn: String,
}

/// Runs the deployment workflow as executions of one state machine.
#[derive(Debug, Clone)]
pub struct StepFunctionsWorkflow {
    client: aws_sdk_sfn::Client,
    state_machine_arn: String,
    /// `arn:<partition>:states:<region>:<account>:execution:<machine>:`, to which an
    /// execution's name is appended to make its ARN.
    execution_arn_prefix: String,
}

impl StepFunctionsWorkflow {
    pub fn new(
        client: aws_sdk_sfn::Client,
        state_machine_arn: impl Into<String>,
    ) -> Result<Self, StateMachineArnError> {
        let state_machine_arn = state_machine_arn.into();
        let execution_arn_prefix =
            execution_arn_prefix(&state_machine_arn).ok_or_else(|| StateMachineArnError {
                arn: state_machine_arn.clone(),
            })?;
        Ok(Self {
            client,
            state_machine_arn,
            execution_arn_prefix,
        })
    }

    pub fn state_machine_arn(&self) -> &str {
        &self.state_machine_arn
    }

    /// The ARN Step Functions gives the execution of this state machine named `name`.
    pub fn execution_arn(&self, name: &str) -> String {
        format!("{}{name}", self.execution_arn_prefix)
    }

    /// Step Functions refuses a second start with the same name once the first has finished,
    /// or whatever its state if the input differs. Only the former is a harmless repeat.
    async fn existing_execution(
        &self,
        name: &str,
        input: &serde_json::Value,
    ) -> Result<String, WorkflowError> {
        let execution_arn = self.execution_arn(name);
        let existing = self
            .client
            .describe_execution()
            .execution_arn(&execution_arn)
            .send()
            .await
            .map_err(|error| {
                failure(
                    &error,
                    format!("execution {execution_arn} already exists and could not be described"),
                )
            })?;
        let existing_input = existing
            .input()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok());
        if existing_input.as_ref() != Some(input) {
            return Err(WorkflowError::Backend(format!(
                "execution {execution_arn} already exists with a different input"
            )));
        }
        tracing::info!(%execution_arn, "execution already started with the same input");
        Ok(execution_arn)
    }
}

#[async_trait]
impl Workflow for StepFunctionsWorkflow {
    async fn start(&self, name: &str, input: &serde_json::Value) -> Result<String, WorkflowError> {
        let started = self
            .client
            .start_execution()
            .state_machine_arn(&self.state_machine_arn)
            .name(name)
            .input(input.to_string())
            .send()
            .await;
        match started {
            Ok(started) => {
                tracing::info!(execution_arn = started.execution_arn(), "started execution");
                Ok(started.execution_arn().to_owned())
            }
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|error| error.is_execution_already_exists()) =>
            {
                self.existing_execution(name, input).await
            }
            Err(error) => Err(failure(
                &error,
                format!(
                    "could not start execution {name} of {}",
                    self.state_machine_arn
                ),
            )),
        }
    }

    async fn is_running(&self, name: &str) -> Result<bool, WorkflowError> {
        let execution_arn = self.execution_arn(name);
        let described = self
            .client
            .describe_execution()
            .execution_arn(&execution_arn)
            .send()
            .await;
        match described {
            Ok(execution) => Ok(*execution.status() == ExecutionStatus::Running),
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|error| error.is_execution_does_not_exist()) =>
            {
                Ok(false)
            }
            Err(error) => Err(failure(
                &error,
                format!("could not describe execution {execution_arn}"),
            )),
        }
    }

    async fn send_task_success(
        &self,
        task_token: &str,
        output: &serde_json::Value,
    ) -> Result<(), WorkflowError> {
        let sent = self
            .client
            .send_task_success()
            .task_token(task_token)
            .output(output.to_string())
            .send()
            .await;
        settled("SendTaskSuccess", task_token, sent)
    }

    async fn send_task_failure(
        &self,
        task_token: &str,
        error: &str,
        cause: &str,
    ) -> Result<(), WorkflowError> {
        let sent = self
            .client
            .send_task_failure()
            .task_token(task_token)
            .error(at_most(error, ERROR_LIMIT))
            .cause(at_most(cause, CAUSE_LIMIT))
            .send()
            .await;
        settled("SendTaskFailure", task_token, sent)
    }
}

/// The outcome of a task report, with the errors that mean "no task waits for this token"
/// told apart from the service failing.
fn settled<Output, ServiceError, Response>(
    action: &str,
    task_token: &str,
    sent: Result<Output, SdkError<ServiceError, Response>>,
) -> Result<(), WorkflowError>
where
    ServiceError: TaskReportError,
    Response: Debug + 'static,
{
    let task = shown(task_token);
    let error = match sent {
        Ok(_) => {
            tracing::info!(%task, action, "reported task result");
            return Ok(());
        }
        Err(error) => error,
    };
    let gone = error
        .as_service_error()
        .and_then(|service_error| Some((service_error.task_gone_code()?, service_error)));
    // Service messages may quote the token; only its prefix may leave this function.
    let hide_token = |text: String| text.replace(task_token, &task);
    match gone {
        Some((code, service_error)) => {
            tracing::warn!(%task, action, code, "the task no longer waits");
            // The error's display is its name and the service's message.
            Err(WorkflowError::TaskGone(hide_token(format!(
                "{action} for task {task}: {service_error}"
            ))))
        }
        None => Err(
            match failure(&error, format!("{action} for task {task} failed")) {
                WorkflowError::AccessDenied(message) => {
                    WorkflowError::AccessDenied(hide_token(message))
                }
                other => WorkflowError::Backend(hide_token(other.to_string())),
            },
        ),
    }
}

/// A call's failure: [`WorkflowError::AccessDenied`] when IAM refused it (retrying cannot
/// help), else [`WorkflowError::Backend`] with the SDK's account of it.
fn failure<E>(error: &E, what: String) -> WorkflowError
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
{
    if error.code().is_some_and(is_access_denied) {
        return WorkflowError::AccessDenied(format!(
            "{what}: {}; the function's role in template.yaml needs that action",
            error.message().unwrap_or("access denied")
        ));
    }
    WorkflowError::Backend(format!("{what}: {}", DisplayErrorContext(error)))
}

/// The errors of the task reports, which share the ones meaning "no task waits for this token".
trait TaskReportError: std::error::Error + ProvideErrorMetadata + 'static {
    /// The error's name when it means the task no longer waits.
    fn task_gone_code(&self) -> Option<&'static str>;
}

macro_rules! task_report_error {
    ($($error:ty),+) => {$(
        impl TaskReportError for $error {
            fn task_gone_code(&self) -> Option<&'static str> {
                match self {
                    Self::TaskDoesNotExist(_) => Some("TaskDoesNotExist"),
                    Self::TaskTimedOut(_) => Some("TaskTimedOut"),
                    Self::InvalidToken(_) => Some("InvalidToken"),
                    _ => None,
                }
            }
        }
    )+};
}

task_report_error!(SendTaskSuccessError, SendTaskFailureError);

/// `arn:<partition>:states:<region>:<account>:execution:<machine>:` for a state machine ARN,
/// with or without a version or alias qualifier.
fn execution_arn_prefix(state_machine_arn: &str) -> Option<String> {
    let parts: Vec<&str> = state_machine_arn.split(':').collect();
    match parts.as_slice() {
        ["arn", partition, "states", region, account, "stateMachine", machine, qualifier @ ..]
            if qualifier.len() <= 1
                && [partition, region, account, machine]
                    .iter()
                    .all(|part| !part.is_empty()) =>
        {
            Some(format!(
                "arn:{partition}:states:{region}:{account}:execution:{machine}:"
            ))
        }
        _ => None,
    }
}

fn at_most(text: &str, limit: usize) -> &str {
    match text.char_indices().nth(limit) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn execution_arn_prefix_keeps_partition_region_account_and_machine() {
        assert_eq!(
            execution_arn_prefix("arn:aws-cn:states:cn-north-1:111122223333:stateMachine:deploy")
                .as_deref(),
            Some("arn:aws-cn:states:cn-north-1:111122223333:execution:deploy:")
        );
    }

    #[test]
    fn execution_arn_prefix_drops_a_version_qualifier() {
        assert_eq!(
            execution_arn_prefix("arn:aws:states:us-east-1:111122223333:stateMachine:deploy:7")
                .as_deref(),
            Some("arn:aws:states:us-east-1:111122223333:execution:deploy:")
        );
    }

    #[test]
    fn execution_arn_prefix_refuses_other_arns() {
        for arn in [
            "arn:aws:states:us-east-1:111122223333:activity:deploy",
            "arn:aws:lambda:us-east-1:111122223333:function:deploy",
            "arn:aws:states:us-east-1:111122223333:stateMachine:",
            "arn:aws:states:us-east-1:111122223333:stateMachine:deploy:1:2",
            "deploy",
        ] {
            assert_eq!(execution_arn_prefix(arn), None, "{arn}");
        }
    }

    #[test]
    fn at_most_cuts_on_character_boundaries() {
        assert_eq!(at_most("ééé", 2), "éé");
        assert_eq!(at_most("short", 10), "short");
    }
}
