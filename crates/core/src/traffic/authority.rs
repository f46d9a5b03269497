//! Which traffic actions a deployment allows, by its status: whoever may invoke a traffic
//! function may only move a deployment's own targets the way its status allows. Reading
//! (`Verify`, `Observe`) is always allowed; moving forward only while the deployment runs;
//! rolling back at any time but after success (a succeeded deployment's traffic is where its
//! users want it; undoing it takes a new deployment).

use super::TrafficAction;
use crate::deployment::DeploymentStatus;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{action} is refused: the deployment is {status}; {why}")]
pub struct ActionRefused {
    pub action: &'static str,
    pub status: DeploymentStatus,
    pub why: &'static str,
}

/// `Ok` when a deployment in `status` allows `action` on its targets.
pub fn check_allowed(status: DeploymentStatus, action: TrafficAction) -> Result<(), ActionRefused> {
    let refused = |action, why| {
        Err(ActionRefused {
            action,
            status,
            why,
        })
    };
    match action {
        TrafficAction::Observe | TrafficAction::Verify(_) => Ok(()),
        TrafficAction::Rollback if status == DeploymentStatus::Succeeded => refused(
            "rollback",
            "a succeeded deployment's traffic stays on its new version (deploy the original again to go back)",
        ),
        TrafficAction::Rollback => Ok(()),
        TrafficAction::Start
        | TrafficAction::Shift(_)
        | TrafficAction::AllowTestTraffic
        | TrafficAction::Finish
            if status.is_terminal() =>
        {
            refused(action.name(), "traffic moves forward only while it runs")
        }
        _ => Ok(()),
    }
}

impl TrafficAction {
    /// The action as the traffic functions' requests name it.
    pub fn name(self) -> &'static str {
        match self {
            TrafficAction::Observe => "observe",
            TrafficAction::Start => "start",
            TrafficAction::Shift(_) => "shift",
            TrafficAction::AllowTestTraffic => "test-traffic",
            TrafficAction::Finish => "finish",
            TrafficAction::Rollback => "rollback",
            TrafficAction::Verify(_) => "verify",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeploymentStatus::*;

    #[test]
    fn forward_moves_need_a_running_deployment_and_rollbacks_an_unsucceeded_one() {
        for status in [Created, Queued, InProgress, Baking, Ready] {
            for action in [
                TrafficAction::Start,
                TrafficAction::Shift(10),
                TrafficAction::AllowTestTraffic,
                TrafficAction::Finish,
                TrafficAction::Rollback,
            ] {
                assert_eq!(check_allowed(status, action), Ok(()), "{status} {action:?}");
            }
        }
        for status in [Succeeded, Failed, Stopped] {
            let refused = check_allowed(status, TrafficAction::Shift(10)).unwrap_err();
            assert_eq!(
                refused.to_string(),
                format!(
                    "shift is refused: the deployment is {status}; traffic moves forward only while it runs"
                )
            );
            assert!(check_allowed(status, TrafficAction::Finish).is_err());
            assert_eq!(check_allowed(status, TrafficAction::Verify(100)), Ok(()));
        }
        assert_eq!(check_allowed(Failed, TrafficAction::Rollback), Ok(()));
        assert_eq!(check_allowed(Stopped, TrafficAction::Rollback), Ok(()));
        let refused = check_allowed(Succeeded, TrafficAction::Rollback).unwrap_err();
        assert_eq!(refused.action, "rollback");
    }
}
