//! Records the requests an SDK client sends, to tell which calls wrote something.

use aws_sdk_lambda::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_lambda::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_lambda::error::BoxError;
use std::sync::{Arc, Mutex};

/// The operations a client sent, in order: `Action` names for query APIs (ELBv2), `METHOD path`
/// for REST APIs (Lambda).
#[derive(Debug, Clone, Default)]
pub struct Requests(Arc<Mutex<Vec<String>>>);

impl Requests {
    pub fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// The requests that change something: anything but GET for REST APIs, anything but
    /// Describe*/Get*/List* for query APIs.
    pub fn writes(&self) -> Vec<String> {
        self.all()
            .into_iter()
            .filter(|request| {
                !["GET ", "Describe", "Get", "List"]
                    .iter()
                    .any(|read| request.starts_with(read))
            })
            .collect()
    }

    pub fn clear(&self) {
        self.0.lock().unwrap().clear();
    }
}

impl Intercept for Requests {
    fn name(&self) -> &'static str {
        "RecordRequests"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request();
        let body = request
            .body()
            .bytes()
            .map(String::from_utf8_lossy)
            .unwrap_or_default();
        let action = body
            .split('&')
            .find_map(|pair| pair.strip_prefix("Action="))
            .map(str::to_string);
        let entry = action.unwrap_or_else(|| format!("{} {}", request.method(), request.uri()));
        self.0.lock().unwrap().push(entry);
        Ok(())
    }
}
