//! Hook functions for demos and tests: they receive CodeDeploy's hook payload and report a
//! result by invoking the hook-callback function, as a user's validation function would.

use super::names;
use async_trait::async_trait;
use gradual_asl::{FunctionError, FunctionRegistry, LambdaFunction};
use gradual_core::ports::HookPayload;
use gradual_handlers::Function;
use serde_json::{json, Value};

/// What a sample hook reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookBehaviour {
    Succeed,
    Fail,
    /// Never reports: the deployment fails when the hook timeout runs out.
    NeverAnswer,
}

pub struct SampleHook {
    /// Where the hook-callback function is found.
    pub functions: FunctionRegistry,
    pub behaviour: HookBehaviour,
}

#[async_trait]
impl LambdaFunction for SampleHook {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        let payload: HookPayload = serde_json::from_value(payload)
            .map_err(|error| FunctionError::new("InvalidPayload", error.to_string()))?;
        let status = match self.behaviour {
            HookBehaviour::Succeed => "Succeeded",
            HookBehaviour::Fail => "Failed",
            HookBehaviour::NeverAnswer => return Ok(Value::Null),
        };
        let report = json!({
            "deploymentId": payload.deployment_id,
            "lifecycleEventHookExecutionId": payload.lifecycle_event_hook_execution_id,
            "status": status,
        });
        let callback = self
            .functions
            .function(&names::function_name(Function::HookCallback))
            .ok_or_else(|| {
                FunctionError::new("ResourceNotFoundException", "no hook-callback function")
            })?;
        callback.invoke(report).await
    }
}
