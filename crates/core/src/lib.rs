//! gradual's domain: what CodeDeploy's user guide calls deployment configs, AppSpecs,
//! deployments, lifecycle events and triggers, with the ports through which the outside
//! world (DynamoDB, Lambda, ELBv2, SNS, …) is reached. Nothing here depends on an AWS SDK.

pub mod appspec;
pub mod config;
pub mod lifecycle;
pub mod platform;
pub mod target;

pub use lifecycle::{Hook, LifecycleEvent};
pub use platform::ComputePlatform;
pub use target::{AlbListenerTarget, LambdaAliasTarget, Target};
