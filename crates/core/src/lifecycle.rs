//! Lifecycle events in CodeDeploy's order, and the hooks attached to them.

use crate::platform::ComputePlatform;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A lifecycle event of a deployment. `AllowTestTraffic` and `AllowTraffic` are run by gradual
/// itself; the others may carry a hook function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LifecycleEvent {
    BeforeInstall,
    AfterInstall,
    AllowTestTraffic,
    AfterAllowTestTraffic,
    BeforeAllowTraffic,
    AllowTraffic,
    AfterAllowTraffic,
}

impl LifecycleEvent {
    /// Every event of a platform, in the order CodeDeploy runs them.
    pub fn sequence(platform: ComputePlatform) -> &'static [LifecycleEvent] {
        use LifecycleEvent::*;
        match platform {
            ComputePlatform::Lambda => &[BeforeAllowTraffic, AllowTraffic, AfterAllowTraffic],
            ComputePlatform::Ecs => &[
                BeforeInstall,
                AfterInstall,
                AllowTestTraffic,
                AfterAllowTestTraffic,
                BeforeAllowTraffic,
                AllowTraffic,
                AfterAllowTraffic,
            ],
        }
    }

    /// The events of a platform that an AppSpec may attach a hook function to.
    pub fn hookable(platform: ComputePlatform) -> Vec<LifecycleEvent> {
        Self::sequence(platform)
            .iter()
            .copied()
            .filter(|event| event.is_hookable())
            .collect()
    }

    /// `AllowTestTraffic` and `AllowTraffic` move traffic; they take no hook.
    pub fn is_hookable(self) -> bool {
        !matches!(
            self,
            LifecycleEvent::AllowTestTraffic | LifecycleEvent::AllowTraffic
        )
    }

    pub fn as_str(self) -> &'static str {
        use LifecycleEvent::*;
        match self {
            BeforeInstall => "BeforeInstall",
            AfterInstall => "AfterInstall",
            AllowTestTraffic => "AllowTestTraffic",
            AfterAllowTestTraffic => "AfterAllowTestTraffic",
            BeforeAllowTraffic => "BeforeAllowTraffic",
            AllowTraffic => "AllowTraffic",
            AfterAllowTraffic => "AfterAllowTraffic",
        }
    }

    /// Parses CodeDeploy's spelling of an event name.
    pub fn parse(name: &str) -> Option<LifecycleEvent> {
        Self::sequence(ComputePlatform::Ecs)
            .iter()
            .copied()
            .find(|event| event.as_str() == name)
    }
}

impl fmt::Display for LifecycleEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A hook: the Lambda function invoked for one lifecycle event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hook {
    pub event: LifecycleEvent,
    /// Function name or ARN, as written in the AppSpec.
    pub function_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_hooks_are_before_and_after_allow_traffic() {
        assert_eq!(
            LifecycleEvent::hookable(ComputePlatform::Lambda),
            vec![
                LifecycleEvent::BeforeAllowTraffic,
                LifecycleEvent::AfterAllowTraffic
            ]
        );
    }

    #[test]
    fn ecs_hooks_skip_the_traffic_events() {
        let hookable = LifecycleEvent::hookable(ComputePlatform::Ecs);
        assert_eq!(hookable.len(), 5);
        assert!(!hookable.contains(&LifecycleEvent::AllowTestTraffic));
        assert!(!hookable.contains(&LifecycleEvent::AllowTraffic));
    }

    #[test]
    fn names_round_trip() {
        for event in LifecycleEvent::sequence(ComputePlatform::Ecs) {
            assert_eq!(LifecycleEvent::parse(event.as_str()), Some(*event));
        }
        assert_eq!(LifecycleEvent::parse("BeforeTraffic"), None);
    }
}
