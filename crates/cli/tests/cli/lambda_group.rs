//! A Lambda function on the emulator and a deployment group of the local stack to deploy it
//! with.

use crate::support::{gradual_local, local_stack, Ran};
use gradual_core::{
    AutoRollbackConfiguration, AutoRollbackEvent, ComputePlatform, DeploymentGroup,
};
use gradual_emulator::sample::lambda::{LambdaWorld, ALIAS};
use gradual_emulator::unique_name;

/// A Lambda function (alias `live` on version 1, version 2 published) and a group to deploy it
/// with, registered in the local stack's store.
pub struct LambdaGroup {
    pub lambda: LambdaWorld,
    pub application: String,
    pub group: String,
}

impl LambdaGroup {
    /// A function and the names of a group for it, registered nowhere yet.
    pub async fn unregistered() -> LambdaGroup {
        LambdaGroup {
            lambda: LambdaWorld::new().await,
            application: unique_name("shop"),
            group: "checkout".to_owned(),
        }
    }

    /// The group registered straight in the local stack's store, rolling back on failure.
    pub async fn in_store(config: &str) -> LambdaGroup {
        let LambdaGroup {
            lambda,
            application,
            group,
        } = LambdaGroup::unregistered().await;
        local_stack()
            .await
            .world()
            .register_group(&DeploymentGroup {
                application_name: application.clone(),
                deployment_group_name: group.clone(),
                compute_platform: ComputePlatform::Lambda,
                deployment_config_name: config.to_owned(),
                targets: Vec::new(),
                auto_rollback_configuration: AutoRollbackConfiguration {
                    enabled: true,
                    events: vec![AutoRollbackEvent::DeploymentFailure],
                },
                alarm_configuration: Default::default(),
                trigger_configurations: Vec::new(),
            })
            .await
            .expect("register the group");
        LambdaGroup {
            lambda,
            application,
            group,
        }
    }

    /// `deploy` of version 1 -> 2 of the alias, named by flags, with `extra` arguments.
    pub fn deploy_args(&self, extra: &[&str]) -> Vec<String> {
        let mut args: Vec<String> = [
            "deploy",
            "--application",
            &self.application,
            "--group",
            &self.group,
            "--function",
            &self.lambda.function,
            "--alias",
            ALIAS,
            "--from",
            "1",
            "--to",
            "2",
            "--interval",
            "0.05",
        ]
        .iter()
        .map(|arg| arg.to_string())
        .collect();
        args.extend(extra.iter().map(|arg| arg.to_string()));
        args
    }

    pub async fn assert_alias_alone_on(&self, version: &str) {
        let alias = self.lambda.alias().await;
        assert_eq!(alias.version, version, "{alias:?}");
        assert!(
            alias.weights.is_empty(),
            "no traffic split is left: {alias:?}"
        );
    }
}

/// Runs `gradual --local` with owned arguments, as a spawned task needs them.
pub async fn run_owned(args: Vec<String>) -> Ran {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    gradual_local(&args).await
}
