//! SNS triggers, read back from SQS: the events in order, each once, in CodeDeploy's message
//! shape, and only to the triggers subscribed to them.

use super::support::{alias_subject, group, request, trigger, Reply, TestWorld};
use gradual_asl::VirtualClock;
use gradual_aws::sns::notifications::ReceivedNotification;
use gradual_core::LifecycleEvent::AfterAllowTraffic;
use gradual_core::{ComputePlatform, Deployment, DeploymentGroup, TriggerEvent};
use gradual_local::world::TriggerTopic;
use serde_json::{json, Map, Value};

const CANARY: &str = "CodeDeployDefault.LambdaCanary10Percent5Minutes";
/// The virtual clock's start, and five minutes later, as CodeDeploy writes times.
const CREATED: &str = "Mon Jan 01 00:00:00 UTC 2024";
const FIVE_MINUTES_LATER: &str = "Mon Jan 01 00:05:00 UTC 2024";

#[tokio::test]
async fn a_successful_deployment_notifies_its_start_and_its_success() {
    let world = TestWorld::new().await;
    let topic = world.trigger_topic().await;
    let group = group_notifying(&[("everything", &topic, &TriggerEvent::ALL)]);
    let deployment = deploy(&world, &group, false).await;
    assert_eq!(deployment.create_time, VirtualClock::DEFAULT_START);

    let received = world.notifications(&topic).await;

    assert_eq!(events(&received), ["DeploymentStart", "DeploymentSuccess"]);
    assert_message(
        &received[0],
        &deployment,
        "everything",
        json!({"status": "CREATED", "deploymentOverview": overview("1", "0", "0")}),
    );
    assert_message(
        &received[1],
        &deployment,
        "everything",
        json!({
            "status": "SUCCEEDED",
            "completeTime": FIVE_MINUTES_LATER,
            "deploymentOverview": overview("0", "1", "0"),
        }),
    );
}

#[tokio::test]
async fn a_failed_deployment_notifies_its_start_its_rollback_and_its_failure() {
    let world = TestWorld::new().await;
    let topic = world.trigger_topic().await;
    let group = group_notifying(&[("everything", &topic, &TriggerEvent::ALL)]);
    let deployment = deploy(&world, &group, true).await;
    assert_eq!(deployment.create_time, VirtualClock::DEFAULT_START);

    let received = world.notifications(&topic).await;

    assert_eq!(
        events(&received),
        ["DeploymentStart", "DeploymentRollback", "DeploymentFailure"]
    );
    let error = deployment
        .error_information
        .clone()
        .expect("the failure is explained");
    let failed = json!({
        "status": "FAILED",
        "completeTime": FIVE_MINUTES_LATER,
        "deploymentOverview": overview("0", "0", "1"),
        "errorInformation": {"ErrorCode": "HOOK_EXECUTION_FAILURE", "ErrorMessage": error.message},
    });
    assert_message(
        &received[0],
        &deployment,
        "everything",
        json!({"status": "CREATED", "deploymentOverview": overview("1", "0", "0")}),
    );
    assert_message(&received[1], &deployment, "everything", failed.clone());
    assert_message(&received[2], &deployment, "everything", failed);
}

#[tokio::test]
async fn a_trigger_receives_only_the_events_it_subscribes_to() {
    let world = TestWorld::new().await;
    let everything = world.trigger_topic().await;
    let bad_news = world.trigger_topic().await;
    let subscribed = [
        TriggerEvent::DeploymentFailure,
        TriggerEvent::DeploymentRollback,
    ];
    let triggers = [
        ("everything", &everything, &TriggerEvent::ALL[..]),
        ("bad-news", &bad_news, &subscribed[..]),
    ];

    let succeeded = deploy(&world, &group_notifying(&triggers), false).await;
    assert_eq!(
        world.events(&everything).await,
        ["DeploymentStart", "DeploymentSuccess"]
    );
    assert_eq!(world.events(&bad_news).await, Vec::<String>::new());

    let failed = deploy(&world, &group_notifying(&triggers), true).await;
    let received = world.notifications(&bad_news).await;
    assert_eq!(
        events(&received),
        ["DeploymentRollback", "DeploymentFailure"]
    );
    for notification in &received {
        let message = fields(notification);
        assert_eq!(message["eventTriggerName"], "bad-news");
        assert_eq!(message["deploymentId"], failed.id.as_str());
    }
    assert_eq!(
        world.events(&everything).await,
        ["DeploymentStart", "DeploymentRollback", "DeploymentFailure"]
    );
    assert_ne!(succeeded.id, failed.id);
}

