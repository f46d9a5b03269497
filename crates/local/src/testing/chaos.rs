//! The fault matrix: a deployment run under one fault (an AWS call failing, a function
//! crashing, an out-of-band StopExecution) and checked against gradual's promise afterwards —
//! the deployment and its rollback ended, the group free, traffic fully on the new version
//! (Succeeded) or fully back on the original (Failed or Stopped, rolled back), every trigger
//! published at most once (and at least once when SNS worked), the history complete and in
//! order. The only allowed exception is a fault on the traffic write itself that outlasts the
//! rollback's whole retry budget: the deployment then ends with an error saying where traffic
//! stands, and an alert goes out.

use super::TestWorld;
use crate::faults::{CrashKind, Fault, FaultKind, FaultPlan, FaultTarget, Operation, Persistence};
use crate::world::{names, LocalWorld, Routing, TriggerTopic};
use gradual_asl::{Clock, FunctionError, LambdaFunction, VirtualClock};
use gradual_core::history::HistoryEntry;
use gradual_core::ports::{DeploymentIndex, HistoryStore};
use gradual_core::{
    AutoRollbackConfiguration, AutoRollbackEvent, ComputePlatform, Deployment, DeploymentGroup,
    DeploymentStatus, Hook, LifecycleEvent, Target, TriggerConfig, TriggerEvent,
};
use gradual_emulator::sample::alb::AlbWorld;
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_emulator::unique_name;
use gradual_handlers::create_deployment::CreateDeploymentRequest;
use gradual_handlers::Function;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// The two deployments of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scenario {
    /// A Lambda alias, canary 10 % then 100 %, with BeforeAllowTraffic and AfterAllowTraffic
    /// hooks.
    LambdaCanary,
    /// An ALB listener with a test listener, linear 10 % every minute, with an
    /// AfterAllowTestTraffic hook.
    AlbLinear,
}

impl Scenario {
    pub const ALL: [Scenario; 2] = [Scenario::LambdaCanary, Scenario::AlbLinear];
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scenario::LambdaCanary => "lambda-canary",
            Scenario::AlbLinear => "alb-linear",
        })
    }
}

/// What goes wrong in a case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Disturbance {
    Fault(Fault),
    /// StopExecution from outside, as the `n`th task invocation of the workflow (1, 2, …)
    /// begins; the invoked function still runs, as a Lambda does after its execution stopped.
    StopAt(usize),
}

impl fmt::Display for Disturbance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Disturbance::Fault(fault) => fault.fmt(f),
            Disturbance::StopAt(n) => write!(f, "StopExecution at task {n}"),
        }
    }
}

/// One run of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Case {
    pub scenario: Scenario,
    pub disturbance: Disturbance,
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} × {}", self.scenario, self.disturbance)
    }
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutcomeClass {
    /// Succeeded, all traffic on the new version.
    Succeeded,
    /// Failed or Stopped, all traffic back on the original.
    RolledBack,
    /// The client's create was refused every time: no deployment holds the group.
    NotStarted,
    /// The rollback's traffic write failed beyond its budget; the deployment ended saying
    /// where traffic stands, and an alert went out (allowed only for such a fault).
    RollbackFailedAlerted,
    /// The deployment or its rollback did not end, or the group stayed busy.
    Stuck,
    /// Ended, but some other part of the promise broke.
    Broken,
}

impl fmt::Display for OutcomeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutcomeClass::Succeeded => "succeeded",
            OutcomeClass::RolledBack => "rolled back",
            OutcomeClass::NotStarted => "not started (create refused)",
            OutcomeClass::RollbackFailedAlerted => "rollback failed, alerted",
            OutcomeClass::Stuck => "STUCK",
            OutcomeClass::Broken => "BROKEN",
        })
    }
}

/// What a case showed.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub case: Case,
    pub class: OutcomeClass,
    /// What broke the invariant (empty when it held).
    pub broken: Vec<String>,
    /// How many calls or invocations the fault hit.
    pub hits: usize,
    /// World time from the fault's last hit to the last traffic write (traffic home).
    pub home_after_fault: Option<Duration>,
}

impl Outcome {
    pub fn holds(&self) -> bool {
        self.broken.is_empty()
    }
}

/// The deployment of a scenario, ready to start.
struct Stage {
    request: CreateDeploymentRequest,
    group: DeploymentGroup,
    target: Target,
    initial: Routing,
    topic: TriggerTopic,
}

