//! `gradual config create|get|list`: custom deployment configs, beside the predefined ones.

use super::Stack;
use crate::client::Registered;
use crate::error::CliError;
use crate::files::read_json_file;
use crate::output::Output;
use clap::Subcommand;
use gradual_core::config::predefined_names;
use gradual_core::{ComputePlatform, DeploymentConfig};
use serde_json::json;
use std::fmt::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Registers a custom config given in CodeDeploy's CreateDeploymentConfig JSON
    /// (TimeBasedCanary, TimeBasedLinear, AllAtOnce, or gradual's explicit steps).
    Create {
        #[arg(long)]
        file: PathBuf,
    },
    /// A config and its schedule: a predefined one, or a registered custom one.
    Get { name: String },
    /// Every config and its schedule: the predefined ones, then the stack's custom ones.
    List {
        /// Only the predefined configs, which need no stack.
        #[arg(long)]
        predefined: bool,
    },
}

pub async fn run(
    command: ConfigCommand,
    stack: &Stack,
    output: &mut Output<'_>,
) -> Result<(), CliError> {
    match command {
        ConfigCommand::Create { file } => {
            let config = config_from_file(&file)?;
            let registration = stack.client().await?.registration();
            let answer = registration.create_config(&config).await?;
            let stored = Registered::expect(answer.value.deployment_config, "deploymentConfig")?;
            output.document(&answer.json, || {
                format!("registered deployment config {}", table(&[stored]))
            })
        }
        ConfigCommand::Get { name } => {
            if let Some(config) = DeploymentConfig::predefined(&name) {
                let json = json!({ "deploymentConfig": config });
                return output.document(&json, || table(&[config]));
            }
            let registration = stack.client().await?.registration();
            let answer = registration.get_config(&name).await?;
            let config = Registered::expect(answer.value.deployment_config, "deploymentConfig")?;
            output.document(&answer.json, || table(&[config]))
        }
        ConfigCommand::List { predefined: true } => {
            let predefined = predefined_configs();
            let json = json!({ "deploymentConfigs": predefined });
            output.document(&json, || table(&predefined))
        }
        ConfigCommand::List { predefined: false } => {
            let registration = stack.client().await?.registration();
            let answer = registration.list_configs().await?;
            let configs = Registered::expect(answer.value.deployment_configs, "deploymentConfigs")?;
            output.document(&answer.json, || table(&configs))
        }
    }
}

/// A custom config read from `path` and validated, so that mistakes are reported before
/// anything is sent.
pub fn config_from_file(path: &Path) -> Result<DeploymentConfig, CliError> {
    let json = read_json_file("--file", path)?;
    let config: DeploymentConfig = serde_json::from_value(json).map_err(|error| {
        CliError::Input(format!(
            "--file: {} is not a deployment config: {error}",
            path.display()
        ))
    })?;
    config
        .validate()
        .map_err(|error| CliError::Input(format!("--file: {}: {error}", path.display())))?;
    Ok(config)
}

fn predefined_configs() -> Vec<DeploymentConfig> {
    [ComputePlatform::Lambda, ComputePlatform::Ecs]
        .into_iter()
        .flat_map(predefined_names)
        .filter_map(DeploymentConfig::predefined)
        .collect()
}

fn table(configs: &[DeploymentConfig]) -> String {
    let width = configs
        .iter()
        .map(|config| config.name.len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for config in configs {
        let _ = writeln!(
            text,
            "{:<width$}  {:<6}  {}",
            config.name,
            config.compute_platform.to_string(),
            config.schedule()
        );
    }
    text
}
