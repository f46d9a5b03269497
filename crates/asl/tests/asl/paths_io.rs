//! Input and output processing, with the States Language specification's own examples.

use crate::support as asl_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use asl_support::{error_of, single_state, world};
use gradual_asl::{Clock, ExecutionStatus, FunctionError, VirtualClock};
use serde_json::{json, Value};

const ADD_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:Add";

fn register_add(world: &asl_support::World) {
    world
        .functions
        .register_fn("Add", |input: Value| async move {
            let sum = input["val1"].as_i64().unwrap_or_default()
                + input["val2"].as_i64().unwrap_or_default();
            Ok(json!(sum))
        });
}

#[tokio::test]
async fn the_spec_example_of_inputpath_resultpath_and_outputpath() {
    let world = world();
    register_add(&world);
    let definition = single_state(json!({
        "Type": "Task", "Resource": ADD_ARN,
        "InputPath": "$.numbers", "ResultPath": "$.sum", "OutputPath": "$", "End": true
    }));
    let input = json!({"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}});
    assert_eq!(
        world.output(&definition, input).await,
        json!({"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}, "sum": 7})
    );
}

#[tokio::test]
async fn outputpath_selects_part_of_the_merged_result() {
    let world = world();
    register_add(&world);
    let definition = single_state(json!({
        "Type": "Task", "Resource": ADD_ARN,
        "InputPath": "$.numbers", "ResultPath": "$.sum", "OutputPath": "$.sum", "End": true
    }));
    let input = json!({"numbers": {"val1": 30, "val2": 12}});
    assert_eq!(world.output(&definition, input).await, json!(42));
}

#[tokio::test]
async fn resultpath_replaces_existing_fields_and_creates_missing_ones() {
    let world = world();
    let input = json!({"master": {"detail": [1, 2, 3]}});
    let replace = single_state(
        json!({"Type": "Pass", "Result": 6, "ResultPath": "$.master.detail", "End": true}),
    );
    assert_eq!(
        world.output(&replace, input.clone()).await,
        json!({"master": {"detail": 6}})
    );
    let world = asl_support::world();
    let create = single_state(
        json!({"Type": "Pass", "Result": 6, "ResultPath": "$.master.result.sum", "End": true}),
    );
    assert_eq!(
        world.output(&create, input).await,
        json!({"master": {"detail": [1, 2, 3], "result": {"sum": 6}}})
    );
}

#[tokio::test]
async fn the_spec_pass_state_example_places_its_result() {
    let world = world();
    let definition = single_state(json!({
        "Type": "Pass",
        "Result": {"x-datum": 0.381018, "y-datum": 622.2269926397355},
        "ResultPath": "$.coords",
        "End": true
    }));
    assert_eq!(
        world.output(&definition, json!({"georefOf": "Home"})).await,
        json!({"georefOf": "Home", "coords": {"x-datum": 0.381018, "y-datum": 622.2269926397355}})
    );
}

#[tokio::test]
async fn null_paths_give_empty_objects_or_keep_the_input() {
    let world = world();
    let null_input = single_state(json!({"Type": "Pass", "InputPath": null, "End": true}));
    assert_eq!(world.output(&null_input, json!({"a": 1})).await, json!({}));
    let world = asl_support::world();
    let null_output = single_state(json!({"Type": "Pass", "OutputPath": null, "End": true}));
    assert_eq!(world.output(&null_output, json!({"a": 1})).await, json!({}));
    let world = asl_support::world();
    let null_result =
        single_state(json!({"Type": "Pass", "Result": "ignored", "ResultPath": null, "End": true}));
    assert_eq!(
        world.output(&null_result, json!({"a": 1})).await,
        json!({"a": 1})
    );
}

#[tokio::test]
async fn parameters_build_the_effective_input_from_paths_and_literals() {
    let world = world();
    let definition = single_state(json!({
        "Type": "Pass",
        "InputPath": "$.order",
        "Parameters": {
            "flagged": true,
            "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[-3:]"},
            "ids.$": "$.items[*].id"
        },
        "End": true
    }));
    let input =
        json!({"order": {"vals": [0, 10, 20, 30, 40, 50], "items": [{"id": "a"}, {"id": "b"}]}});
    assert_eq!(
        world.output(&definition, input).await,
        json!({"flagged": true, "parts": {"first": 0, "last3": [30, 40, 50]}, "ids": ["a", "b"]})
    );
}

#[tokio::test]
async fn resultselector_shapes_the_raw_result_before_resultpath() {
    let world = world();
    world.functions.register_fn("CreateCluster", |_| async move {
        Ok(json!({
            "resourceType": "elasticmapreduce",
            "resource": "createCluster.sync",
            "output": {"SdkHttpMetadata": {"HttpStatusCode": 200}, "ClusterId": "AKIAIOSFODNN7EXAMPLE"}
        }))
    });
    let definition = single_state(json!({
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:CreateCluster",
        "ResultSelector": {"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"},
        "ResultPath": "$.EMROutput",
        "End": true
    }));
    assert_eq!(
        world.output(&definition, json!({"job": 1})).await,
        json!({"job": 1, "EMROutput": {"ClusterId": "AKIAIOSFODNN7EXAMPLE", "ResourceType": "elasticmapreduce"}})
    );
}

#[tokio::test]
async fn the_context_object_describes_the_execution_and_the_state() {
    let world = world();
    let definition = single_state(json!({
        "Type": "Pass",
        "Parameters": {
            "id.$": "$$.Execution.Id",
            "name.$": "$$.Execution.Name",
            "input.$": "$$.Execution.Input",
            "started.$": "$$.Execution.StartTime",
            "state.$": "$$.State.Name",
            "entered.$": "$$.State.EnteredTime",
            "retries.$": "$$.State.RetryCount",
            "machine.$": "$$.StateMachine.Id"
        },
        "End": true
    }));
    let output = world.output(&definition, json!({"k": "v"})).await;
    assert_eq!(
        output,
        json!({
            "id": "arn:aws:states:us-east-1:123456789012:execution:StateMachine:test-run",
            "name": "test-run",
            "input": {"k": "v"},
            "started": "2024-01-01T00:00:00.000Z",
            "state": "S",
            "entered": "2024-01-01T00:00:00.000Z",
            "retries": 0,
            "machine": "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine"
        })
    );
    assert_eq!(world.clock.now(), VirtualClock::DEFAULT_START);
}

#[tokio::test]
async fn a_missing_inputpath_is_a_runtime_error_that_catch_cannot_handle() {
    let world = world();
    register_add(&world);
    let definition = json!({"StartAt": "S", "States": {
        "S": {"Type": "Task", "Resource": ADD_ARN, "InputPath": "$.missing", "End": true,
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
        "Caught": {"Type": "Succeed"}
    }});
    let outcome = world.run(&definition, json!({})).await;
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(error_of(&outcome), "States.Runtime");
    assert!(outcome.cause.unwrap().contains("$.missing"));
}

// "States.ALL ... cannot catch the States.DataLimitExceeded terminal error or Runtime error
// types" and "A States.Runtime error isn't retriable, and will always cause the execution to
// fail" (AWS Step Functions Developer Guide, "Handling errors in Step Functions workflows").
// A `.$` path that selects nothing is reported by Step Functions as States.Runtime ("The
// JSONPath '$.x' specified for the field 'x.$' could not be found in the input '…'"), in
// Parameters, ResultSelector and ItemSelector alike.

#[tokio::test]
async fn a_resultpath_that_cannot_be_applied_is_a_resultpathmatchfailure() {
    let world = world();
    let definition =
        single_state(json!({"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": true}));
    let outcome = world.run(&definition, json!({"a": "text"})).await;
    assert_eq!(error_of(&outcome), "States.ResultPathMatchFailure");
}

#[tokio::test]
async fn a_resultpathmatchfailure_stays_catchable_by_states_all() {
    let world = world();
    register_add(&world);
    let definition = json!({"StartAt": "S", "States": {
        "S": {"Type": "Task", "Resource": ADD_ARN, "ResultPath": "$.a.b", "End": true,
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Caught"}]},
        "Caught": {"Type": "Pass", "End": true}
    }});
    let output = world.output(&definition, json!({"a": "text"})).await;
    assert_eq!(
        output["error"]["Error"],
        json!("States.ResultPathMatchFailure")
    );
}

#[tokio::test]
async fn a_missing_parameters_path_is_a_runtime_error_no_retry_or_catch_handles() {
    let world = world();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    world.functions.register_fn("Add", move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok(json!(0)) }
    });
    let definition = json!({"StartAt": "S", "States": {
        "S": {"Type": "Task", "Resource": ADD_ARN, "Parameters": {"val1.$": "$.nope"}, "End": true,
              "Retry": [{"ErrorEquals": ["States.ALL"]}],
              "Catch": [
                  {"ErrorEquals": ["States.ParameterPathFailure"], "Next": "Caught"},
                  {"ErrorEquals": ["States.ALL"], "Next": "Caught"}
              ]},
        "Caught": {"Type": "Succeed"}
    }});
    let outcome = world.run(&definition, json!({"x": 1})).await;
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(error_of(&outcome), "States.Runtime");
    let cause = outcome.cause.unwrap();
    assert!(
        cause.contains("'$.nope'") && cause.contains("'val1.$'"),
        "{cause}"
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        0,
        "nothing was called nor retried"
    );
    assert_eq!(world.elapsed_seconds(), 0, "no retry waited");
}

#[tokio::test]
async fn a_missing_resultselector_path_is_a_runtime_error_states_all_cannot_catch() {
    let world = world();
    register_add(&world);
    let definition = json!({"StartAt": "S", "States": {
        "S": {"Type": "Task", "Resource": ADD_ARN,
              "ResultSelector": {"total.$": "$.sum"}, "End": true,
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
        "Caught": {"Type": "Succeed"}
    }});
    let outcome = world.run(&definition, json!({"val1": 1, "val2": 2})).await;
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(error_of(&outcome), "States.Runtime");
    assert!(outcome.cause.unwrap().contains("'total.$'"));
}

#[tokio::test]
async fn a_missing_itemselector_path_is_a_runtime_error_states_all_cannot_catch() {
    let world = world();
    let definition = json!({"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemsPath": "$.items",
              "ItemSelector": {"value.$": "$$.Map.Item.Value", "owner.$": "$.owner"},
              "ItemProcessor": {"StartAt": "Keep", "States": {"Keep": {"Type": "Pass", "End": true}}},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
              "End": true},
        "Caught": {"Type": "Succeed"}
    }});
    let outcome = world.run(&definition, json!({"items": [1, 2]})).await;
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(error_of(&outcome), "States.Runtime");
    assert!(outcome.cause.unwrap().contains("'$.owner'"));
}

#[tokio::test]
async fn a_missing_intrinsic_argument_path_is_a_runtime_error_states_all_cannot_catch() {
    let world = world();
    register_add(&world);
    let definition = json!({"StartAt": "S", "States": {
        "S": {"Type": "Task", "Resource": ADD_ARN,
              "Parameters": {"label.$": "States.Format('deployment {}', $.nope)"}, "End": true,
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
        "Caught": {"Type": "Succeed"}
    }});
    let outcome = world.run(&definition, json!({"other": 1})).await;
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(error_of(&outcome), "States.Runtime");
    let cause = outcome.cause.unwrap();
    assert!(
        cause.contains("The JsonPath argument for the field '$.nope' could not be found"),
        "{cause}"
    );
}

#[tokio::test]
async fn a_runtime_error_in_a_branch_passes_the_parallel_states_catch_all() {
    // The shape of statemachines/deployment.asl.json: a Parallel whose Catch sends every
    // error to the failure path, around Pass and Task states built from Parameters.
    let world = world();
    let definition = json!({"StartAt": "Deploy", "States": {
        "Deploy": {"Type": "Parallel", "ResultPath": null,
                   "Branches": [{"StartAt": "Shape", "States": {
                       "Shape": {"Type": "Pass", "Parameters": {"id.$": "$.deploymentId"}, "End": true}
                   }}],
                   "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "RecordFailure"}],
                   "End": true},
        "RecordFailure": {"Type": "Succeed"}
    }});
    let outcome = world.run(&definition, json!({"platform": "Lambda"})).await;
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(error_of(&outcome), "States.Runtime");
}

#[tokio::test]
async fn handlers_receive_the_rendered_parameters() {
    let world = world();
    world
        .functions
        .register_fn("Echo", |input: Value| async move {
            if input.get("fail").is_some() {
                return Err(FunctionError::new("Unexpected", "asked to fail"));
            }
            Ok(input)
        });
    let definition = single_state(json!({
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Echo",
        "Parameters": {"constant": "c", "from.$": "$.a.b"},
        "End": true
    }));
    assert_eq!(
        world.output(&definition, json!({"a": {"b": [1]}})).await,
        json!({"constant": "c", "from": [1]})
    );
}
