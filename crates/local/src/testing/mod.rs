//! The one harness of the tests that run gradual on the local world (feature `testing`): a
//! [`LocalWorld`] on virtual time that watches traffic, records its test hooks' calls, and
//! starts, steps and awaits deployments the way a client of gradual would; the samples under
//! `events/`; the table's items; the logs the functions write.

pub mod chaos;
mod hooks;
mod logs;
mod samples;

pub use hooks::{HookCall, HookCalls, Reply};
pub use logs::{capture_logs, CaptureGuard, CapturedLogs};
pub use samples::{deployment_id, sample};

use crate::faults::FaultPlan;
use crate::world::{LocalWorld, Routing, TrafficLog, TriggerTopic};
use aws_sdk_dynamodb::types::{AttributeValue, Select};
use gradual_asl::{FunctionError, VirtualClock};
use gradual_aws::dynamodb::schema::SORT_KEY;
use gradual_core::history::HistoryRecord;
use gradual_core::ports::{ApplicationStore, HistoryStore};
use gradual_core::{Deployment, DeploymentGroup, DeploymentId, DeploymentStatus, Target};
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_handlers::create_deployment::CreateDeploymentRequest;
use gradual_handlers::Function;
use serde_json::{json, Value};
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

/// How long a test waits for a workflow to end once time runs by itself: far beyond any
/// deployment on virtual time, short enough to fail a stuck test instead of hanging it.
const WORKFLOW_END: Duration = Duration::from_secs(120);

/// A local world for tests: its clock, the traffic it observed and its test hooks' calls.
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

    /// A world whose clock moves only when the test moves it: deployments stop at their first
    /// bake.
    pub async fn manual() -> Self {
        Self::on(VirtualClock::manual()).await
    }

    /// A world on `clock` (auto-advancing) whose functions' AWS calls and invocations fail as
    /// `plan` says.
    pub async fn with_plan(clock: VirtualClock, plan: Arc<FaultPlan>) -> Self {
        Self::on_faults(clock, Some(plan)).await
    }

    async fn on(clock: VirtualClock) -> Self {
        Self::on_faults(clock, None).await
    }

    async fn on_faults(clock: VirtualClock, faults: Option<Arc<FaultPlan>>) -> Self {
        logs::install();
        let local = LocalWorld::new_with_faults(Arc::new(clock.clone()), faults).await;
        let traffic = local.observe_traffic();
        TestWorld {
            local,
            clock,
            traffic,
            hooks: Arc::default(),
        }
    }

    /// Registers a test hook function called `name` that answers as `reply` says.
    pub fn hook(&self, name: &str, reply: Reply) {
        hooks::register(self, name, reply);
    }

    /// Registers the group, and its application unless it exists; it must be accepted.
    pub async fn register(&self, group: &DeploymentGroup) {
        self.register_group(group)
            .await
            .expect("register the deployment group");
    }

    /// Sends a request to the register function.
    pub async fn register_request(&self, payload: Value) -> Result<Value, FunctionError> {
        self.call(Function::Register, payload).await
    }

    /// Sends a request to the register function; it must accept.
    pub async fn registered(&self, payload: Value) -> Value {
        let action = payload["action"].clone();
        self.register_request(payload)
            .await
            .unwrap_or_else(|error| panic!("register refused {action}: {error}"))
    }

    /// A Lambda application with one group moving a fresh function's alias `live`.
    pub async fn lambda_group(&self, application: &str, group: &str, config: &str) -> LambdaWorld {
        self.lambda_group_with(application, group, config, json!({}))
            .await
    }

    /// Like [`TestWorld::lambda_group`], with more of the group's fields (`extra`).
    pub async fn lambda_group_with(
        &self,
        application: &str,
        group: &str,
        config: &str,
        extra: Value,
    ) -> LambdaWorld {
        let existing = self.store.get_application(application).await;
        if existing.expect("read the application").is_none() {
            self.registered(json!({
                "action": "create-application",
                "applicationName": application,
                "computePlatform": "Lambda",
            }))
            .await;
        }
        let mut request = json!({
            "action": "create-deployment-group",
            "applicationName": application,
            "deploymentGroupName": group,
            "deploymentConfigName": config,
        });
        if let (Some(request), Some(extra)) = (request.as_object_mut(), extra.as_object()) {
            request.extend(extra.clone());
        }
        self.registered(request).await;
        LambdaWorld::new().await
    }

    /// Sends a payload to create-deployment, as a client would.
    pub async fn create(&self, payload: Value) -> Result<Value, FunctionError> {
        self.call(Function::CreateDeployment, payload).await
    }

    /// Asks create-deployment for the deployment; it must accept.
    pub async fn start(&self, request: &CreateDeploymentRequest) -> DeploymentId {
        self.deploy(request)
            .await
            .unwrap_or_else(|error| panic!("create-deployment refused {request:?}: {error}"))
    }

    /// Waits for the deployment's workflow to end and returns the deployment as stored.
    pub async fn finish(&self, id: &DeploymentId) -> Deployment {
        tokio::time::timeout(WORKFLOW_END, self.wait_for(id))
            .await
            .unwrap_or_else(|_| panic!("the workflow of {id} did not end"))
            .unwrap_or_else(|error| panic!("the workflow of {id} cannot be awaited: {error}"));
        self.deployment(id).await
    }

    /// Starts the deployment and waits for it to end.
    pub async fn run(&self, request: &CreateDeploymentRequest) -> Deployment {
        let id = self.start(request).await;
        self.finish(&id).await
    }

    /// Lets the world run until it waits on time: a deployment stops at its first bake.
    pub async fn settle(&self) {
        self.clock.settle().await;
    }

    /// The deployment as stored, which must be waiting in its first bake.
    pub async fn baking(&self, id: &DeploymentId) -> Deployment {
        self.settle().await;
        let deployment = self.deployment(id).await;
        assert_eq!(
            deployment.status,
            DeploymentStatus::Baking,
            "{id} should bake, it is {} ({:?})",
            deployment.status,
            deployment.error_information
        );
        deployment
    }

    /// Lets time run by itself until the deployment's workflow ends; the deployment as stored.
    pub async fn run_to_end(&self, id: &DeploymentId) -> Deployment {
        self.clock.set_auto_advance(true);
        self.finish(id).await
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
        self.call(Function::HookCallback, report).await
    }

    /// The names of the trigger events the topic received since the last read, oldest first.
    pub async fn events(&self, topic: &TriggerTopic) -> Vec<String> {
        self.notifications(topic)
            .await
            .into_iter()
            .map(|notification| notification.event_name.unwrap_or_default())
            .collect()
    }

    /// Every item of the table, whatever its kind.
    pub async fn item_count(&self) -> usize {
        self.count(None).await
    }

    /// The items whose sort key is `sort`: `DEPLOYMENT`, `ACTIVE`, `TOKEN`, `APP`, …
    pub async fn items_of_kind(&self, sort: &str) -> usize {
        self.count(Some(sort)).await
    }

    async fn count(&self, sort: Option<&str>) -> usize {
        let mut scan = aws_sdk_dynamodb::Client::new(&self.sdk)
            .scan()
            .table_name(&self.table)
            .select(Select::Count)
            .consistent_read(true);
        if let Some(sort) = sort {
            scan = scan
                .filter_expression("#sort = :sort")
                .expression_attribute_names("#sort", SORT_KEY)
                .expression_attribute_values(":sort", AttributeValue::S(sort.to_owned()));
        }
        let pages = scan
            .into_paginator()
            .send()
            .try_collect()
            .await
            .expect("scan the table");
        pages.iter().map(|page| page.count() as usize).sum()
    }
}
