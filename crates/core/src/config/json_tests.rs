//! Custom configs in CodeDeploy's `CreateDeploymentConfig` JSON shape.

use super::{DeploymentConfig, ExplicitStep, TrafficRouting};
use crate::platform::ComputePlatform;
use serde_json::{json, Value};

fn parse(value: Value) -> Result<DeploymentConfig, String> {
    serde_json::from_value(value).map_err(|error| error.to_string())
}

fn with_routing(routing: Value) -> Value {
    json!({
        "deploymentConfigName": "Custom",
        "computePlatform": "Lambda",
        "trafficRoutingConfig": routing,
    })
}

#[test]
fn each_routing_type_round_trips_in_codedeploy_shape() {
    let cases = [
        (
            json!({"deploymentConfigName": "EcsCanary", "computePlatform": "ECS", "trafficRoutingConfig": {
                "type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 20, "canaryInterval": 15}}}),
            DeploymentConfig {
                name: "EcsCanary".to_owned(),
                compute_platform: ComputePlatform::Ecs,
                traffic_routing: TrafficRouting::TimeBasedCanary {
                    canary_percentage: 20,
                    canary_interval_minutes: 15,
                },
            },
        ),
        (
            json!({"deploymentConfigName": "ThirtyEveryFour", "computePlatform": "Lambda", "trafficRoutingConfig": {
                "type": "TimeBasedLinear", "timeBasedLinear": {"linearPercentage": 30, "linearInterval": 4}}}),
            DeploymentConfig {
                name: "ThirtyEveryFour".to_owned(),
                compute_platform: ComputePlatform::Lambda,
                traffic_routing: TrafficRouting::TimeBasedLinear {
                    linear_percentage: 30,
                    linear_interval_minutes: 4,
                },
            },
        ),
        (
            json!({"deploymentConfigName": "Now", "computePlatform": "ECS", "trafficRoutingConfig": {"type": "AllAtOnce"}}),
            DeploymentConfig {
                name: "Now".to_owned(),
                compute_platform: ComputePlatform::Ecs,
                traffic_routing: TrafficRouting::AllAtOnce,
            },
        ),
        (
            json!({"deploymentConfigName": "OnePercentFirst", "computePlatform": "Lambda", "trafficRoutingConfig": {
                "type": "Steps", "steps": [
                    {"percentage": 1, "bakeSeconds": 120},
                    {"percentage": 10, "bakeSeconds": 300},
                    {"percentage": 50, "bakeSeconds": 300}]}}),
            DeploymentConfig {
                name: "OnePercentFirst".to_owned(),
                compute_platform: ComputePlatform::Lambda,
                traffic_routing: TrafficRouting::Steps(vec![
                    ExplicitStep {
                        percentage: 1,
                        bake_seconds: 120,
                    },
                    ExplicitStep {
                        percentage: 10,
                        bake_seconds: 300,
                    },
                    ExplicitStep {
                        percentage: 50,
                        bake_seconds: 300,
                    },
                ]),
            },
        ),
    ];
    for (json, expected) in cases {
        let parsed = parse(json.clone()).expect("parses");
        assert_eq!(parsed, expected);
        assert_eq!(parsed.validate(), Ok(()));
        let written = serde_json::to_value(&parsed).expect("serializes");
        assert_eq!(written, json);
        assert_eq!(parse(written).expect("parses again"), expected);
    }
}

#[test]
fn codedeploy_fields_gradual_does_not_use_are_ignored() {
    let config = parse(json!({
        "deploymentConfigId": "c4f1e2a9-1111-2222-3333-444455556666",
        "deploymentConfigName": "Custom",
        "computePlatform": "Lambda",
        "createTime": 1_700_000_000.0,
        "trafficRoutingConfig": {"type": "AllAtOnce"},
    }))
    .expect("parses");
    assert_eq!(config.traffic_routing, TrafficRouting::AllAtOnce);
}

#[test]
fn a_final_full_step_may_leave_out_its_bake() {
    let config = parse(with_routing(json!({"type": "Steps", "steps": [
        {"percentage": 5, "bakeSeconds": 60}, {"percentage": 100}]})))
    .expect("parses");
    assert_eq!(
        config.traffic_routing,
        TrafficRouting::Steps(vec![
            ExplicitStep {
                percentage: 5,
                bake_seconds: 60
            },
            ExplicitStep {
                percentage: 100,
                bake_seconds: 0
            },
        ])
    );
    assert_eq!(config.schedule().to_string(), "5% for 1m, 100%");
}

#[test]
fn routing_details_must_match_the_type() {
    let cases = [
        (
            json!({"type": "TimeBasedCanary"}),
            "trafficRoutingConfig.timeBasedCanary: required when trafficRoutingConfig.type is TimeBasedCanary",
        ),
        (
            json!({"type": "TimeBasedLinear"}),
            "trafficRoutingConfig.timeBasedLinear: required when trafficRoutingConfig.type is TimeBasedLinear",
        ),
        (
            json!({"type": "Steps"}),
            "trafficRoutingConfig.steps: required when trafficRoutingConfig.type is Steps",
        ),
        (
            json!({"type": "TimeBasedCanary",
                   "timeBasedCanary": {"canaryPercentage": 10, "canaryInterval": 5},
                   "timeBasedLinear": {"linearPercentage": 10, "linearInterval": 5}}),
            "trafficRoutingConfig.timeBasedLinear: not allowed when trafficRoutingConfig.type is TimeBasedCanary",
        ),
        (
            json!({"type": "AllAtOnce", "steps": []}),
            "trafficRoutingConfig.steps: not allowed when trafficRoutingConfig.type is AllAtOnce",
        ),
    ];
    for (routing, message) in cases {
        let error = parse(with_routing(routing)).expect_err("refused");
        assert!(error.starts_with(message), "{error}");
    }
}

#[test]
fn numbers_that_do_not_fit_name_their_field() {
    let cases = [
        (
            json!({"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 300, "canaryInterval": 5}}),
            "trafficRoutingConfig.timeBasedCanary.canaryPercentage: 300 is not a percentage between 1 and 99",
        ),
        (
            json!({"type": "TimeBasedLinear", "timeBasedLinear": {"linearPercentage": -10, "linearInterval": 5}}),
            "trafficRoutingConfig.timeBasedLinear.linearPercentage: -10 is not a percentage between 1 and 99",
        ),
        (
            json!({"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 10, "canaryInterval": -5}}),
            "trafficRoutingConfig.timeBasedCanary.canaryInterval: -5 is not allowed; traffic has to bake for at least 1 minute",
        ),
        (
            json!({"type": "Steps", "steps": [{"percentage": 10, "bakeSeconds": 5_000_000_000_i64}]}),
            "trafficRoutingConfig.steps[0].bakeSeconds: a bake of 57870d8h53m20s is longer than the maximum of 2d",
        ),
    ];
    for (routing, message) in cases {
        let error = parse(with_routing(routing)).expect_err("refused");
        assert!(error.starts_with(message), "{error}");
    }
}

#[test]
fn unknown_routing_types_and_platforms_are_refused() {
    let error = parse(with_routing(json!({"type": "Blink"}))).expect_err("refused");
    assert!(error.contains("unknown variant `Blink`"), "{error}");
    let error = parse(json!({
        "deploymentConfigName": "Custom",
        "computePlatform": "Server",
        "trafficRoutingConfig": {"type": "AllAtOnce"},
    }))
    .expect_err("refused");
    assert!(error.contains("unknown variant `Server`"), "{error}");
}
