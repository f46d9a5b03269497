//! What the handlers' unit tests share: the state store in memory ([`MemoryStore`]), fakes of
//! the other ports that record what the handlers asked of them, and a [`World`] that wires
//! them into handlers and reads back what happened.

use crate::bake::Bake;
use crate::create_deployment::CreateDeployment;
use crate::error::HandlerError;
use crate::handler::{handle_json, Handler};
use crate::hook_callback::HookCallback;
use crate::reconcile::Reconciler;
use crate::record_status::RecordStatus;
use crate::run_hook::RunHook;
use crate::shift_traffic::{RouterFactory, ShiftTraffic};
use crate::stop_deployment::StopDeployment;
use async_trait::async_trait;
use gradual_core::fixtures;
use gradual_core::history::HistoryRecord;
use gradual_core::ports::{
    AlarmError, AlarmReading, AlarmSource, AlarmState, ApplicationStore, Clock, DeploymentIndex,
    DeploymentRecords, GroupStore, HistoryStore, HookInvokeError, HookInvoker, HookPayload,
    MemoryStore, Notification, Notifier, NotifyError, TrafficRouter, Workflow, WorkflowError,
};
use gradual_core::traffic::MemoryRouter;
use gradual_core::trigger::Origin;
use gradual_core::{Deployment, DeploymentGroup, DeploymentId, Target};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};

/// A clock that moves only when told to.
pub struct ManualClock(Mutex<OffsetDateTime>);

impl ManualClock {
    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

/// Keeps every notification published; refuses those for the topics made to fail.
#[derive(Default)]
pub struct RecordingNotifier(Mutex<Vec<Notification>>, Mutex<Vec<String>>);

impl RecordingNotifier {
    /// Every later publication to `topic_arn` fails, as to a deleted topic.
    pub fn fail_topic(&self, topic_arn: &str) {
        self.1.lock().unwrap().push(topic_arn.to_owned());
    }

    pub fn published(&self) -> Vec<Notification> {
        self.0.lock().unwrap().clone()
    }

    /// The event of each notification, in order.
    pub fn event_names(&self) -> Vec<String> {
        self.published()
            .into_iter()
            .map(|notification| notification.event_name)
            .collect()
    }

    /// The event and the message's status of each notification, in order.
    pub fn events(&self) -> Vec<(String, String)> {
        self.published()
            .iter()
            .map(|notification| {
                let message: Value =
                    serde_json::from_str(&notification.message).expect("a JSON message");
                let status = message["status"].as_str().unwrap_or_default().to_owned();
                (notification.event_name.clone(), status)
            })
            .collect()
    }
}

#[async_trait]
impl Notifier for RecordingNotifier {
    async fn publish(&self, notification: &Notification) -> Result<(), NotifyError> {
        if self.1.lock().unwrap().contains(&notification.topic_arn) {
            return Err(NotifyError {
                topic_arn: notification.topic_arn.clone(),
                reason: "NotFound: Topic does not exist".to_owned(),
            });
        }
        self.0.lock().unwrap().push(notification.clone());
        Ok(())
    }
}

/// A failed task: its token, the error and the cause.
pub type TaskFailure = (String, String, String);

/// Records the workflows started and the tasks failed.
#[derive(Default)]
pub struct RecordingWorkflow {
    started: Mutex<Vec<(String, Value)>>,
    succeeded: Mutex<Vec<(String, Value)>>,
    failed: Mutex<Vec<TaskFailure>>,
    /// How many of the next starts fail, as a service outage would fail them.
    failing_starts: Mutex<usize>,
    /// How many of the next task answers (success or failure) fail likewise.
    failing_answers: Mutex<usize>,
    /// The executions that ended (the others started run).
    ended: Mutex<Vec<String>>,
}

impl RecordingWorkflow {
    /// Makes the next `count` task answers fail, the task still waiting.
    pub fn fail_next_task_answers(&self, count: usize) {
        *self.failing_answers.lock().unwrap() = count;
    }

    /// Refuses a token whose task was already resumed, or an answer made to fail.
    fn answered(&self, task_token: &str) -> Result<(), WorkflowError> {
        {
            let mut failing = self.failing_answers.lock().unwrap();
            if *failing > 0 {
                *failing -= 1;
                return Err(WorkflowError::Backend(
                    "SendTaskSuccess: service unavailable (injected)".to_owned(),
                ));
            }
        }
        let succeeded = self.succeeded.lock().unwrap();
        let failed = self.failed.lock().unwrap();
        let gone = succeeded.iter().any(|(token, _)| token == task_token)
            || failed.iter().any(|(token, _, _)| token == task_token);
        if gone {
            return Err(WorkflowError::TaskGone(format!(
                "task {task_token} was already resumed"
            )));
        }
        Ok(())
    }

    /// Makes the next `count` starts fail (they are not recorded as started).
    pub fn fail_next_starts(&self, count: usize) {
        *self.failing_starts.lock().unwrap() = count;
    }

