//! `reconcile`: ends a deployment whose workflow stopped outside its own failure path — an
//! operator's StopExecution, a `States.Runtime` error, an execution timeout, a bookkeeping step
//! that failed beyond its retries — so that traffic still comes home and the group is freed.
//!
//! An EventBridge rule sends Step Functions' "Execution Status Change" events (FAILED,
//! ABORTED, TIMED_OUT) of the deployment state machine to a queue that holds each one for
//! [`DELAY_SECONDS`], longer than any of gradual's functions may run: a task the stopped
//! execution had started has finished by then, and cannot race reconciliation (a success
//! recorded by a late `RecordSuccess` stands). The queue retries a failed event and keeps
//! one that keeps failing. stop-deployment uses the same [`Reconciler`] when a deployment has
//! no running workflow at all. It does what the workflow's
//! failure path would have done, with the same handlers: record the failure (or the stop), roll
//! traffic back when the group's rules say so, record the rollback, publish the triggers. Every
//! step is idempotent: an event for a deployment that ended properly (the workflow's own
//! failure path also ends FAILED) changes nothing, and a replay finishes what a crash left.

use crate::error::HandlerError;
use crate::handler::Handler;
use crate::record_status::{RecordAction, RecordStatus, RecordStatusInput};
use crate::shift_traffic::{ShiftTraffic, TrafficActionName, TrafficInput};
use crate::support::deployments::{ensure_status_recorded, load, move_to};
use crate::support::failure::WorkflowFailure;
use gradual_core::{
    ComputePlatform, Deployment, DeploymentId, DeploymentStatus, ErrorCode, ErrorInformation,
};
use serde::Serialize;

mod events;

