//! Deployments whose workflow ended outside its failure path — a StopExecution from the
//! console, a create-deployment that died between its write and StartExecution — still end,
//! with traffic home and the group free: the local world delivers Step Functions' execution
//! status change to reconcile, as the stack's EventBridge rule does.

use super::support::{deployment_id, targets_request, TestWorld, CANARY};
use gradual_asl::ExecutionStatus;
use gradual_core::ports::{DeploymentIndex, DeploymentRecords, GroupStore};
use gradual_core::{fixtures, DeploymentStatus, ErrorCode, Hook, LifecycleEvent, Target};
use gradual_handlers::Function;
use gradual_local::testing::Reply;
use serde_json::json;

#[tokio::test]
async fn an_execution_stopped_in_the_console_mid_bake_is_reconciled_and_traffic_comes_home() {
    let world = TestWorld::manual().await;
    let topic = world.trigger_topic().await;
    let group = json!({
        "autoRollbackConfiguration": {"enabled": true, "events": ["DEPLOYMENT_FAILURE"]},
        "triggerConfigurations": [{
        "triggerName": "everything",
        "triggerTargetArn": topic.topic_arn,
        "triggerEvents": ["DeploymentStart", "DeploymentSuccess", "DeploymentFailure",
                          "DeploymentStop", "DeploymentRollback"]
        }]
    });
    let function = world
        .lambda_group_with("shop", "checkout", CANARY, group)
        .await;
    let answer = world
        .create(targets_request("shop", "checkout", &function.function))
        .await
        .expect("accepted");
    let id = deployment_id(&answer);
    world.baking(&id).await;
    assert_eq!(function.alias().await.weights.len(), 1, "split mid-bake");

    world
        .executor
        .stop_execution(&world.execution_arn(id.as_str()), None, None)
        .expect("the execution exists");
    // The event waits in the queue for 90 s of world time before reconcile sees it.
    world.clock.set_auto_advance(true);
    world.wait_for(&id).await.expect("the execution ended");

    let deployment = world.deployment(&id).await;
    assert_eq!(deployment.status, DeploymentStatus::Failed);
    let error = deployment.error_information.clone().unwrap();
    assert_eq!(error.code, ErrorCode::ManualStop);
    assert_eq!(
        error.message,
        "its workflow execution was stopped outside gradual"
    );
    let alias = function.alias().await;
    assert_eq!(alias.version, "1");
    assert!(alias.weights.is_empty(), "traffic is home: {alias:?}");
    let rollback = deployment.rollback_info.rollback_deployment_id.unwrap();
    assert_eq!(
        world.deployment(&rollback).await.status,
        DeploymentStatus::Succeeded
    );
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(None),
        "the group is free"
    );
    assert_eq!(
        world.events(&topic).await,
        ["DeploymentStart", "DeploymentRollback", "DeploymentFailure"]
    );
    let deliveries = world.reconciliations.deliveries();
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
    assert_eq!(deliveries[0].status, ExecutionStatus::Aborted);
    assert_eq!(
        deliveries[0].answer.as_ref().unwrap()["batchItemFailures"],
        json!([]),
        "reconciled at the first delivery"
    );

    // The next deployment of the group starts.
    let next = world
        .create(targets_request("shop", "checkout", &function.function))
        .await;
    assert!(next.is_ok(), "{next:?}");
}

#[tokio::test]
async fn a_workflow_that_fails_on_its_normal_path_leaves_reconcile_nothing_to_do() {
    let world = TestWorld::new().await;
    let function = world.lambda_group("shop", "checkout", CANARY).await;
    world.hook("smoke-test", Reply::Fail);
    let mut request = targets_request("shop", "checkout", &function.function);
    // A failing hook fails the deployment through the workflow's own Catch.
    request["revision"]["hooks"] = json!([Hook {
        event: LifecycleEvent::BeforeAllowTraffic,
        function_name: "smoke-test".to_owned()
    }]);
    let id = deployment_id(&world.create(request).await.expect("accepted"));

    let deployment = world.finish(&id).await;

    assert_eq!(deployment.status, DeploymentStatus::Failed);
    let deliveries = world.reconciliations.deliveries();
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
    assert_eq!(deliveries[0].status, ExecutionStatus::Failed);
    assert_eq!(
        deliveries[0].answer.as_ref().unwrap()["batchItemFailures"],
        json!([])
    );
    // Nothing more than the workflow made: the deployment alone (the group does not roll
    // back), its history ending with its failure.
    let deployments = world
        .store
        .list_deployments("shop", "checkout", 10, None)
        .await
        .unwrap();
    assert_eq!(deployments.items, std::slice::from_ref(&id));
    let keys = world.history_keys(&id).await;
    assert_eq!(
        keys.iter()
            .filter(|key| key.starts_with("status:Failed"))
            .count(),
        1,
        "{keys:?}"
    );
}

