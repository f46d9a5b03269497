//! Deciding Choice Rules. A comparison whose Variable has the wrong type is simply false;
//! a Variable that is not there is a States.Runtime error, except for IsPresent.

use serde_json::Value;

use crate::definition::{ChoiceBranch, ChoiceRule, Comparison, Operand, Operator};
use crate::error::StatesError;
use crate::path::Path;
use crate::timestamp;

/// The Next of the first branch whose rule holds.
pub fn choose<'c>(
    choices: &'c [ChoiceBranch],
    input: &Value,
    context: &Value,
) -> Result<Option<&'c str>, StatesError> {
    for choice in choices {
        if holds(&choice.rule, input, context)? {
            return Ok(Some(&choice.next));
        }
    }
    Ok(None)
}

fn holds(rule: &ChoiceRule, input: &Value, context: &Value) -> Result<bool, StatesError> {
    match rule {
        ChoiceRule::And(rules) => {
            for rule in rules {
                if !holds(rule, input, context)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        ChoiceRule::Or(rules) => {
            for rule in rules {
                if holds(rule, input, context)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        ChoiceRule::Not(rule) => Ok(!holds(rule, input, context)?),
        ChoiceRule::Compare(comparison) => compare(comparison, input, context),
    }
}

fn compare(comparison: &Comparison, input: &Value, context: &Value) -> Result<bool, StatesError> {
    let found = lookup(&comparison.variable, input, context);
    if comparison.operator == Operator::IsPresent {
        return Ok(found.is_some() == expected_truth(&comparison.operand));
    }
    let variable = found.ok_or_else(|| missing(&comparison.variable))?;
    let operand = match &comparison.operand {
        Operand::Path(path) => {
            Operand::Value(lookup(path, input, context).ok_or_else(|| missing(path))?)
        }
        Operand::Value(value) => Operand::Value(value.clone()),
        Operand::Timestamp(instant) => Operand::Timestamp(*instant),
    };
    let is = |test: bool| test == expected_truth(&operand);
    Ok(match comparison.operator {
        Operator::IsNull => is(variable.is_null()),
        Operator::IsNumeric => is(variable.is_number()),
        Operator::IsString => is(variable.is_string()),
        Operator::IsBoolean => is(variable.is_boolean()),
        Operator::IsTimestamp => is(variable.as_str().and_then(timestamp::parse).is_some()),
        Operator::IsPresent => unreachable!("handled above"),
        Operator::BooleanEquals => match (&variable, operand_value(&operand)) {
            (Value::Bool(a), Some(Value::Bool(b))) => a == b,
            _ => false,
        },
        Operator::StringMatches => match (&variable, operand_value(&operand)) {
            (Value::String(text), Some(Value::String(pattern))) => matches_pattern(text, pattern),
            _ => false,
        },
        Operator::String(order) => match (&variable, operand_value(&operand)) {
            (Value::String(a), Some(Value::String(b))) => order.holds(a.as_str().cmp(b.as_str())),
            _ => false,
        },
        Operator::Numeric(order) => match (
            variable.as_f64(),
            operand_value(&operand).and_then(Value::as_f64),
        ) {
            (Some(a), Some(b)) => a
                .partial_cmp(&b)
                .is_some_and(|ordering| order.holds(ordering)),
            _ => false,
        },
        Operator::Timestamp(order) => {
            let operand = match &operand {
                Operand::Timestamp(instant) => Some(*instant),
                other => operand_value(other)
                    .and_then(Value::as_str)
                    .and_then(timestamp::parse),
            };
            match (variable.as_str().and_then(timestamp::parse), operand) {
                (Some(a), Some(b)) => order.holds(a.cmp(&b)),
                _ => false,
            }
        }
    })
}

fn lookup(path: &Path, input: &Value, context: &Value) -> Option<Value> {
    if path.is_definite() {
        let start = match path.root() {
            crate::path::Root::Input => input,
            crate::path::Root::Context => context,
        };
        return path.find(start).cloned();
    }
    path.read(input, context).ok()
}

fn operand_value(operand: &Operand) -> Option<&Value> {
    match operand {
        Operand::Value(value) => Some(value),
        _ => None,
    }
}

fn expected_truth(operand: &Operand) -> bool {
    operand_value(operand)
        .and_then(Value::as_bool)
        .unwrap_or(true)
}

fn missing(path: &Path) -> StatesError {
    StatesError::runtime(format!(
        "Invalid path '{path}': the choice state's condition path references an invalid value."
    ))
}

/// StringMatches: `*` stands for any run of characters; `\*` and `\\` for themselves.
fn matches_pattern(text: &str, pattern: &str) -> bool {
    #[derive(PartialEq)]
    enum Token {
        Any,
        Char(char),
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '*' => Token::Any,
            '\\' => Token::Char(chars.next().unwrap_or('\\')),
            other => Token::Char(other),
        });
    }
    let text: Vec<char> = text.chars().collect();
    // matched[j]: the first i characters of text match the first j tokens.
    let mut matched = vec![false; tokens.len() + 1];
    matched[0] = true;
    for (j, token) in tokens.iter().enumerate() {
        if *token == Token::Any {
            matched[j + 1] = matched[j];
        }
    }
    for c in text {
        let mut next = vec![false; tokens.len() + 1];
        for (j, token) in tokens.iter().enumerate() {
            next[j + 1] = match token {
                Token::Any => next[j] || matched[j + 1],
                Token::Char(expected) => matched[j] && *expected == c,
            };
        }
        matched = next;
    }
    matched[tokens.len()]
}

#[cfg(test)]
mod tests {
    use super::matches_pattern;

    #[test]
    fn string_matches_follows_the_spec_wildcards() {
        assert!(matches_pattern("log-2024.txt", "log-*.txt"));
        assert!(matches_pattern("anything", "*"));
        assert!(matches_pattern("", "*"));
        assert!(matches_pattern("a*b", r"a\*b"));
        assert!(!matches_pattern("axb", r"a\*b"));
        assert!(matches_pattern(r"a\b", r"a\\b"));
        assert!(!matches_pattern("log.csv", "log-*.txt"));
        assert!(matches_pattern("abcabc", "*abc"));
    }
}
