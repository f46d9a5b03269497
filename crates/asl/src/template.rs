//! Payload templates (`Parameters`, `ResultSelector`, `ItemSelector`): JSON in which every
//! field whose name ends in `.$` is replaced, under the name without `.$`, by what its value
//! (a path or an intrinsic function call) yields.

use serde_json::{Map, Value};

use super::error::{LoadError, StatesError};
use super::intrinsic::{self, Call, ParseError};
use super::path::{Path, Root};

/// A path or an intrinsic call, as found in a `.$` field.
#[derive(Debug, Clone, PartialEq)]
pub enum Dynamic {
    Path(Path),
    Call(Call),
}

impl Dynamic {
    /// Reads a `.$` value found at `at` in the definition.
    pub fn compile(text: &str, at: &str) -> Result<Dynamic, LoadError> {
        if text.starts_with('$') {
            return Path::parse(text).map(Dynamic::Path).map_err(|problem| {
                LoadError::InvalidPath {
                    at: at.to_owned(),
                    path: text.to_owned(),
                    problem,
                }
            });
        }
        intrinsic::parse(text)
            .map(Dynamic::Call)
            .map_err(|error| match error {
                ParseError::Unsupported(function) => LoadError::UnsupportedIntrinsic {
                    at: at.to_owned(),
                    function,
                },
                ParseError::Invalid(problem) => LoadError::InvalidIntrinsic {
                    at: at.to_owned(),
                    call: text.to_owned(),
                    problem,
                },
            })
    }

    /// What the value of the definition's field `field` yields. A path that selects nothing
    /// is a States.Runtime error, as Step Functions reports it: retried and caught by nothing.
    pub fn evaluate(
        &self,
        input: &Value,
        context: &Value,
        field: &str,
    ) -> Result<Value, StatesError> {
        match self {
            Dynamic::Path(path) => path.read(input, context).map_err(|miss| {
                let searched = match path.root() {
                    Root::Context => context,
                    Root::Input => input,
                };
                StatesError::runtime(format!(
                    "The JSONPath '{}' specified for the field '{field}' could not be found in the input '{searched}'",
                    miss.path
                ))
            }),
            Dynamic::Call(call) => call.evaluate(input, context),
        }
    }
}

/// A compiled payload template.
#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    /// A part without any `.$` field, used as it is.
    Literal(Value),
    Object(Vec<(String, Template)>),
    Array(Vec<Template>),
    Dynamic(Dynamic),
}

