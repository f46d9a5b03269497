//! Loading deployments and moving them through the status machine, shared by the handlers.

use crate::error::HandlerError;
use gradual_core::history::{HistoryEntry, HistoryRecord};
use gradual_core::ports::{Clock, DeploymentStore, StatusChange, StoreError};
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
        ensure_status_recorded(store, clock, deployment).await?;
        return Ok(deployment.clone());
    }
    let at = clock.now();
    let mut from = deployment.status;
    let change = |expected| StatusChange {
        expected,
        next,
        error_information: error_information.clone(),
        at,
    };
    let update = match store.change_status(&deployment.id, &change(from)).await {
        // A late bake swapped InProgress and Baking since `deployment` was read: the change
        // applies from where the deployment stands (still conditionally).
        Err(StoreError::StaleStatus { actual, .. })
            if actual.same_run_as(from) && actual.can_become(next) =>
        {
            from = actual;
            store.change_status(&deployment.id, &change(from)).await?
        }
        other => other?,
    };
    let record = HistoryRecord {
        key: status_key(deployment, next),
        at,
        entry: HistoryEntry::Status {
            from: from.to_string(),
            to: next.to_string(),
        },
    };
    store.record_history(&deployment.id, &record).await?;
    Ok(update.deployment)
}

/// The history key of a change to `next`. A deployment bakes once per step: the step keeps
/// each Baking and InProgress apart, while a replay of the same change keeps its key and is
/// recorded once.
fn status_key(deployment: &Deployment, next: DeploymentStatus) -> String {
    match deployment.traffic.step {
        Some(step) => format!("status:{next}@{step}"),
        None => format!("status:{next}"),
    }
}

/// A replayed change finds the deployment in its new status; its history record may be
/// missing, when the first attempt died between the two writes: it is written now, from the
/// status the history last recorded.
pub async fn ensure_status_recorded(
    store: &dyn DeploymentStore,
    clock: &dyn Clock,
    deployment: &Deployment,
) -> Result<(), HandlerError> {
    let key = status_key(deployment, deployment.status);
    let history = store.history(&deployment.id).await?;
    if history.iter().any(|record| record.key == key) {
        return Ok(());
    }
    let from = history
        .iter()
        .rev()
        .find_map(|record| match &record.entry {
            HistoryEntry::Status { to, .. } => Some(to.clone()),
            _ => None,
        })
        .unwrap_or_else(|| DeploymentStatus::Created.to_string());
    let record = HistoryRecord {
        key,
        at: clock.now(),
        entry: HistoryEntry::Status {
            from,
            to: deployment.status.to_string(),
        },
    };
    store.record_history(&deployment.id, &record).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::World;
    use gradual_core::ports::{DeploymentRecords, HistoryStore};

    /// A world with a started deployment, and the deployment as a step read it then.
    async fn started() -> (World, Deployment) {
        let world = World::new();
        let group = world.group("shop", "checkout", |_| {}).await;
        let id = world.started_deployment(&group).await;
        let read = world.deployment(&id).await;
        assert_eq!(read.status, DeploymentStatus::InProgress);
        (world, read)
    }

    /// A step that read `read` moves it to `next`.
    async fn step(
        world: &World,
        read: &Deployment,
        next: DeploymentStatus,
    ) -> Result<Deployment, HandlerError> {
        move_to(world.store.as_ref(), world.clock.as_ref(), read, next, None).await
    }

    #[tokio::test]
    async fn a_change_read_before_a_late_bake_applies_from_where_the_bake_left_it() {
        // record-status read the deployment InProgress after the last traffic step; then the
        // handler of the last bake, which outlived its bake, moves it to Baking.
        let (world, read) = started().await;
        let late_bake = step(&world, &read, DeploymentStatus::Baking).await.unwrap();
        assert_eq!(late_bake.status, DeploymentStatus::Baking);

        let succeeded = step(&world, &read, DeploymentStatus::Succeeded).await;

        assert_eq!(
            succeeded.map(|deployment| deployment.status),
            Ok(DeploymentStatus::Succeeded)
        );
        let history = world.store.history(&read.id).await.unwrap();
        let last = history.last().expect("the success is recorded");
        assert_eq!(last.key, "status:Succeeded");
        assert_eq!(
            last.entry,
            HistoryEntry::Status {
                from: "Baking".to_owned(),
                to: "Succeeded".to_owned()
            }
        );
        let stored = world.store.get_deployment(&read.id).await.unwrap().unwrap();
        assert_eq!(stored.status, DeploymentStatus::Succeeded);
    }

    #[tokio::test]
    async fn a_change_from_a_status_left_long_ago_is_still_refused() {
        let (world, read) = started().await;
        step(&world, &read, DeploymentStatus::Succeeded)
            .await
            .unwrap();

        let late_bake = step(&world, &read, DeploymentStatus::Baking).await;

        assert_eq!(
            late_bake.unwrap_err().to_string(),
            format!(
                "deployment {} is Succeeded, not InProgress: it was changed concurrently",
                read.id
            )
        );
    }
}
