//! The status machine of a deployment: only legal transitions are allowed.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// CodeDeploy's deployment statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeploymentStatus {
    /// Stored, the workflow not yet started.
    Created,
    /// Waiting for the group's active deployment to end.
    Queued,
    /// Lifecycle events or a traffic shift are running.
    InProgress,
    /// Traffic is split and the bake time is running.
    Baking,
    /// Green is ready and waits to be given traffic.
    Ready,
    Succeeded,
    Failed,
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("a deployment cannot go from {from} to {to}")]
pub struct IllegalTransition {
    pub from: DeploymentStatus,
    pub to: DeploymentStatus,
}

impl DeploymentStatus {
    pub const ALL: [DeploymentStatus; 8] = [
        DeploymentStatus::Created,
        DeploymentStatus::Queued,
        DeploymentStatus::InProgress,
        DeploymentStatus::Baking,
        DeploymentStatus::Ready,
        DeploymentStatus::Succeeded,
        DeploymentStatus::Failed,
        DeploymentStatus::Stopped,
    ];

    /// The statuses this one may move to.
    pub fn successors(self) -> &'static [DeploymentStatus] {
        use DeploymentStatus::*;
        match self {
            Created => &[Queued, InProgress, Failed, Stopped],
            Queued => &[InProgress, Failed, Stopped],
            InProgress => &[Baking, Ready, Succeeded, Failed, Stopped],
            Baking => &[InProgress, Succeeded, Failed, Stopped],
            Ready => &[InProgress, Failed, Stopped],
            Succeeded | Failed | Stopped => &[],
        }
    }

    pub fn can_become(self, next: DeploymentStatus) -> bool {
        self.successors().contains(&next)
    }

    /// Checks a transition, naming both ends when it is illegal.
    pub fn check_transition(self, next: DeploymentStatus) -> Result<(), IllegalTransition> {
        if self.can_become(next) {
            Ok(())
        } else {
            Err(IllegalTransition {
                from: self,
                to: next,
            })
        }
    }

    /// InProgress and Baking are phases of one running deployment, which a bake whose handler
    /// outlived the bake may swap behind the workflow's back (a bake's end is its task's
    /// timeout, not its handler's): a change decided on one of them applies as well from the
    /// other.
    pub fn same_run_as(self, other: DeploymentStatus) -> bool {
        use DeploymentStatus::*;
        matches!((self, other), (InProgress | Baking, InProgress | Baking))
    }

    /// Succeeded, Failed and Stopped end a deployment.
    pub fn is_terminal(self) -> bool {
        self.successors().is_empty()
    }

    pub fn as_str(self) -> &'static str {
        use DeploymentStatus::*;
        match self {
            Created => "Created",
            Queued => "Queued",
            InProgress => "InProgress",
            Baking => "Baking",
            Ready => "Ready",
            Succeeded => "Succeeded",
            Failed => "Failed",
            Stopped => "Stopped",
        }
    }

    pub fn parse(text: &str) -> Option<DeploymentStatus> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

impl fmt::Display for DeploymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::DeploymentStatus::{self, *};

    const LEGAL: &[(DeploymentStatus, DeploymentStatus)] = &[
        (Created, Queued),
        (Created, InProgress),
        (Created, Failed),
        (Created, Stopped),
        (Queued, InProgress),
        (Queued, Failed),
        (Queued, Stopped),
        (InProgress, Baking),
        (InProgress, Ready),
        (InProgress, Succeeded),
        (InProgress, Failed),
        (InProgress, Stopped),
        (Baking, InProgress),
        (Baking, Succeeded),
        (Baking, Failed),
        (Baking, Stopped),
        (Ready, InProgress),
        (Ready, Failed),
        (Ready, Stopped),
    ];

    #[test]
    fn every_legal_transition_is_allowed() {
        for (from, to) in LEGAL {
            assert!(from.check_transition(*to).is_ok(), "{from} -> {to}");
        }
    }

    #[test]
    fn every_other_transition_is_refused_with_both_ends_named() {
        for from in DeploymentStatus::ALL {
            for to in DeploymentStatus::ALL {
                if LEGAL.contains(&(from, to)) {
                    continue;
                }
                let error = from.check_transition(to).unwrap_err();
                assert_eq!(
                    error.to_string(),
                    format!("a deployment cannot go from {from} to {to}")
                );
            }
        }
    }

    #[test]
    fn terminal_statuses_have_no_way_out() {
        let terminal: Vec<_> = DeploymentStatus::ALL
            .into_iter()
            .filter(|s| s.is_terminal())
            .collect();
        assert_eq!(terminal, vec![Succeeded, Failed, Stopped]);
    }

    #[test]
    fn names_round_trip() {
        for status in DeploymentStatus::ALL {
            assert_eq!(DeploymentStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(DeploymentStatus::parse("Done"), None);
    }

    #[test]
    fn in_progress_and_baking_are_one_run() {
        for (a, b) in [(InProgress, Baking), (Baking, InProgress), (Baking, Baking)] {
            assert!(a.same_run_as(b), "{a} {b}");
        }
        for other in [Created, Queued, Ready, Succeeded, Failed, Stopped] {
            assert!(!InProgress.same_run_as(other), "{other}");
            assert!(!other.same_run_as(Baking), "{other}");
        }
    }
}
