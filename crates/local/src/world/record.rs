//! Recording what the functions of the world are invoked with, to replay it elsewhere (the
//! release binaries, in `function-memory`).

use super::LocalWorld;
use async_trait::async_trait;
use gradual_asl::{FunctionError, LambdaFunction};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Every payload each recorded function was invoked with, in order.
#[derive(Default)]
pub struct InvocationLog {
    payloads: Mutex<BTreeMap<String, Vec<Value>>>,
}

impl InvocationLog {
    /// What `function` was invoked with so far.
    pub fn payloads(&self, function: &str) -> Vec<Value> {
        self.lock().get(function).cloned().unwrap_or_default()
    }

    fn push(&self, function: &str, payload: Value) {
        self.lock()
            .entry(function.to_owned())
            .or_default()
            .push(payload);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Vec<Value>>> {
        self.payloads
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

struct Recorded {
    name: String,
    inner: Arc<dyn LambdaFunction>,
    log: Arc<InvocationLog>,
}

#[async_trait]
impl LambdaFunction for Recorded {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        self.log.push(&self.name, payload.clone());
        self.inner.invoke(payload).await
    }
}

impl LocalWorld {
    /// From now on, records the payload of every invocation of the named functions that are
    /// registered (the others are skipped), into the returned log.
    pub fn record_invocations(&self, names: &[String]) -> Arc<InvocationLog> {
        let log = Arc::new(InvocationLog::default());
        for name in names {
            self.functions.wrap(name, |inner| Recorded {
                name: name.clone(),
                inner,
                log: Arc::clone(&log),
            });
        }
        log
    }
}
