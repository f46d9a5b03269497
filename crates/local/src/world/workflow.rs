//! The workflow port served by the local executor: what Step Functions does in AWS.

use async_trait::async_trait;
use gradual_asl::{ExecError, ExecutionStatus, Executor, StateMachine, TaskTokenError};
use gradual_core::ports::{Workflow, WorkflowError};
use std::sync::Arc;

pub struct LocalWorkflow {
    pub executor: Executor,
    pub machine: Arc<StateMachine>,
}

impl LocalWorkflow {
    /// The ARN of the execution named `name` (executions are named after deployments).
    pub fn execution_arn(&self, name: &str) -> String {
        self.executor
            .state_machine_arn(&self.machine)
            .replacen(":stateMachine:", ":execution:", 1)
            + ":"
            + name
    }
}

#[async_trait]
impl Workflow for LocalWorkflow {
    async fn start(&self, name: &str, input: &serde_json::Value) -> Result<String, WorkflowError> {
        self.executor
            .start_execution(Arc::clone(&self.machine), name, input.clone())
            .map_err(|error: ExecError| WorkflowError::Backend(error.to_string()))
    }

    async fn is_running(&self, name: &str) -> Result<bool, WorkflowError> {
        Ok(self
            .executor
            .describe_execution(&self.execution_arn(name))
            .is_some_and(|execution| execution.status == ExecutionStatus::Running))
    }

    async fn send_task_success(
        &self,
        task_token: &str,
        output: &serde_json::Value,
    ) -> Result<(), WorkflowError> {
        self.executor
            .send_task_success(task_token, output.clone())
            .map_err(task_gone)
    }

    async fn send_task_failure(
        &self,
        task_token: &str,
        error: &str,
        cause: &str,
    ) -> Result<(), WorkflowError> {
        self.executor
            .send_task_failure(task_token, error, cause)
            .map_err(task_gone)
    }
}

/// Every refusal of a task token means the same to a caller: that task no longer waits.
fn task_gone(error: TaskTokenError) -> WorkflowError {
    WorkflowError::TaskGone(error.to_string())
}
