//! A local world with a group that watches alarms, and what the alarm tests look at: the
//! deployment's record and history, the targets' routing on the emulator, the SNS triggers.

use gradual_core::history::HistoryEntry;
use gradual_core::ports::{AlarmError, AlarmReading, AlarmSource};
use gradual_core::{
    AlarmConfiguration, AutoRollbackConfiguration, AutoRollbackEvent, ComputePlatform, Deployment,
    DeploymentGroup, DeploymentId, DeploymentStatus, ErrorCode, Target, TriggerConfig,
    TriggerEvent,
};
use gradual_emulator::sample::alb::AlbWorld;
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_emulator::unique_name;
use gradual_handlers::create_deployment::{CreateDeploymentRequest, Revision};
use gradual_local::testing::TestWorld;
use gradual_local::world::TriggerTopic;
use time::OffsetDateTime;

pub const LAMBDA_CANARY_10_MINUTES: &str = "CodeDeployDefault.LambdaCanary10Percent10Minutes";
pub const ECS_CANARY_15_MINUTES: &str = "CodeDeployDefault.ECSCanary10Percent15Minutes";

/// What a scene's group watches and how it reacts.
#[derive(Debug, Clone, Copy)]
pub struct Watch {
    pub alarms: usize,
    pub ignore_poll_alarm_failure: bool,
}

impl Default for Watch {
    fn default() -> Self {
        Watch {
            alarms: 1,
            ignore_poll_alarm_failure: false,
        }
    }
}

/// One world, one group watching its own alarms (rolling back on failure and on alarm), the
/// group's trigger topic, and the target the group's deployments move.
pub struct Scene {
    pub world: TestWorld,
    pub topic: TriggerTopic,
    pub group: DeploymentGroup,
    pub alarms: Vec<String>,
    pub target: Target,
    pub lambda: Option<LambdaWorld>,
    pub alb: Option<AlbWorld>,
}

impl Scene {
    /// A Lambda group (alias from version 1 to 2, canary 10 % for 10 minutes). With a manual
    /// clock the test moves time itself; otherwise time jumps whenever the world is idle.
    pub async fn lambda(watch: Watch, manual_clock: bool) -> Scene {
        let lambda = LambdaWorld::new().await;
        let target = Target::LambdaAlias(lambda.target("1", "2"));
        let mut scene = Scene::new(
            watch,
            manual_clock,
            ComputePlatform::Lambda,
            LAMBDA_CANARY_10_MINUTES,
            target,
        )
        .await;
        scene.lambda = Some(lambda);
        scene
    }

    /// An ECS group (ALB listener from blue to green, canary 10 % for 15 minutes).
    pub async fn ecs(watch: Watch, manual_clock: bool) -> Scene {
        let alb = AlbWorld::new().await;
        let target = Target::AlbListener(alb.target());
        let mut scene = Scene::new(
            watch,
            manual_clock,
            ComputePlatform::Ecs,
            ECS_CANARY_15_MINUTES,
            target,
        )
        .await;
        scene.alb = Some(alb);
        scene
    }

    async fn new(
        watch: Watch,
        manual_clock: bool,
        platform: ComputePlatform,
        config: &str,
        target: Target,
    ) -> Scene {
        let world = if manual_clock {
            TestWorld::manual().await
        } else {
            TestWorld::new().await
        };
        let topic = world.trigger_topic().await;
        let mut alarms = Vec::new();
        for _ in 0..watch.alarms {
            let alarm = unique_name("errors");
            world.create_alarm(&alarm).await;
            alarms.push(alarm);
        }
        let group = DeploymentGroup {
            application_name: unique_name("shop"),
            deployment_group_name: "live".to_owned(),
            compute_platform: platform,
            deployment_config_name: config.to_owned(),
            targets: Vec::new(),
            auto_rollback_configuration: AutoRollbackConfiguration {
                enabled: true,
                events: vec![
                    AutoRollbackEvent::DeploymentFailure,
                    AutoRollbackEvent::DeploymentStopOnAlarm,
                ],
            },
            alarm_configuration: AlarmConfiguration {
                enabled: true,
                ignore_poll_alarm_failure: watch.ignore_poll_alarm_failure,
                alarms: alarms.clone(),
            },
            trigger_configurations: vec![TriggerConfig {
                trigger_name: "all-events".to_owned(),
                trigger_target_arn: topic.topic_arn.clone(),
                trigger_events: TriggerEvent::ALL.to_vec(),
            }],
        };
        world.register(&group).await;
        Scene {
            world,
            topic,
            group,
            alarms,
            target,
            lambda: None,
            alb: None,
        }
    }

