//! `stop-deployment`: stops a running deployment at once, as CodeDeploy's StopDeployment, with
//! or without rolling traffic back. The running workflow carries the stop out (`Pending`); a
//! deployment whose workflow is not running (it never started, or ended outside its failure
//! path) is ended here and now, as reconciliation ends it (`Succeeded`).

use crate::error::HandlerError;
use crate::handler::Handler;
use crate::reconcile::{Reconciled, Reconciler};
use crate::support::deployments::load;
use crate::support::failure::WorkflowFailure;
use async_trait::async_trait;
use gradual_core::ports::{Clock, DeploymentSignals, DeploymentStore, StopRequest, Workflow};
use gradual_core::{AutoRollbackEvent, Creator, DeploymentId, ErrorCode};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StopDeploymentInput {
    pub deployment_id: DeploymentId,
    /// Whether traffic goes back to the original version. When absent, the deployment's
    /// auto-rollback configuration decides (`DEPLOYMENT_STOP_ON_REQUEST`).
    #[serde(default)]
    pub auto_rollback_enabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StopDeploymentOutput {
    /// `Pending`: the workflow is stopping (CodeDeploy's answer); `Succeeded`: there was no
    /// running workflow, and the deployment ended at once.
    pub status: String,
    pub status_message: String,
}

pub struct StopDeployment {
    pub store: Arc<dyn DeploymentStore>,
    pub signals: Arc<dyn DeploymentSignals>,
    pub workflow: Arc<dyn Workflow>,
    pub clock: Arc<dyn Clock>,
    /// Ends a deployment that no workflow runs for.
    pub reconciler: Reconciler,
}

#[async_trait]
impl Handler for StopDeployment {
    type Input = StopDeploymentInput;
    type Output = StopDeploymentOutput;

    async fn handle(
        &self,
        input: StopDeploymentInput,
    ) -> Result<StopDeploymentOutput, HandlerError> {
        let deployment = load(self.store.as_ref(), &input.deployment_id).await?;
        if deployment.status.is_terminal() {
            return Err(HandlerError::InvalidInput(format!(
                "deploymentId: deployment {} already ended ({}); there is nothing to stop",
                deployment.id, deployment.status
            )));
        }
        if deployment.creator == Creator::Autorollback {
            let rolled_back = deployment
                .rollback_info
                .rollback_triggering_deployment_id
                .as_ref()
                .map_or_else(String::new, |id| format!(" of {id}"));
            return Err(HandlerError::InvalidInput(format!(
                "deploymentId: deployment {} is the rollback{rolled_back}: traffic is going back \
                 to the original version, and a rollback is never stopped",
                deployment.id
            )));
        }
        let roll_back = input.auto_rollback_enabled.unwrap_or_else(|| {
            deployment
                .auto_rollback_configuration
                .rolls_back_on(AutoRollbackEvent::DeploymentStopOnRequest)
        });
        let request = StopRequest {
            code: ErrorCode::ManualStop,
            message: format!(
                "stopped on request{}",
                if roll_back { ", rolling back" } else { "" }
            ),
            roll_back,
            at: self.clock.now(),
        };
        let outcome = crate::support::stop_signal::stop(
            self.signals.as_ref(),
            self.workflow.as_ref(),
            &deployment,
            &request,
        )
        .await?;
        let running = self.workflow.is_running(deployment.id.as_str()).await?;
        if !running {
            return self.end_now(&deployment.id).await;
        }
        let status_message = if outcome.first_request {
            request.message
        } else {
            "a stop was already requested; it stands".to_owned()
        };
        Ok(StopDeploymentOutput {
            status: "Pending".to_owned(),
            status_message,
        })
    }
}

impl StopDeployment {
    /// Ends a deployment no workflow runs for, as the recorded stop says.
    async fn end_now(&self, id: &DeploymentId) -> Result<StopDeploymentOutput, HandlerError> {
        let failure = WorkflowFailure {
            error: ErrorCode::ManualStop.as_str().to_owned(),
            cause: Some("stopped on request while no workflow ran for it".to_owned()),
        };
        let ended = self.reconciler.finish(id, failure).await?;
        let traffic = match ended.outcome {
            Reconciled::RolledBack => ", traffic rolled back",
            Reconciled::RollbackFailed => ", but traffic could not be rolled back",
            Reconciled::Ended | Reconciled::AlreadyEnded => "",
        };
        Ok(StopDeploymentOutput {
            status: "Succeeded".to_owned(),
            status_message: format!(
                "no workflow was running for {id}: it ended {}{traffic}",
                ended.status
            ),
        })
    }
}
