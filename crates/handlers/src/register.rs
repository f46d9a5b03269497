//! `register`: creates, updates, reads and deletes applications, deployment groups and custom
//! deployment configs, checking every rule before anything is written. One function serves
//! every resource kind; the request's `action` says what to do (see `docs/entry-points.md`).

mod applications;
mod configs;
mod groups;

pub use crate::support::names::MAX_NAME_LENGTH;
pub use applications::{ApplicationInput, ApplicationRef};
pub use configs::{DeploymentConfigListing, DeploymentConfigRef};
pub use groups::{DeploymentGroupInput, DeploymentGroupRef};

use crate::error::HandlerError;
use crate::handler::Handler;
use async_trait::async_trait;
use gradual_core::ports::{Clock, DeploymentStore};
use gradual_core::{Application, DeploymentConfig, DeploymentGroup};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum RegisterInput {
    CreateApplication(ApplicationInput),
    GetApplication(ApplicationRef),
    DeleteApplication(ApplicationRef),
    CreateDeploymentGroup(DeploymentGroupInput),
    UpdateDeploymentGroup(DeploymentGroupInput),
    GetDeploymentGroup(DeploymentGroupRef),
    DeleteDeploymentGroup(DeploymentGroupRef),
    CreateDeploymentConfig(DeploymentConfig),
    GetDeploymentConfig(DeploymentConfigRef),
    ListDeploymentConfigs(DeploymentConfigListing),
    DeleteDeploymentConfig(DeploymentConfigRef),
}

impl RegisterInput {
    /// Every action, as requests spell it.
    pub const ACTIONS: [&'static str; 11] = [
        "create-application",
        "get-application",
        "delete-application",
        "create-deployment-group",
        "update-deployment-group",
        "get-deployment-group",
        "delete-deployment-group",
        "create-deployment-config",
        "get-deployment-config",
        "list-deployment-configs",
        "delete-deployment-config",
    ];
}

/// The resource as stored after the action, or what was deleted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterOutput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Application>,
    /// The application's group names, with `get-application`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_groups: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_group: Option<DeploymentGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_config: Option<DeploymentConfig>,
    /// The predefined configs, then the custom ones, with `list-deployment-configs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_configs: Option<Vec<DeploymentConfig>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<String>,
}

impl RegisterOutput {
    fn group(group: DeploymentGroup) -> Self {
        RegisterOutput {
            deployment_group: Some(group),
            ..Self::default()
        }
    }

    fn config(config: DeploymentConfig) -> Self {
        RegisterOutput {
            deployment_config: Some(config),
            ..Self::default()
        }
    }

    fn deleted(what: String) -> Self {
        RegisterOutput {
            deleted: Some(what),
            ..Self::default()
        }
    }
}

pub struct Register {
    pub store: Arc<dyn DeploymentStore>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl Handler for Register {
    type Input = RegisterInput;
    type Output = RegisterOutput;

    async fn handle(&self, input: RegisterInput) -> Result<RegisterOutput, HandlerError> {
        use RegisterInput::*;
        match input {
            CreateApplication(input) => self.create_application(input).await,
            GetApplication(input) => self.get_application(input).await,
            DeleteApplication(input) => self.delete_application(input).await,
            CreateDeploymentGroup(input) => self.create_group(input).await,
            UpdateDeploymentGroup(input) => self.update_group(input).await,
            GetDeploymentGroup(input) => self.get_group(input).await,
            DeleteDeploymentGroup(input) => self.delete_group(input).await,
            CreateDeploymentConfig(config) => self.create_config(config).await,
            GetDeploymentConfig(input) => self.get_config(input).await,
            ListDeploymentConfigs(input) => self.list_configs(input).await,
            DeleteDeploymentConfig(input) => self.delete_config(input).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_action_reads_and_unknown_fields_are_refused() {
        for action in RegisterInput::ACTIONS {
            let input = serde_json::from_value::<RegisterInput>(json!({"action": action}));
            if action == "list-deployment-configs" {
                // Its only field, the platform, is optional.
                assert!(input.is_ok(), "{action}: {input:?}");
                continue;
            }
            let error = input.unwrap_err().to_string();
            assert!(error.starts_with("missing field"), "{action}: {error}");
        }
        let error = serde_json::from_value::<RegisterInput>(json!({
            "action": "get-application", "applicationName": "shop", "computePlatfrom": "Lambda"
        }))
        .unwrap_err()
        .to_string();
        assert!(error.contains("unknown field `computePlatfrom`"), "{error}");
        let input = serde_json::from_value::<RegisterInput>(
            json!({"action": "get-application", "applicationName": "shop"}),
        );
        assert!(
            matches!(input, Ok(RegisterInput::GetApplication(_))),
            "{input:?}"
        );
    }
}
