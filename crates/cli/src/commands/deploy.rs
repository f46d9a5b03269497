//! `gradual deploy`: starts a deployment of an AppSpec, or of one Lambda alias named by flags.

use super::watch::{self, FollowOptions};
use super::Stack;
use crate::error::CliError;
use crate::files::read_file;
use crate::output::Output;
use clap::{ArgGroup, Args};
use gradual_core::{AppSpec, Hook, LambdaAliasTarget, LifecycleEvent, Target};
use gradual_handlers::create_deployment::{AppSpecContent, CreateDeploymentRequest, Revision};
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("revision").required(true).args(["appspec", "function"])))]
pub struct DeployArgs {
    #[arg(long)]
    application: String,
    #[arg(long)]
    group: String,
    /// The deployment config (default: the group's).
    #[arg(long)]
    config: Option<String>,
    #[arg(long)]
    description: Option<String>,
    /// Makes the request idempotent: repeating it with the same token starts nothing new.
    #[arg(long)]
    token: Option<String>,
    /// Alarms already in ALARM when the deployment starts do not stop it (they are listed in
    /// the deployment's `ignoredAlarms`): for shipping the fix of what the alarm reports.
    #[arg(long)]
    ignore_alarms_firing_at_start: bool,
    /// An AppSpec file (YAML or JSON), as CodeDeploy takes it.
    #[arg(long)]
    appspec: Option<PathBuf>,
    /// The Lambda function whose alias moves (instead of --appspec).
    #[arg(long, requires_all = ["alias", "from", "to"])]
    function: Option<String>,
    /// The alias that moves, with --function.
    #[arg(long, requires = "function")]
    alias: Option<String>,
    /// The version the alias points to now, with --function.
    #[arg(long, requires = "function")]
    from: Option<String>,
    /// The version traffic moves to, with --function.
    #[arg(long, requires = "function")]
    to: Option<String>,
    /// With --function: a hook as EVENT=FUNCTION (e.g. BeforeAllowTraffic=smoke-test);
    /// may be repeated.
    #[arg(long = "hook", value_name = "EVENT=FUNCTION", requires = "function", value_parser = parse_hook)]
    hooks: Vec<Hook>,
    /// Follow the deployment until it ends, as `gradual watch` does.
    #[arg(long)]
    watch: bool,
    #[command(flatten)]
    follow: FollowOptions,
}

pub async fn run(args: DeployArgs, stack: &Stack, output: &mut Output<'_>) -> Result<(), CliError> {
    // Everything the command line names is checked before the stack is reached.
    let request = args.request()?;
    let client = stack.client().await?;
    let answer = client.create_deployment(&request).await?;
    let id = answer.value.deployment_id;
    if args.watch {
        return watch::follow(client, &id, &args.follow, output).await;
    }
    output.document(&answer.json, || format!("created deployment {id}"))?;
    let gateway = client.gateway();
    if gateway.runs_workflows_here() {
        output.note(&format!(
            "the local workflow runs in this process: waiting for {id} to end (add --watch to follow it)"
        ));
        gateway.await_workflow(&id).await;
    }
    Ok(())
}

impl DeployArgs {
    fn request(&self) -> Result<CreateDeploymentRequest, CliError> {
        Ok(CreateDeploymentRequest {
            application_name: self.application.clone(),
            deployment_group_name: self.group.clone(),
            revision: self.revision()?,
            deployment_config_name: self.config.clone(),
            description: self.description.clone(),
            auto_rollback_configuration: None,
            alarm_configuration: None,
            client_request_token: self.token.clone(),
            ignore_alarms_firing_at_start: self.ignore_alarms_firing_at_start,
        })
    }

    fn revision(&self) -> Result<Revision, CliError> {
        if let Some(path) = &self.appspec {
            let content = read_file("--appspec", path)?;
            AppSpec::parse(&content).map_err(|error| {
                CliError::Input(format!("--appspec: {}: {error}", path.display()))
            })?;
            return Ok(Revision::AppSpecContent {
                app_spec_content: AppSpecContent {
                    content,
                    sha256: None,
                },
            });
        }
        let flag = |value: &Option<String>, name: &str| {
            value
                .clone()
                .ok_or_else(|| CliError::Input(format!("{name} is required with --function")))
        };
        let target = LambdaAliasTarget {
            function_name: flag(&self.function, "--function")?,
            alias: flag(&self.alias, "--alias")?,
            current_version: flag(&self.from, "--from")?,
            target_version: flag(&self.to, "--to")?,
        };
        Ok(Revision::Targets {
            targets: vec![Target::LambdaAlias(target)],
            hooks: self.hooks.clone(),
        })
    }
}

fn parse_hook(text: &str) -> Result<Hook, String> {
    let (event, function) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} is not EVENT=FUNCTION"))?;
    let event = LifecycleEvent::parse(event)
        .ok_or_else(|| format!("{event:?} is not a lifecycle event (e.g. BeforeAllowTraffic)"))?;
    if function.is_empty() {
        return Err(format!("{text:?} names no hook function"));
    }
    Ok(Hook {
        event,
        function_name: function.to_owned(),
    })
}
