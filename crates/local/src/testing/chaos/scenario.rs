//! The two deployments of the matrix, staged on a fresh world.

use super::*;

/// The deployment of a scenario, ready to start.
pub(super) struct Stage {
    pub(super) request: CreateDeploymentRequest,
    pub(super) group: DeploymentGroup,
    pub(super) target: Target,
    pub(super) initial: Routing,
    pub(super) topic: TriggerTopic,
}

const LAMBDA_HOOKS: [(LifecycleEvent, &str); 2] = [
    (LifecycleEvent::BeforeAllowTraffic, "chaos-before-allow"),
    (LifecycleEvent::AfterAllowTraffic, "chaos-after-allow"),
];
const ALB_HOOKS: [(LifecycleEvent, &str); 1] =
    [(LifecycleEvent::AfterAllowTestTraffic, "chaos-test-traffic")];

/// The traffic writes of the routers: the last one that got through is when traffic came home.
pub(super) const TRAFFIC_WRITES: [&str; 3] = ["UpdateAlias", "ModifyListener", "ModifyRule"];

/// How long a client keeps retrying a refused create, and how often.
pub(super) const CREATE_ATTEMPTS: usize = 6;
pub(super) const CREATE_RETRY_WAIT: Duration = Duration::from_secs(60);

impl Scenario {
    pub(super) async fn stage(self, world: &TestWorld) -> Stage {
        let topic = world.trigger_topic().await;
        let (platform, config, target, hooks): (_, _, _, &[(LifecycleEvent, &str)]) = match self {
            Scenario::LambdaCanary => {
                let sample = LambdaWorld::new().await;
                let target = Target::LambdaAlias(sample.target("1", "2"));
                (
                    ComputePlatform::Lambda,
                    "CodeDeployDefault.LambdaCanary10Percent5Minutes",
                    target,
                    &LAMBDA_HOOKS,
                )
            }
            Scenario::AlbLinear => {
                let sample = AlbWorld::new().await;
                let target = Target::AlbListener(sample.target());
                (
                    ComputePlatform::Ecs,
                    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
                    target,
                    &ALB_HOOKS,
                )
            }
        };
        for (_, hook) in hooks {
            world.hook(hook, crate::testing::Reply::Succeed);
        }
        let group = DeploymentGroup {
            application_name: unique_name("chaos"),
            deployment_group_name: "main".to_owned(),
            compute_platform: platform,
            deployment_config_name: config.to_owned(),
            targets: Vec::new(),
            auto_rollback_configuration: AutoRollbackConfiguration {
                enabled: true,
                events: vec![
                    AutoRollbackEvent::DeploymentFailure,
                    AutoRollbackEvent::DeploymentStopOnRequest,
                ],
            },
            alarm_configuration: Default::default(),
            trigger_configurations: vec![TriggerConfig {
                trigger_name: "everything".to_owned(),
                trigger_target_arn: topic.topic_arn.clone(),
                trigger_events: TriggerEvent::ALL.to_vec(),
            }],
        };
        world.register(&group).await;
        let hooks: Vec<Hook> = hooks
            .iter()
            .map(|(event, function)| Hook {
                event: *event,
                function_name: (*function).to_owned(),
            })
            .collect();
        let request = serde_json::from_value(json!({
            "applicationName": group.application_name,
            "deploymentGroupName": group.deployment_group_name,
            "revision": {"revisionType": "Targets", "targets": [target], "hooks": hooks},
            "clientRequestToken": unique_name("chaos"),
        }))
        .expect("a well-formed request");
        let initial = world.routing(&target).await;
        Stage {
            request,
            group,
            target,
            initial,
            topic,
        }
    }
}
