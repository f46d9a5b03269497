//! `record-status` on the state store in memory: a failure ends the deployment and hands its
//! group to the rollback, a stop request decides between Stopped and Failed and whether traffic
//! goes back, and replayed steps change and publish nothing more.

use crate::test_support::{run, World};
use gradual_core::ports::{
    Clock, DeploymentIndex, DeploymentRecords, DeploymentSignals, StopRequest, StoreError,
};
use gradual_core::{
    fixtures, Creator, DeploymentId, DeploymentStatus, ErrorCode, ErrorInformation,
};
use serde_json::{json, Value};
use time::Duration;

fn fail(id: &DeploymentId, error: &str, cause: &str) -> Value {
    json!({
        "deploymentId": id,
        "action": "fail",
        "failure": {"Error": error, "Cause": cause}
    })
}

fn hook_failed(id: &DeploymentId) -> Value {
    fail(
        id,
        "HOOK_EXECUTION_FAILURE",
        "BeforeAllowTraffic hook checkout-smoke-test reported Failed",
    )
}

/// The error the workflow catches when a stop fails the task it waits on.
fn stopped_task(id: &DeploymentId, code: &str, message: &str) -> Value {
    let cause = json!({"errorType": code, "errorMessage": message}).to_string();
    fail(id, code, &cause)
}

fn rolled_back(id: &DeploymentId) -> Value {
    json!({"deploymentId": id, "action": "rolled-back"})
}

fn events(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(event, status)| (event.to_string(), status.to_string()))
        .collect()
}

#[tokio::test]
async fn a_failure_creates_the_rollback_which_takes_over_the_group() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    world.clock.advance(Duration::minutes(3));

    let answer = run(&world.record_status(), hook_failed(&id)).await.unwrap();

    let rollback_id: DeploymentId =
        serde_json::from_value(answer["rollbackDeploymentId"].clone()).expect("a rollback id");
    assert_eq!(
        answer,
        json!({"status": "Failed", "rollback": true, "rollbackDeploymentId": rollback_id})
    );
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(Some(rollback_id.clone()))
    );
    let failed = world.deployment(&id).await;
    assert_eq!(failed.status, DeploymentStatus::Failed);
    assert_eq!(
        failed.error_information,
        Some(ErrorInformation::new(
            ErrorCode::HookExecutionFailure,
            "BeforeAllowTraffic hook checkout-smoke-test reported Failed"
        ))
    );
    assert_eq!(failed.complete_time, Some(world.clock.now()));
    assert_eq!(
        failed.rollback_info.rollback_deployment_id,
        Some(rollback_id.clone())
    );
    assert_eq!(
        failed.rollback_info.rollback_message,
        Some(format!(
            "rolled back by {rollback_id} after HOOK_EXECUTION_FAILURE: BeforeAllowTraffic hook checkout-smoke-test reported Failed"
        ))
    );
    let rollback = world.deployment(&rollback_id).await;
    assert_eq!(rollback.status, DeploymentStatus::Created);
    assert_eq!(rollback.creator, Creator::Autorollback);
    assert_eq!(
        rollback.rollback_info.rollback_triggering_deployment_id,
        Some(id.clone())
    );
    assert_eq!(
        rollback.deployment_config_name,
        "CodeDeployDefault.LambdaAllAtOnce"
    );
    assert_eq!(rollback.targets, failed.targets);

    // While traffic goes back, no other deployment can start in the group.
    let next = fixtures::lambda_deployment(&group);
    assert_eq!(
        world.store.create_deployment(&next, None).await,
        Err(StoreError::ActiveDeploymentExists {
            group: "shop/checkout".into(),
            active: Some(rollback_id)
        })
    );
    // The failure is announced once the rollback ends, not before.
    assert_eq!(
        world.notifier.events(),
        events(&[("DeploymentStart", "CREATED")])
    );
}

