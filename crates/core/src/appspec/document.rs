//! Reads AppSpec text, YAML or JSON, into one tree (`serde_json::Value`) that the rest of the
//! parser walks, so both formats give the same paths and messages.

use super::path::{AppSpecError, FieldPath};
use super::strict_json;
use serde_json::{Map, Number, Value};
use serde_yaml::Value as Yaml;

/// Parses `text` as JSON when it opens with `{` (as CodeDeploy decides), as YAML otherwise.
pub(crate) fn read(text: &str) -> Result<Value, AppSpecError> {
    let root = FieldPath::root();
    // Editors on Windows like to open files with a byte-order mark; neither parser accepts it.
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(root.error("the document is empty"));
    }
    if text.trim_start().starts_with('{') {
        strict_json::from_str(text).map_err(|error| root.error(format!("not valid JSON: {error}")))
    } else {
        let not_yaml = |error| root.error(format!("not valid YAML: {}", yaml_error(error)));
        let mut yaml: Yaml = serde_yaml::from_str(text).map_err(not_yaml)?;
        yaml.apply_merge().map_err(not_yaml)?;
        from_yaml(&yaml, &root)
    }
}

/// The parser's message, with the position it knows even where its message leaves it out
/// (as for a tab at the start of the document).
fn yaml_error(error: serde_yaml::Error) -> String {
    let message = error.to_string();
    match error.location() {
        Some(at) if !message.contains(" at line ") => {
            format!("{message} at line {} column {}", at.line(), at.column())
        }
        _ => message,
    }
}

fn from_yaml(yaml: &Yaml, path: &FieldPath) -> Result<Value, AppSpecError> {
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(flag) => Value::Bool(*flag),
        Yaml::Number(number) => Value::Number(from_yaml_number(number, path)?),
        Yaml::String(text) => Value::String(text.clone()),
        Yaml::Sequence(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| from_yaml(item, &path.index(index)))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(entries) => {
            let mut map = Map::new();
            for (key, value) in entries {
                let key = yaml_key(key, path)?;
                let value = from_yaml(value, &path.key(&key))?;
                map.insert(key, value);
            }
            Value::Object(map)
        }
        Yaml::Tagged(tagged) => {
            return Err(path.error(format!(
                "YAML tags such as {} are not supported in an AppSpec",
                tagged.tag
            )))
        }
    })
}

fn from_yaml_number(number: &serde_yaml::Number, path: &FieldPath) -> Result<Number, AppSpecError> {
    if let Some(unsigned) = number.as_u64() {
        return Ok(unsigned.into());
    }
    if let Some(signed) = number.as_i64() {
        return Ok(signed.into());
    }
    number
        .as_f64()
        .and_then(Number::from_f64)
        .ok_or_else(|| path.error(format!("{number} is not a finite number")))
}

/// Scalar keys keep their text (`80: x` has the key "80"); others have no place in an AppSpec.
fn yaml_key(key: &Yaml, path: &FieldPath) -> Result<String, AppSpecError> {
    match key {
        Yaml::String(text) => Ok(text.clone()),
        Yaml::Number(number) => Ok(number.to_string()),
        Yaml::Bool(flag) => Ok(flag.to_string()),
        _ => Err(path.error("map keys must be plain names")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_and_json_read_to_the_same_tree() {
        let yaml = read("version: 0.0\nHooks:\n  - A: b\n").unwrap();
        let json = read(r#" {"version": 0.0, "Hooks": [{"A": "b"}]}"#).unwrap();
        assert_eq!(yaml, json);
        assert_eq!(yaml, json!({"version": 0.0, "Hooks": [{"A": "b"}]}));
    }

    #[test]
    fn merge_keys_are_applied() {
        let tree = read("base: &base\n  a: 1\nchild:\n  <<: *base\n  b: 2\n").unwrap();
        assert_eq!(tree["child"], json!({"a": 1, "b": 2}));
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        assert_eq!(read("\u{feff}a: 1").unwrap(), json!({"a": 1}));
    }

    #[test]
    fn tags_are_refused_at_their_field() {
        let error = read("Resources:\n  - fn: !Ref Thing\n").unwrap_err();
        assert_eq!(error.path, "Resources[0].fn");
        assert_eq!(
            error.message,
            "YAML tags such as !Ref are not supported in an AppSpec"
        );
    }

    #[test]
    fn yaml_errors_always_carry_the_position() {
        let error = read("\tversion: 0.0").unwrap_err();
        assert_eq!(
            error.message,
            "not valid YAML: found character that cannot start any token, while scanning for the next token at line 1 column 1"
        );
    }

    #[test]
    fn duplicate_keys_are_refused_in_both_formats() {
        let yaml = read("a:\n  x: 1\n  x: 2\n").unwrap_err();
        assert_eq!(
            yaml.message,
            "not valid YAML: a: duplicate entry with key \"x\" at line 2 column 3"
        );
        let json = read("{\"x\": 1, \"x\": 2}").unwrap_err();
        assert_eq!(
            json.message,
            "not valid JSON: duplicate key \"x\" at line 1 column 12"
        );
    }

    #[test]
    fn blank_text_is_an_empty_document() {
        assert_eq!(
            read(" \n\t").unwrap_err().to_string(),
            "(root): the document is empty"
        );
    }

    #[test]
    fn json_errors_carry_the_position() {
        let error = read("{\n  \"version\": 0.0,\n}").unwrap_err();
        assert_eq!(error.path, "(root)");
        assert!(
            error.message.starts_with("not valid JSON: ") && error.message.contains("line 3"),
            "{}",
            error.message
        );
    }
}
