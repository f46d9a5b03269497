//! Retry (with its timing checked against the virtual clock) and Catch, the Fail state, and the
//! payload quota's States.DataLimitExceeded.

use crate::support as asl_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use asl_support::{error_of, single_state, world, World};
use gradual_asl::{
    Clock, ExecutionStatus, Executor, ExecutorSettings, FunctionError, FunctionRegistry,
    HistoryEventType, VirtualClock,
};
use serde_json::{json, Value};

const FLAKY: &str = "arn:aws:lambda:us-east-1:123456789012:function:Flaky";

/// Registers `Flaky`, which fails with `error` for its first `failures` calls and then
/// returns the retry count it was given; returns the call counter.
fn register_flaky(
    functions: &FunctionRegistry,
    failures: usize,
    error: &'static str,
) -> Arc<AtomicUsize> {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    functions.register_fn("Flaky", move |input: Value| {
        let call = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            if call < failures {
                Err(FunctionError::new(
                    error,
                    format!("failure number {}", call + 1),
                ))
            } else {
                Ok(json!({"retryCount": input["retryCount"]}))
            }
        }
    });
    calls
}

fn flaky_task(retry: Value) -> Value {
    json!({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": FLAKY,
        "Parameters": {"retryCount.$": "$$.State.RetryCount"},
        "Retry": retry, "End": true
    }}})
}

/// Seconds between consecutive attempts, read from the history.
fn gaps_between_attempts(world: &World, arn: &str) -> Vec<i64> {
    let attempts = world.events_of(arn, HistoryEventType::LambdaFunctionScheduled);
    attempts
        .windows(2)
        .map(|pair| (pair[1].timestamp - pair[0].timestamp).whole_seconds())
        .collect()
}

#[tokio::test]
async fn retries_back_off_as_the_spec_says() {
    let world = world();
    let calls = register_flaky(&world.functions, usize::MAX, "Flaky.Error");
    let definition = flaky_task(json!([{
        "ErrorEquals": ["Flaky.Error"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 3
    }]));
    let arn = world.start(&definition, json!({}));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(error_of(&outcome), "Flaky.Error");
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert_eq!(gaps_between_attempts(&world, &arn), vec![3, 6, 12]);
    assert_eq!(world.elapsed_seconds(), 21);
}

#[tokio::test]
async fn a_retried_task_sees_its_retry_count_and_can_succeed() {
    let world = world();
    register_flaky(&world.functions, 2, "Flaky.Error");
    let definition = flaky_task(json!([{"ErrorEquals": ["Flaky.Error"]}]));
    let arn = world.start(&definition, json!({}));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(outcome.output, Some(json!({"retryCount": 2})));
    // Defaults: one second, doubled each time.
    assert_eq!(gaps_between_attempts(&world, &arn), vec![1, 2]);
}

#[tokio::test]
async fn default_retries_are_three_attempts() {
    let world = world();
    let calls = register_flaky(&world.functions, usize::MAX, "Flaky.Error");
    let outcome = world
        .run(
            &flaky_task(json!([{"ErrorEquals": ["States.ALL"]}])),
            json!({}),
        )
        .await;
    assert_eq!(error_of(&outcome), "Flaky.Error");
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert_eq!(world.elapsed_seconds(), 1 + 2 + 4);
}

#[tokio::test]
async fn max_attempts_zero_never_retries() {
    let world = world();
    let calls = register_flaky(&world.functions, usize::MAX, "Flaky.Error");
    let definition = flaky_task(json!([{"ErrorEquals": ["Flaky.Error"], "MaxAttempts": 0}]));
    let outcome = world.run(&definition, json!({})).await;
    assert_eq!(error_of(&outcome), "Flaky.Error");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(world.elapsed_seconds(), 0);
}

#[tokio::test]
async fn max_delay_seconds_caps_the_backoff() {
    let world = world();
    register_flaky(&world.functions, usize::MAX, "Flaky.Error");
    let definition = flaky_task(json!([{
        "ErrorEquals": ["Flaky.Error"], "IntervalSeconds": 10, "BackoffRate": 3,
        "MaxAttempts": 4, "MaxDelaySeconds": 50
    }]));
    let arn = world.start(&definition, json!({}));
    world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(gaps_between_attempts(&world, &arn), vec![10, 30, 50, 50]);
}

async fn jittered_gaps(seed: u64) -> Vec<i64> {
    let clock = VirtualClock::auto_advancing();
    let functions = FunctionRegistry::new();
    register_flaky(&functions, usize::MAX, "Flaky.Error");
    let settings = ExecutorSettings {
        jitter_seed: seed,
        ..ExecutorSettings::default()
    };
    let executor = Executor::with_settings(Arc::new(clock.clone()), functions, settings);
    let definition = flaky_task(json!([{
        "ErrorEquals": ["Flaky.Error"], "IntervalSeconds": 100, "BackoffRate": 2,
        "MaxAttempts": 3, "JitterStrategy": "FULL"
    }]));
    let arn = executor
        .start_execution(asl_support::machine(&definition), "jitter", json!({}))
        .unwrap();
    executor.wait_for_completion(&arn).await.unwrap();
    let attempts: Vec<_> = executor
        .history(&arn)
        .into_iter()
        .filter(|e| e.event_type == HistoryEventType::LambdaFunctionScheduled)
        .map(|e| e.timestamp)
        .collect();
    attempts
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).whole_milliseconds() as i64)
        .collect()
}