#[tokio::test]
async fn replayed_fail_and_rolled_back_steps_change_and_publish_nothing_more() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    let record_status = world.record_status();
    let failed = run(&record_status, hook_failed(&id)).await.unwrap();
    let rollback_id: DeploymentId =
        serde_json::from_value(failed["rollbackDeploymentId"].clone()).unwrap();

    let before = world.snapshot(&group, &[&id, &rollback_id]).await;
    world.clock.advance(Duration::minutes(1));
    assert_eq!(
        run(&record_status, hook_failed(&id)).await,
        Ok(failed.clone())
    );
    assert_eq!(world.snapshot(&group, &[&id, &rollback_id]).await, before);

    world.clock.advance(Duration::minutes(1));
    let answer = run(&record_status, rolled_back(&id)).await.unwrap();
    assert_eq!(answer, failed);
    let rollback = world.deployment(&rollback_id).await;
    assert_eq!(rollback.status, DeploymentStatus::Succeeded);
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(None)
    );
    assert_eq!(
        world.notifier.events(),
        events(&[
            ("DeploymentStart", "CREATED"),
            ("DeploymentRollback", "FAILED"),
            ("DeploymentFailure", "FAILED"),
        ])
    );

    let before = world.snapshot(&group, &[&id, &rollback_id]).await;
    world.clock.advance(Duration::minutes(1));
    assert_eq!(
        run(&record_status, rolled_back(&id)).await,
        Ok(failed.clone())
    );
    assert_eq!(world.snapshot(&group, &[&id, &rollback_id]).await, before);
    // And a late replay of the failure leaves the ended rollback as it is.
    assert_eq!(run(&record_status, hook_failed(&id)).await, Ok(failed));
    assert_eq!(world.snapshot(&group, &[&id, &rollback_id]).await, before);
}

#[tokio::test]
async fn a_stop_with_rollback_ends_the_deployment_as_stopped_and_rolls_back() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    let bake = json!({
        "deploymentId": id, "step": 0, "percent": 10, "bakeSeconds": 300, "taskToken": "bake-token"
    });
    run(&world.bake(), bake).await.unwrap();

    let stop = json!({"deploymentId": id, "autoRollbackEnabled": true});
    assert_eq!(
        run(&world.stop_deployment(), stop).await,
        Ok(json!({"status": "Pending", "statusMessage": "stopped on request, rolling back"}))
    );
    // The bake's wait is cut short.
    let message = "stopped on request, rolling back";
    assert_eq!(
        world.workflow.failed_tasks(),
        [(
            "bake-token".to_owned(),
            "MANUAL_STOP".to_owned(),
            message.to_owned()
        )]
    );

    let answer = run(
        &world.record_status(),
        stopped_task(&id, "MANUAL_STOP", message),
    )
    .await
    .unwrap();
    let rollback_id: DeploymentId =
        serde_json::from_value(answer["rollbackDeploymentId"].clone()).expect("a rollback id");
    assert_eq!(
        answer,
        json!({"status": "Stopped", "rollback": true, "rollbackDeploymentId": rollback_id})
    );
    let stopped = world.deployment(&id).await;
    assert_eq!(
        stopped.error_information,
        Some(ErrorInformation::new(ErrorCode::ManualStop, message))
    );
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(Some(rollback_id))
    );
    // A stop asked for by hand is no failure.
    assert_eq!(
        world.notifier.events(),
        events(&[
            ("DeploymentStart", "CREATED"),
            ("DeploymentStop", "STOPPED")
        ])
    );
}

#[tokio::test]
async fn a_stop_without_rollback_ends_the_deployment_as_stopped_and_frees_the_group() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    let stop = json!({"deploymentId": id, "autoRollbackEnabled": false});
    run(&world.stop_deployment(), stop).await.unwrap();

    // Whatever the workflow caught, the stop request decides how the deployment ends.
    let answer = run(&world.record_status(), hook_failed(&id)).await.unwrap();

    assert_eq!(answer, json!({"status": "Stopped", "rollback": false}));
    let stopped = world.deployment(&id).await;
    assert_eq!(
        stopped.error_information,
        Some(ErrorInformation::new(
            ErrorCode::ManualStop,
            "stopped on request"
        ))
    );
    assert_eq!(stopped.rollback_info.rollback_deployment_id, None);
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(None)
    );
    assert_eq!(
        world.notifier.events(),
        events(&[
            ("DeploymentStart", "CREATED"),
            ("DeploymentStop", "STOPPED")
        ])
    );
}

