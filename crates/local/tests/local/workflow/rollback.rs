//! Automatic rollback: traffic goes back exactly where it was, and the rollback is a
//! deployment of its own, linked both ways. Without automatic rollback, traffic stays put.

use super::support::{
    alias_subject, group, listener_subject, request, rollback_on_failure, routing_at, seen,
    test_traffic, Reply, Seen, Subject, TestWorld,
};
use async_trait::async_trait;
use gradual_asl::{FunctionError, LambdaFunction};
use gradual_core::LifecycleEvent::AfterAllowTraffic;
use gradual_core::{ComputePlatform, Creator, Deployment, DeploymentStatus, ErrorCode, Target};
use gradual_emulator::sample::alb::AlbWorld;
use gradual_handlers::Function;
use gradual_local::world::names;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const LINEAR: &str = "CodeDeployDefault.LambdaLinear10PercentEvery1Minute";
const ECS_LINEAR: &str = "CodeDeployDefault.ECSLinear10PercentEvery1Minutes";

#[tokio::test]
async fn a_rollback_puts_the_alias_back_exactly_and_is_a_deployment_of_its_own() {
    let world = TestWorld::new().await;
    let (subject, deployment) = failing_after_traffic(&world, true).await;

    assert_eq!(deployment.status, DeploymentStatus::Failed);
    let last = seen(&world, &deployment)
        .pop()
        .expect("traffic was observed");
    assert_eq!(last, Seen::ok(540, "rollback", subject.initial.clone()));
    assert_eq!(
        world.routing(&subject.target).await,
        routing_at(&subject, 0, false)
    );
    assert_eq!(routing_at(&subject, 0, false), subject.initial);

    let rollback_id = deployment
        .rollback_info
        .rollback_deployment_id
        .clone()
        .expect("the deployment names its rollback");
    let rollback = world.deployment(&rollback_id).await;
    assert_eq!(rollback.status, DeploymentStatus::Succeeded);
    assert_eq!(rollback.creator, Creator::Autorollback);
    assert_eq!(
        rollback.rollback_info.rollback_triggering_deployment_id,
        Some(deployment.id.clone())
    );
    assert_eq!(rollback.targets, deployment.targets);
    assert_eq!(
        rollback.deployment_config_name,
        "CodeDeployDefault.LambdaAllAtOnce"
    );
    let message = deployment
        .rollback_info
        .rollback_message
        .expect("a rollback message");
    assert!(
        message.contains(rollback_id.as_str()) && message.contains("HOOK_EXECUTION_FAILURE"),
        "{message}"
    );
}

#[tokio::test]
async fn without_automatic_rollback_a_failed_deployment_leaves_the_alias_on_the_new_version() {
    let world = TestWorld::new().await;
    let (subject, deployment) = failing_after_traffic(&world, false).await;

    assert_eq!(deployment.status, DeploymentStatus::Failed);
    assert_eq!(
        deployment
            .error_information
            .as_ref()
            .map(|error| error.code),
        Some(ErrorCode::HookExecutionFailure)
    );
    assert_eq!(deployment.rollback_info, Default::default());
    let last = seen(&world, &deployment)
        .pop()
        .expect("traffic was observed");
    assert_eq!(last.moment, "finish");
    assert_eq!(
        world.routing(&subject.target).await,
        routing_at(&subject, 100, false)
    );
}

#[tokio::test]
async fn a_rollback_from_a_split_puts_both_listeners_back_on_blue() {
    let world = TestWorld::new().await;
    let (subject, deployment) = green_fails_during_first_bake(&world, true).await;

    assert_failed_on_health(&deployment);
    let back_on_blue = routing_at(&subject, 0, false);
    let mut expected = split_then_failed_shift(&subject);
    expected.push(Seen::ok(60, "rollback", back_on_blue.clone()));
    assert_eq!(seen(&world, &deployment), expected);
    assert_eq!(world.routing(&subject.target).await, back_on_blue);
    let rollback = world
        .deployment(
            deployment
                .rollback_info
                .rollback_deployment_id
                .as_ref()
                .unwrap(),
        )
        .await;
    assert_eq!(rollback.status, DeploymentStatus::Succeeded);
    assert_eq!(rollback.creator, Creator::Autorollback);
}

