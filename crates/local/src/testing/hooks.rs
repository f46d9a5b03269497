//! Hook functions for tests: each reads where traffic goes when it is invoked, reports (or not)
//! through hook-callback, and leaves a record of the call that tests can wait for.

use super::TestWorld;
use crate::world::{HandlerFunction, Routing, RoutingReader};
use async_trait::async_trait;
use gradual_asl::{Clock, FunctionError, LambdaFunction};
use gradual_core::ports::HookPayload;
use gradual_core::DeploymentId;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;
use tokio::sync::Notify;

/// What a test hook does once invoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    Succeed,
    Fail,
    /// Reports nothing: the test reports by hand, or the hook times out.
    Hold,
}

/// One invocation of a test hook.
#[derive(Debug, Clone)]
pub struct HookCall {
    pub function: String,
    pub payload: HookPayload,
    pub at: OffsetDateTime,
    /// Where the deployment's traffic went when the hook ran.
    pub routing: Result<Vec<Routing>, String>,
    /// hook-callback's answer to the hook's report; `None` when the hook holds.
    pub report: Option<Result<Value, FunctionError>>,
}

/// Every call of the world's test hooks, in order, each recorded once its report is answered.
#[derive(Debug, Default)]
pub struct HookCalls {
    calls: Mutex<Vec<HookCall>>,
    added: Notify,
}

impl HookCalls {
    pub fn all(&self) -> Vec<HookCall> {
        self.lock().clone()
    }

    /// The calls of `function` for one deployment.
    pub fn of(&self, function: &str, deployment: &DeploymentId) -> Vec<HookCall> {
        self.lock()
            .iter()
            .filter(|call| {
                call.function == function && call.payload.deployment_id == deployment.as_str()
            })
            .cloned()
            .collect()
    }

    /// Waits until `function` was called for the deployment and its report was answered.
    pub async fn called(&self, function: &str, deployment: &DeploymentId) -> HookCall {
        loop {
            let added = self.added.notified();
            tokio::pin!(added);
            added.as_mut().enable();
            if let Some(call) = self.of(function, deployment).pop() {
                return call;
            }
            added.await;
        }
    }

    fn push(&self, call: HookCall) {
        self.lock().push(call);
        self.added.notify_waiters();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<HookCall>> {
        self.calls
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

struct TestHook {
    name: String,
    reply: Reply,
    callback: HandlerFunction,
    reader: RoutingReader,
    clock: Arc<dyn Clock>,
    calls: Arc<HookCalls>,
}

pub(super) fn register(world: &TestWorld, name: &str, reply: Reply) {
    let hook = TestHook {
        name: name.to_owned(),
        reply,
        callback: world.hook_callback(),
        reader: world.routing_reader(),
        clock: Arc::clone(&world.local.clock),
        calls: Arc::clone(&world.hooks),
    };
    world.functions.register(name, hook);
}

#[async_trait]
impl LambdaFunction for TestHook {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        let payload: HookPayload = serde_json::from_value(payload)
            .map_err(|error| FunctionError::new("InvalidPayload", error.to_string()))?;
        let routing = match payload.deployment_id.parse::<DeploymentId>() {
            Ok(id) => self.reader.deployment(&id).await,
            Err(error) => Err(error.to_string()),
        };
        let status = match self.reply {
            Reply::Succeed => Some("Succeeded"),
            Reply::Fail => Some("Failed"),
            Reply::Hold => None,
        };
        let report = match status {
            Some(status) => Some(
                self.callback
                    .invoke(json!({
                        "deploymentId": payload.deployment_id,
                        "lifecycleEventHookExecutionId": payload.lifecycle_event_hook_execution_id,
                        "status": status,
                    }))
                    .await,
            ),
            None => None,
        };
        self.calls.push(HookCall {
            function: self.name.clone(),
            payload,
            at: self.clock.now(),
            routing,
            report,
        });
        Ok(Value::Null)
    }
}
