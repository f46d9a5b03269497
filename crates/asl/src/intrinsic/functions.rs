//! What each intrinsic function computes. A bad argument at run time is a
//! States.IntrinsicFailure; an argument path that selects nothing is States.Runtime.

use rand::Rng;
use serde_json::{Map, Value};

use super::{Arg, Call, Intrinsic, Literal};
use crate::error::{names, StatesError};
use crate::path::Root;

pub fn evaluate(call: &Call, input: &Value, context: &Value) -> Result<Value, StatesError> {
    let args = call
        .args
        .iter()
        .map(|arg| argument(arg, input, context))
        .collect::<Result<Vec<_>, _>>()?;
    let name = call.function.name();
    match call.function {
        Intrinsic::Format => format(name, &call.args[0], &args),
        Intrinsic::StringToJson => {
            let text = string(name, &args[0])?;
            serde_json::from_str(text)
                .map_err(|e| failure(name, &format!("'{text}' is not JSON text: {e}")))
        }
        Intrinsic::JsonToString => Ok(Value::String(args[0].to_string())),
        Intrinsic::Array => Ok(Value::Array(args)),
        Intrinsic::ArrayGetItem => {
            let items = array(name, &args[0])?;
            let index = integer(name, &args[1])?;
            usize::try_from(index)
                .ok()
                .and_then(|i| items.get(i))
                .cloned()
                .ok_or_else(|| {
                    failure(
                        name,
                        &format!(
                            "index {index} is out of bounds of an array of {}",
                            items.len()
                        ),
                    )
                })
        }
        Intrinsic::ArrayLength => Ok(Value::from(array(name, &args[0])?.len())),
        Intrinsic::ArrayContains => Ok(Value::Bool(array(name, &args[0])?.contains(&args[1]))),
        Intrinsic::MathAdd => {
            let sum = rounded(name, &args[0])?
                .checked_add(rounded(name, &args[1])?)
                .ok_or_else(|| failure(name, "the sum overflows"))?;
            Ok(Value::from(sum))
        }
        Intrinsic::JsonMerge => merge(name, &args),
        Intrinsic::Uuid => Ok(Value::String(uuid_v4())),
        Intrinsic::StringSplit => {
            let text = string(name, &args[0])?;
            let delimiters = string(name, &args[1])?;
            if delimiters.is_empty() {
                return Err(failure(name, "the delimiter string is empty"));
            }
            Ok(Value::Array(
                text.split(|c| delimiters.contains(c))
                    .filter(|piece| !piece.is_empty())
                    .map(|piece| Value::String(piece.to_owned()))
                    .collect(),
            ))
        }
    }
}

fn argument(arg: &Arg, input: &Value, context: &Value) -> Result<Value, StatesError> {
    Ok(match arg {
        Arg::Text(literal) => Value::String(literal.text.clone()),
        Arg::Number(number) => Value::Number(number.clone()),
        Arg::Boolean(flag) => Value::Bool(*flag),
        Arg::Null => Value::Null,
        // Step Functions reports an argument path that selects nothing as States.Runtime,
        // which no Retry or Catch handles, not as States.IntrinsicFailure.
        Arg::Path(path) => path.read(input, context).map_err(|miss| {
            let searched = match path.root() {
                Root::Context => context,
                Root::Input => input,
            };
            StatesError::runtime(format!(
                "The JsonPath argument for the field '{}' could not be found in the input '{searched}'",
                miss.path
            ))
        })?,
        Arg::Call(call) => evaluate(call, input, context)?,
    })
}

/// Fills each `{}` of the template with the next argument. A quoted template's escaped
/// braces are not placeholders; a template read from a path has no escapes.
fn format(name: &str, template: &Arg, args: &[Value]) -> Result<Value, StatesError> {
    let text = string(name, &args[0])?;
    let placeholders = match template {
        Arg::Text(Literal { placeholders, .. }) => placeholders.clone(),
        _ => text.match_indices("{}").map(|(at, _)| at).collect(),
    };
    let values = &args[1..];
    if placeholders.len() != values.len() {
        return Err(failure(
            name,
            &format!(
                "the template has {} placeholder(s) but {} value(s) were given",
                placeholders.len(),
                values.len()
            ),
        ));
    }
    let mut formatted = String::new();
    let mut copied = 0;
    for (at, value) in placeholders.iter().zip(values) {
        formatted.push_str(&text[copied..*at]);
        match value {
            Value::String(s) => formatted.push_str(s),
            Value::Array(_) | Value::Object(_) => {
                return Err(failure(
                    name,
                    "only strings, numbers, booleans and null can be formatted",
                ))
            }
            scalar => formatted.push_str(&scalar.to_string()),
        }
        copied = at + 2;
    }
    formatted.push_str(&text[copied..]);
    Ok(Value::String(formatted))
}

fn merge(name: &str, args: &[Value]) -> Result<Value, StatesError> {
    if args[2] != Value::Bool(false) {
        return Err(failure(
            name,
            "only shallow merging is supported: the third argument must be false",
        ));
    }
    let mut merged: Map<String, Value> = object(name, &args[0])?.clone();
    merged.extend(object(name, &args[1])?.clone());
    Ok(Value::Object(merged))
}

fn string<'a>(name: &str, value: &'a Value) -> Result<&'a str, StatesError> {
    value
        .as_str()
        .ok_or_else(|| failure(name, &format!("expected a string, got {value}")))
}

fn array<'a>(name: &str, value: &'a Value) -> Result<&'a Vec<Value>, StatesError> {
    value
        .as_array()
        .ok_or_else(|| failure(name, &format!("expected an array, got {value}")))
}

fn object<'a>(name: &str, value: &'a Value) -> Result<&'a Map<String, Value>, StatesError> {
    value
        .as_object()
        .ok_or_else(|| failure(name, &format!("expected an object, got {value}")))
}

fn integer(name: &str, value: &Value) -> Result<i64, StatesError> {
    value
        .as_i64()
        .ok_or_else(|| failure(name, &format!("expected an integer, got {value}")))
}

/// States.MathAdd rounds its arguments to the nearest integer, halves upwards.
fn rounded(name: &str, value: &Value) -> Result<i64, StatesError> {
    if let Some(whole) = value.as_i64() {
        return Ok(whole);
    }
    let number = value
        .as_f64()
        .ok_or_else(|| failure(name, &format!("expected a number, got {value}")))?;
    let rounded = (number + 0.5).floor();
    if rounded.abs() > i64::MAX as f64 {
        return Err(failure(name, &format!("{number} is too large")));
    }
    Ok(rounded as i64)
}

fn failure(name: &str, problem: &str) -> StatesError {
    StatesError::new(names::INTRINSIC_FAILURE, format!("{name}: {problem}"))
}

/// A random (version 4) UUID in its usual textual form.
fn uuid_v4() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
