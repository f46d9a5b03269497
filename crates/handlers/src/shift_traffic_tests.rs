//! The traffic functions on the state store in memory: a service outage on a target is a
//! transient failure the workflow retries, a drifted target is not.

use crate::test_support::{run, World};
use gradual_core::ports::RouterError;
use gradual_core::traffic::{MemoryRouter, TrafficAction};
use gradual_core::ErrorCode;
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn an_outage_during_a_rollback_is_retried_by_the_workflow() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    let router = Arc::new(MemoryRouter::new("alias checkout:live", "1", "2"));
    router.change_out_of_band(10);
    router.fail_on(
        TrafficAction::Rollback,
        RouterError::Unavailable {
            resource: "alias checkout:live".to_owned(),
            operation: "UpdateAlias",
            message: "Rate exceeded".to_owned(),
        },
    );
    let traffic = world.shift_traffic(router.clone());

    let error = run(&traffic, json!({"deploymentId": id, "action": "rollback"}))
        .await
        .unwrap_err();

    assert_eq!(error.error_type(), "ServiceUnavailable", "{error}");
    assert!(
        error
            .to_string()
            .contains("UpdateAlias on alias checkout:live"),
        "{error}"
    );
    assert_eq!(router.percent_on_new(), 10, "nothing was written");
}

#[tokio::test]
async fn a_drifted_target_ends_the_step_with_its_code() {
    let world = World::new();
    let group = world.group("shop", "checkout", |_| {}).await;
    let id = world.started_deployment(&group).await;
    let router = Arc::new(MemoryRouter::new("alias checkout:live", "1", "2"));
    // Someone put 30 % on the new version; the deployment asks for 10 %.
    router.change_out_of_band(30);
    let traffic = world.shift_traffic(router.clone());

    let error = run(
        &traffic,
        json!({"deploymentId": id, "action": "shift", "percent": 10, "step": 0}),
    )
    .await
    .unwrap_err();

    assert_eq!(
        error.error_type(),
        ErrorCode::InvalidLambdaConfiguration.as_str(),
        "{error}"
    );
    assert_eq!(router.percent_on_new(), 30);
}
