//! The Lambda adapter of the hook invoker port: starts a hook function asynchronously with
//! CodeDeploy's payload, as CodeDeploy does.

use async_trait::async_trait;
use aws_sdk_lambda::error::DisplayErrorContext;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::InvocationType;
use gradual_core::ports::{HookInvokeError, HookInvoker, HookPayload};
use gradual_core::secret::shown;

/// What Lambda answers when it has queued an `Event` invocation.
const ACCEPTED: i32 = 202;

/// Invokes hook functions with `InvocationType::Event`.
#[derive(Debug, Clone)]
pub struct LambdaHookInvoker {
    client: aws_sdk_lambda::Client,
}

impl LambdaHookInvoker {
    pub fn new(client: aws_sdk_lambda::Client) -> Self {
        Self { client }
    }
}

#[async_trait]
impl HookInvoker for LambdaHookInvoker {
    async fn invoke_async(
        &self,
        function_name: &str,
        payload: &HookPayload,
    ) -> Result<(), HookInvokeError> {
        let failure = |reason: String| HookInvokeError {
            function_name: function_name.to_owned(),
            reason,
        };
        let body = serde_json::to_vec(payload)
            .map_err(|error| failure(format!("could not encode the hook payload: {error}")))?;
        let answer = self
            .client
            .invoke()
            .function_name(function_name)
            .invocation_type(InvocationType::Event)
            .payload(Blob::new(body))
            .send()
            .await
            .map_err(|error| failure(DisplayErrorContext(&error).to_string()))?;
        if answer.status_code() != ACCEPTED {
            return Err(failure(format!(
                "Lambda answered status {} instead of {ACCEPTED} (accepted)",
                answer.status_code()
            )));
        }
        tracing::info!(
            function_name,
            deployment_id = %payload.deployment_id,
            hook_execution_id = %shown(&payload.lifecycle_event_hook_execution_id),
            "invoked hook"
        );
        Ok(())
    }
}
