//! `gradual watch`: follows a deployment until it ends — a progress bar of the traffic on the
//! new version with the lifecycle events as they happen — then prints its timeline. A
//! deployment that is rolled back is followed through its rollback deployment too.

use super::Stack;
use crate::client::{Client, DeploymentDocument};
use crate::error::CliError;
use crate::output::Output;
use crate::render::deployment::deployment_text;
use crate::render::timeline;
use clap::Args;
use gradual_core::history::HistoryEntry;
use gradual_core::{DeploymentId, DeploymentStatus};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashSet;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The deployment, e.g. d-A1B2C3D4E.
    id: DeploymentId,
    #[command(flatten)]
    follow: FollowOptions,
}

#[derive(Debug, Clone, Args)]
pub struct FollowOptions {
    /// Seconds between two looks at the deployment.
    #[arg(long, default_value_t = 1.0, value_parser = positive_seconds)]
    interval: f64,
}

pub async fn run(args: WatchArgs, stack: &Stack, output: &mut Output<'_>) -> Result<(), CliError> {
    let client = stack.client().await?;
    follow(client, &args.id, &args.follow, output).await
}

/// Follows `id` (and its rollback) to the end and prints the final document; fails with the
/// deployment's outcome unless it succeeded.
pub async fn follow(
    client: Client<'_>,
    id: &DeploymentId,
    options: &FollowOptions,
    output: &mut Output<'_>,
) -> Result<(), CliError> {
    let interval = Duration::from_secs_f64(options.interval);
    track(client, id, interval).await?;
    // Locally the workflow goes on in this process after the status is final (the rollback
    // runs in the same execution): it must end before the process does.
    client.gateway().await_workflow(id).await;
    let answer = client.deployment(id).await?;
    let deployment = &answer.value.deployment_info;
    let rollback = match &deployment.rollback_info.rollback_deployment_id {
        Some(rollback_id) => Some(track(client, rollback_id, interval).await?),
        None => None,
    };
    output.document(&answer.json, || {
        let mut text = deployment_text(&answer.value);
        if let Some(rollback) = &rollback {
            text.push_str("\nrollback\n");
            text.push_str(&deployment_text(rollback));
        }
        text
    })?;
    match deployment.status {
        DeploymentStatus::Succeeded => Ok(()),
        status => Err(CliError::DeploymentEnded {
            id: id.clone(),
            status,
            error: deployment.error_information.clone(),
        }),
    }
}

/// Looks at the deployment every `interval` until its status is final, drawing its progress
/// on the terminal (nothing when stderr is not one).
async fn track(
    client: Client<'_>,
    id: &DeploymentId,
    interval: Duration,
) -> Result<DeploymentDocument, CliError> {
    let bar = ProgressBar::with_draw_target(Some(100), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos:>3}% on new  {msg}")
            .expect("the progress template is valid")
            .progress_chars("=> "),
    );
    bar.set_prefix(id.to_string());
    let result = poll(client, id, interval, &bar).await;
    bar.finish_and_clear();
    result
}

async fn poll(
    client: Client<'_>,
    id: &DeploymentId,
    interval: Duration,
    bar: &ProgressBar,
) -> Result<DeploymentDocument, CliError> {
    let mut shown = HashSet::new();
    loop {
        let document = client.deployment(id).await?.value;
        let deployment = &document.deployment_info;
        let mut latest = String::new();
        for record in &document.history {
            if matches!(record.entry, HistoryEntry::Lifecycle { .. }) {
                latest = timeline::describe(&record.entry);
                if shown.insert(record.key.clone()) {
                    bar.println(timeline::line(deployment.create_time, record));
                }
            }
        }
        bar.set_position(deployment.traffic.percent.into());
        bar.set_message(format!("{}  {latest}", deployment.status));
        if deployment.status.is_terminal() {
            return Ok(document);
        }
        tokio::time::sleep(interval).await;
    }
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds > 0.0 => Ok(seconds),
        _ => Err(format!("{text:?} is not a positive number of seconds")),
    }
}
