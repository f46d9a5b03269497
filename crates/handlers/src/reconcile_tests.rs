//! Reconciliation on the state store in memory: a deployment whose workflow ended outside its
//! failure path ends as that path would have ended it, traffic goes home by the group's rules,
//! the group is freed, and a replayed event changes nothing.

use crate::test_support::{run, World};
use gradual_core::ports::{DeploymentIndex, RouterError};
use gradual_core::traffic::{MemoryRouter, TrafficAction};
use gradual_core::{DeploymentGroup, DeploymentId, DeploymentStatus, ErrorCode};
use serde_json::{json, Value};
use std::sync::Arc;

/// Step Functions' event for the end of a deployment's execution.
fn execution_ended(id: &DeploymentId, status: &str, error: &str, cause: &str) -> Value {
    let arn = format!("arn:aws:states:us-east-1:123456789012:execution:gradual-deployment:{id}");
    json!({
        "version": "0",
        "id": "315c1398-40ff-a850-213b-158f73e60175",
        "detail-type": "Step Functions Execution Status Change",
        "source": "aws.states",
        "account": "123456789012",
        "time": "2026-11-23T10:20:00Z",
        "region": "us-east-1",
        "resources": [arn],
        "detail": {
            "executionArn": arn,
            "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:gradual-deployment",
            "name": id,
            "status": status,
            "startDate": 1_795_420_800_000_u64,
            "stopDate": 1_795_421_100_000_u64,
            "input": json!({"deploymentId": id}).to_string(),
            "inputDetails": {"included": true},
            "output": null,
            "outputDetails": null,
            "error": error,
            "cause": cause
        }
    })
}

async fn assert_group_free(world: &World) {
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(None),
        "the group is free"
    );
}

fn alias() -> Arc<MemoryRouter> {
    Arc::new(MemoryRouter::new("alias checkout:live", "1", "2"))
}

/// A started deployment with 10 % of traffic on the new version.
async fn shifted(world: &World, group: &DeploymentGroup, router: &MemoryRouter) -> DeploymentId {
    let id = world.started_deployment(group).await;
    router.change_out_of_band(10);
    id
}

/// A world whose group (as `adjust` leaves it) runs a deployment with 10 % on the new
/// version of its alias.
async fn shifted_world(
    adjust: impl FnOnce(&mut DeploymentGroup),
) -> (World, DeploymentGroup, Arc<MemoryRouter>, DeploymentId) {
    let world = World::new();
    let group = world.group("shop", "checkout", adjust).await;
    let router = alias();
    let id = shifted(&world, &group, &router).await;
    (world, group, router, id)
}

fn reconcile(world: &World, router: Arc<MemoryRouter>) -> crate::reconcile::Reconcile {
    crate::reconcile::Reconcile {
        reconciler: world.reconciler(router),
    }
}

#[tokio::test]
async fn an_execution_stopped_in_the_console_ends_the_deployment_and_brings_traffic_home() {
    let (world, group, router, id) = shifted_world(|_| {}).await;
    let event = execution_ended(&id, "ABORTED", "", "");

    let answer = run(&reconcile(&world, router.clone()), event.clone())
        .await
        .unwrap();

    assert_eq!(
        answer,
        json!({"deploymentId": id, "outcome": "rolled-back", "status": "Failed"})
    );
    assert_eq!(router.percent_on_new(), 0, "traffic is home");
    let ended = world.deployment(&id).await;
    let error = ended.error_information.clone().unwrap();
    assert_eq!(error.code, ErrorCode::ManualStop);
    assert_eq!(
        error.message,
        "its workflow execution was stopped outside gradual"
    );
    let rollback_id = ended.rollback_info.rollback_deployment_id.clone().unwrap();
    assert_eq!(
        world.deployment(&rollback_id).await.status,
        DeploymentStatus::Succeeded
    );
    assert_group_free(&world).await;
    assert_eq!(
        world.notifier.event_names(),
        ["DeploymentStart", "DeploymentRollback", "DeploymentFailure"]
    );

    // EventBridge delivers at least once: a replay changes nothing.
    let before = world.snapshot(&group, &[&id, &rollback_id]).await;
    let writes = router.writes();
    let replay = run(&reconcile(&world, router.clone()), event)
        .await
        .unwrap();
    assert_eq!(replay["outcome"], "already-ended");
    assert_eq!(world.snapshot(&group, &[&id, &rollback_id]).await, before);
    assert_eq!(router.writes(), writes);
}

