//! Creating deployments: one active deployment per group, request tokens, rollbacks.

use super::registry::alb_target;
use super::support::fresh_table;
use gradual_core::config::DeploymentConfig;
use gradual_core::deployment::{
    Creator, DeploymentId, DeploymentStatus, ErrorCode, ErrorInformation, RollbackInfo,
    TrafficProgress,
};
use gradual_core::fixtures;
use gradual_core::lifecycle::{Hook, LifecycleEvent};
use gradual_core::ports::DeploymentIndex;
use gradual_core::ports::DeploymentRecords;
use gradual_core::ports::{Creation, DeploymentStore, IdempotencyKey, StatusChange, StoreError};
use std::sync::Arc;
use time::macros::datetime;

#[tokio::test]
async fn a_deployment_reads_back_with_every_field() {
    let table = fresh_table().await;
    let group = table.registered_group("shop", "live").await;
    let mut deployment = fixtures::lambda_deployment(&group);
    let linear =
        DeploymentConfig::predefined("CodeDeployDefault.LambdaLinear10PercentEvery1Minute")
            .unwrap();
    deployment.deployment_config_name = linear.name.clone();
    deployment.schedule = linear.schedule();
    deployment.targets.push(alb_target());
    deployment.hooks.push(Hook {
        event: LifecycleEvent::AfterAllowTraffic,
        function_name: "arn:aws:lambda:us-east-1:123456789012:function:checkout-verify".into(),
    });
    deployment.status = DeploymentStatus::Queued;
    deployment.error_information = Some(ErrorInformation::new(
        ErrorCode::AlarmActive,
        "alarm checkout-errors was in ALARM",
    ));
    deployment.creator = Creator::Autorollback;
    deployment.ignored_alarms = vec!["checkout-latency".into()];
    deployment.rollback_info = RollbackInfo {
        rollback_deployment_id: Some(DeploymentId::generate()),
        rollback_triggering_deployment_id: Some(DeploymentId::generate()),
        rollback_message: Some("rolls back a failed release".into()),
    };
    deployment.traffic = TrafficProgress {
        percent: 30,
        step: Some(2),
    };
    deployment.start_time = Some(datetime!(2026-11-23 10:16:00.123456789 UTC));
    deployment.complete_time = Some(datetime!(2026-11-23 11:16:00 +01:00));

    let creation = table.store.create_deployment(&deployment, None).await;
    assert_eq!(creation, Ok(Creation::Created(deployment.id.clone())));
    assert_eq!(
        table.store.get_deployment(&deployment.id).await,
        Ok(Some(deployment.clone()))
    );
    assert_eq!(
        table.store.active_deployment("shop", "live").await,
        Ok(Some(deployment.id.clone()))
    );
    assert_eq!(
        table.store.get_deployment(&DeploymentId::generate()).await,
        Ok(None)
    );
    assert_eq!(
        table.store.active_deployment("shop", "beta").await,
        Ok(None)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_fifty_concurrent_creates_on_one_group_exactly_one_wins() {
    let table = fresh_table().await;
    let group = table.registered_group("shop", "live").await;
    let store = Arc::new(table.store.clone());
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let store = Arc::clone(&store);
            let deployment = fixtures::lambda_deployment(&group);
            tokio::spawn(async move {
                let result = store.create_deployment(&deployment, None).await;
                (deployment.id, result)
            })
        })
        .collect();
    let mut winners = Vec::new();
    let mut refusals = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            (id, Ok(Creation::Created(created))) => {
                assert_eq!(created, id);
                winners.push(id);
            }
            (_, Err(StoreError::ActiveDeploymentExists { group, active })) => {
                refusals.push((group, active))
            }
            (id, other) => panic!("{id}: unexpected {other:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "winners: {winners:?}");
    let winner = winners.pop().unwrap();
    assert_eq!(refusals.len(), 49);
    for (group_key, active) in refusals {
        assert_eq!(group_key, "shop/live");
        assert_eq!(active.as_ref(), Some(&winner));
    }
    assert_eq!(table.deployments_of(&group).await, vec![winner.clone()]);
    assert_eq!(
        table.store.active_deployment("shop", "live").await,
        Ok(Some(winner))
    );
}

#[tokio::test]
async fn a_request_token_returns_its_deployment_and_refuses_another_request() {
    let table = fresh_table().await;
    let group = table.registered_group("shop", "live").await;
    let key = IdempotencyKey {
        token: "release-2".into(),
        fingerprint: "sha256:aaaa".into(),
    };
    let first = fixtures::lambda_deployment(&group);
    assert_eq!(
        table.store.create_deployment(&first, Some(&key)).await,
        Ok(Creation::Created(first.id.clone()))
    );

    // A retry builds a new deployment (new id) for the same request.
    let retry = fixtures::lambda_deployment(&group);
    assert_eq!(
        table.store.create_deployment(&retry, Some(&key)).await,
        Ok(Creation::AlreadyCreated(first.id.clone()))
    );
    assert_eq!(table.store.get_deployment(&retry.id).await, Ok(None));
    assert_eq!(table.deployments_of(&group).await, vec![first.id.clone()]);

    // The token stays taken after its deployment ended and freed the slot.
    end(&table.store, &first.id).await;
    let items = table.item_count().await;
    let other_request = IdempotencyKey {
        fingerprint: "sha256:bbbb".into(),
        ..key.clone()
    };
    let other = fixtures::lambda_deployment(&group);
    assert_eq!(
        table
            .store
            .create_deployment(&other, Some(&other_request))
            .await,
        Err(StoreError::TokenReused {
            token: "release-2".into(),
            deployment_id: first.id.clone()
        })
    );
    assert_eq!(table.item_count().await, items, "a refused create wrote");
    assert_eq!(
        table.store.active_deployment("shop", "live").await,
        Ok(None)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_retries_of_one_request_get_one_deployment() {
    let table = fresh_table().await;
    let group = table.registered_group("shop", "live").await;
    let store = Arc::new(table.store.clone());
    let key = IdempotencyKey {
        token: "pipeline-run-7".into(),
        fingerprint: "sha256:cccc".into(),
    };
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (store, key) = (Arc::clone(&store), key.clone());
            let deployment = fixtures::lambda_deployment(&group);
            tokio::spawn(async move { store.create_deployment(&deployment, Some(&key)).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap().expect("a repeat is not an error"));
    }
    let created: Vec<_> = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Creation::Created(_)))
        .collect();
    assert_eq!(created.len(), 1, "{outcomes:?}");
    let id = created[0].id().clone();
    assert!(
        outcomes.iter().all(|outcome| outcome.id() == &id),
        "{outcomes:?}"
    );
    assert_eq!(table.deployments_of(&group).await, vec![id]);
}

#[tokio::test]
async fn a_rollback_takes_over_the_slot_of_the_deployment_it_rolls_back() {
    let table = fresh_table().await;
    let group = table.registered_group("shop", "live").await;
    let failing = fixtures::lambda_deployment(&group);
    table.store.create_deployment(&failing, None).await.unwrap();

    let mut unrelated = fixtures::lambda_deployment(&group);
    unrelated.rollback_info.rollback_triggering_deployment_id = Some(DeploymentId::generate());
    assert_eq!(
        table.store.create_deployment(&unrelated, None).await,
        Err(StoreError::ActiveDeploymentExists {
            group: "shop/live".into(),
            active: Some(failing.id.clone())
        })
    );

    let mut rollback = fixtures::lambda_deployment(&group);
    rollback.creator = Creator::Autorollback;
    rollback.rollback_info.rollback_triggering_deployment_id = Some(failing.id.clone());
    assert_eq!(
        table.store.create_deployment(&rollback, None).await,
        Ok(Creation::Created(rollback.id.clone()))
    );
    assert_eq!(
        table.store.active_deployment("shop", "live").await,
        Ok(Some(rollback.id.clone()))
    );

    // The rolled-back deployment still ends, and leaves the rollback's slot alone.
    end(&table.store, &failing.id).await;
    assert_eq!(
        table.store.active_deployment("shop", "live").await,
        Ok(Some(rollback.id.clone()))
    );
    table
        .store
        .link_rollback(&failing.id, &rollback.id, "alarm checkout-errors")
        .await
        .unwrap();
    let failed = table
        .store
        .get_deployment(&failing.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(failed.status, DeploymentStatus::Stopped);
    assert_eq!(
        failed.rollback_info,
        RollbackInfo {
            rollback_deployment_id: Some(rollback.id.clone()),
            rollback_triggering_deployment_id: None,
            rollback_message: Some("alarm checkout-errors".into()),
        }
    );
    // A second rollback of the same deployment cannot displace the first.
    let mut again = fixtures::lambda_deployment(&group);
    again.rollback_info.rollback_triggering_deployment_id = Some(failing.id.clone());
    assert_eq!(
        table.store.create_deployment(&again, None).await,
        Err(StoreError::ActiveDeploymentExists {
            group: "shop/live".into(),
            active: Some(rollback.id)
        })
    );
}

/// Stops a Created deployment.
pub async fn end(store: &impl DeploymentStore, id: &DeploymentId) {
    let change = StatusChange {
        expected: DeploymentStatus::Created,
        next: DeploymentStatus::Stopped,
        error_information: None,
        at: fixtures::created_at(),
    };
    store
        .change_status(id, &change)
        .await
        .expect("stop the deployment");
}
