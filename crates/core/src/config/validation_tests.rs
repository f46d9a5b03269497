//! Every way a config can be refused, with the variant and the message it is refused with.

use super::{resolve, ConfigError, DeploymentConfig, ExplicitStep, TrafficRouting};
use crate::platform::ComputePlatform::{self, Ecs, Lambda};
use std::time::Duration;

fn config(name: &str, platform: ComputePlatform, routing: TrafficRouting) -> DeploymentConfig {
    DeploymentConfig {
        name: name.to_owned(),
        compute_platform: platform,
        traffic_routing: routing,
    }
}

fn canary(percentage: u8, minutes: u32) -> TrafficRouting {
    TrafficRouting::TimeBasedCanary {
        canary_percentage: percentage,
        canary_interval_minutes: minutes,
    }
}

fn linear(percentage: u8, minutes: u32) -> TrafficRouting {
    TrafficRouting::TimeBasedLinear {
        linear_percentage: percentage,
        linear_interval_minutes: minutes,
    }
}

fn explicit(pairs: &[(u8, u32)]) -> TrafficRouting {
    TrafficRouting::Steps(
        pairs
            .iter()
            .map(|&(percentage, bake_seconds)| ExplicitStep {
                percentage,
                bake_seconds,
            })
            .collect(),
    )
}

fn field(name: &str) -> String {
    name.to_owned()
}

/// Asserts that `routing` under a valid custom name is refused with `error`, whose message is `message`.
fn assert_refused(routing: TrafficRouting, error: ConfigError, message: &str) {
    let refused = config("Custom", Lambda, routing.clone()).validate();
    assert_eq!(refused, Err(error.clone()), "{routing:?}");
    assert_eq!(error.to_string(), message);
}

#[test]
fn percentages_outside_1_to_99_are_refused() {
    let canary_field = "trafficRoutingConfig.timeBasedCanary.canaryPercentage";
    let linear_field = "trafficRoutingConfig.timeBasedLinear.linearPercentage";
    let step_field = "trafficRoutingConfig.steps[1].percentage";
    let cases = [
        (canary(0, 5), canary_field, 0),
        (canary(100, 5), canary_field, 100),
        (linear(0, 1), linear_field, 0),
        (linear(100, 1), linear_field, 100),
        (linear(255, 1), linear_field, 255),
        (explicit(&[(5, 60), (0, 60)]), step_field, 0),
        (explicit(&[(5, 60), (101, 0)]), step_field, 101),
    ];
    for (routing, name, value) in cases {
        assert_refused(
            routing,
            ConfigError::PercentageOutOfRange {
                field: field(name),
                value,
            },
            &format!("{name}: {value} is not a percentage between 1 and 99"),
        );
    }
}

#[test]
fn zero_intervals_and_bakes_are_refused() {
    let cases = [
        (
            canary(10, 0),
            "trafficRoutingConfig.timeBasedCanary.canaryInterval",
            "1 minute",
        ),
        (
            linear(10, 0),
            "trafficRoutingConfig.timeBasedLinear.linearInterval",
            "1 minute",
        ),
        (
            explicit(&[(10, 60), (20, 0)]),
            "trafficRoutingConfig.steps[1].bakeSeconds",
            "1 second",
        ),
    ];
    for (routing, name, minimum) in cases {
        assert_refused(
            routing,
            ConfigError::IntervalNotPositive {
                field: field(name),
                value: 0,
                minimum,
            },
            &format!("{name}: 0 is not allowed; traffic has to bake for at least {minimum}"),
        );
    }
}

#[test]
fn a_single_bake_above_two_days_is_refused() {
    let two_days = Duration::from_secs(172_800);
    let cases = [
        (
            canary(10, 2881),
            "trafficRoutingConfig.timeBasedCanary.canaryInterval",
            172_860,
            "2d1m",
        ),
        (
            linear(50, 3000),
            "trafficRoutingConfig.timeBasedLinear.linearInterval",
            180_000,
            "2d2h",
        ),
        (
            explicit(&[(10, 172_801)]),
            "trafficRoutingConfig.steps[0].bakeSeconds",
            172_801,
            "2d1s",
        ),
    ];
    for (routing, name, seconds, spelled) in cases {
        assert_refused(
            routing,
            ConfigError::BakeTooLong {
                field: field(name),
                bake: Duration::from_secs(seconds),
                limit: two_days,
            },
            &format!("{name}: a bake of {spelled} is longer than the maximum of 2d"),
        );
    }
    // Exactly the limit is still allowed, in one bake or spread over several.
    for routing in [
        canary(10, 2880),
        linear(10, 320),
        explicit(&[(10, 172_800)]),
    ] {
        assert_eq!(
            config("Custom", Lambda, routing.clone()).validate(),
            Ok(()),
            "{routing:?}"
        );
    }
}