/// A Lambda canary group whose triggers are `(name, topic, events)`.
fn group_notifying(triggers: &[(&str, &TriggerTopic, &[TriggerEvent])]) -> DeploymentGroup {
    let mut group = group(ComputePlatform::Lambda, CANARY);
    group.trigger_configurations = triggers
        .iter()
        .map(|(name, topic, events)| trigger(name, topic, events))
        .collect();
    group
}

/// Runs a canary of its own function; its AfterAllowTraffic hook fails when asked to.
async fn deploy(world: &TestWorld, group: &DeploymentGroup, hook_fails: bool) -> Deployment {
    let reply = if hook_fails {
        Reply::Fail
    } else {
        Reply::Succeed
    };
    let hook = if hook_fails {
        "failing-check"
    } else {
        "passing-check"
    };
    world.hook(hook, reply);
    let (_, subject) = alias_subject(world).await;
    world.register(group).await;
    let deployment = world
        .run(&request(group, &subject, &[(AfterAllowTraffic, hook)]))
        .await;
    deployment
}

fn events(received: &[ReceivedNotification]) -> Vec<&str> {
    received
        .iter()
        .map(|notification| notification.event_name.as_deref().unwrap_or("(none)"))
        .collect()
}

fn fields(notification: &ReceivedNotification) -> Map<String, Value> {
    serde_json::from_str(&notification.message).expect("a trigger message is a JSON object")
}

/// CodeDeploy's instance counts, one target in one of the buckets.
fn overview(in_progress: &str, succeeded: &str, failed: &str) -> Value {
    json!({
        "Failed": failed,
        "InProgress": in_progress,
        "Pending": "0",
        "Skipped": "0",
        "Succeeded": succeeded,
    })
}

/// Checks every field of a trigger message: the ones every message has, plus `varying`
/// (status, and completeTime, deploymentOverview, errorInformation where they apply), and no
/// other. CodeDeploy writes the overview and the error information as JSON text.
fn assert_message(
    notification: &ReceivedNotification,
    deployment: &Deployment,
    trigger_name: &str,
    varying: Value,
) {
    let mut message = fields(notification);
    for embedded in ["deploymentOverview", "errorInformation"] {
        if let Some(Value::String(text)) = message.get(embedded) {
            let parsed = serde_json::from_str(text).expect("embedded JSON text");
            message.insert(embedded.to_owned(), parsed);
        }
    }
    let mut expected = json!({
        "region": "us-east-1",
        "accountId": "123456789012",
        "eventTriggerName": trigger_name,
        "applicationName": deployment.application_name,
        "deploymentId": deployment.id.as_str(),
        "deploymentGroupName": deployment.deployment_group_name,
        "createTime": CREATED,
    });
    expected
        .as_object_mut()
        .unwrap()
        .extend(varying.as_object().unwrap().clone());
    assert_eq!(
        Value::Object(message),
        expected,
        "{:?}",
        notification.event_name
    );
    let status = expected["status"].as_str().unwrap();
    let subject = notification.subject.as_deref().unwrap_or_default();
    assert!(
        subject.starts_with(status) && subject.contains(deployment.id.as_str()),
        "subject {subject:?}"
    );
}
