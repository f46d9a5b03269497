//! An alarm already in ALARM when a deployment is created: it stops the deployment before any
//! traffic moves, unless the request asks to ignore the alarms firing at start.

use super::support::{assert_stopped_by_alarm, Scene, Watch, STOPPED_AND_ROLLED_BACK};
use gradual_core::ports::AlarmState;
use gradual_core::DeploymentStatus;
use gradual_handlers::Function;
use serde_json::json;

#[tokio::test]
async fn an_alarm_firing_at_start_stops_the_deployment_before_the_first_shift() {
    let scene = Scene::lambda(Watch::default(), false).await;
    scene
        .world
        .set_alarm_state(&scene.alarms[0], AlarmState::Alarm)
        .await;
    let id = scene.deploy(false).await;

    let deployment = scene.finish(&id).await;
    assert!(deployment.ignored_alarms.is_empty());
    assert_stopped_by_alarm(
        &deployment,
        &format!("alarm {} is in ALARM", scene.alarms[0]),
    );
    assert!(!scene.moved_forward(&id).await, "no traffic moved");
    scene.assert_on_original().await;
    assert_eq!(scene.trigger_events().await, STOPPED_AND_ROLLED_BACK);
}

#[tokio::test]
async fn alarms_firing_at_start_can_be_ignored_and_the_others_still_count() {
    let watch = Watch {
        alarms: 2,
        ..Watch::default()
    };
    let scene = Scene::lambda(watch, true).await;
    let (firing, quiet) = (&scene.alarms[0], &scene.alarms[1]);
    scene.world.set_alarm_state(firing, AlarmState::Alarm).await;
    let id = scene.deploy(true).await;
    scene.world.clock.settle().await;

    let deployment = scene.world.deployment(&id).await;
    assert_eq!(deployment.status, DeploymentStatus::Baking);
    assert_eq!(deployment.ignored_alarms, std::slice::from_ref(firing));
    let shown = scene
        .world
        .call(Function::GetDeployment, json!({"deploymentId": id}))
        .await
        .expect("get-deployment answers");
    assert_eq!(shown["deploymentInfo"]["ignoredAlarms"], json!([firing]));

    // The ignored alarm's event is passed over; the other alarm still stops the deployment.
    let answer = scene
        .world
        .change_alarm_state(firing, AlarmState::Alarm)
        .await
        .unwrap();
    assert_eq!(answer["stoppedDeployments"], json!([]));
    let answer = scene
        .world
        .change_alarm_state(quiet, AlarmState::Alarm)
        .await
        .unwrap();
    assert_eq!(answer["stoppedDeployments"], json!([id]));

    let deployment = scene.finish(&id).await;
    assert_stopped_by_alarm(&deployment, &format!("alarm {quiet} is in ALARM"));
    assert_eq!(deployment.ignored_alarms, std::slice::from_ref(firing));
    scene.assert_on_original().await;
}

#[tokio::test]
async fn a_deployment_ignoring_its_firing_alarm_succeeds() {
    let scene = Scene::lambda(Watch::default(), false).await;
    scene
        .world
        .set_alarm_state(&scene.alarms[0], AlarmState::Alarm)
        .await;
    let id = scene.deploy(true).await;

    let deployment = scene.finish(&id).await;
    assert_eq!(deployment.status, DeploymentStatus::Succeeded);
    assert_eq!(deployment.ignored_alarms, scene.alarms);
    scene.assert_on_new().await;
}
