//! The in-process stand-ins for Lambda functions (and any other task resource an embedder
//! wants to serve), looked up by the names a definition uses.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use serde_json::{json, Value};
use thiserror::Error;

use super::error::StatesError;

/// A Lambda function run in-process.
#[async_trait]
pub trait LambdaFunction: Send + Sync {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError>;
}

/// An error a function reports, as Lambda reports a function error.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{error_type}: {message}")]
pub struct FunctionError {
    /// What Step Functions reports as the task's error name, e.g. `HookFailed`.
    pub error_type: String,
    pub message: String,
}

impl FunctionError {
    pub fn new(error_type: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error_type: error_type.into(),
            message: message.into(),
        }
    }

    /// The task failure Step Functions reports for this error: the error type as the error
    /// name and Lambda's error payload, as JSON text, as the cause.
    pub fn to_states_error(&self) -> StatesError {
        let payload = json!({"errorType": self.error_type, "errorMessage": self.message});
        StatesError::new(self.error_type.clone(), payload.to_string())
    }
}

/// A task resource other than Lambda, served in-process for an exact resource ARN (for
/// instance `arn:aws:states:::sns:publish`). It receives the task's effective parameters.
#[async_trait]
pub trait TaskResource: Send + Sync {
    async fn call(&self, parameters: Value) -> Result<Value, StatesError>;
}

/// Where functions and resources are registered; cheap to clone, and shared by its clones,
/// so handlers can be added after an executor was built with it.
#[derive(Clone, Default)]
pub struct FunctionRegistry {
    inner: Arc<RwLock<Registered>>,
}

#[derive(Default)]
struct Registered {
    functions: HashMap<String, Arc<dyn LambdaFunction>>,
    resources: HashMap<String, Arc<dyn TaskResource>>,
}

impl FunctionRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves the function called `name` (a plain name, not an ARN) with `function`,
    /// replacing any earlier registration.
    pub fn register(&self, name: impl Into<String>, function: impl LambdaFunction + 'static) {
        self.write()
            .functions
            .insert(name.into(), Arc::new(function));
    }

    /// Serves the function called `name` with an async closure.
    pub fn register_fn<F, Fut>(&self, name: impl Into<String>, handler: F)
    where
        F: Fn(Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, FunctionError>> + Send + 'static,
    {
        self.register(name, FnFunction(handler));
    }

    /// Serves tasks whose `Resource` is exactly `arn`.
    pub fn register_resource(&self, arn: impl Into<String>, resource: impl TaskResource + 'static) {
        self.write()
            .resources
            .insert(arn.into(), Arc::new(resource));
    }

    /// The function a `FunctionName` designates: a name, a name with a qualifier, a partial
    /// ARN (`123456789012:function:name`) or a full ARN, with or without alias or version.
    pub fn function(&self, function_name: &str) -> Option<Arc<dyn LambdaFunction>> {
        self.read()
            .functions
            .get(function_name_of(function_name))
            .cloned()
    }

    /// Serves the function called `name` with what `wrap` makes of the one registered under
    /// that name, to observe or record its invocations; `false`, and nothing changes, when no
    /// function has that name.
    pub fn wrap<W: LambdaFunction + 'static>(
        &self,
        name: &str,
        wrap: impl FnOnce(Arc<dyn LambdaFunction>) -> W,
    ) -> bool {
        let mut registered = self.write();
        let Some(inner) = registered.functions.get(name).cloned() else {
            return false;
        };
        registered
            .functions
            .insert(name.to_owned(), Arc::new(wrap(inner)));
        true
    }

    /// The handler registered for exactly this resource ARN.
    pub fn resource(&self, arn: &str) -> Option<Arc<dyn TaskResource>> {
        self.read().resources.get(arn).cloned()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Registered> {
        self.inner
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Registered> {
        self.inner
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl std::fmt::Debug for FunctionRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let registered = self.read();
        f.debug_struct("FunctionRegistry")
            .field(
                "functions",
                &registered.functions.keys().collect::<Vec<_>>(),
            )
            .field(
                "resources",
                &registered.resources.keys().collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// The bare function name inside any of the forms Lambda accepts for `FunctionName`.
pub fn function_name_of(reference: &str) -> &str {
    let parts: Vec<&str> = reference.split(':').collect();
    match parts.iter().position(|part| *part == "function") {
        Some(at) if at + 1 < parts.len() => parts[at + 1],
        _ => parts[0],
    }
}

struct FnFunction<F>(F);

#[async_trait]
impl<F, Fut> LambdaFunction for FnFunction<F>
where
    F: Fn(Value) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, FunctionError>> + Send + 'static,
{
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        (self.0)(payload).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_function_name_resolves_to_the_bare_name() {
        for reference in [
            "deploy",
            "deploy:live",
            "deploy:7",
            "123456789012:function:deploy",
            "123456789012:function:deploy:live",
            "arn:aws:lambda:us-east-1:123456789012:function:deploy",
            "arn:aws:lambda:us-east-1:123456789012:function:deploy:$LATEST",
        ] {
            assert_eq!(function_name_of(reference), "deploy", "{reference}");
        }
    }

    #[tokio::test]
    async fn registered_closures_are_found_by_arn_and_shared_between_clones() {
        let registry = FunctionRegistry::new();
        let later = registry.clone();
        later.register_fn("echo", |payload| async move { Ok(payload) });
        let echo = registry
            .function("arn:aws:lambda:eu-west-1:1:function:echo:prod")
            .expect("registered through a clone");
        assert_eq!(echo.invoke(json!({"a": 1})).await, Ok(json!({"a": 1})));
        assert!(registry.function("other").is_none());
    }

    #[tokio::test]
    async fn a_wrapped_function_is_served_by_its_wrapper_around_the_original() {
        struct Tagged(Arc<dyn LambdaFunction>);
        #[async_trait]
        impl LambdaFunction for Tagged {
            async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
                let inner = self.0.invoke(payload).await?;
                Ok(json!({"wrapped": inner}))
            }
        }
        let registry = FunctionRegistry::new();
        registry.register_fn("echo", |payload| async move { Ok(payload) });

        assert!(registry.wrap("echo", Tagged));
        assert!(!registry.wrap("other", Tagged));

        let echo = registry.function("echo").unwrap();
        assert_eq!(echo.invoke(json!(1)).await, Ok(json!({"wrapped": 1})));
        assert!(registry.function("other").is_none());
    }

    #[test]
    fn function_errors_become_task_failures_with_lambda_shaped_causes() {
        let failure = FunctionError::new("HookFailed", "the hook said no").to_states_error();
        assert_eq!(failure.error, "HookFailed");
        let cause: Value = serde_json::from_str(&failure.cause).unwrap();
        assert_eq!(
            cause,
            json!({"errorType": "HookFailed", "errorMessage": "the hook said no"})
        );
    }
}
