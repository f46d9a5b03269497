//! gradual's domain: what CodeDeploy's user guide calls deployment configs, AppSpecs,
//! deployments, lifecycle events and triggers, with the ports through which the outside
//! world (DynamoDB, Lambda, ELBv2, SNS, …) is reached. Nothing here depends on an AWS SDK.

pub mod appspec;
pub mod config;
pub mod deployment;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod group;
pub mod history;
pub mod lifecycle;
pub mod platform;
pub mod ports;
pub mod secret;
pub mod target;
pub mod traffic;
pub mod trigger;

pub use appspec::{AppSpec, AppSpecError};
pub use config::{ConfigError, DeploymentConfig, TrafficRouting, TrafficSchedule, TrafficStep};
pub use deployment::{
    Creator, Deployment, DeploymentId, DeploymentStatus, ErrorCode, ErrorInformation,
};
pub use group::{
    AlarmConfiguration, Application, AutoRollbackConfiguration, AutoRollbackEvent, DeploymentGroup,
    TriggerConfig, TriggerEvent,
};
pub use lifecycle::{Hook, LifecycleEvent};
pub use platform::ComputePlatform;
pub use target::{AlbListenerTarget, LambdaAliasTarget, Target};
