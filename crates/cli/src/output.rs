//! Where results go: one document on stdout, as text for people or JSON for scripts; notes
//! and the reason for a failure on stderr.

use crate::error::CliError;
use crate::Stream;
use clap::ValueEnum;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text.
    Text,
    /// One JSON document on stdout, for scripts.
    Json,
}

pub struct Output<'a> {
    format: Format,
    stdout: Stream<'a>,
    stderr: Stream<'a>,
}

impl<'a> Output<'a> {
    pub fn new(format: Format, stdout: Stream<'a>, stderr: Stream<'a>) -> Self {
        Output {
            format,
            stdout,
            stderr,
        }
    }

    /// The command's result: `json` in JSON mode, else the text `text` renders.
    pub fn document(
        &mut self,
        json: &Value,
        text: impl FnOnce() -> String,
    ) -> Result<(), CliError> {
        match self.format {
            Format::Json => {
                let document = serde_json::to_string_pretty(json)
                    .map_err(|error| CliError::Output(error.to_string()))?;
                self.line(&document)
            }
            Format::Text => {
                let text = text();
                self.line(text.trim_end())
            }
        }
    }

    /// A remark for the person at the terminal, on stderr whatever the format.
    pub fn note(&mut self, line: &str) {
        let _ = writeln!(self.stderr, "{line}");
    }

    /// Why the command failed, on one line.
    pub fn reason(&mut self, reason: &str) {
        let _ = writeln!(self.stderr, "gradual: {}", one_line(reason));
    }

    fn line(&mut self, text: &str) -> Result<(), CliError> {
        writeln!(self.stdout, "{text}")
            .and_then(|()| self.stdout.flush())
            .map_err(|error| CliError::Output(error.to_string()))
    }
}

/// `text` with its line breaks and runs of blanks folded into single spaces.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
