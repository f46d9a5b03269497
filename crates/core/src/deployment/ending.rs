//! How a deployment ends once its workflow caught a failure or a stop: its final status, whether
//! traffic goes back, and the rollback deployment that takes it back.

use super::RollbackInfo;
use super::{Creator, Deployment, DeploymentId, DeploymentStatus, ErrorCode, ErrorInformation};
use crate::config::DeploymentConfig;
use crate::group::{AutoRollbackEvent, TriggerEvent};
use crate::ports::StopRequest;
use time::OffsetDateTime;

/// The end a deployment comes to when its workflow fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    /// `Stopped` when a stop was requested, `Failed` otherwise.
    pub status: DeploymentStatus,
    pub error: ErrorInformation,
    /// Whether traffic goes back to the original version.
    pub roll_back: bool,
}

impl Deployment {
    /// A requested stop wins over the failure it caused (the stop's code, its own rollback
    /// choice); a plain failure rolls back when the deployment's rules say so for failures.
    pub fn ending(&self, stop: Option<&StopRequest>, failure: ErrorInformation) -> Ending {
        match stop {
            Some(request) => Ending {
                status: DeploymentStatus::Stopped,
                error: ErrorInformation::new(request.code, request.message.clone()),
                roll_back: request.roll_back,
            },
            None => Ending {
                status: DeploymentStatus::Failed,
                error: failure,
                roll_back: self
                    .auto_rollback_configuration
                    .rolls_back_on(AutoRollbackEvent::DeploymentFailure),
            },
        }
    }

    /// A failed deployment, or one stopped by an alarm, is a failure for the trigger
    /// subscribers; a deployment stopped by hand is not.
    pub fn counts_as_failure(&self) -> bool {
        self.status == DeploymentStatus::Failed
            || self
                .error_information
                .as_ref()
                .is_some_and(|error| error.code == ErrorCode::AlarmActive)
    }

    /// The triggers an ended deployment has published once its workflow is through, given its
    /// rollback (as stored, if any), in the order the workflow publishes them: what
    /// reconciliation makes sure of when a workflow died before its last publication. A
    /// deployment still running, or whose rollback still runs, has none yet.
    pub fn ending_triggers(&self, rollback: Option<&Deployment>) -> Vec<TriggerEvent> {
        let rollback_status = rollback.map(|rollback| rollback.status);
        if !self.status.is_terminal() || rollback_status.is_some_and(|s| !s.is_terminal()) {
            return Vec::new();
        }
        let mut events = Vec::new();
        match self.status {
            DeploymentStatus::Succeeded => events.push(TriggerEvent::DeploymentSuccess),
            DeploymentStatus::Stopped => events.push(TriggerEvent::DeploymentStop),
            _ => {}
        }
        if rollback_status == Some(DeploymentStatus::Succeeded) {
            events.push(TriggerEvent::DeploymentRollback);
        }
        let rollback_failed = rollback_status == Some(DeploymentStatus::Failed);
        if self.counts_as_failure() || rollback_failed {
            events.push(TriggerEvent::DeploymentFailure);
        }
        events
    }

