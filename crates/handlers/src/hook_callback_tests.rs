//! `hook-callback` on the state store in memory: a report whose workflow could not be resumed
//! is taken again when the hook retries it, and refused as a second report once the workflow
//! has been resumed.

use crate::test_support::{run, World};
use gradual_core::ports::{HookExecutionStatus, HookExecutionStore};
use serde_json::{json, Value};

#[tokio::test]
async fn a_report_retried_after_the_workflow_could_not_be_resumed_resumes_it() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    let wait = json!({
        "deploymentId": id,
        "lifecycleEvent": "BeforeAllowTraffic",
        "taskToken": "token-of-the-hook-wait",
    });
    run(&world.run_hook(), wait).await.unwrap();
    let execution_id = world.invoker.invoked()[0]
        .1
        .lifecycle_event_hook_execution_id
        .clone();
    let report: Value = json!({
        "deploymentId": id,
        "lifecycleEventHookExecutionId": execution_id,
        "status": "Succeeded",
    });
    world.workflow.fail_next_task_answers(1);

    let first = run(&world.hook_callback(), report.clone()).await;
    assert_eq!(
        first
            .as_ref()
            .map_err(|error| error.error_type().to_owned()),
        Err("ServiceUnavailable".to_owned()),
        "{first:?}"
    );
    assert!(world.workflow.succeeded_tasks().is_empty());

    // The hook retries its report, as it does for any error of the call.
    let retried = run(&world.hook_callback(), report.clone()).await;

    assert_eq!(
        retried,
        Ok(json!({"lifecycleEventHookExecutionId": execution_id}))
    );
    let resumed = world.workflow.succeeded_tasks();
    assert_eq!(resumed.len(), 1, "{resumed:?}");
    assert_eq!(resumed[0].0, "token-of-the-hook-wait");
    let execution = world
        .store
        .get_hook_execution(&execution_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(execution.status, HookExecutionStatus::Succeeded);
    assert_eq!(
        world
            .history_keys(&id)
            .await
            .iter()
            .filter(|key| key.as_str() == "lifecycle:BeforeAllowTraffic:Succeeded")
            .count(),
        1
    );

    // Once the workflow is resumed, the same report again is a second report.
    let third = run(&world.hook_callback(), report).await.unwrap_err();
    assert_eq!(third.error_type(), "InvalidInput");
    assert_eq!(
        third.to_string(),
        format!(
            "lifecycle event hook execution {} already completed with status Succeeded",
            gradual_core::secret::shown(&execution_id)
        )
    );
    assert_eq!(world.workflow.succeeded_tasks().len(), 1);
}
