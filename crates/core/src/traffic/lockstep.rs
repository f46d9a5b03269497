//! Several targets moved as one: every action is applied to each target in order, and when one
//! target fails, the targets already moved are put back where they stood.

use super::RouterActions;
use crate::deployment::ErrorCode;
use crate::ports::{RouterError, TrafficRouter, TrafficState};
use std::fmt;
use std::sync::Arc;
use thiserror::Error;

/// An action of the [`TrafficRouter`] port, applied to every target of a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrafficAction {
    Observe,
    Start,
    Shift(u8),
    AllowTestTraffic,
    Finish,
    Rollback,
    Verify(u8),
}

impl TrafficAction {
    /// Whether the action writes traffic weights, and so must be undone when a later target fails.
    fn is_undoable_move(self) -> bool {
        matches!(
            self,
            TrafficAction::Shift(_) | TrafficAction::AllowTestTraffic | TrafficAction::Finish
        )
    }
}

impl fmt::Display for TrafficAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrafficAction::Observe => f.write_str("reading the traffic"),
            TrafficAction::Start => f.write_str("starting"),
            TrafficAction::Shift(percent) => write!(f, "shifting to {percent} %"),
            TrafficAction::AllowTestTraffic => f.write_str("allowing test traffic"),
            TrafficAction::Finish => f.write_str("finishing"),
            TrafficAction::Rollback => f.write_str("rolling back"),
            TrafficAction::Verify(percent) => write!(f, "verifying {percent} %"),
        }
    }
}

/// One target's failure.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("target {} ({target}): {error}", .index + 1)]
pub struct TargetFailure {
    /// Position of the target in the deployment, from 0 (messages count from 1).
    pub index: usize,
    /// The target's [`TrafficRouter::describe`].
    pub target: String,
    pub error: RouterError,
}

/// What became of the other targets when one failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// No other target had been moved: the failing one was the first, or the action only reads.
    NothingMoved,
    /// The targets moved before the failure (positions from 0) were put back where they stood.
    Restored { targets: Vec<usize> },
    /// Putting back some targets failed; the others (`restored`) are back where they stood.
    RestoreFailed {
        restored: Vec<usize>,
        failures: Vec<TargetFailure>,
    },
    /// A rollback carries on past a failing target: these other targets failed too.
    RollbackContinued { other_failures: Vec<TargetFailure> },
}

impl Recovery {
    /// False when a target may be left somewhere this deployment did not mean it to be.
    pub fn is_clean(&self) -> bool {
        match self {
            Recovery::NothingMoved | Recovery::Restored { .. } => true,
            Recovery::RestoreFailed { .. } => false,
            Recovery::RollbackContinued { other_failures } => other_failures.is_empty(),
        }
    }
}

impl fmt::Display for Recovery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recovery::NothingMoved => f.write_str("no other target had moved"),
            Recovery::Restored { targets } => {
                write!(f, "{} put back where they stood", positions(targets))
            }
            Recovery::RestoreFailed { restored, failures } => {
                write!(f, "putting back failed for {}", list(failures))?;
                if !restored.is_empty() {
                    write!(f, "; {} put back where they stood", positions(restored))?;
                }
                Ok(())
            }
            Recovery::RollbackContinued { other_failures } if other_failures.is_empty() => {
                f.write_str("the other targets were rolled back")
            }
            Recovery::RollbackContinued { other_failures } => {
                write!(f, "rolling back failed too for {}", list(other_failures))
            }
        }
    }
}

fn positions(targets: &[usize]) -> String {
    let numbers: Vec<String> = targets
        .iter()
        .map(|index| (index + 1).to_string())
        .collect();
    match numbers.as_slice() {
        [one] => format!("target {one} was"),
        _ => format!("targets {} were", numbers.join(", ")),
    }
}

fn list(failures: &[TargetFailure]) -> String {
    let items: Vec<String> = failures.iter().map(ToString::to_string).collect();
    items.join("; ")
}

/// A lockstep action that failed on one target.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{action} failed on {failed}; {recovery}")]
pub struct LockstepError {
    pub action: TrafficAction,
    pub failed: TargetFailure,
    pub recovery: Recovery,
}

impl LockstepError {
    /// The failing target's error code.
    pub fn code(&self) -> ErrorCode {
        self.failed.error.code()
    }

    /// Whether every target that failed failed only for now (the service unavailable or
    /// throttling): the action is worth trying again. A target found drifted or misconfigured
    /// is not.
    pub fn is_transient(&self) -> bool {
        let others_transient = match &self.recovery {
            Recovery::RestoreFailed { failures, .. } => {
                failures.iter().all(|failure| failure.error.is_transient())
            }
            Recovery::RollbackContinued { other_failures } => other_failures
                .iter()
                .all(|failure| failure.error.is_transient()),
            Recovery::NothingMoved | Recovery::Restored { .. } => true,
        };
        self.failed.error.is_transient() && others_transient
    }
}

