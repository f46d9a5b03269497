//! The register function: round trips of the samples under `events/register/`, and every
//! rule it checks, each refusal writing nothing.

use super::support::{sample, TestWorld};
use gradual_core::{DeploymentConfig, DeploymentGroup};
use serde_json::{json, Value};

const LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/0123456789abcdef/0123456789abcdef";
const BLUE: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef";
const GREEN: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/0123456789abcdef";
const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:shop-deployments";

fn action(name: &str) -> Value {
    sample(&format!("register/{name}.json"), &[])
}

fn group_of(answer: &Value) -> DeploymentGroup {
    serde_json::from_value(answer["deploymentGroup"].clone()).expect("a deployment group")
}

#[tokio::test]
async fn applications_groups_and_configs_round_trip_and_are_deleted_in_order() {
    let world = TestWorld::manual().await;

    let created = world.registered(action("create-application")).await;
    assert_eq!(created["application"]["applicationName"], "shop");
    assert_eq!(created["application"]["computePlatform"], "Lambda");
    let read = world.registered(action("get-application")).await;
    assert_eq!(read["application"], created["application"]);
    assert_eq!(read["deploymentGroups"], json!([]));

    let request = action("create-deployment-group");
    let group = group_of(&world.registered(request.clone()).await);
    let read = world.registered(action("get-deployment-group")).await;
    assert_eq!(group_of(&read), group);
    assert_eq!(
        group.deployment_config_name,
        request["deploymentConfigName"]
    );
    assert_eq!(group.alarm_configuration.alarms.len(), 2);
    assert_eq!(group.trigger_configurations[0].trigger_target_arn, TOPIC);
    assert!(group.targets.is_empty());
    assert_eq!(
        world.registered(action("get-application")).await["deploymentGroups"],
        json!(["checkout"])
    );

    let config = world.registered(action("create-deployment-config")).await;
    let config: DeploymentConfig =
        serde_json::from_value(config["deploymentConfig"].clone()).expect("a config");
    assert_eq!(config.schedule().steps().len(), 4);
    let read = world.registered(action("get-deployment-config")).await;
    assert_eq!(
        read["deploymentConfig"],
        serde_json::to_value(&config).unwrap()
    );
    let listed = world.registered(action("list-deployment-configs")).await;
    let names: Vec<&str> = listed["deploymentConfigs"]
        .as_array()
        .expect("a list of configs")
        .iter()
        .map(|config| config["deploymentConfigName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names.len(),
        10,
        "9 predefined Lambda configs and 1 custom: {names:?}"
    );
    assert_eq!(names[0], "CodeDeployDefault.LambdaCanary10Percent5Minutes");
    assert_eq!(names[9], "shop-careful");
    let ecs = world
        .registered(json!({"action": "list-deployment-configs", "computePlatform": "ECS"}))
        .await;
    assert_eq!(ecs["deploymentConfigs"].as_array().unwrap().len(), 5);
    let predefined = world
        .registered(json!({"action": "get-deployment-config",
                           "deploymentConfigName": "CodeDeployDefault.LambdaLinear10PercentEvery1Minute"}))
        .await;
    assert_eq!(
        predefined["deploymentConfig"]["trafficRoutingConfig"]["type"],
        "TimeBasedLinear"
    );

    let updated = group_of(&world.registered(action("update-deployment-group")).await);
    assert_eq!(updated.deployment_config_name, "shop-careful");
    assert_eq!(
        group_of(&world.registered(action("get-deployment-group")).await),
        updated
    );

    // Deleted from the leaves up: what is still used is refused, by its user.
    let in_use = world
        .register_request(action("delete-deployment-config"))
        .await
        .expect_err("the group uses the config");
    assert!(
        in_use.message.contains("shop/checkout"),
        "{}",
        in_use.message
    );
    let in_use = world
        .register_request(action("delete-application"))
        .await
        .expect_err("the application has a group");
    assert!(in_use.message.contains("checkout"), "{}", in_use.message);
    world.registered(action("delete-deployment-group")).await;
    world.registered(action("delete-deployment-config")).await;
    world.registered(action("delete-application")).await;

    assert_eq!(world.item_count().await, 0);
    let gone = world
        .register_request(action("get-application"))
        .await
        .expect_err("deleted");
    assert_eq!(gone.error_type, "APPLICATION_MISSING");
}

#[tokio::test]
async fn a_group_without_optional_fields_gets_codedeploys_defaults() {
    let world = TestWorld::manual().await;
    world.registered(action("create-application")).await;
    world
        .registered(json!({"action": "create-application", "applicationName": "storefront", "computePlatform": "ECS"}))
        .await;

    let lambda = group_of(
        &world
            .registered(json!({"action": "create-deployment-group",
                               "applicationName": "shop", "deploymentGroupName": "plain"}))
            .await,
    );
    let ecs = group_of(
        &world
            .registered(json!({"action": "create-deployment-group",
                               "applicationName": "storefront", "deploymentGroupName": "web",
                               "targets": [listener()]}))
            .await,
    );

    assert_eq!(
        lambda.deployment_config_name,
        "CodeDeployDefault.LambdaAllAtOnce"
    );
    assert_eq!(
        lambda.compute_platform,
        gradual_core::ComputePlatform::Lambda
    );
    assert!(!lambda.auto_rollback_configuration.enabled);
    assert_eq!(ecs.deployment_config_name, "CodeDeployDefault.ECSAllAtOnce");
    assert_eq!(ecs.targets.len(), 1);
}

fn listener() -> Value {
    json!({"type": "AlbListener", "listenerArn": LISTENER,
           "blueTargetGroupArn": BLUE, "greenTargetGroupArn": GREEN})
}

fn alias() -> Value {
    json!({"type": "LambdaAlias", "functionName": "shop-checkout-api", "alias": "live",
           "currentVersion": "1", "targetVersion": "2"})
}

/// A valid group request of `application` with `changes` made to it.
fn group(application: &str, changes: Value) -> Value {
    let mut request = json!({
        "action": "create-deployment-group",
        "applicationName": application,
        "deploymentGroupName": "checkout",
    });
    if application == "storefront" {
        request["targets"] = json!([listener()]);
    }
    for (field, value) in changes.as_object().expect("changes are fields") {
        request[field] = value.clone();
    }
    request
}

fn trigger(name: &str, arn: &str, events: Value) -> Value {
    json!({"triggerName": name, "triggerTargetArn": arn, "triggerEvents": events})
}

/// `(what is wrong, request, error type, part of the message)`.
type Case = (&'static str, Value, &'static str, String);

fn invalid(case: &'static str, request: Value, message: &str) -> Case {
    (case, request, "InvalidInput", message.to_owned())
}

fn cases() -> Vec<Case> {
    let alarms = |count: usize| -> Value { (0..count).map(|i| format!("alarm-{i}")).collect() };
    let triggers = |count: usize| -> Value {
        (0..count)
            .map(|i| trigger(&format!("t{i}"), TOPIC, json!(["DeploymentStart"])))
            .collect()
    };
    let config = |routing: Value| {
        json!({"action": "create-deployment-config", "deploymentConfigName": "careful",
               "computePlatform": "Lambda", "trafficRoutingConfig": routing})
    };
    vec![
        invalid("empty application name",
            json!({"action": "create-application", "applicationName": "", "computePlatform": "Lambda"}),
            "applicationName: must not be empty"),
        invalid("long application name",
            json!({"action": "create-application", "applicationName": "a".repeat(101), "computePlatform": "Lambda"}),
            "applicationName: 101 characters, above the limit of 100"),
        invalid("application name with a slash",
            json!({"action": "create-application", "applicationName": "shop/eu", "computePlatform": "Lambda"}),
            "applicationName: \"shop/eu\" contains '/'"),
        invalid("unknown platform",
            json!({"action": "create-application", "applicationName": "shop2", "computePlatform": "Server"}),
            "unknown variant `Server`"),
        invalid("existing application",
            json!({"action": "create-application", "applicationName": "shop", "computePlatform": "ECS"}),
            "application \"shop\" already exists"),
        ("group of a missing application", group("bakery", json!({})), "APPLICATION_MISSING",
            "applicationName: application \"bakery\" does not exist".to_owned()),
        invalid("group name with a slash", group("shop", json!({"deploymentGroupName": "eu/checkout"})),
            "deploymentGroupName: \"eu/checkout\" contains '/'"),
        invalid("long group name", group("shop", json!({"deploymentGroupName": "g".repeat(101)})),
            "101 characters, above the limit of 100"),
        invalid("platform other than the application's", group("shop", json!({"computePlatform": "ECS"})),
            "computePlatform: application \"shop\" deploys to Lambda, so its groups cannot be ECS"),
        invalid("ECS group without targets", group("storefront", json!({"targets": []})),
            "targets: an ECS deployment group needs at least one AlbListener target"),
        invalid("ECS group with an alias", group("storefront", json!({"targets": [listener(), alias()]})),
            "targets[1]: an ECS deployment group moves AlbListener targets only"),
        invalid("Lambda group with a listener", group("shop", json!({"targets": [alias(), listener()]})),
            "targets[1]: a Lambda deployment group moves LambdaAlias targets only"),
        invalid("unknown config", group("shop", json!({"deploymentConfigName": "careful"})),
            "deploymentConfigName: no deployment config named \"careful\" for Lambda"),
        invalid("config of another platform", group("shop", json!({"deploymentConfigName": "CodeDeployDefault.ECSAllAtOnce"})),
            "is for ECS, but the deployment is on Lambda"),
        invalid("eleven alarms", group("shop", json!({"alarmConfiguration": {"enabled": true, "alarms": alarms(11)}})),
            "alarmConfiguration.alarms: 11 alarms, above the limit of 10"),
        invalid("alarms enabled without alarms", group("shop", json!({"alarmConfiguration": {"enabled": true, "alarms": []}})),
            "alarmConfiguration.alarms: alarms are enabled but none is listed"),
        invalid("an alarm twice", group("shop", json!({"alarmConfiguration": {"enabled": true, "alarms": ["errors", "errors"]}})),
            "alarmConfiguration.alarms[1]: \"errors\" is listed twice"),
        invalid("rollback without events", group("shop", json!({"autoRollbackConfiguration": {"enabled": true, "events": []}})),
            "autoRollbackConfiguration.events: rollback is enabled but no event is listed"),
        invalid("eleven triggers", group("shop", json!({"triggerConfigurations": triggers(11)})),
            "triggerConfigurations: 11 triggers, above the limit of 10"),
        invalid("trigger to a queue", group("shop", json!({"triggerConfigurations": [
                trigger("t", "arn:aws:sqs:us-east-1:123456789012:deployments", json!(["DeploymentStart"]))]})),
            "triggerConfigurations[0].triggerTargetArn: \"arn:aws:sqs:us-east-1:123456789012:deployments\" is not an SNS topic ARN"),
        invalid("trigger without events", group("shop", json!({"triggerConfigurations": [trigger("t", TOPIC, json!([]))]})),
            "triggerConfigurations[0].triggerEvents: a trigger needs at least one event"),
        invalid("two triggers of one name", group("shop", json!({"triggerConfigurations": [
                trigger("t", TOPIC, json!(["DeploymentStart"])), trigger("t", TOPIC, json!(["DeploymentStop"]))]})),
            "triggerConfigurations[1].triggerName: \"t\" is used by another trigger of the group"),
        invalid("unknown trigger event", group("shop", json!({"triggerConfigurations": [trigger("t", TOPIC, json!(["DeploymentDone"]))]})),
            "unknown variant `DeploymentDone`"),
        invalid("misspelt group field", group("shop", json!({"triggerConfiguration": []})),
            "unknown field `triggerConfiguration`"),
        invalid("existing group", group("shop", json!({"deploymentGroupName": "existing"})),
            "deployment group \"shop/existing\" already exists"),
        ("update of a missing group", {
            let mut request = group("shop", json!({"deploymentGroupName": "payments"}));
            request["action"] = "update-deployment-group".into();
            request
        }, "DEPLOYMENT_GROUP_MISSING", "payments".to_owned()),
        invalid("config with a 0 % canary", config(json!({"type": "TimeBasedCanary",
                "timeBasedCanary": {"canaryPercentage": 0, "canaryInterval": 5}})),
            "trafficRoutingConfig.timeBasedCanary.canaryPercentage: 0 is not a percentage between 1 and 99"),
        invalid("config with a reserved name", {
            let mut request = config(json!({"type": "AllAtOnce"}));
            request["deploymentConfigName"] = "CodeDeployDefault.Careful".into();
            request
        }, "is reserved for the predefined configs"),
        invalid("predefined config deleted", json!({"action": "delete-deployment-config",
                "deploymentConfigName": "CodeDeployDefault.LambdaAllAtOnce"}),
            "deploymentConfigName: \"CodeDeployDefault.LambdaAllAtOnce\" is predefined and cannot be deleted"),
        invalid("missing config deleted", json!({"action": "delete-deployment-config", "deploymentConfigName": "careful"}),
            "deploymentConfigName: no deployment config named \"careful\""),
        invalid("unknown action", json!({"action": "rename-application", "applicationName": "shop"}),
            "unknown variant `rename-application`"),
    ]
}

#[tokio::test]
async fn every_rule_is_checked_with_its_own_error_and_nothing_is_written() {
    let world = TestWorld::manual().await;
    world.registered(action("create-application")).await;
    world
        .registered(json!({"action": "create-application", "applicationName": "storefront", "computePlatform": "ECS"}))
        .await;
    world
        .registered(group("shop", json!({"deploymentGroupName": "existing"})))
        .await;
    let before = world.item_count().await;
    let mut wrong = Vec::new();

    for (case, request, error_type, message) in cases() {
        match world.register_request(request).await {
            Ok(answer) => wrong.push(format!("{case}: accepted ({answer})")),
            Err(error) if error.error_type != error_type || !error.message.contains(&message) => {
                wrong.push(format!(
                    "{case}: expected {error_type} with {message:?}, got {}: {}",
                    error.error_type, error.message
                ))
            }
            Err(_) => {}
        }
    }

    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
    assert_eq!(world.item_count().await, before);
}
