//! The ports of gradual's functions in the local world: the emulator's services through the same
//! adapters as in AWS, with Step Functions, the Lambda invokes of hooks and CodePipeline's
//! answers served in process, and the world's clock.

use super::{LocalHookInvoker, LocalWorld, WorldClock};
use gradual_aws::sns::SnsNotifier;
use gradual_core::ports::{
    AlarmSource, Clock, DeploymentSignals, DeploymentStore, HookExecutionStore, HookInvoker,
    Notifier, PipelineReporter, Workflow,
};
use gradual_core::trigger::Origin;
use gradual_emulator::{ACCOUNT_ID, REGION};
use gradual_handlers::shift_traffic::RouterFactory;
use gradual_handlers::Ports;
use gradual_lambda::{AliasRouters, ListenerRouters};
use std::convert::Infallible;
use std::sync::Arc;

/// The world's ports, with the alarm states read from `alarms` (CloudWatch on the emulator, or
/// a source a test makes fail).
pub struct LocalPorts<'a> {
    pub world: &'a LocalWorld,
    pub alarms: Arc<dyn AlarmSource>,
}

impl Ports for LocalPorts<'_> {
    type Error = Infallible;

    fn store(&self) -> Result<Arc<dyn DeploymentStore>, Infallible> {
        Ok(self.world.functions_store.clone())
    }

    fn signals(&self) -> Result<Arc<dyn DeploymentSignals>, Infallible> {
        Ok(self.world.functions_store.clone())
    }

    fn hook_executions(&self) -> Result<Arc<dyn HookExecutionStore>, Infallible> {
        Ok(self.world.functions_store.clone())
    }

    fn workflow(&self) -> Result<Arc<dyn Workflow>, Infallible> {
        Ok(self.world.workflow.clone())
    }

    fn notifier(&self) -> Result<Arc<dyn Notifier>, Infallible> {
        Ok(Arc::new(SnsNotifier::new(aws_sdk_sns::Client::new(
            &self.world.functions_sdk,
        ))))
    }

    fn hook_invoker(&self) -> Result<Arc<dyn HookInvoker>, Infallible> {
        Ok(Arc::new(LocalHookInvoker {
            functions: self.world.functions.clone(),
            clock: Arc::clone(&self.world.clock),
        }))
    }

    fn alarms(&self) -> Result<Arc<dyn AlarmSource>, Infallible> {
        Ok(self.alarms.clone())
    }

    fn pipeline(&self) -> Result<Arc<dyn PipelineReporter>, Infallible> {
        Ok(self.world.pipeline.clone())
    }

    fn alias_routers(&self) -> Result<Arc<dyn RouterFactory>, Infallible> {
        Ok(Arc::new(AliasRouters::from_config(
            &self.world.functions_sdk,
        )))
    }

    fn listener_routers(&self) -> Result<Arc<dyn RouterFactory>, Infallible> {
        Ok(Arc::new(ListenerRouters::from_config(
            &self.world.functions_sdk,
        )))
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
