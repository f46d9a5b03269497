//! The traffic router port: moves one target's production traffic from the original version to
//! the new one (cf. Argo Rollouts' `TrafficRoutingReconciler` and Flagger's router).
//!
//! Every action reads the target as the service reports it before it writes anything, in the
//! spirit of Flagger's `GetRoutes` before `SetRoutes`:
//! - a state that is neither one the action may start from nor the one it asks for is *drift*
//!   (someone changed the target outside this deployment): the action fails and writes nothing;
//! - the requested state already in place is a *repeat* (Step Functions retries tasks): the
//!   action succeeds and writes nothing;
//! - otherwise the action checks its preconditions (versions exist, green is healthy, …) and
//!   writes once.
//!
//! Which states each action may start from is spelled out in [`crate::traffic`]; each adapter
//! documents how it reads its service's configuration as a [`Share`] of traffic on the new
//! version.

use crate::deployment::ErrorCode;
use crate::traffic::{Moves, Share};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Where a target's traffic stands, as its service reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficState {
    /// Production traffic on the new version, in whole percent (rounded to the nearest one when
    /// the service holds a finer weight).
    pub percent_on_new: u8,
    /// Whether test traffic goes to the new version; `None` for a target without a test route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_traffic_on_new: Option<bool>,
    /// What serves all production traffic (a version, a target group ARN); `None` while split.
    /// After a deployment this is the original of the next one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<String>,
}

impl TrafficState {
    /// The state of a target with `share` of its production traffic on `new`.
    pub fn new(share: Share, original: &str, new: &str, test_traffic_on_new: Option<bool>) -> Self {
        let live = if share.is_all_original() {
            Some(original.to_string())
        } else if share.is_all_new() {
            Some(new.to_string())
        } else {
            None
        };
        TrafficState {
            percent_on_new: share.rounded_percent(),
            test_traffic_on_new,
            live,
        }
    }
}

/// One target whose traffic a deployment shifts: a Lambda alias, an ALB listener, ….
///
/// Three calls: read the target, check what must hold before a deployment begins, and carry
/// out the moves of one row of the verb table ([`crate::traffic::Moves`]). The actions
/// themselves (shift, finish, rollback, …) are built on these for every router alike
/// ([`crate::traffic::RouterActions`]).
#[async_trait]
pub trait TrafficRouter: Send + Sync {
    /// Names the target and both versions, for messages about the deployment.
    fn describe(&self) -> String;

    /// Names the resource the router reads and writes, for its errors ("alias checkout:live").
    fn resource(&self) -> String;

    /// The current weights as the service reports them. Fails with drift when they involve
    /// anything but the original and the new version.
    async fn observe(&self) -> Result<TrafficState, RouterError>;

    /// Checks that a deployment can begin: the target exists and both versions exist. Writes
    /// nothing.
    async fn preflight(&self) -> Result<(), RouterError>;

    /// Reads the target, refuses drift (a state `moves` may not start from), does nothing on
    /// a repeat, checks the new version's health when `moves` advance, and writes once.
    async fn apply(&self, moves: &Moves) -> Result<TrafficState, RouterError>;

    /// Waits before the `attempt`th read-back (1, 2, …) of a write that did not show yet.
    /// Services apply alias and listener changes asynchronously; the routers of AWS services
    /// wait a moment, those in memory not at all.
    async fn pause_before_read_back(&self, _attempt: u32) {}
}

/// Why a router refused or failed an action. Every message names the resource.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RouterError {
    #[error("{resource} {found}, expected {expected}: it was changed outside this deployment")]
    Drift {
        code: ErrorCode,
        resource: String,
        found: String,
        expected: String,
    },
    #[error("{resource} was changed by someone else while this deployment was updating it")]
    ConcurrentChange { code: ErrorCode, resource: String },
    #[error("{resource} has {found} of production traffic on the new version, expected {expected_percent} %")]
    NotAsExpected {
        code: ErrorCode,
        resource: String,
        found: Share,
        expected_percent: u8,
    },
    #[error("{what} does not exist")]
    Missing { code: ErrorCode, what: String },
    /// The write was accepted, but reading the target back does not show it (someone else
    /// changed it, or the service has not applied it yet): worth trying the step again.
    #[error(
        "{resource} was written {written}, but reads back {read} after {reads} reads: the \
         change did not take (another actor or a slow service); the step will be tried again"
    )]
    NotApplied {
        resource: String,
        written: String,
        read: String,
        reads: u32,
    },
    #[error("{resource}: {problem}")]
    Invalid {
        code: ErrorCode,
        resource: String,
        problem: String,
    },
    #[error(
        "target group {target_group} has {healthy} healthy targets out of {registered} registered, \
         and {required} must be healthy before traffic moves to it"
    )]
    Unhealthy {
        target_group: String,
        healthy: u32,
        registered: u32,
        required: u32,
    },
    #[error(
        "cannot shift {resource} to {percent} %: a shift puts 1 to 99 % on the new version \
         (finishing puts 100 %, rolling back 0 %)"
    )]
    PercentOutOfRange { resource: String, percent: u8 },
    #[error("{resource} cannot {action}: {reason}")]
    Unsupported {
        resource: String,
        action: &'static str,
        reason: &'static str,
    },
    /// The service did not answer in time, answered 5xx or throttled past the SDK's own
    /// retries: worth trying again later, never a reason to give up on a target.
    #[error("{operation} on {resource} failed for now (the service is unavailable or throttling): {message}")]
    Unavailable {
        resource: String,
        operation: &'static str,
        message: String,
    },
    #[error("{operation} on {resource} failed: {message}")]
    Service {
        code: ErrorCode,
        resource: String,
        operation: &'static str,
        message: String,
    },
}

impl RouterError {
    /// Whether the same call may succeed if made again later.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            RouterError::Unavailable { .. } | RouterError::NotApplied { .. }
        )
    }

    /// The CodeDeploy error code a deployment failing with this error reports.
    pub fn code(&self) -> ErrorCode {
        match self {
            RouterError::Drift { code, .. }
            | RouterError::ConcurrentChange { code, .. }
            | RouterError::NotAsExpected { code, .. }
            | RouterError::Missing { code, .. }
            | RouterError::Invalid { code, .. }
            | RouterError::Service { code, .. } => *code,
            RouterError::Unhealthy { .. } => ErrorCode::HealthConstraints,
            RouterError::Unavailable { .. } | RouterError::NotApplied { .. } => {
                ErrorCode::Throttled
            }
            RouterError::PercentOutOfRange { .. } | RouterError::Unsupported { .. } => {
                ErrorCode::InternalError
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_names_what_is_live_only_when_nothing_is_split() {
        let original = TrafficState::new(Share::percent(0), "1", "2", None);
        assert_eq!(original.live.as_deref(), Some("1"));
        let split = TrafficState::new(Share::percent(30), "1", "2", None);
        assert_eq!((split.percent_on_new, split.live), (30, None));
        let new = TrafficState::new(Share::percent(100), "1", "2", Some(true));
        assert_eq!(new.live.as_deref(), Some("2"));
        assert_eq!(new.test_traffic_on_new, Some(true));
    }

    #[test]
    fn health_failures_report_health_constraints_and_the_counts() {
        let error = RouterError::Unhealthy {
            target_group: "arn:green".into(),
            healthy: 0,
            registered: 2,
            required: 1,
        };
        assert_eq!(error.code(), ErrorCode::HealthConstraints);
        assert!(error.to_string().contains("0 healthy targets out of 2"));
    }
}
