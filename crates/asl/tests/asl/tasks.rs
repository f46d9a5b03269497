//! Task states: Lambda invocations, registered resources, timeouts, heartbeats and the
//! `.waitForTaskToken` pattern with SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat.

use crate::support as asl_support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use asl_support::{error_of, manual_world, single_state, world, World};
use async_trait::async_trait;
use gradual_asl::{
    Clock, ExecutionStatus, FunctionError, HistoryEventType, StateMachine, StatesError,
    TaskResource, TaskTokenError,
};
use serde_json::{json, Value};
use tokio::sync::{mpsc, Notify};

fn invoke(function_name: &str) -> Value {
    single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": function_name, "Payload.$": "$"},
        "End": true
    }))
}

fn register_echo(world: &World) {
    world.functions.register_fn(
        "Echo",
        |payload| async move { Ok(json!({"echoed": payload})) },
    );
}

#[tokio::test]
async fn lambda_invoke_returns_what_step_functions_returns() {
    let world = world();
    register_echo(&world);
    let output = world.output(&invoke("Echo"), json!({"n": 1})).await;
    assert_eq!(
        output,
        json!({"ExecutedVersion": "$LATEST", "Payload": {"echoed": {"n": 1}}, "StatusCode": 200})
    );
}

#[tokio::test]
async fn function_names_may_be_arns_with_qualifiers() {
    let world = world();
    register_echo(&world);
    for reference in [
        "arn:aws:lambda:us-east-1:123456789012:function:Echo:live",
        "123456789012:function:Echo",
        "Echo:3",
    ] {
        let output = world.output(&invoke(reference), json!({})).await;
        assert_eq!(output["StatusCode"], json!(200), "{reference}");
    }
}

#[tokio::test]
async fn a_function_arn_resource_returns_the_output_itself() {
    let world = world();
    register_echo(&world);
    let definition = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Echo", "End": true
    }));
    assert_eq!(
        world.output(&definition, json!({"n": 2})).await,
        json!({"echoed": {"n": 2}})
    );
}

#[tokio::test]
async fn an_unknown_function_is_a_resource_not_found_failure() {
    let world = world();
    let arn = world.start(&invoke("Missing"), json!({}));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(error_of(&outcome), "Lambda.ResourceNotFoundException");
    assert!(outcome.cause.unwrap().contains("function:Missing"));
    assert_eq!(world.events_of(&arn, HistoryEventType::TaskFailed).len(), 1);
}

#[tokio::test]
async fn a_handler_error_becomes_the_task_error_with_a_lambda_cause() {
    let world = world();
    world.functions.register_fn("Hook", |_| async {
        Err(FunctionError::new("HookFailed", "validation said no"))
    });
    let outcome = world.run(&invoke("Hook"), json!({})).await;
    assert_eq!(error_of(&outcome), "HookFailed");
    let cause: Value = serde_json::from_str(&outcome.cause.unwrap()).unwrap();
    assert_eq!(
        cause,
        json!({"errorType": "HookFailed", "errorMessage": "validation said no"})
    );
}

#[tokio::test]
async fn functions_registered_after_the_executor_are_found() {
    let world = world();
    let arn = {
        let functions = world.executor.functions().clone();
        functions.register_fn("Late", |_| async { Ok(json!("here")) });
        world.start(&invoke("Late"), json!({}))
    };
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(outcome.output.unwrap()["Payload"], json!("here"));
}

struct Publish;

#[async_trait]
impl TaskResource for Publish {
    async fn call(&self, parameters: Value) -> Result<Value, StatesError> {
        match parameters["Message"].as_str() {
            Some(message) => Ok(json!({"MessageId": format!("id-{message}")})),
            None => Err(StatesError::new(
                "SNS.InvalidParameterException",
                "no Message",
            )),
        }
    }
}

#[tokio::test]
async fn registered_resources_receive_the_rendered_parameters() {
    let world = world();
    world
        .functions
        .register_resource("arn:aws:states:::sns:publish", Publish);
    let definition = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::sns:publish",
        "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:1:t", "Message.$": "$.text"},
        "ResultPath": "$.published", "End": true
    }));
    let machine =
        StateMachine::load_with(&definition.to_string(), &BTreeMap::new(), &world.functions)
            .unwrap();
    let arn = world
        .executor
        .start_execution(Arc::new(machine), "publish", json!({"text": "hi"}))
        .unwrap();
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(
        outcome.output,
        Some(json!({"text": "hi", "published": {"MessageId": "id-hi"}}))
    );
    let scheduled = &world.events_of(&arn, HistoryEventType::TaskScheduled)[0];
    assert_eq!(scheduled.details.resource_type.as_deref(), Some("sns"));
    assert_eq!(scheduled.details.resource.as_deref(), Some("publish"));
}

/// Registers `Stuck`, which signals that it started and then never answers.
fn register_stuck(world: &World) -> Arc<Notify> {
    let started = Arc::new(Notify::new());
    let signal = started.clone();
    world.functions.register_fn("Stuck", move |_| {
        let signal = signal.clone();
        async move {
            signal.notify_one();
            std::future::pending::<()>().await;
            Ok(json!(null))
        }
    });
    started
}

