//! stop-deployment in the middle of a bake: the deployment ends Stopped with MANUAL_STOP at
//! once; without rollback traffic stays where it stood, with rollback it goes back to the
//! original version; the triggers say so.

use super::support::{deployment_id, targets_request, TestWorld, CANARY, ECS_APPSPEC};
use async_trait::async_trait;
use gradual_asl::{Clock, FunctionError, LambdaFunction};
use gradual_core::ports::DeploymentIndex;
use gradual_core::{Deployment, DeploymentId, DeploymentStatus, ErrorCode};
use gradual_emulator::sample::alb::AlbWorld;
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_handlers::Function;
use gradual_local::world::{names, TriggerTopic};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const ECS_CANARY: &str = "CodeDeployDefault.ECSCanary10Percent5Minutes";

/// A trigger on every event of the group, published to `topic`.
fn every_event(topic: &TriggerTopic) -> Value {
    json!({"triggerConfigurations": [{
        "triggerName": "everything",
        "triggerTargetArn": topic.topic_arn,
        "triggerEvents": ["DeploymentStart", "DeploymentSuccess", "DeploymentFailure",
                          "DeploymentStop", "DeploymentRollback", "DeploymentReady"]
    }]})
}

/// Stops the baking deployment `id` and lets its workflow end.
async fn stop_mid_bake(world: &TestWorld, id: &DeploymentId, roll_back: bool) -> Deployment {
    world.baking(id).await;
    let answer = world
        .call(
            Function::StopDeployment,
            json!({"deploymentId": id, "autoRollbackEnabled": roll_back}),
        )
        .await
        .expect("the stop is accepted");
    assert_eq!(answer["status"], "Pending");
    let baked_until = world.clock.now();
    let deployment = world.run_to_end(id).await;
    assert_eq!(deployment.status, DeploymentStatus::Stopped);
    assert_eq!(
        deployment
            .error_information
            .as_ref()
            .map(|error| error.code),
        Some(ErrorCode::ManualStop)
    );
    // The stop cut the bake short: the deployment ended without waiting for the bake's end.
    assert_eq!(deployment.complete_time, Some(baked_until));
    deployment
}

async fn alias_deployment(world: &TestWorld, topic: &TriggerTopic) -> (LambdaWorld, DeploymentId) {
    let function = world
        .lambda_group_with("shop", "checkout", CANARY, every_event(topic))
        .await;
    let request = targets_request("shop", "checkout", &function.function);
    let answer = world.create(request).await.expect("accepted");
    (function, deployment_id(&answer))
}

#[tokio::test]
async fn a_stop_without_rollback_leaves_the_alias_where_it_stood() {
    let world = TestWorld::manual().await;
    let topic = world.trigger_topic().await;
    let (function, id) = alias_deployment(&world, &topic).await;

    let deployment = stop_mid_bake(&world, &id, false).await;

    let alias = function.alias().await;
    assert_eq!(alias.version, "1");
    assert_eq!(alias.weights, HashMap::from([("2".to_owned(), 0.1)]));
    assert_eq!(deployment.rollback_info, Default::default());
    assert_eq!(
        world.events(&topic).await,
        ["DeploymentStart", "DeploymentStop"]
    );
}

#[tokio::test]
async fn a_stop_with_rollback_puts_the_alias_back_on_the_original_version() {
    let world = TestWorld::manual().await;
    let topic = world.trigger_topic().await;
    let (function, id) = alias_deployment(&world, &topic).await;

    let deployment = stop_mid_bake(&world, &id, true).await;

    let alias = function.alias().await;
    assert_eq!(alias.version, "1");
    assert!(alias.weights.is_empty(), "{alias:?}");
    let rollback = deployment
        .rollback_info
        .rollback_deployment_id
        .clone()
        .expect("a rollback deployment");
    assert_eq!(
        world.deployment(&rollback).await.status,
        DeploymentStatus::Succeeded
    );
    assert_eq!(
        world.events(&topic).await,
        ["DeploymentStart", "DeploymentStop", "DeploymentRollback"]
    );
}

