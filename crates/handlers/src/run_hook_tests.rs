//! `run-hook` on the state store in memory: a step Step Functions runs again after the hook has
//! reported hands the recorded status to the new attempt's task.

use crate::test_support::{run, World};
use gradual_core::ports::{HookExecutionStatus, HookExecutionStore};
use serde_json::json;

fn run_hook(id: &gradual_core::DeploymentId, task_token: &str) -> serde_json::Value {
    json!({
        "deploymentId": id,
        "lifecycleEvent": "BeforeAllowTraffic",
        "taskToken": task_token,
    })
}

#[tokio::test]
async fn a_new_attempt_after_the_report_is_resumed_with_the_reported_status() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    run(&world.run_hook(), run_hook(&id, "token-of-attempt-1"))
        .await
        .unwrap();
    let invoked = world.invoker.invoked();
    let [(function, payload)] = invoked.as_slice() else {
        panic!("the hook is invoked once: {invoked:?}");
    };
    assert_eq!(function, "checkout-smoke-test");
    let report = json!({
        "deploymentId": id,
        "lifecycleEventHookExecutionId": payload.lifecycle_event_hook_execution_id,
        "status": "Succeeded",
    });
    run(&world.hook_callback(), report).await.unwrap();
    assert_eq!(world.workflow.succeeded_tasks().len(), 1);
    assert_eq!(world.workflow.succeeded_tasks()[0].0, "token-of-attempt-1");

    // The first attempt's answer was lost: Step Functions runs the step again, with a new token.
    let answer = run(&world.run_hook(), run_hook(&id, "token-of-attempt-2")).await;

    assert_eq!(
        answer,
        Ok(json!({"lifecycleEvent": "BeforeAllowTraffic", "status": "InProgress"}))
    );
    let resumed = world.workflow.succeeded_tasks();
    assert_eq!(resumed.len(), 2, "{resumed:?}");
    assert_eq!(resumed[1].0, "token-of-attempt-2");
    assert_eq!(resumed[1].1["status"], json!("Succeeded"));
    assert_eq!(
        world.invoker.invoked().len(),
        1,
        "the hook is not invoked again"
    );
    let execution = world
        .store
        .get_hook_execution(&payload.lifecycle_event_hook_execution_id)
        .await
        .unwrap()
        .expect("the execution is kept");
    assert_eq!(execution.status, HookExecutionStatus::Succeeded);
}
