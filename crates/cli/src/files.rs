//! Files named on the command line: read, or an error naming the option and the file.

use crate::error::CliError;
use std::path::Path;

/// The contents of a file the command line names, or an error naming the option and file.
pub fn read_file(option: &str, path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|error| {
        CliError::Input(format!("{option}: cannot read {}: {error}", path.display()))
    })
}

/// A JSON file the command line names, or an error naming the option, file and fault.
pub fn read_json_file(option: &str, path: &Path) -> Result<serde_json::Value, CliError> {
    let text = read_file(option, path)?;
    serde_json::from_str(&text).map_err(|error| {
        CliError::Input(format!(
            "{option}: {} is not valid JSON: {error}",
            path.display()
        ))
    })
}