    /// Ends the execution named `name`, as a stop in the console would.
    pub fn end(&self, name: &str) {
        self.ended.lock().unwrap().push(name.to_owned());
    }

    /// The name and input of every start, in order.
    pub fn started(&self) -> Vec<(String, Value)> {
        self.started.lock().unwrap().clone()
    }

    /// The token and output of every task resumed with success, in order.
    pub fn succeeded_tasks(&self) -> Vec<(String, Value)> {
        self.succeeded.lock().unwrap().clone()
    }

    pub fn failed_tasks(&self) -> Vec<TaskFailure> {
        self.failed.lock().unwrap().clone()
    }
}

#[async_trait]
impl Workflow for RecordingWorkflow {
    async fn start(&self, name: &str, input: &Value) -> Result<String, WorkflowError> {
        {
            let mut failing = self.failing_starts.lock().unwrap();
            if *failing > 0 {
                *failing -= 1;
                return Err(WorkflowError::Backend(
                    "StartExecution: service unavailable (injected)".to_owned(),
                ));
            }
        }
        self.started
            .lock()
            .unwrap()
            .push((name.to_owned(), input.clone()));
        Ok(format!(
            "arn:aws:states:us-east-1:123456789012:execution:gradual-deployment:{name}"
        ))
    }

    async fn is_running(&self, name: &str) -> Result<bool, WorkflowError> {
        let started = self.started.lock().unwrap().iter().any(|(n, _)| n == name);
        Ok(started && !self.ended.lock().unwrap().iter().any(|n| n == name))
    }

    /// A token resumes its task once, as in Step Functions: a second answer finds it gone.
    async fn send_task_success(
        &self,
        task_token: &str,
        output: &Value,
    ) -> Result<(), WorkflowError> {
        self.answered(task_token)?;
        self.succeeded
            .lock()
            .unwrap()
            .push((task_token.to_owned(), output.clone()));
        Ok(())
    }

    async fn send_task_failure(
        &self,
        task_token: &str,
        error: &str,
        cause: &str,
    ) -> Result<(), WorkflowError> {
        self.answered(task_token)?;
        self.failed.lock().unwrap().push((
            task_token.to_owned(),
            error.to_owned(),
            cause.to_owned(),
        ));
        Ok(())
    }
}

/// Records the hook functions invoked, with their payloads.
#[derive(Default)]
pub struct RecordingInvoker(Mutex<Vec<(String, HookPayload)>>);

impl RecordingInvoker {
    pub fn invoked(&self) -> Vec<(String, HookPayload)> {
        self.0.lock().unwrap().clone()
    }
}

#[async_trait]
impl HookInvoker for RecordingInvoker {
    async fn invoke_async(
        &self,
        function_name: &str,
        payload: &HookPayload,
    ) -> Result<(), HookInvokeError> {
        self.0
            .lock()
            .unwrap()
            .push((function_name.to_owned(), payload.clone()));
        Ok(())
    }
}

/// Routes every target of a deployment to one router in memory.
pub struct MemoryRouters(pub Arc<MemoryRouter>);

impl RouterFactory for MemoryRouters {
    fn handles(&self) -> &'static str {
        "Lambda aliases"
    }

    fn router(&self, _target: &Target) -> Option<Arc<dyn TrafficRouter>> {
        Some(self.0.clone())
    }
}

/// Every alarm exists and is OK.
pub struct QuietAlarms;

#[async_trait]
impl AlarmSource for QuietAlarms {
    async fn alarm_states(&self, names: &[String]) -> Result<Vec<AlarmReading>, AlarmError> {
        Ok(names
            .iter()
            .map(|name| AlarmReading {
                name: name.clone(),
                state: AlarmState::Ok,
            })
            .collect())
    }
}

/// The ports, and the handlers built from them.
pub struct World {
    pub store: Arc<MemoryStore>,
    pub clock: Arc<ManualClock>,
    pub notifier: Arc<RecordingNotifier>,
    pub workflow: Arc<RecordingWorkflow>,
    pub invoker: Arc<RecordingInvoker>,
}

impl World {
    pub fn new() -> World {
        World {
            store: Arc::new(MemoryStore::new()),
            clock: Arc::new(ManualClock(Mutex::new(fixtures::created_at()))),
            notifier: Arc::default(),
            workflow: Arc::default(),
            invoker: Arc::default(),
        }
    }

    pub fn run_hook(&self) -> RunHook {
        RunHook {
            store: self.store.clone(),
            signals: self.store.clone(),
            executions: self.store.clone(),
            invoker: self.invoker.clone(),
            workflow: self.workflow.clone(),
            clock: self.clock.clone(),
        }
    }

    pub fn hook_callback(&self) -> HookCallback {
        HookCallback {
            store: self.store.clone(),
            executions: self.store.clone(),
            workflow: self.workflow.clone(),
            clock: self.clock.clone(),
        }
    }

    pub fn record_status(&self) -> RecordStatus {
        RecordStatus {
            store: self.store.clone(),
            signals: self.store.clone(),
            notifier: self.notifier.clone(),
            clock: self.clock.clone(),
            origin: Origin {
                region: "us-east-1".to_owned(),
                account_id: "123456789012".to_owned(),
            },
        }
    }

