//! CodeDeploy's predefined deployment configs for Lambda and ECS, under their exact names.

use super::TrafficRouting;
use crate::platform::ComputePlatform::{self, Ecs, Lambda};

pub struct Predefined {
    pub name: &'static str,
    pub platform: ComputePlatform,
    pub routing: TrafficRouting,
}

const fn canary(
    name: &'static str,
    platform: ComputePlatform,
    percentage: u8,
    minutes: u32,
) -> Predefined {
    Predefined {
        name,
        platform,
        routing: TrafficRouting::TimeBasedCanary {
            canary_percentage: percentage,
            canary_interval_minutes: minutes,
        },
    }
}

const fn linear(
    name: &'static str,
    platform: ComputePlatform,
    percentage: u8,
    minutes: u32,
) -> Predefined {
    Predefined {
        name,
        platform,
        routing: TrafficRouting::TimeBasedLinear {
            linear_percentage: percentage,
            linear_interval_minutes: minutes,
        },
    }
}

const fn all_at_once(name: &'static str, platform: ComputePlatform) -> Predefined {
    Predefined {
        name,
        platform,
        routing: TrafficRouting::AllAtOnce,
    }
}

/// Every predefined config, Lambda first, in the order CodeDeploy's user guide lists them.
pub static PREDEFINED: [Predefined; 14] = [
    canary(
        "CodeDeployDefault.LambdaCanary10Percent5Minutes",
        Lambda,
        10,
        5,
    ),
    canary(
        "CodeDeployDefault.LambdaCanary10Percent10Minutes",
        Lambda,
        10,
        10,
    ),
    canary(
        "CodeDeployDefault.LambdaCanary10Percent15Minutes",
        Lambda,
        10,
        15,
    ),
    canary(
        "CodeDeployDefault.LambdaCanary10Percent30Minutes",
        Lambda,
        10,
        30,
    ),
    linear(
        "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
        Lambda,
        10,
        1,
    ),
    linear(
        "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes",
        Lambda,
        10,
        2,
    ),
    linear(
        "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes",
        Lambda,
        10,
        3,
    ),
    linear(
        "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
        Lambda,
        10,
        10,
    ),
    all_at_once("CodeDeployDefault.LambdaAllAtOnce", Lambda),
    canary("CodeDeployDefault.ECSCanary10Percent5Minutes", Ecs, 10, 5),
    canary("CodeDeployDefault.ECSCanary10Percent15Minutes", Ecs, 10, 15),
    // CodeDeploy really spells the ECS linear configs with "Minutes", even for one minute.
    linear(
        "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
        Ecs,
        10,
        1,
    ),
    linear(
        "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
        Ecs,
        10,
        3,
    ),
    all_at_once("CodeDeployDefault.ECSAllAtOnce", Ecs),
];

pub fn find(name: &str) -> Option<&'static Predefined> {
    PREDEFINED.iter().find(|config| config.name == name)
}

/// The names of CodeDeploy's predefined configs for `platform`, in the user guide's order.
pub fn predefined_names(platform: ComputePlatform) -> Vec<&'static str> {
    PREDEFINED
        .iter()
        .filter(|config| config.platform == platform)
        .map(|config| config.name)
        .collect()
}
