//! `${Name}` placeholders, filled the way CloudFormation's DefinitionSubstitutions fill them:
//! as plain text, before the definition is read as JSON. `${!Text}` stands for a literal
//! `${Text}`.

use std::collections::BTreeMap;

use crate::error::LoadError;

pub fn substitute(
    definition: &str,
    substitutions: &BTreeMap<String, String>,
) -> Result<String, LoadError> {
    let mut filled = String::with_capacity(definition.len());
    let mut rest = definition;
    while let Some(start) = rest.find("${") {
        filled.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            filled.push_str(&rest[start..]);
            return Ok(filled);
        };
        let name = &after[..end];
        if let Some(literal) = name.strip_prefix('!') {
            filled.push_str("${");
            filled.push_str(literal);
            filled.push('}');
        } else {
            let value = substitutions
                .get(name)
                .ok_or_else(|| LoadError::UnknownSubstitution {
                    name: name.to_owned(),
                })?;
            filled.push_str(value);
        }
        rest = &after[end + 1..];
    }
    filled.push_str(rest);
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn fills_every_placeholder_and_keeps_escaped_ones() {
        let filled = substitute(
            r#"{"a": "${Fn}", "b": "${Fn}:${Alias}", "c": "${!Kept}"}"#,
            &map(&[("Fn", "deploy"), ("Alias", "live")]),
        );
        assert_eq!(
            filled,
            Ok(r#"{"a": "deploy", "b": "deploy:live", "c": "${Kept}"}"#.to_owned())
        );
    }

    #[test]
    fn an_unknown_placeholder_is_named() {
        assert_eq!(
            substitute(r#"{"a": "${Missing}"}"#, &map(&[])),
            Err(LoadError::UnknownSubstitution {
                name: "Missing".into()
            })
        );
    }
}
