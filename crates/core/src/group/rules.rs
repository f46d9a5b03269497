//! The rules a deployment group's settings follow, each error naming the field at fault as
//! CodeDeploy's JSON spells it.

use super::{AlarmConfiguration, AutoRollbackConfiguration, TriggerConfig};
use crate::platform::ComputePlatform;
use crate::target::Target;
use std::collections::HashSet;
use thiserror::Error;

/// CodeDeploy's limit on the alarms of a deployment group.
pub const MAX_ALARMS: usize = 10;
/// CodeDeploy's limit on the triggers of a deployment group.
pub const MAX_TRIGGERS: usize = 10;
/// CloudWatch's limit on an alarm name.
const MAX_ALARM_NAME: usize = 255;
/// CodeDeploy's limit on a trigger name.
const MAX_TRIGGER_NAME: usize = 100;

/// A group setting that breaks a rule: the message names the field and says what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct InvalidGroupSetting(pub String);

fn invalid(message: String) -> InvalidGroupSetting {
    InvalidGroupSetting(message)
}

/// A Lambda group moves aliases only (its deployments may also name them in their AppSpec);
/// an ECS group names at least one listener, since an ECS AppSpec names none.
pub fn check_targets(
    platform: ComputePlatform,
    targets: &[Target],
) -> Result<(), InvalidGroupSetting> {
    let group = match platform {
        ComputePlatform::Lambda => "a Lambda",
        ComputePlatform::Ecs => "an ECS",
    };
    let expected = platform.target_kind();
    if platform == ComputePlatform::Ecs && targets.is_empty() {
        return Err(invalid(
            "targets: an ECS deployment group needs at least one AlbListener target: \
             the listener and target groups its deployments shift"
                .to_owned(),
        ));
    }
    for (index, target) in targets.iter().enumerate() {
        if target.platform() != platform {
            return Err(invalid(format!(
                "targets[{index}]: {group} deployment group moves {expected} targets only, not {target}"
            )));
        }
    }
    Ok(())
}

/// A group that registers targets is deployed to those targets only: permission to deploy to
/// one group is not permission to move another group's alias. A group that registers none
/// (a Lambda group whose revisions name their aliases) takes the revision's.
pub fn check_revision_targets(
    group: &str,
    registered: &[Target],
    requested: &[Target],
) -> Result<(), InvalidGroupSetting> {
    if registered.is_empty() {
        return Ok(());
    }
    for (index, target) in requested.iter().enumerate() {
        if !registered
            .iter()
            .any(|known| target.is_registered_as(known))
        {
            let known: Vec<String> = registered.iter().map(Target::to_string).collect();
            return Err(invalid(format!(
                "revision.targets[{index}]: {target} is not a target of deployment group {group:?}, \
                 which deploys to {} only",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

pub fn check_alarms(alarms: &AlarmConfiguration) -> Result<(), InvalidGroupSetting> {
    let names = &alarms.alarms;
    if names.len() > MAX_ALARMS {
        return Err(invalid(format!(
            "alarmConfiguration.alarms: {} alarms, above the limit of {MAX_ALARMS}",
            names.len()
        )));
    }
    if alarms.enabled && names.is_empty() {
        return Err(invalid(
            "alarmConfiguration.alarms: alarms are enabled but none is listed".to_owned(),
        ));
    }
    let mut seen = HashSet::new();
    for (index, name) in names.iter().enumerate() {
        let length = name.chars().count();
        if !(1..=MAX_ALARM_NAME).contains(&length) {
            return Err(invalid(format!(
                "alarmConfiguration.alarms[{index}]: an alarm name has 1 to {MAX_ALARM_NAME} characters, {name:?} has {length}"
            )));
        }
        if !seen.insert(name) {
            return Err(invalid(format!(
                "alarmConfiguration.alarms[{index}]: {name:?} is listed twice"
            )));
        }
    }
    Ok(())
}

pub fn check_auto_rollback(
    rollback: &AutoRollbackConfiguration,
) -> Result<(), InvalidGroupSetting> {
    if rollback.enabled && rollback.events.is_empty() {
        return Err(invalid(
            "autoRollbackConfiguration.events: rollback is enabled but no event is listed \
             (DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM, DEPLOYMENT_STOP_ON_REQUEST)"
                .to_owned(),
        ));
    }
    Ok(())
}

pub fn check_triggers(triggers: &[TriggerConfig]) -> Result<(), InvalidGroupSetting> {
    if triggers.len() > MAX_TRIGGERS {
        return Err(invalid(format!(
            "triggerConfigurations: {} triggers, above the limit of {MAX_TRIGGERS}",
            triggers.len()
        )));
    }
    let mut seen = HashSet::new();
    for (index, trigger) in triggers.iter().enumerate() {
        let field = format!("triggerConfigurations[{index}]");
        let name = &trigger.trigger_name;
        let length = name.chars().count();
        if !(1..=MAX_TRIGGER_NAME).contains(&length) {
            return Err(invalid(format!(
                "{field}.triggerName: a trigger name has 1 to {MAX_TRIGGER_NAME} characters, {name:?} has {length}"
            )));
        }
        if !seen.insert(name) {
            return Err(invalid(format!(
                "{field}.triggerName: {name:?} is used by another trigger of the group"
            )));
        }
        if !is_sns_topic_arn(&trigger.trigger_target_arn) {
            return Err(invalid(format!(
                "{field}.triggerTargetArn: {:?} is not an SNS topic ARN \
                 (arn:<partition>:sns:<region>:<12-digit account>:<topic>)",
                trigger.trigger_target_arn
            )));
        }
        if trigger.trigger_events.is_empty() {
            return Err(invalid(format!(
                "{field}.triggerEvents: a trigger needs at least one event"
            )));
        }
    }
    Ok(())
}

/// `arn:<partition>:sns:<region>:<account>:<topic>`, the topic named as SNS allows (letters,
/// digits, `-` and `_`, up to 256 characters, `.fifo` at the end of a FIFO topic).
pub fn is_sns_topic_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.split(':').collect();
    let [prefix, partition, service, region, account, topic] = parts[..] else {
        return false;
    };
    let region_ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    let base = topic.strip_suffix(".fifo").unwrap_or(topic);
    let topic_ok = (1..=256).contains(&topic.len())
        && !base.is_empty()
        && base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    prefix == "arn"
        && partition.starts_with("aws")
        && service == "sns"
        && region_ok
        && account_ok
        && topic_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_arns_follow_sns_rules() {
        for arn in [
            "arn:aws:sns:eu-west-1:123456789012:deployments",
            "arn:aws-cn:sns:cn-north-1:123456789012:deploy_events-2",
            "arn:aws:sns:us-east-1:123456789012:ordered.fifo",
        ] {
            assert!(is_sns_topic_arn(arn), "{arn}");
        }
        for arn in [
            "",
            "deployments",
            "arn:aws:sqs:eu-west-1:123456789012:deployments",
            "arn:aws:sns:eu-west-1:12345678901:deployments",
            "arn:aws:sns::123456789012:deployments",
            "arn:aws:sns:eu-west-1:123456789012:",
            "arn:aws:sns:eu-west-1:123456789012:dep loyments",
            "arn:aws:sns:eu-west-1:123456789012:deployments:extra",
        ] {
            assert!(!is_sns_topic_arn(arn), "{arn}");
        }
    }
}
