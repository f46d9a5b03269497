//! The rules a deployment config must follow, and the limits gradual puts on bake times.

use super::error::ConfigError;
use super::fields;
use super::schedule::TrafficSchedule;
use super::{DeploymentConfig, ExplicitStep, TrafficRouting};
use std::time::Duration;

/// CodeDeploy's limit on the length of a deployment config name.
pub const MAX_NAME_LENGTH: usize = 100;

/// The prefix CodeDeploy reserves for its predefined configs.
pub const RESERVED_PREFIX: &str = "CodeDeployDefault.";

/// The longest a deployment may bake, from its first traffic shift to its last: CodeDeploy's
/// 48 hours for Lambda deployments. Step Functions would wait far longer, but a deployment that
/// holds a deployment group for days is almost always a typo in an interval.
pub const MAX_TOTAL_BAKE: Duration = Duration::from_secs(48 * 60 * 60);

/// The longest a single step may bake. One step may use the whole budget; the separate check
/// lets the error name the interval at fault rather than the schedule as a whole.
pub const MAX_BAKE: Duration = MAX_TOTAL_BAKE;

/// The unit an interval field is written in: CodeDeploy's minutes, or seconds for explicit steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BakeUnit {
    Minutes,
    Seconds,
}

impl BakeUnit {
    pub fn duration(self, amount: u64) -> Duration {
        match self {
            BakeUnit::Minutes => Duration::from_secs(amount.saturating_mul(60)),
            BakeUnit::Seconds => Duration::from_secs(amount),
        }
    }

    /// The shortest bake the unit can express, as error messages spell it.
    pub fn minimum(self) -> &'static str {
        match self {
            BakeUnit::Minutes => "1 minute",
            BakeUnit::Seconds => "1 second",
        }
    }
}

pub fn check_name(config: &DeploymentConfig) -> Result<(), ConfigError> {
    let name = &config.name;
    if name.trim().is_empty() {
        return Err(ConfigError::EmptyName);
    }
    let length = name.chars().count();
    if length > MAX_NAME_LENGTH {
        return Err(ConfigError::NameTooLong {
            name: name.clone(),
            length,
            limit: MAX_NAME_LENGTH,
        });
    }
    // A predefined config is the one thing allowed to carry the reserved prefix.
    if name.starts_with(RESERVED_PREFIX) && !config.is_predefined() {
        return Err(ConfigError::ReservedName {
            name: name.clone(),
            prefix: RESERVED_PREFIX,
        });
    }
    Ok(())
}

pub fn check_routing(routing: &TrafficRouting) -> Result<(), ConfigError> {
    match routing {
        TrafficRouting::AllAtOnce => Ok(()),
        TrafficRouting::TimeBasedCanary {
            canary_percentage,
            canary_interval_minutes,
        } => {
            check_percentage(fields::CANARY_PERCENTAGE, *canary_percentage)?;
            check_bake(
                fields::CANARY_INTERVAL,
                (*canary_interval_minutes).into(),
                BakeUnit::Minutes,
            )
        }
        TrafficRouting::TimeBasedLinear {
            linear_percentage,
            linear_interval_minutes,
        } => {
            check_percentage(fields::LINEAR_PERCENTAGE, *linear_percentage)?;
            check_bake(
                fields::LINEAR_INTERVAL,
                (*linear_interval_minutes).into(),
                BakeUnit::Minutes,
            )
        }
        TrafficRouting::Steps(steps) => check_steps(steps),
    }
}

pub fn check_total(schedule: &TrafficSchedule) -> Result<(), ConfigError> {
    let total = schedule.total_bake();
    if total > MAX_TOTAL_BAKE {
        return Err(ConfigError::TotalBakeTooLong {
            total,
            limit: MAX_TOTAL_BAKE,
        });
    }
    Ok(())
}

fn check_steps(steps: &[ExplicitStep]) -> Result<(), ConfigError> {
    let last_index = steps.len().checked_sub(1).ok_or(ConfigError::EmptySteps)?;
    for (index, step) in steps.iter().enumerate() {
        let percentage_field = fields::step_percentage(index);
        let bake_field = fields::step_bake_seconds(index);
        if step.percentage == 100 {
            if index != last_index {
                return Err(ConfigError::FullTrafficBeforeLastStep {
                    field: percentage_field,
                });
            }
            if step.bake_seconds != 0 {
                return Err(ConfigError::FinalStepBakes {
                    field: bake_field,
                    bake_seconds: step.bake_seconds,
                });
            }
        } else {
            check_percentage(&percentage_field, step.percentage)?;
            check_bake(&bake_field, step.bake_seconds.into(), BakeUnit::Seconds)?;
        }
        if let Some(previous) = index.checked_sub(1).map(|before| steps[before].percentage) {
            if step.percentage <= previous {
                return Err(ConfigError::NotIncreasing {
                    field: percentage_field,
                    value: step.percentage,
                    previous,
                });
            }
        }
    }
    Ok(())
}

fn check_percentage(field: &str, value: u8) -> Result<(), ConfigError> {
    if (1..=99).contains(&value) {
        return Ok(());
    }
    Err(ConfigError::PercentageOutOfRange {
        field: field.to_owned(),
        value: value.into(),
    })
}

fn check_bake(field: &str, amount: u64, unit: BakeUnit) -> Result<(), ConfigError> {
    if amount == 0 {
        return Err(ConfigError::IntervalNotPositive {
            field: field.to_owned(),
            value: 0,
            minimum: unit.minimum(),
        });
    }
    let bake = unit.duration(amount);
    if bake > MAX_BAKE {
        return Err(ConfigError::BakeTooLong {
            field: field.to_owned(),
            bake,
            limit: MAX_BAKE,
        });
    }
    Ok(())
}
