//! `gradual group create|update|get`: deployment groups, from a JSON file in CodeDeploy's
//! CreateDeploymentGroup shape, flags, or both (flags win). register checks every rule.

use super::app::parse_platform;
use super::Stack;
use crate::client::{Answer, Registered};
use crate::error::CliError;
use crate::files::read_json_file;
use crate::output::Output;
use crate::render::group::group_text;
use clap::{Args, Subcommand};
use gradual_core::ComputePlatform;
use serde_json::{json, Map, Value};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Registers a deployment group.
    Create(GroupSpec),
    /// Replaces a deployment group's settings.
    Update(GroupSpec),
    /// A deployment group's settings.
    Get {
        #[arg(long)]
        application: String,
        #[arg(long)]
        group: String,
    },
}

/// A deployment group, from `--file` and the flags.
#[derive(Debug, Args)]
pub struct GroupSpec {
    /// The group in JSON: applicationName, deploymentGroupName, computePlatform,
    /// deploymentConfigName, targets, autoRollbackConfiguration, alarmConfiguration,
    /// triggerConfigurations.
    #[arg(long)]
    file: Option<PathBuf>,
    #[arg(long)]
    application: Option<String>,
    #[arg(long)]
    group: Option<String>,
    /// `Lambda` or `ECS` (default: the application's).
    #[arg(long, value_parser = parse_platform)]
    platform: Option<ComputePlatform>,
    /// The config of deployments that name none (default: the platform's all-at-once).
    #[arg(long)]
    config: Option<String>,
}

pub async fn run(
    command: GroupCommand,
    stack: &Stack,
    output: &mut Output<'_>,
) -> Result<(), CliError> {
    let (answer, heading) = match command {
        GroupCommand::Create(spec) => {
            let fields = spec.fields()?;
            let registration = stack.client().await?.registration();
            (registration.create_group(fields).await?, "registered ")
        }
        GroupCommand::Update(spec) => {
            let fields = spec.fields()?;
            let registration = stack.client().await?.registration();
            (registration.update_group(fields).await?, "updated ")
        }
        GroupCommand::Get { application, group } => {
            let registration = stack.client().await?.registration();
            (registration.get_group(&application, &group).await?, "")
        }
    };
    render(answer, heading, output)
}

fn render(
    answer: Answer<Registered>,
    heading: &str,
    output: &mut Output<'_>,
) -> Result<(), CliError> {
    let group = Registered::expect(answer.value.deployment_group, "deploymentGroup")?;
    output.document(&answer.json, || {
        let text = group_text(&group);
        if heading.is_empty() {
            text
        } else {
            format!("{heading}deployment group {text}")
        }
    })
}

impl GroupSpec {
    /// The file's fields with the flags' set over them.
    fn fields(&self) -> Result<Map<String, Value>, CliError> {
        let mut fields = match &self.file {
            Some(path) => match read_json_file("--file", path)? {
                Value::Object(fields) => fields,
                _ => {
                    return Err(CliError::Input(format!(
                        "--file: {} must hold a JSON object (a deployment group)",
                        path.display()
                    )))
                }
            },
            None => Map::new(),
        };
        let flags = [
            (
                "applicationName",
                self.application.as_ref().map(|v| json!(v)),
            ),
            ("deploymentGroupName", self.group.as_ref().map(|v| json!(v))),
            ("computePlatform", self.platform.map(|v| json!(v))),
            (
                "deploymentConfigName",
                self.config.as_ref().map(|v| json!(v)),
            ),
        ];
        for (field, value) in flags {
            if let Some(value) = value {
                fields.insert(field.to_owned(), value);
            }
        }
        for (field, flag) in [
            ("applicationName", "--application"),
            ("deploymentGroupName", "--group"),
        ] {
            if !fields.contains_key(field) {
                return Err(CliError::Input(format!(
                    "{field}: give the deployment group's {flag} (or {field} in --file)"
                )));
            }
        }
        Ok(fields)
    }
}
