//! Every function runs as its own identity, allowed exactly its role's actions in template.yaml:
//! these tests make sure that enforcement is on, by taking one action out of one role and
//! watching the named scenario fail with IAM_ROLE_PERMISSIONS, naming the action, and change
//! nothing it should not.

use crate::workflow::support::{alias_subject, group, request, TestWorld};
use gradual_asl::FunctionError;
use gradual_core::ports::DeploymentIndex;
use gradual_core::{ComputePlatform, DeploymentGroup, DeploymentId, DeploymentStatus, ErrorCode};
use gradual_handlers::Function;
use gradual_local::testing::sample;
use gradual_local::world::FunctionIdentities;
use serde_json::json;

const ALL_AT_ONCE: &str = "CodeDeployDefault.LambdaAllAtOnce";

#[tokio::test]
async fn a_traffic_function_without_update_alias_fails_the_deployment_and_moves_nothing() {
    let world = TestWorld::new().await;
    let (_sample, subject) = alias_subject(&world).await;
    let group = group(ComputePlatform::Lambda, ALL_AT_ONCE);
    world.register(&group).await;
    without(&world, Function::ShiftAliasWeight, "lambda:UpdateAlias").await;

    let deployment = world.run(&request(&group, &subject, &[])).await;

    assert_eq!(deployment.status, DeploymentStatus::Failed);
    let error = deployment.error_information.expect("the failure's reason");
    assert_eq!(
        error.code,
        ErrorCode::IamRolePermissions,
        "{}",
        error.message
    );
    assert!(
        error.message.contains("lambda:UpdateAlias"),
        "{}",
        error.message
    );
    assert_eq!(world.routing(&subject.target).await, subject.initial);
    assert_eq!(active(&world, &group).await, None);
}

#[tokio::test]
async fn create_deployment_without_start_execution_refuses_the_request_and_frees_the_group() {
    let world = TestWorld::new().await;
    let (_sample, subject) = alias_subject(&world).await;
    let group = group(ComputePlatform::Lambda, ALL_AT_ONCE);
    world.register(&group).await;
    without(&world, Function::CreateDeployment, "states:StartExecution").await;

    let refused = world
        .create(serde_json::to_value(request(&group, &subject, &[])).unwrap())
        .await
        .expect_err("the workflow cannot start");

    assert_denied(&refused, "states:StartExecution");
    assert_eq!(active(&world, &group).await, None);
    assert_eq!(world.routing(&subject.target).await, subject.initial);
}

#[tokio::test]
async fn register_without_query_cannot_delete_a_config_and_says_which_action_it_lacks() {
    let world = TestWorld::manual().await;
    let config = json!({"action": "create-deployment-config", "deploymentConfigName": "careful",
                        "computePlatform": "Lambda",
                        "trafficRoutingConfig": {"type": "AllAtOnce"}});
    world.registered(config).await;
    without(&world, Function::Register, "dynamodb:Query").await;

    let refused = world
        .register_request(json!({"action": "delete-deployment-config",
                                 "deploymentConfigName": "careful"}))
        .await
        .expect_err("register may not read the index");

    assert_denied(&refused, "dynamodb:Query");
    world.run_as(&*FunctionIdentities::shared().await);
    let kept = world
        .registered(json!({"action": "get-deployment-config", "deploymentConfigName": "careful"}))
        .await;
    assert_eq!(kept["deploymentConfig"]["deploymentConfigName"], "careful");
}

#[tokio::test]
async fn a_read_only_function_cannot_write_the_table_even_with_the_tables_name() {
    let world = TestWorld::manual().await;
    let ports = world.ports(Function::GetDeployment);
    let dynamodb = aws_sdk_dynamodb::Client::new(&ports.sdk());

    let refused = dynamodb
        .delete_table()
        .table_name(&world.table)
        .send()
        .await
        .expect_err("get-deployment may only read");

    let message = format!("{:?}", refused.into_service_error());
    assert!(
        message.contains("AccessDenied") && message.contains("dynamodb:DeleteTable"),
        "{message}"
    );
    assert_eq!(world.item_count().await, 0);
}

async fn active(world: &TestWorld, group: &DeploymentGroup) -> Option<DeploymentId> {
    world
        .store
        .active_deployment(&group.application_name, &group.deployment_group_name)
        .await
        .expect("read the group's active slot")
}

#[tokio::test]
async fn create_deployment_without_get_job_details_leaves_a_pipeline_job_unanswered() {
    let world = TestWorld::manual().await;
    without(
        &world,
        Function::CreateDeployment,
        "codepipeline:GetJobDetails",
    )
    .await;
    let job = sample("create-deployment/codepipeline.json", &[]);
    let job_id = job["CodePipeline.job"]["id"].as_str().unwrap().to_owned();

    let refused = world
        .run_pipeline_action(job)
        .await
        .expect_err("the job cannot be checked");

    assert_denied(&refused, "codepipeline:GetJobDetails");
    assert_eq!(world.pipeline.answers(&job_id), Vec::new());
    assert_eq!(world.items_of_kind("DEPLOYMENT").await, 0);
}

/// DynamoDB authorizes a transaction by each of its items' actions: deleting a group is one
/// transaction (delete the group, count it off its application, check its slot is free).
#[tokio::test]
async fn a_transaction_needs_every_item_action_and_is_refused_whole_without_one() {
    let world = TestWorld::manual().await;
    world
        .registered(sample("register/create-application.json", &[]))
        .await;
    world
        .registered(sample("register/create-deployment-group.json", &[]))
        .await;
    let items = world.item_count().await;
    without(&world, Function::Register, "dynamodb:ConditionCheckItem").await;

    let refused = world
        .register_request(sample("register/delete-deployment-group.json", &[]))
        .await
        .expect_err("the slot check is part of the transaction");

    assert_denied(&refused, "dynamodb:ConditionCheckItem");
    assert_eq!(world.item_count().await, items);
    world.run_as(&*FunctionIdentities::shared().await);
    world
        .registered(sample("register/get-deployment-group.json", &[]))
        .await;
}

/// The world's functions run as their roles, less `action` in `function`'s.
async fn without(world: &TestWorld, function: Function, action: &str) {
    world.run_as(&FunctionIdentities::create(&[(function, action)]).await);
}

/// Refused for want of `action`, naming it.
fn assert_denied(refused: &FunctionError, action: &str) {
    assert_eq!(
        refused.error_type, "IAM_ROLE_PERMISSIONS",
        "{}",
        refused.message
    );
    assert!(refused.message.contains(action), "{}", refused.message);
}
