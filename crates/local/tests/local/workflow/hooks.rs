//! Lifecycle hooks, under CodeDeploy's contract: a hook is invoked with a deployment id and an
//! execution id, and reports Succeeded or Failed once; anything else is refused and changes
//! nothing.

use super::support::{
    alias_subject, duration, group, request, routing_at, HookCall, Reply, Subject, TestWorld,
};
use gradual_asl::FunctionError;
use gradual_core::history::HistoryRecord;
use gradual_core::ports::DeploymentRecords;
use gradual_core::ports::{HookExecution, HookExecutionStatus, HookExecutionStore};
use gradual_core::secret::shown;
use gradual_core::LifecycleEvent::{AfterAllowTraffic, BeforeAllowTraffic};
use gradual_core::{ComputePlatform, Deployment, DeploymentId, DeploymentStatus, ErrorCode};
use gradual_handlers::create_deployment::HOOK_TIMEOUT_SECONDS;
use gradual_local::testing::capture_logs;
use gradual_local::world::Routing;

const CANARY: &str = "CodeDeployDefault.LambdaCanary10Percent5Minutes";

/// A canary deployment of an alias whose BeforeAllowTraffic hook `smoke-test` succeeds and
/// whose AfterAllowTraffic hook `after-check` answers `after`, run to its end.
async fn run_with_two_hooks(world: &TestWorld, after: Reply) -> (Subject, Deployment) {
    world.hook("smoke-test", Reply::Succeed);
    world.hook("after-check", after);
    let (_, subject) = alias_subject(world).await;
    let group = group(ComputePlatform::Lambda, CANARY);
    world.register(&group).await;
    let hooks = [
        (BeforeAllowTraffic, "smoke-test"),
        (AfterAllowTraffic, "after-check"),
    ];
    let deployment = world.run(&request(&group, &subject, &hooks)).await;
    (subject, deployment)
}

#[tokio::test]
async fn hooks_that_succeed_run_before_and_after_traffic_and_let_the_deployment_through() {
    let world = TestWorld::new().await;
    let (subject, deployment) = run_with_two_hooks(&world, Reply::Succeed).await;

    assert_eq!(deployment.status, DeploymentStatus::Succeeded);
    let before = only_call(&world, "smoke-test", &deployment.id);
    assert_eq!(before.routing, Ok(vec![subject.initial.clone()]));
    let after = only_call(&world, "after-check", &deployment.id);
    assert_eq!(after.routing, Ok(vec![routing_at(&subject, 100, false)]));
    for call in [&before, &after] {
        assert!(matches!(call.report, Some(Ok(_))), "{call:?}");
        let execution = execution(&world, &call.payload.lifecycle_event_hook_execution_id).await;
        assert_eq!(execution.status, HookExecutionStatus::Succeeded);
        assert_eq!(execution.deployment_id, deployment.id);
    }
}

#[tokio::test]
async fn neither_hook_execution_ids_nor_task_tokens_are_ever_logged_whole() {
    let (logs, _capture) = capture_logs();
    let world = TestWorld::new().await;
    let (_, deployment) = run_with_two_hooks(&world, Reply::Fail).await;

    assert_eq!(deployment.status, DeploymentStatus::Failed);
    let logged = logs.text();
    assert!(
        logged.contains(deployment.id.as_str()),
        "nothing was captured"
    );
    for function in ["smoke-test", "after-check"] {
        let call = only_call(&world, function, &deployment.id);
        let id = &call.payload.lifecycle_event_hook_execution_id;
        let execution = execution(&world, id).await;
        for secret in [id, &execution.task_token] {
            let leaks: Vec<&str> = logged
                .lines()
                .filter(|line| line.contains(secret.as_str()))
                .collect();
            assert!(
                leaks.is_empty(),
                "{function}: {secret} was logged in {leaks:#?}"
            );
        }
        // The task token identifies its wait in the logs by its start.
        assert!(logged.contains(&shown(&execution.task_token)), "{logged}");
    }
}