#[tokio::test]
async fn full_jitter_draws_delays_up_to_the_backoff_from_a_seeded_source() {
    let gaps = jittered_gaps(7).await;
    assert_eq!(gaps.len(), 3);
    for (gap, ceiling) in gaps.iter().zip([100_000, 200_000, 400_000]) {
        assert!((0..=ceiling).contains(gap), "{gap} ms exceeds {ceiling} ms");
    }
    assert_eq!(
        jittered_gaps(7).await,
        gaps,
        "the same seed gives the same delays"
    );
    assert_ne!(
        jittered_gaps(8).await,
        gaps,
        "another seed gives other delays"
    );
}

#[tokio::test]
async fn the_first_matching_retrier_decides_and_counts_separately() {
    let world = world();
    let calls = register_flaky(&world.functions, usize::MAX, "Flaky.Error");
    let definition = flaky_task(json!([
        {"ErrorEquals": ["Other"], "MaxAttempts": 5},
        {"ErrorEquals": ["Flaky.Error"], "MaxAttempts": 1},
        {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}
    ]));
    world.run(&definition, json!({})).await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn task_failed_matches_task_errors_but_not_timeouts() {
    let world = world();
    let calls = register_flaky(&world.functions, 1, "Flaky.Error");
    let definition = flaky_task(json!([{"ErrorEquals": ["States.TaskFailed"]}]));
    let outcome = world.run(&definition, json!({})).await;
    assert!(outcome.output.is_some());
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    let world = asl_support::world();
    world
        .functions
        .register_fn("Mute", |_| async { Ok(json!(null)) });
    let definition = json!({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "Mute", "Payload": {"token.$": "$$.Task.Token"}},
        "TimeoutSeconds": 30,
        "Retry": [{"ErrorEquals": ["States.TaskFailed"]}],
        "End": true
    }}});
    let arn = world.start(&definition, json!({}));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(error_of(&outcome), "States.Timeout");
    assert_eq!(
        world.events_of(&arn, HistoryEventType::TaskScheduled).len(),
        1
    );
}

