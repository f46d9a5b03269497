//! Loading deployments and moving them through the status machine, shared by the handlers.

use crate::error::HandlerError;
use gradual_core::history::{HistoryEntry, HistoryRecord};
use gradual_core::ports::{Clock, DeploymentStore, StatusChange};
use gradual_core::{Deployment, DeploymentId, DeploymentStatus, ErrorInformation};

pub async fn load(
    store: &dyn DeploymentStore,
    id: &DeploymentId,
) -> Result<Deployment, HandlerError> {
    store.get_deployment(id).await?.ok_or_else(|| {
        HandlerError::InvalidInput(format!("deploymentId: deployment {id} does not exist"))
    })
}

/// Moves `deployment` to `next` if it is not there yet, conditional on the status it was read
/// with, and records the change in its history. Returns the deployment as stored afterwards.
pub async fn move_to(
    store: &dyn DeploymentStore,
    clock: &dyn Clock,
    deployment: &Deployment,
    next: DeploymentStatus,
    error_information: Option<ErrorInformation>,
) -> Result<Deployment, HandlerError> {
    if deployment.status == next {
        return Ok(deployment.clone());
    }
    let at = clock.now();
    let update = store
        .change_status(
            &deployment.id,
            &StatusChange {
                expected: deployment.status,
                next,
                error_information,
                at,
            },
        )
        .await?;
    // A deployment bakes once per step: the step keeps each Baking and InProgress apart,
    // while a replay of the same change keeps its key and is recorded once.
    let key = match deployment.traffic.step {
        Some(step) => format!("status:{next}@{step}"),
        None => format!("status:{next}"),
    };
    let record = HistoryRecord {
        key,
        at,
        entry: HistoryEntry::Status {
            from: deployment.status.to_string(),
            to: next.to_string(),
        },
    };
    store.record_history(&deployment.id, &record).await?;
    Ok(update.deployment)
}
