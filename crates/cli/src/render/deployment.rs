//! A deployment as text: where it stands, then its timeline.

use super::group::rollback_text;
use super::timeline::timeline_text;
use crate::client::DeploymentDocument;
use gradual_core::config::short_duration;
use gradual_core::Deployment;
use std::fmt::Write;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub fn deployment_text(document: &DeploymentDocument) -> String {
    let mut text = summary_text(&document.deployment_info);
    let _ = write!(
        text,
        "\nhistory\n{}",
        timeline_text(document.deployment_info.create_time, &document.history)
    );
    text
}

/// Where the deployment stands, without its history.
pub fn summary_text(deployment: &Deployment) -> String {
    let mut text = format!("{}  {}\n", deployment.id, deployment.status);
    let mut field = |name: &str, value: String| {
        let _ = writeln!(text, "  {name:<15} {value}");
    };
    field(
        "group",
        format!(
            "{} / {} ({})",
            deployment.application_name,
            deployment.deployment_group_name,
            deployment.compute_platform
        ),
    );
    field(
        "config",
        format!(
            "{}: {}",
            deployment.deployment_config_name, deployment.schedule
        ),
    );
    field("traffic", traffic_text(deployment));
    for target in &deployment.targets {
        field("target", target.to_string());
    }
    for hook in &deployment.hooks {
        field("hook", format!("{}: {}", hook.event, hook.function_name));
    }
    field(
        "auto rollback",
        rollback_text(&deployment.auto_rollback_configuration),
    );
    field("created", timestamp(deployment.create_time));
    if let Some(complete) = deployment.complete_time {
        let took = (complete - deployment.create_time)
            .try_into()
            .unwrap_or_default();
        field(
            "completed",
            format!("{} (after {})", timestamp(complete), short_duration(took)),
        );
    }
    if let Some(error) = &deployment.error_information {
        field("error", error.to_string());
    }
    let rollback = &deployment.rollback_info;
    if let Some(id) = &rollback.rollback_deployment_id {
        field("rolled back by", id.to_string());
    }
    if let Some(id) = &rollback.rollback_triggering_deployment_id {
        field("rolls back", id.to_string());
    }
    if let Some(description) = &deployment.description {
        field("description", description.clone());
    }
    text
}

fn traffic_text(deployment: &Deployment) -> String {
    let steps = deployment.schedule.steps().len();
    match deployment.traffic.step {
        Some(step) => format!(
            "{}% on the new version (step {} of {steps})",
            deployment.traffic.percent,
            step + 1
        ),
        None => format!("{}% on the new version", deployment.traffic.percent),
    }
}

fn timestamp(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_else(|_| at.to_string())
}
