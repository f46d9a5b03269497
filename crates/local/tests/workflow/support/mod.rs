//! What the workflow tests share: a local world on virtual time that watches traffic, sample
//! targets on the emulator, groups and requests, and runs that end in a stored deployment.
#![allow(dead_code)]

mod hooks;
mod model;

pub use hooks::{HookCall, HookCalls, Reply};
pub use model::{expected_success, routing_at, seen, test_traffic, Seen};

use gradual_core::history::HistoryRecord;
use gradual_core::ports::DeploymentStore;
use gradual_core::{
    AutoRollbackConfiguration, AutoRollbackEvent, ComputePlatform, Deployment, DeploymentGroup,
    DeploymentId, Hook, LifecycleEvent, Target, TriggerConfig, TriggerEvent,
};
use gradual_emulator::sample::alb::AlbWorld;
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_emulator::unique_name;
use gradual_handlers::create_deployment::CreateDeploymentRequest;
use gradual_local::world::{names, LocalWorld, Routing, TrafficLog, TriggerTopic};
use gradual_local::{FunctionError, VirtualClock};
use serde_json::{json, Value};
use std::ops::Deref;
use std::sync::Arc;

/// A local world whose traffic is watched and whose test hooks are recorded.
pub struct TestWorld {
    pub local: LocalWorld,
    pub clock: VirtualClock,
    pub traffic: Arc<TrafficLog>,
    pub hooks: Arc<HookCalls>,
}

impl Deref for TestWorld {
    type Target = LocalWorld;

    fn deref(&self) -> &LocalWorld {
        &self.local
    }
}

impl TestWorld {
    /// A world whose clock jumps to the next deadline whenever everything is idle.
    pub async fn new() -> Self {
        Self::on(VirtualClock::auto_advancing()).await
    }

    /// A world whose clock moves only when the test moves it.
    pub async fn manual() -> Self {
        Self::on(VirtualClock::manual()).await
    }

    async fn on(clock: VirtualClock) -> Self {
        let local = LocalWorld::new(Arc::new(clock.clone())).await;
        let traffic = local.observe_traffic();
        TestWorld {
            local,
            clock,
            traffic,
            hooks: Arc::default(),
        }
    }

    /// Registers a hook function called `name` that answers as `reply` says.
    pub fn hook(&self, name: &str, reply: Reply) {
        hooks::register(self, name, reply);
    }

    pub async fn register(&self, group: &DeploymentGroup) {
        self.register_group(group)
            .await
            .expect("register the deployment group");
    }

    /// Asks create-deployment for the deployment; it must accept.
    pub async fn start(&self, request: &CreateDeploymentRequest) -> DeploymentId {
        self.deploy(request)
            .await
            .unwrap_or_else(|error| panic!("create-deployment refused {request:?}: {error}"))
    }

    /// Waits for the deployment's workflow to end and returns the deployment as stored.
    pub async fn finish(&self, id: &DeploymentId) -> Deployment {
        self.wait_for(id)
            .await
            .unwrap_or_else(|error| panic!("the workflow of {id} cannot be awaited: {error}"));
        self.deployment(id).await
    }

    /// Starts the deployment and waits for it to end.
    pub async fn run(&self, request: &CreateDeploymentRequest) -> Deployment {
        let id = self.start(request).await;
        self.finish(&id).await
    }

    pub async fn history(&self, id: &DeploymentId) -> Vec<HistoryRecord> {
        self.store.history(id).await.expect("read the history")
    }

    pub async fn history_keys(&self, id: &DeploymentId) -> Vec<String> {
        let history = self.history(id).await;
        history.into_iter().map(|record| record.key).collect()
    }

    /// The routing a target has on the emulator now.
    pub async fn routing(&self, target: &Target) -> Routing {
        self.routing_reader()
            .target(target)
            .await
            .unwrap_or_else(|error| panic!("read the routing of {target}: {error}"))
    }

    /// Reports a hook's status through hook-callback, as a hook function would.
    pub async fn report(
        &self,
        deployment_id: &str,
        execution_id: &str,
        status: &str,
    ) -> Result<Value, FunctionError> {
        let report = json!({
            "deploymentId": deployment_id,
            "lifecycleEventHookExecutionId": execution_id,
            "status": status,
        });
        self.invoke(names::HOOK_CALLBACK, report).await
    }

    /// The names of the trigger events the topic received, oldest first.
    pub async fn events(&self, topic: &TriggerTopic) -> Vec<String> {
        let received = self.notifications(topic).await;
        received
            .into_iter()
            .map(|notification| notification.event_name.unwrap_or_default())
            .collect()
    }
}

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
