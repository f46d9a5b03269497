//! The ports of a function in Lambda: AWS adapters made from the function's AWS configuration
//! and the settings of [`crate::settings`], each made only when the function asks for it.

use crate::routers::{AliasRouters, ListenerRouters};
use crate::settings::{env, origin, SetupError, FUNCTION_NAME, STATE_MACHINE_ARN, TABLE};
use aws_config::SdkConfig;
use gradual_aws::cloudwatch::CloudWatchAlarms;
use gradual_aws::codepipeline::CodePipelineReporter;
use gradual_aws::dynamodb::DynamoDbStore;
use gradual_aws::lambda_invoke::LambdaHookInvoker;
use gradual_aws::sns::SnsNotifier;
use gradual_aws::step_functions::StepFunctionsWorkflow;
use gradual_core::ports::{
    AlarmSource, Clock, DeploymentSignals, DeploymentStore, HookExecutionStore, HookInvoker,
    Notifier, PipelineReporter, SystemClock, Workflow,
};
use gradual_core::trigger::Origin;
use gradual_handlers::shift_traffic::RouterFactory;
use gradual_handlers::Ports;
use std::sync::{Arc, OnceLock};

/// A function's ports on AWS.
pub struct LambdaPorts {
    config: SdkConfig,
    /// One value serves as the deployment store, the signals and the hook execution store.
    state: OnceLock<Arc<DynamoDbStore>>,
}

impl LambdaPorts {
    pub fn new(config: SdkConfig) -> Self {
        LambdaPorts {
            config,
            state: OnceLock::new(),
        }
    }

    /// The state store on the table named by [`TABLE`].
    fn state(&self) -> Result<Arc<DynamoDbStore>, SetupError> {
        if let Some(state) = self.state.get() {
            return Ok(Arc::clone(state));
        }
        let client = aws_sdk_dynamodb::Client::new(&self.config);
        let state = Arc::new(DynamoDbStore::new(client, env(TABLE)?));
        Ok(Arc::clone(self.state.get_or_init(|| state)))
    }
}

impl Ports for LambdaPorts {
    type Error = SetupError;

    fn store(&self) -> Result<Arc<dyn DeploymentStore>, SetupError> {
        Ok(self.state()?)
    }

    fn signals(&self) -> Result<Arc<dyn DeploymentSignals>, SetupError> {
        Ok(self.state()?)
    }

    fn hook_executions(&self) -> Result<Arc<dyn HookExecutionStore>, SetupError> {
        Ok(self.state()?)
    }

    /// The deployment workflow, on the state machine named by [`STATE_MACHINE_ARN`].
    fn workflow(&self) -> Result<Arc<dyn Workflow>, SetupError> {
        let client = aws_sdk_sfn::Client::new(&self.config);
        Ok(Arc::new(StepFunctionsWorkflow::new(
            client,
            env(STATE_MACHINE_ARN)?,
        )?))
    }

    fn notifier(&self) -> Result<Arc<dyn Notifier>, SetupError> {
        Ok(Arc::new(SnsNotifier::new(aws_sdk_sns::Client::new(
            &self.config,
        ))))
    }

    fn hook_invoker(&self) -> Result<Arc<dyn HookInvoker>, SetupError> {
        Ok(Arc::new(LambdaHookInvoker::new(
            aws_sdk_lambda::Client::new(&self.config),
        )))
    }

    fn alarms(&self) -> Result<Arc<dyn AlarmSource>, SetupError> {
        Ok(Arc::new(CloudWatchAlarms::new(
            aws_sdk_cloudwatch::Client::new(&self.config),
        )))
    }

    fn pipeline(&self) -> Result<Arc<dyn PipelineReporter>, SetupError> {
        Ok(Arc::new(CodePipelineReporter::new(
            aws_sdk_codepipeline::Client::new(&self.config),
            env(FUNCTION_NAME)?,
        )))
    }

    fn alias_routers(&self) -> Result<Arc<dyn RouterFactory>, SetupError> {
        Ok(Arc::new(AliasRouters::from_config(&self.config)))
    }

    fn listener_routers(&self) -> Result<Arc<dyn RouterFactory>, SetupError> {
        Ok(Arc::new(ListenerRouters::from_config(&self.config)))
    }

    fn origin(&self) -> Result<Origin, SetupError> {
        origin(&self.config)
    }

    fn clock(&self) -> Arc<dyn Clock> {
        Arc::new(SystemClock)
    }
}
