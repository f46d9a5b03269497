//! Parallel and Map states.

use crate::support as asl_support;

use asl_support::{error_of, single_state, world};
use gradual_asl::HistoryEventType;
use serde_json::{json, Value};

fn branch(states: Value, start: &str) -> Value {
    json!({"StartAt": start, "States": states})
}

fn waiting_branch(name: &str, seconds: u64, result: Value) -> Value {
    branch(
        json!({
            format!("{name}Wait"): {"Type": "Wait", "Seconds": seconds, "Next": format!("{name}Done")},
            format!("{name}Done"): {"Type": "Pass", "Result": result, "End": true}
        }),
        &format!("{name}Wait"),
    )
}

#[tokio::test]
async fn parallel_branches_run_side_by_side_and_output_in_order() {
    let world = world();
    let definition = single_state(json!({
        "Type": "Parallel",
        "Parameters": {"shared.$": "$.value"},
        "ResultPath": "$.results",
        "Branches": [
            waiting_branch("Slow", 30, json!("slow")),
            waiting_branch("Fast", 10, json!("fast")),
            branch(json!({"Echo": {"Type": "Pass", "End": true}}), "Echo")
        ],
        "End": true
    }));
    let output = world.output(&definition, json!({"value": 7})).await;
    assert_eq!(
        output,
        json!({"value": 7, "results": ["slow", "fast", {"shared": 7}]})
    );
    assert_eq!(
        world.elapsed_seconds(),
        30,
        "branches wait at the same time"
    );
}

#[tokio::test]
async fn one_failing_branch_fails_the_parallel_state_and_stops_the_others() {
    let world = world();
    let definition = json!({"StartAt": "P", "States": {
        "P": {
            "Type": "Parallel",
            "Branches": [
                waiting_branch("Long", 3600, json!("never")),
                branch(json!({"Break": {"Type": "Fail", "Error": "BranchBroke", "Cause": "on purpose"}}), "Break")
            ],
            "Catch": [{"ErrorEquals": ["BranchBroke"], "ResultPath": "$.failure", "Next": "Recovered"}],
            "End": true
        },
        "Recovered": {"Type": "Pass", "End": true}
    }});
    let arn = world.start(&definition, json!({"id": 1}));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(
        outcome.output,
        Some(json!({"id": 1, "failure": {"Error": "BranchBroke", "Cause": "on purpose"}}))
    );
    assert_eq!(world.elapsed_seconds(), 0, "the waiting branch was stopped");
    assert_eq!(
        world
            .events_of(&arn, HistoryEventType::ParallelStateFailed)
            .len(),
        1
    );
    assert!(world
        .events_of(&arn, HistoryEventType::WaitStateExited)
        .is_empty());
}

#[tokio::test]
async fn an_uncaught_branch_failure_fails_the_execution() {
    let world = world();
    let definition = single_state(json!({
        "Type": "Parallel",
        "Branches": [branch(json!({"Break": {"Type": "Fail", "Error": "Broken"}}), "Break")],
        "End": true
    }));
    let outcome = world.run(&definition, json!({})).await;
    assert_eq!(error_of(&outcome), "Broken");
}

#[tokio::test]
async fn map_runs_the_item_processor_for_each_item_with_the_item_context() {
    let world = world();
    let definition = single_state(json!({
        "Type": "Map",
        "ItemsPath": "$.targets",
        "ItemSelector": {
            "index.$": "$$.Map.Item.Index",
            "target.$": "$$.Map.Item.Value",
            "deployment.$": "$.deployment"
        },
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": "Describe",
            "States": {"Describe": {
                "Type": "Pass",
                "Parameters": {"line.$": "States.Format('{} #{} {}', $.deployment, $.index, $.target.name)"},
                "OutputPath": "$.line",
                "End": true
            }}
        },
        "ResultPath": "$.lines",
        "End": true
    }));
    let input = json!({"deployment": "d-9", "targets": [{"name": "alias"}, {"name": "listener"}]});
    let arn = world.start(&definition, input);
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(
        outcome.output.unwrap()["lines"],
        json!(["d-9 #0 alias", "d-9 #1 listener"])
    );
    let started = world.events_of(&arn, HistoryEventType::MapStateStarted);
    assert_eq!(started[0].details.length, Some(2));
    let mut indexes: Vec<_> = world
        .events_of(&arn, HistoryEventType::MapIterationStarted)
        .iter()
        .map(|event| event.details.index.unwrap())
        .collect();
    indexes.sort();
    assert_eq!(indexes, vec![0, 1]);
    assert_eq!(
        world
            .events_of(&arn, HistoryEventType::MapIterationSucceeded)
            .len(),
        2
    );
}

