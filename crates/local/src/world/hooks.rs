//! The hook invoker port served in-process: an asynchronous invoke of a registered function,
//! which keeps virtual time still while it runs, as a real invoke would take real time.

use async_trait::async_trait;
use gradual_asl::{Clock, FunctionRegistry};
use gradual_core::ports::{HookInvokeError, HookInvoker, HookPayload};
use std::sync::Arc;

pub struct LocalHookInvoker {
    pub functions: FunctionRegistry,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl HookInvoker for LocalHookInvoker {
    async fn invoke_async(
        &self,
        function_name: &str,
        payload: &HookPayload,
    ) -> Result<(), HookInvokeError> {
        let function = self
            .functions
            .function(function_name)
            .ok_or_else(|| HookInvokeError {
                function_name: function_name.to_owned(),
                reason: "Function not found (ResourceNotFoundException)".to_owned(),
            })?;
        let payload = serde_json::to_value(payload).expect("a hook payload is plain data");
        let busy = self.clock.hold();
        let name = function_name.to_owned();
        tokio::spawn(async move {
            let _busy = busy;
            if let Err(error) = function.invoke(payload).await {
                // An asynchronous invoke's error goes to the function's own logs, not the caller.
                tracing::warn!(hook_function = %name, %error, "hook function failed");
            }
        });
        Ok(())
    }
}
