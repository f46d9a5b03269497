//! Choice Rules: comparisons of a Variable against a value or another path, combined
//! with And, Or and Not.

use serde_json::Value;
use time::OffsetDateTime;

use super::fields::Fields;
use crate::error::LoadError;
use crate::path::Path;
use crate::timestamp;

#[derive(Debug)]
pub enum ChoiceRule {
    And(Vec<ChoiceRule>),
    Or(Vec<ChoiceRule>),
    Not(Box<ChoiceRule>),
    Compare(Comparison),
}

#[derive(Debug)]
pub struct Comparison {
    pub variable: Path,
    pub operator: Operator,
    pub operand: Operand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    String(Order),
    StringMatches,
    Numeric(Order),
    BooleanEquals,
    Timestamp(Order),
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Equals,
    LessThan,
    GreaterThan,
    LessThanEquals,
    GreaterThanEquals,
}

/// What the Variable is compared with.
#[derive(Debug)]
pub enum Operand {
    /// A literal of the operator's type (for Is* operators, the expected truth).
    Value(Value),
    /// A timestamp literal, parsed.
    Timestamp(OffsetDateTime),
    /// The value at another path (the `…Path` operators).
    Path(Path),
}

impl Order {
    fn named(name: &str) -> Option<Order> {
        Some(match name {
            "Equals" => Order::Equals,
            "LessThan" => Order::LessThan,
            "GreaterThan" => Order::GreaterThan,
            "LessThanEquals" => Order::LessThanEquals,
            "GreaterThanEquals" => Order::GreaterThanEquals,
            _ => return None,
        })
    }

    /// Whether `ordering` (variable compared with operand) satisfies this order.
    pub fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Order::Equals => ordering == Equal,
            Order::LessThan => ordering == Less,
            Order::GreaterThan => ordering == Greater,
            Order::LessThanEquals => ordering != Greater,
            Order::GreaterThanEquals => ordering != Less,
        }
    }
}

impl Operator {
    /// The operator a field name denotes, and whether it is the `…Path` form.
    fn named(name: &str) -> Option<(Operator, bool)> {
        let (base, by_path) = match name.strip_suffix("Path") {
            Some(base) => (base, true),
            None => (name, false),
        };
        let operator = match base {
            "StringMatches" => Operator::StringMatches,
            "BooleanEquals" => Operator::BooleanEquals,
            "IsNull" => Operator::IsNull,
            "IsPresent" => Operator::IsPresent,
            "IsNumeric" => Operator::IsNumeric,
            "IsString" => Operator::IsString,
            "IsBoolean" => Operator::IsBoolean,
            "IsTimestamp" => Operator::IsTimestamp,
            other => {
                let (family, order): (fn(Order) -> Operator, &str) =
                    if let Some(order) = other.strip_prefix("String") {
                        (Operator::String, order)
                    } else if let Some(order) = other.strip_prefix("Numeric") {
                        (Operator::Numeric, order)
                    } else if let Some(order) = other.strip_prefix("Timestamp") {
                        (Operator::Timestamp, order)
                    } else {
                        return None;
                    };
                family(Order::named(order)?)
            }
        };
        let path_allowed = matches!(
            operator,
            Operator::String(_)
                | Operator::Numeric(_)
                | Operator::Timestamp(_)
                | Operator::BooleanEquals
        );
        (!by_path || path_allowed).then_some((operator, by_path))
    }

    fn literal(self, value: &Value) -> Option<Operand> {
        let fits = match self {
            Operator::String(_) | Operator::StringMatches => value.is_string(),
            Operator::Numeric(_) => value.is_number(),
            Operator::Timestamp(_) => {
                return value
                    .as_str()
                    .and_then(timestamp::parse)
                    .map(Operand::Timestamp)
            }
            _ => value.is_boolean(),
        };
        fits.then(|| Operand::Value(value.clone()))
    }

    fn expected(self) -> &'static str {
        match self {
            Operator::String(_) | Operator::StringMatches => "a string",
            Operator::Numeric(_) => "a number",
            Operator::Timestamp(_) => "a timestamp such as 2016-03-14T01:59:00Z",
            _ => "true or false",
        }
    }
}

