//! Stop signals: a registered wait and a stop request meet on the deployment item, whichever
//! comes first.

use super::creation::end;
use super::support::{fresh_table, RawItem};
use aws_sdk_dynamodb::types::AttributeValue;
use gradual_core::deployment::{DeploymentId, DeploymentStatus, ErrorCode, IllegalTransition};
use gradual_core::fixtures;
use gradual_core::ports::DeploymentRecords;
use gradual_core::ports::{
    DeploymentSignals, DeploymentStore, Entity, StatusChange, StopOutcome, StopRequest, StoreError,
};
use std::sync::Arc;
use time::Duration;
use tokio::sync::Barrier;

fn stop(code: ErrorCode, message: &str) -> StopRequest {
    StopRequest {
        code,
        message: message.to_owned(),
        roll_back: true,
        at: fixtures::created_at() + Duration::minutes(5),
    }
}

fn wait_token(item: &RawItem) -> Option<&AttributeValue> {
    item.get("waitToken")
}

#[tokio::test]
async fn a_stop_after_a_wait_gets_its_token_and_the_first_stop_stands() {
    let table = fresh_table().await;
    let store = &table.store;
    let id = table.created_deployment("live").await;
    assert_eq!(store.stop_request(&id).await, Ok(None));

    store.register_wait(&id, "bake-token-1").await.unwrap();
    // The workflow retried the task: registering again is fine, the latest token counts.
    store.register_wait(&id, "bake-token-2").await.unwrap();
    store.register_wait(&id, "bake-token-2").await.unwrap();
    assert_eq!(
        wait_token(&table.raw_deployment(&id).await),
        Some(&AttributeValue::S("bake-token-2".into()))
    );

    let first = stop(ErrorCode::ManualStop, "stopped by alice");
    assert_eq!(
        store.request_stop(&id, &first).await,
        Ok(StopOutcome {
            waiting_task_token: Some("bake-token-2".into()),
            first_request: true
        })
    );
    assert_eq!(store.stop_request(&id).await, Ok(Some(first.clone())));

    let second = StopRequest {
        roll_back: false,
        ..stop(ErrorCode::AlarmActive, "alarm checkout-errors is in ALARM")
    };
    assert_eq!(
        store.request_stop(&id, &second).await,
        Ok(StopOutcome {
            waiting_task_token: Some("bake-token-2".into()),
            first_request: false
        })
    );
    assert_eq!(store.stop_request(&id).await, Ok(Some(first)));
    // Recording the stop left the deployment itself alone.
    let deployment = store.get_deployment(&id).await.unwrap().unwrap();
    assert_eq!(deployment.status, DeploymentStatus::Created);
}

#[tokio::test]
async fn a_wait_after_a_stop_is_refused_with_its_message() {
    let table = fresh_table().await;
    let store = &table.store;
    let id = table.created_deployment("live").await;
    let request = stop(ErrorCode::ManualStop, "stopped by alice");
    assert_eq!(
        store.request_stop(&id, &request).await,
        Ok(StopOutcome {
            waiting_task_token: None,
            first_request: true
        })
    );

    let before = table.raw_deployment(&id).await;
    let refused = store.register_wait(&id, "hook-token").await;
    assert_eq!(
        refused,
        Err(StoreError::StopRequested {
            id: id.clone(),
            message: "stopped by alice".into()
        })
    );
    assert_eq!(
        refused.unwrap_err().to_string(),
        format!("deployment {id} was asked to stop: stopped by alice")
    );
    let after = table.raw_deployment(&id).await;
    assert_eq!(wait_token(&after), None);
    assert_eq!(after, before);
}

