//! What reconcile is handed: Step Functions' execution status changes, as EventBridge sends
//! them and as the stack's delay queue delivers them in batches.

use super::{ReconcileOutput, Reconciler};
use crate::error::HandlerError;
use crate::handler::Handler;
use crate::support::failure::WorkflowFailure;
use async_trait::async_trait;
use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use gradual_core::DeploymentId;
use serde::{Deserialize, Serialize};

/// The `source` of Step Functions' events.
pub const SOURCE: &str = "aws.states";
/// The `detail-type` of an execution's status change.
pub const DETAIL_TYPE: &str = "Step Functions Execution Status Change";

/// The part of the event's `detail` reconciliation reads. Executions are named after their
/// deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionStatusChange {
    pub execution_arn: String,
    pub name: String,
    /// RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED (the rule forwards the last three).
    pub status: String,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub cause: Option<String>,
}

/// What the rule delivers.
pub type ExecutionEndEvent = EventBridgeEvent<ExecutionStatusChange>;

/// How long the queue holds an event before reconcile sees it: longer than the longest
/// timeout of gradual's functions (60 s, the traffic functions), so that no task of the
/// ended execution still runs.
pub const DELAY_SECONDS: u64 = 90;

/// The handler of the EventBridge rule.
pub struct Reconcile {
    pub reconciler: Reconciler,
}

#[async_trait]
impl Handler for Reconcile {
    type Input = ExecutionEndEvent;
    type Output = ReconcileOutput;

    async fn handle(&self, event: ExecutionEndEvent) -> Result<ReconcileOutput, HandlerError> {
        let (deployment_id, failure) = execution_end(event)?;
        self.reconciler.finish(&deployment_id, failure).await
    }
}

/// The deployment an event is about and what ended its execution; an event that is no
/// execution end of a deployment is refused, naming what is wrong.
fn execution_end(
    event: ExecutionEndEvent,
) -> Result<(DeploymentId, WorkflowFailure), HandlerError> {
    if event.source != SOURCE || event.detail_type != DETAIL_TYPE {
        return Err(HandlerError::InvalidInput(format!(
            "source/detail-type: an event from {:?} of type {:?} is not a Step Functions \
             execution status change ({SOURCE:?}, {DETAIL_TYPE:?})",
            event.source, event.detail_type
        )));
    }
    let change = event.detail;
    let deployment_id: DeploymentId = change.name.parse().map_err(|_| {
        HandlerError::InvalidInput(format!(
            "detail.name: execution {:?} is not named after a deployment",
            change.name
        ))
    })?;
    Ok((deployment_id, workflow_failure(&change)?))
}

/// The function's handler: the events as the queue delivers them, in batches. A failed event
/// is reported so that the queue delivers it again; one that is no execution end of a
/// deployment is logged and dropped.
pub struct ReconcileQueue {
    pub reconcile: Reconcile,
}

#[async_trait]
impl Handler for ReconcileQueue {
    type Input = SqsEvent;
    type Output = SqsBatchResponse;

    async fn handle(&self, batch: SqsEvent) -> Result<SqsBatchResponse, HandlerError> {
        let mut response = SqsBatchResponse::default();
        for message in batch.records {
            let message_id = message.message_id.unwrap_or_default();
            let event = message
                .body
                .as_deref()
                .ok_or_else(|| "the message has no body".to_owned())
                .and_then(|body| {
                    serde_json::from_str::<ExecutionEndEvent>(body)
                        .map_err(|error| format!("body: {error}"))
                })
                .map_err(HandlerError::InvalidInput)
                .and_then(execution_end);
            let (deployment_id, failure) = match event {
                Ok(end) => end,
                Err(problem) => {
                    tracing::error!(%message_id, %problem, "not an execution end of a deployment; dropped");
                    continue;
                }
            };
            // Whatever stops reconciliation now (a service down, a conflict with a late
            // write) is tried again at the next delivery.
            match self
                .reconcile
                .reconciler
                .finish(&deployment_id, failure)
                .await
            {
                Ok(output) => tracing::info!(
                    deployment_id = %output.deployment_id,
                    outcome = ?output.outcome,
                    status = %output.status,
                    "reconciled"
                ),
                Err(error) => {
                    tracing::warn!(
                        %deployment_id,
                        %error,
                        "reconciliation failed; the queue delivers the event again"
                    );
                    response.add_failure(message_id);
                }
            }
        }
        Ok(response)
    }
}

/// What ended the execution, as the failure the workflow's Catch would have handed over.
fn workflow_failure(change: &ExecutionStatusChange) -> Result<WorkflowFailure, HandlerError> {
    let reported = match (change.error.as_deref(), change.cause.as_deref()) {
        (Some(error), Some(cause)) if !error.is_empty() && !cause.is_empty() => {
            format!(" ({error}: {cause})")
        }
        (Some(error), _) if !error.is_empty() => format!(" ({error})"),
        _ => String::new(),
    };
    let (error, cause) = match change.status.as_str() {
        "ABORTED" => (
            "MANUAL_STOP",
            format!("its workflow execution was stopped outside gradual{reported}"),
        ),
        "TIMED_OUT" => (
            "States.Timeout",
            format!("its workflow execution timed out{reported}"),
        ),
        "FAILED" => (
            "INTERNAL_ERROR",
            format!("its workflow execution failed outside its failure path{reported}"),
        ),
        other => {
            return Err(HandlerError::InvalidInput(format!(
                "detail.status: {other:?} is not an ending to reconcile \
                 (FAILED, ABORTED or TIMED_OUT)"
            )))
        }
    };
    Ok(WorkflowFailure {
        error: error.to_owned(),
        cause: Some(cause),
    })
}
