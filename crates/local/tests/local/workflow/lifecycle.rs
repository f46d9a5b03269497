//! The lifecycle of a blue/green deployment with a hook on every event that takes one, in
//! CodeDeploy's order, each hook seeing the traffic its event promises.

use super::support::{
    appspec_request, group, listener_subject, routing_at, test_traffic, Reply, TestWorld,
};
use gradual_asl::HistoryEventType;
use gradual_core::history::{HistoryEntry, LifecycleEventStatus};
use gradual_core::{ComputePlatform, DeploymentStatus, LifecycleEvent};

const HOOKS: [(LifecycleEvent, &str); 5] = [
    (LifecycleEvent::BeforeInstall, "before-install"),
    (LifecycleEvent::AfterInstall, "after-install"),
    (LifecycleEvent::AfterAllowTestTraffic, "after-test-traffic"),
    (LifecycleEvent::BeforeAllowTraffic, "before-traffic"),
    (LifecycleEvent::AfterAllowTraffic, "after-traffic"),
];

#[tokio::test]
async fn a_blue_green_deployment_runs_its_five_hooks_in_codedeploys_order() {
    let world = TestWorld::new().await;
    for (_, hook) in HOOKS {
        world.hook(hook, Reply::Succeed);
    }
    let (_, subject) = listener_subject(&world).await;
    let mut group = group(
        ComputePlatform::Ecs,
        "CodeDeployDefault.ECSCanary10Percent5Minutes",
    );
    group.targets = vec![subject.target.clone()];
    world.register(&group).await;

    let deployment = world.run(&appspec_request(&group, &ecs_appspec())).await;

    assert_eq!(deployment.status, DeploymentStatus::Succeeded);
    let calls = world.hooks.all();
    let called: Vec<&str> = calls.iter().map(|call| call.function.as_str()).collect();
    assert_eq!(called, HOOKS.map(|(_, hook)| hook));
    let seen_by_hooks: Vec<_> = calls.iter().map(|call| call.routing.clone()).collect();
    let before_test_traffic = subject.initial.clone();
    let with_test_traffic = test_traffic(&subject.initial);
    assert_eq!(
        seen_by_hooks,
        [
            before_test_traffic.clone(),
            before_test_traffic,
            with_test_traffic.clone(),
            with_test_traffic,
            routing_at(&subject, 100, true),
        ]
        .map(|routing| Ok(vec![routing]))
    );

    let history = world.history(&deployment.id).await;
    let steps: Vec<&str> = history
        .iter()
        .filter(|record| match &record.entry {
            HistoryEntry::Lifecycle { status, .. } => *status != LifecycleEventStatus::InProgress,
            HistoryEntry::Traffic { .. } => true,
            _ => false,
        })
        .map(|record| record.key.as_str())
        .collect();
    assert_eq!(
        steps,
        [
            "traffic:start:0",
            "lifecycle:BeforeInstall:Succeeded",
            "lifecycle:AfterInstall:Succeeded",
            "traffic:test-traffic:0",
            "lifecycle:AfterAllowTestTraffic:Succeeded",
            "lifecycle:BeforeAllowTraffic:Succeeded",
            "traffic:shift:10",
            "traffic:finish:100",
            "lifecycle:AfterAllowTraffic:Succeeded",
        ]
    );
    for (event, _) in HOOKS {
        let invoked = format!("lifecycle:{event}:InProgress");
        assert!(
            history.iter().any(|record| record.key == invoked),
            "{invoked}"
        );
    }

    let states: Vec<String> = world
        .executor
        .history(&world.execution_arn(deployment.id.as_str()))
        .into_iter()
        .filter(|event| event.event_type == HistoryEventType::TaskStateEntered)
        .filter_map(|event| event.details.name)
        .collect();
    assert_eq!(
        states,
        [
            "RecordStart",
            "CheckTargets",
            "BeforeInstall",
            "AfterInstall",
            "AllowTestTraffic",
            "AfterAllowTestTraffic",
            "BeforeAllowTraffic",
            "Shift",
            "Bake",
            "FinishTraffic",
            "AfterAllowTraffic",
            "RecordSuccess",
        ]
    );
}

/// An ECS AppSpec naming a hook for each of the five events; the listeners come from the group.
fn ecs_appspec() -> String {
    let hooks: String = HOOKS
        .iter()
        .map(|(event, hook)| format!("  - {event}: {hook}\n"))
        .collect();
    format!(
        "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: \"arn:aws:ecs:us-east-1:123456789012:task-definition/shop:3\"\n        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 80\nHooks:\n{hooks}"
    )
}
