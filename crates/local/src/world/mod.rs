//! The local world: gradual's handlers wired to the emulator's AWS services and to the local
//! executor, so that a deployment runs offline exactly as it runs in AWS — same workflow
//! definition, same handlers, same adapters — with only Step Functions and Lambda replaced by
//! in-process stand-ins.

mod alarms;
mod clock;
mod function;
mod hooks;
pub mod names;
mod observe;
mod pipeline;
mod record;
mod sample_hooks;
mod setup;
mod workflow;

pub use alarms::{alarm_state_change_event, AlarmChange, AlarmSnapshot};
pub use clock::WorldClock;
pub use function::HandlerFunction;
pub use hooks::LocalHookInvoker;
pub use observe::{Forward, Observation, Routing, RoutingReader, TrafficLog};
pub use pipeline::{JobAnswer, RecordingPipelineReporter};
pub use record::InvocationLog;
pub use sample_hooks::{HookBehaviour, SampleHook};
pub use setup::TriggerTopic;
pub use workflow::LocalWorkflow;

use crate::asl::{Clock, Executor, FunctionRegistry, StateMachine};
use aws_config::SdkConfig;
use gradual_aws::dynamodb::{create_table, DynamoDbStore};
use gradual_aws::sns::SnsNotifier;
use gradual_core::trigger::Origin;
use gradual_emulator::{unique_name, Emulator, ACCOUNT_ID, REGION};
use gradual_handlers::bake::Bake;
use gradual_handlers::get_deployment::GetDeployment;
use gradual_handlers::hook_callback::HookCallback;
use gradual_handlers::record_status::RecordStatus;
use gradual_handlers::registration::Register;
use gradual_handlers::run_hook::RunHook;
use gradual_handlers::stop_deployment::StopDeployment;
use std::path::PathBuf;
use std::sync::Arc;

/// The workflow definition SAM deploys.
pub fn definition_path() -> PathBuf {
    gradual_emulator::project_root().join("statemachines/deployment.asl.json")
}

/// Everything a local deployment needs, on one fresh table of the emulator.
pub struct LocalWorld {
    pub sdk: SdkConfig,
    pub table: String,
    pub store: Arc<DynamoDbStore>,
    pub clock: Arc<dyn Clock>,
    pub executor: Executor,
    pub functions: FunctionRegistry,
    pub machine: Arc<StateMachine>,
    pub workflow: Arc<LocalWorkflow>,
    /// What create-deployment answered to CodePipeline jobs.
    pub pipeline: Arc<RecordingPipelineReporter>,
}

impl LocalWorld {
    /// Starts (or joins) the emulator, creates a table and registers every gradual function.
    pub async fn new(clock: Arc<dyn Clock>) -> Self {
        let sdk = Emulator::shared().await.sdk_config().await;
        let table = unique_name("gradual");
        create_table(&aws_sdk_dynamodb::Client::new(&sdk), &table)
            .await
            .expect("create the deployments table");
        Self::on_table(clock, table).await
    }

    /// Like [`LocalWorld::new`], on a table that already exists: processes sharing one
    /// emulator then share their applications, groups and deployments.
    pub async fn on_table(clock: Arc<dyn Clock>, table: String) -> Self {
        let sdk = Emulator::shared().await.sdk_config().await;
        let dynamodb = aws_sdk_dynamodb::Client::new(&sdk);
        let store = Arc::new(DynamoDbStore::new(dynamodb, table.clone()));
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
            clock,
            executor,
            functions,
            machine,
            workflow,
            pipeline: Arc::default(),
        };
        world.register_functions();
        world
    }

    fn register_functions(&self) {
        let handler_clock: Arc<dyn gradual_core::ports::Clock> =
            Arc::new(WorldClock(Arc::clone(&self.clock)));
        let store = Arc::clone(&self.store);
        let origin = Origin {
            region: REGION.to_owned(),
            account_id: ACCOUNT_ID.to_owned(),
        };
        self.functions.register(
            names::RECORD_STATUS,
            HandlerFunction(RecordStatus {
                store: store.clone(),
                signals: store.clone(),
                notifier: Arc::new(SnsNotifier::new(aws_sdk_sns::Client::new(&self.sdk))),
                clock: handler_clock.clone(),
                origin,
            }),
        );
        self.functions.register(
            names::BAKE,
            HandlerFunction(Bake {
                store: store.clone(),
                signals: store.clone(),
                clock: handler_clock.clone(),
            }),
        );
        self.functions.register(
            names::RUN_HOOK,
            HandlerFunction(RunHook {
                store: store.clone(),
                signals: store.clone(),
                executions: store.clone(),
                invoker: Arc::new(LocalHookInvoker {
                    functions: self.functions.clone(),
                    clock: Arc::clone(&self.clock),
                }),
                workflow: self.workflow.clone(),
                clock: handler_clock.clone(),
            }),
        );
        self.functions
            .register(names::HOOK_CALLBACK, HandlerFunction(self.hook_callback()));
        self.functions.register(
            names::STOP_DEPLOYMENT,
            HandlerFunction(StopDeployment {
                store: store.clone(),
                signals: store.clone(),
                workflow: self.workflow.clone(),
                clock: handler_clock.clone(),
            }),
        );
        self.functions.register(
            names::GET_DEPLOYMENT,
            HandlerFunction(GetDeployment {
                store: store.clone(),
            }),
        );
        self.functions.register(
            names::REGISTER,
            HandlerFunction(Register {
                store: store.clone(),
                clock: handler_clock.clone(),
            }),
        );
        self.read_alarms_from(self.cloudwatch_alarms());
        self.register_alarm_listener();
    }

    /// The hook-callback handler, for sample hooks that report back in-process.
    pub fn hook_callback(&self) -> HookCallback {
        HookCallback {
            store: self.store.clone(),
            executions: self.store.clone(),
            workflow: self.workflow.clone(),
            clock: Arc::new(WorldClock(Arc::clone(&self.clock))),
        }
    }

    /// Registers a sample hook function under `name`.
    pub fn register_sample_hook(&self, name: &str, behaviour: HookBehaviour) {
        let hook = SampleHook {
            functions: self.functions.clone(),
            behaviour,
        };
        self.functions.register(name, hook);
    }

    /// Calls a registered function with a JSON payload, as a Lambda invoke would.
    pub async fn invoke(
        &self,
        function_name: &str,
        payload: serde_json::Value,
    ) -> Result<serde_json::Value, crate::asl::FunctionError> {
        let function = self
            .functions
            .function(function_name)
            .unwrap_or_else(|| panic!("no function {function_name} is registered"));
        let _busy = self.clock.hold();
        function.invoke(payload).await
    }

    /// The workflow execution of a deployment (executions are named after deployments).
    pub fn execution_arn(&self, deployment_id: &str) -> String {
        self.executor
            .state_machine_arn(&self.machine)
            .replacen(":stateMachine:", ":execution:", 1)
            + ":"
            + deployment_id
    }
}