#[test]
fn a_schedule_baking_above_two_days_in_all_is_refused() {
    // 99 steps of 30 minutes: 49.5 hours.
    assert_refused(
        linear(1, 30),
        ConfigError::TotalBakeTooLong {
            total: Duration::from_secs(99 * 30 * 60),
            limit: Duration::from_secs(172_800),
        },
        "trafficRoutingConfig: the schedule bakes for 2d1h30m in all, longer than the maximum of 2d",
    );
    assert_refused(
        explicit(&[(10, 100_000), (20, 100_000)]),
        ConfigError::TotalBakeTooLong {
            total: Duration::from_secs(200_000),
            limit: Duration::from_secs(172_800),
        },
        "trafficRoutingConfig: the schedule bakes for 2d7h33m20s in all, longer than the maximum of 2d",
    );
}

#[test]
fn steps_must_rise_strictly() {
    assert_refused(
        explicit(&[(10, 60), (50, 60), (40, 60)]),
        ConfigError::NotIncreasing {
            field: field("trafficRoutingConfig.steps[2].percentage"),
            value: 40,
            previous: 50,
        },
        "trafficRoutingConfig.steps[2].percentage: 40 is not above the previous step's 50",
    );
    assert_refused(
        explicit(&[(10, 60), (10, 60)]),
        ConfigError::NotIncreasing {
            field: field("trafficRoutingConfig.steps[1].percentage"),
            value: 10,
            previous: 10,
        },
        "trafficRoutingConfig.steps[1].percentage: 10 is not above the previous step's 10",
    );
}

#[test]
fn an_empty_step_list_is_refused() {
    assert_refused(
        explicit(&[]),
        ConfigError::EmptySteps,
        "trafficRoutingConfig.steps: must list at least one step",
    );
}

#[test]
fn full_traffic_comes_last_and_does_not_bake() {
    assert_refused(
        explicit(&[(10, 60), (100, 0), (100, 0)]),
        ConfigError::FullTrafficBeforeLastStep {
            field: field("trafficRoutingConfig.steps[1].percentage"),
        },
        "trafficRoutingConfig.steps[1].percentage: 100 may only be the last step",
    );
    assert_refused(
        explicit(&[(10, 60), (100, 300)]),
        ConfigError::FinalStepBakes {
            field: field("trafficRoutingConfig.steps[1].bakeSeconds"),
            bake_seconds: 300,
        },
        "trafficRoutingConfig.steps[1].bakeSeconds: the final 100% step cannot bake (there is no later step), but it asks for 300 seconds",
    );
}

#[test]
fn custom_names_must_be_present_short_and_unreserved() {
    for empty in ["", "   "] {
        let refused = config(empty, Lambda, TrafficRouting::AllAtOnce).validate();
        assert_eq!(refused, Err(ConfigError::EmptyName));
    }
    assert_eq!(
        ConfigError::EmptyName.to_string(),
        "deploymentConfigName: must not be empty"
    );

    let longest = "n".repeat(100);
    assert_eq!(
        config(&longest, Lambda, TrafficRouting::AllAtOnce).validate(),
        Ok(())
    );
    let too_long = "é".repeat(101);
    let error = config(&too_long, Lambda, TrafficRouting::AllAtOnce)
        .validate()
        .expect_err("101 characters");
    assert_eq!(
        error,
        ConfigError::NameTooLong {
            name: too_long.clone(),
            length: 101,
            limit: 100
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "deploymentConfigName: \"{too_long}\" is 101 characters long, above the limit of 100"
        )
    );

    let reserved = "CodeDeployDefault.LambdaSlowCanary";
    let error = config(reserved, Lambda, canary(5, 60))
        .validate()
        .expect_err("reserved");
    assert_eq!(
        error,
        ConfigError::ReservedName {
            name: reserved.to_owned(),
            prefix: "CodeDeployDefault."
        }
    );
    assert_eq!(
        error.to_string(),
        "deploymentConfigName: \"CodeDeployDefault.LambdaSlowCanary\" starts with `CodeDeployDefault.`, \
         which is reserved for the predefined configs"
    );
}

