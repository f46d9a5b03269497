//! The demo's three deployments and the checks of their outcomes.

use super::progress;
use crate::world::{HookBehaviour, LocalWorld, TriggerTopic};
use gradual_asl::ScaledClock;
use gradual_core::{
    AutoRollbackConfiguration, AutoRollbackEvent, ComputePlatform, DeploymentGroup, DeploymentId,
    DeploymentStatus, Target, TriggerConfig, TriggerEvent,
};
use gradual_emulator::sample::alb::AlbWorld;
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_handlers::create_deployment::{AppSpecContent, CreateDeploymentRequest, Revision};
use std::sync::Arc;

const SMOKE_TEST: &str = "demo-smoke-test";
const FAILING_CHECK: &str = "demo-failing-check";

/// Runs the three scenarios; the error lists every outcome that differed from the expected one.
pub async fn run(time_scale: f64) -> Result<(), Vec<String>> {
    println!("Setting up the local world (emulator, table, function, load balancer, topic)…");
    let world = LocalWorld::new(Arc::new(ScaledClock::new(time_scale))).await;
    run_on(world).await
}

/// Runs the three scenarios in `world`, which gets the demo's hooks, groups and resources.
pub async fn run_on(world: LocalWorld) -> Result<(), Vec<String>> {
    world.register_sample_hook(SMOKE_TEST, HookBehaviour::Succeed);
    world.register_sample_hook(FAILING_CHECK, HookBehaviour::Fail);
    let demo = Demo {
        topic: world.trigger_topic().await,
        lambda: LambdaWorld::new().await,
        alb: AlbWorld::new().await,
        world,
        failures: Vec::new(),
    };
    demo.run_all().await
}

struct Demo {
    world: LocalWorld,
    topic: TriggerTopic,
    lambda: LambdaWorld,
    alb: AlbWorld,
    failures: Vec<String>,
}

impl Demo {
    async fn run_all(mut self) -> Result<(), Vec<String>> {
        self.register_groups().await;
        self.lambda_canary().await;
        self.alb_blue_green().await;
        self.lambda_rollback().await;
        if self.failures.is_empty() {
            println!("\nAll three deployments ended as expected.");
            Ok(())
        } else {
            Err(self.failures)
        }
    }

    async fn register_groups(&self) {
        let triggers = vec![TriggerConfig {
            trigger_name: "demo-topic".to_owned(),
            trigger_target_arn: self.topic.topic_arn.clone(),
            trigger_events: TriggerEvent::ALL.to_vec(),
        }];
        let rollback_on_failure = AutoRollbackConfiguration {
            enabled: true,
            events: vec![AutoRollbackEvent::DeploymentFailure],
        };
        let groups = [
            DeploymentGroup {
                application_name: "shop".to_owned(),
                deployment_group_name: "checkout".to_owned(),
                compute_platform: ComputePlatform::Lambda,
                deployment_config_name: "CodeDeployDefault.LambdaCanary10Percent5Minutes"
                    .to_owned(),
                targets: Vec::new(),
                auto_rollback_configuration: rollback_on_failure.clone(),
                alarm_configuration: Default::default(),
                trigger_configurations: triggers.clone(),
            },
            DeploymentGroup {
                application_name: "storefront".to_owned(),
                deployment_group_name: "web".to_owned(),
                compute_platform: ComputePlatform::Ecs,
                deployment_config_name: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes"
                    .to_owned(),
                targets: vec![Target::AlbListener(self.alb.target())],
                auto_rollback_configuration: rollback_on_failure,
                alarm_configuration: Default::default(),
                trigger_configurations: triggers,
            },
        ];
        for group in &groups {
            self.world
                .register_group(group)
                .await
                .expect("register the demo's deployment groups");
        }
    }

    async fn lambda_canary(&mut self) {
        heading("(a) Lambda canary, 10 % for 5 minutes, BeforeAllowTraffic hook succeeds");
        let appspec = lambda_appspec(
            &self.lambda.function,
            "1",
            "2",
            "BeforeAllowTraffic",
            SMOKE_TEST,
        );
        let id = self.deploy("shop", "checkout", &appspec).await;
        self.expect_status(&id, DeploymentStatus::Succeeded).await;
        let alias = self.lambda.alias().await;
        self.expect(
            alias.version == "2" && alias.weights.is_empty(),
            format!("(a) alias live should serve version 2 alone, found {alias:?}"),
        );
        self.expect_notifications("(a)", &["DeploymentStart", "DeploymentSuccess"])
            .await;
    }

