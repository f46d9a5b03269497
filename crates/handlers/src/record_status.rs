//! `record-status`: the workflow's bookkeeping steps. It records the start, the success, the
//! failure or stop (deciding whether to roll back), and the end of a rollback, and publishes the
//! matching triggers. Every action may be replayed: it then changes and publishes nothing more.

use crate::error::HandlerError;
use crate::function::Function;
use crate::handler::Handler;
use crate::support::deployments::{load, move_to};
use crate::support::failure::WorkflowFailure;
use crate::support::triggers::TriggerPublisher;
use crate::support::waits::stop_error;
use async_trait::async_trait;
use gradual_core::deployment::token::rollback_token;
use gradual_core::deployment::Ending;
use gradual_core::ports::{
    Clock, Creation, DeploymentSignals, DeploymentStore, IdempotencyKey, Notifier,
};
use gradual_core::trigger::Origin;
use gradual_core::{
    ComputePlatform, Deployment, DeploymentId, DeploymentStatus, ErrorCode, ErrorInformation,
    TriggerEvent,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordAction {
    Start,
    Succeed,
    Fail,
    RolledBack,
    RollbackFailed,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordStatusInput {
    pub deployment_id: DeploymentId,
    pub action: RecordAction,
    /// With `fail`: what the workflow caught.
    #[serde(default)]
    pub failure: Option<WorkflowFailure>,
    /// With `rollback-failed`: why traffic could not be restored.
    #[serde(default)]
    pub rollback_failure: Option<WorkflowFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordStatusOutput {
    pub status: DeploymentStatus,
    /// With `fail`: whether the workflow must roll traffic back.
    pub rollback: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback_deployment_id: Option<DeploymentId>,
}

pub struct RecordStatus {
    pub store: Arc<dyn DeploymentStore>,
    pub signals: Arc<dyn DeploymentSignals>,
    pub notifier: Arc<dyn Notifier>,
    pub clock: Arc<dyn Clock>,
    pub origin: Origin,
}

#[async_trait]
impl Handler for RecordStatus {
    type Input = RecordStatusInput;
    type Output = RecordStatusOutput;

    async fn handle(&self, input: RecordStatusInput) -> Result<RecordStatusOutput, HandlerError> {
        let deployment = load(self.store.as_ref(), &input.deployment_id).await?;
        match input.action {
            RecordAction::Start => self.start(deployment).await,
            RecordAction::Succeed => self.succeed(deployment).await,
            RecordAction::Fail => {
                let failure = input.failure.ok_or_else(|| {
                    HandlerError::InvalidInput("failure: required with action \"fail\"".to_owned())
                })?;
                self.fail(deployment, failure).await
            }
            RecordAction::RolledBack => self.rolled_back(deployment).await,
            RecordAction::RollbackFailed => {
                let failure = input.rollback_failure.ok_or_else(|| {
                    HandlerError::InvalidInput(
                        "rollbackFailure: required with action \"rollback-failed\"".to_owned(),
                    )
                })?;
                self.rollback_failed(deployment, failure).await
            }
        }
    }
}

impl RecordStatus {
    pub(crate) fn publisher(&self) -> TriggerPublisher<'_> {
        TriggerPublisher {
            store: self.store.as_ref(),
            notifier: self.notifier.as_ref(),
            clock: self.clock.as_ref(),
            origin: &self.origin,
        }
    }

    async fn move_to(
        &self,
        deployment: &Deployment,
        next: DeploymentStatus,
        error: Option<ErrorInformation>,
    ) -> Result<Deployment, HandlerError> {
        move_to(
            self.store.as_ref(),
            self.clock.as_ref(),
            deployment,
            next,
            error,
        )
        .await
    }

    async fn start(&self, deployment: Deployment) -> Result<RecordStatusOutput, HandlerError> {
        // A replay in InProgress still checks that the change is in the history.
        let deployment = match deployment.status {
            DeploymentStatus::Created | DeploymentStatus::Queued | DeploymentStatus::InProgress => {
                self.move_to(&deployment, DeploymentStatus::InProgress, None)
                    .await?
            }
            _ => deployment,
        };
        self.publisher()
            .publish(&deployment, &[TriggerEvent::DeploymentStart])
            .await?;
        Ok(outcome(&deployment, false))
    }

    /// Ends the deployment as Succeeded, unless it was asked to stop: the store refuses the
    /// success after a stop, and the step fails with the stop's code, which the workflow
    /// catches into its failure path, so that what the stop answered holds.
    async fn succeed(&self, deployment: Deployment) -> Result<RecordStatusOutput, HandlerError> {
        let deployment = match self
            .move_to(&deployment, DeploymentStatus::Succeeded, None)
            .await
        {
            // The store's refusal after a stop (StoreError::StopRequested); the stop's own
            // code says whether a person or an alarm asked for it.
            Err(HandlerError::Deployment(info)) if info.code == ErrorCode::ManualStop => {
                return Err(stop_error(self.signals.as_ref(), &deployment.id).await)
            }
            other => other?,
        };
        self.publisher()
            .publish(&deployment, &[TriggerEvent::DeploymentSuccess])
            .await?;
        Ok(outcome(&deployment, false))
    }

    /// Ends the deployment as Failed (or Stopped, when a stop was requested) and, when it must
    /// roll back, creates the rollback deployment first so that it takes over the group's
    /// active slot: no other deployment can start while traffic goes back.
    async fn fail(
        &self,
        deployment: Deployment,
        failure: WorkflowFailure,
    ) -> Result<RecordStatusOutput, HandlerError> {
        let (deployment, roll_back, rollback_id) = if deployment.status.is_terminal() {
            // A replay, or a deployment that ended meanwhile (a success recorded first): its
            // ending stands, and only the triggers are made sure of.
            let rollback_id = deployment.rollback_info.rollback_deployment_id.clone();
            (deployment, rollback_id.is_some(), rollback_id)
        } else {
            let stop = self.signals.stop_request(&deployment.id).await?;
            let Ending {
                status,
                error,
                roll_back,
            } = deployment.ending(stop.as_ref(), failure.error_information());
            let rollback_id = if roll_back {
                Some(self.create_rollback(&deployment, &error).await?)
            } else {
                None
            };
            let deployment = self.move_to(&deployment, status, Some(error)).await?;
            (deployment, roll_back, rollback_id)
        };
        let status = deployment.status;
        let mut events = Vec::new();
        if status == DeploymentStatus::Stopped {
            events.push(TriggerEvent::DeploymentStop);
        }
        if !roll_back && deployment.counts_as_failure() {
            events.push(TriggerEvent::DeploymentFailure);
        }
        self.publisher().publish(&deployment, &events).await?;
        let mut output = outcome(&deployment, roll_back);
        output.rollback_deployment_id = rollback_id;
        Ok(output)
    }

    async fn create_rollback(
        &self,
        deployment: &Deployment,
        error: &ErrorInformation,
    ) -> Result<DeploymentId, HandlerError> {
        let rollback = deployment.rollback(self.clock.now());
        let key = IdempotencyKey {
            token: rollback_token(&deployment.id),
            fingerprint: deployment.id.to_string(),
        };
        let creation = self.store.create_deployment(&rollback, Some(&key)).await?;
        let id = match creation {
            Creation::Created(id) | Creation::AlreadyCreated(id) => id,
        };
        let message = format!(
            "rolled back by {id} after {}: {}",
            error.code, error.message
        );
        self.store
            .link_rollback(&deployment.id, &id, &message)
            .await?;
        Ok(id)
    }

    async fn rolled_back(
        &self,
        deployment: Deployment,
    ) -> Result<RecordStatusOutput, HandlerError> {
        let rollback = self.rollback_of(&deployment).await?;
        // A replay finds the rollback already ended, and leaves it so.
        let rollback = match rollback.status {
            DeploymentStatus::Created => {
                self.move_to(&rollback, DeploymentStatus::InProgress, None)
                    .await?
            }
            _ => rollback,
        };
        self.move_to(&rollback, DeploymentStatus::Succeeded, None)
            .await?;
        let mut events = vec![TriggerEvent::DeploymentRollback];
        if deployment.counts_as_failure() {
            events.push(TriggerEvent::DeploymentFailure);
        }
        self.publisher().publish(&deployment, &events).await?;
        Ok(outcome(&deployment, true))
    }

    async fn rollback_failed(
        &self,
        deployment: Deployment,
        failure: WorkflowFailure,
    ) -> Result<RecordStatusOutput, HandlerError> {
        let rollback = self.rollback_of(&deployment).await?;
        let rollback = match rollback.status {
            DeploymentStatus::Created => {
                self.move_to(&rollback, DeploymentStatus::InProgress, None)
                    .await?
            }
            _ => rollback,
        };
        let mut error = failure.error_information();
        error.message = where_traffic_stands(&deployment, &error.message);
        tracing::error!(deployment_id = %deployment.id, rollback_id = %rollback.id, %error, "traffic could not be restored");
        self.move_to(&rollback, DeploymentStatus::Failed, Some(error))
            .await?;
        self.publisher()
            .publish(&deployment, &[TriggerEvent::DeploymentFailure])
            .await?;
        Ok(outcome(&deployment, true))
    }

    async fn rollback_of(&self, deployment: &Deployment) -> Result<Deployment, HandlerError> {
        let id = deployment
            .rollback_info
            .rollback_deployment_id
            .as_ref()
            .ok_or_else(|| {
                HandlerError::InvalidInput(format!(
                    "deploymentId: deployment {} has no rollback deployment",
                    deployment.id
                ))
            })?;
        load(self.store.as_ref(), id).await
    }
}

/// A failed rollback's error says why, where traffic was last recorded, and how to finish the
/// job once the target's service answers again (docs/reliability.md).
fn where_traffic_stands(deployment: &Deployment, cause: &str) -> String {
    let function = match deployment.compute_platform {
        ComputePlatform::Lambda => Function::ShiftAliasWeight,
        ComputePlatform::Ecs => Function::SwapAlbTargets,
    };
    format!(
        "{cause}; traffic was last recorded at {} % on the new version; to finish the rollback \
         once the service answers, invoke <stack>-{function} with \
         {{\"deploymentId\": \"{}\", \"action\": \"rollback\"}}",
        deployment.traffic.percent, deployment.id
    )
}

fn outcome(deployment: &Deployment, rollback: bool) -> RecordStatusOutput {
    RecordStatusOutput {
        status: deployment.status,
        rollback,
        rollback_deployment_id: deployment.rollback_info.rollback_deployment_id.clone(),
    }
}

#[cfg(test)]
#[path = "record_status_tests.rs"]
mod tests;
