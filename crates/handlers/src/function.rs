//! gradual's Lambda functions, described once: each one's name, the `${Substitution}` by which
//! the workflow definition invokes it, its sample events, the ports it is built from, and its
//! handler built from those ports. The Lambda `main`s, the local world, the CLI and the packaging
//! checks all read this table.

use crate::alarm_listener::AlarmListener;
use crate::bake::Bake;
use crate::create_deployment::{CreateDeployment, DeploymentEntry};
use crate::get_deployment::GetDeployment;
use crate::handler::{handle_json, Handler};
use crate::hook_callback::HookCallback;
use crate::reconcile::{Reconcile, ReconcileQueue, Reconciler};
use crate::record_status::RecordStatus;
use crate::register::Register;
use crate::run_hook::RunHook;
use crate::shift_traffic::{RouterFactory, ShiftTraffic};
use crate::stop_deployment::StopDeployment;
use crate::HandlerError;
use async_trait::async_trait;
use gradual_core::ports::{
    AlarmSource, Clock, DeploymentSignals, DeploymentStore, HookExecutionStore, HookInvoker,
    Notifier, PipelineReporter, Workflow,
};
use gradual_core::trigger::Origin;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// One of gradual's Lambda functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Function {
    AlarmListener,
    Bake,
    CreateDeployment,
    GetDeployment,
    HookCallback,
    Reconcile,
    RecordStatus,
    Register,
    RunHook,
    ShiftAliasWeight,
    StopDeployment,
    SwapAlbTargets,
}

/// Something outside a handler that a function is built from (a port, or a setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Port {
    /// The state store: applications, groups, configs, deployments, history.
    Store,
    /// Stop requests and the task a workflow waits on (the same table).
    Signals,
    /// Hook executions (the same table).
    HookExecutions,
    /// The deployment workflow (Step Functions).
    Workflow,
    /// Trigger messages (SNS).
    Notifier,
    /// Hook functions (Lambda, invoked asynchronously).
    HookInvoker,
    /// Alarm states (CloudWatch).
    Alarms,
    /// Answers to CodePipeline jobs.
    Pipeline,
    /// Routers for Lambda aliases.
    AliasRouters,
    /// Routers for ALB listeners.
    ListenerRouters,
    /// Where trigger messages say they come from (region, account).
    Origin,
}

/// Where a function's ports come from: AWS in a Lambda, the emulator in the local world. Each
/// function asks for exactly the ports [`Function::ports`] lists, so a Lambda builds (and links)
/// only the clients its function needs.
pub trait Ports {
    /// Why a port could not be made (a missing setting, say).
    type Error;

    fn store(&self) -> Result<Arc<dyn DeploymentStore>, Self::Error>;
    fn signals(&self) -> Result<Arc<dyn DeploymentSignals>, Self::Error>;
    fn hook_executions(&self) -> Result<Arc<dyn HookExecutionStore>, Self::Error>;
    fn workflow(&self) -> Result<Arc<dyn Workflow>, Self::Error>;
    fn notifier(&self) -> Result<Arc<dyn Notifier>, Self::Error>;
    fn hook_invoker(&self) -> Result<Arc<dyn HookInvoker>, Self::Error>;
    fn alarms(&self) -> Result<Arc<dyn AlarmSource>, Self::Error>;
    fn pipeline(&self) -> Result<Arc<dyn PipelineReporter>, Self::Error>;
    fn alias_routers(&self) -> Result<Arc<dyn RouterFactory>, Self::Error>;
    fn listener_routers(&self) -> Result<Arc<dyn RouterFactory>, Self::Error>;
    fn origin(&self) -> Result<Origin, Self::Error>;
    /// The handlers' time: the system clock in a Lambda, the world's clock offline.
    fn clock(&self) -> Arc<dyn Clock>;
}

/// A handler behind JSON: what the Lambda runtime and the local executor call.
#[async_trait]
pub trait JsonHandler: Send + Sync {
    async fn invoke(&self, payload: Value) -> Result<Value, HandlerError>;
}

#[async_trait]
impl<H: Handler> JsonHandler for H {
    async fn invoke(&self, payload: Value) -> Result<Value, HandlerError> {
        handle_json(self, payload).await
    }
}

