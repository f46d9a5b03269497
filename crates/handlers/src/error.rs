//! The error a handler returns. Its `error_type` becomes the Lambda error type, which is what
//! the workflow's Retry and Catch rules match on.

use gradual_core::group::InvalidGroupSetting;
use gradual_core::ports::{Entity, StoreError, WorkflowError};
use gradual_core::{ErrorCode, ErrorInformation};
use thiserror::Error;

/// Lambda error type of a transient failure; the workflow retries it with backoff.
pub const TRANSIENT: &str = "ServiceUnavailable";
/// Lambda error type of a request that can never succeed as written.
pub const INVALID_INPUT: &str = "InvalidInput";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HandlerError {
    /// The request itself is wrong: what, and where.
    #[error("{0}")]
    InvalidInput(String),
    /// The deployment cannot go on, for a reason CodeDeploy has a code for (the code is the
    /// error type; the message says what happened).
    #[error("{}", .0.message)]
    Deployment(ErrorInformation),
    /// An outside service failed in a way worth retrying.
    #[error("{0}")]
    Transient(String),
}

impl HandlerError {
    pub fn deployment(code: ErrorCode, message: impl Into<String>) -> Self {
        HandlerError::Deployment(ErrorInformation::new(code, message))
    }

    /// The Lambda error type: a CodeDeploy error code, or one of [`TRANSIENT`], [`INVALID_INPUT`].
    pub fn error_type(&self) -> &str {
        match self {
            HandlerError::InvalidInput(_) => INVALID_INPUT,
            HandlerError::Deployment(info) => info.code.as_str(),
            HandlerError::Transient(_) => TRANSIENT,
        }
    }
}

impl From<StoreError> for HandlerError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Backend(_) => HandlerError::Transient(error.to_string()),
            StoreError::AccessDenied(_) => {
                HandlerError::deployment(ErrorCode::IamRolePermissions, error.to_string())
            }
            StoreError::NotFound {
                entity: Entity::Application,
                ..
            } => HandlerError::deployment(ErrorCode::ApplicationMissing, error.to_string()),
            StoreError::NotFound {
                entity: Entity::DeploymentGroup,
                ..
            } => HandlerError::deployment(ErrorCode::DeploymentGroupMissing, error.to_string()),
            StoreError::StopRequested { .. } => {
                HandlerError::deployment(ErrorCode::ManualStop, error.to_string())
            }
            _ => HandlerError::InvalidInput(error.to_string()),
        }
    }
}

/// A workflow call's failure, where a task that no longer waits means nothing special.
impl From<WorkflowError> for HandlerError {
    fn from(error: WorkflowError) -> Self {
        match error {
            WorkflowError::AccessDenied(_) => {
                HandlerError::deployment(ErrorCode::IamRolePermissions, error.to_string())
            }
            WorkflowError::TaskGone(_) | WorkflowError::Backend(_) => {
                HandlerError::Transient(error.to_string())
            }
        }
    }
}

impl From<InvalidGroupSetting> for HandlerError {
    fn from(error: InvalidGroupSetting) -> Self {
        HandlerError::InvalidInput(error.0)
    }
}