#[tokio::test]
async fn catchers_are_tried_in_order_and_the_error_lands_at_resultpath() {
    let world = world();
    register_flaky(&world.functions, usize::MAX, "HookFailed");
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": FLAKY, "End": true, "Catch": [
            {"ErrorEquals": ["Other"], "Next": "WrongHandler"},
            {"ErrorEquals": ["HookFailed"], "ResultPath": "$.error", "Next": "Handler"},
            {"ErrorEquals": ["States.ALL"], "Next": "WrongHandler"}
        ]},
        "Handler": {"Type": "Pass", "End": true},
        "WrongHandler": {"Type": "Fail", "Error": "Wrong"}
    }});
    let output = world
        .output(&definition, json!({"deployment": "d-1"}))
        .await;
    assert_eq!(output["deployment"], json!("d-1"));
    assert_eq!(output["error"]["Error"], json!("HookFailed"));
    let cause: Value = serde_json::from_str(output["error"]["Cause"].as_str().unwrap()).unwrap();
    assert_eq!(
        cause,
        json!({"errorType": "HookFailed", "errorMessage": "failure number 1"})
    );
}

#[tokio::test]
async fn catch_all_takes_the_error_as_output_by_default_after_retries() {
    let world = world();
    let calls = register_flaky(&world.functions, usize::MAX, "Boom");
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": FLAKY, "End": true,
              "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 2}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handler"}]},
        "Handler": {"Type": "Pass", "End": true}
    }});
    let output = world.output(&definition, json!({"ignored": true})).await;
    assert_eq!(output["Error"], json!("Boom"));
    assert_eq!(output.as_object().unwrap().len(), 2);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn catch_with_null_resultpath_keeps_the_input() {
    let world = world();
    register_flaky(&world.functions, usize::MAX, "Boom");
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": FLAKY, "End": true,
              "Catch": [{"ErrorEquals": ["Boom"], "ResultPath": null, "Next": "Handler"}]},
        "Handler": {"Type": "Pass", "End": true}
    }});
    assert_eq!(
        world.output(&definition, json!({"a": 1})).await,
        json!({"a": 1})
    );
}

#[tokio::test]
async fn an_uncaught_error_fails_the_execution_with_its_name_and_cause() {
    let world = world();
    register_flaky(&world.functions, usize::MAX, "Boom");
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": FLAKY, "End": true,
              "Catch": [{"ErrorEquals": ["Other"], "Next": "Handler"}]},
        "Handler": {"Type": "Pass", "End": true}
    }});
    let arn = world.start(&definition, json!({}));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(error_of(&outcome), "Boom");
    let failed = world.events_of(&arn, HistoryEventType::ExecutionFailed);
    assert_eq!(failed[0].details.error.as_deref(), Some("Boom"));
}

#[tokio::test]
async fn fail_states_report_their_error_and_cause() {
    let world = world();
    let fixed = json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Custom.Error", "Cause": "it broke"}}});
    let outcome = world.run(&fixed, json!({})).await;
    assert_eq!(outcome.error.as_deref(), Some("Custom.Error"));
    assert_eq!(outcome.cause.as_deref(), Some("it broke"));

    let from_input = json!({"StartAt": "F", "States": {"F": {
        "Type": "Fail", "ErrorPath": "$.code",
        "CausePath": "States.Format('deployment {} failed', $.id)"
    }}});
    let outcome = world
        .run(&from_input, json!({"code": "ALARM_ACTIVE", "id": "d-7"}))
        .await;
    assert_eq!(outcome.error.as_deref(), Some("ALARM_ACTIVE"));
    assert_eq!(outcome.cause.as_deref(), Some("deployment d-7 failed"));
}

#[tokio::test]
async fn retry_waits_use_the_clock_and_not_wall_time() {
    let world = world();
    register_flaky(&world.functions, 3, "Slow");
    let definition =
        flaky_task(json!([{"ErrorEquals": ["Slow"], "IntervalSeconds": 3600, "BackoffRate": 1}]));
    let before = world.clock.now();
    world.output(&definition, json!({})).await;
    assert_eq!((world.clock.now() - before).whole_hours(), 3);
}