pub use events::{
    ExecutionEndEvent, ExecutionStatusChange, Reconcile, ReconcileQueue, DELAY_SECONDS,
    DETAIL_TYPE, SOURCE,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReconcileOutput {
    pub deployment_id: DeploymentId,
    /// What reconciliation did.
    pub outcome: Reconciled,
    /// The deployment's status afterwards.
    pub status: DeploymentStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reconciled {
    /// The deployment and its rollback had already ended: nothing to do.
    AlreadyEnded,
    /// The deployment was ended now; traffic left where the group's rules leave it.
    Ended,
    /// The deployment was ended now (or before), and its traffic rolled back.
    RolledBack,
    /// The rollback could not restore traffic; the rollback deployment ended Failed with
    /// an error saying where traffic stands.
    RollbackFailed,
}

/// Finishes what a deployment's workflow left unfinished, with the workflow's own handlers.
pub struct Reconciler {
    pub record: RecordStatus,
    /// The traffic function of Lambda deployments (alias routers).
    pub alias_traffic: ShiftTraffic,
    /// The traffic function of ECS deployments (listener routers).
    pub listener_traffic: ShiftTraffic,
}

impl Reconciler {
    /// Ends `deployment_id` as its workflow's failure path would, `failure` being what ended
    /// the workflow; a recorded stop request wins over it, as in the workflow.
    pub async fn finish(
        &self,
        deployment_id: &DeploymentId,
        failure: WorkflowFailure,
    ) -> Result<ReconcileOutput, HandlerError> {
        let deployment = load(self.record.store.as_ref(), deployment_id).await?;
        let mut outcome = Reconciled::AlreadyEnded;
        let roll_back = if deployment.status == DeploymentStatus::Succeeded {
            self.abandon_rollback(&deployment).await?;
            false
        } else if deployment.status.is_terminal() {
            self.rollback_unfinished(&deployment).await?
        } else {
            tracing::warn!(
                deployment_id = %deployment.id,
                status = %deployment.status,
                error = %failure.error,
                "the workflow ended outside its failure path; ending the deployment"
            );
            outcome = Reconciled::Ended;
            let input = RecordStatusInput {
                deployment_id: deployment.id.clone(),
                action: RecordAction::Fail,
                failure: Some(failure),
                rollback_failure: None,
            };
            self.record.handle(input).await?.rollback
        };
        if roll_back {
            outcome = self.roll_back(&deployment).await?;
        }
        let status = self.complete_records(deployment_id).await?;
        Ok(ReconcileOutput {
            deployment_id: deployment_id.clone(),
            outcome,
            status,
        })
    }

    /// A workflow that died in its bookkeeping may have left an ended deployment without the
    /// history record of its last status, or without its last triggers: both are written now
    /// (each at most once, whoever wrote it first). Returns the deployment's status.
    async fn complete_records(
        &self,
        deployment_id: &DeploymentId,
    ) -> Result<DeploymentStatus, HandlerError> {
        let store = self.record.store.as_ref();
        let clock = self.record.clock.as_ref();
        let deployment = load(store, deployment_id).await?;
        let rollback = match &deployment.rollback_info.rollback_deployment_id {
            Some(id) => Some(load(store, id).await?),
            None => None,
        };
        for ended in std::iter::once(&deployment).chain(rollback.as_ref()) {
            if ended.status.is_terminal() {
                ensure_status_recorded(store, clock, ended).await?;
            }
        }
        let events = deployment.ending_triggers(rollback.as_ref());
        self.record
            .publisher()
            .publish(&deployment, &events)
            .await?;
        Ok(deployment.status)
    }

    /// A deployment whose success was recorded while its failure was being recorded keeps
    /// its success: a rollback created meanwhile ends without moving traffic, and frees the
    /// group.
    async fn abandon_rollback(&self, deployment: &Deployment) -> Result<(), HandlerError> {
        let Some(rollback_id) = &deployment.rollback_info.rollback_deployment_id else {
            return Ok(());
        };
        let store = self.record.store.as_ref();
        let rollback = load(store, rollback_id).await?;
        if rollback.status.is_terminal() {
            return Ok(());
        }
        let error = ErrorInformation::new(
            ErrorCode::InternalError,
            format!(
                "not needed: {} succeeded before its failure was recorded",
                deployment.id
            ),
        );
        move_to(
            store,
            self.record.clock.as_ref(),
            &rollback,
            DeploymentStatus::Stopped,
            Some(error),
        )
        .await?;
        Ok(())
    }

    /// Whether an ended deployment has a rollback that has not ended (its workflow died
    /// while rolling back).
    async fn rollback_unfinished(&self, deployment: &Deployment) -> Result<bool, HandlerError> {
        let Some(rollback_id) = &deployment.rollback_info.rollback_deployment_id else {
            return Ok(false);
        };
        let rollback = load(self.record.store.as_ref(), rollback_id).await?;
        Ok(!rollback.status.is_terminal())
    }

    /// The workflow's RollBack, then RecordRollback or RecordRollbackFailure. A transient
    /// failure is returned, so that the invocation is retried.
    async fn roll_back(&self, deployment: &Deployment) -> Result<Reconciled, HandlerError> {
        let traffic = match deployment.compute_platform {
            ComputePlatform::Lambda => &self.alias_traffic,
            ComputePlatform::Ecs => &self.listener_traffic,
        };
        let rollback = TrafficInput {
            deployment_id: deployment.id.clone(),
            action: TrafficActionName::Rollback,
            percent: None,
            step: None,
            targets: None,
        };
        let (action, rollback_failure, outcome) = match traffic.handle(rollback).await {
            Ok(_) => (RecordAction::RolledBack, None, Reconciled::RolledBack),
            Err(error @ HandlerError::Transient(_)) => return Err(error),
            Err(error) => (
                RecordAction::RollbackFailed,
                Some(WorkflowFailure {
                    error: error.error_type().to_owned(),
                    cause: Some(error.to_string()),
                }),
                Reconciled::RollbackFailed,
            ),
        };
        let input = RecordStatusInput {
            deployment_id: deployment.id.clone(),
            action,
            failure: None,
            rollback_failure,
        };
        self.record.handle(input).await?;
        Ok(outcome)
    }
}

#[cfg(test)]
#[path = "reconcile_tests.rs"]
mod tests;
