//! Applications, deployment groups and custom configs registered through the register
//! function of the local stack, then used by a deployment.

use crate::lambda_group::{run_owned, LambdaGroup};
use crate::support::{block_on, gradual, gradual_local, TempFile};
use gradual_emulator::unique_name;

#[test]
fn a_registered_group_with_a_custom_config_deploys() {
    block_on(async {
        let target = LambdaGroup::unregistered().await;
        let (application, group) = (target.application.as_str(), target.group.as_str());
        let config_name = unique_name("two-steps");
        let config = TempFile::new(
            "config.json",
            &format!(
                r#"{{"deploymentConfigName": "{config_name}", "computePlatform": "Lambda",
                    "trafficRoutingConfig": {{"type": "Steps", "steps": [
                        {{"percentage": 1, "bakeSeconds": 60}},
                        {{"percentage": 50, "bakeSeconds": 60}}]}}}}"#
            ),
        );

        let created = gradual_local(&[
            "app",
            "create",
            "--application",
            application,
            "--platform",
            "Lambda",
        ])
        .await;
        assert_eq!(created.code, 0, "{created:?}");
        assert_eq!(
            created.stdout,
            format!("registered application {application} (Lambda)\n")
        );

        let registered = gradual_local(&[
            "--output",
            "json",
            "config",
            "create",
            "--file",
            config.arg(),
        ])
        .await;
        assert_eq!(registered.code, 0, "{registered:?}");
        assert_eq!(
            registered.json()["deploymentConfig"]["deploymentConfigName"],
            config_name.as_str()
        );

        let listed = gradual_local(&["--output", "json", "config", "list"]).await;
        assert_eq!(listed.code, 0, "{listed:?}");
        let names: Vec<String> = listed.json()["deploymentConfigs"]
            .as_array()
            .expect("a list of configs")
            .iter()
            .filter_map(|config| config["deploymentConfigName"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(names[0], "CodeDeployDefault.LambdaCanary10Percent5Minutes");
        let custom = names
            .iter()
            .position(|name| name == &config_name)
            .expect("the custom config is listed");
        assert!(
            custom >= 14,
            "custom configs follow the 14 predefined ones: {names:?}"
        );
        let text = gradual_local(&["config", "list"]).await;
        assert!(
            text.stdout
                .lines()
                .any(|line| line.starts_with(&format!("{config_name} "))
                    && line.contains("1% for 1m, 50% for 1m, 100%")),
            "{text:?}"
        );

        let grouped = gradual_local(&[
            "group",
            "create",
            "--application",
            application,
            "--group",
            group,
            "--config",
            &config_name,
        ])
        .await;
        assert_eq!(grouped.code, 0, "{grouped:?}");
        assert!(
            grouped.stdout.starts_with(&format!(
                "registered deployment group {application} / {group} (Lambda)"
            )),
            "{grouped:?}"
        );

        let read = gradual_local(&[
            "--output",
            "json",
            "group",
            "get",
            "--application",
            application,
            "--group",
            group,
        ])
        .await;
        assert_eq!(read.code, 0, "{read:?}");
        let stored = &read.json()["deploymentGroup"];
        assert_eq!(stored["deploymentConfigName"], config_name.as_str());
        assert_eq!(
            stored["computePlatform"], "Lambda",
            "the application's platform"
        );

        let app = gradual_local(&[
            "--output",
            "json",
            "app",
            "get",
            "--application",
            application,
        ])
        .await;
        assert_eq!(app.json()["deploymentGroups"], serde_json::json!([group]));

        let shown = gradual_local(&["config", "get", &config_name]).await;
        assert!(
            shown.stdout.contains("1% for 1m, 50% for 1m, 100%"),
            "{shown:?}"
        );

        let deployed = run_owned(target.deploy_args(&["--watch"])).await;
        assert_eq!(deployed.code, 0, "{deployed:?}");
        assert!(
            deployed
                .stdout
                .contains(&format!("{config_name}: 1% for 1m, 50% for 1m, 100%")),
            "{deployed:?}"
        );
        assert!(
            deployed.stdout.contains("bake       step 2: 50% for 1m"),
            "{deployed:?}"
        );
        target.assert_alias_alone_on("2").await;
    });
}

#[test]
fn a_group_is_updated_from_a_file_and_cannot_be_created_twice() {
    block_on(async {
        let application = unique_name("shop");
        let names = ["--application", application.as_str(), "--group", "web"];
        let app =
            gradual_local(&["app", "create", names[0], names[1], "--platform", "Lambda"]).await;
        assert_eq!(app.code, 0, "{app:?}");
        let first = gradual_local(&[&["group", "create"][..], &names].concat()).await;
        assert_eq!(first.code, 0, "{first:?}");
        assert!(
            first.stdout.contains("CodeDeployDefault.LambdaAllAtOnce"),
            "the platform's default config: {first:?}"
        );

        let again = gradual_local(&[&["group", "create"][..], &names].concat()).await;
        again.assert_refused(
            1,
            &["gradual-register refused the request", "already exists"],
        );

        let settings = TempFile::new(
            "group.json",
            r#"{"deploymentConfigName": "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
                "autoRollbackConfiguration": {"enabled": true, "events": ["DEPLOYMENT_FAILURE"]}}"#,
        );
        let updated =
            gradual_local(&[&["group", "update", "--file", settings.arg()][..], &names].concat())
                .await;
        assert_eq!(updated.code, 0, "{updated:?}");
        let read = gradual_local(&[&["group", "get"][..], &names].concat()).await;
        for line in [
            "default config  CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
            "auto rollback   on DEPLOYMENT_FAILURE",
        ] {
            assert!(read.stdout.contains(line), "{line:?} in {read:?}");
        }
    });
}

#[tokio::test]
async fn a_group_without_its_names_is_refused_before_anything_is_sent() {
    let ran = gradual(&["group", "create", "--platform", "Lambda"]).await;

    ran.assert_refused(1, &["applicationName", "--application"]);
}
