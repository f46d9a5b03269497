//! The local world: gradual's handlers wired to the emulator's AWS services and to the local
//! executor, so that a deployment runs offline exactly as it runs in AWS — same workflow
//! definition, same handlers, same adapters — with only Step Functions and Lambda replaced by
//! in-process stand-ins.

mod alarms;
mod authorized;
mod clock;
mod function;
mod hooks;
mod identities;
pub mod names;
mod observe;
mod pipeline;
mod ports;
mod reconciliation;
mod record;
mod sample_hooks;
mod setup;
mod workflow;

pub use alarms::{alarm_state_change_event, AlarmChange, AlarmSnapshot};
pub use clock::WorldClock;
pub use function::HandlerFunction;
pub use hooks::LocalHookInvoker;
pub use identities::{Caller, FunctionIdentities, FunctionIdentity};
pub use observe::{Forward, Observation, Routing, RoutingReader, TrafficLog};
pub use pipeline::{JobAnswer, RecordingPipelineReporter};
pub use ports::LocalPorts;
pub use reconciliation::{Delivery, Reconciliations};
pub use record::InvocationLog;
pub use sample_hooks::{HookBehaviour, SampleHook};
pub use setup::TriggerTopic;
pub use workflow::LocalWorkflow;

use crate::faults::{Crashing, FaultPlan, FaultyHttpClient};
use aws_config::retry::RetryConfig;
use aws_config::SdkConfig;
use gradual_asl::{Clock, Executor, FunctionRegistry, StateMachine};
use gradual_aws::dynamodb::{create_table, DynamoDbStore};
use gradual_emulator::{unique_name, Emulator};
use gradual_handlers::Function;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The emulator behind the fault plan. The SDK's retries keep their number and lose their
/// waits: a fault lasts in the world's time, not in the seconds the SDK would sleep.
fn faulty(sdk: &SdkConfig, plan: &Arc<FaultPlan>) -> SdkConfig {
    let inner = sdk
        .http_client()
        .expect("the emulator's configuration has an HTTP client");
    let retries = RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5));
    sdk.to_builder()
        .http_client(FaultyHttpClient {
            inner,
            plan: Arc::clone(plan),
        })
        .retry_config(retries)
        .build()
}

/// The workflow definition SAM deploys.
pub fn definition_path() -> PathBuf {
    gradual_emulator::project_root().join("statemachines/deployment.asl.json")
}

/// Everything a local deployment needs, on one fresh table of the emulator.
pub struct LocalWorld {
    /// The emulator as tests and set-up see it: never faulted.
    pub sdk: SdkConfig,
    pub table: String,
    pub store: Arc<DynamoDbStore>,
    /// The emulator as gradual's functions see it: through the fault plan, when there is one.
    /// Each function signs its calls as its own identity ([`LocalPorts::sdk`]).
    pub functions_sdk: SdkConfig,
    /// Who each function is: its emulator user, allowed what its role allows.
    pub identities: Arc<FunctionIdentities>,
    /// The faults injected into the functions' AWS calls and invocations.
    pub faults: Option<Arc<FaultPlan>>,
    pub clock: Arc<dyn Clock>,
    pub executor: Executor,
    pub functions: FunctionRegistry,
    pub machine: Arc<StateMachine>,
    pub workflow: Arc<LocalWorkflow>,
    /// What create-deployment answered to CodePipeline jobs.
    pub pipeline: Arc<RecordingPipelineReporter>,
    /// The ends of executions sent to reconcile.
    pub reconciliations: Arc<Reconciliations>,
}

impl LocalWorld {
    /// Starts (or joins) the emulator, creates a table and registers every gradual function.
    pub async fn new(clock: Arc<dyn Clock>) -> Self {
        Self::new_with_faults(clock, None).await
    }

    /// Like [`LocalWorld::new`], with gradual's AWS calls and functions failing as `faults`
    /// says.
    pub async fn new_with_faults(clock: Arc<dyn Clock>, faults: Option<Arc<FaultPlan>>) -> Self {
        let sdk = Emulator::shared().await.sdk_config().await;
        let table = unique_name("gradual");
        create_table(&aws_sdk_dynamodb::Client::new(&sdk), &table)
            .await
            .expect("create the deployments table");
        Self::with_faults(clock, table, faults).await
    }

    /// Like [`LocalWorld::new`], on a table that already exists: processes sharing one
    /// emulator then share their applications, groups and deployments.
    pub async fn on_table(clock: Arc<dyn Clock>, table: String) -> Self {
        Self::with_faults(clock, table, None).await
    }