impl Function {
    pub const ALL: [Function; 12] = [
        Function::AlarmListener,
        Function::Bake,
        Function::CreateDeployment,
        Function::GetDeployment,
        Function::HookCallback,
        Function::Reconcile,
        Function::RecordStatus,
        Function::Register,
        Function::RunHook,
        Function::ShiftAliasWeight,
        Function::StopDeployment,
        Function::SwapAlbTargets,
    ];

    /// The function's name after the stack's prefix (`<stack>-bake`), which is also its crate
    /// under `functions/` and its folder of samples under `events/`.
    pub fn name(self) -> &'static str {
        match self {
            Function::AlarmListener => "alarm-listener",
            Function::Bake => "bake",
            Function::CreateDeployment => "create-deployment",
            Function::GetDeployment => "get-deployment",
            Function::HookCallback => "hook-callback",
            Function::Reconcile => "reconcile",
            Function::RecordStatus => "record-status",
            Function::Register => "register",
            Function::RunHook => "run-hook",
            Function::ShiftAliasWeight => "shift-alias-weight",
            Function::StopDeployment => "stop-deployment",
            Function::SwapAlbTargets => "swap-alb-targets",
        }
    }

    /// The function named `name` (without the stack's prefix).
    pub fn named(name: &str) -> Option<Function> {
        Function::ALL
            .into_iter()
            .find(|function| function.name() == name)
    }

    /// The `${Substitution}` naming the function's ARN in the workflow definition, for the
    /// functions the workflow invokes.
    pub fn substitution(self) -> Option<&'static str> {
        match self {
            Function::RecordStatus => Some("RecordStatusFunctionArn"),
            Function::ShiftAliasWeight => Some("ShiftAliasWeightFunctionArn"),
            Function::SwapAlbTargets => Some("SwapAlbTargetsFunctionArn"),
            Function::RunHook => Some("RunHookFunctionArn"),
            Function::Bake => Some("BakeFunctionArn"),
            _ => None,
        }
    }

    /// The folder of sample events, from the repository's root.
    pub fn events_folder(self) -> String {
        format!("events/{}", self.name())
    }

    /// The ports the function is built from.
    pub fn ports(self) -> &'static [Port] {
        use Port::*;
        match self {
            Function::AlarmListener => &[Store, Signals, Workflow],
            Function::Bake => &[Store, Signals],
            Function::CreateDeployment => &[Store, Workflow, Alarms, Pipeline, Origin],
            Function::GetDeployment => &[Store],
            Function::HookCallback => &[Store, HookExecutions, Workflow],
            Function::Reconcile => &[
                Store,
                Signals,
                Notifier,
                Origin,
                AliasRouters,
                ListenerRouters,
                Alarms,
            ],
            Function::RecordStatus => &[Store, Signals, Notifier, Origin],
            Function::Register => &[Store],
            Function::RunHook => &[Store, Signals, HookExecutions, HookInvoker, Workflow],
            Function::ShiftAliasWeight => &[Store, Signals, AliasRouters, Alarms],
            // With no running workflow, it ends the deployment itself (see `reconcile`).
            Function::StopDeployment => &[
                Store,
                Signals,
                Workflow,
                Notifier,
                Origin,
                AliasRouters,
                ListenerRouters,
                Alarms,
            ],
            Function::SwapAlbTargets => &[Store, Signals, ListenerRouters, Alarms],
        }
    }

    /// The function's handler, built from `ports`.
    pub fn handler<P: Ports>(self, ports: &P) -> Result<Box<dyn JsonHandler>, P::Error> {
        Ok(match self {
            Function::AlarmListener => Box::new(AlarmListener::from_ports(ports)?),
            Function::Bake => Box::new(Bake::from_ports(ports)?),
            Function::CreateDeployment => Box::new(DeploymentEntry::from_ports(ports)?),
            Function::GetDeployment => Box::new(GetDeployment::from_ports(ports)?),
            Function::HookCallback => Box::new(HookCallback::from_ports(ports)?),
            Function::Reconcile => Box::new(ReconcileQueue::from_ports(ports)?),
            Function::RecordStatus => Box::new(RecordStatus::from_ports(ports)?),
            Function::Register => Box::new(Register::from_ports(ports)?),
            Function::RunHook => Box::new(RunHook::from_ports(ports)?),
            Function::ShiftAliasWeight => Box::new(ShiftTraffic::alias_from_ports(ports)?),
            Function::StopDeployment => Box::new(StopDeployment::from_ports(ports)?),
            Function::SwapAlbTargets => Box::new(ShiftTraffic::listener_from_ports(ports)?),
        })
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl AlarmListener {
    pub fn from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Ok(AlarmListener {
            store: ports.store()?,
            signals: ports.signals()?,
            workflow: ports.workflow()?,
            clock: ports.clock(),
        })
    }
}

