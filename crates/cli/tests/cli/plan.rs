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