#[tokio::test]
async fn an_ended_deployment_cannot_be_stopped() {
    use DeploymentStatus::*;
    let table = fresh_table().await;
    let store = &table.store;
    let succeeded = table.created_deployment("live").await;
    succeed(store, &succeeded).await;
    store.register_wait(&succeeded, "bake-token").await.unwrap();
    let stopped = table.created_deployment("beta").await;
    end(store, &stopped).await;

    for (id, status) in [(&succeeded, Succeeded), (&stopped, Stopped)] {
        let before = table.raw_deployment(id).await;
        let refused = store
            .request_stop(id, &stop(ErrorCode::ManualStop, "too late"))
            .await;
        assert_eq!(
            refused,
            Err(StoreError::IllegalTransition {
                id: id.clone(),
                source: IllegalTransition {
                    from: status,
                    to: Stopped
                }
            })
        );
        assert_eq!(
            refused.unwrap_err().to_string(),
            format!("deployment {id}: a deployment cannot go from {status} to Stopped")
        );
        assert_eq!(table.raw_deployment(id).await, before);
        assert_eq!(store.stop_request(id).await, Ok(None));
    }
}

#[tokio::test]
async fn signals_for_a_missing_deployment_are_not_found_and_write_nothing() {
    let table = fresh_table().await;
    let store = &table.store;
    table.created_deployment("live").await;
    let count = table.item_count().await;
    let missing = DeploymentId::generate();
    let not_found = StoreError::NotFound {
        entity: Entity::Deployment,
        name: missing.to_string(),
    };
    assert_eq!(
        store.register_wait(&missing, "token").await,
        Err(not_found.clone())
    );
    assert_eq!(
        store
            .request_stop(&missing, &stop(ErrorCode::ManualStop, "stop"))
            .await,
        Err(not_found.clone())
    );
    assert_eq!(store.stop_request(&missing).await, Err(not_found));
    assert_eq!(table.item_count().await, count);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_a_racing_wait_and_stop_the_second_always_sees_the_first() {
    const PAIRS: usize = 20;
    let table = fresh_table().await;
    let mut ids = Vec::new();
    for pair in 0..PAIRS {
        ids.push(table.created_deployment(&format!("group-{pair}")).await);
    }
    let store = Arc::new(table.store.clone());
    let start = Arc::new(Barrier::new(2 * PAIRS));
    let races: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(pair, id)| {
            let token = format!("token-{pair}");
            let wait = tokio::spawn({
                let (store, start, id, token) =
                    (store.clone(), start.clone(), id.clone(), token.clone());
                async move {
                    start.wait().await;
                    store.register_wait(&id, &token).await
                }
            });
            let stop = tokio::spawn({
                let (store, start, id) = (store.clone(), start.clone(), id.clone());
                async move {
                    start.wait().await;
                    let request = stop(ErrorCode::ManualStop, &format!("stop {id}"));
                    store.request_stop(&id, &request).await
                }
            });
            (id.clone(), token, wait, stop)
        })
        .collect();

    let (mut waits_first, mut stops_first) = (0, 0);
    for (id, token, wait, stop) in races {
        let registered = wait.await.unwrap();
        let outcome = stop.await.unwrap().unwrap();
        assert!(outcome.first_request, "{id}");
        match (registered, outcome.waiting_task_token) {
            (Ok(()), Some(seen)) if seen == token => waits_first += 1,
            (Err(StoreError::StopRequested { id: refused, .. }), None) if refused == id => {
                stops_first += 1
            }
            (registered, seen) => {
                panic!("deployment {id}: the wait gave {registered:?}, the stop saw {seen:?}")
            }
        }
    }
    assert_eq!(waits_first + stops_first, PAIRS);
    println!("of {PAIRS} races, the wait came first in {waits_first}, the stop in {stops_first}");
}

/// Created → InProgress → Succeeded.
async fn succeed(store: &impl DeploymentStore, id: &DeploymentId) {
    use DeploymentStatus::*;
    for (expected, next) in [(Created, InProgress), (InProgress, Succeeded)] {
        let change = StatusChange {
            expected,
            next,
            error_information: None,
            at: fixtures::created_at(),
        };
        store
            .change_status(id, &change)
            .await
            .unwrap_or_else(|error| panic!("{expected} → {next}: {error}"));
    }
}