impl Bake {
    pub fn from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Ok(Bake {
            store: ports.store()?,
            signals: ports.signals()?,
            clock: ports.clock(),
        })
    }
}

impl DeploymentEntry {
    pub fn from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Ok(DeploymentEntry {
            create: CreateDeployment {
                store: ports.store()?,
                workflow: ports.workflow()?,
                clock: ports.clock(),
                alarms: ports.alarms()?,
            },
            pipeline: ports.pipeline()?,
            account_id: ports.origin()?.account_id,
        })
    }
}

impl GetDeployment {
    pub fn from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Ok(GetDeployment {
            store: ports.store()?,
        })
    }
}

impl HookCallback {
    pub fn from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Ok(HookCallback {
            store: ports.store()?,
            executions: ports.hook_executions()?,
            workflow: ports.workflow()?,
            clock: ports.clock(),
        })
    }
}

impl RecordStatus {
    pub fn from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Ok(RecordStatus {
            store: ports.store()?,
            signals: ports.signals()?,
            notifier: ports.notifier()?,
            clock: ports.clock(),
            origin: ports.origin()?,
        })
    }
}

impl Register {
    pub fn from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Ok(Register {
            store: ports.store()?,
            clock: ports.clock(),
        })
    }
}

impl RunHook {
    pub fn from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Ok(RunHook {
            store: ports.store()?,
            signals: ports.signals()?,
            executions: ports.hook_executions()?,
            invoker: ports.hook_invoker()?,
            workflow: ports.workflow()?,
            clock: ports.clock(),
        })
    }
}

impl ShiftTraffic {
    /// `shift-alias-weight`: moves Lambda aliases.
    pub fn alias_from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Self::with_routers(ports, ports.alias_routers()?)
    }

    /// `swap-alb-targets`: moves ALB listeners.
    pub fn listener_from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Self::with_routers(ports, ports.listener_routers()?)
    }

    fn with_routers<P: Ports>(
        ports: &P,
        routers: Arc<dyn RouterFactory>,
    ) -> Result<Self, P::Error> {
        Ok(ShiftTraffic {
            store: ports.store()?,
            signals: ports.signals()?,
            clock: ports.clock(),
            routers,
            alarms: ports.alarms()?,
        })
    }
}

impl StopDeployment {
    pub fn from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Ok(StopDeployment {
            store: ports.store()?,
            signals: ports.signals()?,
            workflow: ports.workflow()?,
            clock: ports.clock(),
            reconciler: Reconciler::from_ports(ports)?,
        })
    }
}

impl ReconcileQueue {
    pub fn from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Ok(ReconcileQueue {
            reconcile: Reconcile::from_ports(ports)?,
        })
    }
}

impl Reconcile {
    pub fn from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Ok(Reconcile {
            reconciler: Reconciler::from_ports(ports)?,
        })
    }
}

impl Reconciler {
    pub fn from_ports<P: Ports>(ports: &P) -> Result<Self, P::Error> {
        Ok(Reconciler {
            record: RecordStatus::from_ports(ports)?,
            alias_traffic: ShiftTraffic::alias_from_ports(ports)?,
            listener_traffic: ShiftTraffic::listener_from_ports(ports)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found_again() {
        for function in Function::ALL {
            assert_eq!(Function::named(function.name()), Some(function));
        }
        assert_eq!(Function::named("soak"), None);
    }

    #[test]
    fn the_workflow_invokes_five_functions() {
        let invoked: Vec<_> = Function::ALL
            .into_iter()
            .filter(|function| function.substitution().is_some())
            .collect();
        assert_eq!(
            invoked,
            [
                Function::Bake,
                Function::RecordStatus,
                Function::RunHook,
                Function::ShiftAliasWeight,
                Function::SwapAlbTargets
            ]
        );
    }
}
