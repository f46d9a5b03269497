//! The compute platforms gradual deploys to, with CodeDeploy's names.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where the traffic is shifted: a Lambda alias, or an ALB listener in front of ECS/EC2 fleets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ComputePlatform {
    /// `CodeDeployDefault.Lambda*` configs, Lambda AppSpecs, alias weights.
    Lambda,
    /// `CodeDeployDefault.ECS*` configs, ECS AppSpecs, ALB target-group weights.
    #[serde(rename = "ECS")]
    Ecs,
}

impl ComputePlatform {
    pub fn as_str(self) -> &'static str {
        match self {
            ComputePlatform::Lambda => "Lambda",
            ComputePlatform::Ecs => "ECS",
        }
    }

    /// The platform's all-at-once config: CodeDeploy's default for a group that names no config,
    /// and the config of every rollback.
    pub fn all_at_once_config(self) -> &'static str {
        match self {
            ComputePlatform::Lambda => "CodeDeployDefault.LambdaAllAtOnce",
            ComputePlatform::Ecs => "CodeDeployDefault.ECSAllAtOnce",
        }
    }

    /// The kind of target a deployment on this platform moves, as requests name it.
    pub fn target_kind(self) -> &'static str {
        match self {
            ComputePlatform::Lambda => "LambdaAlias",
            ComputePlatform::Ecs => "AlbListener",
        }
    }
}

impl fmt::Display for ComputePlatform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
