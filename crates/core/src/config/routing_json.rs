//! `trafficRoutingConfig` in CodeDeploy's JSON shape, extended with gradual's `Steps` type.
//! Numbers are read wide so an out-of-range value gets an error naming its field instead of
//! serde's bare "invalid value"; the range rules themselves live in `validate`.

use super::error::ConfigError;
use super::fields;
use super::validate::{BakeUnit, MAX_BAKE};
use super::{ExplicitStep, TrafficRouting};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrafficRoutingJson {
    #[serde(rename = "type")]
    routing_type: RoutingType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_based_canary: Option<TimeBasedCanaryJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_based_linear: Option<TimeBasedLinearJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    steps: Option<Vec<StepJson>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum RoutingType {
    TimeBasedCanary,
    TimeBasedLinear,
    AllAtOnce,
    Steps,
}

impl RoutingType {
    fn as_str(self) -> &'static str {
        match self {
            RoutingType::TimeBasedCanary => "TimeBasedCanary",
            RoutingType::TimeBasedLinear => "TimeBasedLinear",
            RoutingType::AllAtOnce => "AllAtOnce",
            RoutingType::Steps => "Steps",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TimeBasedCanaryJson {
    canary_percentage: i64,
    canary_interval: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TimeBasedLinearJson {
    linear_percentage: i64,
    linear_interval: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StepJson {
    percentage: i64,
    /// Optional so the final 100 % step can be written without one.
    #[serde(default)]
    bake_seconds: i64,
}

impl TryFrom<TrafficRoutingJson> for TrafficRouting {
    type Error = ConfigError;

    fn try_from(json: TrafficRoutingJson) -> Result<Self, Self::Error> {
        let routing_type = json.routing_type;
        let given = [
            (
                fields::CANARY,
                RoutingType::TimeBasedCanary,
                json.time_based_canary.is_some(),
            ),
            (
                fields::LINEAR,
                RoutingType::TimeBasedLinear,
                json.time_based_linear.is_some(),
            ),
            (fields::STEPS, RoutingType::Steps, json.steps.is_some()),
        ];
        if let Some((field, _, _)) = given
            .iter()
            .find(|(_, owner, present)| *present && *owner != routing_type)
        {
            return Err(ConfigError::UnexpectedRoutingDetail {
                field,
                routing_type: routing_type.as_str(),
            });
        }
        let missing = |field| ConfigError::MissingRoutingDetail {
            field,
            routing_type: routing_type.as_str(),
        };
        match routing_type {
            RoutingType::AllAtOnce => Ok(TrafficRouting::AllAtOnce),
            RoutingType::TimeBasedCanary => {
                let canary = json
                    .time_based_canary
                    .ok_or_else(|| missing(fields::CANARY))?;
                Ok(TrafficRouting::TimeBasedCanary {
                    canary_percentage: percentage(
                        fields::CANARY_PERCENTAGE,
                        canary.canary_percentage,
                    )?,
                    canary_interval_minutes: interval(
                        fields::CANARY_INTERVAL,
                        canary.canary_interval,
                        BakeUnit::Minutes,
                    )?,
                })
            }
            RoutingType::TimeBasedLinear => {
                let linear = json
                    .time_based_linear
                    .ok_or_else(|| missing(fields::LINEAR))?;
                Ok(TrafficRouting::TimeBasedLinear {
                    linear_percentage: percentage(
                        fields::LINEAR_PERCENTAGE,
                        linear.linear_percentage,
                    )?,
                    linear_interval_minutes: interval(
                        fields::LINEAR_INTERVAL,
                        linear.linear_interval,
                        BakeUnit::Minutes,
                    )?,
                })
            }
            RoutingType::Steps => {
                let steps = json.steps.ok_or_else(|| missing(fields::STEPS))?;
                let steps = steps
                    .into_iter()
                    .enumerate()
                    .map(|(index, step)| {
                        Ok(ExplicitStep {
                            percentage: percentage(
                                &fields::step_percentage(index),
                                step.percentage,
                            )?,
                            bake_seconds: interval(
                                &fields::step_bake_seconds(index),
                                step.bake_seconds,
                                BakeUnit::Seconds,
                            )?,
                        })
                    })
                    .collect::<Result<_, ConfigError>>()?;
                Ok(TrafficRouting::Steps(steps))
            }
        }
    }
}

impl From<TrafficRouting> for TrafficRoutingJson {
    fn from(routing: TrafficRouting) -> Self {
        let mut json = TrafficRoutingJson {
            routing_type: RoutingType::AllAtOnce,
            time_based_canary: None,
            time_based_linear: None,
            steps: None,
        };
        match routing {
            TrafficRouting::AllAtOnce => {}
            TrafficRouting::TimeBasedCanary {
                canary_percentage,
                canary_interval_minutes,
            } => {
                json.routing_type = RoutingType::TimeBasedCanary;
                json.time_based_canary = Some(TimeBasedCanaryJson {
                    canary_percentage: canary_percentage.into(),
                    canary_interval: canary_interval_minutes.into(),
                });
            }
            TrafficRouting::TimeBasedLinear {
                linear_percentage,
                linear_interval_minutes,
            } => {
                json.routing_type = RoutingType::TimeBasedLinear;
                json.time_based_linear = Some(TimeBasedLinearJson {
                    linear_percentage: linear_percentage.into(),
                    linear_interval: linear_interval_minutes.into(),
                });
            }
            TrafficRouting::Steps(steps) => {
                json.routing_type = RoutingType::Steps;
                json.steps = Some(
                    steps
                        .into_iter()
                        .map(|step| StepJson {
                            percentage: step.percentage.into(),
                            bake_seconds: step.bake_seconds.into(),
                        })
                        .collect(),
                );
            }
        }
        json
    }
}

fn percentage(field: &str, value: i64) -> Result<u8, ConfigError> {
    u8::try_from(value).map_err(|_| ConfigError::PercentageOutOfRange {
        field: field.to_owned(),
        value,
    })
}

fn interval(field: &str, value: i64, unit: BakeUnit) -> Result<u32, ConfigError> {
    u32::try_from(value).map_err(|_| match u64::try_from(value) {
        Ok(amount) => ConfigError::BakeTooLong {
            field: field.to_owned(),
            bake: unit.duration(amount),
            limit: MAX_BAKE,
        },
        Err(_) => ConfigError::IntervalNotPositive {
            field: field.to_owned(),
            value,
            minimum: unit.minimum(),
        },
    })
}
