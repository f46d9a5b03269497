//! Hook executions: one per lifecycle event that has a hook, found again by the id the hook
//! reports back with.

use crate::deployment::DeploymentId;
use crate::lifecycle::LifecycleEvent;
use crate::ports::StoreError;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HookExecutionStatus {
    Pending,
    Succeeded,
    Failed,
}

impl HookExecutionStatus {
    /// CodeDeploy's name of the status.
    pub fn as_str(self) -> &'static str {
        match self {
            HookExecutionStatus::Pending => "Pending",
            HookExecutionStatus::Succeeded => "Succeeded",
            HookExecutionStatus::Failed => "Failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HookExecution {
    /// The opaque, unguessable `LifecycleEventHookExecutionId`.
    pub id: String,
    pub deployment_id: DeploymentId,
    pub event: LifecycleEvent,
    pub function_name: String,
    /// The workflow task waiting for the hook's report. Never logged in full.
    pub task_token: String,
    pub status: HookExecutionStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// After this the record may be deleted (DynamoDB TTL).
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

#[async_trait]
pub trait HookExecutionStore: Send + Sync {
    /// Stores a new execution; `AlreadyExists` if one is stored for the same deployment and event.
    async fn create_hook_execution(&self, execution: &HookExecution) -> Result<(), StoreError>;
    /// The execution of a deployment's lifecycle event, if one was started.
    async fn hook_execution_for(
        &self,
        deployment: &DeploymentId,
        event: LifecycleEvent,
    ) -> Result<Option<HookExecution>, StoreError>;
    async fn get_hook_execution(&self, id: &str) -> Result<Option<HookExecution>, StoreError>;
    /// Points a pending execution at a new task token (the workflow retried the task).
    async fn replace_hook_task_token(&self, id: &str, task_token: &str) -> Result<(), StoreError>;
    /// Moves a pending execution to its final status, once: a second report is refused with
    /// [`StoreError::HookAlreadyCompleted`].
    async fn complete_hook_execution(
        &self,
        id: &str,
        status: HookExecutionStatus,
    ) -> Result<HookExecution, StoreError>;
}