const LAMBDA_HOOKS: [(LifecycleEvent, &str); 2] = [
    (LifecycleEvent::BeforeAllowTraffic, "chaos-before-allow"),
    (LifecycleEvent::AfterAllowTraffic, "chaos-after-allow"),
];
const ALB_HOOKS: [(LifecycleEvent, &str); 1] =
    [(LifecycleEvent::AfterAllowTestTraffic, "chaos-test-traffic")];

/// The traffic writes of the routers: the last one that got through is when traffic came home.
const TRAFFIC_WRITES: [&str; 3] = ["UpdateAlias", "ModifyListener", "ModifyRule"];

/// How long a client keeps retrying a refused create, and how often.
const CREATE_ATTEMPTS: usize = 6;
const CREATE_RETRY_WAIT: Duration = Duration::from_secs(60);

impl Scenario {
    async fn stage(self, world: &TestWorld) -> Stage {
        let topic = world.trigger_topic().await;
        let (platform, config, target, hooks): (_, _, _, &[(LifecycleEvent, &str)]) = match self {
            Scenario::LambdaCanary => {
                let sample = LambdaWorld::new().await;
                let target = Target::LambdaAlias(sample.target("1", "2"));
                (
                    ComputePlatform::Lambda,
                    "CodeDeployDefault.LambdaCanary10Percent5Minutes",
                    target,
                    &LAMBDA_HOOKS,
                )
            }
            Scenario::AlbLinear => {
                let sample = AlbWorld::new().await;
                let target = Target::AlbListener(sample.target());
                (
                    ComputePlatform::Ecs,
                    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
                    target,
                    &ALB_HOOKS,
                )
            }
        };
        for (_, hook) in hooks {
            world.hook(hook, super::Reply::Succeed);
        }
        let group = DeploymentGroup {
            application_name: unique_name("chaos"),
            deployment_group_name: "main".to_owned(),
            compute_platform: platform,
            deployment_config_name: config.to_owned(),
            targets: Vec::new(),
            auto_rollback_configuration: AutoRollbackConfiguration {
                enabled: true,
                events: vec![
                    AutoRollbackEvent::DeploymentFailure,
                    AutoRollbackEvent::DeploymentStopOnRequest,
                ],
            },
            alarm_configuration: Default::default(),
            trigger_configurations: vec![TriggerConfig {
                trigger_name: "everything".to_owned(),
                trigger_target_arn: topic.topic_arn.clone(),
                trigger_events: TriggerEvent::ALL.to_vec(),
            }],
        };
        world.register(&group).await;
        let hooks: Vec<Hook> = hooks
            .iter()
            .map(|(event, function)| Hook {
                event: *event,
                function_name: (*function).to_owned(),
            })
            .collect();
        let request = serde_json::from_value(json!({
            "applicationName": group.application_name,
            "deploymentGroupName": group.deployment_group_name,
            "revision": {"revisionType": "Targets", "targets": [target], "hooks": hooks},
            "clientRequestToken": unique_name("chaos"),
        }))
        .expect("a well-formed request");
        let initial = world.routing(&target).await;
        Stage {
            request,
            group,
            target,
            initial,
            topic,
        }
    }
}

/// What a clean run of a scenario calls: the axes of the matrix, read from the code rather
/// than listed by hand.
pub struct Survey {
    /// The AWS operations gradual's functions call.
    pub operations: Vec<Operation>,
    /// The workflow's functions it invokes.
    pub functions: Vec<String>,
    /// How many task invocations the workflow makes.
    pub invocations: usize,
}

/// Runs `scenario` once without faults and records what it calls.
pub async fn survey(scenario: Scenario) -> Survey {
    let clock = VirtualClock::auto_advancing();
    let plan = Arc::new(FaultPlan::new(Arc::new(clock.clone()), Vec::new()));
    let world = TestWorld::with_plan(clock, Arc::clone(&plan)).await;
    let stage = scenario.stage(&world).await;
    let invocations = count_task_invocations(&world);
    let id = world.start(&stage.request).await;
    let deployment = world.finish(&id).await;
    assert_eq!(
        deployment.status,
        DeploymentStatus::Succeeded,
        "the clean run of {scenario} succeeds: {:?}",
        deployment.error_information
    );
    let mut operations: Vec<Operation> = plan
        .calls()
        .into_iter()
        .map(|call| call.operation)
        .collect();
    operations.sort();
    operations.dedup();
    let invoked = invocations.lock().expect("the invocation log").clone();
    let mut functions = invoked.clone();
    functions.sort();
    functions.dedup();
    Survey {
        operations,
        functions,
        invocations: invoked.len(),
    }
}

