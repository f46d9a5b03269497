//! Why a command failed; every message names what was wrong and where.

use crate::gateway::GatewayError;
use gradual_core::{DeploymentId, DeploymentStatus, ErrorInformation};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum CliError {
    /// The command line or a file it names cannot be used.
    #[error("{0}")]
    Input(String),
    /// The stack refused the request or could not be reached.
    #[error(transparent)]
    Gateway(#[from] GatewayError),
    /// The stack answered something this command does not understand.
    #[error("unexpected answer from {function}: {detail}")]
    Answer { function: String, detail: String },
    /// A watched deployment ended without succeeding.
    #[error("deployment {id} ended {status}{}", .error.as_ref().map(|error| format!(": {error}")).unwrap_or_default())]
    DeploymentEnded {
        id: DeploymentId,
        status: DeploymentStatus,
        error: Option<ErrorInformation>,
    },
    /// The result could not be written.
    #[error("could not write the output: {0}")]
    Output(String),
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::DeploymentEnded { .. } => crate::EXIT_DEPLOYMENT_FAILED,
            _ => crate::EXIT_FAILURE,
        }
    }
}
