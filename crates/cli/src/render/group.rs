//! A deployment group as text.

use gradual_core::{AlarmConfiguration, AutoRollbackConfiguration, DeploymentGroup};
use std::fmt::Write;

pub fn group_text(group: &DeploymentGroup) -> String {
    let mut text = format!(
        "{} / {} ({})\n",
        group.application_name, group.deployment_group_name, group.compute_platform
    );
    let mut field = |name: &str, value: String| {
        let _ = writeln!(text, "  {name:<15} {value}");
    };
    field("default config", group.deployment_config_name.clone());
    for target in &group.targets {
        field("target", target.to_string());
    }
    field(
        "auto rollback",
        rollback_text(&group.auto_rollback_configuration),
    );
    field("alarms", alarms_text(&group.alarm_configuration));
    for trigger in &group.trigger_configurations {
        let events: Vec<&str> = trigger.trigger_events.iter().map(|e| e.as_str()).collect();
        field(
            "trigger",
            format!(
                "{} -> {} ({})",
                trigger.trigger_name,
                trigger.trigger_target_arn,
                events.join(", ")
            ),
        );
    }
    text
}

pub fn rollback_text(rollback: &AutoRollbackConfiguration) -> String {
    if !rollback.enabled {
        return "off".to_owned();
    }
    let events: Vec<String> = rollback
        .events
        .iter()
        .map(|event| {
            serde_json::to_value(event)
                .ok()
                .and_then(|name| name.as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .collect();
    format!("on {}", events.join(", "))
}

fn alarms_text(alarms: &AlarmConfiguration) -> String {
    if !alarms.enabled {
        return "off".to_owned();
    }
    format!("on {}", alarms.alarms.join(", "))
}
