//! Where in an AppSpec a value sits, spelled the way a reader would point at it
//! (`Resources[0].myFn.Properties.TargetVersion`), and the error that names it.

use std::fmt;
use thiserror::Error;

/// A malformed AppSpec: the field at fault and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{path}: {message}")]
pub struct AppSpecError {
    /// The field at fault, e.g. `Hooks[1]`; `(root)` for the document as a whole.
    pub path: String,
    pub message: String,
}

/// The location of a field, built up while walking the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FieldPath(String);

impl FieldPath {
    pub(crate) fn root() -> FieldPath {
        FieldPath::default()
    }

    /// The field `name` of the map at this path.
    pub(crate) fn key(&self, name: &str) -> FieldPath {
        if self.0.is_empty() {
            FieldPath(name.to_owned())
        } else {
            FieldPath(format!("{}.{name}", self.0))
        }
    }

    /// The item `index` of the list at this path.
    pub(crate) fn index(&self, index: usize) -> FieldPath {
        FieldPath(format!("{}[{index}]", self.0))
    }

    pub(crate) fn error(&self, message: impl Into<String>) -> AppSpecError {
        AppSpecError {
            path: self.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(root)")
        } else {
            f.write_str(&self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_the_document() {
        let path = FieldPath::root()
            .key("Resources")
            .index(0)
            .key("myFn")
            .key("Properties");
        assert_eq!(path.to_string(), "Resources[0].myFn.Properties");
        assert_eq!(FieldPath::root().to_string(), "(root)");
    }

    #[test]
    fn errors_display_path_then_message() {
        let error = FieldPath::root().key("Hooks").index(2).error("duplicate");
        assert_eq!(error.to_string(), "Hooks[2]: duplicate");
    }
}