#[tokio::test]
async fn a_task_running_past_timeout_seconds_times_out() {
    let world = manual_world();
    let started = register_stuck(&world);
    let mut definition = invoke("Stuck");
    definition["States"]["S"]["TimeoutSeconds"] = json!(60);
    let arn = world.start(&definition, json!({}));
    started.notified().await;
    // The handler keeps the world busy, so time is moved without waiting for it.
    world.clock.jump(Duration::from_secs(59));
    world.clock.jump(Duration::from_secs(1));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(error_of(&outcome), "States.Timeout");
    let timed_out = world.events_of(&arn, HistoryEventType::TaskTimedOut);
    assert_eq!(
        timed_out[0].details.error.as_deref(),
        Some("States.Timeout")
    );
}

#[tokio::test]
async fn a_timed_out_invocation_still_runs_to_its_end() {
    // Step Functions stops waiting at the timeout, but the Lambda invocation goes on: what the
    // handler does after the deadline still happens.
    let world = manual_world();
    let started = Arc::new(Notify::new());
    let release = Arc::new(Notify::new());
    let (finished, mut finished_rx) = tokio::sync::mpsc::unbounded_channel();
    let (signal, gate) = (started.clone(), release.clone());
    world.functions.register_fn("Slow", move |_| {
        let (signal, gate, finished) = (signal.clone(), gate.clone(), finished.clone());
        async move {
            signal.notify_one();
            gate.notified().await;
            finished.send("the handler's last step ran").unwrap();
            Ok(json!(null))
        }
    });
    let mut definition = invoke("Slow");
    definition["States"]["S"]["TimeoutSeconds"] = json!(60);
    let arn = world.start(&definition, json!({}));
    started.notified().await;
    world.clock.jump(Duration::from_secs(60));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(error_of(&outcome), "States.Timeout");

    release.notify_one();
    let last_step = tokio::time::timeout(Duration::from_secs(10), finished_rx.recv())
        .await
        .expect("the handler finishes after the timeout");
    assert_eq!(last_step, Some("the handler's last step ran"));
}

#[tokio::test]
async fn timeout_seconds_path_reads_the_timeout_from_the_input() {
    let world = manual_world();
    let started = register_stuck(&world);
    let mut definition = invoke("Stuck");
    definition["States"]["S"]["TimeoutSecondsPath"] = json!("$.timeout");
    let arn = world.start(&definition, json!({"timeout": 5}));
    started.notified().await;
    world.clock.jump(Duration::from_secs(5));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(error_of(&outcome), "States.Timeout");
    let scheduled = &world.events_of(&arn, HistoryEventType::TaskScheduled)[0];
    assert_eq!(scheduled.details.timeout_in_seconds, Some(5));
}

/// A `.waitForTaskToken` task calling `Notifier`, which hands each token it gets to the test.
fn register_notifier(world: &World) -> mpsc::UnboundedReceiver<(String, Value)> {
    let (tokens, received) = mpsc::unbounded_channel();
    world
        .functions
        .register_fn("Notifier", move |payload: Value| {
            let tokens = tokens.clone();
            async move {
                let token = payload["token"].as_str().unwrap_or_default().to_owned();
                tokens.send((token, payload)).ok();
                Ok(json!({"accepted": true}))
            }
        });
    received
}

fn wait_for_token(extra: Value) -> Value {
    let mut state = json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "Notifier", "Payload": {"token.$": "$$.Task.Token", "deployment.$": "$.id"}},
        "ResultPath": "$.hook",
        "End": true
    });
    for (key, value) in extra.as_object().unwrap() {
        state[key] = value.clone();
    }
    single_state(state)
}

#[tokio::test]
async fn wait_for_task_token_succeeds_with_the_reported_output() {
    let world = world();
    let mut tokens = register_notifier(&world);
    let hold = world.clock.hold();
    let arn = world.start(
        &wait_for_token(json!({"TimeoutSeconds": 3600})),
        json!({"id": "d-1"}),
    );
    let (token, payload) = tokens.recv().await.unwrap();
    assert_eq!(payload["deployment"], json!("d-1"));
    assert!(
        token.len() >= 64,
        "tokens carry at least 32 bytes of entropy"
    );
    world
        .executor
        .send_task_success(&token, json!({"status": "Succeeded"}))
        .unwrap();
    drop(hold);
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(
        outcome.output,
        Some(json!({"id": "d-1", "hook": {"status": "Succeeded"}}))
    );
    assert_eq!(world.elapsed_seconds(), 0);
    let submitted = &world.events_of(&arn, HistoryEventType::TaskSubmitted)[0];
    assert_eq!(
        submitted.details.output.as_ref().unwrap()["Payload"],
        json!({"accepted": true})
    );
    assert_eq!(
        world.executor.send_task_success(&token, json!({})),
        Err(TaskTokenError::TaskTimedOut {
            token: token.clone()
        }),
        "a second report is refused"
    );
}

