//! The CloudWatch adapter of the alarm source port: reads alarm states with `DescribeAlarms`.

use async_trait::async_trait;
use aws_sdk_cloudwatch::error::DisplayErrorContext;
use aws_sdk_cloudwatch::types::{AlarmType, StateValue};
use aws_sdk_cloudwatch::Client;
use gradual_core::ports::{AlarmError, AlarmReading, AlarmSource, AlarmState};
use std::collections::HashMap;

/// The most alarm names one `DescribeAlarms` request may carry.
pub const NAMES_PER_REQUEST: usize = 100;

const OPERATION: &str = "DescribeAlarms";

/// Reads metric and composite alarms by name.
#[derive(Debug, Clone)]
pub struct CloudWatchAlarms {
    client: Client,
}

impl CloudWatchAlarms {
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// The state of every alarm of `names` that exists (at most [`NAMES_PER_REQUEST`]), by
    /// name, over as many pages as CloudWatch answers with.
    async fn describe(&self, names: &[String]) -> Result<HashMap<String, StateValue>, AlarmError> {
        let mut states = HashMap::new();
        let mut next_token = None;
        loop {
            let page = self
                .client
                .describe_alarms()
                .set_alarm_names(Some(names.to_vec()))
                .alarm_types(AlarmType::MetricAlarm)
                .alarm_types(AlarmType::CompositeAlarm)
                .set_next_token(next_token)
                .send()
                .await
                .map_err(|error| AlarmError::Service {
                    operation: OPERATION,
                    message: DisplayErrorContext(&error).to_string(),
                })?;
            let metric = page
                .metric_alarms()
                .iter()
                .map(|alarm| (alarm.alarm_name(), alarm.state_value()));
            let composite = page
                .composite_alarms()
                .iter()
                .map(|alarm| (alarm.alarm_name(), alarm.state_value()));
            for (name, state) in metric.chain(composite) {
                if let (Some(name), Some(state)) = (name, state) {
                    states.insert(name.to_owned(), state.clone());
                }
            }
            match page.next_token() {
                Some(token) if !token.is_empty() => next_token = Some(token.to_owned()),
                _ => return Ok(states),
            }
        }
    }
}

#[async_trait]
impl AlarmSource for CloudWatchAlarms {
    async fn alarm_states(&self, names: &[String]) -> Result<Vec<AlarmReading>, AlarmError> {
        let mut found = HashMap::new();
        for chunk in names.chunks(NAMES_PER_REQUEST) {
            found.extend(self.describe(chunk).await?);
        }
        let missing: Vec<String> = names
            .iter()
            .filter(|name| !found.contains_key(*name))
            .cloned()
            .collect();
        if !missing.is_empty() {
            return Err(AlarmError::Missing { names: missing });
        }
        names
            .iter()
            .map(|name| {
                let value = &found[name];
                let state =
                    AlarmState::parse(value.as_str()).ok_or_else(|| AlarmError::Service {
                        operation: OPERATION,
                        message: format!("alarm {name} is in state {value}, unknown to gradual"),
                    })?;
                Ok(AlarmReading {
                    name: name.clone(),
                    state,
                })
            })
            .collect()
    }
}
