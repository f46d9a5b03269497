//! The ports of gradual's functions in the local world: the emulator's services through the same
//! adapters as in AWS, with Step Functions, the Lambda invokes of hooks and CodePipeline's
//! answers served in process, and the world's clock. Each function calls them as its own
//! identity, allowed what its role in template.yaml allows.

use super::authorized::Authorized;
use super::identities::FunctionIdentity;
use super::{LocalHookInvoker, LocalWorld, WorldClock};
use aws_config::SdkConfig;
use aws_credential_types::provider::SharedCredentialsProvider;
use gradual_aws::cloudwatch::CloudWatchAlarms;
use gradual_aws::dynamodb::DynamoDbStore;
use gradual_aws::sns::SnsNotifier;
use gradual_core::ports::{
    AlarmSource, Clock, DeploymentSignals, DeploymentStore, HookExecutionStore, HookInvoker,
    Notifier, PipelineReporter, Workflow,
};
use gradual_core::trigger::Origin;
use gradual_emulator::{ACCOUNT_ID, REGION};
use gradual_handlers::shift_traffic::RouterFactory;
use gradual_handlers::{Function, Ports};
use gradual_lambda::{AliasRouters, ListenerRouters};
use std::convert::Infallible;
use std::sync::Arc;

/// One function's ports in the world, called as `identity`; alarm states come from `alarms`
/// when a test gives a source (one that fails, say), else from CloudWatch on the emulator.
pub struct LocalPorts<'a> {
    pub world: &'a LocalWorld,
    pub function: Function,
    pub identity: FunctionIdentity,
    pub alarms: Option<Arc<dyn AlarmSource>>,
}

impl LocalPorts<'_> {
    /// The emulator as this function sees it: through the fault plan, signed as its identity.
    pub fn sdk(&self) -> SdkConfig {
        self.world
            .functions_sdk
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(
                self.identity.credentials.clone(),
            ))
            .build()
    }

    fn table(&self) -> Arc<DynamoDbStore> {
        Arc::new(DynamoDbStore::new(
            aws_sdk_dynamodb::Client::new(&self.sdk()),
            self.world.table.clone(),
        ))
    }
}

impl Ports for LocalPorts<'_> {
    type Error = Infallible;

    fn store(&self) -> Result<Arc<dyn DeploymentStore>, Infallible> {
        Ok(self.table())
    }

    fn signals(&self) -> Result<Arc<dyn DeploymentSignals>, Infallible> {
        Ok(self.table())
    }

    fn hook_executions(&self) -> Result<Arc<dyn HookExecutionStore>, Infallible> {
        Ok(self.table())
    }

    fn workflow(&self) -> Result<Arc<dyn Workflow>, Infallible> {
        let workflow: Arc<dyn Workflow> = self.world.workflow.clone();
        Ok(Authorized::new(&self.identity.caller, workflow))
    }

    fn notifier(&self) -> Result<Arc<dyn Notifier>, Infallible> {
        Ok(Arc::new(SnsNotifier::new(aws_sdk_sns::Client::new(
            &self.sdk(),
        ))))
    }

    fn hook_invoker(&self) -> Result<Arc<dyn HookInvoker>, Infallible> {
        let invoker: Arc<dyn HookInvoker> = Arc::new(LocalHookInvoker {
            functions: self.world.functions.clone(),
            clock: Arc::clone(&self.world.clock),
        });
        Ok(Authorized::new(&self.identity.caller, invoker))
    }

    fn alarms(&self) -> Result<Arc<dyn AlarmSource>, Infallible> {
        Ok(match &self.alarms {
            Some(alarms) => alarms.clone(),
            None => Arc::new(CloudWatchAlarms::new(aws_sdk_cloudwatch::Client::new(
                &self.sdk(),
            ))),
        })
    }

    fn pipeline(&self) -> Result<Arc<dyn PipelineReporter>, Infallible> {
        let pipeline: Arc<dyn PipelineReporter> = self.world.pipeline.clone();
        Ok(Authorized::new(&self.identity.caller, pipeline))
    }

    fn alias_routers(&self) -> Result<Arc<dyn RouterFactory>, Infallible> {
        Ok(Arc::new(AliasRouters::from_config(&self.sdk())))
    }

    fn listener_routers(&self) -> Result<Arc<dyn RouterFactory>, Infallible> {
        Ok(Arc::new(ListenerRouters::from_config(&self.sdk())))
    }

    fn origin(&self) -> Result<Origin, Infallible> {
        Ok(Origin {
            region: REGION.to_owned(),
            account_id: ACCOUNT_ID.to_owned(),
        })
    }

    fn clock(&self) -> Arc<dyn Clock> {
        Arc::new(WorldClock(Arc::clone(&self.world.clock)))
    }
}
