//! Applications and deployment groups: where deployments go and the rules they follow.

mod rules;

pub use rules::{
    check_alarms, check_auto_rollback, check_revision_targets, check_targets, check_triggers,
    is_sns_topic_arn, InvalidGroupSetting, MAX_ALARMS, MAX_TRIGGERS,
};

use crate::platform::ComputePlatform;
use crate::target::Target;
use serde::{Deserialize, Serialize};
use std::fmt;
use time::OffsetDateTime;

/// An application: a name that groups deployment groups of one compute platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Application {
    pub application_name: String,
    pub compute_platform: ComputePlatform,
    #[serde(with = "time::serde::rfc3339")]
    pub create_time: OffsetDateTime,
}

/// The events that may roll a deployment back automatically (CodeDeploy's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AutoRollbackEvent {
    DeploymentFailure,
    DeploymentStopOnAlarm,
    DeploymentStopOnRequest,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AutoRollbackConfiguration {
    pub enabled: bool,
    #[serde(default)]
    pub events: Vec<AutoRollbackEvent>,
}

impl AutoRollbackConfiguration {
    /// Whether a deployment ending because of `event` rolls back by itself.
    pub fn rolls_back_on(&self, event: AutoRollbackEvent) -> bool {
        self.enabled && self.events.contains(&event)
    }
}

/// CloudWatch alarms that stop a deployment (CodeDeploy's `alarmConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AlarmConfiguration {
    pub enabled: bool,
    /// Keep going when the alarm states cannot be read.
    #[serde(default)]
    pub ignore_poll_alarm_failure: bool,
    #[serde(default)]
    pub alarms: Vec<String>,
}

/// The events an SNS trigger can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TriggerEvent {
    DeploymentStart,
    DeploymentSuccess,
    DeploymentFailure,
    DeploymentStop,
    DeploymentRollback,
    DeploymentReady,
}

impl TriggerEvent {
    pub const ALL: [TriggerEvent; 6] = [
        TriggerEvent::DeploymentStart,
        TriggerEvent::DeploymentSuccess,
        TriggerEvent::DeploymentFailure,
        TriggerEvent::DeploymentStop,
        TriggerEvent::DeploymentRollback,
        TriggerEvent::DeploymentReady,
    ];

    pub fn as_str(self) -> &'static str {
        use TriggerEvent::*;
        match self {
            DeploymentStart => "DeploymentStart",
            DeploymentSuccess => "DeploymentSuccess",
            DeploymentFailure => "DeploymentFailure",
            DeploymentStop => "DeploymentStop",
            DeploymentRollback => "DeploymentRollback",
            DeploymentReady => "DeploymentReady",
        }
    }

    pub fn parse(text: &str) -> Option<TriggerEvent> {
        Self::ALL.into_iter().find(|event| event.as_str() == text)
    }
}

impl fmt::Display for TriggerEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An SNS topic notified of some of a group's deployment events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriggerConfig {
    pub trigger_name: String,
    pub trigger_target_arn: String,
    pub trigger_events: Vec<TriggerEvent>,
}

impl TriggerConfig {
    pub fn subscribes_to(&self, event: TriggerEvent) -> bool {
        self.trigger_events.contains(&event)
    }
}

/// A deployment group: the targets of an application's deployments and the rules they follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentGroup {
    pub application_name: String,
    pub deployment_group_name: String,
    pub compute_platform: ComputePlatform,
    /// Default config for deployments that name none.
    pub deployment_config_name: String,
    /// What deployments shift when their revision names no target (ECS groups always say here
    /// which listeners and target groups to use).
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub auto_rollback_configuration: AutoRollbackConfiguration,
    #[serde(default)]
    pub alarm_configuration: AlarmConfiguration,
    #[serde(default)]
    pub trigger_configurations: Vec<TriggerConfig>,
}

impl DeploymentGroup {
    /// The triggers subscribed to `event`.
    pub fn triggers_for(&self, event: TriggerEvent) -> impl Iterator<Item = &TriggerConfig> {
        self.trigger_configurations
            .iter()
            .filter(move |trigger| trigger.subscribes_to(event))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rollback_needs_both_the_switch_and_the_event() {
        let config = AutoRollbackConfiguration {
            enabled: true,
            events: vec![AutoRollbackEvent::DeploymentFailure],
        };
        assert!(config.rolls_back_on(AutoRollbackEvent::DeploymentFailure));
        assert!(!config.rolls_back_on(AutoRollbackEvent::DeploymentStopOnAlarm));
        let disabled = AutoRollbackConfiguration {
            enabled: false,
            ..config
        };
        assert!(!disabled.rolls_back_on(AutoRollbackEvent::DeploymentFailure));
    }

    #[test]
    fn rollback_events_use_codedeploys_names() {
        let json = serde_json::to_string(&AutoRollbackEvent::DeploymentStopOnAlarm).unwrap();
        assert_eq!(json, "\"DEPLOYMENT_STOP_ON_ALARM\"");
    }

    #[test]
    fn trigger_event_names_round_trip() {
        for event in TriggerEvent::ALL {
            assert_eq!(TriggerEvent::parse(event.as_str()), Some(event));
        }
        assert_eq!(TriggerEvent::parse("DeploymentDone"), None);
    }
}
