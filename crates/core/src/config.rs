//! Deployment configs and the traffic schedules they produce.
//!
//! A [`DeploymentConfig`] says how traffic moves to the new version: all at once, a canary
//! followed by the rest, equal linear increments, or (gradual's extension) an explicit list of
//! steps. [`DeploymentConfig::schedule`] turns it into a [`TrafficSchedule`], the plain list of
//! `(percent, bake)` steps the workflow walks, always ending at 100 % with no bake.
//!
//! Names are resolved with [`resolve`]: one of CodeDeploy's predefined configs, or else the
//! custom config of that name. Custom configs use CodeDeploy's `CreateDeploymentConfig` JSON
//! (`deploymentConfigName`, `computePlatform`, `trafficRoutingConfig`); intervals are minutes
//! as in CodeDeploy, explicit step bakes are seconds. [`DeploymentConfig::validate`] enforces
//! percentages of 1–99, bakes of at least one unit and at most [`MAX_BAKE`], a whole schedule
//! baking at most [`MAX_TOTAL_BAKE`] (CodeDeploy's 48 hours), strictly rising steps, and names
//! of 1–[`MAX_NAME_LENGTH`] characters outside the reserved [`RESERVED_PREFIX`].
//!
//! The predefined configs and their schedules (also in `docs/deployment-configs.md`):
//!
//! | Config | Platform | Schedule | Total bake |
//! |---|---|---|---|
//! | `CodeDeployDefault.LambdaCanary10Percent5Minutes` | Lambda | 10% for 5m, 100% | 5m |
//! | `CodeDeployDefault.LambdaCanary10Percent10Minutes` | Lambda | 10% for 10m, 100% | 10m |
//! | `CodeDeployDefault.LambdaCanary10Percent15Minutes` | Lambda | 10% for 15m, 100% | 15m |
//! | `CodeDeployDefault.LambdaCanary10Percent30Minutes` | Lambda | 10% for 30m, 100% | 30m |
//! | `CodeDeployDefault.LambdaLinear10PercentEvery1Minute` | Lambda | 10% for 1m, 20% for 1m, 30% for 1m, 40% for 1m, 50% for 1m, 60% for 1m, 70% for 1m, 80% for 1m, 90% for 1m, 100% | 9m |
//! | `CodeDeployDefault.LambdaLinear10PercentEvery2Minutes` | Lambda | 10% for 2m, 20% for 2m, 30% for 2m, 40% for 2m, 50% for 2m, 60% for 2m, 70% for 2m, 80% for 2m, 90% for 2m, 100% | 18m |
//! | `CodeDeployDefault.LambdaLinear10PercentEvery3Minutes` | Lambda | 10% for 3m, 20% for 3m, 30% for 3m, 40% for 3m, 50% for 3m, 60% for 3m, 70% for 3m, 80% for 3m, 90% for 3m, 100% | 27m |
//! | `CodeDeployDefault.LambdaLinear10PercentEvery10Minutes` | Lambda | 10% for 10m, 20% for 10m, 30% for 10m, 40% for 10m, 50% for 10m, 60% for 10m, 70% for 10m, 80% for 10m, 90% for 10m, 100% | 1h30m |
//! | `CodeDeployDefault.LambdaAllAtOnce` | Lambda | 100% | 0s |
//! | `CodeDeployDefault.ECSCanary10Percent5Minutes` | ECS | 10% for 5m, 100% | 5m |
//! | `CodeDeployDefault.ECSCanary10Percent15Minutes` | ECS | 10% for 15m, 100% | 15m |
//! | `CodeDeployDefault.ECSLinear10PercentEvery1Minutes` | ECS | 10% for 1m, 20% for 1m, 30% for 1m, 40% for 1m, 50% for 1m, 60% for 1m, 70% for 1m, 80% for 1m, 90% for 1m, 100% | 9m |
//! | `CodeDeployDefault.ECSLinear10PercentEvery3Minutes` | ECS | 10% for 3m, 20% for 3m, 30% for 3m, 40% for 3m, 50% for 3m, 60% for 3m, 70% for 3m, 80% for 3m, 90% for 3m, 100% | 27m |
//! | `CodeDeployDefault.ECSAllAtOnce` | ECS | 100% | 0s |

mod duration_text;
mod error;
mod fields;
mod predefined;
mod routing_json;
mod schedule;
mod validate;

#[cfg(test)]
mod docs_tests;
#[cfg(test)]
mod json_tests;
#[cfg(test)]
mod schedule_tests;
#[cfg(test)]
mod validation_tests;

pub use duration_text::short_duration;
pub use error::{ConfigError, ScheduleError};
pub use predefined::predefined_names;
pub use schedule::{TrafficSchedule, TrafficStep};
pub use validate::{MAX_BAKE, MAX_NAME_LENGTH, MAX_TOTAL_BAKE, RESERVED_PREFIX};