/// The functions the workflow invokes.
fn workflow_functions() -> impl Iterator<Item = String> {
    Function::ALL
        .into_iter()
        .filter(|function| function.substitution().is_some())
        .map(names::function_name)
}

/// Every task invocation of the workflow, by function, in order.
fn count_task_invocations(world: &LocalWorld) -> Arc<std::sync::Mutex<Vec<String>>> {
    let log = Arc::new(std::sync::Mutex::new(Vec::new()));
    for name in workflow_functions() {
        let log = Arc::clone(&log);
        let function = name.clone();
        world.functions.wrap(&name, |inner| Counting {
            inner,
            function,
            log,
        });
    }
    log
}

struct Counting {
    inner: Arc<dyn LambdaFunction>,
    function: String,
    log: Arc<std::sync::Mutex<Vec<String>>>,
}

#[async_trait::async_trait]
impl LambdaFunction for Counting {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        self.log
            .lock()
            .expect("the invocation log")
            .push(self.function.clone());
        self.inner.invoke(payload).await
    }
}

/// Stops the execution of the deployment it serves as the `at`th task invocation begins.
struct StopAt {
    inner: Arc<dyn LambdaFunction>,
    count: Arc<AtomicUsize>,
    stopped: Arc<AtomicUsize>,
    at: usize,
    world_executor: gradual_asl::Executor,
    execution_arn_of: Arc<dyn Fn(&str) -> String + Send + Sync>,
}

