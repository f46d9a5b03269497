//! The hook invoker port: calls a hook function asynchronously, as CodeDeploy does.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("could not invoke hook function {function_name}: {reason}")]
pub struct HookInvokeError {
    pub function_name: String,
    pub reason: String,
}

/// CodeDeploy's hook payload, field names and all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookPayload {
    #[serde(rename = "DeploymentId")]
    pub deployment_id: String,
    #[serde(rename = "LifecycleEventHookExecutionId")]
    pub lifecycle_event_hook_execution_id: String,
}

#[async_trait]
pub trait HookInvoker: Send + Sync {
    /// Starts the function with the payload and returns without waiting for it (`Event` invocation).
    async fn invoke_async(
        &self,
        function_name: &str,
        payload: &HookPayload,
    ) -> Result<(), HookInvokeError>;
}