/// The targets of one deployment, moved together.
#[derive(Clone)]
pub struct Lockstep {
    routers: Vec<Arc<dyn TrafficRouter>>,
}

impl Lockstep {
    pub fn new(routers: Vec<Arc<dyn TrafficRouter>>) -> Self {
        Lockstep { routers }
    }

    /// Every target's state, in order.
    pub async fn observe(&self) -> Result<Vec<TrafficState>, LockstepError> {
        self.read_all(TrafficAction::Observe).await
    }

    /// Applies `action` to every target in order and returns their new states.
    ///
    /// - `Observe`, `Start` and `Verify` only read: the first failure is reported.
    /// - `Shift`, `AllowTestTraffic` and `Finish` read each target's state before moving it; when
    ///   a target fails, the targets already moved are restored to those states, last first.
    /// - `Rollback` goes on to every target even when one fails, since leaving any target on the
    ///   new version would be worse; the first failure is reported with the others.
    pub async fn apply(&self, action: TrafficAction) -> Result<Vec<TrafficState>, LockstepError> {
        match action {
            TrafficAction::Rollback => self.roll_back_all().await,
            _ if action.is_undoable_move() => self.move_all(action).await,
            _ => self.read_all(action).await,
        }
    }

    async fn read_all(&self, action: TrafficAction) -> Result<Vec<TrafficState>, LockstepError> {
        let mut states = Vec::with_capacity(self.routers.len());
        for (index, router) in self.routers.iter().enumerate() {
            match action.perform(router.as_ref()).await {
                Ok(state) => states.push(state),
                Err(error) => {
                    return Err(self.failure(action, index, error, Recovery::NothingMoved))
                }
            }
        }
        Ok(states)
    }

    async fn move_all(&self, action: TrafficAction) -> Result<Vec<TrafficState>, LockstepError> {
        // (state before, state after) of each target moved so far.
        let mut moved: Vec<(TrafficState, TrafficState)> = Vec::with_capacity(self.routers.len());
        for (index, router) in self.routers.iter().enumerate() {
            let outcome = match router.observe().await {
                Ok(before) => action
                    .perform(router.as_ref())
                    .await
                    .map(|after| (before, after)),
                Err(error) => Err(error),
            };
            match outcome {
                Ok(pair) => moved.push(pair),
                Err(error) => {
                    let recovery = self.restore(&moved).await;
                    return Err(self.failure(action, index, error, recovery));
                }
            }
        }
        Ok(moved.into_iter().map(|(_, after)| after).collect())
    }

    async fn restore(&self, moved: &[(TrafficState, TrafficState)]) -> Recovery {
        if moved.is_empty() {
            return Recovery::NothingMoved;
        }
        let mut restored = Vec::new();
        let mut failures = Vec::new();
        for (index, (before, after)) in moved.iter().enumerate().rev() {
            let router = &self.routers[index];
            match router.restore(after, before).await {
                Ok(_) => restored.push(index),
                Err(error) => failures.push(TargetFailure {
                    index,
                    target: router.describe(),
                    error,
                }),
            }
        }
        restored.reverse();
        failures.reverse();
        if failures.is_empty() {
            Recovery::Restored { targets: restored }
        } else {
            Recovery::RestoreFailed { restored, failures }
        }
    }

    async fn roll_back_all(&self) -> Result<Vec<TrafficState>, LockstepError> {
        let mut states = Vec::with_capacity(self.routers.len());
        let mut failures = Vec::new();
        for (index, router) in self.routers.iter().enumerate() {
            match TrafficAction::Rollback.perform(router.as_ref()).await {
                Ok(state) => states.push(state),
                Err(error) => failures.push(TargetFailure {
                    index,
                    target: router.describe(),
                    error,
                }),
            }
        }
        if failures.is_empty() {
            return Ok(states);
        }
        let failed = failures.remove(0);
        Err(LockstepError {
            action: TrafficAction::Rollback,
            failed,
            recovery: Recovery::RollbackContinued {
                other_failures: failures,
            },
        })
    }

    fn failure(
        &self,
        action: TrafficAction,
        index: usize,
        error: RouterError,
        recovery: Recovery,
    ) -> LockstepError {
        LockstepError {
            action,
            failed: TargetFailure {
                index,
                target: self.routers[index].describe(),
                error,
            },
            recovery,
        }
    }
}