    /// Like [`LocalWorld::on_table`], with gradual's AWS calls and functions failing as
    /// `faults` says.
    pub async fn with_faults(
        clock: Arc<dyn Clock>,
        table: String,
        faults: Option<Arc<FaultPlan>>,
    ) -> Self {
        let sdk = Emulator::shared().await.sdk_config().await;
        let dynamodb = aws_sdk_dynamodb::Client::new(&sdk);
        let store = Arc::new(DynamoDbStore::new(dynamodb, table.clone()));
        let functions_sdk = match &faults {
            Some(plan) => faulty(&sdk, plan),
            None => sdk.clone(),
        };
        let identities = FunctionIdentities::shared().await;
        let functions = FunctionRegistry::new();
        let executor = Executor::new(Arc::clone(&clock), functions.clone());
        let definition =
            std::fs::read_to_string(definition_path()).expect("read the workflow definition");
        let machine = StateMachine::load(&definition, &names::substitutions())
            .expect("the workflow definition loads")
            .named("gradual-deployment");
        let machine = Arc::new(machine);
        let workflow = Arc::new(LocalWorkflow {
            executor: executor.clone(),
            machine: Arc::clone(&machine),
        });
        let world = LocalWorld {
            sdk,
            table,
            store,
            functions_sdk,
            identities,
            faults,
            clock,
            executor,
            functions,
            machine,
            workflow,
            pipeline: Arc::default(),
            reconciliations: Arc::default(),
        };
        world.register_functions();
        world.crash_as_planned();
        world.deliver_execution_ends();
        world
    }

    /// Wraps every function in the crashes the fault plan asks for.
    fn crash_as_planned(&self) {
        let Some(plan) = &self.faults else {
            return;
        };
        for function in Function::ALL {
            let name = names::function_name(function);
            self.functions.wrap(&name, |inner| Crashing {
                name: name.clone(),
                inner,
                plan: Arc::clone(plan),
            });
        }
    }

    fn register_functions(&self) {
        for function in Function::ALL {
            self.register_function(function, &self.ports(function));
        }
    }

    /// Registers every function again, running as `identities`: what the functions do when
    /// their roles are as `identities` says (one that forgot a permission, say).
    pub fn run_as(&self, identities: &FunctionIdentities) {
        for function in Function::ALL {
            let mut ports = self.ports(function);
            ports.identity = identities.of(function).clone();
            self.register_function(function, &ports);
        }
    }

    /// `function`'s ports in this world, as its own identity.
    pub fn ports(&self, function: Function) -> LocalPorts<'_> {
        LocalPorts {
            world: self,
            function,
            identity: self.identities.of(function).clone(),
            alarms: None,
        }
    }

    /// Registers `function`, built from `ports`, under its local name.
    pub fn register_function(&self, function: Function, ports: &LocalPorts<'_>) {
        let Ok(handler) = function.handler(ports);
        self.functions
            .register(names::function_name(function), HandlerFunction(handler));
    }

    /// The hook-callback handler, for sample hooks that report back in-process.
    pub fn hook_callback(&self) -> HandlerFunction {
        let ports = self.ports(Function::HookCallback);
        let Ok(handler) = Function::HookCallback.handler(&ports);
        HandlerFunction(handler)
    }

    /// Registers a sample hook function under `name`.
    pub fn register_sample_hook(&self, name: &str, behaviour: HookBehaviour) {
        let hook = SampleHook {
            functions: self.functions.clone(),
            behaviour,
        };
        self.functions.register(name, hook);
    }

    /// Runs a CodePipeline Lambda invoke action as CodePipeline does: the job `event` describes
    /// exists first (see [`RecordingPipelineReporter::start_job`]), then create-deployment is
    /// invoked with the event.
    pub async fn run_pipeline_action(
        &self,
        event: serde_json::Value,
    ) -> Result<serde_json::Value, gradual_asl::FunctionError> {
        self.pipeline.start_job(&event);
        self.call(Function::CreateDeployment, event).await
    }

    /// Calls one of gradual's functions with a JSON payload, as a Lambda invoke would.
    pub async fn call(
        &self,
        function: Function,
        payload: serde_json::Value,
    ) -> Result<serde_json::Value, gradual_asl::FunctionError> {
        self.invoke(&names::function_name(function), payload).await
    }

    /// Calls a registered function with a JSON payload, as a Lambda invoke would.
    pub async fn invoke(
        &self,
        function_name: &str,
        payload: serde_json::Value,
    ) -> Result<serde_json::Value, gradual_asl::FunctionError> {
        let function = self
            .functions
            .function(function_name)
            .unwrap_or_else(|| panic!("no function {function_name} is registered"));
        let _busy = self.clock.hold();
        function.invoke(payload).await
    }

    /// The workflow execution of a deployment (executions are named after deployments).
    pub fn execution_arn(&self, deployment_id: &str) -> String {
        self.workflow.execution_arn(deployment_id)
    }
}
