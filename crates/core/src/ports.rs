//! Ports: how the domain reaches the outside world. Adapters live in `gradual-aws`.

mod clock;
mod hooks;
mod notifier;
mod store;
mod workflow;

pub use clock::{Clock, SystemClock};
pub use hooks::{HookInvokeError, HookInvoker, HookPayload};
pub use notifier::{Notification, Notifier, NotifyError};
pub use store::{
    Creation, DeploymentStore, IdempotencyKey, Page, StatusChange, StatusUpdate, StoreError,
};
pub use workflow::{Workflow, WorkflowError};
