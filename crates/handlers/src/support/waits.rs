//! Registering the task a workflow waits on, so that a stop or an alarm can cut the wait short.

use crate::error::HandlerError;
use gradual_core::ports::{DeploymentSignals, StoreError};
use gradual_core::{DeploymentId, ErrorCode};

/// Records `task_token` as the deployment's current wait. When a stop was already requested, the
/// wait must not begin: the error carries the stop's code (`MANUAL_STOP`, `ALARM_ACTIVE`) so the
/// workflow leaves through its stop path at once.
pub async fn register_wait(
    signals: &dyn DeploymentSignals,
    id: &DeploymentId,
    task_token: &str,
) -> Result<(), HandlerError> {
    match signals.register_wait(id, task_token).await {
        Ok(()) => Ok(()),
        Err(StoreError::StopRequested { .. }) => Err(stop_error(signals, id).await),
        Err(error) => Err(error.into()),
    }
}

/// The error that ends a step because the deployment was asked to stop, or `None` if it was not.
pub async fn check_not_stopped(
    signals: &dyn DeploymentSignals,
    id: &DeploymentId,
) -> Result<(), HandlerError> {
    match signals.stop_request(id).await? {
        Some(request) => Err(HandlerError::deployment(request.code, request.message)),
        None => Ok(()),
    }
}

/// The error that ends a step refused because the deployment was asked to stop: the stop's
/// code (`MANUAL_STOP`, `ALARM_ACTIVE`) and message.
pub async fn stop_error(signals: &dyn DeploymentSignals, id: &DeploymentId) -> HandlerError {
    match signals.stop_request(id).await {
        Ok(Some(request)) => HandlerError::deployment(request.code, request.message),
        Ok(None) | Err(_) => HandlerError::deployment(
            ErrorCode::ManualStop,
            format!("deployment {id} was stopped"),
        ),
    }
}
