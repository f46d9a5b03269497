//! What `create-deployment` does with a request, whichever entry point it came through:
//! validates a request modelled on CodeDeploy's CreateDeployment, resolves its group, config and
//! targets, stores the deployment (one active deployment per group, idempotent on
//! `clientRequestToken`) and starts its workflow.

use crate::error::HandlerError;
use crate::handler::Handler;
use crate::support::names::{check_length, check_name, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH};
use async_trait::async_trait;
use gradual_core::deployment::token::check_client_token;
use gradual_core::group::{check_alarms, check_auto_rollback, check_revision_targets};
use gradual_core::ports::{
    AlarmError, AlarmSource, Clock, Creation, DeploymentStore, IdempotencyKey, Workflow,
    WorkflowError,
};
use gradual_core::{
    AlarmConfiguration, AppSpec, AutoRollbackConfiguration, ComputePlatform, Creator, Deployment,
    DeploymentConfig, DeploymentGroup, DeploymentId, DeploymentStatus, ErrorCode, Hook, Target,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// How long a hook may take to report before the deployment fails (CodeDeploy's default).
pub const HOOK_TIMEOUT_SECONDS: u64 = 3600;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateDeploymentRequest {
    pub application_name: String,
    pub deployment_group_name: String,
    pub revision: Revision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_config_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_rollback_configuration: Option<AutoRollbackConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_configuration: Option<AlarmConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_request_token: Option<String>,
    /// Alarms already in ALARM when the deployment is created are recorded in its
    /// `ignoredAlarms` and do not stop it. Without this, a deployment whose alarm is firing
    /// stops before its first traffic shift.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignore_alarms_firing_at_start: bool,
}

/// What to deploy: an AppSpec (CodeDeploy's `AppSpecContent`), or gradual's explicit targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "revisionType", rename_all = "camelCase", deny_unknown_fields)]
pub enum Revision {
    #[serde(rename = "AppSpecContent", rename_all = "camelCase")]
    AppSpecContent { app_spec_content: AppSpecContent },
    #[serde(rename = "Targets", rename_all = "camelCase")]
    Targets {
        targets: Vec<Target>,
        #[serde(default)]
        hooks: Vec<Hook>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppSpecContent {
    pub content: String,
    /// CodeDeploy's hash of `content` (hex SHA-256); when given, the content must match it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDeploymentResponse {
    pub deployment_id: DeploymentId,
}

pub struct CreateDeployment {
    pub store: Arc<dyn DeploymentStore>,
    pub workflow: Arc<dyn Workflow>,
    pub clock: Arc<dyn Clock>,
    /// Read for `ignoreAlarmsFiringAtStart`.
    pub alarms: Arc<dyn AlarmSource>,
}

#[async_trait]
impl Handler for CreateDeployment {
    type Input = CreateDeploymentRequest;
    type Output = CreateDeploymentResponse;

    async fn handle(
        &self,
        request: CreateDeploymentRequest,
    ) -> Result<CreateDeploymentResponse, HandlerError> {
        self.create(request, Creator::User).await
    }
}

impl CreateDeployment {
    /// Creates and starts a deployment on behalf of `creator`.
    pub async fn create(
        &self,
        request: CreateDeploymentRequest,
        creator: Creator,
    ) -> Result<CreateDeploymentResponse, HandlerError> {
        check_overrides(&request)?;
        if let Some(token) = &request.client_request_token {
            check_client_token(token).map_err(|problem| {
                HandlerError::InvalidInput(format!("clientRequestToken: {problem}"))
            })?;
        }
        let group = self.group(&request).await?;
        let config = self.config(&request, &group).await?;
        let (targets, hooks) = resolve_revision(&request.revision, &group)?;
        let alarm_configuration = request
            .alarm_configuration
            .clone()
            .unwrap_or_else(|| group.alarm_configuration.clone());
        let ignored_alarms = if request.ignore_alarms_firing_at_start {
            self.alarms_firing(&alarm_configuration).await?
        } else {
            Vec::new()
        };
        let deployment = Deployment {
            id: DeploymentId::generate(),
            application_name: group.application_name.clone(),
            deployment_group_name: group.deployment_group_name.clone(),
            compute_platform: group.compute_platform,
            deployment_config_name: config.name.clone(),
            schedule: config.schedule(),
            targets,
            hooks,
            status: DeploymentStatus::Created,
            error_information: None,
            creator,
            description: request.description.clone(),
            auto_rollback_configuration: request
                .auto_rollback_configuration
                .clone()
                .unwrap_or_else(|| group.auto_rollback_configuration.clone()),
            alarm_configuration,
            ignored_alarms,
            rollback_info: Default::default(),
            traffic: Default::default(),
            create_time: self.clock.now(),
            start_time: None,
            complete_time: None,
        };
        let key = request
            .client_request_token
            .as_ref()
            .map(|token| IdempotencyKey {
                token: token.clone(),
                fingerprint: fingerprint(&request),
            });
        let creation = self
            .store
            .create_deployment(&deployment, key.as_ref())
            .await
            .map_err(|error| match error {
                gradual_core::ports::StoreError::ActiveDeploymentExists { .. }
                | gradual_core::ports::StoreError::TokenReused { .. } => {
                    HandlerError::InvalidInput(error.to_string())
                }
                other => other.into(),
            })?;
        let deployment = match &creation {
            Creation::Created(_) => deployment,
            Creation::AlreadyCreated(id) => {
                let first = crate::support::deployments::load(self.store.as_ref(), id).await?;
                retried(first, key.as_ref())?
            }
        };
        // Only a deployment still `Created` starts: a retry of a request whose deployment
        // already runs (or ran) leaves its workflow alone.
        if deployment.status == DeploymentStatus::Created {
            self.start_workflow(&deployment).await?;
        }
        tracing::info!(deployment_id = %deployment.id, created = matches!(creation, Creation::Created(_)), "deployment created");
        Ok(CreateDeploymentResponse {
            deployment_id: deployment.id,
        })
    }

    async fn group(
        &self,
        request: &CreateDeploymentRequest,
    ) -> Result<DeploymentGroup, HandlerError> {
        if self
            .store
            .get_application(&request.application_name)
            .await?
            .is_none()
        {
            return Err(HandlerError::deployment(
                ErrorCode::ApplicationMissing,
                format!(
                    "applicationName: application {:?} does not exist",
                    request.application_name
                ),
            ));
        }
        self.store
            .get_deployment_group(&request.application_name, &request.deployment_group_name)
            .await?
            .ok_or_else(|| {
                HandlerError::deployment(
                    ErrorCode::DeploymentGroupMissing,
                    format!(
                        "deploymentGroupName: deployment group {:?} of application {:?} does not exist",
                        request.deployment_group_name, request.application_name
                    ),
                )
            })
    }

    async fn config(
        &self,
        request: &CreateDeploymentRequest,
        group: &DeploymentGroup,
    ) -> Result<DeploymentConfig, HandlerError> {
        let name = request
            .deployment_config_name
            .as_deref()
            .unwrap_or(&group.deployment_config_name);
        let custom = match DeploymentConfig::predefined(name) {
            Some(_) => None,
            None => self.store.get_deployment_config(name).await?,
        };
        gradual_core::config::resolve(name, group.compute_platform, custom.as_ref())
            .map_err(|error| HandlerError::InvalidInput(format!("deploymentConfigName: {error}")))
    }

    /// The alarms of `configuration` in ALARM now, which the deployment will ignore. When they
    /// cannot be read, the deployment is refused, unless `ignorePollAlarmFailure` says to go on
    /// (ignoring none: the first traffic step polls them again).
    async fn alarms_firing(
        &self,
        configuration: &AlarmConfiguration,
    ) -> Result<Vec<String>, HandlerError> {
        if !configuration.enabled || configuration.alarms.is_empty() {
            return Ok(Vec::new());
        }
        match self.alarms.alarms_in_alarm(&configuration.alarms).await {
            Ok(firing) => Ok(firing),
            Err(error) if configuration.ignore_poll_alarm_failure => {
                tracing::warn!(%error, "alarm states unreadable at creation; ignoring none");
                Ok(Vec::new())
            }
            Err(error @ AlarmError::Missing { .. }) => Err(HandlerError::InvalidInput(format!(
                "alarmConfiguration.alarms: {error}"
            ))),
            Err(error) => Err(HandlerError::Transient(format!(
                "ignoreAlarmsFiringAtStart: the alarm states could not be read: {error}"
            ))),
        }
    }

    async fn start_workflow(&self, deployment: &Deployment) -> Result<(), HandlerError> {
        let input = workflow_input(deployment);
        if let Err(error) = self.workflow.start(deployment.id.as_str(), &input).await {
            let code = match error {
                WorkflowError::AccessDenied(_) => ErrorCode::IamRolePermissions,
                _ => ErrorCode::InternalError,
            };
            // Free the group rather than leave a deployment that will never run holding it.
            if deployment.status == DeploymentStatus::Created {
                let failure = gradual_core::ErrorInformation::new(
                    code,
                    format!("the workflow could not start: {error}"),
                );
                crate::support::deployments::move_to(
                    self.store.as_ref(),
                    self.clock.as_ref(),
                    deployment,
                    DeploymentStatus::Failed,
                    Some(failure),
                )
                .await?;
            }
            let message = format!(
                "the workflow of deployment {} could not start: {error}",
                deployment.id
            );
            return Err(match code {
                ErrorCode::IamRolePermissions => HandlerError::deployment(code, message),
                _ => HandlerError::Transient(message),
            });
        }
        Ok(())
    }
}

/// What a retried request answers, given the deployment its first attempt created: that
/// deployment, or the failure that ended it before its workflow ever started (its
/// StartExecution failed). A retry never starts a deployment that has failed: a new request
/// token makes a new deployment.
fn retried(first: Deployment, key: Option<&IdempotencyKey>) -> Result<Deployment, HandlerError> {
    let never_started = first.start_time.is_none() && first.status.is_terminal();
    match (&first.error_information, key) {
        (Some(error), Some(key)) if never_started => Err(HandlerError::deployment(
            error.code,
            format!(
                "clientRequestToken {:?}: deployment {} of the first request with this token \
                 ended before it started ({}); send another token to try again",
                key.token, first.id, error.message
            ),
        )),
        _ => Ok(first),
    }
}

/// The deployment's own alarm and rollback settings follow the rules of a group's.
fn check_overrides(request: &CreateDeploymentRequest) -> Result<(), HandlerError> {
    // Checked before any read: an oversized key is an error of the request, not of the store.
    check_name("applicationName", &request.application_name)?;
    check_name("deploymentGroupName", &request.deployment_group_name)?;
    if let Some(config) = &request.deployment_config_name {
        check_length("deploymentConfigName", config, MAX_NAME_LENGTH)?;
    }
    if let Some(description) = &request.description {
        check_length("description", description, MAX_DESCRIPTION_LENGTH)?;
    }
    if let Some(alarms) = &request.alarm_configuration {
        check_alarms(alarms)?;
    }
    if let Some(rollback) = &request.auto_rollback_configuration {
        check_auto_rollback(rollback)?;
    }
    Ok(())
}

/// The workflow's input: see docs/workflow.md.
pub fn workflow_input(deployment: &Deployment) -> serde_json::Value {
    let steps = deployment.schedule.steps();
    let shifting = &steps[..steps.len().saturating_sub(1)];
    serde_json::json!({
        "deploymentId": deployment.id,
        "platform": deployment.compute_platform,
        "steps": shifting,
        "hookTimeoutSeconds": HOOK_TIMEOUT_SECONDS,
    })
}

/// The targets and hooks a revision names, checked against the group's platform.
fn resolve_revision(
    revision: &Revision,
    group: &DeploymentGroup,
) -> Result<(Vec<Target>, Vec<Hook>), HandlerError> {
    let invalid = |message: String| HandlerError::deployment(ErrorCode::InvalidRevision, message);
    let (targets, hooks, platform) = match revision {
        Revision::AppSpecContent { app_spec_content } => {
            if let Some(expected) = &app_spec_content.sha256 {
                let actual = hex_sha256(app_spec_content.content.as_bytes());
                if !expected.eq_ignore_ascii_case(&actual) {
                    return Err(invalid(format!(
                        "revision.appSpecContent.sha256: {expected:?} is not the SHA-256 of the content ({actual})"
                    )));
                }
            }
            let spec = AppSpec::parse(&app_spec_content.content)
                .map_err(|error| invalid(format!("revision.appSpecContent.content: {error}")))?;
            let targets = match spec.platform() {
                ComputePlatform::Lambda => spec
                    .lambda_targets()
                    .into_iter()
                    .map(Target::LambdaAlias)
                    .collect(),
                // An ECS AppSpec names the task definition; the listeners come from the group.
                ComputePlatform::Ecs => group.targets.clone(),
            };
            (targets, spec.hooks.clone(), spec.platform())
        }
        Revision::Targets { targets, hooks } => (
            targets.clone(),
            hooks.clone(),
            targets
                .first()
                .map_or(group.compute_platform, Target::platform),
        ),
    };
    if platform != group.compute_platform {
        return Err(invalid(format!(
            "revision: a {platform} revision cannot be deployed to the {} deployment group {:?}",
            group.compute_platform, group.deployment_group_name
        )));
    }
    if let Some(index) = targets
        .iter()
        .position(|target| target.platform() != platform)
    {
        return Err(invalid(format!(
            "revision.targets[{index}]: a {platform} deployment moves only {} targets",
            platform.target_kind()
        )));
    }
    if targets.is_empty() {
        return Err(invalid(format!(
            "revision: nothing to deploy: the revision names no target and deployment group {:?} has none",
            group.deployment_group_name
        )));
    }
    check_revision_targets(&group.deployment_group_name, &group.targets, &targets)
        .map_err(|error| invalid(error.0))?;
    Ok((targets, hooks))
}

/// What makes two requests "the same request" for a client token: everything but the token.
fn fingerprint(request: &CreateDeploymentRequest) -> String {
    let mut request = request.clone();
    request.client_request_token = None;
    let canonical = serde_json::to_vec(&request).expect("a request is plain data");
    hex_sha256(&canonical)
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
