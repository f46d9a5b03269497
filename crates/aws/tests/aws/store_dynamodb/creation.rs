//! Creating deployments: one active deployment per group under concurrent creates, and request
//! tokens (with what a refused create leaves in the table). The rest of the contract is checked
//! by `store_contract`.

use super::support::fresh_table;
use gradual_core::deployment::{DeploymentId, DeploymentStatus};
use gradual_core::fixtures;
use gradual_core::ports::DeploymentIndex;
use gradual_core::ports::DeploymentRecords;
use gradual_core::ports::{Creation, DeploymentStore, IdempotencyKey, StatusChange, StoreError};
use std::sync::Arc;

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
