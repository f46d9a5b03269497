//! Alarms in the local world: the functions that read alarm states (the traffic functions and
//! create-deployment), the alarm-listener, and CloudWatch alarms on the emulator whose state
//! changes are delivered to alarm-listener as EventBridge delivers them in AWS.

use super::LocalWorld;
use aws_sdk_cloudwatch::types::{ComparisonOperator, MetricAlarm, StateValue, Statistic};
use gradual_asl::FunctionError;
use gradual_core::ports::{AlarmSource, AlarmState};
use gradual_emulator::{ACCOUNT_ID, REGION};
use gradual_handlers::alarm_listener::{ALARM_STATE_CHANGE, CLOUDWATCH_SOURCE};
use gradual_handlers::{Function, Port};
use serde_json::{json, Value};
use std::sync::Arc;
use time::macros::format_description;
use time::OffsetDateTime;

/// An alarm's state change, as the emulator's CloudWatch reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmChange {
    pub alarm_name: String,
    pub alarm_arn: String,
    pub previous: AlarmSnapshot,
    pub current: AlarmSnapshot,
}

/// An alarm's state, its reason and when it was entered.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmSnapshot {
    pub state: AlarmState,
    pub reason: String,
    pub since: OffsetDateTime,
}

impl LocalWorld {
    /// Registers the functions that read alarm states, reading them from `alarms`: the world
    /// registers them on CloudWatch; a test may register them again on a source that fails.
    pub fn read_alarms_from(&self, alarms: Arc<dyn AlarmSource>) {
        for function in Function::ALL {
            if function.ports().contains(&Port::Alarms) {
                let mut ports = self.ports(function);
                ports.alarms = Some(alarms.clone());
                self.register_function(function, &ports);
            }
        }
    }

    fn cloudwatch(&self) -> aws_sdk_cloudwatch::Client {
        aws_sdk_cloudwatch::Client::new(&self.sdk)
    }

    /// Creates a metric alarm on the function's errors; CloudWatch starts it in OK.
    pub async fn create_alarm(&self, name: &str) {
        self.cloudwatch()
            .put_metric_alarm()
            .alarm_name(name)
            .namespace("AWS/Lambda")
            .metric_name("Errors")
            .statistic(Statistic::Sum)
            .period(60)
            .evaluation_periods(1)
            .threshold(5.0)
            .comparison_operator(ComparisonOperator::GreaterThanThreshold)
            .send()
            .await
            .unwrap_or_else(|error| panic!("create alarm {name}: {error:?}"));
    }

    /// Sets the alarm's state on the emulator (CloudWatch's `SetAlarmState`) without telling
    /// anyone, as when no EventBridge rule routes its changes: only polling sees it.
    pub async fn set_alarm_state(&self, name: &str, state: AlarmState) -> AlarmChange {
        let before = self.describe_alarm(name).await;
        self.cloudwatch()
            .set_alarm_state()
            .alarm_name(name)
            .state_value(StateValue::from(state.as_str()))
            .state_reason(format!("set to {state} by the local world"))
            .send()
            .await
            .unwrap_or_else(|error| panic!("set the state of alarm {name}: {error:?}"));
        let after = self.describe_alarm(name).await;
        AlarmChange {
            alarm_name: name.to_owned(),
            alarm_arn: after.alarm_arn().unwrap_or_default().to_owned(),
            previous: snapshot(&before),
            current: snapshot(&after),
        }
    }

    /// Sets the alarm's state on the emulator and delivers the state change to alarm-listener,
    /// as the EventBridge rule does in AWS. Returns the listener's answer.
    pub async fn change_alarm_state(
        &self,
        name: &str,
        state: AlarmState,
    ) -> Result<Value, FunctionError> {
        let change = self.set_alarm_state(name, state).await;
        self.deliver_alarm_change(&change).await
    }

    /// Delivers a state change to alarm-listener as an EventBridge event.
    pub async fn deliver_alarm_change(&self, change: &AlarmChange) -> Result<Value, FunctionError> {
        self.call(Function::AlarmListener, alarm_state_change_event(change))
            .await
    }

    async fn describe_alarm(&self, name: &str) -> MetricAlarm {
        let answer = self
            .cloudwatch()
            .describe_alarms()
            .alarm_names(name)
            .send()
            .await
            .unwrap_or_else(|error| panic!("describe alarm {name}: {error:?}"));
        answer
            .metric_alarms()
            .iter()
            .find(|alarm| alarm.alarm_name() == Some(name))
            .cloned()
            .unwrap_or_else(|| panic!("alarm {name} does not exist on the emulator"))
    }
}

fn snapshot(alarm: &MetricAlarm) -> AlarmSnapshot {
    let state = alarm
        .state_value()
        .and_then(|value| AlarmState::parse(value.as_str()))
        .unwrap_or(AlarmState::InsufficientData);
    let since = alarm
        .state_updated_timestamp()
        .and_then(|at| OffsetDateTime::from_unix_timestamp_nanos(at.as_nanos()).ok())
        .unwrap_or_else(OffsetDateTime::now_utc);
    AlarmSnapshot {
        state,
        reason: alarm.state_reason().unwrap_or_default().to_owned(),
        since,
    }
}

/// EventBridge's "CloudWatch Alarm State Change" event for `change`, field for field.
pub fn alarm_state_change_event(change: &AlarmChange) -> Value {
    let state = |snapshot: &AlarmSnapshot| {
        json!({
            "value": snapshot.state.as_str(),
            "reason": snapshot.reason,
            "timestamp": cloudwatch_timestamp(snapshot.since),
        })
    };
    json!({
        "version": "0",
        "id": event_id(),
        "detail-type": ALARM_STATE_CHANGE,
        "source": CLOUDWATCH_SOURCE,
        "account": ACCOUNT_ID,
        "time": rfc3339_seconds(change.current.since),
        "region": REGION,
        "resources": [change.alarm_arn],
        "detail": {
            "alarmName": change.alarm_name,
            "state": state(&change.current),
            "previousState": state(&change.previous),
            "configuration": {"metrics": []},
        }
    })
}

/// A random id in the UUID form EventBridge gives its events.
fn event_id() -> String {
    let hex = format!("{:032x}", rand::random::<u128>());
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// CloudWatch's timestamps in alarm events: milliseconds and a `+0000` offset.
fn cloudwatch_timestamp(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]+0000"
        ))
        .expect("a timestamp within 0000-9999")
}

/// EventBridge's event time: whole seconds, `Z`.
fn rfc3339_seconds(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .expect("a timestamp within 0000-9999")
}
