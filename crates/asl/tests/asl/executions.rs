//! Executions as the Step Functions API shows them: history, billing, names, stopping,
//! machine-level timeouts.

use crate::support as asl_support;

use std::sync::Arc;
use std::time::Duration;

use asl_support::{error_of, machine, manual_world, single_state, world};
use gradual_asl::{
    Clock, ExecError, ExecutionStatus, Executor, FunctionError, FunctionRegistry, HistoryEventType,
    TaskTokenError, VirtualClock,
};
use serde_json::{json, Value};
use tokio::sync::mpsc;

fn deployment_like() -> Value {
    json!({"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Result": {"weight": 10}, "ResultPath": "$.step", "Next": "Shift"},
        "Shift": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "Shift", "Payload.$": "$"},
            "ResultSelector": {"weight.$": "$.Payload.weight"},
            "ResultPath": "$.shifted",
            "Next": "Bake"
        },
        "Bake": {"Type": "Wait", "Seconds": 300, "Next": "Decide"},
        "Decide": {"Type": "Choice", "Choices": [
            {"Variable": "$.shifted.weight", "NumericEquals": 10, "Next": "Done"}
        ], "Default": "Broken"},
        "Broken": {"Type": "Fail", "Error": "Unexpected"},
        "Done": {"Type": "Succeed"}
    }})
}

fn register_shift(functions: &FunctionRegistry) {
    functions.register_fn("Shift", |payload: Value| async move {
        Ok(json!({"weight": payload["step"]["weight"]}))
    });
}

#[tokio::test]
async fn the_history_records_every_step_like_get_execution_history() {
    let world = world();
    register_shift(&world.functions);
    let arn = world.start(&deployment_like(), json!({"id": "d-1"}));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(outcome.status, ExecutionStatus::Succeeded);

    let history = world.executor.history(&arn);
    use HistoryEventType::*;
    let types: Vec<HistoryEventType> = history.iter().map(|e| e.event_type).collect();
    assert_eq!(
        types,
        vec![
            ExecutionStarted,
            PassStateEntered,
            PassStateExited,
            TaskStateEntered,
            TaskScheduled,
            TaskStarted,
            TaskSucceeded,
            TaskStateExited,
            WaitStateEntered,
            WaitStateExited,
            ChoiceStateEntered,
            ChoiceStateExited,
            SucceedStateEntered,
            SucceedStateExited,
            ExecutionSucceeded,
        ]
    );
    for (position, event) in history.iter().enumerate() {
        assert_eq!(event.id, position as u64 + 1);
        assert_eq!(event.previous_event_id, position as u64);
    }
    assert_eq!(history[0].details.input, Some(json!({"id": "d-1"})));
    assert_eq!(history[1].details.name.as_deref(), Some("Prepare"));
    let scheduled = &history[4].details;
    assert_eq!(scheduled.resource_type.as_deref(), Some("lambda"));
    assert_eq!(scheduled.resource.as_deref(), Some("invoke"));
    assert_eq!(
        scheduled.parameters.as_ref().unwrap()["FunctionName"],
        json!("Shift")
    );
    assert_eq!(
        history[6].details.output.as_ref().unwrap()["Payload"],
        json!({"weight": 10})
    );
    assert_eq!(
        (history[9].timestamp - history[8].timestamp).whole_seconds(),
        300,
        "timestamps come from the clock"
    );
    assert_eq!(history[14].details.output, outcome.output);
    assert_eq!(world.executor.state_transitions(&arn), 5);

    let serialized = serde_json::to_value(&history[4]).unwrap();
    assert_eq!(serialized["type"], json!("TaskScheduled"));
    assert_eq!(serialized["previousEventId"], json!(4));
    assert_eq!(serialized["resourceType"], json!("lambda"));
}

