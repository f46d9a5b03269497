//! Typed access to the fields of the document tree, each failure naming the field's path.

use super::path::{AppSpecError, FieldPath};
use super::suggest;
use serde_json::{Map, Value};

/// The entries of a map whose keys are all known.
#[derive(Debug)]
pub(crate) struct Fields<'a> {
    map: &'a Map<String, Value>,
    path: FieldPath,
}

impl<'a> Fields<'a> {
    /// The map at `field`, refusing any key outside `known` so that typos do not pass silently.
    pub(crate) fn new(field: &Field<'a>, known: &[&str]) -> Result<Fields<'a>, AppSpecError> {
        let Value::Object(map) = field.value else {
            return Err(field.mismatch(&format!("a map with the keys {}", known.join(", "))));
        };
        if let Some(unknown) = map.keys().find(|key| !known.contains(&key.as_str())) {
            let hint = match suggest::closest(unknown, known) {
                Some(near) => format!("did you mean {near}?"),
                None => format!("expected one of {}", known.join(", ")),
            };
            return Err(field
                .path
                .key(unknown)
                .error(format!("unknown key; {hint}")));
        }
        Ok(Fields {
            map,
            path: field.path.clone(),
        })
    }

    pub(crate) fn required(&self, key: &str) -> Result<Field<'a>, AppSpecError> {
        self.optional(key)
            .ok_or_else(|| self.path.key(key).error("missing"))
    }

    /// The field `key`, treating an explicit null (`Key:` with nothing after it) as absent.
    pub(crate) fn optional(&self, key: &str) -> Option<Field<'a>> {
        self.map
            .get(key)
            .filter(|value| !value.is_null())
            .map(|value| Field {
                value,
                path: self.path.key(key),
            })
    }
}

/// One value of the document and where it sits.
#[derive(Debug, Clone)]
pub(crate) struct Field<'a> {
    pub(crate) value: &'a Value,
    pub(crate) path: FieldPath,
}

impl<'a> Field<'a> {
    pub(crate) fn root(value: &'a Value) -> Field<'a> {
        Field {
            value,
            path: FieldPath::root(),
        }
    }

    /// An error saying this field should have been `expected`.
    pub(crate) fn mismatch(&self, expected: &str) -> AppSpecError {
        self.path
            .error(format!("must be {expected}, got {}", describe(self.value)))
    }

    pub(crate) fn non_empty_text(&self) -> Result<&'a str, AppSpecError> {
        match self.value {
            Value::String(text) if text.trim().is_empty() => {
                Err(self.path.error("must not be empty"))
            }
            Value::String(text) => Ok(text),
            _ => Err(self.mismatch("a string")),
        }
    }

    /// A positive integer written as a number (`2`) or as a string (`"2"`).
    pub(crate) fn positive_integer(&self) -> Result<u64, AppSpecError> {
        let parsed = match self.value {
            Value::Number(number) => number.as_u64(),
            Value::String(text) if text.bytes().all(|byte| byte.is_ascii_digit()) => {
                text.parse().ok()
            }
            _ => None,
        };
        parsed
            .filter(|number| *number > 0)
            .ok_or_else(|| self.mismatch("a positive integer"))
    }

    /// The items of a list, each with its path; an explicit null reads as an empty list.
    pub(crate) fn items(&self, what: &str) -> Result<Vec<Field<'a>>, AppSpecError> {
        match self.value {
            Value::Null => Ok(Vec::new()),
            Value::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(index, value)| Field {
                    value,
                    path: self.path.index(index),
                })
                .collect()),
            _ => Err(self.mismatch(&format!("a list of {what}"))),
        }
    }

    /// The one entry of a single-key map such as `- BeforeAllowTraffic: fn`, whose shape is
    /// described by `shape` in the error.
    pub(crate) fn single_entry(&self, shape: &str) -> Result<(&'a str, Field<'a>), AppSpecError> {
        let expected = format!("a map with a single key ({shape})");
        let Value::Object(map) = self.value else {
            return Err(self.mismatch(&expected));
        };
        let mut entries = map.iter();
        match (entries.next(), entries.next()) {
            (Some((key, _)), None) if key.trim().is_empty() => {
                Err(self.path.error("the key must not be empty"))
            }
            (Some((key, value)), None) => Ok((
                key,
                Field {
                    value,
                    path: self.path.key(key),
                },
            )),
            _ => Err(self
                .path
                .error(format!("must be {expected}, got {} keys", map.len()))),
        }
    }
}

/// A short rendering of a value for error messages: scalars as written, containers by kind.
pub(crate) fn describe(value: &Value) -> String {
    const LONGEST: usize = 60;
    match value {
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a map".to_owned(),
        Value::String(text) if text.chars().count() > LONGEST => {
            let start: String = text.chars().take(LONGEST).collect();
            format!("{}…", Value::String(start))
        }
        scalar => scalar.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(value: &Value) -> Field<'_> {
        Field {
            value,
            path: FieldPath::root().key("X"),
        }
    }

    #[test]
    fn positive_integers_come_as_numbers_or_digit_strings() {
        assert_eq!(field(&json!(3)).positive_integer(), Ok(3));
        assert_eq!(field(&json!("12")).positive_integer(), Ok(12));
        for bad in [
            json!(0),
            json!("0"),
            json!(-1),
            json!(1.5),
            json!("+2"),
            json!(""),
        ] {
            let error = field(&bad).positive_integer().unwrap_err();
            assert_eq!(
                error.message,
                format!("must be a positive integer, got {}", describe(&bad))
            );
        }
    }

    #[test]
    fn long_strings_are_shortened_in_messages() {
        let long = Value::String("x".repeat(100));
        assert_eq!(describe(&long), format!("\"{}\"…", "x".repeat(60)));
        assert_eq!(describe(&json!({"a": 1})), "a map");
        assert_eq!(describe(&json!(null)), "null");
    }

    #[test]
    fn unknown_keys_are_named_with_a_suggestion() {
        let value = json!({"Name": "f", "Alais": "live"});
        let error = Fields::new(&field(&value), &["Name", "Alias"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "X.Alais: unknown key; did you mean Alias?"
        );
    }

    #[test]
    fn null_fields_count_as_absent() {
        let value = json!({"Name": null});
        let fields = Fields::new(&field(&value), &["Name"]).unwrap();
        assert!(fields.optional("Name").is_none());
        assert_eq!(
            fields.required("Name").unwrap_err().to_string(),
            "X.Name: missing"
        );
    }

    #[test]
    fn single_entry_maps_reject_extra_keys() {
        let value = json!({"A": 1, "B": 2});
        let error = field(&value).single_entry("Event: Function").unwrap_err();
        assert_eq!(
            error.message,
            "must be a map with a single key (Event: Function), got 2 keys"
        );
    }
}