#[tokio::test]
async fn a_deployment_whose_workflow_never_started_is_ended_by_a_stop() {
    let world = TestWorld::manual().await;
    let function = world.lambda_group("shop", "checkout", CANARY).await;
    let group = world
        .store
        .get_deployment_group("shop", "checkout")
        .await
        .unwrap()
        .unwrap();
    // create-deployment wrote the deployment, then died before StartExecution.
    let mut orphan = fixtures::lambda_deployment(&group);
    orphan.targets = vec![Target::LambdaAlias(function.target("1", "2"))];
    orphan.hooks.clear();
    world.store.create_deployment(&orphan, None).await.unwrap();
    let refused = world
        .create(targets_request("shop", "checkout", &function.function))
        .await;
    assert!(refused.is_err(), "the orphan holds the group: {refused:?}");

    let answer = world
        .call(
            Function::StopDeployment,
            json!({"deploymentId": orphan.id, "autoRollbackEnabled": true}),
        )
        .await
        .expect("the stop is accepted");

    assert_eq!(answer["status"], "Succeeded", "{answer}");
    assert_eq!(
        answer["statusMessage"],
        format!(
            "no workflow was running for {}: it ended Stopped, traffic rolled back",
            orphan.id
        )
    );
    assert_eq!(
        world.deployment(&orphan.id).await.status,
        DeploymentStatus::Stopped
    );
    assert!(function.alias().await.weights.is_empty());
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(None)
    );
    let next = world
        .create(targets_request("shop", "checkout", &function.function))
        .await;
    assert!(next.is_ok(), "the group is free again: {next:?}");
}

/// record-status answering a `fail` without its `rollback` field, so that the workflow's
/// ResultSelector path fails: a `States.Runtime` error, which no Catch may handle.
struct AnswerWithoutRollback {
    inner: std::sync::Arc<dyn gradual_asl::LambdaFunction>,
}

#[async_trait::async_trait]
impl gradual_asl::LambdaFunction for AnswerWithoutRollback {
    async fn invoke(
        &self,
        payload: serde_json::Value,
    ) -> Result<serde_json::Value, gradual_asl::FunctionError> {
        let action = payload["action"].clone();
        let answer = self.inner.invoke(payload).await?;
        Ok(if action == "fail" { json!({}) } else { answer })
    }
}

#[tokio::test]
async fn a_runtime_error_no_catch_may_handle_is_reconciled_and_traffic_comes_home() {
    let world = TestWorld::new().await;
    let group = json!({
        "autoRollbackConfiguration": {"enabled": true, "events": ["DEPLOYMENT_FAILURE"]}
    });
    let function = world
        .lambda_group_with("shop", "checkout", CANARY, group)
        .await;
    world.hook("smoke-test", Reply::Fail);
    world.functions.wrap(
        &gradual_local::world::names::function_name(Function::RecordStatus),
        |inner| AnswerWithoutRollback { inner },
    );
    let mut request = targets_request("shop", "checkout", &function.function);
    request["revision"]["hooks"] = json!([Hook {
        event: LifecycleEvent::AfterAllowTraffic,
        function_name: "smoke-test".to_owned()
    }]);
    let id = deployment_id(&world.create(request).await.expect("accepted"));

    let outcome = world.wait_for(&id).await.expect("the execution ended");

    assert_eq!(outcome.error.as_deref(), Some("States.Runtime"));
    let deployment = world.deployment(&id).await;
    assert_eq!(deployment.status, DeploymentStatus::Failed);
    let rollback = deployment.rollback_info.rollback_deployment_id.unwrap();
    assert_eq!(
        world.deployment(&rollback).await.status,
        DeploymentStatus::Succeeded,
        "reconcile finished the rollback the workflow could not run"
    );
    let alias = function.alias().await;
    assert_eq!((alias.version.as_str(), alias.weights.len()), ("1", 0));
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(None)
    );
}
