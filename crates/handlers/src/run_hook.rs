//! `run-hook`: runs the hook of one lifecycle event. The hook function is invoked asynchronously
//! with CodeDeploy's payload and an unguessable execution id; the workflow waits on this task
//! until `hook-callback` reports the hook's status, or the hook timeout fails the deployment.
//! An event without a hook completes at once.

use crate::error::HandlerError;
use crate::handler::Handler;
use crate::support::deployments::load;
use crate::support::waits::register_wait;
use async_trait::async_trait;
use gradual_core::history::{HistoryEntry, HistoryRecord, LifecycleEventStatus};
use gradual_core::ports::{
    Clock, DeploymentSignals, DeploymentStore, HookExecution, HookExecutionStatus,
    HookExecutionStore, HookInvoker, HookPayload, Workflow,
};
use gradual_core::secret::shown;
use gradual_core::{Deployment, DeploymentId, ErrorCode, Hook, LifecycleEvent};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;

/// How long a hook execution record outlives the longest hook timeout, for late reports to be
/// refused with a clear reason rather than "unknown id".
const RECORD_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunHookInput {
    pub deployment_id: DeploymentId,
    pub lifecycle_event: LifecycleEvent,
    pub task_token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunHookOutput {
    pub lifecycle_event: LifecycleEvent,
    pub status: LifecycleEventStatus,
}

pub struct RunHook {
    pub store: Arc<dyn DeploymentStore>,
    pub signals: Arc<dyn DeploymentSignals>,
    pub executions: Arc<dyn HookExecutionStore>,
    pub invoker: Arc<dyn HookInvoker>,
    pub workflow: Arc<dyn Workflow>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl Handler for RunHook {
    type Input = RunHookInput;
    type Output = RunHookOutput;

    async fn handle(&self, input: RunHookInput) -> Result<RunHookOutput, HandlerError> {
        let deployment = load(self.store.as_ref(), &input.deployment_id).await?;
        let event = input.lifecycle_event;
        register_wait(self.signals.as_ref(), &deployment.id, &input.task_token).await?;
        let Some(hook) = deployment.hooks.iter().find(|hook| hook.event == event) else {
            return self.skip(&deployment, event, &input.task_token).await;
        };
        let execution = self
            .execution_for(&deployment, hook, &input.task_token)
            .await?;
        match execution.status {
            HookExecutionStatus::Pending => self.invoke_once(&deployment, &execution).await?,
            // The workflow retried this task after the hook had already reported.
            status => self.resend(&execution, status).await?,
        }
        Ok(RunHookOutput {
            lifecycle_event: event,
            status: LifecycleEventStatus::InProgress,
        })
    }
}

impl RunHook {
    async fn skip(
        &self,
        deployment: &Deployment,
        event: LifecycleEvent,
        task_token: &str,
    ) -> Result<RunHookOutput, HandlerError> {
        self.record(deployment, event, LifecycleEventStatus::Skipped, None)
            .await?;
        let output = serde_json::json!({"lifecycleEvent": event, "status": "Skipped"});
        match self.workflow.send_task_success(task_token, &output).await {
            Ok(()) => {}
            // A replay after the first attempt already resumed the workflow.
            Err(gradual_core::ports::WorkflowError::TaskGone(_)) => {}
            Err(error) => return Err(error.into()),
        }
        Ok(RunHookOutput {
            lifecycle_event: event,
            status: LifecycleEventStatus::Skipped,
        })
    }

    /// The execution of this event: a new one, or the stored one pointed at this task token.
    async fn execution_for(
        &self,
        deployment: &Deployment,
        hook: &Hook,
        task_token: &str,
    ) -> Result<HookExecution, HandlerError> {
        if let Some(existing) = self
            .executions
            .hook_execution_for(&deployment.id, hook.event)
            .await?
        {
            // A pending execution now waits on this attempt's task; a completed one keeps its
            // record, and its status is handed to this attempt's task (see `resend`).
            let pending = existing.status == HookExecutionStatus::Pending;
            if pending && existing.task_token != task_token {
                self.executions
                    .replace_hook_task_token(&existing.id, task_token)
                    .await?;
            }
            return Ok(HookExecution {
                task_token: task_token.to_owned(),
                ..existing
            });
        }
        let now = self.clock.now();
        let execution = HookExecution {
            id: new_execution_id(),
            deployment_id: deployment.id.clone(),
            event: hook.event,
            function_name: hook.function_name.clone(),
            task_token: task_token.to_owned(),
            status: HookExecutionStatus::Pending,
            started_at: now,
            expires_at: now + RECORD_RETENTION,
        };
        match self.executions.create_hook_execution(&execution).await {
            Ok(()) => Ok(execution),
            // Created concurrently by a parallel attempt: use that one.
            Err(gradual_core::ports::StoreError::AlreadyExists { .. }) => self
                .executions
                .hook_execution_for(&deployment.id, hook.event)
                .await?
                .ok_or_else(|| HandlerError::Transient("hook execution vanished".to_owned())),
            Err(error) => Err(error.into()),
        }
    }

    /// Invokes the hook function unless an earlier attempt of this step already did.
    async fn invoke_once(
        &self,
        deployment: &Deployment,
        execution: &HookExecution,
    ) -> Result<(), HandlerError> {
        // The InProgress record is written only after a successful invocation: it marks it.
        let invoked_key = lifecycle_key(execution.event, LifecycleEventStatus::InProgress);
        let history = self.store.history(&deployment.id).await?;
        if history.iter().any(|record| record.key == invoked_key) {
            return Ok(());
        }
        let payload = HookPayload {
            deployment_id: deployment.id.to_string(),
            lifecycle_event_hook_execution_id: execution.id.clone(),
        };
        self.invoker
            .invoke_async(&execution.function_name, &payload)
            .await
            .map_err(|error| {
                HandlerError::deployment(ErrorCode::HookExecutionFailure, error.to_string())
            })?;
        tracing::info!(
            lifecycle_event = %execution.event,
            hook_function = %execution.function_name,
            task_token = shown(&execution.task_token),
            "hook invoked"
        );
        self.record(
            deployment,
            execution.event,
            LifecycleEventStatus::InProgress,
            Some(&execution.function_name),
        )
        .await?;
        Ok(())
    }

    async fn resend(
        &self,
        execution: &HookExecution,
        status: HookExecutionStatus,
    ) -> Result<(), HandlerError> {
        match crate::hook_callback::resume_workflow(self.workflow.as_ref(), execution, status).await
        {
            // The only refusal: this task no longer waits. The hook's own report resumed it
            // and this is a replay of the same attempt, or the attempt is over and nobody
            // reads this answer.
            Err(HandlerError::InvalidInput(_)) => Ok(()),
            other => other,
        }
    }

    async fn record(
        &self,
        deployment: &Deployment,
        event: LifecycleEvent,
        status: LifecycleEventStatus,
        hook_function: Option<&str>,
    ) -> Result<(), HandlerError> {
        let record = HistoryRecord {
            key: lifecycle_key(event, status),
            at: self.clock.now(),
            entry: HistoryEntry::Lifecycle {
                event,
                status,
                hook_function: hook_function.map(str::to_owned),
                message: None,
            },
        };
        self.store.record_history(&deployment.id, &record).await?;
        Ok(())
    }
}

fn lifecycle_key(event: LifecycleEvent, status: LifecycleEventStatus) -> String {
    format!("lifecycle:{event}:{status:?}")
}

/// 256 random bits, hex-encoded: an id nobody can guess to report a hook's result for it.
fn new_execution_id() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
#[path = "run_hook_tests.rs"]
mod tests;
