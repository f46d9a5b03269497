//! The workflow port: starts deployment workflows and resumes their waiting tasks
//! (Step Functions in AWS, the local executor offline).

use async_trait::async_trait;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WorkflowError {
    /// The task no longer waits: it finished, timed out, or the token is unknown.
    #[error("the task is no longer waiting ({0})")]
    TaskGone(String),
    #[error("the workflow service failed: {0}")]
    Backend(String),
    /// The caller's role may not make the call: AWS's message, naming the action.
    #[error("the workflow service refused the call: {0}")]
    AccessDenied(String),
}

#[async_trait]
pub trait Workflow: Send + Sync {
    /// Starts the deployment workflow; `name` is unique per deployment so a repeat is harmless.
    /// Returns the execution's id (ARN).
    async fn start(&self, name: &str, input: &serde_json::Value) -> Result<String, WorkflowError>;
    /// Whether the execution named `name` is running: false once it ended, or when it was
    /// never started.
    async fn is_running(&self, name: &str) -> Result<bool, WorkflowError>;
    async fn send_task_success(
        &self,
        task_token: &str,
        output: &serde_json::Value,
    ) -> Result<(), WorkflowError>;
    async fn send_task_failure(
        &self,
        task_token: &str,
        error: &str,
        cause: &str,
    ) -> Result<(), WorkflowError>;
}
