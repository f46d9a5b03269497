//! The one port every command goes through: a JSON request to one of the stack's functions,
//! answered with JSON or refused with the function's error. [`aws::LambdaGateway`] invokes the
//! deployed functions; [`local::LocalStack`] serves them in this process.

pub mod aws;
pub mod local;
mod options;

pub use options::{connect, StackOptions};

use async_trait::async_trait;
use gradual_core::DeploymentId;
use serde_json::Value;
use thiserror::Error;

/// The stack's functions a client calls: create-deployment, get-deployment, stop-deployment and
/// register, named `<prefix><name>` (`gradual-create-deployment` in a stack named `gradual`).
pub use gradual_handlers::Function;

/// The function's name in a stack whose functions are named `<prefix><name>`.
pub fn function_name(prefix: &str, function: Function) -> String {
    format!("{prefix}{}", function.name())
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GatewayError {
    /// The function ran and refused the request: its Lambda error type and message.
    #[error("{function} refused the request: {error_type}: {message}")]
    Refused {
        function: String,
        error_type: String,
        message: String,
    },
    /// No function of that name exists where the gateway looks.
    #[error("function {function} does not exist{hint}")]
    Missing { function: String, hint: String },
    /// The function could not be called, or its answer could not be read.
    #[error("could not call {function}: {detail}")]
    Unreachable { function: String, detail: String },
}

#[async_trait]
pub trait Gateway: Send + Sync {
    /// Calls `function` with `payload` and waits for its answer.
    async fn invoke(&self, function: Function, payload: Value) -> Result<Value, GatewayError>;

    /// True when deployments' workflows run inside this process, so that it must not exit
    /// before they end.
    fn runs_workflows_here(&self) -> bool {
        false
    }

    /// Waits until the workflow of `deployment` has ended, when it runs in this process;
    /// elsewhere (Step Functions) there is nothing to wait for.
    async fn await_workflow(&self, _deployment: &DeploymentId) {}
}
