//! Stop signals: how a stop request or an alarm reaches a workflow that is waiting (in a bake
//! or on a hook) without waiting for the wait to end.
//!
//! The task that waits records its token; a stop records the request and reads the token in
//! the same conditional write. Whichever comes second sees the other: a wait registered after
//! the stop is refused, and a stop after the registration gets the token to signal.

use crate::deployment::{DeploymentId, ErrorCode};
use crate::ports::StoreError;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Why and how a deployment is asked to stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StopRequest {
    /// `MANUAL_STOP` for a user's stop, `ALARM_ACTIVE` for an alarm.
    pub code: ErrorCode,
    pub message: String,
    /// Whether traffic goes back to the original version.
    pub roll_back: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// What `request_stop` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopOutcome {
    /// The token of the task the workflow waits on, to fail it at once.
    pub waiting_task_token: Option<String>,
    /// False when an earlier stop request is already recorded (it stands).
    pub first_request: bool,
}

#[async_trait]
pub trait DeploymentSignals: Send + Sync {
    /// Records that the workflow now waits on `task_token`. Refused with
    /// [`StoreError::StopRequested`] once a stop was requested, so the waiter fails at once.
    async fn register_wait(&self, id: &DeploymentId, task_token: &str) -> Result<(), StoreError>;
    /// Records the stop request (the first one stands) and returns the waiting token.
    /// Refused for a deployment that already ended.
    async fn request_stop(
        &self,
        id: &DeploymentId,
        request: &StopRequest,
    ) -> Result<StopOutcome, StoreError>;
    async fn stop_request(&self, id: &DeploymentId) -> Result<Option<StopRequest>, StoreError>;
}
