//! `create-deployment` on the state store in memory: one active deployment per group, a
//! repeated `clientRequestToken` answered with the deployment it created (and never starting
//! one that failed to start), and the tokens a client may send.

use crate::test_support::{run, World};
use gradual_core::ports::{DeploymentIndex, DeploymentRecords, StatusChange};
use gradual_core::{DeploymentId, DeploymentStatus};
use serde_json::{json, Value};

/// A direct request, as `events/create-deployment/direct-targets.json`.
fn request(description: &str, client_request_token: Option<&str>) -> Value {
    let mut request = json!({
        "applicationName": "shop",
        "deploymentGroupName": "checkout",
        "revision": {
            "revisionType": "Targets",
            "targets": [{
                "type": "LambdaAlias",
                "functionName": "shop-checkout-api",
                "alias": "live",
                "currentVersion": "1",
                "targetVersion": "2"
            }]
        },
        "deploymentConfigName": "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
        "description": description,
        "autoRollbackConfiguration": {
            "enabled": true,
            "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST"]
        }
    });
    if let Some(token) = client_request_token {
        request["clientRequestToken"] = json!(token);
    }
    request
}

fn created(answer: &Value) -> DeploymentId {
    serde_json::from_value(answer["deploymentId"].clone()).expect("a deployment id")
}

#[tokio::test]
async fn a_second_deployment_is_refused_while_the_group_has_an_active_one() {
    let world = World::new();
    world.group("shop", "checkout", |_| {}).await;
    let create = world.create_deployment();

    let first = created(&run(&create, request("checkout 2", None)).await.unwrap());
    let error = run(&create, request("checkout 3", None)).await.unwrap_err();

    assert_eq!(error.error_type(), "InvalidInput");
    assert_eq!(
        error.to_string(),
        format!(
            "deployment group shop/checkout already has an active deployment ({first}); wait for it to end or stop it"
        )
    );
    assert_eq!(
        world.deployments_of("shop", "checkout").await,
        vec![first.clone()]
    );
    let started: Vec<String> = world
        .workflow
        .started()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(started, [first.to_string()]);

    // Once the first has ended, the group takes the next one.
    let stop = StatusChange {
        expected: DeploymentStatus::Created,
        next: DeploymentStatus::Stopped,
        error_information: None,
        at: gradual_core::fixtures::created_at(),
    };
    world.store.change_status(&first, &stop).await.unwrap();
    let second = created(&run(&create, request("checkout 3", None)).await.unwrap());
    assert_ne!(second, first);
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(Some(second))
    );
}

#[tokio::test]
async fn a_repeated_token_is_answered_with_the_deployment_it_created() {
    let world = World::new();
    world.group("shop", "checkout", |_| {}).await;
    let create = world.create_deployment();
    let token = "release-2026-11-23-checkout-2";

    let first = run(&create, request("checkout 2", Some(token)))
        .await
        .unwrap();
    let id = created(&first);
    let stored = world.deployment(&id).await;
    let repeated = run(&create, request("checkout 2", Some(token))).await;

    assert_eq!(repeated, Ok(first));
    assert_eq!(world.deployment(&id).await, stored);
    assert_eq!(
        world.deployments_of("shop", "checkout").await,
        vec![id.clone()]
    );
    // The repeat makes sure the workflow runs: started again under the same name, with the
    // same input, which the workflow service takes as the same execution.
    let started = world.workflow.started();
    assert_eq!(started.len(), 2);
    assert_eq!(started[0], started[1]);
    assert_eq!(started[0].0, id.to_string());
    assert_eq!(started[0].1["deploymentId"], json!(id));

    let error = run(&create, request("checkout 3", Some(token)))
        .await
        .unwrap_err();
    assert_eq!(error.error_type(), "InvalidInput");
    assert_eq!(
        error.to_string(),
        format!(
            "clientRequestToken \"{token}\" was already used for a different request (deployment {id})"
        )
    );
    assert_eq!(world.workflow.started().len(), 2);
}

