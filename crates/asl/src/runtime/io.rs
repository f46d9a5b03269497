//! Input and output processing: InputPath, Parameters, ResultSelector, ResultPath and
//! OutputPath, in the order the States Language applies them.

use serde_json::{Map, Value};

use crate::definition::{DataPath, ResultHandling, ResultPath};
use crate::error::{names, StatesError};
use crate::template::Template;

/// InputPath: the part of the raw input a state works on (an empty object for null).
pub fn input_path(path: &DataPath, raw: &Value, context: &Value) -> Result<Value, StatesError> {
    select(path, raw, context, "InputPath")
}

/// OutputPath: the part of the result-merged input passed on (an empty object for null).
pub fn output_path(path: &DataPath, value: Value, context: &Value) -> Result<Value, StatesError> {
    match path {
        DataPath::Path(path) if path.is_whole_input() => Ok(value),
        _ => select(path, &value, context, "OutputPath"),
    }
}

fn select(
    path: &DataPath,
    value: &Value,
    context: &Value,
    field: &str,
) -> Result<Value, StatesError> {
    match path {
        DataPath::Discard => Ok(Value::Object(Map::new())),
        DataPath::Path(path) => path.read(value, context).map_err(|miss| {
            StatesError::runtime(format!("Invalid path '{}' in {field}: {miss}", miss.path))
        }),
    }
}

/// Parameters (or ItemSelector): the payload built from the effective input, or the
/// effective input itself when there is no template. A `.$` path that selects nothing is a
/// States.Runtime error, as in Step Functions.
pub fn parameters(
    template: Option<&Template>,
    effective: Value,
    context: &Value,
) -> Result<Value, StatesError> {
    match template {
        Some(template) => template.render(&effective, context),
        None => Ok(effective),
    }
}

/// ResultSelector then ResultPath: shapes `result` and places it into the raw input. A `.$`
/// path of ResultSelector that selects nothing is a States.Runtime error.
pub fn place_result(
    handling: &ResultHandling,
    raw: Value,
    result: Value,
    context: &Value,
) -> Result<Value, StatesError> {
    let result = match &handling.selector {
        Some(selector) => selector.render(&result, context)?,
        None => result,
    };
    result_path(&handling.path, raw, result)
}

/// ResultPath: the result alone (`$`), the input with the result placed into it, or the
/// input unchanged (null). A ResultPath that cannot be applied is States.ResultPathMatchFailure,
/// which Retry and Catch handle like any other error.
pub fn result_path(path: &ResultPath, raw: Value, result: Value) -> Result<Value, StatesError> {
    match path {
        ResultPath::Discard => Ok(raw),
        ResultPath::Path(path) => path
            .write(raw, result)
            .map_err(|miss| StatesError::new(names::RESULT_PATH_MATCH_FAILURE, miss.to_string())),
    }
}
