//! The event path: CloudWatch's state change, delivered by EventBridge to alarm-listener, cuts
//! the bake short and the rollback begins at once.

use super::support::{assert_stopped_by_alarm, Scene, Watch, STOPPED_AND_ROLLED_BACK};
use gradual_core::ports::{AlarmState, DeploymentSignals};
use gradual_core::DeploymentStatus;
use gradual_emulator::unique_name;
use gradual_handlers::Function;
use serde_json::{json, Value};
use std::time::Duration;

/// How far into the bake the alarm fires.
const INTO_THE_BAKE: Duration = Duration::from_secs(120);

/// Deploys, lets the alarm fire two minutes into the bake and checks that the rollback
/// happened then, not when the bake would have ended.
async fn alarm_during_the_bake_rolls_back_at_once(scene: Scene, bake: Duration) {
    let id = scene.deploy_until_baking().await;
    scene.world.clock.advance(INTO_THE_BAKE).await;

    let answer = scene
        .world
        .change_alarm_state(&scene.alarms[0], AlarmState::Alarm)
        .await
        .expect("alarm-listener takes the event");
    assert_eq!(answer["state"], "ALARM");
    assert_eq!(answer["stoppedDeployments"], json!([id]));

    let deployment = scene.finish(&id).await;
    assert_stopped_by_alarm(
        &deployment,
        &format!("alarm {} is in ALARM", scene.alarms[0]),
    );
    let (bake_began, rolled_back) = scene.bake_and_rollback_times(&id).await;
    let waited = rolled_back - bake_began;
    assert!(
        waited >= INTO_THE_BAKE && waited < INTO_THE_BAKE + Duration::from_secs(5),
        "traffic went back {waited} after the bake began: the alarm fired {INTO_THE_BAKE:?} into a {bake:?} bake"
    );
    scene.assert_on_original().await;
    assert_eq!(scene.trigger_events().await, STOPPED_AND_ROLLED_BACK);
    let rollback = deployment.rollback_info.rollback_deployment_id.unwrap();
    assert_eq!(
        scene.world.deployment(&rollback).await.status,
        DeploymentStatus::Succeeded
    );
}

#[tokio::test]
async fn an_alias_goes_back_as_soon_as_its_alarm_fires_in_a_bake() {
    let scene = Scene::lambda(Watch::default(), true).await;
    alarm_during_the_bake_rolls_back_at_once(scene, Duration::from_secs(600)).await;
}

#[tokio::test]
async fn a_listener_goes_back_as_soon_as_its_alarm_fires_in_a_bake() {
    let scene = Scene::ecs(Watch::default(), true).await;
    alarm_during_the_bake_rolls_back_at_once(scene, Duration::from_secs(900)).await;
}

#[tokio::test]
async fn only_a_watched_alarm_going_into_alarm_stops_a_deployment() {
    let scene = Scene::lambda(Watch::default(), true).await;
    let id = scene.deploy_until_baking().await;
    let watched = &scene.alarms[0];
    let unwatched = unique_name("latency");
    scene.world.create_alarm(&unwatched).await;

    let answers: Vec<Value> = vec![
        scene
            .world
            .change_alarm_state(watched, AlarmState::InsufficientData)
            .await
            .unwrap(),
        scene
            .world
            .change_alarm_state(watched, AlarmState::Ok)
            .await
            .unwrap(),
        scene
            .world
            .change_alarm_state(&unwatched, AlarmState::Alarm)
            .await
            .unwrap(),
    ];
    let states: Vec<&Value> = answers.iter().map(|answer| &answer["state"]).collect();
    assert_eq!(states, ["INSUFFICIENT_DATA", "OK", "ALARM"]);
    for answer in &answers {
        assert_eq!(answer["stoppedDeployments"], json!([]), "{answer}");
    }
    assert_eq!(scene.world.store.stop_request(&id).await.unwrap(), None);

    let deployment = scene.finish(&id).await;
    assert_eq!(deployment.status, DeploymentStatus::Succeeded);
    scene.assert_on_new().await;
}

#[tokio::test]
async fn events_other_than_alarm_state_changes_are_refused() {
    let scene = Scene::lambda(Watch::default(), false).await;
    let change = scene
        .world
        .set_alarm_state(&scene.alarms[0], AlarmState::Alarm)
        .await;
    let mut event = gradual_local::world::alarm_state_change_event(&change);
    event["detail-type"] = json!("EC2 Instance State-change Notification");
    let error = scene
        .world
        .call(Function::AlarmListener, event)
        .await
        .unwrap_err();
    assert_eq!(error.error_type, "InvalidInput");
    assert!(error.message.starts_with("detail-type:"), "{error:?}");
}