#[async_trait::async_trait]
impl LambdaFunction for StopAt {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        if self.count.fetch_add(1, Ordering::SeqCst) + 1 == self.at {
            if let Some(id) = payload.get("deploymentId").and_then(Value::as_str) {
                let arn = (self.execution_arn_of)(id);
                let stopped = self.world_executor.stop_execution(
                    &arn,
                    Some("Operator"),
                    Some("stopped from the console"),
                );
                if stopped.is_ok() {
                    self.stopped.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
        self.inner.invoke(payload).await
    }
}

/// The whole product: every operation × fault kind × persistence, every function × crash kind ×
/// persistence, and a StopExecution at every task invocation, for both scenarios.
pub async fn full_matrix() -> Vec<Case> {
    let mut cases = Vec::new();
    for scenario in Scenario::ALL {
        cases.extend(cases_of(scenario, &survey(scenario).await, &PERSISTENCES));
    }
    cases
}

/// A seeded sample of the product small enough for every `make test`: every operation and
/// every fault kind appear, each pair with one persistence picked by the seed; every function
/// crash kind once; StopExecution at every task invocation of the Lambda scenario and at a
/// sample of the ALB one's.
pub async fn ci_matrix(seed: u64) -> Vec<Case> {
    let mut cases = Vec::new();
    for scenario in Scenario::ALL {
        cases.extend(ci_matrix_of(scenario, seed).await);
    }
    cases
}

/// The part of [`ci_matrix`] on one scenario.
pub async fn ci_matrix_of(scenario: Scenario, seed: u64) -> Vec<Case> {
    let mut cases = Vec::new();
    {
        let all = cases_of(scenario, &survey(scenario).await, &PERSISTENCES);
        let mut groups: BTreeMap<String, Vec<Case>> = BTreeMap::new();
        for case in all {
            let key = match &case.disturbance {
                Disturbance::Fault(fault) => fault.target.to_string(),
                Disturbance::StopAt(n) => format!("stop {}", n % stop_stride(scenario)),
            };
            groups.entry(key).or_default().push(case);
        }
        for (index, (_, group)) in groups.into_iter().enumerate() {
            let pick = (seed as usize).wrapping_add(index * 7) % group.len();
            cases.push(group[pick].clone());
        }
    }
    cases
}

/// The ALB scenario makes many task invocations (ten steps); the CI sample stops at one in
/// this many of them.
fn stop_stride(scenario: Scenario) -> usize {
    match scenario {
        Scenario::LambdaCanary => usize::MAX,
        Scenario::AlbLinear => 8,
    }
}

/// Once, for 90 s of world time (past the tasks' own retries of a few seconds), and until
/// the workflow ends (past the rollback's budget of about 40 minutes).
pub const PERSISTENCES: [Persistence; 3] = [
    Persistence::Once,
    Persistence::For(Duration::from_secs(90)),
    Persistence::UntilLifted,
];

fn cases_of(scenario: Scenario, survey: &Survey, persistences: &[Persistence]) -> Vec<Case> {
    let case = |disturbance| Case {
        scenario,
        disturbance,
    };
    let mut cases = Vec::new();
    for operation in &survey.operations {
        for kind in FaultKind::ALL {
            for persistence in persistences {
                cases.push(case(Disturbance::Fault(Fault {
                    target: FaultTarget::Call(operation.clone(), kind),
                    persistence: *persistence,
                })));
            }
        }
    }
    for function in &survey.functions {
        for kind in CrashKind::ALL {
            for persistence in persistences {
                cases.push(case(Disturbance::Fault(Fault {
                    target: FaultTarget::Function(function.clone(), kind),
                    persistence: *persistence,
                })));
            }
        }
    }
    for n in 1..=survey.invocations {
        cases.push(case(Disturbance::StopAt(n)));
    }
    cases
}

/// Runs one case on a fresh world and checks the promise.
pub async fn run(case: &Case) -> Outcome {
    let clock = VirtualClock::auto_advancing();
    let faults = match &case.disturbance {
        Disturbance::Fault(fault) => vec![fault.clone()],
        Disturbance::StopAt(_) => Vec::new(),
    };
    let plan = Arc::new(FaultPlan::new(Arc::new(clock.clone()), faults));
    let world = TestWorld::with_plan(clock, Arc::clone(&plan)).await;
    let stage = case.scenario.stage(&world).await;
    let stops = match case.disturbance {
        Disturbance::StopAt(at) => Some(stop_at(&world, at)),
        Disturbance::Fault(_) => None,
    };
    // "Until the end" ends with the workflow: reconciliation then sees a healthy service.
    let lifted = Arc::clone(&plan);
    world
        .executor
        .on_execution_end(Arc::new(move |_| lifted.lift()));

    let mut broken = Vec::new();
    let Some(id) = create_like_a_client(&world, &stage).await else {
        plan.lift();
        return settle_not_started(case, &world, &stage, &plan).await;
    };
    let ended = tokio::time::timeout(Duration::from_secs(120), world.wait_for(&id)).await;
    if ended.is_err() {
        broken.push("the workflow did not end within two minutes of real time".to_owned());
    }
    let deployment = world.deployment(&id).await;
    let rollback = match &deployment.rollback_info.rollback_deployment_id {
        Some(rollback_id) => Some(world.deployment(rollback_id).await),
        None => None,
    };
    let mut class = check_ending(&deployment, rollback.as_ref(), &mut broken);
    let active = world
        .store
        .active_deployment(
            &stage.group.application_name,
            &stage.group.deployment_group_name,
        )
        .await
        .expect("read the group's slot");
    if let Some(holder) = active {
        broken.push(format!("the group is still held by {holder}"));
        class = OutcomeClass::Stuck;
    }
    let routing = world.routing(&stage.target).await;
    if class != OutcomeClass::Stuck {
        class = check_traffic(
            case,
            &stage,
            &deployment,
            rollback.as_ref(),
            &routing,
            &mut broken,
        );
    }
    check_triggers(
        &world,
        &stage,
        &deployment,
        rollback.as_ref(),
        &plan,
        case,
        &mut broken,
    )
    .await;
    check_history(&world, &deployment, &mut broken).await;
    if std::env::var("CHAOS_DEBUG").is_ok() {
        eprintln!("deliveries: {:?}", world.reconciliations.deliveries());
    }
    let hits = match &stops {
        Some(stops) => stops.load(Ordering::SeqCst),
        None => plan.hits(),
    };
    if hits == 0 {
        broken.push("the disturbance never happened: the case tested nothing".to_owned());
    }
    if !broken.is_empty() && class != OutcomeClass::Stuck {
        class = OutcomeClass::Broken;
    }
    Outcome {
        case: case.clone(),
        class,
        broken,
        hits,
        home_after_fault: home_after_fault(&plan),
    }
}

/// Stops the execution as its `at`th task begins; the count of stops made.
fn stop_at(world: &TestWorld, at: usize) -> Arc<AtomicUsize> {
    let count = Arc::new(AtomicUsize::new(0));
    let stopped = Arc::new(AtomicUsize::new(0));
    let prefix = world.execution_arn("");
    for name in workflow_functions() {
        let prefix = prefix.clone();
        world.functions.wrap(&name, |inner| StopAt {
            inner,
            count: Arc::clone(&count),
            stopped: Arc::clone(&stopped),
            at,
            world_executor: world.executor.clone(),
            execution_arn_of: Arc::new(move |id: &str| format!("{prefix}{id}")),
        });
    }
    stopped
}

/// Sends the create as a client does: a refusal it may retry (a service error) is sent again
/// with the same token, a minute later, a few times.
async fn create_like_a_client(
    world: &TestWorld,
    stage: &Stage,
) -> Option<gradual_core::DeploymentId> {
    for attempt in 1..=CREATE_ATTEMPTS {
        match world.deploy(&stage.request).await {
            Ok(id) => return Some(id),
            Err(error) if attempt < CREATE_ATTEMPTS && error.error_type != "InvalidInput" => {
                drop(world.clock.sleep(CREATE_RETRY_WAIT).await);
            }
            Err(_) => return None,
        }
    }
    None
}

/// A create refused every time must leave nothing behind: no deployment holds the group.
async fn settle_not_started(
    case: &Case,
    world: &TestWorld,
    stage: &Stage,
    plan: &FaultPlan,
) -> Outcome {
    let mut broken = Vec::new();
    let group = &stage.group;
    let active = world
        .store
        .active_deployment(&group.application_name, &group.deployment_group_name)
        .await
        .expect("read the group's slot");
    let mut class = OutcomeClass::NotStarted;
    if let Some(holder) = active {
        // A deployment was stored but never answered: it must have ended.
        let held = world.deployment(&holder).await;
        if !held.status.is_terminal() {
            broken.push(format!(
                "the refused create left {holder} {} holding the group",
                held.status
            ));
            class = OutcomeClass::Stuck;
        }
    }
    if world.routing(&stage.target).await != stage.initial {
        broken.push("a refused create moved traffic".to_owned());
        class = OutcomeClass::Broken;
    }
    Outcome {
        case: case.clone(),
        class,
        broken,
        hits: plan.hits(),
        home_after_fault: None,
    }
}

fn check_ending(
    deployment: &Deployment,
    rollback: Option<&Deployment>,
    broken: &mut Vec<String>,
) -> OutcomeClass {
    if !deployment.status.is_terminal() {
        broken.push(format!(
            "the deployment is still {} ({:?})",
            deployment.status, deployment.error_information
        ));
        return OutcomeClass::Stuck;
    }
    if let Some(rollback) = rollback {
        if !rollback.status.is_terminal() {
            broken.push(format!(
                "its rollback {} is still {}",
                rollback.id, rollback.status
            ));
            return OutcomeClass::Stuck;
        }
    }
    OutcomeClass::Broken
}

fn check_traffic(
    case: &Case,
    stage: &Stage,
    deployment: &Deployment,
    rollback: Option<&Deployment>,
    routing: &Routing,
    broken: &mut Vec<String>,
) -> OutcomeClass {
    let home = all_on_original(routing);
    let on_new = all_on_new(routing);
    match (deployment.status, rollback.map(|r| r.status)) {
        (DeploymentStatus::Succeeded, None) if on_new => OutcomeClass::Succeeded,
        (
            DeploymentStatus::Failed | DeploymentStatus::Stopped,
            Some(DeploymentStatus::Succeeded),
        ) if home => OutcomeClass::RolledBack,
        (DeploymentStatus::Failed | DeploymentStatus::Stopped, Some(DeploymentStatus::Failed))
            if target_unreachable_to_the_end(case) =>
        {
            let message = rollback
                .and_then(|r| r.error_information.as_ref())
                .map(|error| error.message.clone())
                .unwrap_or_default();
            if !message.contains("traffic was last recorded at") {
                broken.push(format!(
                    "the rollback failed without saying where traffic stands: {message:?}"
                ));
            }
            OutcomeClass::RollbackFailedAlerted
        }
        (status, rollback_status) => {
            broken.push(format!(
                "ended {status} (rollback {rollback_status:?}, error {:?}) with traffic {routing:?}, \
                 initially {:?}",
                deployment.error_information, stage.initial
            ));
            OutcomeClass::Broken
        }
    }
}

fn all_on_new(routing: &Routing) -> bool {
    match routing {
        Routing::Alias {
            version,
            additional_weights,
        } => version == "2" && additional_weights.is_empty(),
        Routing::Listener { production, .. } => production.blue == 0 && production.green > 0,
    }
}

fn all_on_original(routing: &Routing) -> bool {
    let on_blue = |forward: &crate::world::Forward| forward.green == 0 && forward.blue > 0;
    match routing {
        Routing::Alias {
            version,
            additional_weights,
        } => version == "1" && additional_weights.is_empty(),
        Routing::Listener { production, test } => {
            on_blue(production) && test.as_ref().is_none_or(on_blue)
        }
    }
}

/// The one allowed exception: the target cannot be moved for the rollback's whole budget —
/// its service fails every call, or the traffic function dies every time, until the
/// workflow has ended.
fn target_unreachable_to_the_end(case: &Case) -> bool {
    let Disturbance::Fault(Fault {
        target,
        persistence: Persistence::UntilLifted,
    }) = &case.disturbance
    else {
        return false;
    };
    match (target, case.scenario) {
        (FaultTarget::Call(operation, _), Scenario::LambdaCanary) => operation.service == "lambda",
        (FaultTarget::Call(operation, _), Scenario::AlbLinear) => {
            operation.service == "elasticloadbalancing"
        }
        (FaultTarget::Function(function, _), scenario) => {
            let traffic = match scenario {
                Scenario::LambdaCanary => Function::ShiftAliasWeight,
                Scenario::AlbLinear => Function::SwapAlbTargets,
            };
            *function == names::function_name(traffic)
        }
    }
}

fn sns_faulted(case: &Case) -> bool {
    matches!(
        &case.disturbance,
        Disturbance::Fault(Fault {
            target: FaultTarget::Call(operation, _),
            ..
        }) if operation.service == "sns"
    )
}

async fn check_triggers(
    world: &TestWorld,
    stage: &Stage,
    deployment: &Deployment,
    rollback: Option<&Deployment>,
    _plan: &FaultPlan,
    case: &Case,
    broken: &mut Vec<String>,
) {
    let mut published: BTreeMap<String, usize> = BTreeMap::new();
    for notification in world.notifications(&stage.topic).await {
        *published
            .entry(notification.event_name.unwrap_or_default())
            .or_default() += 1;
    }
    for (event, count) in &published {
        if *count > 1 {
            broken.push(format!("{event} was published {count} times"));
        }
    }
    if sns_faulted(case) {
        return;
    }
    let expected: Vec<&str> = deployment
        .ending_triggers(rollback)
        .into_iter()
        .map(|event| event.as_str())
        .collect();
    for event in expected {
        if !published.contains_key(event) {
            broken.push(format!(
                "{event} was never published (published: {published:?})"
            ));
        }
    }
}

async fn check_history(world: &TestWorld, deployment: &Deployment, broken: &mut Vec<String>) {
    let history = world
        .store
        .history(&deployment.id)
        .await
        .expect("read the history");
    let mut previous: Option<OffsetDateTime> = None;
    for record in &history {
        if previous.is_some_and(|previous| record.at < previous) {
            broken.push(format!("history record {} is out of order", record.key));
        }
        previous = Some(record.at);
    }
    let last_status = history.iter().rev().find_map(|record| match &record.entry {
        HistoryEntry::Status { to, .. } => Some(to.clone()),
        _ => None,
    });
    if last_status.as_deref() != Some(deployment.status.to_string().as_str()) {
        let keys: Vec<&str> = history.iter().map(|record| record.key.as_str()).collect();
        broken.push(format!(
            "the history's last status is {last_status:?}, the deployment is {} (history: {keys:?})",
            deployment.status
        ));
    }
}

fn home_after_fault(plan: &FaultPlan) -> Option<Duration> {
    let fault_end = plan.last_hit()?;
    let home = plan
        .calls()
        .into_iter()
        .filter(|call| {
            call.injected.is_none() && TRAFFIC_WRITES.contains(&call.operation.name.as_str())
        })
        .map(|call| call.at)
        .max()?;
    Some((home - fault_end).try_into().unwrap_or(Duration::ZERO))
}

/// Runs `cases`, at most `jobs` at a time, each on its own world; the outcomes in the cases'
/// order. `progress` hears of each outcome as it comes.
pub async fn run_all(
    cases: Vec<Case>,
    jobs: usize,
    progress: impl Fn(&Outcome) + Send + Sync + 'static,
) -> Vec<Outcome> {
    let permits = Arc::new(tokio::sync::Semaphore::new(jobs.max(1)));
    let progress = Arc::new(progress);
    let mut running = tokio::task::JoinSet::new();
    for (index, case) in cases.into_iter().enumerate() {
        let permits = Arc::clone(&permits);
        let progress = Arc::clone(&progress);
        running.spawn(async move {
            let _permit = permits
                .acquire_owned()
                .await
                .expect("the semaphore stays open");
            let outcome = run(&case).await;
            progress(&outcome);
            (index, outcome)
        });
    }
    let mut outcomes: Vec<(usize, Outcome)> = Vec::new();
    while let Some(joined) = running.join_next().await {
        outcomes.push(joined.expect("a case runs to its end"));
    }
    outcomes.sort_by_key(|(index, _)| *index);
    outcomes.into_iter().map(|(_, outcome)| outcome).collect()
}

/// The figures of a matrix run: outcomes by class, by disturbance kind, the time from a fault's
/// end to traffic home, and every case that broke the promise.
pub struct Report<'a> {
    pub outcomes: &'a [Outcome],
}

impl Report<'_> {
    pub fn broken(&self) -> Vec<&Outcome> {
        self.outcomes
            .iter()
            .filter(|outcome| !outcome.holds())
            .collect()
    }

