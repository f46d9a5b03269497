//! Reading a JSON object of the definition field by field, remembering which fields were
//! read so that anything left over is refused with its name and place.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::error::LoadError;
use crate::path::Path;

/// Fields of the States Language (or of Step Functions) that the local executor knows but
/// does not implement; they are refused as unsupported rather than unknown.
const UNSUPPORTED: &[&str] = &[
    "Arguments",
    "Assign",
    "Credentials",
    "ItemBatcher",
    "ItemReader",
    "Items",
    "Label",
    "MaxConcurrencyPath",
    "Output",
    "ResultWriter",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
];

pub struct Fields<'a> {
    at: String,
    object: &'a Map<String, Value>,
    read: BTreeSet<&'a str>,
}

impl<'a> Fields<'a> {
    /// The object found at `at`; anything else is an error.
    pub fn of(value: &'a Value, at: impl Into<String>) -> Result<Self, LoadError> {
        let at = at.into();
        match value {
            Value::Object(object) => Ok(Self {
                at,
                object,
                read: BTreeSet::new(),
            }),
            _ => Err(LoadError::InvalidValue {
                at,
                problem: "expected a JSON object".to_owned(),
            }),
        }
    }

    /// Where this object is in the definition.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// Where one of its fields is.
    pub fn at_field(&self, name: &str) -> String {
        format!("{}.{name}", self.at)
    }

    pub fn has(&self, name: &str) -> bool {
        self.object.contains_key(name)
    }

    pub fn optional(&mut self, name: &str) -> Option<&'a Value> {
        let (key, value) = self.object.get_key_value(name)?;
        self.read.insert(key.as_str());
        Some(value)
    }

    pub fn required(&mut self, name: &str) -> Result<&'a Value, LoadError> {
        self.optional(name).ok_or_else(|| LoadError::MissingField {
            at: self.at.clone(),
            field: name.to_owned(),
        })
    }

    pub fn string(&mut self, name: &str) -> Result<Option<&'a str>, LoadError> {
        match self.optional(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(self.invalid(name, "expected a string")),
        }
    }

    pub fn required_string(&mut self, name: &str) -> Result<&'a str, LoadError> {
        self.required(name)?;
        self.string(name)?
            .ok_or_else(|| self.invalid(name, "expected a string"))
    }

    pub fn boolean(&mut self, name: &str) -> Result<Option<bool>, LoadError> {
        match self.optional(name) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(_) => Err(self.invalid(name, "expected true or false")),
        }
    }

    /// A whole number of at least `min`.
    pub fn integer(&mut self, name: &str, min: u64) -> Result<Option<u64>, LoadError> {
        match self.optional(name) {
            None => Ok(None),
            Some(value) => match value.as_u64() {
                Some(n) if n >= min => Ok(Some(n)),
                _ => Err(self.invalid(name, &format!("expected a whole number of at least {min}"))),
            },
        }
    }

    pub fn number(&mut self, name: &str) -> Result<Option<f64>, LoadError> {
        match self.optional(name) {
            None => Ok(None),
            Some(value) => value
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.invalid(name, "expected a number")),
        }
    }

    /// A path field; `reference` demands a Reference Path.
    pub fn path(&mut self, name: &str, reference: bool) -> Result<Option<Path>, LoadError> {
        let Some(text) = self.string(name)? else {
            return Ok(None);
        };
        let path = Path::parse(text).map_err(|problem| LoadError::InvalidPath {
            at: self.at_field(name),
            path: text.to_owned(),
            problem,
        })?;
        if reference && !path.is_reference() {
            return Err(LoadError::InvalidPath {
                at: self.at_field(name),
                path: text.to_owned(),
                problem: "only a Reference Path (field names and indexes from '$') is allowed here"
                    .to_owned(),
            });
        }
        Ok(Some(path))
    }

    /// Refuses whichever fields were not read.
    pub fn finish(self) -> Result<(), LoadError> {
        let Some(left) = self
            .object
            .keys()
            .find(|key| !self.read.contains(key.as_str()))
        else {
            return Ok(());
        };
        Err(if UNSUPPORTED.contains(&left.as_str()) {
            LoadError::UnsupportedField {
                at: self.at.clone(),
                field: left.clone(),
            }
        } else {
            LoadError::UnknownField {
                at: self.at.clone(),
                field: left.clone(),
            }
        })
    }

    pub fn invalid(&self, name: &str, problem: &str) -> LoadError {
        LoadError::InvalidValue {
            at: self.at_field(name),
            problem: problem.to_owned(),
        }
    }
}
