//! `gradual status|list|stop`: reading and stopping deployments.

use super::Stack;
use crate::error::CliError;
use crate::output::Output;
use crate::render::deployment::deployment_text;
use clap::Args;
use gradual_core::DeploymentId;

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The deployment, e.g. d-A1B2C3D4E.
    id: DeploymentId,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    application: String,
    #[arg(long)]
    group: String,
    /// At most this many deployments (1–100).
    #[arg(long)]
    limit: Option<usize>,
    /// Where the previous page ended.
    #[arg(long)]
    next_token: Option<String>,
}

#[derive(Debug, Args)]
pub struct StopArgs {
    id: DeploymentId,
    /// Put traffic back on the original version.
    #[arg(long, conflicts_with = "no_rollback")]
    rollback: bool,
    /// Leave traffic where it stands. Without either flag, the deployment's auto-rollback
    /// configuration decides.
    #[arg(long)]
    no_rollback: bool,
}

pub async fn status(
    args: StatusArgs,
    stack: &Stack,
    output: &mut Output<'_>,
) -> Result<(), CliError> {
    let answer = stack.client().await?.deployment(&args.id).await?;
    output.document(&answer.json, || deployment_text(&answer.value))
}

pub async fn list(args: ListArgs, stack: &Stack, output: &mut Output<'_>) -> Result<(), CliError> {
    let answer = stack
        .client()
        .await?
        .list_deployments(
            &args.application,
            &args.group,
            args.limit,
            args.next_token.as_deref(),
        )
        .await?;
    output.document(&answer.json, || {
        let page = &answer.value;
        let mut lines: Vec<String> = page.deployments.iter().map(ToString::to_string).collect();
        if lines.is_empty() {
            lines.push(format!(
                "no deployments in {} / {}",
                args.application, args.group
            ));
        }
        if let Some(token) = &page.next_token {
            lines.push(format!("more: --next-token {token}"));
        }
        lines.join("\n")
    })
}

pub async fn stop(args: StopArgs, stack: &Stack, output: &mut Output<'_>) -> Result<(), CliError> {
    let roll_back = match (args.rollback, args.no_rollback) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let answer = stack.client().await?.stop(&args.id, roll_back).await?;
    output.document(&answer.json, || {
        format!(
            "{}: {} ({})",
            args.id, answer.value.status_message, answer.value.status
        )
    })
}