#[tokio::test]
async fn an_alarm_stop_without_rollback_is_announced_as_a_stop_and_a_failure() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    let message = "alarm checkout-errors is in ALARM";
    let request = StopRequest {
        code: ErrorCode::AlarmActive,
        message: message.to_owned(),
        roll_back: false,
        at: world.clock.now(),
    };
    world.store.request_stop(&id, &request).await.unwrap();

    let answer = run(
        &world.record_status(),
        stopped_task(&id, "ALARM_ACTIVE", message),
    )
    .await
    .unwrap();

    assert_eq!(answer, json!({"status": "Stopped", "rollback": false}));
    assert_eq!(
        world.deployment(&id).await.error_information,
        Some(ErrorInformation::new(ErrorCode::AlarmActive, message))
    );
    assert_eq!(
        world.notifier.events(),
        events(&[
            ("DeploymentStart", "CREATED"),
            ("DeploymentStop", "STOPPED"),
            ("DeploymentFailure", "STOPPED"),
        ])
    );
}

#[tokio::test]
async fn without_a_stop_a_failure_rolls_back_only_when_the_group_says_so() {
    let world = World::new();
    let group = world
        .group("shop", "checkout", |group| {
            group.auto_rollback_configuration.enabled = false;
        })
        .await;
    let id = world.started_deployment(&group).await;

    let answer = run(&world.record_status(), hook_failed(&id)).await.unwrap();

    assert_eq!(answer, json!({"status": "Failed", "rollback": false}));
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(None)
    );
    assert_eq!(world.deployments_of("shop", "checkout").await, [id]);
    assert_eq!(
        world.notifier.events(),
        events(&[
            ("DeploymentStart", "CREATED"),
            ("DeploymentFailure", "FAILED")
        ])
    );
}

#[tokio::test]
async fn a_client_token_cannot_claim_the_token_of_a_rollback() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    // Another group's deployment, whose client sends the token rollbacks were once made under.
    world.group("shop", "payments", |_| {}).await;
    let claim = json!({
        "applicationName": "shop",
        "deploymentGroupName": "payments",
        "revision": {"revisionType": "Targets", "targets": [{
            "type": "LambdaAlias", "functionName": "shop-payments-api", "alias": "live",
            "currentVersion": "1", "targetVersion": "2"
        }]},
        "clientRequestToken": format!("rollback-of-{id}"),
    });
    run(&world.create_deployment(), claim).await.unwrap();

    let answer = run(&world.record_status(), hook_failed(&id)).await.unwrap();

    assert_eq!(answer["rollback"], json!(true), "{answer}");
    let rollback_id: DeploymentId =
        serde_json::from_value(answer["rollbackDeploymentId"].clone()).expect("a rollback id");
    let rollback = world.deployment(&rollback_id).await;
    assert_eq!(rollback.creator, Creator::Autorollback);
    assert_eq!(
        rollback.rollback_info.rollback_triggering_deployment_id,
        Some(id.clone())
    );
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(Some(rollback_id))
    );
}

#[tokio::test]
async fn a_stop_recorded_before_the_success_wins_and_is_kept() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    // The last traffic step is done; the stop arrives before the success is recorded.
    let stop = json!({"deploymentId": id, "autoRollbackEnabled": true});
    let answered = run(&world.stop_deployment(), stop).await.unwrap();
    assert_eq!(
        answered["statusMessage"],
        json!("stopped on request, rolling back")
    );

    let success = json!({"deploymentId": id, "action": "succeed"});
    let refused = run(&world.record_status(), success).await.unwrap_err();

    assert_eq!(refused.error_type(), "MANUAL_STOP", "{refused}");
    assert_eq!(refused.to_string(), "stopped on request, rolling back");
    let deployment = world.deployment(&id).await;
    assert_eq!(deployment.status, DeploymentStatus::InProgress);
    assert!(
        !world
            .history_keys(&id)
            .await
            .contains(&"status:Succeeded".to_owned()),
        "no success is recorded"
    );
    assert!(
        world
            .notifier
            .events()
            .iter()
            .all(|(event, _)| event != "DeploymentSuccess"),
        "{:?}",
        world.notifier.events()
    );

    // The workflow catches the refusal into its failure path: the deployment ends as the stop
    // said, rolling back.
    let cause =
        json!({"errorType": "MANUAL_STOP", "errorMessage": "stopped on request, rolling back"});
    let answer = run(
        &world.record_status(),
        fail(&id, "MANUAL_STOP", &cause.to_string()),
    )
    .await
    .unwrap();
    assert_eq!(answer["status"], json!("Stopped"));
    assert_eq!(answer["rollback"], json!(true));
}

