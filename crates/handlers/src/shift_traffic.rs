//! `shift-alias-weight` and `swap-alb-targets`: one traffic action applied, in lockstep, to every
//! target of a deployment. The two functions differ only in the routers they are given: the
//! first moves Lambda aliases, the second ALB listeners.
//!
//! Input: `{"deploymentId", "action": "start"|"shift"|"test-traffic"|"finish"|"rollback"|"verify",
//! "percent"?, "step"?, "targets"?}`. `targets` (other targets to read) is accepted with `verify`
//! only; every other action moves the deployment's own targets, and only as its status allows
//! ([`check_allowed`]: nothing moves forward once it ended, a succeeded one is never rolled
//! back). Every action is
//! idempotent: the routers treat the requested state already in place as done, and the history
//! record of an action is written once.
//!
//! Before traffic moves forward (the first shift, and the step after every bake) the watched
//! alarms are polled: one in ALARM stops the deployment with `ALARM_ACTIVE` (see
//! [`crate::support::alarms`]). The event path (alarm-listener) usually stops it sooner.

use crate::error::HandlerError;
use crate::handler::Handler;
use crate::support::alarms::stop_if_alarm_active;
use crate::support::deployments::{load, move_to};
use crate::support::waits::check_not_stopped;
use async_trait::async_trait;
use gradual_core::deployment::TrafficProgress;
use gradual_core::history::{HistoryEntry, HistoryRecord};
use gradual_core::ports::{
    AlarmSource, Clock, DeploymentSignals, DeploymentStore, TrafficRouter, TrafficState,
};
use gradual_core::traffic::{check_allowed, Lockstep, TrafficAction};
use gradual_core::{Deployment, DeploymentId, DeploymentStatus, Target};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Builds the router of a target, for the target kinds a function handles.
pub trait RouterFactory: Send + Sync {
    /// What this function moves, for errors: "Lambda aliases", "ALB listeners".
    fn handles(&self) -> &'static str;
    /// The router of `target`, or `None` when this function does not move that kind of target.
    fn router(&self, target: &Target) -> Option<Arc<dyn TrafficRouter>>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrafficActionName {
    Start,
    Shift,
    TestTraffic,
    Finish,
    Rollback,
    Verify,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrafficInput {
    pub deployment_id: DeploymentId,
    pub action: TrafficActionName,
    #[serde(default)]
    pub percent: Option<u8>,
    #[serde(default)]
    pub step: Option<usize>,
    #[serde(default)]
    pub targets: Option<Vec<Target>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficOutput {
    pub action: TrafficActionName,
    pub percent_on_new: u8,
    pub targets: Vec<TargetTraffic>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetTraffic {
    pub target: String,
    #[serde(flatten)]
    pub state: TrafficState,
}

pub struct ShiftTraffic {
    pub store: Arc<dyn DeploymentStore>,
    pub signals: Arc<dyn DeploymentSignals>,
    pub clock: Arc<dyn Clock>,
    pub routers: Arc<dyn RouterFactory>,
    /// Polled before traffic moves forward.
    pub alarms: Arc<dyn AlarmSource>,
}

#[async_trait]
impl Handler for ShiftTraffic {
    type Input = TrafficInput;
    type Output = TrafficOutput;

    async fn handle(&self, input: TrafficInput) -> Result<TrafficOutput, HandlerError> {
        let action = lockstep_action(input.action, input.percent)?;
        // Only reading may name other targets than the deployment's own.
        if input.targets.is_some() && !matches!(action, TrafficAction::Verify(_)) {
            return Err(HandlerError::InvalidInput(format!(
                "targets: accepted only with action \"verify\"; {} acts on the deployment's own targets",
                action.name()
            )));
        }
        let deployment = load(self.store.as_ref(), &input.deployment_id).await?;
        check_allowed(deployment.status, action).map_err(|refused| {
            HandlerError::InvalidInput(format!("action: deployment {}: {refused}", deployment.id))
        })?;
        let targets = input.targets.as_ref().unwrap_or(&deployment.targets);
        let lockstep = self.lockstep(targets)?;
        let moves_forward = matches!(
            action,
            TrafficAction::Shift(_) | TrafficAction::AllowTestTraffic | TrafficAction::Finish
        );
        if moves_forward {
            check_not_stopped(self.signals.as_ref(), &deployment.id).await?;
            stop_if_alarm_active(
                self.alarms.as_ref(),
                self.signals.as_ref(),
                self.clock.as_ref(),
                &deployment,
            )
            .await?;
            self.end_bake(&deployment).await?;
        }
        let states = lockstep.apply(action).await.map_err(|error| {
            // The workflow retries a transient failure with backoff (for a long time when
            // rolling back); anything else ends the step with the target kind's code.
            if error.is_transient() {
                HandlerError::Transient(error.to_string())
            } else {
                HandlerError::deployment(error.code(), error.to_string())
            }
        })?;
        let percent_on_new = states.first().map_or(0, |state| state.percent_on_new);
        let output = TrafficOutput {
            action: input.action,
            percent_on_new,
            targets: targets
                .iter()
                .zip(states)
                .map(|(target, state)| TargetTraffic {
                    target: target.to_string(),
                    state,
                })
                .collect(),
        };
        match action {
            TrafficAction::Verify(_) => {}
            // Traffic is home: a store that cannot record it must not make the rollback look
            // failed (and retried for forty minutes); the record is best effort here.
            TrafficAction::Rollback => {
                if let Err(error) = self.record(&deployment, &input, &output).await {
                    tracing::warn!(deployment_id = %deployment.id, %error, "rollback done but not recorded");
                }
            }
            _ => self.record(&deployment, &input, &output).await?,
        }
        Ok(output)
    }
}

impl ShiftTraffic {
    fn lockstep(&self, targets: &[Target]) -> Result<Lockstep, HandlerError> {
        if targets.is_empty() {
            return Err(HandlerError::InvalidInput(
                "targets: the deployment has no target to move".to_owned(),
            ));
        }
        let routers = targets
            .iter()
            .enumerate()
            .map(|(index, target)| {
                self.routers.router(target).ok_or_else(|| {
                    HandlerError::InvalidInput(format!(
                        "targets[{index}]: {target} is not something this function moves (it moves {})",
                        self.routers.handles()
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Lockstep::new(routers))
    }

    /// A shift after a bake ends the bake: Baking → InProgress.
    async fn end_bake(&self, deployment: &Deployment) -> Result<(), HandlerError> {
        if deployment.status == DeploymentStatus::Baking {
            move_to(
                self.store.as_ref(),
                self.clock.as_ref(),
                deployment,
                DeploymentStatus::InProgress,
                None,
            )
            .await?;
        }
        Ok(())
    }

    async fn record(
        &self,
        deployment: &Deployment,
        input: &TrafficInput,
        output: &TrafficOutput,
    ) -> Result<(), HandlerError> {
        let action = serde_json::to_value(input.action)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default();
        let targets: Vec<&str> = output.targets.iter().map(|t| t.target.as_str()).collect();
        let record = HistoryRecord {
            key: format!("traffic:{action}:{}", output.percent_on_new),
            at: self.clock.now(),
            entry: HistoryEntry::Traffic {
                action,
                target: targets.join(", "),
                percent: output.percent_on_new,
            },
        };
        self.store.record_history(&deployment.id, &record).await?;
        let progress = TrafficProgress {
            percent: output.percent_on_new,
            step: input.step.or(deployment.traffic.step),
        };
        self.store.set_traffic(&deployment.id, &progress).await?;
        Ok(())
    }
}

/// The lockstep action a request names, with its percent checked.
fn lockstep_action(
    name: TrafficActionName,
    percent: Option<u8>,
) -> Result<TrafficAction, HandlerError> {
    let needs_percent = |range: std::ops::RangeInclusive<u8>, action: &str| {
        let percent = percent.ok_or_else(|| {
            HandlerError::InvalidInput(format!("percent: required with action \"{action}\""))
        })?;
        if range.contains(&percent) {
            Ok(percent)
        } else {
            Err(HandlerError::InvalidInput(format!(
                "percent: {percent} is out of range for action \"{action}\" ({}–{})",
                range.start(),
                range.end()
            )))
        }
    };
    Ok(match name {
        TrafficActionName::Start => TrafficAction::Start,
        TrafficActionName::Shift => TrafficAction::Shift(needs_percent(1..=99, "shift")?),
        TrafficActionName::TestTraffic => TrafficAction::AllowTestTraffic,
        TrafficActionName::Finish => TrafficAction::Finish,
        TrafficActionName::Rollback => TrafficAction::Rollback,
        TrafficActionName::Verify => TrafficAction::Verify(needs_percent(0..=100, "verify")?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_needs_a_percent_between_1_and_99() {
        for percent in [0, 100, 101] {
            let error = lockstep_action(TrafficActionName::Shift, Some(percent)).unwrap_err();
            assert_eq!(
                error.to_string(),
                format!("percent: {percent} is out of range for action \"shift\" (1–99)")
            );
        }
        let error = lockstep_action(TrafficActionName::Shift, None).unwrap_err();
        assert_eq!(error.to_string(), "percent: required with action \"shift\"");
        assert_eq!(
            lockstep_action(TrafficActionName::Shift, Some(10)),
            Ok(TrafficAction::Shift(10))
        );
    }

    #[test]
    fn a_negative_percent_or_an_unknown_action_is_refused_by_shape() {
        for payload in [
            serde_json::json!({"deploymentId": "d-ABCDEFGHI", "action": "shift", "percent": -1}),
            serde_json::json!({"deploymentId": "d-ABCDEFGHI", "action": "jump"}),
        ] {
            assert!(serde_json::from_value::<TrafficInput>(payload).is_err());
        }
    }
}

#[cfg(test)]
#[path = "shift_traffic_tests.rs"]
mod memory_tests;