    async fn alb_blue_green(&mut self) {
        heading("(b) ALB blue/green, linear 10 % every minute, with a test listener");
        let appspec = ecs_appspec(SMOKE_TEST);
        let id = self.deploy("storefront", "web", &appspec).await;
        self.expect_status(&id, DeploymentStatus::Succeeded).await;
        let production = self.alb.weights(&self.alb.listener).await;
        let test = self.alb.weights(&self.alb.test_listener).await;
        println!("  production listener blue/green weights {production:?}, test listener {test:?}");
        self.expect(
            production.0 == 0 && production.1 > 0,
            format!(
                "(b) production listener should send everything to green, weights {production:?}"
            ),
        );
        self.expect(
            test.0 == 0 && test.1 > 0,
            format!("(b) test listener should send everything to green, weights {test:?}"),
        );
        self.expect_notifications("(b)", &["DeploymentStart", "DeploymentSuccess"])
            .await;
    }

    async fn lambda_rollback(&mut self) {
        heading("(c) Lambda canary whose AfterAllowTraffic hook fails: automatic rollback");
        let version = self.lambda.publish_version().await;
        let appspec = lambda_appspec(
            &self.lambda.function,
            "2",
            &version,
            "AfterAllowTraffic",
            FAILING_CHECK,
        );
        let id = self.deploy("shop", "checkout", &appspec).await;
        self.expect_status(&id, DeploymentStatus::Failed).await;
        let alias = self.lambda.alias().await;
        self.expect(
            alias.version == "2" && alias.weights.is_empty(),
            format!("(c) alias live should be back on version 2 alone, found {alias:?}"),
        );
        let deployment = self.world.deployment(&id).await;
        match deployment.rollback_info.rollback_deployment_id {
            Some(rollback) => {
                let rollback = self.world.deployment(&rollback).await;
                println!("  rolled back by {} ({})", rollback.id, rollback.status);
                self.expect(
                    rollback.status == DeploymentStatus::Succeeded,
                    format!(
                        "(c) the rollback deployment should succeed, it is {}",
                        rollback.status
                    ),
                );
            }
            None => self
                .failures
                .push("(c) no rollback deployment is linked".to_owned()),
        }
        self.expect_notifications(
            "(c)",
            &["DeploymentStart", "DeploymentRollback", "DeploymentFailure"],
        )
        .await;
    }

    async fn deploy(&mut self, application: &str, group: &str, appspec: &str) -> DeploymentId {
        let request = CreateDeploymentRequest {
            application_name: application.to_owned(),
            deployment_group_name: group.to_owned(),
            revision: Revision::AppSpecContent {
                app_spec_content: AppSpecContent {
                    content: appspec.to_owned(),
                    sha256: None,
                },
            },
            deployment_config_name: None,
            description: Some("gradual demo".to_owned()),
            auto_rollback_configuration: None,
            alarm_configuration: None,
            client_request_token: None,
            ignore_alarms_firing_at_start: false,
        };
        let id = self.world.deploy(&request).await.unwrap_or_else(|error| {
            panic!("create-deployment refused the demo's request: {error}")
        });
        println!("  created {id}");
        let follower = progress::follow(&self.world, id.clone());
        let outcome = self.world.wait_for(&id).await;
        // One last look, so that nothing recorded at the very end is missed.
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        follower.abort();
        match outcome {
            Ok(outcome) => println!("  workflow ended: {:?}", outcome.status),
            Err(error) => self
                .failures
                .push(format!("{id}: the workflow could not be awaited: {error}")),
        }
        id
    }

    async fn expect_status(&mut self, id: &DeploymentId, expected: DeploymentStatus) {
        let deployment = self.world.deployment(id).await;
        if let Some(error) = &deployment.error_information {
            println!("  error: {error}");
        }
        self.expect(
            deployment.status == expected,
            format!("{id} should be {expected}, it is {}", deployment.status),
        );
    }

    async fn expect_notifications(&mut self, scenario: &str, expected: &[&str]) {
        let received = self.world.notifications(&self.topic).await;
        for notification in &received {
            println!(
                "  SNS {:<20} {}",
                notification.event_name.as_deref().unwrap_or("?"),
                notification.message
            );
        }
        let events: Vec<&str> = received
            .iter()
            .filter_map(|notification| notification.event_name.as_deref())
            .collect();
        self.expect(
            events == expected,
            format!("{scenario} SNS events should be {expected:?}, received {events:?}"),
        );
    }

    fn expect(&mut self, holds: bool, failure: String) {
        if !holds {
            println!("  UNEXPECTED: {failure}");
            self.failures.push(failure);
        }
    }
}

fn heading(title: &str) {
    println!("\n{title}");
}

fn lambda_appspec(function: &str, current: &str, target: &str, event: &str, hook: &str) -> String {
    format!(
        "version: 0.0\nResources:\n  - checkout:\n      Type: AWS::Lambda::Function\n      Properties:\n        Name: {function}\n        Alias: live\n        CurrentVersion: \"{current}\"\n        TargetVersion: \"{target}\"\nHooks:\n  - {event}: {hook}\n"
    )
}

fn ecs_appspec(hook: &str) -> String {
    format!(
        "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: \"arn:aws:ecs:us-east-1:123456789012:task-definition/storefront:7\"\n        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 80\nHooks:\n  - AfterAllowTestTraffic: {hook}\n"
    )
}