// Payload size: "256 KiB of data as a UTF-8 encoded string. This quota affects tasks (activity,
// Lambda function, or integrated service), state or execution output, and input data when
// scheduling a task, entering a state, or starting an execution" (AWS Step Functions Developer
// Guide, "Step Functions service quotas"); past it, States.DataLimitExceeded, "a terminal error
// which cannot be caught by the States.ALL error type" ("Handling errors in Step Functions
// workflows").

/// 256 KiB, stated here independently of the crate's constant.
const LIMIT: usize = 262_144;

/// A JSON string whose serialized form takes exactly `bytes` bytes (quotes included).
fn json_string_of(bytes: usize) -> Value {
    Value::String("x".repeat(bytes - 2))
}

const BIG: &str = "arn:aws:lambda:us-east-1:123456789012:function:Big";

/// Registers `Big`, which returns a string of `bytes` bytes; returns the call counter.
fn register_big(functions: &FunctionRegistry, bytes: usize) -> Arc<AtomicUsize> {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    functions.register_fn("Big", move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
        async move { Ok(json_string_of(bytes)) }
    });
    calls
}

#[tokio::test]
async fn an_execution_input_over_256_kib_is_refused_by_start_execution() {
    let world = world();
    let definition = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
    let machine = asl_support::machine(&definition);
    let refused = world
        .executor
        .start_execution(machine.clone(), "too-big", json_string_of(LIMIT + 1))
        .expect_err("an input of 256 KiB + 1 byte is refused");
    assert!(refused.to_string().contains("262144"), "{refused}");
    let refused_arn = world
        .executor
        .state_machine_arn(&machine)
        .replace(":stateMachine:", ":execution:")
        + ":too-big";
    assert!(world.executor.describe_execution(&refused_arn).is_none());

    let arn = world
        .executor
        .start_execution(machine, "just-fits", json_string_of(LIMIT))
        .expect("an input of exactly 256 KiB starts");
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(outcome.output, Some(json_string_of(LIMIT)));
}

#[tokio::test]
async fn an_oversized_state_output_fails_the_execution_past_a_catch_all() {
    // Counted in UTF-8 bytes: "é" takes two. 131,071 of them and the quotes make 256 KiB.
    let at_limit = Value::String("é".repeat((LIMIT - 2) / 2));
    let over_limit = Value::String("é".repeat((LIMIT - 2) / 2 + 1));
    let deploy = |result: &Value| {
        json!({"StartAt": "Deploy", "States": {
            "Deploy": {"Type": "Parallel",
                       "Branches": [{"StartAt": "Make", "States": {
                           "Make": {"Type": "Pass", "Result": result, "End": true}
                       }}],
                       "ResultSelector": {"done": true},
                       "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}],
                       "End": true},
            "Handled": {"Type": "Succeed"}
        }})
    };
    let world = world();
    let outcome = world.run(&deploy(&over_limit), json!({})).await;
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(error_of(&outcome), "States.DataLimitExceeded");

    // Exactly 256 KiB is allowed. (Inside the Parallel, the brackets of its gathered results
    // would tip the same output over.)
    let world = asl_support::world();
    let make =
        |result: &Value| single_state(json!({"Type": "Pass", "Result": result, "End": true}));
    assert_eq!(world.output(&make(&at_limit), json!({})).await, at_limit);
    let outcome = world.run(&make(&over_limit), json!({})).await;
    assert_eq!(error_of(&outcome), "States.DataLimitExceeded");
}

