//! What can be wrong with a deployment config or a traffic schedule. Every message starts with
//! the field at fault, spelled as in CodeDeploy's JSON (`trafficRoutingConfig.steps[2].percentage`).

use super::duration_text::short_duration;
use crate::platform::ComputePlatform;
use std::time::Duration;
use thiserror::Error;

/// A deployment config that cannot be used, or a name that matches none.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error(
        "deploymentConfigName: no deployment config named \"{name}\" for {platform}; \
         the predefined ones are {}",
        .predefined.join(", ")
    )]
    UnknownName {
        name: String,
        platform: ComputePlatform,
        predefined: Vec<&'static str>,
    },

    #[error("deploymentConfigName: must not be empty")]
    EmptyName,

    #[error(
        "deploymentConfigName: \"{name}\" is {length} characters long, above the limit of {limit}"
    )]
    NameTooLong {
        name: String,
        length: usize,
        limit: usize,
    },

    #[error(
        "deploymentConfigName: \"{name}\" starts with `{prefix}`, which is reserved for the predefined configs"
    )]
    ReservedName { name: String, prefix: &'static str },

    #[error(
        "computePlatform: deployment config \"{name}\" is for {config_platform}, \
         but the deployment is on {deployment_platform}"
    )]
    PlatformMismatch {
        name: String,
        config_platform: ComputePlatform,
        deployment_platform: ComputePlatform,
    },

    #[error("{field}: {value} is not a percentage between 1 and 99")]
    PercentageOutOfRange { field: String, value: i64 },

    #[error("{field}: 100 may only be the last step")]
    FullTrafficBeforeLastStep { field: String },

    #[error("{field}: {value} is not above the previous step's {previous}")]
    NotIncreasing {
        field: String,
        value: u8,
        previous: u8,
    },

    #[error("{field}: {value} is not allowed; traffic has to bake for at least {minimum}")]
    IntervalNotPositive {
        field: String,
        value: i64,
        minimum: &'static str,
    },

    #[error(
        "{field}: a bake of {} is longer than the maximum of {}",
        short_duration(*.bake),
        short_duration(*.limit)
    )]
    BakeTooLong {
        field: String,
        bake: Duration,
        limit: Duration,
    },

    #[error(
        "trafficRoutingConfig: the schedule bakes for {} in all, longer than the maximum of {}",
        short_duration(*.total),
        short_duration(*.limit)
    )]
    TotalBakeTooLong { total: Duration, limit: Duration },

    #[error("{field}: the final 100% step cannot bake (there is no later step), but it asks for {bake_seconds} seconds")]
    FinalStepBakes { field: String, bake_seconds: u32 },

    #[error("trafficRoutingConfig.steps: must list at least one step")]
    EmptySteps,

    #[error("{field}: required when trafficRoutingConfig.type is {routing_type}")]
    MissingRoutingDetail {
        field: &'static str,
        routing_type: &'static str,
    },

    #[error("{field}: not allowed when trafficRoutingConfig.type is {routing_type}")]
    UnexpectedRoutingDetail {
        field: &'static str,
        routing_type: &'static str,
    },
}

/// A list of traffic steps that is not a schedule: it must rise strictly to 100 %, where it
/// stops without baking.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScheduleError {
    #[error("traffic schedule: must hold at least one step")]
    Empty,

    #[error("steps[{index}].percent: {percent} is not between 1 and 100")]
    PercentOutOfRange { index: usize, percent: u8 },

    #[error("steps[{index}].percent: {percent} is not above the previous step's {previous}")]
    NotIncreasing {
        index: usize,
        percent: u8,
        previous: u8,
    },

    #[error("steps[{index}].percent: the last step is at {percent}%, but a schedule ends at 100%")]
    DoesNotReachFull { index: usize, percent: u8 },

    #[error("steps[{index}].bakeSeconds: the final 100% step cannot bake, but it asks for {} seconds", .bake.as_secs())]
    FinalStepBakes { index: usize, bake: Duration },
}