#[tokio::test]
async fn describe_execution_tells_status_dates_input_and_output() {
    let world = world();
    register_shift(&world.functions);
    let arn = world.start(&deployment_like(), json!({"id": "d-2"}));
    world.executor.wait_for_completion(&arn).await.unwrap();
    let description = world.executor.describe_execution(&arn).unwrap();
    assert_eq!(description.status, ExecutionStatus::Succeeded);
    assert_eq!(description.name, "test-run");
    assert_eq!(
        description.state_machine_arn,
        "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine"
    );
    assert_eq!(description.input, json!({"id": "d-2"}));
    assert_eq!(description.start_date, VirtualClock::DEFAULT_START);
    assert_eq!(
        description
            .stop_date
            .map(|stop| (stop - description.start_date).whole_seconds()),
        Some(300)
    );
    assert_eq!(
        description.output.unwrap()["shifted"],
        json!({"weight": 10})
    );
    assert!(world.executor.describe_execution("arn:nothing").is_none());
}

#[tokio::test]
async fn execution_names_follow_start_execution_rules() {
    let world = manual_world();
    let definition = single_state(json!({"Type": "Wait", "Seconds": 60, "End": true}));
    let first = world
        .executor
        .start_execution(machine(&definition), "deploy-1", json!({"a": 1}))
        .unwrap();
    let again = world
        .executor
        .start_execution(machine(&definition), "deploy-1", json!({"a": 1}))
        .unwrap();
    assert_eq!(
        first, again,
        "same name and input while running is idempotent"
    );
    assert_eq!(
        world
            .executor
            .start_execution(machine(&definition), "deploy-1", json!({"a": 2})),
        Err(ExecError::ExecutionAlreadyExists {
            name: "deploy-1".into()
        })
    );
    world.clock.advance(Duration::from_secs(60)).await;
    world.executor.wait_for_completion(&first).await.unwrap();
    assert!(world
        .executor
        .start_execution(machine(&definition), "deploy-1", json!({"a": 1}))
        .is_err());
    for bad in ["", "has space", "a/b", &"x".repeat(81)] {
        assert!(matches!(
            world
                .executor
                .start_execution(machine(&definition), bad, json!({})),
            Err(ExecError::InvalidName { .. })
        ));
    }
}

#[tokio::test]
async fn stopping_an_execution_aborts_it_and_refuses_its_tokens() {
    let world = manual_world();
    let (tokens, mut received) = mpsc::unbounded_channel();
    world
        .functions
        .register_fn("Notifier", move |payload: Value| {
            let tokens = tokens.clone();
            async move {
                tokens
                    .send(payload["token"].as_str().unwrap().to_owned())
                    .ok();
                Ok(json!(null))
            }
        });
    let definition = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "Notifier", "Payload": {"token.$": "$$.Task.Token"}},
        "End": true
    }));
    let arn = world.start(&definition, json!({}));
    let token = received.recv().await.unwrap();
    world.clock.settle().await;
    world
        .executor
        .stop_execution(&arn, Some("MANUAL_STOP"), Some("stopped by the operator"))
        .unwrap();
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(outcome.status, ExecutionStatus::Aborted);
    assert_eq!(outcome.error.as_deref(), Some("MANUAL_STOP"));
    assert_eq!(
        world.executor.send_task_success(&token, json!({})),
        Err(TaskTokenError::TaskTimedOut { token })
    );
    let history = world.executor.history(&arn);
    let last = history.last().unwrap();
    assert_eq!(last.event_type, HistoryEventType::ExecutionAborted);
    assert_eq!(
        last.details.cause.as_deref(),
        Some("stopped by the operator")
    );
    world.clock.settle().await;
    assert_eq!(
        world.executor.history(&arn).len(),
        history.len(),
        "nothing after the stop"
    );
    world.executor.stop_execution(&arn, None, None).unwrap();
    assert!(matches!(
        world.executor.stop_execution("arn:unknown", None, None),
        Err(ExecError::ExecutionDoesNotExist { .. })
    ));
}

