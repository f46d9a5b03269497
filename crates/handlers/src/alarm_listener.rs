//! `alarm-listener`: the event path of alarm monitoring. EventBridge delivers CloudWatch's
//! "CloudWatch Alarm State Change" events; when an alarm goes into ALARM, every running
//! deployment watching it is stopped with `ALARM_ACTIVE` at once, cutting its bake or hook wait
//! short, instead of waiting for the next traffic step to poll the alarm.

use crate::error::HandlerError;
use crate::handler::Handler;
use crate::support::alarms::{alarm_stop_request, in_alarm_message, watched_alarms};
use crate::support::deployments::load;
use crate::support::stop_signal::stop;
use async_trait::async_trait;
use aws_lambda_events::event::cloudwatch_alarms::{CloudWatchAlarmData, CloudWatchAlarmStateValue};
use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use gradual_core::ports::{Clock, DeploymentSignals, DeploymentStore, Workflow};
use gradual_core::{Deployment, DeploymentId};
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;

/// The `source` of CloudWatch's events.
pub const CLOUDWATCH_SOURCE: &str = "aws.cloudwatch";
/// The `detail-type` of an alarm's state change.
pub const ALARM_STATE_CHANGE: &str = "CloudWatch Alarm State Change";

/// EventBridge's "CloudWatch Alarm State Change" event, exactly as AWS sends it.
pub type AlarmStateChangeEvent = EventBridgeEvent<CloudWatchAlarmData<Value, Value>>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlarmListenerOutput {
    pub alarm_name: String,
    /// The state the alarm went into: `ALARM`, `OK` or `INSUFFICIENT_DATA`.
    pub state: String,
    /// The deployments this event stopped (none unless the alarm went into ALARM).
    pub stopped_deployments: Vec<DeploymentId>,
}

pub struct AlarmListener {
    pub store: Arc<dyn DeploymentStore>,
    pub signals: Arc<dyn DeploymentSignals>,
    pub workflow: Arc<dyn Workflow>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl Handler for AlarmListener {
    type Input = AlarmStateChangeEvent;
    type Output = AlarmListenerOutput;

    async fn handle(
        &self,
        event: AlarmStateChangeEvent,
    ) -> Result<AlarmListenerOutput, HandlerError> {
        check_kind(&event)?;
        let alarm = event.detail.alarm_name;
        let state = event.detail.state.ok_or_else(|| {
            HandlerError::InvalidInput(format!(
                "detail.state: the state change of alarm {alarm} has no new state"
            ))
        })?;
        let mut output = AlarmListenerOutput {
            alarm_name: alarm.clone(),
            state: state_name(&state.value),
            stopped_deployments: Vec::new(),
        };
        if state.value != CloudWatchAlarmStateValue::Alarm {
            return Ok(output);
        }
        let message = match state.reason.trim() {
            "" => in_alarm_message(std::slice::from_ref(&alarm)),
            reason => format!(
                "{}: {reason}",
                in_alarm_message(std::slice::from_ref(&alarm))
            ),
        };
        let mut failures = Vec::new();
        for id in self.store.active_deployments().await? {
            match self.stop_if_watching(&id, &alarm, &message).await {
                Ok(true) => output.stopped_deployments.push(id),
                Ok(false) => {}
                Err(error) => failures.push(format!("deployment {id}: {error}")),
            }
        }
        if !failures.is_empty() {
            // Retried by EventBridge; the deployments already stopped keep their first request.
            return Err(HandlerError::Transient(format!(
                "alarm {alarm} is in ALARM but could not stop {}",
                failures.join("; ")
            )));
        }
        Ok(output)
    }
}

impl AlarmListener {
    /// Stops the deployment if it watches `alarm`; true when this was its first stop request.
    async fn stop_if_watching(
        &self,
        id: &DeploymentId,
        alarm: &str,
        message: &str,
    ) -> Result<bool, HandlerError> {
        let deployment = load(self.store.as_ref(), id).await?;
        if !watches(&deployment, alarm) {
            return Ok(false);
        }
        let request = alarm_stop_request(&deployment, message.to_owned(), self.clock.as_ref());
        match stop(
            self.signals.as_ref(),
            self.workflow.as_ref(),
            &deployment,
            &request,
        )
        .await
        {
            Ok(outcome) => {
                tracing::info!(deployment_id = %id, alarm, first_request = outcome.first_request, "stopped by alarm");
                Ok(outcome.first_request)
            }
            // It ended between the listing and the stop: there is nothing left to stop.
            Err(error) => {
                let ended = load(self.store.as_ref(), id).await?.status.is_terminal();
                if ended {
                    Ok(false)
                } else {
                    Err(error)
                }
            }
        }
    }
}

fn watches(deployment: &Deployment, alarm: &str) -> bool {
    !deployment.status.is_terminal() && watched_alarms(deployment).iter().any(|a| a == alarm)
}

/// Refuses anything but an alarm state change from CloudWatch.
fn check_kind(event: &AlarmStateChangeEvent) -> Result<(), HandlerError> {
    if event.source != CLOUDWATCH_SOURCE {
        return Err(HandlerError::InvalidInput(format!(
            "source: {:?} is not {CLOUDWATCH_SOURCE:?}; alarm-listener takes CloudWatch alarm state changes only",
            event.source
        )));
    }
    if event.detail_type != ALARM_STATE_CHANGE {
        return Err(HandlerError::InvalidInput(format!(
            "detail-type: {:?} is not {ALARM_STATE_CHANGE:?}",
            event.detail_type
        )));
    }
    Ok(())
}

fn state_name(value: &CloudWatchAlarmStateValue) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(source: &str, detail_type: &str, state: &str) -> Value {
        serde_json::json!({
            "version": "0",
            "id": "2d3c8a52-0f4e-4b1b-9d6b-31f1b1d0e6a7",
            "detail-type": detail_type,
            "source": source,
            "account": "123456789012",
            "time": "2026-11-23T10:20:00Z",
            "region": "us-east-1",
            "resources": ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-errors"],
            "detail": {
                "alarmName": "checkout-errors",
                "state": {"value": state, "reason": "Threshold Crossed", "timestamp": "2026-11-23T10:20:00.123+0000"},
                "previousState": {"value": "OK", "reason": "Threshold Crossed", "timestamp": "2026-11-23T10:00:00.000+0000"},
                "configuration": {"metrics": []}
            }
        })
    }

    #[test]
    fn an_alarm_state_change_reads_as_aws_sends_it() {
        let event: AlarmStateChangeEvent =
            serde_json::from_value(event(CLOUDWATCH_SOURCE, ALARM_STATE_CHANGE, "ALARM")).unwrap();
        assert!(check_kind(&event).is_ok());
        assert_eq!(event.detail.alarm_name, "checkout-errors");
        let state = event.detail.state.unwrap();
        assert_eq!(state_name(&state.value), "ALARM");
        let previous = event.detail.previous_state.unwrap();
        assert_eq!(state_name(&previous.value), "OK");
    }

    #[test]
    fn other_events_are_refused_by_name() {
        let other: AlarmStateChangeEvent =
            serde_json::from_value(event("aws.ec2", ALARM_STATE_CHANGE, "ALARM")).unwrap();
        let error = check_kind(&other).unwrap_err();
        assert!(
            error.to_string().starts_with("source: \"aws.ec2\""),
            "{error}"
        );
        let other: AlarmStateChangeEvent =
            serde_json::from_value(event(CLOUDWATCH_SOURCE, "Scheduled Event", "ALARM")).unwrap();
        let error = check_kind(&other).unwrap_err();
        assert!(error.to_string().starts_with("detail-type:"), "{error}");
    }
}
