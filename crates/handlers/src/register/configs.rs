//! Custom deployment configs, in CodeDeploy's CreateDeploymentConfig shape.
//!
//! A config named by a deployment group as its default cannot be deleted: the groups are
//! looked up first, and the deletion refused while any names it. The check and the deletion
//! are two steps, so a group registered between them with that config can be left naming a
//! deleted config; its next deployment is then refused with an unknown-config error, until
//! the group names another config. Running deployments are never affected: their schedule is
//! frozen when they are created.

use super::{Register, RegisterOutput};
use crate::error::HandlerError;
use gradual_core::config::predefined_names;
use gradual_core::{ComputePlatform, DeploymentConfig};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentConfigRef {
    pub deployment_config_name: String,
}

/// Which configs `list-deployment-configs` answers: all, or one platform's.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentConfigListing {
    #[serde(default)]
    pub compute_platform: Option<ComputePlatform>,
}

impl Register {
    pub(super) async fn create_config(
        &self,
        config: DeploymentConfig,
    ) -> Result<RegisterOutput, HandlerError> {
        config
            .validate()
            .map_err(|error| HandlerError::InvalidInput(error.to_string()))?;
        self.store.create_deployment_config(&config).await?;
        Ok(RegisterOutput::config(config))
    }

    /// A custom config, or a predefined one by its name.
    pub(super) async fn get_config(
        &self,
        input: DeploymentConfigRef,
    ) -> Result<RegisterOutput, HandlerError> {
        let name = &input.deployment_config_name;
        let config = match DeploymentConfig::predefined(name) {
            Some(config) => config,
            None => self
                .store
                .get_deployment_config(name)
                .await?
                .ok_or_else(|| missing(name))?,
        };
        Ok(RegisterOutput::config(config))
    }

    /// The predefined configs in their documented order, then the custom ones by name.
    pub(super) async fn list_configs(
        &self,
        input: DeploymentConfigListing,
    ) -> Result<RegisterOutput, HandlerError> {
        let wanted = |config: &DeploymentConfig| {
            input
                .compute_platform
                .is_none_or(|platform| config.compute_platform == platform)
        };
        let mut custom = self.store.list_deployment_configs().await?;
        custom.sort_by(|a, b| a.name.cmp(&b.name));
        let configs = [ComputePlatform::Lambda, ComputePlatform::Ecs]
            .into_iter()
            .flat_map(predefined_names)
            .filter_map(DeploymentConfig::predefined)
            .chain(custom)
            .filter(wanted)
            .collect();
        Ok(RegisterOutput {
            deployment_configs: Some(configs),
            ..RegisterOutput::default()
        })
    }

    pub(super) async fn delete_config(
        &self,
        input: DeploymentConfigRef,
    ) -> Result<RegisterOutput, HandlerError> {
        let name = &input.deployment_config_name;
        if DeploymentConfig::predefined(name).is_some() {
            return Err(HandlerError::InvalidInput(format!(
                "deploymentConfigName: {name:?} is predefined and cannot be deleted"
            )));
        }
        if self.store.get_deployment_config(name).await?.is_none() {
            return Err(missing(name));
        }
        let users = self.store.groups_using_config(name).await?;
        if !users.is_empty() {
            return Err(HandlerError::InvalidInput(format!(
                "deploymentConfigName: deployment config {name:?} is the config of deployment group{} {}; \
                 give them another config first",
                if users.len() == 1 { "" } else { "s" },
                users.join(", ")
            )));
        }
        self.store.delete_deployment_config(name).await?;
        Ok(RegisterOutput::deleted(format!("deployment config {name}")))
    }
}

fn missing(name: &str) -> HandlerError {
    HandlerError::InvalidInput(format!(
        "deploymentConfigName: no deployment config named {name:?}"
    ))
}
