//! Wait states, under a virtual clock that either jumps ahead when idle or moves only
//! when told to.

use crate::support as asl_support;

use asl_support::{error_of, manual_world, single_state, world};
use gradual_asl::{Clock, ExecutionStatus, HistoryEventType};
use serde_json::json;
use time::macros::datetime;
use time::Duration;

fn wait(field: &str, value: serde_json::Value) -> serde_json::Value {
    single_state(json!({"Type": "Wait", field: value, "End": true}))
}

#[tokio::test]
async fn a_two_hour_wait_completes_at_once_in_virtual_time() {
    let world = world();
    let arn = world.start(&wait("Seconds", json!(7200)), json!({"keep": "me"}));
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(outcome.output, Some(json!({"keep": "me"})));
    assert_eq!(world.elapsed_seconds(), 7200);
    let entered = &world.events_of(&arn, HistoryEventType::WaitStateEntered)[0];
    let exited = &world.events_of(&arn, HistoryEventType::WaitStateExited)[0];
    assert_eq!(exited.timestamp - entered.timestamp, Duration::hours(2));
}

#[tokio::test]
async fn seconds_path_reads_the_delay_from_the_input() {
    let world = world();
    world
        .output(&wait("SecondsPath", json!("$.delay")), json!({"delay": 90}))
        .await;
    assert_eq!(world.elapsed_seconds(), 90);
}

#[tokio::test]
async fn timestamp_waits_until_the_instant() {
    let world = world();
    world
        .output(&wait("Timestamp", json!("2024-01-01T03:00:00Z")), json!({}))
        .await;
    assert_eq!(world.clock.now(), datetime!(2024-01-01 03:00:00 UTC));
}

#[tokio::test]
async fn timestamp_path_reads_the_instant_from_the_input() {
    let world = world();
    let input = json!({"until": "2024-01-01T00:30:00+00:00"});
    world
        .output(&wait("TimestampPath", json!("$.until")), input)
        .await;
    assert_eq!(world.clock.now(), datetime!(2024-01-01 00:30:00 UTC));
}

#[tokio::test]
async fn a_timestamp_in_the_past_does_not_wait() {
    let world = world();
    world
        .output(&wait("Timestamp", json!("2020-01-01T00:00:00Z")), json!({}))
        .await;
    assert_eq!(world.elapsed_seconds(), 0);
}

#[tokio::test]
async fn bad_wait_inputs_are_runtime_errors() {
    let world = world();
    let negative = world
        .run(&wait("SecondsPath", json!("$.delay")), json!({"delay": -5}))
        .await;
    assert_eq!(error_of(&negative), "States.Runtime");
    let not_a_time = world
        .run(&wait("TimestampPath", json!("$.t")), json!({"t": "soon"}))
        .await;
    assert_eq!(error_of(&not_a_time), "States.Runtime");
    let missing = world
        .run(&wait("SecondsPath", json!("$.nothing")), json!({}))
        .await;
    assert_eq!(error_of(&missing), "States.Runtime");
}

#[tokio::test]
async fn a_manual_clock_lets_a_test_act_in_the_middle_of_a_wait() {
    let world = manual_world();
    let definition = json!({"StartAt": "Bake", "States": {
        "Bake": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
        "Done": {"Type": "Pass", "End": true}
    }});
    let arn = world.start(&definition, json!({}));
    world.clock.settle().await;
    assert_eq!(
        world
            .events_of(&arn, HistoryEventType::WaitStateEntered)
            .len(),
        1
    );

    world
        .clock
        .advance(std::time::Duration::from_secs(1800))
        .await;
    assert_eq!(world.elapsed_seconds(), 1800);
    let halfway = world.executor.describe_execution(&arn).unwrap();
    assert_eq!(halfway.status, ExecutionStatus::Running);
    assert!(world
        .events_of(&arn, HistoryEventType::WaitStateExited)
        .is_empty());

    world
        .clock
        .advance(std::time::Duration::from_secs(1800))
        .await;
    let outcome = world.executor.wait_for_completion(&arn).await.unwrap();
    assert_eq!(outcome.status, ExecutionStatus::Succeeded);
    assert_eq!(world.elapsed_seconds(), 3600);
}

#[tokio::test]
async fn consecutive_waits_add_up_exactly() {
    let world = world();
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Wait", "Seconds": 60, "Next": "B"},
        "B": {"Type": "Wait", "Seconds": 300, "Next": "C"},
        "C": {"Type": "Wait", "Seconds": 600, "End": true}
    }});
    world.output(&definition, json!({})).await;
    assert_eq!(world.elapsed_seconds(), 960);
}