#[tokio::test]
async fn a_hook_that_fails_fails_the_deployment_and_rolls_it_back() {
    let world = TestWorld::new().await;
    world.hook("after-check", Reply::Fail);
    let (_, subject) = alias_subject(&world).await;
    let group = group(ComputePlatform::Lambda, CANARY);
    world.register(&group).await;

    let deployment = world
        .run(&request(
            &group,
            &subject,
            &[(AfterAllowTraffic, "after-check")],
        ))
        .await;

    assert_eq!(deployment.status, DeploymentStatus::Failed);
    let error = deployment
        .error_information
        .expect("the failure is explained");
    assert_eq!(error.code, ErrorCode::HookExecutionFailure);
    assert!(
        error.message.contains("after-check") && error.message.contains("AfterAllowTraffic"),
        "the message names the hook and its event: {}",
        error.message
    );
    let call = only_call(&world, "after-check", &deployment.id);
    assert_eq!(call.routing, Ok(vec![routing_at(&subject, 100, false)]));
    assert!(deployment.rollback_info.rollback_deployment_id.is_some());
    assert_eq!(world.routing(&subject.target).await, subject.initial);
}

#[tokio::test]
async fn a_hook_that_never_answers_fails_the_deployment_after_exactly_the_hook_timeout() {
    let world = TestWorld::new().await;
    world.hook("silent-check", Reply::Hold);
    let (_, subject) = alias_subject(&world).await;
    let group = group(ComputePlatform::Lambda, CANARY);
    world.register(&group).await;

    let deployment = world
        .run(&request(
            &group,
            &subject,
            &[(BeforeAllowTraffic, "silent-check")],
        ))
        .await;

    assert_eq!(deployment.status, DeploymentStatus::Failed);
    let error = deployment
        .error_information
        .clone()
        .expect("the failure is explained");
    assert_eq!(error.code, ErrorCode::Timeout, "{error}");
    assert_eq!(
        duration(&deployment),
        time::Duration::seconds(HOOK_TIMEOUT_SECONDS as i64)
    );
    let call = only_call(&world, "silent-check", &deployment.id);
    assert_eq!(call.at, deployment.start_time.expect("it started"));
    let execution = execution(&world, &call.payload.lifecycle_event_hook_execution_id).await;
    assert_eq!(execution.status, HookExecutionStatus::Pending);
    assert_eq!(world.routing(&subject.target).await, subject.initial);
}

#[tokio::test]
async fn a_second_report_for_the_same_hook_execution_is_refused_and_changes_nothing() {
    let world = TestWorld::manual().await;
    let (subject, id, call) = pending_hook(&world).await;
    let execution_id = &call.payload.lifecycle_event_hook_execution_id;
    world
        .report(id.as_str(), execution_id, "Succeeded")
        .await
        .expect("the first report is taken");
    world.clock.settle().await;
    let before = Snapshot::take(&world, &id, execution_id, &subject).await;
    assert_eq!(before.deployment.status, DeploymentStatus::Baking);

    for status in ["Succeeded", "Failed"] {
        let refusal = world
            .report(id.as_str(), execution_id, status)
            .await
            .expect_err("a second report is refused");
        assert_eq!(refusal.error_type, "InvalidInput");
        assert_eq!(
            refusal.message,
            format!(
                "lifecycle event hook execution {} already completed with status Succeeded",
                shown(execution_id)
            )
        );
    }

    world.clock.settle().await;
    assert_eq!(
        Snapshot::take(&world, &id, execution_id, &subject).await,
        before
    );
    world.clock.set_auto_advance(true);
    assert_eq!(world.finish(&id).await.status, DeploymentStatus::Succeeded);
}

#[tokio::test]
async fn reports_with_a_forged_execution_id_are_refused_and_change_nothing() {
    let world = TestWorld::manual().await;
    let (subject, id, call) = pending_hook(&world).await;
    let (_, other_id, other_call) = pending_hook(&world).await;
    let execution_id = &call.payload.lifecycle_event_hook_execution_id;
    let before = Snapshot::take(&world, &id, execution_id, &subject).await;
    let unknown = "0".repeat(64);

    let refusal = refused(world.report(id.as_str(), &unknown, "Succeeded").await);
    assert_eq!(
        refusal.message,
        format!(
            "lifecycleEventHookExecutionId: no hook execution {:?} exists",
            shown(&unknown)
        )
    );
    let oversized = "f".repeat(5000);
    let refusal = refused(world.report(id.as_str(), &oversized, "Succeeded").await);
    assert_eq!(
        refusal.message,
        "lifecycleEventHookExecutionId: 5000 characters, above the limit of 128"
    );
    let refusal = refused(
        world
            .report(other_id.as_str(), execution_id, "Succeeded")
            .await,
    );
    assert_eq!(
        refusal.message,
        format!(
            "lifecycleEventHookExecutionId: hook execution {:?} belongs to another deployment than {other_id}",
            shown(execution_id)
        )
    );

    world.clock.settle().await;
    assert_eq!(
        Snapshot::take(&world, &id, execution_id, &subject).await,
        before
    );
    let other_execution = &other_call.payload.lifecycle_event_hook_execution_id;
    assert_eq!(
        execution(&world, other_execution).await.status,
        HookExecutionStatus::Pending
    );
    both_succeed(&world, [(&id, execution_id), (&other_id, other_execution)]).await;
}

