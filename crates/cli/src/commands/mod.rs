//! One module per command group; each turns its arguments into requests and renders the
//! answers.

pub mod app;
pub mod config;
pub mod deploy;
pub mod deployments;
pub mod group;
pub mod plan;
pub mod watch;

use crate::args::{Cli, Command};
use crate::client::Client;
use crate::error::CliError;
use crate::gateway::{connect, Gateway, StackOptions};
use crate::output::Output;
use tokio::sync::OnceCell;

/// The stack the command talks to, connected on first use: commands that fail on their input
/// (or need no stack, as `plan`) never reach it.
pub struct Stack {
    options: StackOptions,
    gateway: OnceCell<Box<dyn Gateway>>,
}

impl Stack {
    pub fn new(options: StackOptions) -> Self {
        Stack {
            options,
            gateway: OnceCell::new(),
        }
    }

    pub async fn client(&self) -> Result<Client<'_>, CliError> {
        let gateway = self
            .gateway
            .get_or_try_init(|| connect(&self.options))
            .await?;
        Ok(Client::new(gateway.as_ref()))
    }
}

pub async fn run(cli: Cli, output: &mut Output<'_>) -> Result<(), CliError> {
    let stack = Stack::new(cli.global.stack);
    match cli.command {
        Command::App(command) => app::run(command, &stack, output).await,
        Command::Group(command) => group::run(command, &stack, output).await,
        Command::Config(command) => config::run(command, &stack, output).await,
        Command::Plan(args) => plan::run(args, output),
        Command::Deploy(args) => deploy::run(args, &stack, output).await,
        Command::Status(args) => deployments::status(args, &stack, output).await,
        Command::List(args) => deployments::list(args, &stack, output).await,
        Command::Stop(args) => deployments::stop(args, &stack, output).await,
        Command::Watch(args) => watch::run(args, &stack, output).await,
    }
}
