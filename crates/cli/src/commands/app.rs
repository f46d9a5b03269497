//! `gradual app create`: applications, which group deployment groups of one compute platform.

use super::Stack;
use crate::client::Registered;
use crate::error::CliError;
use crate::output::Output;
use clap::Subcommand;
use gradual_core::ComputePlatform;

#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Registers an application.
    Create {
        #[arg(long)]
        application: String,
        /// `Lambda` or `ECS`.
        #[arg(long, value_parser = parse_platform)]
        platform: ComputePlatform,
    },
    /// An application and the names of its deployment groups.
    Get {
        #[arg(long)]
        application: String,
    },
}

pub async fn run(
    command: AppCommand,
    stack: &Stack,
    output: &mut Output<'_>,
) -> Result<(), CliError> {
    let registration = stack.client().await?.registration();
    match command {
        AppCommand::Create {
            application,
            platform,
        } => {
            let answer = registration
                .create_application(&application, platform)
                .await?;
            output.document(&answer.json, || {
                format!("registered application {application} ({platform})")
            })
        }
        AppCommand::Get { application } => {
            let answer = registration.get_application(&application).await?;
            let found = Registered::expect(answer.value.application, "application")?;
            let groups = answer.value.deployment_groups.unwrap_or_default();
            output.document(&answer.json, || {
                let groups = if groups.is_empty() {
                    "(none)".to_owned()
                } else {
                    groups.join(", ")
                };
                format!(
                    "{} ({})\n  deployment groups  {groups}",
                    found.application_name, found.compute_platform
                )
            })
        }
    }
}

/// CodeDeploy's spelling of a compute platform: `Lambda` or `ECS`.
pub fn parse_platform(text: &str) -> Result<ComputePlatform, String> {
    [ComputePlatform::Lambda, ComputePlatform::Ecs]
        .into_iter()
        .find(|platform| platform.as_str().eq_ignore_ascii_case(text))
        .ok_or_else(|| format!("{text:?} is not a compute platform (Lambda or ECS)"))
}