#[tokio::test]
async fn a_runtime_error_fails_the_deployment_with_its_cause() {
    let (world, _, router, id) = shifted_world(|_| {}).await;
    let event = execution_ended(
        &id,
        "FAILED",
        "States.Runtime",
        "The JSONPath '$.outcome' specified for the field 'Variable' could not be found",
    );

    run(&reconcile(&world, router.clone()), event)
        .await
        .unwrap();

    let error = world.deployment(&id).await.error_information.unwrap();
    assert_eq!(error.code, ErrorCode::InternalError);
    assert_eq!(
        error.message,
        "its workflow execution failed outside its failure path (States.Runtime: The JSONPath \
         '$.outcome' specified for the field 'Variable' could not be found)"
    );
    assert_eq!(router.percent_on_new(), 0);
}

#[tokio::test]
async fn without_rollback_on_failure_the_deployment_ends_and_traffic_stays() {
    let (world, _, router, id) = shifted_world(|group| {
        group.auto_rollback_configuration.enabled = false;
    })
    .await;

    let answer = run(
        &reconcile(&world, router.clone()),
        execution_ended(&id, "TIMED_OUT", "States.Timeout", ""),
    )
    .await
    .unwrap();

    assert_eq!(
        answer,
        json!({"deploymentId": id, "outcome": "ended", "status": "Failed"})
    );
    assert_eq!(
        world.deployment(&id).await.error_information.unwrap().code,
        ErrorCode::Timeout
    );
    assert_eq!(
        router.percent_on_new(),
        10,
        "the group keeps traffic where it is"
    );
    assert_group_free(&world).await;
    assert_eq!(
        world.notifier.event_names(),
        ["DeploymentStart", "DeploymentFailure"]
    );
}

#[tokio::test]
async fn a_workflow_that_died_while_rolling_back_has_its_rollback_finished() {
    let (world, _, router, id) = shifted_world(|_| {}).await;
    // The workflow recorded the failure, then died before its rollback.
    let fail = json!({
        "deploymentId": id, "action": "fail",
        "failure": {"Error": "HOOK_EXECUTION_FAILURE", "Cause": "smoke test failed"}
    });
    run(&world.record_status(), fail).await.unwrap();
    let rollback_id = world
        .deployment(&id)
        .await
        .rollback_info
        .rollback_deployment_id
        .unwrap();

    let answer = run(
        &reconcile(&world, router.clone()),
        execution_ended(&id, "FAILED", "States.Runtime", "lost"),
    )
    .await
    .unwrap();

    assert_eq!(answer["outcome"], "rolled-back");
    assert_eq!(router.percent_on_new(), 0);
    let failed = world.deployment(&id).await;
    assert_eq!(
        failed.error_information.unwrap().code,
        ErrorCode::HookExecutionFailure,
        "the failure the workflow recorded stands"
    );
    assert_eq!(
        world.deployment(&rollback_id).await.status,
        DeploymentStatus::Succeeded
    );
    assert_group_free(&world).await;
}

#[tokio::test]
async fn an_outage_during_the_rollback_is_left_for_the_retry_which_finishes_it() {
    let (world, _, router, id) = shifted_world(|_| {}).await;
    router.fail_on(
        TrafficAction::Rollback,
        RouterError::Unavailable {
            resource: "alias checkout:live".to_owned(),
            operation: "UpdateAlias",
            message: "Rate exceeded".to_owned(),
        },
    );
    let event = execution_ended(&id, "ABORTED", "", "");

    let error = run(&reconcile(&world, router.clone()), event.clone())
        .await
        .unwrap_err();

    assert_eq!(error.error_type(), "ServiceUnavailable", "{error}");
    assert_eq!(router.percent_on_new(), 10);
    let rollback_id = world
        .deployment(&id)
        .await
        .rollback_info
        .rollback_deployment_id
        .unwrap();
    assert!(!world.deployment(&rollback_id).await.status.is_terminal());

    // Lambda retries the event; the alias answers again.
    let recovered = alias();
    recovered.change_out_of_band(10);
    let answer = run(&reconcile(&world, recovered.clone()), event)
        .await
        .unwrap();
    assert_eq!(answer["outcome"], "rolled-back");
    assert_eq!(recovered.percent_on_new(), 0);
    assert_eq!(
        world.deployment(&rollback_id).await.status,
        DeploymentStatus::Succeeded
    );
}

#[tokio::test]
async fn an_event_that_is_no_execution_end_of_a_deployment_changes_nothing() {
    let (world, group, router, id) = shifted_world(|_| {}).await;
    let before = world.snapshot(&group, &[&id]).await;
    let mut other_source = execution_ended(&id, "ABORTED", "", "");
    other_source["source"] = json!("aws.ec2");
    let mut not_a_deployment = execution_ended(&id, "ABORTED", "", "");
    not_a_deployment["detail"]["name"] = json!("nightly-report");
    let succeeded = execution_ended(&id, "SUCCEEDED", "", "");

    for (event, expected) in [
        (
            other_source,
            "source/detail-type: an event from \"aws.ec2\"",
        ),
        (
            not_a_deployment,
            "detail.name: execution \"nightly-report\" is not named after a deployment",
        ),
        (
            succeeded,
            "detail.status: \"SUCCEEDED\" is not an ending to reconcile",
        ),
    ] {
        let error = run(&reconcile(&world, router.clone()), event)
            .await
            .unwrap_err();
        assert_eq!(error.error_type(), "InvalidInput");
        assert!(error.to_string().starts_with(expected), "{error}");
    }
    assert_eq!(world.snapshot(&group, &[&id]).await, before);
    assert_eq!(router.percent_on_new(), 10);
}

