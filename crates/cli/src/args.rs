//! The command line: options every command takes, and the commands.

use crate::commands::{app, config, deploy, deployments, group, plan, watch};
use crate::gateway::StackOptions;
use crate::output::Format;
use clap::{Args, Parser, Subcommand};

/// Progressive delivery for AWS, CodeDeploy-compatible: shift traffic to a new Lambda version
/// or ECS/EC2 fleet step by step, with hooks, alarms and automatic rollback.
#[derive(Debug, Parser)]
#[command(name = "gradual", version)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalOptions {
    /// `text` for people, `json` for scripts (one JSON document on stdout).
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub output: Format,
    #[command(flatten)]
    pub stack: StackOptions,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Applications.
    #[command(subcommand)]
    App(app::AppCommand),
    /// Deployment groups: where deployments go and the rules they follow.
    #[command(subcommand)]
    Group(group::GroupCommand),
    /// Custom deployment configs.
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// The schedule of a deployment config: its steps, bake times and total.
    Plan(plan::PlanArgs),
    /// Starts a deployment.
    Deploy(deploy::DeployArgs),
    /// A deployment: where it stands and its history.
    Status(deployments::StatusArgs),
    /// The deployments of a group, newest first.
    List(deployments::ListArgs),
    /// Stops a deployment, rolling traffic back or not.
    Stop(deployments::StopArgs),
    /// Follows a deployment until it ends, then prints its timeline.
    Watch(watch::WatchArgs),
}