#[tokio::test]
async fn wait_for_task_token_fails_with_the_reported_error() {
    let world = world();
    let mut tokens = register_notifier(&world);
    let hold = world.clock.hold();
    let arn = world.start(&wait_for_token(json!({})), json!({"id": "d-2"}));
    let (token, _) = tokens.recv().await.unwrap();
    world
        .executor
        .send_task_failure(&token, "HookFailed", "the hook failed")
        .unwrap();
    drop(hold);
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(outcome.error.as_deref(), Some("HookFailed"));
    assert_eq!(outcome.cause.as_deref(), Some("the hook failed"));
    assert_eq!(
        world.executor.send_task_failure(&token, "Again", ""),
        Err(TaskTokenError::TaskTimedOut { token })
    );
}

#[tokio::test]
async fn unknown_and_malformed_tokens_are_refused() {
    let world = world();
    let never_issued = "ab".repeat(32);
    assert_eq!(
        world.executor.send_task_success(&never_issued, json!({})),
        Err(TaskTokenError::TaskDoesNotExist {
            token: never_issued.clone()
        })
    );
    assert_eq!(
        world.executor.send_task_heartbeat("not-a-token"),
        Err(TaskTokenError::InvalidToken {
            token: "not-a-token".into()
        })
    );
}

#[tokio::test]
async fn nobody_answering_times_the_task_out_at_exactly_timeout_seconds() {
    let world = world();
    let mut tokens = register_notifier(&world);
    let arn = world.start(
        &wait_for_token(json!({"TimeoutSeconds": 3600})),
        json!({"id": "d-3"}),
    );
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(error_of(&outcome), "States.Timeout");
    assert_eq!(world.elapsed_seconds(), 3600);
    let (token, _) = tokens.recv().await.unwrap();
    assert_eq!(
        world.executor.send_task_success(&token, json!({})),
        Err(TaskTokenError::TaskTimedOut { token })
    );
}

#[tokio::test]
async fn a_missed_heartbeat_is_a_heartbeat_timeout() {
    let world = world();
    let _tokens = register_notifier(&world);
    let definition = wait_for_token(json!({"TimeoutSeconds": 600, "HeartbeatSeconds": 60}));
    let arn = world.start(&definition, json!({"id": "d-4"}));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(error_of(&outcome), "States.HeartbeatTimeout");
    assert_eq!(world.elapsed_seconds(), 60);
    assert_eq!(
        world.events_of(&arn, HistoryEventType::TaskTimedOut).len(),
        1
    );
}

#[tokio::test]
async fn heartbeats_keep_a_task_alive_past_heartbeat_seconds() {
    let world = manual_world();
    let mut tokens = register_notifier(&world);
    let definition = wait_for_token(json!({"TimeoutSeconds": 600, "HeartbeatSeconds": 60}));
    let arn = world.start(&definition, json!({"id": "d-5"}));
    let (token, _) = tokens.recv().await.unwrap();
    for _ in 0..3 {
        world.clock.advance(Duration::from_secs(50)).await;
        world.executor.send_task_heartbeat(&token).unwrap();
        world.clock.settle().await;
    }
    world
        .executor
        .send_task_success(&token, json!("done"))
        .unwrap();
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(outcome.status, ExecutionStatus::Succeeded);
    assert_eq!(world.elapsed_seconds(), 150);
}

#[tokio::test]
async fn an_in_process_hook_can_report_later_in_virtual_time() {
    let world = world();
    let executor = world.executor.clone();
    let clock = world.clock.clone();
    world
        .functions
        .register_fn("AsyncHook", move |payload: Value| {
            let executor = executor.clone();
            // Registered before the handler returns, so time cannot run past it.
            let ten_minutes_later = clock.sleep(Duration::from_secs(600));
            async move {
                let token = payload["token"].as_str().unwrap().to_owned();
                tokio::spawn(async move {
                    let _busy = ten_minutes_later.await;
                    executor
                        .send_task_success(&token, json!({"hook": "ok"}))
                        .unwrap();
                });
                Ok(json!(null))
            }
        });
    let definition = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "AsyncHook", "Payload": {"token.$": "$$.Task.Token"}},
        "TimeoutSeconds": 3600, "End": true
    }));
    let output = world.output(&definition, json!({})).await;
    assert_eq!(output, json!({"hook": "ok"}));
    assert_eq!(world.elapsed_seconds(), 600);
}

#[tokio::test]
async fn the_handler_failing_fails_a_wait_for_task_token_task_at_once() {
    let world = world();
    world.functions.register_fn("Notifier", |_| async {
        Err(FunctionError::new("Unreachable", "cannot notify"))
    });
    let arn = world.start(
        &wait_for_token(json!({"TimeoutSeconds": 60})),
        json!({"id": "d-6"}),
    );
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(error_of(&outcome), "Unreachable");
    assert_eq!(world.elapsed_seconds(), 0);
    assert!(world
        .events_of(&arn, HistoryEventType::TaskSubmitted)
        .is_empty());
}
