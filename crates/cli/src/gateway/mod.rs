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

/// The functions of the stack a client calls, by the name template.yaml gives them after the
/// stack's prefix (`gradual-create-deployment` in a stack named `gradual`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    CreateDeployment,
    GetDeployment,
    StopDeployment,
    /// Applications, deployment groups and custom deployment configs.
    Register,
}

impl Function {
    pub fn suffix(self) -> &'static str {
        match self {
            Function::CreateDeployment => "create-deployment",
            Function::GetDeployment => "get-deployment",
            Function::StopDeployment => "stop-deployment",
            Function::Register => "register",
        }
    }

    /// The function's name in a stack whose functions are named `<prefix><suffix>`.
    pub fn name(self, prefix: &str) -> String {
        format!("{prefix}{}", self.suffix())
    }
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