/// Reads a rule at `at`; top-level rules carry the Next field and return it.
pub fn rule(
    value: &Value,
    at: &str,
    top_level: bool,
) -> Result<(ChoiceRule, Option<String>), LoadError> {
    let mut fields = Fields::of(value, at)?;
    fields.optional("Comment");
    let next = if top_level {
        Some(fields.required_string("Next")?.to_owned())
    } else {
        None
    };
    let combinators = ["And", "Or", "Not"]
        .into_iter()
        .filter(|name| fields.has(name))
        .collect::<Vec<_>>();
    let operators = value
        .as_object()
        .into_iter()
        .flat_map(|object| object.keys())
        .filter_map(|key| Operator::named(key).map(|found| (key.as_str(), found)))
        .collect::<Vec<_>>();
    if combinators.len() + operators.len() != 1 {
        return Err(LoadError::InvalidValue {
            at: at.to_owned(),
            problem: "a Choice Rule needs exactly one comparison operator, And, Or or Not"
                .to_owned(),
        });
    }
    let rule = if let Some(combinator) = combinators.first() {
        let nested = fields.required(combinator)?;
        let nested_at = fields.at_field(combinator);
        match *combinator {
            "Not" => ChoiceRule::Not(Box::new(rule(nested, &nested_at, false)?.0)),
            _ => {
                let rules = nested
                    .as_array()
                    .filter(|rules| !rules.is_empty())
                    .ok_or_else(|| {
                        fields.invalid(combinator, "expected a non-empty array of Choice Rules")
                    })?
                    .iter()
                    .enumerate()
                    .map(|(i, item)| rule(item, &format!("{nested_at}[{i}]"), false).map(|r| r.0))
                    .collect::<Result<Vec<_>, _>>()?;
                if *combinator == "And" {
                    ChoiceRule::And(rules)
                } else {
                    ChoiceRule::Or(rules)
                }
            }
        }
    } else {
        let (name, (operator, by_path)) = operators[0];
        let variable = fields
            .path("Variable", false)?
            .ok_or_else(|| LoadError::MissingField {
                at: at.to_owned(),
                field: "Variable".to_owned(),
            })?;
        let operand = if by_path {
            Operand::Path(
                fields
                    .path(name, false)?
                    .expect("the operator field is present"),
            )
        } else {
            let literal = fields.required(name)?;
            operator
                .literal(literal)
                .ok_or_else(|| fields.invalid(name, &format!("expected {}", operator.expected())))?
        };
        ChoiceRule::Compare(Comparison {
            variable,
            operator,
            operand,
        })
    };
    fields.finish()?;
    Ok((rule, next))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn recognises_every_operator_name() {
        for family in ["String", "Numeric", "Timestamp"] {
            for order in [
                "Equals",
                "LessThan",
                "GreaterThan",
                "LessThanEquals",
                "GreaterThanEquals",
            ] {
                assert!(Operator::named(&format!("{family}{order}")).is_some());
                assert_eq!(
                    Operator::named(&format!("{family}{order}Path")).map(|o| o.1),
                    Some(true)
                );
            }
        }
        for name in [
            "BooleanEquals",
            "BooleanEqualsPath",
            "StringMatches",
            "IsNull",
            "IsPresent",
            "IsNumeric",
            "IsString",
            "IsBoolean",
            "IsTimestamp",
        ] {
            assert!(Operator::named(name).is_some(), "{name}");
        }
        for name in [
            "StringMatchesPath",
            "IsNullPath",
            "NumericEqual",
            "Variable",
            "Next",
        ] {
            assert!(Operator::named(name).is_none(), "{name}");
        }
    }

    #[test]
    fn refuses_rules_with_wrong_literals_or_two_operators() {
        let wrong_type = json!({"Variable": "$.a", "NumericEquals": "1", "Next": "X"});
        assert!(rule(&wrong_type, "States.C.Choices[0]", true).is_err());
        let two = json!({"Variable": "$.a", "NumericEquals": 1, "IsNull": true, "Next": "X"});
        assert!(rule(&two, "States.C.Choices[0]", true).is_err());
        let nested_next =
            json!({"Not": {"Variable": "$.a", "IsNull": true, "Next": "X"}, "Next": "Y"});
        assert!(rule(&nested_next, "States.C.Choices[0]", true).is_err());
        let bad_time = json!({"Variable": "$.a", "TimestampEquals": "tomorrow", "Next": "X"});
        assert!(rule(&bad_time, "States.C.Choices[0]", true).is_err());
    }
}