    pub fn request(&self, ignore_alarms_firing_at_start: bool) -> CreateDeploymentRequest {
        CreateDeploymentRequest {
            application_name: self.group.application_name.clone(),
            deployment_group_name: self.group.deployment_group_name.clone(),
            revision: Revision::Targets {
                targets: vec![self.target.clone()],
                hooks: Vec::new(),
            },
            deployment_config_name: None,
            description: Some("alarm test".to_owned()),
            auto_rollback_configuration: None,
            alarm_configuration: None,
            client_request_token: None,
            ignore_alarms_firing_at_start,
        }
    }

    pub async fn deploy(&self, ignore_alarms_firing_at_start: bool) -> DeploymentId {
        self.world
            .deploy(&self.request(ignore_alarms_firing_at_start))
            .await
            .unwrap_or_else(|error| panic!("create-deployment refused the request: {error}"))
    }

    /// Deploys and lets the workflow run until it waits in its first bake (manual clock).
    pub async fn deploy_until_baking(&self) -> DeploymentId {
        let id = self.deploy(false).await;
        self.world.baking(&id).await;
        id
    }

    /// Lets time run by itself until the deployment's workflow ends; the deployment as stored.
    pub async fn finish(&self, id: &DeploymentId) -> Deployment {
        self.world.run_to_end(id).await
    }

    /// The SNS trigger events received so far, oldest first.
    pub async fn trigger_events(&self) -> Vec<String> {
        self.world.events(&self.topic).await
    }

    /// When the history says the first bake began, and when traffic went back.
    pub async fn bake_and_rollback_times(
        &self,
        id: &DeploymentId,
    ) -> (OffsetDateTime, OffsetDateTime) {
        let history = self.world.history(id).await;
        let at = |key: &str| {
            history
                .iter()
                .find(|record| record.key == key)
                .unwrap_or_else(|| panic!("no {key} record in {history:#?}"))
                .at
        };
        (at("bake:0"), at("traffic:rollback:0"))
    }

    /// Whether the history shows traffic moved forward (a shift or the finish).
    pub async fn moved_forward(&self, id: &DeploymentId) -> bool {
        self.world.history(id).await.iter().any(|record| {
            matches!(&record.entry, HistoryEntry::Traffic { action, .. } if action == "shift" || action == "finish")
        })
    }

    /// Asserts that the target serves the original version alone.
    pub async fn assert_on_original(&self) {
        if let Some(lambda) = &self.lambda {
            let alias = lambda.alias().await;
            assert_eq!(alias.version, "1", "alias back on version 1: {alias:?}");
            assert!(alias.weights.is_empty(), "no split left: {alias:?}");
        }
        if let Some(alb) = &self.alb {
            let production = alb.weights(&alb.listener).await;
            assert!(
                production.0 > 0 && production.1 == 0,
                "production listener back on blue alone: {production:?}"
            );
            let test = alb.weights(&alb.test_listener).await;
            assert!(
                test.0 > 0 && test.1 == 0,
                "test listener back on blue alone: {test:?}"
            );
        }
    }

    /// Asserts that the target serves the new version alone.
    pub async fn assert_on_new(&self) {
        if let Some(lambda) = &self.lambda {
            let alias = lambda.alias().await;
            assert_eq!(alias.version, "2", "alias on version 2: {alias:?}");
            assert!(alias.weights.is_empty(), "no split left: {alias:?}");
        }
        if let Some(alb) = &self.alb {
            let production = alb.weights(&alb.listener).await;
            assert!(production.0 == 0 && production.1 > 0, "{production:?}");
        }
    }
}

/// Asserts that the deployment was stopped by an alarm with a message containing `message`.
pub fn assert_stopped_by_alarm(deployment: &Deployment, message: &str) {
    assert_eq!(
        deployment.status,
        DeploymentStatus::Stopped,
        "{deployment:#?}"
    );
    let error = deployment
        .error_information
        .as_ref()
        .expect("a stopped deployment says why");
    assert_eq!(error.code, ErrorCode::AlarmActive);
    assert!(
        error.message.contains(message),
        "{:?} should mention {message:?}",
        error.message
    );
    assert!(
        deployment.rollback_info.rollback_deployment_id.is_some(),
        "an alarm stop rolls back (DEPLOYMENT_STOP_ON_ALARM)"
    );
}

/// The triggers of a deployment stopped by an alarm and rolled back, in order.
pub const STOPPED_AND_ROLLED_BACK: [&str; 4] = [
    "DeploymentStart",
    "DeploymentStop",
    "DeploymentRollback",
    "DeploymentFailure",
];

/// An alarm source whose every read fails, as CloudWatch throttling past the retries would.
pub struct FailingAlarms;

pub const INJECTED_FAILURE: &str = "Rate exceeded (injected by the test)";

#[async_trait::async_trait]
impl AlarmSource for FailingAlarms {
    async fn alarm_states(&self, _names: &[String]) -> Result<Vec<AlarmReading>, AlarmError> {
        Err(AlarmError::Service {
            operation: "DescribeAlarms",
            message: INJECTED_FAILURE.to_owned(),
        })
    }
}