#[tokio::test]
async fn map_accepts_the_legacy_iterator_and_parameters() {
    let world = world();
    let definition = single_state(json!({
        "Type": "Map",
        "Parameters": {"value.$": "$$.Map.Item.Value", "factor.$": "$.factor"},
        "Iterator": {"StartAt": "Keep", "States": {"Keep": {"Type": "Pass", "End": true}}},
        "End": true
    }));
    // Without ItemsPath the whole input must be the array; here it is an object.
    let outcome = world.run(&definition, json!({"factor": 2})).await;
    assert_eq!(error_of(&outcome), "States.Runtime");

    let mut with_items = definition.clone();
    with_items["States"]["S"]["ItemsPath"] = json!("$.values");
    let output = world
        .output(&with_items, json!({"factor": 2, "values": [1, 2]}))
        .await;
    assert_eq!(
        output,
        json!([{"value": 1, "factor": 2}, {"value": 2, "factor": 2}])
    );
}

fn waiting_map(max_concurrency: u64) -> Value {
    single_state(json!({
        "Type": "Map",
        "MaxConcurrency": max_concurrency,
        "ItemProcessor": {"StartAt": "Work", "States": {
            "Work": {"Type": "Wait", "Seconds": 10, "End": true}
        }},
        "End": true
    }))
}

#[tokio::test]
async fn max_concurrency_limits_how_many_items_run_at_once() {
    for (limit, expected_seconds) in [(1, 30), (2, 20), (0, 10)] {
        let world = world();
        let output = world.output(&waiting_map(limit), json!([1, 2, 3])).await;
        assert_eq!(output, json!([1, 2, 3]));
        assert_eq!(
            world.elapsed_seconds(),
            expected_seconds,
            "MaxConcurrency {limit}"
        );
    }
}

#[tokio::test]
async fn a_failing_iteration_fails_the_map_state() {
    let world = world();
    let definition = single_state(json!({
        "Type": "Map",
        "ItemProcessor": {"StartAt": "Check", "States": {
            "Check": {"Type": "Choice", "Choices": [
                {"Variable": "$", "NumericGreaterThan": 1, "Next": "TooBig"}
            ], "Default": "Fine"},
            "TooBig": {"Type": "Fail", "Error": "TooBig"},
            "Fine": {"Type": "Pass", "End": true}
        }},
        "End": true
    }));
    let arn = world.start(&definition, json!([0, 1, 2]));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(error_of(&outcome), "TooBig");
    assert_eq!(
        world
            .events_of(&arn, HistoryEventType::MapStateFailed)
            .len(),
        1
    );
    assert!(!world
        .events_of(&arn, HistoryEventType::MapIterationFailed)
        .is_empty());
}

#[tokio::test]
async fn an_empty_map_outputs_an_empty_array() {
    let world = world();
    assert_eq!(world.output(&waiting_map(0), json!([])).await, json!([]));
    assert_eq!(world.elapsed_seconds(), 0);
}

#[tokio::test]
async fn map_results_pass_through_resultselector() {
    let world = world();
    let definition = single_state(json!({
        "Type": "Map",
        "ItemsPath": "$.items",
        "ItemProcessor": {"StartAt": "Id", "States": {"Id": {"Type": "Pass", "End": true}}},
        "ResultSelector": {"count.$": "States.ArrayLength($)", "all.$": "$"},
        "ResultPath": "$.summary",
        "End": true
    }));
    let output = world
        .output(&definition, json!({"items": ["a", "b"]}))
        .await;
    assert_eq!(output["summary"], json!({"count": 2, "all": ["a", "b"]}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn virtual_time_stays_exact_with_many_lanes_on_many_threads() {
    for _round in 0..5 {
        let world = world();
        let hold = world.clock.hold();
        let arns: Vec<String> = (0..10)
            .map(|_| world.start(&waiting_map(2), json!([1, 2, 3, 4, 5, 6])))
            .collect();
        drop(hold);
        for arn in &arns {
            world.executor.wait_for_completion(arn).await.unwrap();
            let description = world.executor.describe_execution(arn).unwrap();
            assert_eq!(
                (description.stop_date.unwrap() - description.start_date).whole_seconds(),
                30
            );
        }
        assert_eq!(world.elapsed_seconds(), 30);
    }
}
