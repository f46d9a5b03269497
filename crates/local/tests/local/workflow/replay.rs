//! Step Functions may run a Task twice with the same payload (a retry after a lost answer).
//! Here every function of the workflow runs twice in a row for every Task, and the deployment
//! must end exactly as a run where each ran once: same traffic, same history, the same SNS
//! messages once each, every hook invoked once, and the replay answering as the first call.

use super::support::{
    alias_subject, group, listener_subject, request, seen, trigger, Reply, Seen, TestWorld,
};
use async_trait::async_trait;
use gradual_asl::BoxFuture;
use gradual_asl::{ExecutionStatus, FunctionError, LambdaFunction};
use gradual_core::{
    ComputePlatform, Creator, Deployment, DeploymentId, DeploymentStatus, ErrorInformation,
    LifecycleEvent, TriggerEvent,
};
use gradual_handlers::Function;
use gradual_local::world::names::{function_arn, function_name};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use time::Duration;

use LifecycleEvent::{AfterAllowTraffic, BeforeAllowTraffic};

const LAMBDA_CANARY: &str = "CodeDeployDefault.LambdaCanary10Percent5Minutes";
const ECS_LINEAR: &str = "CodeDeployDefault.ECSLinear10PercentEvery3Minutes";

/// A deployment to run once normally and once with every Task replayed.
struct Scenario {
    platform: ComputePlatform,
    config: &'static str,
    hooks: &'static [(LifecycleEvent, &'static str, Reply)],
}

#[tokio::test]
async fn replaying_every_task_of_a_lambda_deployment_with_hooks_changes_nothing() {
    replaying_changes_nothing(Scenario {
        platform: ComputePlatform::Lambda,
        config: LAMBDA_CANARY,
        hooks: &[
            (BeforeAllowTraffic, "smoke-test", Reply::Succeed),
            (AfterAllowTraffic, "after-check", Reply::Succeed),
        ],
    })
    .await;
}

#[tokio::test]
async fn replaying_every_task_of_a_failure_and_its_rollback_changes_nothing() {
    replaying_changes_nothing(Scenario {
        platform: ComputePlatform::Lambda,
        config: LAMBDA_CANARY,
        hooks: &[(AfterAllowTraffic, "after-check", Reply::Fail)],
    })
    .await;
}

#[tokio::test]
async fn replaying_every_task_of_a_blue_green_deployment_changes_nothing() {
    replaying_changes_nothing(Scenario {
        platform: ComputePlatform::Ecs,
        config: ECS_LINEAR,
        hooks: &[],
    })
    .await;
}

async fn replaying_changes_nothing(scenario: Scenario) {
    let (once, twice) = tokio::join!(run(&scenario, false), run(&scenario, true));

    assert_eq!(twice.workflow, once.workflow, "how the workflow ended");
    assert_eq!(twice.status, once.status);
    assert_eq!(twice.error, once.error);
    assert_eq!(
        twice.history, once.history,
        "history: (key, time after creation)"
    );
    assert_eq!(twice.rollback, once.rollback);
    assert_eq!(twice.events, once.events, "SNS events, each once");
    assert_eq!(twice.hook_calls, once.hook_calls, "hook invocations");
    let each_twice: Vec<Seen> = once
        .seen
        .iter()
        .flat_map(|seen| [seen.clone(), seen.clone()])
        .collect();
    assert_eq!(
        twice.seen, each_twice,
        "traffic after each call and its replay"
    );
    assert!(!twice.replays.is_empty());
    for replay in &twice.replays {
        assert_eq!(
            replay.second, replay.first,
            "{} {}",
            replay.function, replay.payload
        );
    }
}

/// What a run leaves behind, in terms that do not depend on its world's names and ids.
#[derive(Debug)]
struct Outcome {
    workflow: (ExecutionStatus, Option<String>),
    status: DeploymentStatus,
    error: Option<ErrorInformation>,
    history: TimedHistory,
    rollback: Option<(DeploymentStatus, Creator, TimedHistory)>,
    events: Vec<String>,
    hook_calls: Vec<String>,
    seen: Vec<Seen>,
    replays: Vec<Replay>,
}