#[tokio::test]
async fn an_oversized_task_result_is_neither_retried_nor_caught_by_wildcards() {
    let world = world();
    let calls = register_big(&world.functions, LIMIT + 1);
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": BIG, "ResultSelector": {"kept": true}, "End": true,
              "Retry": [{"ErrorEquals": ["States.ALL"]}],
              "Catch": [
                  {"ErrorEquals": ["States.TaskFailed"], "Next": "Handled"},
                  {"ErrorEquals": ["States.ALL"], "Next": "Handled"}
              ]},
        "Handled": {"Type": "Succeed"}
    }});
    let outcome = world.run(&definition, json!({})).await;
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(error_of(&outcome), "States.DataLimitExceeded");
    assert!(outcome.cause.unwrap().contains(
        "returned a result with a size exceeding the maximum number of bytes service limit"
    ));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_catcher_naming_data_limit_exceeded_catches_it() {
    let world = world();
    register_big(&world.functions, LIMIT + 1);
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": BIG, "ResultPath": null, "End": true,
              "Catch": [{"ErrorEquals": ["States.DataLimitExceeded"], "ResultPath": "$.error", "Next": "Handled"}]},
        "Handled": {"Type": "Pass", "End": true}
    }});
    let output = world.output(&definition, json!({"id": "d-1"})).await;
    assert_eq!(output["id"], json!("d-1"));
    assert_eq!(output["error"]["Error"], json!("States.DataLimitExceeded"));
}

#[tokio::test]
async fn an_oversized_task_input_after_parameters_fails_before_the_call() {
    let world = world();
    let calls = register_big(&world.functions, 10);
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": BIG,
              "Parameters": {"first.$": "$.half", "second.$": "$.half"}, "End": true,
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}]},
        "Handled": {"Type": "Succeed"}
    }});
    let outcome = world
        .run(&definition, json!({"half": json_string_of(LIMIT / 2)}))
        .await;
    assert_eq!(error_of(&outcome), "States.DataLimitExceeded");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_map_whose_gathered_results_exceed_the_limit_fails_even_with_resultpath_null() {
    let world = world();
    let definition = json!({"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": null,
              "ItemProcessor": {"StartAt": "Grow", "States": {
                  "Grow": {"Type": "Pass", "Result": json_string_of(LIMIT / 2), "End": true}
              }},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}],
              "End": true},
        "Handled": {"Type": "Succeed"}
    }});
    let outcome = world.run(&definition, json!({"items": [1, 2, 3]})).await;
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(error_of(&outcome), "States.DataLimitExceeded");

    let world = asl_support::world();
    let output = world.output(&definition, json!({"items": [1]})).await;
    assert_eq!(output, json!({"items": [1]}));
}

#[tokio::test]
async fn a_parallel_whose_gathered_results_exceed_the_limit_fails() {
    let world = world();
    let half = |name: &str| json!({"StartAt": name, "States": {name: {"Type": "Pass", "Result": json_string_of(LIMIT / 2), "End": true}}});
    let definition = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "ResultSelector": {"done": true},
              "Branches": [half("A"), half("B")],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}],
              "End": true},
        "Handled": {"Type": "Succeed"}
    }});
    let outcome = world.run(&definition, json!({})).await;
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(error_of(&outcome), "States.DataLimitExceeded");
}

#[tokio::test]
async fn an_oversized_send_task_success_output_fails_the_waiting_task() {
    let world = world();
    let (sender, mut tokens) = tokio::sync::mpsc::unbounded_channel::<String>();
    world
        .functions
        .register_fn("Notify", move |payload: Value| {
            let sender = sender.clone();
            async move {
                let token = payload["token"].as_str().unwrap_or_default().to_owned();
                let _ = sender.send(token);
                Ok(json!({}))
            }
        });
    let definition = json!({"StartAt": "Hook", "States": {
        "Hook": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                 "Parameters": {"FunctionName": "Notify", "Payload": {"token.$": "$$.Task.Token"}},
                 "ResultPath": null, "End": true,
                 "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}]},
        "Handled": {"Type": "Succeed"}
    }});
    // Held until the report is sent, so that the idle task does not time out first.
    let busy = world.clock.hold();
    let arn = world.start(&definition, json!({}));
    let token = tokens.recv().await.unwrap();
    world
        .executor
        .send_task_success(&token, json_string_of(LIMIT + 1))
        .unwrap();
    drop(busy);
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(error_of(&outcome), "States.DataLimitExceeded");
}
