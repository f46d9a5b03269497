//! Whole deployments on the local stack (the emulator, the real workflow, the in-process
//! handlers, time running 600 times faster), checked against the alias on the emulator.

use crate::lambda_group::{run_owned, LambdaGroup};
use crate::support::{block_on, gradual_local, local_stack, TempFile};
use gradual_emulator::sample::lambda::ALIAS;
use gradual_emulator::unique_name;
use gradual_local::world::HookBehaviour;
use serde_json::Value;
use std::time::Duration;

async fn status(id: &str) -> Value {
    let ran = gradual_local(&["--output", "json", "status", id]).await;
    assert_eq!(ran.code, 0, "{ran:?}");
    ran.json()
}

#[test]
fn a_canary_is_deployed_watched_and_read_back() {
    block_on(async {
        let group = LambdaGroup::in_store("CodeDeployDefault.LambdaCanary10Percent5Minutes").await;

        let deployed = run_owned(group.deploy_args(&["--output", "json"])).await;
        assert_eq!(deployed.code, 0, "{deployed:?}");
        let id = deployed.json()["deploymentId"]
            .as_str()
            .expect("create-deployment answers with the id")
            .to_owned();

        let watched = gradual_local(&["watch", &id, "--interval", "0.05"]).await;
        assert_eq!(watched.code, 0, "{watched:?}");
        for line in [
            &format!("{id}  Succeeded"),
            "status     Created → InProgress",
            "traffic    shift: 10% on the new version",
            "bake       step 1: 10% for 5m",
            "traffic    finish: 100% on the new version",
            "status     InProgress → Succeeded",
        ] {
            assert!(watched.stdout.contains(line), "{line:?} in {watched:?}");
        }

        let document = status(&id).await;
        let info = &document["deploymentInfo"];
        assert_eq!(info["id"], id.as_str());
        assert_eq!(info["status"], "Succeeded");
        assert_eq!(info["applicationName"], group.application.as_str());
        assert_eq!(
            info["targets"][0]["functionName"],
            group.lambda.function.as_str()
        );
        assert_eq!(info["traffic"]["percent"], 100);
        let history = document["history"].as_array().expect("a history");
        assert!(
            history
                .iter()
                .any(|record| record["entry"]["kind"] == "bake" && record["entry"]["percent"] == 10),
            "{history:?}"
        );
        group.assert_alias_alone_on("2").await;

        let listed = gradual_local(&[
            "--output",
            "json",
            "list",
            "--application",
            &group.application,
            "--group",
            &group.group,
        ])
        .await;
        assert_eq!(listed.code, 0, "{listed:?}");
        assert_eq!(listed.json()["deployments"], serde_json::json!([id]));
    });
}

#[test]
fn a_failing_hook_fails_the_watch_and_the_alias_goes_back() {
    block_on(async {
        let group = LambdaGroup::in_store("CodeDeployDefault.LambdaAllAtOnce").await;
        let hook = unique_name("failing-check");
        local_stack()
            .await
            .world()
            .register_sample_hook(&hook, HookBehaviour::Fail);
        let appspec = TempFile::new(
            "appspec.yaml",
            &format!(
                "version: 0.0\nResources:\n  - api:\n      Type: AWS::Lambda::Function\n      Properties:\n        Name: {}\n        Alias: {ALIAS}\n        CurrentVersion: \"1\"\n        TargetVersion: \"2\"\nHooks:\n  - AfterAllowTraffic: {hook}\n",
                group.lambda.function
            ),
        );

        let ran = gradual_local(&[
            "--output",
            "json",
            "deploy",
            "--application",
            &group.application,
            "--group",
            &group.group,
            "--appspec",
            appspec.arg(),
            "--watch",
            "--interval",
            "0.05",
        ])
        .await;

        ran.assert_refused(3, &["ended Failed", "HOOK_EXECUTION_FAILURE"]);
        let document = ran.json();
        let info = &document["deploymentInfo"];
        assert_eq!(info["status"], "Failed");
        assert_eq!(info["errorInformation"]["code"], "HOOK_EXECUTION_FAILURE");
        let rollback = info["rollbackInfo"]["rollbackDeploymentId"]
            .as_str()
            .expect("a rollback deployment is linked");
        assert_eq!(
            status(rollback).await["deploymentInfo"]["status"],
            "Succeeded"
        );
        group.assert_alias_alone_on("1").await;
    });
}

#[test]
fn a_baking_deployment_is_stopped_and_rolled_back() {
    block_on(async {
        // Thirty minutes of bake last three seconds here: time enough to stop it.
        let group = LambdaGroup::in_store("CodeDeployDefault.LambdaCanary10Percent30Minutes").await;
        let watching = tokio::spawn(run_owned(group.deploy_args(&["--watch"])));

        let id = baking_deployment(&group).await;
        let stopped = gradual_local(&["--output", "json", "stop", &id, "--rollback"]).await;
        assert_eq!(stopped.code, 0, "{stopped:?}");
        assert_eq!(stopped.json()["status"], "Pending");

        let watched = watching.await.expect("the watch ran");
        watched.assert_refused(3, &[&id, "ended Stopped", "MANUAL_STOP"]);
        assert!(watched.stdout.contains("rollback\n"), "{watched:?}");
        group.assert_alias_alone_on("1").await;

        let again = gradual_local(&["stop", &id]).await;
        again.assert_refused(1, &["InvalidInput", "already ended"]);
    });
}

/// The group's one deployment, once it bakes.
async fn baking_deployment(group: &LambdaGroup) -> String {
    for _ in 0..200 {
        let listed = gradual_local(&[
            "--output",
            "json",
            "list",
            "--application",
            &group.application,
            "--group",
            &group.group,
        ])
        .await;
        if let Some(id) = listed.json()["deployments"][0].as_str() {
            if status(id).await["deploymentInfo"]["status"] == "Baking" {
                return id.to_owned();
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the deployment never baked");
}

#[test]
fn an_unknown_group_is_refused_with_the_functions_reason() {
    block_on(async {
        let ran = gradual_local(&[
            "deploy",
            "--application",
            &unique_name("nowhere"),
            "--group",
            "none",
            "--function",
            "f",
            "--alias",
            "live",
            "--from",
            "1",
            "--to",
            "2",
        ])
        .await;

        ran.assert_refused(
            1,
            &[
                "gradual-create-deployment refused the request",
                "APPLICATION_MISSING",
            ],
        );
    });
}
