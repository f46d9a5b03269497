//! A deployment's history: what happened, step by step, each record written once.

use crate::group::TriggerEvent;
use crate::lifecycle::LifecycleEvent;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LifecycleEventStatus {
    Pending,
    InProgress,
    Succeeded,
    Failed,
    Skipped,
}

/// What a history record says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum HistoryEntry {
    /// A lifecycle event (and its hook, if any) moved on.
    #[serde(rename_all = "camelCase")]
    Lifecycle {
        event: LifecycleEvent,
        status: LifecycleEventStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hook_function: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// A traffic action was applied to a target.
    #[serde(rename_all = "camelCase")]
    Traffic {
        action: String,
        target: String,
        percent: u8,
    },
    /// A bake began: traffic stays at `percent` for `bake_seconds` unless a stop cuts it short.
    #[serde(rename_all = "camelCase")]
    Bake {
        step: usize,
        percent: u8,
        bake_seconds: u64,
    },
    /// The deployment's status changed.
    #[serde(rename_all = "camelCase")]
    Status { from: String, to: String },
    /// A trigger was published.
    #[serde(rename_all = "camelCase")]
    Trigger {
        event: TriggerEvent,
        trigger_name: String,
    },
    /// A trigger could not be published. Triggers are best effort: the deployment goes on, and
    /// a replay of the step tries the trigger again.
    #[serde(rename_all = "camelCase")]
    TriggerFailed {
        event: TriggerEvent,
        trigger_name: String,
        reason: String,
    },
}

/// One record of a deployment's history. `key` is unique within the deployment, so that a
/// step replayed by Step Functions writes its record once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryRecord {
    pub key: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub entry: HistoryEntry,
}