#[tokio::test]
async fn a_status_other_than_succeeded_or_failed_is_refused_and_changes_nothing() {
    let world = TestWorld::manual().await;
    let (subject, id, call) = pending_hook(&world).await;
    let execution_id = &call.payload.lifecycle_event_hook_execution_id;
    let before = Snapshot::take(&world, &id, execution_id, &subject).await;

    for status in ["InProgress", "Pending", "Skipped", "succeeded", ""] {
        let refusal = refused(world.report(id.as_str(), execution_id, status).await);
        assert_eq!(
            refusal.message,
            format!("status: must be \"Succeeded\" or \"Failed\", got {status:?}")
        );
    }

    world.clock.settle().await;
    assert_eq!(
        Snapshot::take(&world, &id, execution_id, &subject).await,
        before
    );
    world
        .report(id.as_str(), execution_id, "Failed")
        .await
        .expect("a Failed report is taken");
    world.clock.set_auto_advance(true);
    let deployment = world.finish(&id).await;
    assert_eq!(deployment.status, DeploymentStatus::Failed);
    let error = deployment
        .error_information
        .expect("the failure is explained");
    assert_eq!(error.code, ErrorCode::HookExecutionFailure);
}

/// A Lambda deployment of its own group, waiting for the report of its BeforeAllowTraffic hook.
async fn pending_hook(world: &TestWorld) -> (Subject, DeploymentId, HookCall) {
    world.hook("manual-check", Reply::Hold);
    let (_, subject) = alias_subject(world).await;
    let group = group(ComputePlatform::Lambda, CANARY);
    world.register(&group).await;
    let id = world
        .start(&request(
            &group,
            &subject,
            &[(BeforeAllowTraffic, "manual-check")],
        ))
        .await;
    let call = world.hooks.called("manual-check", &id).await;
    world.clock.settle().await;
    (subject, id, call)
}

async fn both_succeed(world: &TestWorld, pending: [(&DeploymentId, &String); 2]) {
    for (id, execution_id) in pending {
        world
            .report(id.as_str(), execution_id, "Succeeded")
            .await
            .expect("the real report is taken");
    }
    world.clock.set_auto_advance(true);
    for (id, _) in pending {
        assert_eq!(world.finish(id).await.status, DeploymentStatus::Succeeded);
    }
}

fn refused(answer: Result<serde_json::Value, FunctionError>) -> FunctionError {
    let refusal = answer.expect_err("the report is refused");
    assert_eq!(refusal.error_type, "InvalidInput", "{refusal}");
    refusal
}

fn only_call(world: &TestWorld, hook: &str, id: &DeploymentId) -> HookCall {
    let mut calls = world.hooks.of(hook, id);
    assert_eq!(calls.len(), 1, "{hook} is invoked once: {calls:?}");
    calls.remove(0)
}

async fn execution(world: &TestWorld, execution_id: &str) -> HookExecution {
    world
        .store
        .get_hook_execution(execution_id)
        .await
        .expect("read the hook execution")
        .expect("the hook execution is stored")
}

/// Everything a refused report could have changed.
#[derive(Debug, PartialEq)]
struct Snapshot {
    deployment: Deployment,
    history: Vec<HistoryRecord>,
    execution: HookExecution,
    routing: Routing,
}

impl Snapshot {
    async fn take(
        world: &TestWorld,
        id: &DeploymentId,
        execution_id: &str,
        subject: &Subject,
    ) -> Self {
        Snapshot {
            deployment: world.store.get_deployment(id).await.unwrap().unwrap(),
            history: world.history(id).await,
            execution: execution(world, execution_id).await,
            routing: world.routing(&subject.target).await,
        }
    }
}