#[tokio::test]
async fn a_rollback_deployment_is_never_stopped() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    let answer = run(&world.record_status(), hook_failed(&id)).await.unwrap();
    let rollback_id: DeploymentId =
        serde_json::from_value(answer["rollbackDeploymentId"].clone()).expect("a rollback id");
    let before = world.deployment(&rollback_id).await;

    let stop = json!({"deploymentId": rollback_id, "autoRollbackEnabled": false});
    let refused = run(&world.stop_deployment(), stop).await.unwrap_err();

    assert_eq!(refused.error_type(), "InvalidInput");
    assert_eq!(
        refused.to_string(),
        format!(
            "deploymentId: deployment {rollback_id} is the rollback of {id}: traffic is going \
             back to the original version, and a rollback is never stopped"
        )
    );
    assert_eq!(world.deployment(&rollback_id).await, before);
    assert_eq!(world.store.stop_request(&rollback_id).await, Ok(None));
}

#[tokio::test]
async fn a_trigger_that_cannot_be_published_never_keeps_traffic_from_going_back() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let topic = &group.trigger_configurations[0].trigger_target_arn;
    let id = world.started_deployment(&group).await;
    // The group's topic is deleted under the running deployment.
    world.notifier.fail_topic(topic);

    let answer = run(&world.record_status(), hook_failed(&id)).await.unwrap();

    assert_eq!(answer["status"], json!("Failed"));
    assert_eq!(answer["rollback"], json!(true), "the rollback still runs");
    let rollback_id: DeploymentId =
        serde_json::from_value(answer["rollbackDeploymentId"].clone()).expect("a rollback id");
    let rolled_back = run(&world.record_status(), rolled_back(&id)).await.unwrap();
    assert_eq!(rolled_back["status"], json!("Failed"));
    assert_eq!(
        world.deployment(&rollback_id).await.status,
        DeploymentStatus::Succeeded
    );
    let keys = world.history_keys(&id).await;
    for event in ["DeploymentRollback", "DeploymentFailure"] {
        let failed = format!(
            "trigger-failed:{event}:{}",
            group.trigger_configurations[0].trigger_name
        );
        assert!(keys.contains(&failed), "{failed} in {keys:?}");
    }
    let reached: Vec<String> = world
        .notifier
        .published()
        .into_iter()
        .filter(|notification| &notification.topic_arn == topic)
        .map(|notification| notification.event_name)
        .collect();
    assert_eq!(
        reached,
        ["DeploymentStart"],
        "nothing after the topic was deleted"
    );
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(None),
        "the group is free"
    );
}

#[tokio::test]
async fn a_failure_recorded_after_the_success_changes_nothing_and_creates_no_rollback() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    let succeed = json!({"deploymentId": id, "action": "succeed"});
    run(&world.record_status(), succeed).await.unwrap();
    let before = world.snapshot(&group, &[&id]).await;

    // The failure path of an execution stopped while its success was being recorded.
    let answer = run(&world.record_status(), hook_failed(&id)).await.unwrap();

    assert_eq!(answer, json!({"status": "Succeeded", "rollback": false}));
    assert_eq!(world.snapshot(&group, &[&id]).await, before);
    assert_eq!(world.deployments_of("shop", "checkout").await, [id]);
}

#[tokio::test]
async fn a_claimed_trigger_is_never_published_again_even_when_its_publication_failed() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let topic = group.trigger_configurations[0].trigger_target_arn.clone();
    let id = world.started_deployment(&group).await;
    world.notifier.fail_topic(&topic);
    let succeed = json!({"deploymentId": id, "action": "succeed"});
    run(&world.record_status(), succeed.clone()).await.unwrap();

    // A replay of the step (or reconciliation) finds the claim and sends nothing: a
    // publication whose answer was lost may have reached subscribers.
    run(&world.record_status(), succeed).await.unwrap();

    assert_eq!(world.notifier.event_names(), ["DeploymentStart"]);
    let keys = world.history_keys(&id).await;
    let trigger = &group.trigger_configurations[0].trigger_name;
    for key in [
        format!("trigger:DeploymentSuccess:{trigger}"),
        format!("trigger-failed:DeploymentSuccess:{trigger}"),
    ] {
        assert_eq!(
            keys.iter().filter(|k| **k == key).count(),
            1,
            "{key} in {keys:?}"
        );
    }
}