#[tokio::test]
async fn a_stop_without_rollback_leaves_the_listener_split_and_with_rollback_on_blue() {
    for roll_back in [false, true] {
        let world = TestWorld::manual().await;
        let topic = world.trigger_topic().await;
        let alb = AlbWorld::new().await;
        world
            .registered(json!({
                "action": "create-application",
                "applicationName": "storefront",
                "computePlatform": "ECS",
            }))
            .await;
        let mut group = json!({
            "action": "create-deployment-group",
            "applicationName": "storefront",
            "deploymentGroupName": "web",
            "deploymentConfigName": ECS_CANARY,
            "targets": [{"type": "AlbListener", "listenerArn": alb.listener,
                         "blueTargetGroupArn": alb.blue, "greenTargetGroupArn": alb.green}],
        });
        group["triggerConfigurations"] = every_event(&topic)["triggerConfigurations"].clone();
        world.registered(group).await;
        let answer = world
            .create(json!({
                "applicationName": "storefront",
                "deploymentGroupName": "web",
                "revision": {"revisionType": "AppSpecContent", "appSpecContent": {"content": ECS_APPSPEC}},
            }))
            .await
            .expect("accepted");
        let id = deployment_id(&answer);
        world.baking(&id).await;
        let (blue, green) = alb.weights(&alb.listener).await;
        assert!(blue > 0 && green > 0, "split mid-bake: {blue}/{green}");

        stop_mid_bake(&world, &id, roll_back).await;

        let after = alb.weights(&alb.listener).await;
        if roll_back {
            assert_eq!(after.1, 0, "back on blue: {after:?}");
            assert!(after.0 > 0, "back on blue: {after:?}");
        } else {
            assert_eq!(after, (blue, green), "where it stood");
        }
        let mut expected = vec!["DeploymentStart", "DeploymentStop"];
        if roll_back {
            expected.push("DeploymentRollback");
        }
        assert_eq!(world.events(&topic).await, expected);
    }
}

/// Record-status, asked to record the success, first has stop-deployment called, as a person
/// pressing stop after the last traffic step would.
struct StopBeforeSuccess {
    inner: Arc<dyn LambdaFunction>,
    stop: Arc<dyn LambdaFunction>,
    answers: Arc<Mutex<Vec<Result<Value, FunctionError>>>>,
}

#[async_trait]
impl LambdaFunction for StopBeforeSuccess {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        if payload["action"] == "succeed" {
            let request =
                json!({"deploymentId": payload["deploymentId"], "autoRollbackEnabled": true});
            let answer = self.stop.invoke(request).await;
            self.answers.lock().unwrap().push(answer);
        }
        self.inner.invoke(payload).await
    }
}

#[tokio::test]
async fn a_stop_after_the_last_traffic_step_still_ends_the_deployment_stopped_and_rolled_back() {
    let world = TestWorld::new().await;
    let topic = world.trigger_topic().await;
    let answers = Arc::default();
    let stop = world
        .functions
        .function(&names::function_name(Function::StopDeployment))
        .expect("stop-deployment is registered");
    let wrapped = world
        .functions
        .wrap(&names::function_name(Function::RecordStatus), |inner| {
            StopBeforeSuccess {
                inner,
                stop,
                answers: Arc::clone(&answers),
            }
        });
    assert!(wrapped);
    let (function, id) = alias_deployment(&world, &topic).await;

    let deployment = world.finish(&id).await;

    let answers = answers.lock().unwrap().clone();
    assert_eq!(answers.len(), 1, "{answers:?}");
    let answer = answers[0].as_ref().expect("the stop is accepted");
    assert_eq!(answer["statusMessage"], "stopped on request, rolling back");
    assert_eq!(deployment.status, DeploymentStatus::Stopped);
    assert_eq!(
        deployment
            .error_information
            .as_ref()
            .map(|error| error.code),
        Some(ErrorCode::ManualStop)
    );
    let rollback_id = deployment
        .rollback_info
        .rollback_deployment_id
        .clone()
        .expect("the stop rolled back, as it said");
    assert_eq!(
        world.deployment(&rollback_id).await.status,
        DeploymentStatus::Succeeded
    );
    let alias = function.alias().await;
    assert_eq!(alias.version, "1", "{alias:?}");
    assert!(alias.weights.is_empty(), "{alias:?}");
    assert_eq!(
        world.events(&topic).await,
        ["DeploymentStart", "DeploymentStop", "DeploymentRollback"]
    );
}

#[tokio::test]
async fn a_stop_whose_trigger_topic_is_gone_still_rolls_back() {
    let world = TestWorld::manual().await;
    let topic = world.trigger_topic().await;
    let (function, id) = alias_deployment(&world, &topic).await;
    world.baking(&id).await;
    aws_sdk_sns::Client::new(&world.sdk)
        .delete_topic()
        .topic_arn(&topic.topic_arn)
        .send()
        .await
        .expect("delete the topic");

    let deployment = stop_mid_bake(&world, &id, true).await;

    let rollback_id = deployment
        .rollback_info
        .rollback_deployment_id
        .clone()
        .expect("the stop rolled back");
    assert_eq!(
        world.deployment(&rollback_id).await.status,
        DeploymentStatus::Succeeded
    );
    let alias = function.alias().await;
    assert_eq!(alias.version, "1", "{alias:?}");
    assert!(alias.weights.is_empty(), "{alias:?}");
    let keys = world.history_keys(&id).await;
    for event in ["DeploymentStop", "DeploymentRollback"] {
        let failed = format!("trigger-failed:{event}:everything");
        assert!(keys.contains(&failed), "{failed} in {keys:?}");
    }
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(None),
        "the group is free"
    );
}
