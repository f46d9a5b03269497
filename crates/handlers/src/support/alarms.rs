//! The alarms a deployment watches, and stopping it when one of them goes into ALARM: shared by
//! the polling path (the traffic step before each move forward), the event path
//! (alarm-listener) and create-deployment (alarms already firing at start).

use crate::error::HandlerError;
use crate::support::waits::check_not_stopped;
use gradual_core::ports::{AlarmError, AlarmSource, Clock, DeploymentSignals, StopRequest};
use gradual_core::{AutoRollbackEvent, Deployment, ErrorCode};

/// The alarms whose ALARM state stops `deployment`: its configured alarms while alarm
/// monitoring is enabled, less those ignored because they were already firing at start. A
/// rollback deployment watches none: it is what an alarm asks for.
pub fn watched_alarms(deployment: &Deployment) -> Vec<String> {
    let is_rollback = deployment
        .rollback_info
        .rollback_triggering_deployment_id
        .is_some();
    if !deployment.alarm_configuration.enabled || is_rollback {
        return Vec::new();
    }
    deployment
        .alarm_configuration
        .alarms
        .iter()
        .filter(|alarm| !deployment.ignored_alarms.contains(alarm))
        .cloned()
        .collect()
}

/// The stop request of an alarm: `ALARM_ACTIVE`, rolling back as the deployment's
/// `DEPLOYMENT_STOP_ON_ALARM` setting says.
pub fn alarm_stop_request(
    deployment: &Deployment,
    message: String,
    clock: &dyn Clock,
) -> StopRequest {
    let roll_back = deployment
        .auto_rollback_configuration
        .rolls_back_on(AutoRollbackEvent::DeploymentStopOnAlarm);
    StopRequest {
        code: ErrorCode::AlarmActive,
        message: format!("{message}{}", if roll_back { ", rolling back" } else { "" }),
        roll_back,
        at: clock.now(),
    }
}

/// "alarm errors is in ALARM", "alarms errors, latency are in ALARM".
pub fn in_alarm_message(alarms: &[String]) -> String {
    match alarms {
        [alarm] => format!("alarm {alarm} is in ALARM"),
        _ => format!("alarms {} are in ALARM", alarms.join(", ")),
    }
}

/// The polling path: reads the watched alarms and, when one is in ALARM (or the states cannot
/// be read and `ignorePollAlarmFailure` is off), records an `ALARM_ACTIVE` stop and fails with
/// it, so that the workflow leaves through its stop path.
pub async fn stop_if_alarm_active(
    alarms: &dyn AlarmSource,
    signals: &dyn DeploymentSignals,
    clock: &dyn Clock,
    deployment: &Deployment,
) -> Result<(), HandlerError> {
    let watched = watched_alarms(deployment);
    if watched.is_empty() {
        return Ok(());
    }
    let message = match alarms.alarms_in_alarm(&watched).await {
        Ok(firing) if firing.is_empty() => return Ok(()),
        Ok(firing) => in_alarm_message(&firing),
        Err(error) if deployment.alarm_configuration.ignore_poll_alarm_failure => {
            tracing::warn!(deployment_id = %deployment.id, %error, "alarm states unreadable; going on as ignorePollAlarmFailure asks");
            return Ok(());
        }
        Err(error) => unreadable_message(&error),
    };
    let request = alarm_stop_request(deployment, message, clock);
    let outcome = signals.request_stop(&deployment.id, &request).await?;
    if !outcome.first_request {
        // An earlier stop stands: fail with it.
        check_not_stopped(signals, &deployment.id).await?;
    }
    Err(HandlerError::deployment(request.code, request.message))
}

/// Why a deployment stops when its alarms cannot be read.
pub fn unreadable_message(error: &AlarmError) -> String {
    format!(
        "the alarm states could not be read ({error}) and alarmConfiguration.ignorePollAlarmFailure is false"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradual_core::fixtures;
    use gradual_core::AlarmConfiguration;

    fn watching(alarms: &[&str], enabled: bool) -> Deployment {
        let mut group = fixtures::lambda_group("shop", "live");
        group.alarm_configuration = AlarmConfiguration {
            enabled,
            ignore_poll_alarm_failure: false,
            alarms: alarms.iter().map(|alarm| alarm.to_string()).collect(),
        };
        fixtures::lambda_deployment(&group)
    }

    #[test]
    fn ignored_alarms_are_not_watched() {
        let mut deployment = watching(&["errors", "latency"], true);
        assert_eq!(watched_alarms(&deployment), ["errors", "latency"]);
        deployment.ignored_alarms = vec!["errors".to_owned()];
        assert_eq!(watched_alarms(&deployment), ["latency"]);
    }

    #[test]
    fn disabled_monitoring_and_rollbacks_watch_nothing() {
        assert!(watched_alarms(&watching(&["errors"], false)).is_empty());
        let mut rollback = watching(&["errors"], true);
        rollback.rollback_info.rollback_triggering_deployment_id =
            Some(gradual_core::DeploymentId::generate());
        assert!(watched_alarms(&rollback).is_empty());
    }

    #[test]
    fn an_alarm_stop_rolls_back_only_when_the_group_asks_for_it() {
        let mut deployment = watching(&["errors"], true);
        let clock = gradual_core::ports::SystemClock;
        let request = alarm_stop_request(&deployment, in_alarm_message(&["errors".into()]), &clock);
        assert_eq!(request.code, ErrorCode::AlarmActive);
        assert!(!request.roll_back);
        assert_eq!(request.message, "alarm errors is in ALARM");
        deployment
            .auto_rollback_configuration
            .events
            .push(AutoRollbackEvent::DeploymentStopOnAlarm);
        let request = alarm_stop_request(
            &deployment,
            in_alarm_message(&["errors".into(), "latency".into()]),
            &clock,
        );
        assert!(request.roll_back);
        assert_eq!(
            request.message,
            "alarms errors, latency are in ALARM, rolling back"
        );
    }
}