    /// The deployment that puts this one's traffic back on the original version, all at once,
    /// created at `now` and linked to this one (CodeDeploy's `rollbackInfo`).
    pub fn rollback(&self, now: OffsetDateTime) -> Deployment {
        let config = DeploymentConfig::predefined(self.compute_platform.all_at_once_config())
            .expect("every platform has a predefined all-at-once config");
        Deployment {
            id: DeploymentId::generate(),
            deployment_config_name: config.name.clone(),
            schedule: config.schedule(),
            hooks: Vec::new(),
            status: DeploymentStatus::Created,
            error_information: None,
            creator: Creator::Autorollback,
            description: Some(format!("rollback of {}", self.id)),
            ignored_alarms: Vec::new(),
            rollback_info: RollbackInfo {
                rollback_triggering_deployment_id: Some(self.id.clone()),
                ..RollbackInfo::default()
            },
            traffic: Default::default(),
            create_time: now,
            start_time: None,
            complete_time: None,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    fn stop(code: ErrorCode, roll_back: bool) -> StopRequest {
        StopRequest {
            code,
            message: "stopped".to_owned(),
            roll_back,
            at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_stop_decides_the_status_the_error_and_the_rollback() {
        let deployment = fixtures::lambda_deployment(&fixtures::lambda_group("shop", "live"));
        let failure = ErrorInformation::new(ErrorCode::HookExecutionFailure, "hook failed");
        let ending = deployment.ending(Some(&stop(ErrorCode::ManualStop, false)), failure.clone());
        assert_eq!(ending.status, DeploymentStatus::Stopped);
        assert_eq!(ending.error.code, ErrorCode::ManualStop);
        assert!(!ending.roll_back);
        let plain = deployment.ending(None, failure.clone());
        assert_eq!(plain.status, DeploymentStatus::Failed);
        assert_eq!(plain.error, failure);
        assert_eq!(
            plain.roll_back,
            deployment
                .auto_rollback_configuration
                .rolls_back_on(AutoRollbackEvent::DeploymentFailure)
        );
    }

    #[test]
    fn an_ended_deployment_names_the_triggers_its_workflow_publishes_last() {
        let mut deployment = fixtures::lambda_deployment(&fixtures::lambda_group("shop", "live"));
        let mut rollback = deployment.rollback(OffsetDateTime::UNIX_EPOCH);
        use TriggerEvent::*;
        assert_eq!(deployment.ending_triggers(None), [], "still running");
        deployment.status = DeploymentStatus::Succeeded;
        assert_eq!(deployment.ending_triggers(None), [DeploymentSuccess]);
        deployment.status = DeploymentStatus::Failed;
        assert_eq!(deployment.ending_triggers(None), [DeploymentFailure]);
        assert_eq!(
            deployment.ending_triggers(Some(&rollback)),
            [],
            "rolling back"
        );
        rollback.status = DeploymentStatus::Succeeded;
        assert_eq!(
            deployment.ending_triggers(Some(&rollback)),
            [DeploymentRollback, DeploymentFailure]
        );
        deployment.status = DeploymentStatus::Stopped;
        deployment.error_information = Some(ErrorInformation::new(ErrorCode::ManualStop, "hand"));
        assert_eq!(
            deployment.ending_triggers(Some(&rollback)),
            [DeploymentStop, DeploymentRollback]
        );
        rollback.status = DeploymentStatus::Failed;
        assert_eq!(
            deployment.ending_triggers(Some(&rollback)),
            [DeploymentStop, DeploymentFailure]
        );
    }

    #[test]
    fn a_rollback_is_all_at_once_on_the_same_targets_and_linked() {
        let deployment = fixtures::lambda_deployment(&fixtures::lambda_group("shop", "live"));
        let now = OffsetDateTime::UNIX_EPOCH;
        let rollback = deployment.rollback(now);
        assert_ne!(rollback.id, deployment.id);
        assert_eq!(
            rollback.deployment_config_name,
            "CodeDeployDefault.LambdaAllAtOnce"
        );
        assert_eq!(rollback.targets, deployment.targets);
        assert_eq!(rollback.creator, Creator::Autorollback);
        assert_eq!(rollback.status, DeploymentStatus::Created);
        assert_eq!(
            rollback.rollback_info.rollback_triggering_deployment_id,
            Some(deployment.id.clone())
        );
        assert!(rollback.hooks.is_empty());
        assert_eq!(rollback.create_time, now);
    }

    #[test]
    fn only_failures_and_alarm_stops_count_as_failures() {
        let mut deployment = fixtures::lambda_deployment(&fixtures::lambda_group("shop", "live"));
        deployment.status = DeploymentStatus::Failed;
        assert!(deployment.counts_as_failure());
        deployment.status = DeploymentStatus::Stopped;
        deployment.error_information =
            Some(ErrorInformation::new(ErrorCode::ManualStop, "by hand"));
        assert!(!deployment.counts_as_failure());
        deployment.error_information = Some(ErrorInformation::new(ErrorCode::AlarmActive, "alarm"));
        assert!(deployment.counts_as_failure());
    }
}
