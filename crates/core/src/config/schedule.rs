//! The traffic schedule a deployment walks: plain data, one step per traffic shift.

use super::duration_text::short_duration;
use super::error::ScheduleError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// The share of traffic the new version receives, and how long it bakes there before the
/// next step. Serialized as `{"percent": 10, "bakeSeconds": 300}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TrafficStep {
    /// Percentage of traffic on the new version, 1–100.
    pub percent: u8,
    /// Time to wait at this percentage before the next step; zero for the final 100 %.
    #[serde(rename = "bakeSeconds", with = "whole_seconds")]
    pub bake: Duration,
}

/// The ordered traffic steps of a deployment. It always rises strictly and ends at 100 %,
/// where it does not bake. Serialized as a JSON array of [`TrafficStep`]s; deserializing
/// checks those rules again.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<TrafficStep>", into = "Vec<TrafficStep>")]
pub struct TrafficSchedule {
    steps: Vec<TrafficStep>,
}

impl TrafficSchedule {
    /// Accepts `steps` if they rise strictly from 1–99 % to a final 100 % that does not bake.
    pub fn new(steps: Vec<TrafficStep>) -> Result<Self, ScheduleError> {
        let mut previous: Option<u8> = None;
        for (index, step) in steps.iter().enumerate() {
            if !(1..=100).contains(&step.percent) {
                return Err(ScheduleError::PercentOutOfRange {
                    index,
                    percent: step.percent,
                });
            }
            if let Some(previous) = previous.filter(|&previous| step.percent <= previous) {
                return Err(ScheduleError::NotIncreasing {
                    index,
                    percent: step.percent,
                    previous,
                });
            }
            previous = Some(step.percent);
        }
        let index = steps.len().checked_sub(1).ok_or(ScheduleError::Empty)?;
        let last = steps[index];
        if last.percent != 100 {
            return Err(ScheduleError::DoesNotReachFull {
                index,
                percent: last.percent,
            });
        }
        if !last.bake.is_zero() {
            return Err(ScheduleError::FinalStepBakes {
                index,
                bake: last.bake,
            });
        }
        Ok(Self { steps })
    }

    /// The schedule that bakes at each of `shifts` in turn and then moves to 100 %.
    /// A shift outside 1–99 % or not above the one before is left out, so the result is a
    /// well-formed schedule even for a config nobody has validated yet.
    pub(super) fn through(shifts: impl IntoIterator<Item = (u8, Duration)>) -> Self {
        let mut steps: Vec<TrafficStep> = Vec::new();
        for (percent, bake) in shifts {
            let above_previous = steps.last().is_none_or(|last| percent > last.percent);
            if (1..=99).contains(&percent) && above_previous {
                steps.push(TrafficStep { percent, bake });
            }
        }
        steps.push(TrafficStep {
            percent: 100,
            bake: Duration::ZERO,
        });
        Self { steps }
    }

    /// The steps in the order they are taken; the last one is at 100 %.
    pub fn steps(&self) -> &[TrafficStep] {
        &self.steps
    }

    /// How long the deployment bakes in all, from the first shift to the last.
    pub fn total_bake(&self) -> Duration {
        self.steps.iter().map(|step| step.bake).sum()
    }
}

impl TryFrom<Vec<TrafficStep>> for TrafficSchedule {
    type Error = ScheduleError;

    fn try_from(steps: Vec<TrafficStep>) -> Result<Self, Self::Error> {
        Self::new(steps)
    }
}

impl From<TrafficSchedule> for Vec<TrafficStep> {
    fn from(schedule: TrafficSchedule) -> Self {
        schedule.steps
    }
}

impl fmt::Display for TrafficStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.percent)?;
        if !self.bake.is_zero() {
            write!(f, " for {}", short_duration(self.bake))?;
        }
        Ok(())
    }
}

/// Reads like `10% for 5m, 100%`.
impl fmt::Display for TrafficSchedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, step) in self.steps.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{step}")?;
        }
        Ok(())
    }
}

/// Bake times travel as whole seconds, the unit Step Functions' `Wait` states take.
mod whole_seconds {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(bake: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(bake.as_secs())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        u64::deserialize(deserializer).map(Duration::from_secs)
    }
}