impl Template {
    /// Compiles the template found at `at` in the definition.
    pub fn compile(value: &Value, at: &str) -> Result<Template, LoadError> {
        let compiled = match value {
            Value::Object(fields) => {
                let mut entries = Vec::with_capacity(fields.len());
                for (key, field) in fields {
                    let field_at = format!("{at}.{key}");
                    let entry = match key.strip_suffix(".$") {
                        Some(name) => {
                            let Value::String(text) = field else {
                                return Err(LoadError::InvalidValue {
                                    at: field_at,
                                    problem: "a field whose name ends in \".$\" must hold a path or an intrinsic function call as a string".to_owned(),
                                });
                            };
                            if fields.contains_key(name) {
                                return Err(LoadError::InvalidValue {
                                    at: field_at,
                                    problem: format!("field \"{name}\" is given twice"),
                                });
                            }
                            (
                                name.to_owned(),
                                Template::Dynamic(Dynamic::compile(text, &field_at)?),
                            )
                        }
                        None => (key.clone(), Template::compile(field, &field_at)?),
                    };
                    entries.push(entry);
                }
                Template::Object(entries)
            }
            Value::Array(items) => Template::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| Template::compile(item, &format!("{at}[{index}]")))
                    .collect::<Result<_, _>>()?,
            ),
            other => Template::Literal(other.clone()),
        };
        Ok(compiled.folded())
    }

    /// Top-level field names, `.$` removed, when the template is an object.
    pub fn field_names(&self) -> Vec<&str> {
        match self {
            Template::Object(entries) => entries.iter().map(|(name, _)| name.as_str()).collect(),
            Template::Literal(Value::Object(fields)) => fields.keys().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The value of a top-level field, when it is fixed in the definition.
    pub fn literal_field(&self, name: &str) -> Option<&Value> {
        match self {
            Template::Literal(Value::Object(fields)) => fields.get(name),
            Template::Object(entries) => entries.iter().find_map(|(key, entry)| match entry {
                Template::Literal(value) if key == name => Some(value),
                _ => None,
            }),
            _ => None,
        }
    }

    /// Builds the payload from the effective input and the context object. A `.$` path that
    /// selects nothing is a States.Runtime error (see [`Dynamic::evaluate`]).
    pub fn render(&self, input: &Value, context: &Value) -> Result<Value, StatesError> {
        self.render_field(input, context, "")
    }

    /// Renders the template found under the (renamed) field `name`.
    fn render_field(
        &self,
        input: &Value,
        context: &Value,
        name: &str,
    ) -> Result<Value, StatesError> {
        Ok(match self {
            Template::Literal(value) => value.clone(),
            Template::Dynamic(dynamic) => dynamic.evaluate(input, context, &format!("{name}.$"))?,
            Template::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| item.render_field(input, context, name))
                    .collect::<Result<_, _>>()?,
            ),
            Template::Object(entries) => {
                let mut fields = Map::with_capacity(entries.len());
                for (name, entry) in entries {
                    fields.insert(name.clone(), entry.render_field(input, context, name)?);
                }
                Value::Object(fields)
            }
        })
    }

    /// Collapses parts without any `.$` field into literals.
    fn folded(self) -> Template {
        match self {
            Template::Object(entries) if entries.iter().all(|(_, e)| e.is_literal()) => {
                Template::Literal(Value::Object(
                    entries
                        .into_iter()
                        .map(|(name, entry)| (name, entry.into_literal()))
                        .collect(),
                ))
            }
            Template::Array(items) if items.iter().all(Template::is_literal) => Template::Literal(
                Value::Array(items.into_iter().map(Template::into_literal).collect()),
            ),
            other => other,
        }
    }

    fn is_literal(&self) -> bool {
        matches!(self, Template::Literal(_))
    }

    fn into_literal(self) -> Value {
        match self {
            Template::Literal(value) => value,
            _ => Value::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::error::names;

    fn render(template: Value, input: Value) -> Result<Value, StatesError> {
        Template::compile(&template, "Parameters")
            .unwrap()
            .render(&input, &json!({"Execution": {"Name": "run-1"}}))
    }

    #[test]
    fn renders_the_spec_parameters_example() {
        let template = json!({
            "flagged": true,
            "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[-3:]"},
            "weekday.$": "$$.Execution.Name",
            "formattedOutput.$": "States.Format('Hello, {}', $.who)"
        });
        let input = json!({"flagged": 7, "vals": [0, 10, 20, 30, 40, 50], "who": "world"});
        assert_eq!(
            render(template, input),
            Ok(json!({
                "flagged": true,
                "parts": {"first": 0, "last3": [30, 40, 50]},
                "weekday": "run-1",
                "formattedOutput": "Hello, world"
            }))
        );
    }

    #[test]
    fn dynamic_fields_inside_arrays_are_rendered() {
        assert_eq!(
            render(json!({"list": [{"v.$": "$.a"}, 2]}), json!({"a": "x"})),
            Ok(json!({"list": [{"v": "x"}, 2]}))
        );
    }

    #[test]
    fn a_missing_path_is_a_runtime_error_naming_the_path_the_field_and_the_input() {
        let failure = render(json!({"outer": {"v.$": "$.missing"}}), json!({"a": 1})).unwrap_err();
        assert_eq!(failure.error, names::RUNTIME);
        assert_eq!(
            failure.cause,
            r#"The JSONPath '$.missing' specified for the field 'v.$' could not be found in the input '{"a":1}'"#
        );
        let failure = render(json!({"v.$": "$$.Nope"}), json!({})).unwrap_err();
        assert!(
            failure
                .cause
                .contains(r#"'{"Execution":{"Name":"run-1"}}'"#),
            "{}",
            failure.cause
        );
    }

    #[test]
    fn refuses_non_string_and_duplicate_dynamic_fields() {
        assert!(Template::compile(&json!({"v.$": 3}), "Parameters").is_err());
        assert!(Template::compile(&json!({"v.$": "$.a", "v": 1}), "Parameters").is_err());
        assert!(matches!(
            Template::compile(&json!({"v.$": "States.Hash($.a, 'MD5')"}), "P"),
            Err(LoadError::UnsupportedIntrinsic { .. })
        ));
    }
}
