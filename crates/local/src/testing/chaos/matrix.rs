//! The axes of the matrix, read from a clean run of each scenario, and the cases.

use super::*;

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
pub(super) fn workflow_functions() -> impl Iterator<Item = String> {
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
pub(super) struct StopAt {
    pub(super) inner: Arc<dyn LambdaFunction>,
    pub(super) count: Arc<AtomicUsize>,
    pub(super) stopped: Arc<AtomicUsize>,
    pub(super) at: usize,
    pub(super) world_executor: gradual_asl::Executor,
    pub(super) execution_arn_of: Arc<dyn Fn(&str) -> String + Send + Sync>,
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