#[tokio::test]
async fn stopping_an_execution_in_a_long_wait_releases_the_clock() {
    let world = world();
    let other = single_state(json!({"Type": "Wait", "Seconds": 60, "End": true}));
    let long = single_state(json!({"Type": "Wait", "Seconds": 86_400, "End": true}));
    let hold = world.clock.hold();
    let long_arn = world.start(&long, json!({}));
    world
        .executor
        .stop_execution(&long_arn, None, None)
        .unwrap();
    drop(hold);
    let other_arn = world.start(&other, json!({}));
    world
        .executor
        .wait_for_completion(&other_arn)
        .await
        .unwrap();
    assert_eq!(world.elapsed_seconds(), 60);
}

#[tokio::test]
async fn a_machine_timeout_times_the_execution_out() {
    let world = world();
    let mut definition = single_state(json!({"Type": "Wait", "Seconds": 7200, "End": true}));
    definition["TimeoutSeconds"] = json!(3600);
    let arn = world.start(&definition, json!({}));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(outcome.status, ExecutionStatus::TimedOut);
    assert_eq!(error_of(&outcome), "States.Timeout");
    assert_eq!(world.elapsed_seconds(), 3600);
    let last = world.executor.history(&arn).pop().unwrap();
    assert_eq!(last.event_type, HistoryEventType::ExecutionTimedOut);
}

#[tokio::test]
async fn executions_are_named_after_the_machine_and_executor_settings() {
    let clock: Arc<dyn Clock> = Arc::new(VirtualClock::auto_advancing());
    let settings = gradual_asl::ExecutorSettings {
        region: "eu-west-1".into(),
        account_id: "111122223333".into(),
        jitter_seed: 0,
    };
    let executor = Executor::with_settings(clock, FunctionRegistry::new(), settings);
    let named = gradual_asl::StateMachine::load(
        &single_state(json!({"Type": "Succeed"})).to_string(),
        &Default::default(),
    )
    .unwrap()
    .named("deployment");
    let arn = executor
        .start_execution(Arc::new(named), "d-1", json!({}))
        .unwrap();
    assert_eq!(
        arn,
        "arn:aws:states:eu-west-1:111122223333:execution:deployment:d-1"
    );
    assert_eq!(
        executor.wait_for_completion(&arn).await.unwrap().output,
        Some(json!({}))
    );
}