#[test]
fn a_predefined_name_is_only_allowed_on_the_predefined_config() {
    let imitation = config("CodeDeployDefault.LambdaAllAtOnce", Lambda, canary(10, 5));
    assert!(!imitation.is_predefined());
    assert!(matches!(
        imitation.validate(),
        Err(ConfigError::ReservedName { .. })
    ));

    let original =
        DeploymentConfig::predefined("CodeDeployDefault.LambdaAllAtOnce").expect("predefined");
    assert!(original.is_predefined());
    assert_eq!(original.validate(), Ok(()));
}

#[test]
fn the_name_is_checked_before_the_routing() {
    let refused = config("", Lambda, canary(0, 0)).validate();
    assert_eq!(refused, Err(ConfigError::EmptyName));
}

#[test]
fn unknown_names_list_the_predefined_configs_of_the_platform() {
    let error = resolve("Fast", Ecs, None).expect_err("unknown");
    assert_eq!(
        error,
        ConfigError::UnknownName {
            name: "Fast".to_owned(),
            platform: Ecs,
            predefined: vec![
                "CodeDeployDefault.ECSCanary10Percent5Minutes",
                "CodeDeployDefault.ECSCanary10Percent15Minutes",
                "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
                "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
                "CodeDeployDefault.ECSAllAtOnce",
            ],
        }
    );
    assert_eq!(
        error.to_string(),
        "deploymentConfigName: no deployment config named \"Fast\" for ECS; the predefined ones are \
         CodeDeployDefault.ECSCanary10Percent5Minutes, CodeDeployDefault.ECSCanary10Percent15Minutes, \
         CodeDeployDefault.ECSLinear10PercentEvery1Minutes, CodeDeployDefault.ECSLinear10PercentEvery3Minutes, \
         CodeDeployDefault.ECSAllAtOnce"
    );

    // A custom config under another name does not answer for this one.
    let other = config("Slow", Lambda, canary(5, 30));
    let error = resolve("Fast", Lambda, Some(&other)).expect_err("unknown");
    assert!(
        matches!(&error, ConfigError::UnknownName { name, platform: Lambda, predefined } if name == "Fast" && predefined.len() == 9)
    );
}

#[test]
fn resolve_prefers_the_predefined_config_and_falls_back_to_the_custom_one() {
    let name = "CodeDeployDefault.LambdaCanary10Percent5Minutes";
    let shadow = config(name, Lambda, TrafficRouting::AllAtOnce);
    let resolved = resolve(name, Lambda, Some(&shadow)).expect("predefined");
    assert_eq!(
        resolved,
        DeploymentConfig::predefined(name).expect("predefined")
    );

    let custom = config(
        "OnePercentFirst",
        Lambda,
        explicit(&[(1, 120), (10, 300), (50, 300)]),
    );
    assert_eq!(
        resolve("OnePercentFirst", Lambda, Some(&custom)),
        Ok(custom.clone())
    );
}

#[test]
fn resolve_refuses_an_invalid_custom_config() {
    let custom = config("Broken", Ecs, linear(10, 0));
    let error = resolve("Broken", Ecs, Some(&custom)).expect_err("invalid");
    assert!(
        matches!(error, ConfigError::IntervalNotPositive { .. }),
        "{error}"
    );
}

#[test]
fn a_config_for_the_other_platform_is_refused() {
    let error = resolve("CodeDeployDefault.LambdaAllAtOnce", Ecs, None).expect_err("mismatch");
    assert_eq!(
        error,
        ConfigError::PlatformMismatch {
            name: "CodeDeployDefault.LambdaAllAtOnce".to_owned(),
            config_platform: Lambda,
            deployment_platform: Ecs,
        }
    );
    assert_eq!(
        error.to_string(),
        "computePlatform: deployment config \"CodeDeployDefault.LambdaAllAtOnce\" is for Lambda, \
         but the deployment is on ECS"
    );

    let custom = config("EcsSlow", Ecs, canary(10, 30));
    let error = resolve("EcsSlow", Lambda, Some(&custom)).expect_err("mismatch");
    assert_eq!(
        error.to_string(),
        "computePlatform: deployment config \"EcsSlow\" is for ECS, but the deployment is on Lambda"
    );
}
