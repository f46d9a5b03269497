//! `gradual plan`: schedules of predefined and custom configs, offline.

use crate::support::{gradual, TempFile};

#[tokio::test]
async fn a_predefined_linear_config_is_planned_step_by_step() {
    let ran = gradual(&[
        "plan",
        "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    ])
    .await;

    assert_eq!(ran.code, 0, "{ran:?}");
    assert!(
        ran.stdout.contains("10% for 1m, 20% for 1m, 30% for 1m"),
        "{ran:?}"
    );
    assert!(ran.stdout.contains("total bake time: 9m"), "{ran:?}");
    assert_eq!(ran.stderr, "");
}

#[tokio::test]
async fn a_predefined_canary_in_json_has_its_steps_and_total() {
    let ran = gradual(&[
        "--output",
        "json",
        "plan",
        "CodeDeployDefault.ECSCanary10Percent15Minutes",
    ])
    .await;

    assert_eq!(ran.code, 0, "{ran:?}");
    let plan = ran.json();
    assert_eq!(
        plan["deploymentConfigName"],
        "CodeDeployDefault.ECSCanary10Percent15Minutes"
    );
    assert_eq!(plan["computePlatform"], "ECS");
    assert_eq!(plan["schedule"], "10% for 15m, 100%");
    assert_eq!(plan["totalBakeSeconds"], 900);
    assert_eq!(
        plan["steps"],
        serde_json::json!([
            {"step": 1, "percent": 10, "bakeSeconds": 900, "startsAtSeconds": 0},
            {"step": 2, "percent": 100, "bakeSeconds": 0, "startsAtSeconds": 900},
        ])
    );
}

#[tokio::test]
async fn a_custom_config_file_with_explicit_steps_is_planned() {
    let file = TempFile::new(
        "steps.json",
        r#"{
            "deploymentConfigName": "careful",
            "computePlatform": "Lambda",
            "trafficRoutingConfig": {
                "type": "Steps",
                "steps": [
                    {"percentage": 1, "bakeSeconds": 120},
                    {"percentage": 10, "bakeSeconds": 300},
                    {"percentage": 50, "bakeSeconds": 300}
                ]
            }
        }"#,
    );

    let ran = gradual(&["--output", "json", "plan", "--file", file.arg()]).await;

    assert_eq!(ran.code, 0, "{ran:?}");
    let plan = ran.json();
    assert_eq!(plan["schedule"], "1% for 2m, 10% for 5m, 50% for 5m, 100%");
    assert_eq!(plan["totalBakeSeconds"], 720);
    assert_eq!(plan["steps"][3]["startsAtSeconds"], 720);
}

#[tokio::test]
async fn config_list_predefined_shows_every_predefined_config_without_a_stack() {
    let ran = gradual(&["--output", "json", "config", "list", "--predefined"]).await;

    assert_eq!(ran.code, 0, "{ran:?}");
    let configs = ran.json()["deploymentConfigs"]
        .as_array()
        .expect("a list of configs")
        .clone();
    assert_eq!(configs.len(), 14, "{configs:?}");
    assert_eq!(
        configs[0]["deploymentConfigName"],
        "CodeDeployDefault.LambdaCanary10Percent5Minutes"
    );

    let text = gradual(&["config", "list", "--predefined"]).await;
    let all_at_once = text
        .stdout
        .lines()
        .find(|line| line.starts_with("CodeDeployDefault.ECSAllAtOnce "))
        .expect("a line for CodeDeployDefault.ECSAllAtOnce");
    assert_eq!(
        all_at_once.split_whitespace().collect::<Vec<_>>(),
        ["CodeDeployDefault.ECSAllAtOnce", "ECS", "100%"]
    );
}

#[tokio::test]
async fn config_get_of_a_predefined_name_needs_no_stack() {
    let ran = gradual(&[
        "config",
        "get",
        "CodeDeployDefault.LambdaCanary10Percent30Minutes",
    ])
    .await;

    assert_eq!(ran.code, 0, "{ran:?}");
    assert!(ran.stdout.contains("Lambda  10% for 30m, 100%"), "{ran:?}");
}