async fn run(scenario: &Scenario, replayed: bool) -> Outcome {
    let world = TestWorld::new().await;
    let replays = Arc::new(Mutex::new(Vec::new()));
    if replayed {
        replay_every_task(&world, scenario, &replays);
    }
    for (_, hook, reply) in scenario.hooks {
        world.hook(hook, *reply);
    }
    let subject = match scenario.platform {
        ComputePlatform::Lambda => alias_subject(&world).await.1,
        ComputePlatform::Ecs => listener_subject(&world).await.1,
    };
    let topic = world.trigger_topic().await;
    let mut group = group(scenario.platform, scenario.config);
    group.trigger_configurations = vec![trigger("all", &topic, &TriggerEvent::ALL)];
    world.register(&group).await;
    let hooks: Vec<_> = scenario
        .hooks
        .iter()
        .map(|(event, hook, _)| (*event, *hook))
        .collect();

    let deployment = world.run(&request(&group, &subject, &hooks)).await;
    let ended = world
        .wait_for(&deployment.id)
        .await
        .expect("the workflow ended");

    let rollback = match &deployment.rollback_info.rollback_deployment_id {
        Some(id) => {
            let rollback = world.deployment(id).await;
            let history = timed_history(&world, &rollback).await;
            Some((rollback.status, rollback.creator, history))
        }
        None => None,
    };
    let hook_calls = world
        .hooks
        .all()
        .into_iter()
        .map(|call| call.function)
        .collect();
    let replays = std::mem::take(&mut *replays.lock().unwrap());
    Outcome {
        workflow: (ended.status, ended.error),
        status: deployment.status,
        error: deployment.error_information.clone(),
        history: timed_history(&world, &deployment).await,
        rollback,
        events: world.events(&topic).await,
        hook_calls,
        seen: seen(&world, &deployment),
        replays,
    }
}

/// Every history record's key and time, counted from the deployment's creation.
type TimedHistory = Vec<(String, Duration)>;

async fn timed_history(world: &TestWorld, deployment: &Deployment) -> TimedHistory {
    let history = world.history(&deployment.id).await;
    history
        .into_iter()
        .map(|record| (record.key, record.at - deployment.create_time))
        .collect()
}

/// One Task run twice.
#[derive(Debug)]
struct Replay {
    function: String,
    payload: Value,
    first: Result<Value, FunctionError>,
    second: Result<Value, FunctionError>,
}

type Replays = Arc<Mutex<Vec<Replay>>>;

/// Wraps every workflow function so that each call runs twice. Between a run-hook call and its
/// replay, a hook that reports is let report first, so the replay meets a completed execution.
fn replay_every_task(world: &TestWorld, scenario: &Scenario, replays: &Replays) {
    let hooks = Arc::clone(&world.hooks);
    let hook_of: Vec<(LifecycleEvent, &'static str)> = scenario
        .hooks
        .iter()
        .map(|(event, hook, _)| (*event, *hook))
        .collect();
    let hook_reported: AfterFirst = Arc::new(move |payload: &Value| {
        let hooks = Arc::clone(&hooks);
        let event = payload["lifecycleEvent"]
            .as_str()
            .and_then(LifecycleEvent::parse);
        let hook = hook_of.iter().find(|(hooked, _)| Some(*hooked) == event);
        let waits_for = hook.map(|(_, hook)| (*hook, payload["deploymentId"].clone()));
        Box::pin(async move {
            if let Some((hook, id)) = waits_for {
                let id: DeploymentId = serde_json::from_value(id).expect("a deployment id");
                hooks.called(hook, &id).await;
            }
        })
    });
    let invoked = Function::ALL
        .into_iter()
        .filter(|function| function.substitution().is_some());
    for function in invoked {
        let name = function.name();
        let inner = world
            .functions
            .function(&function_arn(&function_name(function)))
            .expect("every workflow function is registered");
        world.functions.register(
            function_name(function),
            Twice {
                name,
                inner,
                after_first: (function == Function::RunHook).then(|| Arc::clone(&hook_reported)),
                replays: Arc::clone(replays),
            },
        );
    }
}

/// What to wait for between a call and its replay.
type AfterFirst = Arc<dyn Fn(&Value) -> BoxFuture<'static, ()> + Send + Sync>;

struct Twice {
    name: &'static str,
    inner: Arc<dyn LambdaFunction>,
    after_first: Option<AfterFirst>,
    replays: Replays,
}

#[async_trait]
impl LambdaFunction for Twice {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        let first = self.inner.invoke(payload.clone()).await;
        if let Some(after_first) = &self.after_first {
            after_first(&payload).await;
        }
        let second = self.inner.invoke(payload.clone()).await;
        self.replays.lock().unwrap().push(Replay {
            function: self.name.to_owned(),
            payload,
            first,
            second: second.clone(),
        });
        second
    }
}
