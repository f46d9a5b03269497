//! `hook-callback`: a hook reports its result, as with CodeDeploy's
//! PutLifecycleEventHookExecutionStatus, and the waiting workflow resumes.

use crate::error::HandlerError;
use crate::handler::Handler;
use crate::support::names::check_length;
use async_trait::async_trait;
use gradual_core::history::{HistoryEntry, HistoryRecord, LifecycleEventStatus};
use gradual_core::ports::{
    Clock, DeploymentStore, HookExecution, HookExecutionStatus, HookExecutionStore, StoreError,
    Workflow, WorkflowError,
};
use gradual_core::secret::shown;
use gradual_core::{DeploymentId, ErrorCode};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The longest hook execution id a report may carry.
const MAX_HOOK_EXECUTION_ID_LENGTH: usize = 128;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HookCallbackInput {
    pub deployment_id: String,
    pub lifecycle_event_hook_execution_id: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HookCallbackOutput {
    pub lifecycle_event_hook_execution_id: String,
}

pub struct HookCallback {
    pub store: Arc<dyn DeploymentStore>,
    pub executions: Arc<dyn HookExecutionStore>,
    pub workflow: Arc<dyn Workflow>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl Handler for HookCallback {
    type Input = HookCallbackInput;
    type Output = HookCallbackOutput;

    async fn handle(&self, input: HookCallbackInput) -> Result<HookCallbackOutput, HandlerError> {
        let status = parse_status(&input.status)?;
        let deployment_id: DeploymentId = input.deployment_id.parse().map_err(
            |error: gradual_core::deployment::InvalidDeploymentId| {
                HandlerError::InvalidInput(error.to_string())
            },
        )?;
        let id = &input.lifecycle_event_hook_execution_id;
        // gradual's ids are 64 hex digits; a longer value is no id of ours and must not reach
        // the table as a key.
        check_length(
            "lifecycleEventHookExecutionId",
            id,
            MAX_HOOK_EXECUTION_ID_LENGTH,
        )?;
        let execution = self
            .executions
            .get_hook_execution(id)
            .await?
            .ok_or_else(|| {
                HandlerError::InvalidInput(format!(
                    "lifecycleEventHookExecutionId: no hook execution {:?} exists",
                    shown(id)
                ))
            })?;
        if execution.deployment_id != deployment_id {
            return Err(HandlerError::InvalidInput(format!(
                "lifecycleEventHookExecutionId: hook execution {:?} belongs to another deployment than {deployment_id}", shown(id)
            )));
        }
        if execution.status == status {
            return self.repeat(execution, status).await;
        }
        let execution = self.executions.complete_hook_execution(id, status).await?;
        self.record(&execution, status).await?;
        resume_workflow(self.workflow.as_ref(), &execution, status).await?;
        Ok(HookCallbackOutput {
            lifecycle_event_hook_execution_id: execution.id,
        })
    }
}

impl HookCallback {
    /// The report that completed the execution, sent again. When the first one could not
    /// resume the workflow (a transient failure after the execution was completed), the task
    /// still waits and this one resumes it; once the task has been resumed, the report is
    /// refused as a second one, as CodeDeploy refuses it.
    async fn repeat(
        &self,
        execution: HookExecution,
        status: HookExecutionStatus,
    ) -> Result<HookCallbackOutput, HandlerError> {
        self.record(&execution, status).await?;
        match resume_workflow(self.workflow.as_ref(), &execution, status).await {
            Ok(()) => Ok(HookCallbackOutput {
                lifecycle_event_hook_execution_id: execution.id,
            }),
            Err(HandlerError::InvalidInput(_)) => Err(StoreError::HookAlreadyCompleted {
                status: execution.status.as_str().to_owned(),
                id: execution.id,
            }
            .into()),
            Err(error) => Err(error),
        }
    }

    async fn record(
        &self,
        execution: &HookExecution,
        status: HookExecutionStatus,
    ) -> Result<(), HandlerError> {
        let status = match status {
            HookExecutionStatus::Succeeded => LifecycleEventStatus::Succeeded,
            _ => LifecycleEventStatus::Failed,
        };
        let record = HistoryRecord {
            key: format!("lifecycle:{}:{status:?}", execution.event),
            at: self.clock.now(),
            entry: HistoryEntry::Lifecycle {
                event: execution.event,
                status,
                hook_function: Some(execution.function_name.clone()),
                message: None,
            },
        };
        self.store
            .record_history(&execution.deployment_id, &record)
            .await?;
        Ok(())
    }
}

fn parse_status(status: &str) -> Result<HookExecutionStatus, HandlerError> {
    match status {
        "Succeeded" => Ok(HookExecutionStatus::Succeeded),
        "Failed" => Ok(HookExecutionStatus::Failed),
        other => Err(HandlerError::InvalidInput(format!(
            "status: must be \"Succeeded\" or \"Failed\", got {other:?}"
        ))),
    }
}

/// Hands a hook's final status to the task waiting for it.
pub async fn resume_workflow(
    workflow: &dyn Workflow,
    execution: &HookExecution,
    status: HookExecutionStatus,
) -> Result<(), HandlerError> {
    let result = match status {
        HookExecutionStatus::Succeeded => {
            let output = serde_json::json!({
                "lifecycleEvent": execution.event,
                "hookFunction": execution.function_name,
                "status": "Succeeded",
            });
            workflow
                .send_task_success(&execution.task_token, &output)
                .await
        }
        _ => {
            let cause = format!(
                "{} hook {} reported Failed",
                execution.event, execution.function_name
            );
            workflow
                .send_task_failure(
                    &execution.task_token,
                    ErrorCode::HookExecutionFailure.as_str(),
                    &cause,
                )
                .await
        }
    };
    match result {
        Ok(()) => {
            tracing::info!(
                lifecycle_event = %execution.event,
                ?status,
                task_token = shown(&execution.task_token),
                "hook status handed to the workflow"
            );
            Ok(())
        }
        Err(WorkflowError::TaskGone(reason)) => Err(HandlerError::InvalidInput(format!(
            "lifecycleEventHookExecutionId: the deployment no longer waits for hook execution {} ({reason}): it timed out or was stopped",
            shown(&execution.id)
        ))),
        Err(error) => Err(error.into()),
    }
}

#[cfg(test)]
#[path = "hook_callback_tests.rs"]
mod tests;