use crate::platform::ComputePlatform;
use routing_json::TrafficRoutingJson;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A named way of moving traffic, in CodeDeploy's `CreateDeploymentConfig` shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// Unknown fields are ignored here, unlike in the nested objects: CodeDeploy's own answer
// (GetDeploymentConfig's `deploymentConfigInfo`, with its id and creation time) registers as is.
#[serde(rename_all = "camelCase")]
pub struct DeploymentConfig {
    #[serde(rename = "deploymentConfigName")]
    pub name: String,
    pub compute_platform: ComputePlatform,
    #[serde(rename = "trafficRoutingConfig")]
    pub traffic_routing: TrafficRouting,
}

/// How traffic moves from the original version to the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TrafficRoutingJson", into = "TrafficRoutingJson")]
pub enum TrafficRouting {
    /// Everything at once.
    AllAtOnce,
    /// `canary_percentage` for `canary_interval_minutes`, then everything.
    TimeBasedCanary {
        canary_percentage: u8,
        canary_interval_minutes: u32,
    },
    /// Another `linear_percentage` every `linear_interval_minutes` until everything has moved.
    TimeBasedLinear {
        linear_percentage: u8,
        linear_interval_minutes: u32,
    },
    /// gradual's extension: the given steps in order, then 100 % if they do not end there.
    Steps(Vec<ExplicitStep>),
}

/// One step of a [`TrafficRouting::Steps`] config: `{"percentage": 10, "bakeSeconds": 300}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExplicitStep {
    pub percentage: u8,
    /// Zero, or left out in JSON, for a final 100 % step.
    pub bake_seconds: u32,
}

impl ExplicitStep {
    pub fn bake(&self) -> Duration {
        Duration::from_secs(self.bake_seconds.into())
    }
}

impl DeploymentConfig {
    /// The predefined config CodeDeploy knows by exactly this name.
    pub fn predefined(name: &str) -> Option<DeploymentConfig> {
        predefined::find(name).map(|config| DeploymentConfig {
            name: config.name.to_owned(),
            compute_platform: config.platform,
            traffic_routing: config.routing.clone(),
        })
    }

    /// True when this is one of CodeDeploy's predefined configs, unchanged.
    pub fn is_predefined(&self) -> bool {
        Self::predefined(&self.name).as_ref() == Some(self)
    }

    /// Checks the name and the traffic routing, reporting the first field at fault.
    pub fn validate(&self) -> Result<(), ConfigError> {
        validate::check_name(self)?;
        validate::check_routing(&self.traffic_routing)?;
        validate::check_total(&self.schedule())
    }

    /// The steps this config takes; see [`TrafficRouting::schedule`].
    pub fn schedule(&self) -> TrafficSchedule {
        self.traffic_routing.schedule()
    }
}

impl TrafficRouting {
    /// The steps this routing takes, ending at 100 %. For a routing that does not pass
    /// validation, the steps breaking the rules are left out rather than followed.
    pub fn schedule(&self) -> TrafficSchedule {
        match self {
            TrafficRouting::AllAtOnce => TrafficSchedule::through(std::iter::empty()),
            TrafficRouting::TimeBasedCanary {
                canary_percentage,
                canary_interval_minutes,
            } => {
                TrafficSchedule::through([(*canary_percentage, minutes(*canary_interval_minutes))])
            }
            TrafficRouting::TimeBasedLinear {
                linear_percentage,
                linear_interval_minutes,
            } => {
                let bake = minutes(*linear_interval_minutes);
                TrafficSchedule::through(
                    linear_percentages(*linear_percentage).map(|percent| (percent, bake)),
                )
            }
            TrafficRouting::Steps(steps) => {
                TrafficSchedule::through(steps.iter().map(|step| (step.percentage, step.bake())))
            }
        }
    }
}

/// `increment`, twice `increment`, … while below 100; nothing for a zero increment.
fn linear_percentages(increment: u8) -> impl Iterator<Item = u8> {
    let increment = u32::from(increment);
    (1..)
        .map(move |count| count * increment)
        .take_while(move |&percent| increment > 0 && percent < 100)
        .map(|percent| percent as u8)
}

fn minutes(count: u32) -> Duration {
    Duration::from_secs(u64::from(count) * 60)
}

/// The config a deployment on `platform` named `name` uses: the predefined config of that name,
/// else `custom` if it carries that name (and passes validation), else an error listing the
/// predefined names for the platform. Either way it must be meant for `platform`.
pub fn resolve(
    name: &str,
    platform: ComputePlatform,
    custom: Option<&DeploymentConfig>,
) -> Result<DeploymentConfig, ConfigError> {
    let config = match (DeploymentConfig::predefined(name), custom) {
        (Some(predefined), _) => predefined,
        (None, Some(custom)) if custom.name == name => custom.clone(),
        _ => {
            return Err(ConfigError::UnknownName {
                name: name.to_owned(),
                platform,
                predefined: predefined_names(platform),
            })
        }
    };
    if config.compute_platform != platform {
        return Err(ConfigError::PlatformMismatch {
            name: config.name,
            config_platform: config.compute_platform,
            deployment_platform: platform,
        });
    }
    config.validate()?;
    Ok(config)
}