    pub fn bake(&self) -> Bake {
        Bake {
            store: self.store.clone(),
            signals: self.store.clone(),
            clock: self.clock.clone(),
        }
    }

    pub fn create_deployment(&self) -> CreateDeployment {
        CreateDeployment {
            store: self.store.clone(),
            workflow: self.workflow.clone(),
            clock: self.clock.clone(),
            alarms: Arc::new(QuietAlarms),
        }
    }

    /// The traffic function, moving every target with `router`.
    pub fn shift_traffic(&self, router: Arc<MemoryRouter>) -> ShiftTraffic {
        ShiftTraffic {
            store: self.store.clone(),
            signals: self.store.clone(),
            clock: self.clock.clone(),
            routers: Arc::new(MemoryRouters(router)),
            alarms: Arc::new(QuietAlarms),
        }
    }

    /// stop-deployment; with no running workflow it moves traffic with `router`.
    pub fn stop_deployment_with(&self, router: Arc<MemoryRouter>) -> StopDeployment {
        StopDeployment {
            store: self.store.clone(),
            signals: self.store.clone(),
            workflow: self.workflow.clone(),
            clock: self.clock.clone(),
            reconciler: self.reconciler(router),
        }
    }

    /// stop-deployment, for deployments whose workflow runs.
    pub fn stop_deployment(&self) -> StopDeployment {
        self.stop_deployment_with(Arc::new(MemoryRouter::new("alias checkout:live", "1", "2")))
    }

    /// Reconciliation, moving every target with `router`.
    pub fn reconciler(&self, router: Arc<MemoryRouter>) -> Reconciler {
        Reconciler {
            record: self.record_status(),
            alias_traffic: self.shift_traffic(router.clone()),
            listener_traffic: self.shift_traffic(router),
        }
    }

    /// Registers `group` (as the fixture has it, unless changed first by `adjust`), and its
    /// application.
    pub async fn group(
        &self,
        application: &str,
        name: &str,
        adjust: impl FnOnce(&mut DeploymentGroup),
    ) -> DeploymentGroup {
        if self
            .store
            .get_application(application)
            .await
            .unwrap()
            .is_none()
        {
            self.store
                .create_application(&fixtures::lambda_application(application))
                .await
                .unwrap();
        }
        let mut group = fixtures::lambda_group(application, name);
        adjust(&mut group);
        self.store.create_deployment_group(&group).await.unwrap();
        group
    }

    /// A deployment of `group`, created and started as the workflow's first step does it.
    pub async fn started_deployment(&self, group: &DeploymentGroup) -> DeploymentId {
        let deployment = fixtures::lambda_deployment(group);
        self.store
            .create_deployment(&deployment, None)
            .await
            .unwrap();
        let start = serde_json::json!({"deploymentId": deployment.id, "action": "start"});
        self.workflow
            .start(deployment.id.as_str(), &start)
            .await
            .unwrap();
        run(&self.record_status(), start).await.unwrap();
        deployment.id
    }

    pub async fn deployment(&self, id: &DeploymentId) -> Deployment {
        self.store
            .get_deployment(id)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("deployment {id} is not stored"))
    }

    /// The group's deployments, newest first (one page of ten).
    pub async fn deployments_of(&self, application: &str, group: &str) -> Vec<DeploymentId> {
        self.store
            .list_deployments(application, group, 10, None)
            .await
            .unwrap()
            .items
    }

    pub async fn history_keys(&self, id: &DeploymentId) -> Vec<String> {
        let history = self.store.history(id).await.unwrap();
        history.into_iter().map(|record| record.key).collect()
    }

    /// What the handlers can have changed about these deployments and their group.
    pub async fn snapshot(&self, group: &DeploymentGroup, ids: &[&DeploymentId]) -> Snapshot {
        let (application, name) = (&group.application_name, &group.deployment_group_name);
        let mut deployments = Vec::new();
        let mut histories = Vec::new();
        for id in ids {
            deployments.push(self.deployment(id).await);
            histories.push(self.store.history(id).await.unwrap());
        }
        Snapshot {
            deployments,
            histories,
            listed: self
                .store
                .list_deployments(application, name, 100, None)
                .await
                .unwrap()
                .items,
            active: self
                .store
                .active_deployment(application, name)
                .await
                .unwrap(),
            published: self.notifier.published().len(),
            failed_tasks: self.workflow.failed_tasks(),
        }
    }
}

/// See [`World::snapshot`].
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    deployments: Vec<Deployment>,
    histories: Vec<Vec<HistoryRecord>>,
    listed: Vec<DeploymentId>,
    active: Option<DeploymentId>,
    published: usize,
    failed_tasks: Vec<TaskFailure>,
}

/// Runs `handler` on a JSON payload, as its function does.
pub async fn run<H: Handler>(handler: &H, payload: Value) -> Result<Value, HandlerError> {
    handle_json(handler, payload).await
}
