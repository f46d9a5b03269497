//! Stopping a running deployment, for a user (stop-deployment) or an alarm (alarm-listener):
//! the request is recorded on the deployment, and the task the workflow waits on (a bake or a
//! hook) is failed at once with the stop's error code, so the rollback starts without waiting.

use crate::error::HandlerError;
use gradual_core::ports::{DeploymentSignals, StopOutcome, StopRequest, Workflow, WorkflowError};
use gradual_core::secret::shown;
use gradual_core::Deployment;

pub async fn stop(
    signals: &dyn DeploymentSignals,
    workflow: &dyn Workflow,
    deployment: &Deployment,
    request: &StopRequest,
) -> Result<StopOutcome, HandlerError> {
    let outcome = signals.request_stop(&deployment.id, request).await?;
    if let Some(token) = &outcome.waiting_task_token {
        match workflow
            .send_task_failure(token, request.code.as_str(), &request.message)
            .await
        {
            // The wait already ended: the next step sees the stop request and fails with it.
            Ok(()) | Err(WorkflowError::TaskGone(_)) => {}
            Err(error) => return Err(error.into()),
        }
        tracing::info!(
            deployment_id = %deployment.id,
            code = %request.code,
            task_token = shown(token),
            "waiting task interrupted"
        );
    }
    Ok(outcome)
}
