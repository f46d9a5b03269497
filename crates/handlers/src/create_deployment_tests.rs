//! `create-deployment` on the state store in memory: one active deployment per group, and a
//! repeated `clientRequestToken` answered with the deployment it created.

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
        world
            .store
            .list_deployments("shop", "checkout", 10, None)
            .await
            .unwrap()
            .items,
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
        world
            .store
            .list_deployments("shop", "checkout", 10, None)
            .await
            .unwrap()
            .items,
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
