//! The `gradual` command line. Every command talks to gradual through one port, the
//! [`Gateway`]: a JSON request to one of the stack's functions, answered with JSON. On AWS the
//! gateway is a Lambda invoke; with `--local` it is the local stack running in this process
//! (the emulator, the real workflow definition and the in-process handlers).
//!
//! [`run`] is the whole program: `main` only hands it the arguments and the standard streams.

mod args;
mod client;
mod commands;
mod error;
mod files;
pub mod gateway;
mod output;
mod render;

pub use error::CliError;
pub use gateway::local::LocalStack;
pub use gateway::{Function, Gateway, GatewayError};

use args::Cli;
use clap::Parser;
use std::ffi::OsString;
use std::io::Write;

/// Exit code of a command that did what it was asked.
pub const EXIT_SUCCESS: i32 = 0;
/// Exit code of a command that failed: bad input, a refused request, an unreachable stack.
pub const EXIT_FAILURE: i32 = 1;
/// Exit code of a command line that does not parse.
pub const EXIT_USAGE: i32 = 2;
/// Exit code of `watch` (and `deploy --watch`) when the deployment ended other than Succeeded.
pub const EXIT_DEPLOYMENT_FAILED: i32 = 3;

/// A writer for one of the standard streams; `Send` so that a command can be run on a task.
pub type Stream<'a> = &'a mut (dyn Write + Send);

/// Runs the command line `args` (program name first), writing its result to `stdout` and any
/// reason for failing, on one line, to `stderr`. Returns the process exit code.
pub async fn run<I, T>(args: I, stdout: Stream<'_>, stderr: Stream<'_>) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => return usage(&error, stdout, stderr),
    };
    let mut output = output::Output::new(cli.global.output, stdout, stderr);
    match commands::run(cli, &mut output).await {
        Ok(()) => EXIT_SUCCESS,
        Err(error) => {
            output.reason(&error.to_string());
            error.exit_code()
        }
    }
}

/// Help and version go to stdout; a command line that does not parse is reported on one line.
fn usage(error: &clap::Error, stdout: Stream<'_>, stderr: Stream<'_>) -> i32 {
    use clap::error::ErrorKind;
    let rendered = error.render().to_string();
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = stdout.write_all(rendered.as_bytes());
        return EXIT_SUCCESS;
    }
    // clap's first paragraph says what is wrong; the rest is usage, which --help shows.
    let reason = rendered.split("\n\n").next().unwrap_or_default();
    let reason = reason.trim_start_matches("error: ");
    let _ = writeln!(stderr, "gradual: {}", output::one_line(reason));
    EXIT_USAGE
}