#[tokio::test]
async fn a_stop_of_a_deployment_without_a_running_workflow_ends_it_at_once() {
    let (world, _, router, id) = shifted_world(|_| {}).await;
    world.workflow.end(id.as_str());

    let answer = run(
        &world.stop_deployment_with(router.clone()),
        json!({"deploymentId": id, "autoRollbackEnabled": true}),
    )
    .await
    .unwrap();

    assert_eq!(
        answer,
        json!({
            "status": "Succeeded",
            "statusMessage": format!(
                "no workflow was running for {id}: it ended Stopped, traffic rolled back"
            )
        })
    );
    let stopped = world.deployment(&id).await;
    assert_eq!(stopped.status, DeploymentStatus::Stopped);
    assert_eq!(
        stopped.error_information.unwrap().message,
        "stopped on request, rolling back"
    );
    assert_eq!(router.percent_on_new(), 0);
    assert_group_free(&world).await;
    assert_eq!(
        world.notifier.event_names(),
        ["DeploymentStart", "DeploymentStop", "DeploymentRollback"]
    );
}

#[tokio::test]
async fn an_ended_deployment_whose_last_records_were_lost_has_them_written() {
    use gradual_core::ports::{DeploymentRecords, StatusChange};
    let (world, _, router, id) = shifted_world(|group| {
        group.auto_rollback_configuration.enabled = false;
    })
    .await;
    // The workflow's failure step changed the status, then died before its history record
    // and its trigger.
    let change = StatusChange {
        expected: DeploymentStatus::InProgress,
        next: DeploymentStatus::Failed,
        error_information: Some(gradual_core::ErrorInformation::new(
            ErrorCode::HookExecutionFailure,
            "smoke test failed",
        )),
        at: world.deployment(&id).await.create_time,
    };
    world.store.change_status(&id, &change).await.unwrap();
    assert!(!world
        .history_keys(&id)
        .await
        .contains(&"status:Failed".to_owned()));

    let answer = run(
        &reconcile(&world, router.clone()),
        execution_ended(
            &id,
            "FAILED",
            "ServiceUnavailable",
            "a bookkeeping step failed",
        ),
    )
    .await
    .unwrap();

    assert_eq!(answer["outcome"], "already-ended");
    assert!(
        world
            .history_keys(&id)
            .await
            .contains(&"status:Failed".to_owned()),
        "{:?}",
        world.history_keys(&id).await
    );
    assert_eq!(
        world.notifier.event_names(),
        ["DeploymentStart", "DeploymentFailure"]
    );
}

#[tokio::test]
async fn a_rollback_created_as_the_deployment_succeeded_ends_without_moving_traffic() {
    use gradual_core::deployment::token::rollback_token;
    use gradual_core::ports::{DeploymentRecords, IdempotencyKey, StatusChange};
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let router = alias();
    let id = world.started_deployment(&group).await;
    router.change_out_of_band(100);
    // A failure being recorded created the rollback, which took over the group, while the
    // success was recorded.
    let deployment = world.deployment(&id).await;
    let rollback = deployment.rollback(deployment.create_time);
    let key = IdempotencyKey {
        token: rollback_token(&id),
        fingerprint: id.to_string(),
    };
    world
        .store
        .create_deployment(&rollback, Some(&key))
        .await
        .unwrap();
    world
        .store
        .link_rollback(&id, &rollback.id, "rolled back after INTERNAL_ERROR")
        .await
        .unwrap();
    let change = StatusChange {
        expected: DeploymentStatus::InProgress,
        next: DeploymentStatus::Succeeded,
        error_information: None,
        at: deployment.create_time,
    };
    world.store.change_status(&id, &change).await.unwrap();

    let answer = run(
        &reconcile(&world, router.clone()),
        execution_ended(&id, "ABORTED", "", ""),
    )
    .await
    .unwrap();

    assert_eq!(answer["status"], "Succeeded");
    assert_eq!(router.percent_on_new(), 100, "the success stands");
    assert_eq!(router.writes(), 0);
    let abandoned = world.deployment(&rollback.id).await;
    assert_eq!(abandoned.status, DeploymentStatus::Stopped);
    assert_eq!(
        abandoned.error_information.unwrap().message,
        format!("not needed: {id} succeeded before its failure was recorded")
    );
    assert_group_free(&world).await;
}
