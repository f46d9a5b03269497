//! Hook functions for demos and tests: they receive CodeDeploy's hook payload and report a
//! result through hook-callback, as a user's validation function would.

use crate::asl::{FunctionError, LambdaFunction};
use async_trait::async_trait;
use gradual_core::ports::HookPayload;
use gradual_handlers::hook_callback::{HookCallback, HookCallbackInput};
use gradual_handlers::Handler;
use serde_json::Value;

/// What a sample hook reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookBehaviour {
    Succeed,
    Fail,
    /// Never reports: the deployment fails when the hook timeout runs out.
    NeverAnswer,
}

pub struct SampleHook {
    pub callback: HookCallback,
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
        let report = HookCallbackInput {
            deployment_id: payload.deployment_id,
            lifecycle_event_hook_execution_id: payload.lifecycle_event_hook_execution_id,
            status: status.to_owned(),
        };
        self.callback
            .handle(report)
            .await
            .map(|output| serde_json::to_value(output).unwrap_or(Value::Null))
            .map_err(|error| FunctionError::new(error.error_type(), error.to_string()))
    }
}
