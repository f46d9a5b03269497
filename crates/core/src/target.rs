//! What a deployment moves traffic on. A deployment may hold several targets, shifted in lockstep.

use crate::platform::ComputePlatform;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A Lambda alias moving from `current_version` to `target_version`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LambdaAliasTarget {
    pub function_name: String,
    pub alias: String,
    pub current_version: String,
    pub target_version: String,
}

/// An ALB listener (or one of its rules) moving from the blue target group to the green one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AlbListenerTarget {
    /// The production listener.
    pub listener_arn: String,
    /// When set, the weights live on this rule of the listener instead of its default action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_arn: Option<String>,
    /// The target group serving the original version.
    pub blue_target_group_arn: String,
    /// The target group serving the new version.
    pub green_target_group_arn: String,
    /// A listener that gets 100 % green before production moves (AllowTestTraffic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_listener_arn: Option<String>,
    /// Healthy green targets required before each shift and before finishing.
    #[serde(default = "default_min_healthy_targets")]
    pub min_healthy_targets: u32,
}

fn default_min_healthy_targets() -> u32 {
    1
}

/// One thing whose traffic a deployment shifts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Target {
    #[serde(rename = "LambdaAlias")]
    LambdaAlias(LambdaAliasTarget),
    #[serde(rename = "AlbListener")]
    AlbListener(AlbListenerTarget),
}

impl Target {
    /// Whether `self` moves the same traffic as `registered`: the same alias of the same
    /// function (whatever the versions), or the same listener (and rule and test listener)
    /// between the same two target groups (either one serving: they swap roles each deployment).
    pub fn is_registered_as(&self, registered: &Target) -> bool {
        match (self, registered) {
            (Target::LambdaAlias(alias), Target::LambdaAlias(known)) => {
                alias.function_name == known.function_name && alias.alias == known.alias
            }
            (Target::AlbListener(listener), Target::AlbListener(known)) => {
                let pair = |target: &AlbListenerTarget| {
                    let mut groups = [
                        target.blue_target_group_arn.clone(),
                        target.green_target_group_arn.clone(),
                    ];
                    groups.sort();
                    groups
                };
                listener.listener_arn == known.listener_arn
                    && listener.rule_arn == known.rule_arn
                    && listener.test_listener_arn == known.test_listener_arn
                    && pair(listener) == pair(known)
            }
            _ => false,
        }
    }

    /// The platform whose deployments move this kind of target.
    pub fn platform(&self) -> ComputePlatform {
        match self {
            Target::LambdaAlias(_) => ComputePlatform::Lambda,
            Target::AlbListener(_) => ComputePlatform::Ecs,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::LambdaAlias(t) => write!(
                f,
                "alias {}:{} ({} -> {})",
                t.function_name, t.alias, t.current_version, t.target_version
            ),
            Target::AlbListener(t) => match &t.rule_arn {
                Some(rule) => write!(f, "listener rule {rule}"),
                None => write!(f, "listener {}", t.listener_arn),
            },
        }
    }
}
