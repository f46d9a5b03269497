//! What the entry point tests share: a local world on virtual time, counts of the table's
//! items, registration through the register function, and the samples under `events/`.
#![allow(dead_code)]

use aws_sdk_dynamodb::types::{AttributeValue, Select};
use gradual_aws::dynamodb::schema::SORT_KEY;
use gradual_core::ports::DeploymentStore;
use gradual_core::{Deployment, DeploymentId, DeploymentStatus};
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_emulator::{project_root, unique_name};
use gradual_local::world::{names, LocalWorld, TriggerTopic};
use gradual_local::{FunctionError, VirtualClock};
use serde_json::{json, Value};
use std::ops::Deref;
use std::sync::Arc;

/// The names the samples under `events/` use.
pub const SAMPLE_APPLICATION: &str = "shop";
pub const SAMPLE_GROUP: &str = "checkout";
pub const SAMPLE_FUNCTION: &str = "shop-checkout-api";
pub const SAMPLE_JOB_ID: &str = "a6f0c7de-3b4e-4c1f-9d2a-8e5b7c6d1f20";
/// The pipeline sample's artifact credentials, which must never be logged.
pub const SAMPLE_SECRETS: [&str; 3] = [
    "ASIAEXAMPLEPIPELINEKEY",
    "pipelineSecretEXAMPLE+k9Jd2L/w8QzR4vT6yH1nB3mC5xA",
    "IQoJb3JpZ2luX2VjEXAMPLEPIPELINESESSIONTOKEN",
];
pub const CANARY: &str = "CodeDeployDefault.LambdaCanary10Percent5Minutes";
/// An ECS AppSpec: its deployments shift the listeners of their group.
pub const ECS_APPSPEC: &str = "version: 0.0\nResources:\n  - web:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: \"arn:aws:ecs:us-east-1:123456789012:task-definition/web:3\"\n        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 80\n";

pub struct World {
    pub local: LocalWorld,
    pub clock: VirtualClock,
}

impl Deref for World {
    type Target = LocalWorld;

    fn deref(&self) -> &LocalWorld {
        &self.local
    }
}

impl World {
    /// A world whose clock moves only when the test moves it: deployments stop at their first
    /// bake.
    pub async fn manual() -> Self {
        let clock = VirtualClock::manual();
        World {
            local: LocalWorld::new(Arc::new(clock.clone())).await,
            clock,
        }
    }

    /// Calls a function of the world.
    pub async fn call(&self, function: &str, payload: Value) -> Result<Value, FunctionError> {
        self.invoke(function, payload).await
    }

    pub async fn create(&self, payload: Value) -> Result<Value, FunctionError> {
        self.call(names::CREATE_DEPLOYMENT, payload).await
    }

    pub async fn register(&self, payload: Value) -> Result<Value, FunctionError> {
        self.call(names::REGISTER, payload).await
    }

    /// Registers through the register function; it must accept.
    pub async fn registered(&self, payload: Value) -> Value {
        let action = payload["action"].clone();
        self.register(payload)
            .await
            .unwrap_or_else(|error| panic!("register refused {action}: {error}"))
    }

    /// A Lambda application with one group moving a fresh function's alias `live`.
    pub async fn lambda_group(&self, application: &str, group: &str, config: &str) -> LambdaWorld {
        self.lambda_group_with(application, group, config, json!({}))
            .await
    }

    /// Like [`World::lambda_group`], with more of the group's fields (`extra`).
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

    /// Lets time run until the deployment's workflow ends; the deployment as stored then.
    pub async fn run_to_end(&self, id: &DeploymentId) -> Deployment {
        self.clock.set_auto_advance(true);
        self.wait_for(id)
            .await
            .unwrap_or_else(|error| panic!("the workflow of {id} cannot be awaited: {error}"));
        self.deployment(id).await
    }

    /// The trigger events published to `topic` since the last read, in order.
    pub async fn events(&self, topic: &TriggerTopic) -> Vec<String> {
        self.notifications(topic)
            .await
            .into_iter()
            .filter_map(|notification| notification.event_name)
            .collect()
    }
}

/// A sample under `events/`, with `replacements` made in its text (the sample's names, for
/// those of the test's resources).
pub fn sample(path: &str, replacements: &[(&str, &str)]) -> Value {
    let file = project_root().join("events").join(path);
    let mut text = std::fs::read_to_string(&file)
        .unwrap_or_else(|error| panic!("read {}: {error}", file.display()));
    for (from, to) in replacements {
        assert!(text.contains(from), "{path} does not mention {from:?}");
        text = text.replace(from, to);
    }
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The id in a create-deployment answer.
pub fn deployment_id(answer: &Value) -> DeploymentId {
    serde_json::from_value(answer["deploymentId"].clone())
        .unwrap_or_else(|error| panic!("no deployment id in {answer}: {error}"))
}

/// A direct request moving `function`'s alias from version 1 to 2 in the group.
pub fn targets_request(application: &str, group: &str, function: &str) -> Value {
    json!({
        "applicationName": application,
        "deploymentGroupName": group,
        "revision": {"revisionType": "Targets", "targets": [{
            "type": "LambdaAlias", "functionName": function, "alias": "live",
            "currentVersion": "1", "targetVersion": "2"
        }]},
    })
}

/// A name no other test uses.
pub fn fresh(prefix: &str) -> String {
    unique_name(prefix)
}

/// Everything logged on this thread while the guard lives, as JSON lines at every level, the
/// way the functions log in AWS. A current-thread test runs the whole local world on its thread.
pub fn capture_logs() -> (CapturedLogs, tracing::subscriber::DefaultGuard) {
    let logs = CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .finish();
    (logs.clone(), tracing::subscriber::set_default(subscriber))
}

#[derive(Clone, Default)]
pub struct CapturedLogs(Arc<std::sync::Mutex<Vec<u8>>>);

impl CapturedLogs {
    pub fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl std::io::Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for CapturedLogs {
    type Writer = CapturedLogs;

    fn make_writer(&'a self) -> CapturedLogs {
        self.clone()
    }
}
