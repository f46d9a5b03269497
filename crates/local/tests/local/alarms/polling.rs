//! The polling path: without an event, the alarm is read before traffic moves forward, so an
//! alarm that fired during a bake is found when the bake ends; and alarm states that cannot be
//! read stop the deployment unless `ignorePollAlarmFailure` says otherwise.

use super::support::{
    assert_stopped_by_alarm, FailingAlarms, Scene, Watch, INJECTED_FAILURE, STOPPED_AND_ROLLED_BACK,
};
use gradual_core::ports::AlarmState;
use gradual_core::DeploymentStatus;
use std::sync::Arc;
use std::time::Duration;

const BAKE: Duration = Duration::from_secs(600);

#[tokio::test]
async fn an_alarm_nobody_reports_is_found_when_the_bake_ends() {
    let scene = Scene::lambda(Watch::default(), true).await;
    let id = scene.deploy_until_baking().await;
    scene.world.clock.advance(Duration::from_secs(120)).await;
    // The state changes on CloudWatch, but no event reaches alarm-listener.
    scene
        .world
        .set_alarm_state(&scene.alarms[0], AlarmState::Alarm)
        .await;

    let deployment = scene.finish(&id).await;
    assert_stopped_by_alarm(
        &deployment,
        &format!("alarm {} is in ALARM", scene.alarms[0]),
    );
    let (bake_began, rolled_back) = scene.bake_and_rollback_times(&id).await;
    assert!(
        rolled_back - bake_began >= BAKE,
        "polling can only find the alarm after the {BAKE:?} bake, traffic went back after {}",
        rolled_back - bake_began
    );
    let history = scene.world.history(&id).await;
    assert!(
        !history
            .iter()
            .any(|record| record.key.starts_with("traffic:finish")),
        "traffic never reached 100 %"
    );
    scene.assert_on_original().await;
    assert_eq!(scene.trigger_events().await, STOPPED_AND_ROLLED_BACK);
}

#[tokio::test]
async fn unreadable_alarms_stop_the_deployment_before_traffic_moves() {
    let scene = Scene::lambda(Watch::default(), false).await;
    scene.world.read_alarms_from(Arc::new(FailingAlarms));
    let id = scene.deploy(false).await;

    let deployment = scene.finish(&id).await;
    assert_stopped_by_alarm(&deployment, INJECTED_FAILURE);
    let message = &deployment.error_information.as_ref().unwrap().message;
    assert!(
        message.contains("DescribeAlarms failed") && message.contains("ignorePollAlarmFailure"),
        "{message}"
    );
    assert!(!scene.moved_forward(&id).await, "no traffic moved");
    scene.assert_on_original().await;
    assert_eq!(scene.trigger_events().await, STOPPED_AND_ROLLED_BACK);
}

#[tokio::test]
async fn unreadable_alarms_are_passed_over_with_ignore_poll_alarm_failure() {
    let watch = Watch {
        ignore_poll_alarm_failure: true,
        ..Watch::default()
    };
    let scene = Scene::lambda(watch, false).await;
    scene.world.read_alarms_from(Arc::new(FailingAlarms));
    let id = scene.deploy(false).await;

    let deployment = scene.finish(&id).await;
    assert_eq!(deployment.status, DeploymentStatus::Succeeded);
    assert_eq!(deployment.error_information, None);
    scene.assert_on_new().await;
    assert_eq!(
        scene.trigger_events().await,
        ["DeploymentStart", "DeploymentSuccess"]
    );
}
