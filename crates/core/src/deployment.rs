//! A deployment: what moves, how, where it stands, and how it ended.

mod ending;
mod error_code;
mod id;
mod status;
pub mod token;

pub use ending::Ending;
pub use error_code::{ErrorCode, ErrorInformation};
pub use id::{DeploymentId, InvalidDeploymentId};
pub use status::{DeploymentStatus, IllegalTransition};

use crate::config::TrafficSchedule;
use crate::group::{AlarmConfiguration, AutoRollbackConfiguration};
use crate::lifecycle::Hook;
use crate::platform::ComputePlatform;
use crate::target::Target;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Who started a deployment (CodeDeploy's `creator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Creator {
    /// A user or a script (CLI, direct invoke, EventBridge).
    User,
    /// A CodePipeline action.
    CodePipeline,
    /// gradual itself, rolling back another deployment.
    Autorollback,
}

/// Links a deployment and its rollback, both ways (CodeDeploy's `rollbackInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RollbackInfo {
    /// On a rolled-back deployment: the deployment that rolled it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback_deployment_id: Option<DeploymentId>,
    /// On a rollback deployment: the deployment it rolled back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback_triggering_deployment_id: Option<DeploymentId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback_message: Option<String>,
}

/// Where traffic stands, for status displays.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficProgress {
    /// Percent of traffic on the new version.
    pub percent: u8,
    /// Index of the schedule step reached, if shifting has begun.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub id: DeploymentId,
    pub application_name: String,
    pub deployment_group_name: String,
    pub compute_platform: ComputePlatform,
    pub deployment_config_name: String,
    /// The resolved schedule, frozen when the deployment is created.
    pub schedule: TrafficSchedule,
    pub targets: Vec<Target>,
    #[serde(default)]
    pub hooks: Vec<Hook>,
    pub status: DeploymentStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_information: Option<ErrorInformation>,
    pub creator: Creator,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub auto_rollback_configuration: AutoRollbackConfiguration,
    pub alarm_configuration: AlarmConfiguration,
    /// Alarms already in ALARM at start that this deployment was asked to ignore.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored_alarms: Vec<String>,
    #[serde(default)]
    pub rollback_info: RollbackInfo,
    #[serde(default)]
    pub traffic: TrafficProgress,
    #[serde(with = "time::serde::rfc3339")]
    pub create_time: OffsetDateTime,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<OffsetDateTime>,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub complete_time: Option<OffsetDateTime>,
}

impl Deployment {
    /// The group this deployment belongs to, as `application/group`.
    pub fn group_key(&self) -> String {
        group_key(&self.application_name, &self.deployment_group_name)
    }
}

/// One key per deployment group, for locks and indexes: `application/group`.
/// Neither name may contain `/` (registration refuses it), so the key is unambiguous.
pub fn group_key(application_name: &str, deployment_group_name: &str) -> String {
    format!("{application_name}/{deployment_group_name}")
}