    /// The report as Markdown tables.
    pub fn render(&self) -> String {
        let mut classes: BTreeMap<String, usize> = BTreeMap::new();
        let mut by_kind: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
        for outcome in self.outcomes {
            *classes.entry(outcome.class.to_string()).or_default() += 1;
            *by_kind
                .entry(kind_of(&outcome.case))
                .or_default()
                .entry(outcome.class.to_string())
                .or_default() += 1;
        }
        let stuck = classes
            .get(&OutcomeClass::Stuck.to_string())
            .copied()
            .unwrap_or(0);
        let mut text = String::new();
        text.push_str("| | |\n|---|---:|\n");
        text.push_str(&format!("| scenarios run | {} |\n", self.outcomes.len()));
        for (class, count) in &classes {
            text.push_str(&format!("| {class} | {count} |\n"));
        }
        text.push_str(&format!("| stuck (0 expected) | {stuck} |\n"));
        text.push_str(&format!(
            "| broken invariant (0 expected) | {} |\n",
            self.broken().len()
        ));
        for (class, home) in [
            (OutcomeClass::RolledBack, "back on the original"),
            (OutcomeClass::Succeeded, "all on the new version"),
        ] {
            let mut times: Vec<Duration> = self
                .outcomes
                .iter()
                .filter(|outcome| outcome.class == class && outcome.hits > 0)
                .filter_map(|outcome| outcome.home_after_fault)
                .collect();
            times.sort();
            if let (Some(median), Some(worst)) = (times.get(times.len() / 2), times.last()) {
                text.push_str(&format!(
                    "| {class}: fault's last hit → traffic {home}, world time (median / worst, {} runs) | {} s / {} s |\n",
                    times.len(),
                    median.as_secs(),
                    worst.as_secs()
                ));
            }
        }
        text.push_str("\n| disturbance | persistence | outcomes |\n|---|---|---|\n");
        for ((kind, persistence), classes) in &by_kind {
            let outcomes: Vec<String> = classes
                .iter()
                .map(|(class, count)| format!("{class} {count}"))
                .collect();
            text.push_str(&format!(
                "| {kind} | {persistence} | {} |\n",
                outcomes.join(", ")
            ));
        }
        let broken = self.broken();
        if !broken.is_empty() {
            text.push_str("\nBroken:\n");
            for outcome in broken {
                text.push_str(&format!(
                    "- {} ({}): {}\n",
                    outcome.case,
                    outcome.class,
                    outcome.broken.join("; ")
                ));
            }
        }
        text
    }
}

/// A case's disturbance without its target: the rows of the report.
fn kind_of(case: &Case) -> (String, String) {
    match &case.disturbance {
        Disturbance::Fault(Fault {
            target: FaultTarget::Call(_, kind),
            persistence,
        }) => (format!("AWS call: {kind}"), persistence.to_string()),
        Disturbance::Fault(Fault {
            target: FaultTarget::Function(_, kind),
            persistence,
        }) => (format!("function: {kind}"), persistence.to_string()),
        Disturbance::StopAt(_) => ("StopExecution at a task".to_owned(), "—".to_owned()),
    }
}