#[tokio::test]
async fn without_automatic_rollback_a_failed_split_stays_split() {
    let world = TestWorld::new().await;
    let (subject, deployment) = green_fails_during_first_bake(&world, false).await;

    assert_failed_on_health(&deployment);
    assert_eq!(deployment.rollback_info, Default::default());
    assert_eq!(seen(&world, &deployment), split_then_failed_shift(&subject));
    assert_eq!(
        world.routing(&subject.target).await,
        routing_at(&subject, 10, true)
    );
}

/// A Lambda linear deployment whose AfterAllowTraffic hook fails once all traffic moved.
async fn failing_after_traffic(world: &TestWorld, rollback: bool) -> (Subject, Deployment) {
    world.hook("after-check", Reply::Fail);
    let (_, subject) = alias_subject(world).await;
    let mut group = group(ComputePlatform::Lambda, LINEAR);
    group.auto_rollback_configuration = rollback_on_failure(rollback);
    world.register(&group).await;
    let deployment = world
        .run(&request(
            &group,
            &subject,
            &[(AfterAllowTraffic, "after-check")],
        ))
        .await;
    (subject, deployment)
}

/// An ECS linear deployment whose green instance stops as soon as the first bake begins, so
/// that the shift after it finds green unhealthy.
async fn green_fails_during_first_bake(world: &TestWorld, rollback: bool) -> (Subject, Deployment) {
    let (alb, subject) = listener_subject(world).await;
    let bake = world
        .functions
        .function(&names::function_name(Function::Bake))
        .expect("bake is registered");
    world.functions.register(
        names::function_name(Function::Bake),
        StopGreenOnFirstBake {
            bake,
            alb: Arc::new(alb),
            stopped: AtomicBool::new(false),
        },
    );
    let mut group = group(ComputePlatform::Ecs, ECS_LINEAR);
    group.auto_rollback_configuration = rollback_on_failure(rollback);
    world.register(&group).await;
    let deployment = world.run(&request(&group, &subject, &[])).await;
    (subject, deployment)
}

/// What the unhealthy-green deployment shows up to its failure: test traffic, 10 % baked for a
/// minute, then a shift to 20 % refused with traffic left at 10 %.
fn split_then_failed_shift(subject: &Subject) -> Vec<Seen> {
    let at_ten = routing_at(subject, 10, true);
    vec![
        Seen::ok(0, "start", subject.initial.clone()),
        Seen::ok(0, "test-traffic", test_traffic(&subject.initial)),
        Seen::ok(0, "shift", at_ten.clone()),
        Seen::ok(0, "bake", at_ten.clone()),
        Seen {
            succeeded: false,
            ..Seen::ok(60, "shift", at_ten)
        },
    ]
}

fn assert_failed_on_health(deployment: &Deployment) {
    assert_eq!(deployment.status, DeploymentStatus::Failed);
    let error = deployment
        .error_information
        .as_ref()
        .expect("the failure is explained");
    assert_eq!(error.code, ErrorCode::HealthConstraints, "{error}");
    assert!(matches!(deployment.targets[0], Target::AlbListener(_)));
}

struct StopGreenOnFirstBake {
    bake: Arc<dyn LambdaFunction>,
    alb: Arc<AlbWorld>,
    stopped: AtomicBool,
}

#[async_trait]
impl LambdaFunction for StopGreenOnFirstBake {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        let answer = self.bake.invoke(payload).await;
        if !self.stopped.swap(true, Ordering::SeqCst) {
            self.alb.stop_green_instance().await;
        }
        answer
    }
}