#[tokio::test]
async fn a_panicking_handler_fails_the_execution_instead_of_hanging() {
    let world = world();
    async fn panics(_: Value) -> Result<Value, FunctionError> {
        panic!("a bug in a handler")
    }
    world.functions.register_fn("Panics", panics);
    let definition = single_state(json!({
        "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Panics", "End": true
    }));
    let outcome = world.run(&definition, json!({})).await;
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(error_of(&outcome), "States.Runtime");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_executions_finish_at_their_exact_virtual_times() {
    let world = world();
    register_shift(&world.functions);
    let hold = world.clock.hold();
    let arns: Vec<String> = (0..20)
        .map(|_| world.start(&deployment_like(), json!({})))
        .collect();
    drop(hold);
    for arn in &arns {
        let outcome = world.executor.wait_for_completion(arn).await.unwrap();
        assert_eq!(outcome.status, ExecutionStatus::Succeeded);
        let description = world.executor.describe_execution(arn).unwrap();
        assert_eq!(
            (description.stop_date.unwrap() - description.start_date).whole_seconds(),
            300
        );
    }
    assert_eq!(world.elapsed_seconds(), 300);
}

#[test]
fn starting_outside_a_runtime_is_refused() {
    let clock: Arc<dyn Clock> = Arc::new(VirtualClock::manual());
    let executor = Executor::new(clock, FunctionRegistry::new());
    let definition = single_state(json!({"Type": "Succeed"}));
    assert_eq!(
        executor.start_execution(machine(&definition), "outside", json!({})),
        Err(ExecError::NoRuntime)
    );
}

#[tokio::test]
async fn end_listeners_hear_of_every_ending_once_as_eventbridge_would() {
    let world = world();
    let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorder = Arc::clone(&heard);
    world
        .executor
        .on_execution_end(Arc::new(move |description| {
            recorder
                .lock()
                .unwrap()
                .push((description.name, description.status, description.error))
        }));
    let fails = single_state(json!({"Type": "Fail", "Error": "Broken", "Cause": "on purpose"}));
    let waits = single_state(json!({"Type": "Wait", "Seconds": 600, "End": true}));
    let succeeds = single_state(json!({"Type": "Pass", "End": true}));
    let failed = world.start(&fails, json!({}));
    let stopped = world.start(&waits, json!({}));
    let succeeded = world.start(&succeeds, json!({}));
    world
        .executor
        .stop_execution(&stopped, Some("MANUAL_STOP"), None)
        .unwrap();
    world.executor.stop_execution(&stopped, None, None).unwrap();
    for arn in [&failed, &succeeded] {
        world.executor.wait_for_completion(arn).await.unwrap();
    }
    world.clock.settle().await;

    let name = |arn: &str| arn.rsplit(':').next().unwrap().to_owned();
    let mut heard = heard.lock().unwrap().clone();
    heard.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected = vec![
        (
            name(&failed),
            ExecutionStatus::Failed,
            Some("Broken".to_owned()),
        ),
        (
            name(&stopped),
            ExecutionStatus::Aborted,
            Some("MANUAL_STOP".to_owned()),
        ),
        (name(&succeeded), ExecutionStatus::Succeeded, None),
    ];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        heard, expected,
        "one event per ending, none for a second stop"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_execution_starts_no_more_tasks_in_any_map_iteration() {
    for _ in 0..20 {
        let world = world();
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let executor = world.executor.clone();
        let counted = Arc::clone(&calls);
        // The first step stops its own execution, as an operator would while it runs.
        world.functions.register_fn("Step", move |payload: Value| {
            let executor = executor.clone();
            let counted = Arc::clone(&counted);
            async move {
                if counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                    let arn = payload["arn"].as_str().unwrap().to_owned();
                    executor.stop_execution(&arn, None, None).unwrap();
                }
                Ok(json!({}))
            }
        });
        let definition = json!({"StartAt": "Steps", "States": {"Steps": {
            "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
            "ItemSelector": {"arn.$": "$$.Execution.Id"},
            "ItemProcessor": {"StartAt": "Step", "States": {
                "Step": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                         "Parameters": {"FunctionName": "Step", "Payload.$": "$"},
                         "Next": "Again"},
                "Again": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                          "Parameters": {"FunctionName": "Step", "Payload.$": "$"},
                          "End": true}
            }},
            "End": true
        }}});
        let arn = world.start(&definition, json!({"items": [1, 2, 3]}));
        let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
        assert_eq!(outcome.status, ExecutionStatus::Aborted);
        world.clock.settle().await;
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert_eq!(
            calls.load(std::sync::atomic::Ordering::SeqCst),
            1,
            "nothing runs after the stop"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_wakes_only_once_the_end_listeners_have_heard_of_the_end() {
    let world = world();
    let heard = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let listener = Arc::clone(&heard);
    world.executor.on_execution_end(Arc::new(move |_| {
        // A listener that takes its time (the local world spawns its reconciliation here).
        std::thread::sleep(Duration::from_millis(50));
        listener.store(true, std::sync::atomic::Ordering::SeqCst);
    }));
    let arn = world.start(
        &single_state(json!({"Type": "Pass", "End": true})),
        json!({}),
    );
    world.executor.wait_for_completion(&arn).await.unwrap();
    assert!(
        heard.load(std::sync::atomic::Ordering::SeqCst),
        "the waiter woke before the listeners were told"
    );
}
