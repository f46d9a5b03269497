//! Conditional status changes, the slot a terminal status frees, and the other updates.

use super::support::fresh_table;
use gradual_core::deployment::{
    DeploymentId, DeploymentStatus, ErrorCode, ErrorInformation, IllegalTransition, TrafficProgress,
};
use gradual_core::fixtures;
use gradual_core::ports::DeploymentIndex;
use gradual_core::ports::DeploymentRecords;
use gradual_core::ports::GroupStore;
use gradual_core::ports::{Creation, Entity, StatusChange, StoreError};
use time::Duration;

fn change(expected: DeploymentStatus, next: DeploymentStatus, minutes: i64) -> StatusChange {
    StatusChange {
        expected,
        next,
        error_information: None,
        at: fixtures::created_at() + Duration::minutes(minutes),
    }
}

#[tokio::test]
async fn a_status_moves_only_from_the_status_the_caller_saw() {
    use DeploymentStatus::*;
    let table = fresh_table().await;
    let store = &table.store;
    let group = table.registered_group("shop", "live").await;
    let deployment = fixtures::lambda_deployment(&group);
    let id = &deployment.id;
    store.create_deployment(&deployment, None).await.unwrap();

    let started = store
        .change_status(id, &change(Created, InProgress, 1))
        .await
        .unwrap();
    assert!(started.changed);
    assert_eq!(started.deployment.status, InProgress);
    let start_time = Some(fixtures::created_at() + Duration::minutes(1));
    assert_eq!(started.deployment.start_time, start_time);
    assert_eq!(
        store.get_deployment(id).await,
        Ok(Some(started.deployment.clone()))
    );

    // Replayed: already there, nothing to do.
    let replayed = store
        .change_status(id, &change(Created, InProgress, 2))
        .await
        .unwrap();
    assert!(!replayed.changed);
    assert_eq!(replayed.deployment, started.deployment);

    assert_eq!(
        store.change_status(id, &change(Created, Stopped, 3)).await,
        Err(StoreError::StaleStatus {
            id: id.clone(),
            expected: Created,
            actual: InProgress
        })
    );
    assert_eq!(
        store.change_status(id, &change(Created, Queued, 3)).await,
        Err(StoreError::StaleStatus {
            id: id.clone(),
            expected: Created,
            actual: InProgress
        })
    );
    assert_eq!(
        store
            .change_status(id, &change(Succeeded, InProgress, 3))
            .await,
        Err(StoreError::IllegalTransition {
            id: id.clone(),
            source: IllegalTransition {
                from: Succeeded,
                to: InProgress
            }
        })
    );
    assert_eq!(store.get_deployment(id).await, Ok(Some(started.deployment)));

    // Back from baking, the first start time stays.
    store
        .change_status(id, &change(InProgress, Baking, 4))
        .await
        .unwrap();
    let resumed = store
        .change_status(id, &change(Baking, InProgress, 5))
        .await
        .unwrap();
    assert_eq!(resumed.deployment.start_time, start_time);
    assert_eq!(resumed.deployment.complete_time, None);

    let missing = DeploymentId::generate();
    assert_eq!(
        store
            .change_status(&missing, &change(Created, InProgress, 6))
            .await,
        Err(StoreError::NotFound {
            entity: Entity::Deployment,
            name: missing.to_string()
        })
    );
}

#[tokio::test]
async fn a_terminal_status_frees_the_slot_for_the_next_deployment() {
    use DeploymentStatus::*;
    let table = fresh_table().await;
    let store = &table.store;
    let group = table.registered_group("shop", "live").await;
    let first = fixtures::lambda_deployment(&group);
    store.create_deployment(&first, None).await.unwrap();
    store
        .change_status(&first.id, &change(Created, InProgress, 1))
        .await
        .unwrap();

    let second = fixtures::lambda_deployment(&group);
    assert!(matches!(
        store.create_deployment(&second, None).await,
        Err(StoreError::ActiveDeploymentExists { .. })
    ));

    let failure = ErrorInformation::new(ErrorCode::HookExecutionFailure, "hook smoke-test failed");
    let failing = StatusChange {
        error_information: Some(failure.clone()),
        ..change(InProgress, Failed, 9)
    };
    let failed = store.change_status(&first.id, &failing).await.unwrap();
    assert!(failed.changed);
    assert_eq!(failed.deployment.status, Failed);
    assert_eq!(failed.deployment.error_information, Some(failure));
    assert_eq!(
        failed.deployment.complete_time,
        Some(fixtures::created_at() + Duration::minutes(9))
    );
    assert_eq!(store.active_deployment("shop", "live").await, Ok(None));

    let replayed = store.change_status(&first.id, &failing).await.unwrap();
    assert!(!replayed.changed);
    assert_eq!(replayed.deployment, failed.deployment);

    assert_eq!(
        store.create_deployment(&second, None).await,
        Ok(Creation::Created(second.id.clone()))
    );
    // Ending the first again (a replay with a stale view) leaves the new holder alone.
    assert!(matches!(
        store
            .change_status(&first.id, &change(InProgress, Stopped, 10))
            .await,
        Err(StoreError::StaleStatus { actual: Failed, .. })
    ));
    assert_eq!(
        store.active_deployment("shop", "live").await,
        Ok(Some(second.id.clone()))
    );
    store
        .delete_deployment_group("shop", "live")
        .await
        .unwrap_err();
    store
        .change_status(&second.id, &change(Created, Stopped, 11))
        .await
        .unwrap();
    store.delete_deployment_group("shop", "live").await.unwrap();
}

#[tokio::test]
async fn traffic_and_rollback_links_are_recorded_on_existing_deployments() {
    let table = fresh_table().await;
    let store = &table.store;
    let group = table.registered_group("shop", "live").await;
    let deployment = fixtures::lambda_deployment(&group);
    store.create_deployment(&deployment, None).await.unwrap();

    let traffic = TrafficProgress {
        percent: 10,
        step: Some(0),
    };
    store.set_traffic(&deployment.id, &traffic).await.unwrap();
    let rollback = DeploymentId::generate();
    store
        .link_rollback(&deployment.id, &rollback, "rolled back on alarm")
        .await
        .unwrap();
    let stored = store.get_deployment(&deployment.id).await.unwrap().unwrap();
    assert_eq!(stored.traffic, traffic);
    assert_eq!(
        stored.rollback_info.rollback_deployment_id,
        Some(rollback.clone())
    );
    assert_eq!(
        stored.rollback_info.rollback_message.as_deref(),
        Some("rolled back on alarm")
    );
    assert_eq!(stored.status, DeploymentStatus::Created);

    let missing = DeploymentId::generate();
    let not_found = Err(StoreError::NotFound {
        entity: Entity::Deployment,
        name: missing.to_string(),
    });
    assert_eq!(store.set_traffic(&missing, &traffic).await, not_found);
    assert_eq!(
        store.link_rollback(&missing, &rollback, "x").await,
        not_found
    );
    assert_eq!(store.get_deployment(&missing).await, Ok(None));
}
