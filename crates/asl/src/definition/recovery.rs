//! Retry and Catch: what a Task, Parallel or Map state does when it fails.

use std::time::Duration;

use serde_json::Value;

use super::fields::Fields;
use super::ResultPath;
use crate::error::{names, LoadError, StatesError};

#[derive(Debug, Clone)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    pub interval_seconds: u64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<u64>,
    pub jitter: Jitter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    None,
    /// A random delay between zero and the computed one.
    Full,
}

#[derive(Debug, Clone)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub next: String,
    pub result_path: ResultPath,
}

impl Retrier {
    pub fn matches(&self, error: &StatesError) -> bool {
        self.error_equals
            .iter()
            .any(|name| error.is_matched_by(name))
    }

    /// The delay before retry number `attempt` (0 for the first retry), jitter aside.
    pub fn delay(&self, attempt: u64) -> Duration {
        let exponent = i32::try_from(attempt).unwrap_or(i32::MAX);
        let seconds = self.interval_seconds as f64 * self.backoff_rate.powi(exponent);
        let capped = match self.max_delay_seconds {
            Some(max) => seconds.min(max as f64),
            None => seconds,
        };
        Duration::try_from_secs_f64(capped).unwrap_or(Duration::MAX)
    }
}

impl Catcher {
    pub fn matches(&self, error: &StatesError) -> bool {
        self.error_equals
            .iter()
            .any(|name| error.is_matched_by(name))
    }
}

pub fn retriers(value: &Value, at: &str) -> Result<Vec<Retrier>, LoadError> {
    each(value, at, |fields| {
        let retrier = Retrier {
            error_equals: error_equals(fields)?,
            interval_seconds: fields.integer("IntervalSeconds", 1)?.unwrap_or(1),
            max_attempts: fields.integer("MaxAttempts", 0)?.unwrap_or(3),
            backoff_rate: match fields.number("BackoffRate")? {
                Some(rate) if rate < 1.0 => {
                    return Err(fields.invalid("BackoffRate", "must be at least 1.0"))
                }
                rate => rate.unwrap_or(2.0),
            },
            max_delay_seconds: fields.integer("MaxDelaySeconds", 1)?,
            jitter: match fields.string("JitterStrategy")? {
                None | Some("NONE") => Jitter::None,
                Some("FULL") => Jitter::Full,
                Some(_) => return Err(fields.invalid("JitterStrategy", "expected FULL or NONE")),
            },
        };
        fields.optional("Comment");
        Ok(retrier)
    })
}

pub fn catchers(value: &Value, at: &str) -> Result<Vec<Catcher>, LoadError> {
    each(value, at, |fields| {
        let catcher = Catcher {
            error_equals: error_equals(fields)?,
            next: fields.required_string("Next")?.to_owned(),
            result_path: super::states::result_path(fields)?,
        };
        fields.optional("Comment");
        Ok(catcher)
    })
}

/// Reads an array of retriers or catchers; States.ALL may only close the list.
fn each<T>(
    value: &Value,
    at: &str,
    read: impl Fn(&mut Fields) -> Result<T, LoadError>,
) -> Result<Vec<T>, LoadError> {
    let items = value.as_array().ok_or_else(|| LoadError::InvalidValue {
        at: at.to_owned(),
        problem: "expected an array".to_owned(),
    })?;
    let mut read_items = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let item_at = format!("{at}[{index}]");
        let listed = item.get("ErrorEquals").and_then(Value::as_array);
        let is_catch_all = listed.is_some_and(|n| n.iter().any(|e| e == names::ALL));
        if is_catch_all && index + 1 < items.len() {
            return Err(LoadError::InvalidValue {
                at: item_at,
                problem: "States.ALL must be in the last retrier or catcher".to_owned(),
            });
        }
        let mut fields = Fields::of(item, item_at)?;
        read_items.push(read(&mut fields)?);
        fields.finish()?;
    }
    Ok(read_items)
}

fn error_equals(fields: &mut Fields) -> Result<Vec<String>, LoadError> {
    let listed = fields
        .required("ErrorEquals")?
        .as_array()
        .filter(|names| !names.is_empty())
        .ok_or_else(|| fields.invalid("ErrorEquals", "expected a non-empty array of error names"))?
        .iter()
        .map(|name| name.as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| fields.invalid("ErrorEquals", "error names must be strings"))?;
    if listed.len() > 1 && listed.iter().any(|name| name == names::ALL) {
        return Err(fields.invalid("ErrorEquals", "States.ALL must appear alone"));
    }
    Ok(listed)
}
