//! The fault injector in Lambda: a function that dies before or after its side effects, as
//! the plan says. Step Functions sees `Lambda.Unknown` for a crash and `Sandbox.Timedout`
//! for a function that ran out of time.

use super::{CrashKind, FaultPlan};
use async_trait::async_trait;
use gradual_asl::{FunctionError, LambdaFunction};
use serde_json::Value;
use std::sync::Arc;

pub(crate) struct Crashing {
    pub name: String,
    pub inner: Arc<dyn LambdaFunction>,
    pub plan: Arc<FaultPlan>,
}

#[async_trait]
impl LambdaFunction for Crashing {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        let Some(kind) = self.plan.on_invoke(&self.name) else {
            return self.inner.invoke(payload).await;
        };
        if kind != CrashKind::PanicBefore {
            // The side effects happen; the answer is lost with the sandbox.
            let _ = self.inner.invoke(payload).await;
        }
        Err(match kind {
            CrashKind::TimeoutAfter => FunctionError::new(
                "Sandbox.Timedout",
                format!("{}: Task timed out (injected)", self.name),
            ),
            _ => FunctionError::new(
                "Lambda.Unknown",
                format!("{}: the function crashed (injected)", self.name),
            ),
        })
    }
}
