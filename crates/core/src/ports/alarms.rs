//! The alarm source port: reads the state of the CloudWatch alarms a deployment watches.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// An alarm's state, as CloudWatch names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AlarmState {
    Ok,
    Alarm,
    InsufficientData,
}

impl AlarmState {
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmState::Ok => "OK",
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "INSUFFICIENT_DATA",
        }
    }

    pub fn parse(text: &str) -> Option<AlarmState> {
        [
            AlarmState::Ok,
            AlarmState::Alarm,
            AlarmState::InsufficientData,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }
}

impl fmt::Display for AlarmState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One alarm and the state it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlarmReading {
    pub name: String,
    pub state: AlarmState,
}

/// Why the alarm states could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AlarmError {
    /// CloudWatch knows none of these alarms.
    #[error("alarm(s) {} do not exist in CloudWatch", .names.join(", "))]
    Missing { names: Vec<String> },
    #[error("{operation} failed: {message}")]
    Service {
        operation: &'static str,
        message: String,
    },
}

#[async_trait]
pub trait AlarmSource: Send + Sync {
    /// The state of every alarm named, in the order asked. An alarm that does not exist is an
    /// error ([`AlarmError::Missing`], naming each one), never silently skipped: a deployment
    /// must not believe it is watched by an alarm that is not there.
    async fn alarm_states(&self, names: &[String]) -> Result<Vec<AlarmReading>, AlarmError>;

    /// The alarms among `names` that are in ALARM, in the order asked.
    async fn alarms_in_alarm(&self, names: &[String]) -> Result<Vec<String>, AlarmError> {
        Ok(self
            .alarm_states(names)
            .await?
            .into_iter()
            .filter(|reading| reading.state == AlarmState::Alarm)
            .map(|reading| reading.name)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_use_cloudwatchs_names() {
        for state in [
            AlarmState::Ok,
            AlarmState::Alarm,
            AlarmState::InsufficientData,
        ] {
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(json, format!("\"{state}\""));
            assert_eq!(AlarmState::parse(state.as_str()), Some(state));
        }
        assert_eq!(AlarmState::parse("alarm"), None);
    }

    #[test]
    fn a_missing_alarm_is_named() {
        let error = AlarmError::Missing {
            names: vec!["errors".to_owned(), "latency".to_owned()],
        };
        assert_eq!(
            error.to_string(),
            "alarm(s) errors, latency do not exist in CloudWatch"
        );
    }
}
