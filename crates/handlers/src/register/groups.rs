//! Deployment groups: where an application's deployments go and the rules they follow.

use super::{Register, RegisterOutput};
use crate::error::HandlerError;
use crate::support::names::check_name;
use gradual_core::group::{check_alarms, check_auto_rollback, check_targets, check_triggers};
use gradual_core::{
    AlarmConfiguration, AutoRollbackConfiguration, ComputePlatform, DeploymentConfig,
    DeploymentGroup, ErrorCode, Target, TriggerConfig,
};
use serde::Deserialize;

/// A deployment group as registered: CodeDeploy's CreateDeploymentGroup fields, plus the
/// targets its deployments shift.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentGroupInput {
    pub application_name: String,
    pub deployment_group_name: String,
    /// The application's platform; when given, it must be that one.
    #[serde(default)]
    pub compute_platform: Option<ComputePlatform>,
    /// Default: the platform's all-at-once config, as in CodeDeploy.
    #[serde(default)]
    pub deployment_config_name: Option<String>,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub auto_rollback_configuration: AutoRollbackConfiguration,
    #[serde(default)]
    pub alarm_configuration: AlarmConfiguration,
    #[serde(default)]
    pub trigger_configurations: Vec<TriggerConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentGroupRef {
    pub application_name: String,
    pub deployment_group_name: String,
}

impl Register {
    pub(super) async fn create_group(
        &self,
        input: DeploymentGroupInput,
    ) -> Result<RegisterOutput, HandlerError> {
        let group = self.checked_group(input).await?;
        self.store.create_deployment_group(&group).await?;
        Ok(RegisterOutput::group(group))
    }

    /// Replaces the whole definition; running deployments keep the targets, schedule and
    /// rollback settings they were created with.
    pub(super) async fn update_group(
        &self,
        input: DeploymentGroupInput,
    ) -> Result<RegisterOutput, HandlerError> {
        let group = self.checked_group(input).await?;
        self.store.update_deployment_group(&group).await?;
        Ok(RegisterOutput::group(group))
    }

    pub(super) async fn get_group(
        &self,
        input: DeploymentGroupRef,
    ) -> Result<RegisterOutput, HandlerError> {
        self.application(&input.application_name).await?;
        let group = self
            .store
            .get_deployment_group(&input.application_name, &input.deployment_group_name)
            .await?
            .ok_or_else(|| group_missing(&input))?;
        Ok(RegisterOutput::group(group))
    }

    /// Refused while a deployment of the group is active.
    pub(super) async fn delete_group(
        &self,
        input: DeploymentGroupRef,
    ) -> Result<RegisterOutput, HandlerError> {
        self.application(&input.application_name).await?;
        self.store
            .delete_deployment_group(&input.application_name, &input.deployment_group_name)
            .await?;
        Ok(RegisterOutput::deleted(format!(
            "deployment group {} of application {}",
            input.deployment_group_name, input.application_name
        )))
    }

    /// The group the input describes, once every rule holds.
    async fn checked_group(
        &self,
        input: DeploymentGroupInput,
    ) -> Result<DeploymentGroup, HandlerError> {
        check_name("applicationName", &input.application_name)?;
        check_name("deploymentGroupName", &input.deployment_group_name)?;
        let application = self.application(&input.application_name).await?;
        let platform = application.compute_platform;
        if let Some(requested) = input.compute_platform.filter(|&p| p != platform) {
            return Err(HandlerError::InvalidInput(format!(
                "computePlatform: application {:?} deploys to {platform}, so its groups cannot be {requested}",
                application.application_name
            )));
        }
        check_targets(platform, &input.targets)?;
        let config_name = input
            .deployment_config_name
            .unwrap_or_else(|| platform.all_at_once_config().to_owned());
        self.resolvable_config(&config_name, platform).await?;
        check_alarms(&input.alarm_configuration)?;
        check_auto_rollback(&input.auto_rollback_configuration)?;
        check_triggers(&input.trigger_configurations)?;
        Ok(DeploymentGroup {
            application_name: input.application_name,
            deployment_group_name: input.deployment_group_name,
            compute_platform: platform,
            deployment_config_name: config_name,
            targets: input.targets,
            auto_rollback_configuration: input.auto_rollback_configuration,
            alarm_configuration: input.alarm_configuration,
            trigger_configurations: input.trigger_configurations,
        })
    }

    /// A predefined config or a stored custom one, meant for `platform`.
    async fn resolvable_config(
        &self,
        name: &str,
        platform: ComputePlatform,
    ) -> Result<(), HandlerError> {
        let custom = match DeploymentConfig::predefined(name) {
            Some(_) => None,
            None => self.store.get_deployment_config(name).await?,
        };
        gradual_core::config::resolve(name, platform, custom.as_ref())
            .map(drop)
            .map_err(|error| HandlerError::InvalidInput(error.to_string()))
    }
}

fn group_missing(group: &DeploymentGroupRef) -> HandlerError {
    HandlerError::deployment(
        ErrorCode::DeploymentGroupMissing,
        format!(
            "deploymentGroupName: deployment group {:?} of application {:?} does not exist",
            group.deployment_group_name, group.application_name
        ),
    )
}
