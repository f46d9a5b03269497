//! What the workflow tests share beyond the harness ([`TestWorld`]): sample targets on the
//! emulator, groups and requests, and the routing a run must show.

mod model;

pub use gradual_local::testing::{HookCall, Reply, TestWorld};
pub use model::{expected_success, routing_at, seen, test_traffic, Seen};

use gradual_core::{
    AutoRollbackConfiguration, AutoRollbackEvent, ComputePlatform, Deployment, DeploymentGroup,
    Hook, LifecycleEvent, Target, TriggerConfig, TriggerEvent,
};
use gradual_emulator::sample::alb::AlbWorld;
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_emulator::unique_name;
use gradual_handlers::create_deployment::CreateDeploymentRequest;
use gradual_local::world::{Routing, TriggerTopic};
use serde_json::{json, Value};

/// A target on the emulator, and the routing it had before any deployment touched it.
#[derive(Debug, Clone)]
pub struct Subject {
    pub target: Target,
    pub initial: Routing,
}

impl Subject {
    async fn read(world: &TestWorld, target: Target) -> Self {
        let initial = world.routing(&target).await;
        Subject { target, initial }
    }
}

/// A function whose alias `live` serves version 1, to be moved to version 2.
pub async fn alias_subject(world: &TestWorld) -> (LambdaWorld, Subject) {
    let sample = LambdaWorld::new().await;
    let target = Target::LambdaAlias(sample.target("1", "2"));
    let subject = Subject::read(world, target).await;
    (sample, subject)
}

/// A load balancer whose production and test listeners forward to blue, to be moved to green.
pub async fn listener_subject(world: &TestWorld) -> (AlbWorld, Subject) {
    let sample = AlbWorld::new().await;
    let target = Target::AlbListener(sample.target());
    let subject = Subject::read(world, target).await;
    (sample, subject)
}

/// A group of a new application that rolls back on failure and has no trigger.
pub fn group(platform: ComputePlatform, config: &str) -> DeploymentGroup {
    DeploymentGroup {
        application_name: unique_name("app"),
        deployment_group_name: "main".to_owned(),
        compute_platform: platform,
        deployment_config_name: config.to_owned(),
        targets: Vec::new(),
        auto_rollback_configuration: rollback_on_failure(true),
        alarm_configuration: Default::default(),
        trigger_configurations: Vec::new(),
    }
}

pub fn rollback_on_failure(enabled: bool) -> AutoRollbackConfiguration {
    AutoRollbackConfiguration {
        enabled,
        events: vec![AutoRollbackEvent::DeploymentFailure],
    }
}

pub fn trigger(name: &str, topic: &TriggerTopic, events: &[TriggerEvent]) -> TriggerConfig {
    TriggerConfig {
        trigger_name: name.to_owned(),
        trigger_target_arn: topic.topic_arn.clone(),
        trigger_events: events.to_vec(),
    }
}

/// A request to move `subject` with the group's config, running `hooks` (event, function).
pub fn request(
    group: &DeploymentGroup,
    subject: &Subject,
    hooks: &[(LifecycleEvent, &str)],
) -> CreateDeploymentRequest {
    let hooks: Vec<Hook> = hooks
        .iter()
        .map(|(event, function)| Hook {
            event: *event,
            function_name: (*function).to_owned(),
        })
        .collect();
    let revision = json!({"revisionType": "Targets", "targets": [subject.target], "hooks": hooks});
    client_request(group, revision)
}

/// A request to deploy an AppSpec to the group.
pub fn appspec_request(group: &DeploymentGroup, appspec: &str) -> CreateDeploymentRequest {
    let revision =
        json!({"revisionType": "AppSpecContent", "appSpecContent": {"content": appspec}});
    client_request(group, revision)
}

/// The request as a client sends it: JSON, every optional field left out.
fn client_request(group: &DeploymentGroup, revision: Value) -> CreateDeploymentRequest {
    let request = json!({
        "applicationName": group.application_name,
        "deploymentGroupName": group.deployment_group_name,
        "revision": revision,
    });
    serde_json::from_value(request).expect("a well-formed create-deployment request")
}

/// The seconds between the deployment's start and its end, as stored.
pub fn duration(deployment: &Deployment) -> time::Duration {
    let start = deployment.start_time.expect("the deployment started");
    let end = deployment.complete_time.expect("the deployment ended");
    end - start
}
