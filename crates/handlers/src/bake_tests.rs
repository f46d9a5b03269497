//! `bake` on the state store in memory: a bake registers the wait a stop can cut short, and
//! does not begin once a stop was requested.

use crate::test_support::{run, World};
use gradual_core::ports::{Clock, DeploymentSignals, StopRequest};
use gradual_core::{DeploymentId, DeploymentStatus, ErrorCode};
use serde_json::{json, Value};

fn bake(id: &DeploymentId, task_token: &str) -> Value {
    json!({
        "deploymentId": id,
        "step": 0,
        "percent": 10,
        "bakeSeconds": 300,
        "taskToken": task_token
    })
}

#[tokio::test]
async fn a_bake_registers_its_wait_and_a_stop_cuts_it_short() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;

    let answer = run(&world.bake(), bake(&id, "bake-token")).await;

    assert_eq!(answer, Ok(json!({"status": "Baking"})));
    assert_eq!(world.deployment(&id).await.status, DeploymentStatus::Baking);
    assert!(
        world.history_keys(&id).await.contains(&"bake:0".to_owned()),
        "{:?}",
        world.history_keys(&id).await
    );
    let stop = json!({"deploymentId": id});
    run(&world.stop_deployment(), stop).await.unwrap();
    assert_eq!(
        world.workflow.failed_tasks(),
        [(
            "bake-token".to_owned(),
            "MANUAL_STOP".to_owned(),
            "stopped on request".to_owned()
        )]
    );
}

#[tokio::test]
async fn a_bake_after_a_stop_does_not_begin_and_fails_with_manual_stop() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    let stop = json!({"deploymentId": id});
    run(&world.stop_deployment(), stop).await.unwrap();
    let history = world.history_keys(&id).await;

    let error = run(&world.bake(), bake(&id, "bake-token"))
        .await
        .unwrap_err();

    assert_eq!(error.error_type(), "MANUAL_STOP");
    assert_eq!(error.to_string(), "stopped on request");
    let deployment = world.deployment(&id).await;
    assert_eq!(deployment.status, DeploymentStatus::InProgress);
    assert_eq!(world.history_keys(&id).await, history);
    // No wait was registered: nothing for a later stop to cut short.
    assert_eq!(world.workflow.failed_tasks(), []);
    let again = StopRequest {
        code: ErrorCode::ManualStop,
        message: "stopped again".to_owned(),
        roll_back: false,
        at: world.clock.now(),
    };
    let outcome = world.store.request_stop(&id, &again).await.unwrap();
    assert_eq!(outcome.waiting_task_token, None);
    assert!(!outcome.first_request);
}

#[tokio::test]
async fn a_bake_after_an_alarm_fails_with_the_alarm_s_code() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    let request = StopRequest {
        code: ErrorCode::AlarmActive,
        message: "alarm checkout-errors is in ALARM".to_owned(),
        roll_back: false,
        at: world.clock.now(),
    };
    world.store.request_stop(&id, &request).await.unwrap();

    let error = run(&world.bake(), bake(&id, "bake-token"))
        .await
        .unwrap_err();

    assert_eq!(error.error_type(), "ALARM_ACTIVE");
    assert_eq!(error.to_string(), "alarm checkout-errors is in ALARM");
    assert_eq!(
        world.deployment(&id).await.status,
        DeploymentStatus::InProgress
    );
}
