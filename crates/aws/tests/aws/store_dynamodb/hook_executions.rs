//! Lifecycle event hook executions: one per deployment and event, completed once.

use super::support::{fresh_table, Table};
use aws_sdk_dynamodb::types::AttributeValue;
use gradual_core::deployment::DeploymentId;
use gradual_core::fixtures;
use gradual_core::lifecycle::LifecycleEvent;
use gradual_core::ports::{
    Entity, HookExecution, HookExecutionStatus, HookExecutionStore, StoreError,
};
use std::sync::Arc;
use time::Duration;

fn execution(id: &str, deployment: &DeploymentId, event: LifecycleEvent) -> HookExecution {
    HookExecution {
        id: id.to_owned(),
        deployment_id: deployment.clone(),
        event,
        function_name: "arn:aws:lambda:us-east-1:123456789012:function:checkout-smoke-test"
            .to_owned(),
        task_token: format!("token-of-{id}"),
        status: HookExecutionStatus::Pending,
        started_at: fixtures::created_at() + Duration::milliseconds(61_250),
        expires_at: fixtures::created_at() + Duration::days(30),
    }
}

/// The stored time to live of the item at `partition`/`sort`.
async fn stored_expiry(table: &Table, partition: &str, sort: &str) -> Option<AttributeValue> {
    let item = table.raw_item(partition, sort).await;
    item.and_then(|mut item| item.remove("expiresAt"))
}

#[tokio::test]
async fn an_execution_is_found_by_id_and_by_event_and_expires() {
    use LifecycleEvent::*;
    let table = fresh_table().await;
    let store = &table.store;
    let deployment = table.created_deployment("live").await;
    let before = execution("hook-1", &deployment, BeforeAllowTraffic);
    store.create_hook_execution(&before).await.unwrap();

    assert_eq!(
        store.get_hook_execution("hook-1").await,
        Ok(Some(before.clone()))
    );
    assert_eq!(
        store
            .hook_execution_for(&deployment, BeforeAllowTraffic)
            .await,
        Ok(Some(before.clone()))
    );
    assert_eq!(
        store
            .hook_execution_for(&deployment, AfterAllowTraffic)
            .await,
        Ok(None)
    );
    assert_eq!(store.get_hook_execution("hook-2").await, Ok(None));

    // Both items carry the time to live as epoch seconds, a number.
    let expiry = Some(AttributeValue::N(
        before.expires_at.unix_timestamp().to_string(),
    ));
    assert_eq!(stored_expiry(&table, "HOOK#hook-1", "HOOK").await, expiry);
    let event_partition = format!("DEPLOYMENT#{deployment}");
    assert_eq!(
        stored_expiry(&table, &event_partition, "HOOK#BeforeAllowTraffic").await,
        expiry
    );

    let after = execution("hook-2", &deployment, AfterAllowTraffic);
    store.create_hook_execution(&after).await.unwrap();
    assert_eq!(
        store
            .hook_execution_for(&deployment, AfterAllowTraffic)
            .await,
        Ok(Some(after))
    );
    assert_eq!(
        store
            .hook_execution_for(&deployment, BeforeAllowTraffic)
            .await,
        Ok(Some(before))
    );
}

#[tokio::test]
async fn an_event_has_one_execution_of_an_existing_deployment() {
    use LifecycleEvent::*;
    let table = fresh_table().await;
    let store = &table.store;
    let deployment = table.created_deployment("live").await;
    let first = execution("hook-1", &deployment, BeforeAllowTraffic);
    store.create_hook_execution(&first).await.unwrap();
    let count = table.item_count().await;

    let second = execution("hook-2", &deployment, BeforeAllowTraffic);
    let refused = store.create_hook_execution(&second).await;
    assert_eq!(
        refused,
        Err(StoreError::AlreadyExists {
            entity: Entity::HookExecution,
            name: format!("BeforeAllowTraffic of deployment {deployment}")
        })
    );
    let same_id = execution("hook-1", &deployment, AfterAllowTraffic);
    assert_eq!(
        store.create_hook_execution(&same_id).await,
        Err(StoreError::AlreadyExists {
            entity: Entity::HookExecution,
            name: "hook-1".into()
        })
    );
    let missing = DeploymentId::generate();
    assert_eq!(
        store
            .create_hook_execution(&execution("hook-3", &missing, BeforeAllowTraffic))
            .await,
        Err(StoreError::NotFound {
            entity: Entity::Deployment,
            name: missing.to_string()
        })
    );
    assert_eq!(table.item_count().await, count);
    assert_eq!(store.get_hook_execution("hook-2").await, Ok(None));
    assert_eq!(
        store
            .hook_execution_for(&deployment, BeforeAllowTraffic)
            .await,
        Ok(Some(first))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_concurrent_reports_exactly_one_completes_the_execution() {
    let table = fresh_table().await;
    let deployment = table.created_deployment("live").await;
    let created = execution("hook-1", &deployment, LifecycleEvent::AfterAllowTraffic);
    table.store.create_hook_execution(&created).await.unwrap();
    let store = Arc::new(table.store.clone());
    let reports: Vec<_> = (0..10)
        .map(|report| {
            let store = Arc::clone(&store);
            let status = if report % 2 == 0 {
                HookExecutionStatus::Succeeded
            } else {
                HookExecutionStatus::Failed
            };
            tokio::spawn(async move { store.complete_hook_execution("hook-1", status).await })
        })
        .collect();
    let mut completed = Vec::new();
    let mut refused_with = Vec::new();
    for report in reports {
        match report.await.unwrap() {
            Ok(execution) => completed.push(execution.status),
            Err(StoreError::HookAlreadyCompleted { status, .. }) => refused_with.push(status),
            Err(error) => panic!("{error}"),
        }
    }
    assert_eq!(completed.len(), 1, "{completed:?}");
    let winner = format!("{:?}", completed[0]);
    assert_eq!(refused_with, vec![winner; 9]);
    let stored = store.get_hook_execution("hook-1").await.unwrap().unwrap();
    assert_eq!(stored.status, completed[0]);
}
