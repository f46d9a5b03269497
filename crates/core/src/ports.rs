//! Ports: how the domain reaches the outside world. Adapters live in `gradual-aws`.

mod alarms;
mod clock;
mod hook_executions;
mod hooks;
mod memory_store;
mod notifier;
mod pipeline;
mod signals;
mod store;
#[cfg(any(test, feature = "fixtures"))]
pub mod store_contract;
mod traffic;
mod workflow;

pub use alarms::{AlarmError, AlarmReading, AlarmSource, AlarmState};
pub use clock::{Clock, SystemClock};
pub use hook_executions::{HookExecution, HookExecutionStatus, HookExecutionStore};
pub use hooks::{HookInvokeError, HookInvoker, HookPayload};
pub use memory_store::MemoryStore;
pub use notifier::{Notification, Notifier, NotifyError};
pub use pipeline::{
    clip, JobDetails, JobFailure, JobSuccess, PipelineError, PipelineReporter, MAX_FAILURE_MESSAGE,
    MAX_SUMMARY,
};
pub use signals::{DeploymentSignals, StopOutcome, StopRequest};
pub use store::{
    ApplicationStore, ConfigStore, Creation, DeploymentIndex, DeploymentRecords, DeploymentStore,
    Entity, GroupStore, HistoryStore, IdempotencyKey, Page, StatusChange, StatusUpdate, StoreError,
};
pub use traffic::{RouterError, TrafficRouter, TrafficState};
pub use workflow::{Workflow, WorkflowError};
