//! `gradual plan`: the schedule of a deployment config, without deploying anything.

use super::config::config_from_file;
use crate::error::CliError;
use crate::output::Output;
use clap::{ArgGroup, Args};
use gradual_core::config::{predefined_names, short_duration};
use gradual_core::{ComputePlatform, DeploymentConfig};
use serde_json::{json, Value};
use std::fmt::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["name", "file"])))]
pub struct PlanArgs {
    /// A predefined config, e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes.
    pub name: Option<String>,
    /// A custom config in CodeDeploy's CreateDeploymentConfig JSON.
    #[arg(long)]
    pub file: Option<PathBuf>,
}

pub fn run(args: PlanArgs, output: &mut Output<'_>) -> Result<(), CliError> {
    let config = match (&args.name, &args.file) {
        (_, Some(file)) => config_from_file(file)?,
        (Some(name), None) => predefined(name)?,
        (None, None) => unreachable!("clap requires a name or --file"),
    };
    output.document(&plan_json(&config), || plan_text(&config))
}

fn predefined(name: &str) -> Result<DeploymentConfig, CliError> {
    DeploymentConfig::predefined(name).ok_or_else(|| {
        let known: Vec<&str> = [ComputePlatform::Lambda, ComputePlatform::Ecs]
            .into_iter()
            .flat_map(predefined_names)
            .collect();
        CliError::Input(format!(
            "no predefined deployment config is named {name:?} (give a custom config's JSON with --file); the predefined ones are {}",
            known.join(", ")
        ))
    })
}

/// A step of the schedule and when it starts, counted from the first shift.
struct TimedStep {
    number: usize,
    percent: u8,
    bake: Duration,
    starts: Duration,
}

fn timed_steps(config: &DeploymentConfig) -> Vec<TimedStep> {
    let mut starts = Duration::ZERO;
    config
        .schedule()
        .steps()
        .iter()
        .enumerate()
        .map(|(index, step)| {
            let timed = TimedStep {
                number: index + 1,
                percent: step.percent,
                bake: step.bake,
                starts,
            };
            starts += step.bake;
            timed
        })
        .collect()
}

fn plan_json(config: &DeploymentConfig) -> Value {
    let schedule = config.schedule();
    let steps: Vec<Value> = timed_steps(config)
        .into_iter()
        .map(|step| {
            json!({
                "step": step.number,
                "percent": step.percent,
                "bakeSeconds": step.bake.as_secs(),
                "startsAtSeconds": step.starts.as_secs(),
            })
        })
        .collect();
    json!({
        "deploymentConfigName": config.name,
        "computePlatform": config.compute_platform,
        "schedule": schedule.to_string(),
        "steps": steps,
        "totalBakeSeconds": schedule.total_bake().as_secs(),
    })
}

fn plan_text(config: &DeploymentConfig) -> String {
    let schedule = config.schedule();
    let mut text = format!(
        "{} ({})\n  {schedule}\n\n  step  traffic  bake     starts at\n",
        config.name, config.compute_platform
    );
    for step in timed_steps(config) {
        let bake = if step.bake.is_zero() {
            "-".to_owned()
        } else {
            short_duration(step.bake)
        };
        let _ = writeln!(
            text,
            "  {:>4}  {:>7}  {bake:<7}  {:>9}",
            step.number,
            format!("{}%", step.percent),
            short_duration(step.starts)
        );
    }
    let _ = write!(
        text,
        "\n  total bake time: {}",
        short_duration(schedule.total_bake())
    );
    text
}
