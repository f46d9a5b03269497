//! Requests create-deployment refuses: each with its own error type and a message naming the
//! field at fault, and none writes anything.

use super::support::{targets_request, TestWorld, CANARY, ECS_APPSPEC};
use gradual_emulator::sample::lambda::LambdaWorld;
use serde_json::{json, Value};

/// `(what is wrong, request, error type, part of the message)`.
type Case = (&'static str, Value, &'static str, &'static str);

fn cases(function: &str) -> Vec<Case> {
    let valid = targets_request("shop", "checkout", function);
    let with = |field: &str, value: Value| {
        let mut request = valid.clone();
        request[field] = value;
        request
    };
    let without = |field: &str| {
        let mut request = valid.clone();
        request.as_object_mut().map(|fields| fields.remove(field));
        request
    };
    let appspec = |content: &str| {
        with(
            "revision",
            json!({"revisionType": "AppSpecContent", "appSpecContent": {"content": content}}),
        )
    };
    vec![
        (
            "unknown application",
            with("applicationName", "bakery".into()),
            "APPLICATION_MISSING",
            "applicationName: application \"bakery\" does not exist",
        ),
        (
            "unknown group",
            with("deploymentGroupName", "payments".into()),
            "DEPLOYMENT_GROUP_MISSING",
            "deploymentGroupName: deployment group \"payments\" of application \"shop\" does not exist",
        ),
        (
            "unknown config",
            with("deploymentConfigName", "CodeDeployDefault.LambdaCanary99Percent".into()),
            "InvalidInput",
            "deploymentConfigName: no deployment config named \"CodeDeployDefault.LambdaCanary99Percent\" for Lambda",
        ),
        (
            "config of another platform",
            with("deploymentConfigName", "CodeDeployDefault.ECSAllAtOnce".into()),
            "InvalidInput",
            "\"CodeDeployDefault.ECSAllAtOnce\" is for ECS, but the deployment is on Lambda",
        ),
        (
            "malformed AppSpec",
            appspec("version: 0.0\nResources: [\n"),
            "INVALID_REVISION",
            "revision.appSpecContent.content: ",
        ),
        (
            "AppSpec of another platform",
            appspec(ECS_APPSPEC),
            "INVALID_REVISION",
            "revision: a ECS revision cannot be deployed to the Lambda deployment group \"checkout\"",
        ),
        (
            "listener targets in a Lambda group",
            with(
                "revision",
                json!({"revisionType": "Targets", "targets": [{
                    "type": "AlbListener",
                    "listenerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef",
                    "blueTargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef",
                    "greenTargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/0123456789abcdef"
                }]}),
            ),
            "INVALID_REVISION",
            "deployed to the Lambda deployment group",
        ),
        (
            "nothing to deploy",
            with("revision", json!({"revisionType": "Targets", "targets": []})),
            "INVALID_REVISION",
            "revision: nothing to deploy",
        ),
        (
            "missing revision",
            without("revision"),
            "InvalidInput",
            "missing field `revision`",
        ),
        (
            "missing group",
            without("deploymentGroupName"),
            "InvalidInput",
            "missing field `deploymentGroupName`",
        ),
        (
            "number for a name",
            with("applicationName", 42.into()),
            "InvalidInput",
            "invalid type: integer `42`, expected a string",
        ),
        (
            "unknown revision type",
            with("revision", json!({"revisionType": "S3", "s3Location": {}})),
            "InvalidInput",
            "unknown variant `S3`",
        ),
        (
            "misspelt field",
            with("deploymentConfig", CANARY.into()),
            "InvalidInput",
            "unknown field `deploymentConfig`",
        ),
        (
            "too many alarms in the override",
            with(
                "alarmConfiguration",
                json!({"enabled": true, "alarms": (0..11).map(|n| format!("alarm-{n}")).collect::<Vec<_>>()}),
            ),
            "InvalidInput",
            "alarmConfiguration.alarms: 11 alarms, above the limit of 10",
        ),
        (
            "alarm override enabled without alarms",
            with("alarmConfiguration", json!({"enabled": true, "alarms": []})),
            "InvalidInput",
            "alarmConfiguration.alarms: alarms are enabled but none is listed",
        ),
        (
            "rollback override enabled without events",
            with("autoRollbackConfiguration", json!({"enabled": true, "events": []})),
            "InvalidInput",
            "autoRollbackConfiguration.events: rollback is enabled but no event is listed",
        ),
        // Beyond DynamoDB's key limits, these would fail as a store error and be retried.
        (
            "oversized application name",
            with("applicationName", "a".repeat(3000).into()),
            "InvalidInput",
            "applicationName: 3000 characters, above the limit of 100",
        ),
        (
            "oversized group name",
            with("deploymentGroupName", "g".repeat(101).into()),
            "InvalidInput",
            "deploymentGroupName: 101 characters, above the limit of 100",
        ),
        (
            "oversized config name",
            with("deploymentConfigName", "c".repeat(2000).into()),
            "InvalidInput",
            "deploymentConfigName: 2000 characters, above the limit of 100",
        ),
        (
            "oversized token",
            with("clientRequestToken", "t".repeat(5000).into()),
            "InvalidInput",
            "clientRequestToken: a token has 1 to",
        ),
        (
            "oversized description",
            with("description", "d".repeat(500_000).into()),
            "InvalidInput",
            "description: 500000 characters, above the limit of 4096",
        ),
        (
            "misspelt field of a target",
            with(
                "revision",
                json!({"revisionType": "Targets", "targets": [{
                    "type": "LambdaAlias", "functionName": function, "alias": "live",
                    "currentVersion": "1", "targetVersion": "2", "Alias": "staging"
                }]}),
            ),
            "InvalidInput",
            "unknown field `Alias`",
        ),
        (
            // Silently ignored, it would move the listener's default action instead of the rule.
            "misspelt rule of a listener target",
            with(
                "revision",
                json!({"revisionType": "Targets", "targets": [{
                    "type": "AlbListener",
                    "listenerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef",
                    "ruleARN": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/0123456789abcdef/0123456789abcdef/0123456789abcdef",
                    "blueTargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef",
                    "greenTargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/0123456789abcdef"
                }]}),
            ),
            "InvalidInput",
            "unknown field `ruleARN`",
        ),
        (
            "misspelt field of a hook",
            with(
                "revision",
                json!({"revisionType": "Targets", "targets": valid["revision"]["targets"],
                       "hooks": [{"event": "BeforeAllowTraffic", "function_name": "check",
                                  "timeout": 60}]}),
            ),
            "InvalidInput",
            "unknown field `timeout`",
        ),
        (
            "AppSpec whose hash is not its content's",
            with(
                "revision",
                json!({"revisionType": "AppSpecContent", "appSpecContent": {
                    "content": "version: 0.0\nResources: []\n",
                    "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}}),
            ),
            "INVALID_REVISION",
            "revision.appSpecContent.sha256: \"0000",
        ),
        (
            "not an object",
            json!(["shop", "checkout"]),
            "InvalidInput",
            "a request is a JSON object, not an array",
        ),
    ]
}

#[tokio::test]
async fn each_invalid_request_gets_its_own_error_and_writes_nothing() {
    let world = TestWorld::manual().await;
    let function = world.lambda_group("shop", "checkout", CANARY).await;
    let before = world.item_count().await;
    let mut wrong = Vec::new();

    for (case, request, error_type, message) in cases(&function.function) {
        match world.create(request).await {
            Ok(answer) => wrong.push(format!("{case}: accepted ({answer})")),
            Err(error) if error.error_type != error_type || !error.message.contains(message) => {
                wrong.push(format!(
                    "{case}: expected {error_type} with {message:?}, got {}: {}",
                    error.error_type, error.message
                ))
            }
            Err(_) => {}
        }
    }

    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
    world.settle().await;
    assert_eq!(world.item_count().await, before);
    assert_eq!(world.items_of_kind("DEPLOYMENT").await, 0);
}

#[tokio::test]
async fn a_group_that_registers_targets_deploys_to_those_targets_only() {
    let world = TestWorld::manual().await;
    let own = world.lambda_group("shop", "checkout", CANARY).await;
    let registered =
        targets_request("shop", "pinned", &own.function)["revision"]["targets"].clone();
    world
        .registered(
            json!({"action": "create-deployment-group", "applicationName": "shop",
                           "deploymentGroupName": "pinned", "deploymentConfigName": CANARY,
                           "targets": registered}),
        )
        .await;
    let other = LambdaWorld::new().await;
    let before = world.item_count().await;
    let other_alias = other.alias().await;

    let refused = world
        .create(targets_request("shop", "pinned", &other.function))
        .await
        .expect_err("another group's alias");

    assert_eq!(
        refused.error_type, "INVALID_REVISION",
        "{}",
        refused.message
    );
    assert!(
        refused
            .message
            .contains(&format!("alias {}:live", other.function))
            && refused
                .message
                .contains("is not a target of deployment group \"pinned\""),
        "{}",
        refused.message
    );
    assert_eq!(world.item_count().await, before);
    assert_eq!(other.alias().await, other_alias);

    // The registered alias, between other versions, is the group's own.
    let mut own_alias = targets_request("shop", "pinned", &own.function);
    own_alias["revision"]["targets"][0]["currentVersion"] = "2".into();
    own_alias["revision"]["targets"][0]["targetVersion"] = "1".into();
    let created = world
        .create(own_alias)
        .await
        .expect("the group's own alias");
    assert!(created["deploymentId"].is_string(), "{created}");
}