#[tokio::test]
async fn a_retry_after_a_failed_start_answers_the_failure_and_starts_nothing() {
    let world = World::new();
    world.group("shop", "checkout", |_| {}).await;
    let create = world.create_deployment();
    let token = "release-2026-11-23-checkout-2";
    world.workflow.fail_next_starts(1);

    let error = run(&create, request("checkout 2", Some(token)))
        .await
        .unwrap_err();
    assert_eq!(error.error_type(), "ServiceUnavailable", "{error}");
    let listed = world.deployments_of("shop", "checkout").await;
    let [id] = listed.as_slice() else {
        panic!("one deployment: {listed:?}");
    };
    let failed = world.deployment(id).await;
    assert_eq!(failed.status, DeploymentStatus::Failed);
    assert_eq!(
        world.store.active_deployment("shop", "checkout").await,
        Ok(None),
        "the group is free"
    );

    // A pipeline or a client retries the same request: the failure is the answer, and the
    // deployment marked Failed is never started.
    let retry = run(&create, request("checkout 2", Some(token)))
        .await
        .unwrap_err();
    assert_eq!(retry.error_type(), "INTERNAL_ERROR", "{retry}");
    let message = retry.to_string();
    assert!(
        message.contains(&format!("clientRequestToken \"{token}\": deployment {id}"))
            && message.contains("the workflow could not start")
            && message.contains("send another token"),
        "{message}"
    );
    assert!(world.workflow.started().is_empty(), "nothing was started");
    assert_eq!(world.deployment(id).await, failed);

    // A new token is a new request.
    let fresh = run(
        &create,
        request("checkout 2", Some("release-2026-11-23-checkout-2b")),
    )
    .await
    .unwrap();
    let fresh = created(&fresh);
    assert_ne!(&fresh, id);
    assert_eq!(world.workflow.started().len(), 1);
    assert_eq!(world.workflow.started()[0].0, fresh.to_string());
}

#[tokio::test]
async fn a_retry_of_a_running_deployment_leaves_its_workflow_alone() {
    let world = World::new();
    world.group("shop", "checkout", |_| {}).await;
    let create = world.create_deployment();
    let token = "release-42";
    let first = run(&create, request("checkout 2", Some(token)))
        .await
        .unwrap();
    let id = created(&first);
    let start = json!({"deploymentId": id, "action": "start"});
    run(&world.record_status(), start).await.unwrap();
    assert_eq!(
        world.deployment(&id).await.status,
        DeploymentStatus::InProgress
    );

    let repeated = run(&create, request("checkout 2", Some(token))).await;

    assert_eq!(repeated, Ok(first));
    assert_eq!(world.workflow.started().len(), 1, "started once");
}

#[tokio::test]
async fn a_token_out_of_bounds_is_refused_and_changes_nothing() {
    let world = World::new();
    world.group("shop", "checkout", |_| {}).await;
    let create = world.create_deployment();
    let long = "t".repeat(65);
    for (token, problem) in [
        ("", "a token has 1 to 64 characters, this one has 0"),
        (
            long.as_str(),
            "a token has 1 to 64 characters, this one has 65",
        ),
        ("rollback#d-ABCDEFGHI", "'#' is not allowed in a token"),
        ("release 42", "' ' is not allowed in a token"),
    ] {
        let error = run(&create, request("checkout 2", Some(token)))
            .await
            .unwrap_err();
        assert_eq!(error.error_type(), "InvalidInput", "{token:?}");
        assert!(
            error
                .to_string()
                .starts_with(&format!("clientRequestToken: {problem}")),
            "{token:?}: {error}"
        );
    }
    let listed = world.deployments_of("shop", "checkout").await;
    assert!(listed.is_empty(), "{listed:?}");
    assert!(world.workflow.started().is_empty());
}
