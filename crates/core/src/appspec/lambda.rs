//! The `AWS::Lambda::Function` resource of a Lambda AppSpec: an alias to move between versions.

use super::fields::{Field, Fields};
use super::path::AppSpecError;
use crate::target::LambdaAliasTarget;
use serde::{Deserialize, Serialize};

/// One alias whose traffic moves from `current_version` to `target_version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LambdaResource {
    /// The resource's key in the AppSpec, e.g. `myLambdaFunction`.
    pub logical_name: String,
    /// `Properties.Name`: the function's name or ARN.
    pub function_name: String,
    pub alias: String,
    /// The published version the alias serves now.
    pub current_version: u64,
    /// The published version the alias moves to.
    pub target_version: u64,
}

const PROPERTIES: &[&str] = &["Name", "Alias", "CurrentVersion", "TargetVersion"];

impl LambdaResource {
    /// Reads the `Properties` of the resource called `logical_name`.
    pub(crate) fn parse(
        logical_name: &str,
        properties: &Field<'_>,
    ) -> Result<LambdaResource, AppSpecError> {
        let fields = Fields::new(properties, PROPERTIES)?;
        let function_name = fields.required("Name")?.non_empty_text()?;
        let alias = fields.required("Alias")?.non_empty_text()?;
        let current_version = published_version(&fields.required("CurrentVersion")?)?;
        let target = fields.required("TargetVersion")?;
        let target_version = published_version(&target)?;
        if current_version == target_version {
            return Err(target.path.error(format!(
                "must differ from CurrentVersion (both are {target_version})"
            )));
        }
        Ok(LambdaResource {
            logical_name: logical_name.to_owned(),
            function_name: function_name.to_owned(),
            alias: alias.to_owned(),
            current_version,
            target_version,
        })
    }

    /// The alias as a deployment target, versions spelt as Lambda spells them.
    pub fn target(&self) -> LambdaAliasTarget {
        LambdaAliasTarget {
            function_name: self.function_name.clone(),
            alias: self.alias.clone(),
            current_version: self.current_version.to_string(),
            target_version: self.target_version.to_string(),
        }
    }
}

/// A version number; `$LATEST` gets its own message because it is the likeliest mistake.
fn published_version(field: &Field<'_>) -> Result<u64, AppSpecError> {
    match field.value.as_str() {
        Some(text) if text.eq_ignore_ascii_case("$LATEST") => Err(field.path.error(
            "must be a published version number, not $LATEST: an alias cannot route weighted traffic to $LATEST",
        )),
        _ => field.positive_integer(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(properties: serde_json::Value) -> Result<LambdaResource, AppSpecError> {
        LambdaResource::parse("fn", &Field::root(&properties))
    }

    #[test]
    fn versions_may_be_numbers_or_strings() {
        let resource = parse(json!({
            "Name": "orders", "Alias": "live", "CurrentVersion": 7, "TargetVersion": "8"
        }))
        .unwrap();
        assert_eq!((resource.current_version, resource.target_version), (7, 8));
        assert_eq!(
            resource.target(),
            LambdaAliasTarget {
                function_name: "orders".into(),
                alias: "live".into(),
                current_version: "7".into(),
                target_version: "8".into(),
            }
        );
    }

    #[test]
    fn latest_is_refused_in_either_version() {
        let error = parse(json!({
            "Name": "orders", "Alias": "live", "CurrentVersion": "$LATEST", "TargetVersion": "8"
        }))
        .unwrap_err();
        assert_eq!(error.path, "CurrentVersion");
        assert!(error.message.contains("not $LATEST"), "{}", error.message);
    }

    #[test]
    fn an_empty_alias_is_refused() {
        let error = parse(json!({
            "Name": "orders", "Alias": " ", "CurrentVersion": 1, "TargetVersion": 2
        }))
        .unwrap_err();
        assert_eq!(error.to_string(), "Alias: must not be empty");
    }
}
