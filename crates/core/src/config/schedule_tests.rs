//! The schedules every predefined config and a range of custom ones produce.

use super::{
    DeploymentConfig, ExplicitStep, ScheduleError, TrafficRouting, TrafficSchedule, TrafficStep,
};
use crate::platform::ComputePlatform;
use std::time::Duration;

/// Steps written as `(percent, bake seconds)` pairs.
type Pairs = [(u8, u64)];

/// Writes steps as `(percent, bake seconds)` pairs.
fn steps(pairs: &Pairs) -> Vec<TrafficStep> {
    pairs
        .iter()
        .map(|&(percent, seconds)| TrafficStep {
            percent,
            bake: Duration::from_secs(seconds),
        })
        .collect()
}

fn custom(routing: TrafficRouting) -> DeploymentConfig {
    DeploymentConfig {
        name: "Custom".to_owned(),
        compute_platform: ComputePlatform::Lambda,
        traffic_routing: routing,
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

#[test]
fn every_predefined_config_has_its_codedeploy_schedule() {
    let cases: [(&str, &Pairs); 14] = [
        (
            "CodeDeployDefault.LambdaCanary10Percent5Minutes",
            &[(10, 300), (100, 0)],
        ),
        (
            "CodeDeployDefault.LambdaCanary10Percent10Minutes",
            &[(10, 600), (100, 0)],
        ),
        (
            "CodeDeployDefault.LambdaCanary10Percent15Minutes",
            &[(10, 900), (100, 0)],
        ),
        (
            "CodeDeployDefault.LambdaCanary10Percent30Minutes",
            &[(10, 1800), (100, 0)],
        ),
        (
            "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
            &[
                (10, 60),
                (20, 60),
                (30, 60),
                (40, 60),
                (50, 60),
                (60, 60),
                (70, 60),
                (80, 60),
                (90, 60),
                (100, 0),
            ],
        ),
        (
            "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes",
            &[
                (10, 120),
                (20, 120),
                (30, 120),
                (40, 120),
                (50, 120),
                (60, 120),
                (70, 120),
                (80, 120),
                (90, 120),
                (100, 0),
            ],
        ),
        (
            "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes",
            &[
                (10, 180),
                (20, 180),
                (30, 180),
                (40, 180),
                (50, 180),
                (60, 180),
                (70, 180),
                (80, 180),
                (90, 180),
                (100, 0),
            ],
        ),
        (
            "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
            &[
                (10, 600),
                (20, 600),
                (30, 600),
                (40, 600),
                (50, 600),
                (60, 600),
                (70, 600),
                (80, 600),
                (90, 600),
                (100, 0),
            ],
        ),
        ("CodeDeployDefault.LambdaAllAtOnce", &[(100, 0)]),
        (
            "CodeDeployDefault.ECSCanary10Percent5Minutes",
            &[(10, 300), (100, 0)],
        ),
        (
            "CodeDeployDefault.ECSCanary10Percent15Minutes",
            &[(10, 900), (100, 0)],
        ),
        (
            "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
            &[
                (10, 60),
                (20, 60),
                (30, 60),
                (40, 60),
                (50, 60),
                (60, 60),
                (70, 60),
                (80, 60),
                (90, 60),
                (100, 0),
            ],
        ),
        (
            "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
            &[
                (10, 180),
                (20, 180),
                (30, 180),
                (40, 180),
                (50, 180),
                (60, 180),
                (70, 180),
                (80, 180),
                (90, 180),
                (100, 0),
            ],
        ),
        ("CodeDeployDefault.ECSAllAtOnce", &[(100, 0)]),
    ];
    for (name, expected) in cases {
        let config = DeploymentConfig::predefined(name)
            .unwrap_or_else(|| panic!("{name} is not predefined"));
        assert_eq!(config.name, name);
        assert_eq!(config.schedule().steps(), steps(expected), "{name}");
        assert_eq!(config.validate(), Ok(()), "{name}");
    }
}

#[test]
fn predefined_configs_belong_to_the_platform_their_name_says() {
    for platform in [ComputePlatform::Lambda, ComputePlatform::Ecs] {
        let prefix = format!("CodeDeployDefault.{platform}");
        for name in super::predefined_names(platform) {
            assert!(name.starts_with(&prefix), "{name} listed for {platform}");
            let config = DeploymentConfig::predefined(name).expect("listed names resolve");
            assert_eq!(config.compute_platform, platform, "{name}");
        }
    }
    assert_eq!(super::predefined_names(ComputePlatform::Lambda).len(), 9);
    assert_eq!(super::predefined_names(ComputePlatform::Ecs).len(), 5);
}

#[test]
fn predefined_lookup_is_exact() {
    assert!(DeploymentConfig::predefined("CodeDeployDefault.LambdaAllAtOnce").is_some());
    assert!(DeploymentConfig::predefined("codedeploydefault.lambdaallatonce").is_none());
    assert!(
        DeploymentConfig::predefined("CodeDeployDefault.ECSLinear10PercentEvery1Minute").is_none()
    );
    assert!(
        DeploymentConfig::predefined("CodeDeployDefault.LambdaLinear10PercentEvery1Minutes")
            .is_none()
    );
}

#[test]
fn custom_configs_produce_their_schedules() {
    let cases: [(TrafficRouting, &Pairs); 9] = [
        (TrafficRouting::AllAtOnce, &[(100, 0)]),
        (
            TrafficRouting::TimeBasedCanary {
                canary_percentage: 25,
                canary_interval_minutes: 7,
            },
            &[(25, 420), (100, 0)],
        ),
        (
            TrafficRouting::TimeBasedLinear {
                linear_percentage: 30,
                linear_interval_minutes: 4,
            },
            &[(30, 240), (60, 240), (90, 240), (100, 0)],
        ),
        (
            TrafficRouting::TimeBasedLinear {
                linear_percentage: 33,
                linear_interval_minutes: 1,
            },
            &[(33, 60), (66, 60), (99, 60), (100, 0)],
        ),
        (
            TrafficRouting::TimeBasedLinear {
                linear_percentage: 50,
                linear_interval_minutes: 5,
            },
            &[(50, 300), (100, 0)],
        ),
        (
            TrafficRouting::TimeBasedLinear {
                linear_percentage: 99,
                linear_interval_minutes: 2,
            },
            &[(99, 120), (100, 0)],
        ),
        (
            explicit(&[(1, 120), (10, 300), (50, 300)]),
            &[(1, 120), (10, 300), (50, 300), (100, 0)],
        ),
        (
            explicit(&[(1, 120), (10, 300), (50, 300), (100, 0)]),
            &[(1, 120), (10, 300), (50, 300), (100, 0)],
        ),
        (explicit(&[(100, 0)]), &[(100, 0)]),
    ];
    for (routing, expected) in cases {
        let config = custom(routing);
        assert_eq!(config.validate(), Ok(()), "{config:?}");
        assert_eq!(config.schedule().steps(), steps(expected), "{config:?}");
    }
}

#[test]
fn schedules_print_readably_with_their_total_bake() {
    let cases = [
        ("CodeDeployDefault.LambdaCanary10Percent5Minutes", "10% for 5m, 100%", 300),
        ("CodeDeployDefault.LambdaAllAtOnce", "100%", 0),
        (
            "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
            "10% for 3m, 20% for 3m, 30% for 3m, 40% for 3m, 50% for 3m, 60% for 3m, 70% for 3m, 80% for 3m, 90% for 3m, 100%",
            1620,
        ),
    ];
    for (name, text, total_seconds) in cases {
        let schedule = DeploymentConfig::predefined(name)
            .expect("predefined")
            .schedule();
        assert_eq!(schedule.to_string(), text);
        assert_eq!(schedule.total_bake(), Duration::from_secs(total_seconds));
    }
    let steps = custom(explicit(&[(1, 90), (10, 3600), (50, 5400)])).schedule();
    assert_eq!(
        steps.to_string(),
        "1% for 1m30s, 10% for 1h, 50% for 1h30m, 100%"
    );
    assert_eq!(steps.total_bake(), Duration::from_secs(90 + 3600 + 5400));
}

#[test]
fn an_unvalidated_config_still_yields_a_well_formed_schedule() {
    let cases: [(TrafficRouting, &Pairs); 4] = [
        (
            TrafficRouting::TimeBasedLinear {
                linear_percentage: 0,
                linear_interval_minutes: 1,
            },
            &[(100, 0)],
        ),
        (
            TrafficRouting::TimeBasedCanary {
                canary_percentage: 100,
                canary_interval_minutes: 5,
            },
            &[(100, 0)],
        ),
        (
            explicit(&[(50, 60), (40, 60), (70, 60)]),
            &[(50, 60), (70, 60), (100, 0)],
        ),
        (
            explicit(&[(0, 60), (100, 60), (20, 60)]),
            &[(20, 60), (100, 0)],
        ),
    ];
    for (routing, expected) in cases {
        let schedule = custom(routing).schedule();
        assert_eq!(schedule.steps(), steps(expected));
        assert_eq!(
            TrafficSchedule::new(schedule.steps().to_vec()),
            Ok(schedule)
        );
    }
}

#[test]
fn schedules_travel_as_json_arrays_of_percent_and_bake_seconds() {
    let schedule = DeploymentConfig::predefined("CodeDeployDefault.LambdaCanary10Percent5Minutes")
        .expect("predefined")
        .schedule();
    let json = serde_json::to_string(&schedule).expect("serializes");
    assert_eq!(
        json,
        r#"[{"percent":10,"bakeSeconds":300},{"percent":100,"bakeSeconds":0}]"#
    );
    let back: TrafficSchedule = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, schedule);

    let step: TrafficStep =
        serde_json::from_str(r#"{"percent": 10, "bakeSeconds": 300}"#).expect("step");
    assert_eq!(
        step,
        TrafficStep {
            percent: 10,
            bake: Duration::from_secs(300)
        }
    );
}

#[test]
fn a_list_of_steps_that_is_no_schedule_is_refused() {
    let cases: [(&Pairs, ScheduleError, &str); 5] = [
        (
            &[],
            ScheduleError::Empty,
            "traffic schedule: must hold at least one step",
        ),
        (
            &[(0, 60), (100, 0)],
            ScheduleError::PercentOutOfRange {
                index: 0,
                percent: 0,
            },
            "steps[0].percent: 0 is not between 1 and 100",
        ),
        (
            &[(10, 60), (10, 60), (100, 0)],
            ScheduleError::NotIncreasing {
                index: 1,
                percent: 10,
                previous: 10,
            },
            "steps[1].percent: 10 is not above the previous step's 10",
        ),
        (
            &[(10, 60), (90, 60)],
            ScheduleError::DoesNotReachFull {
                index: 1,
                percent: 90,
            },
            "steps[1].percent: the last step is at 90%, but a schedule ends at 100%",
        ),
        (
            &[(10, 60), (100, 30)],
            ScheduleError::FinalStepBakes {
                index: 1,
                bake: Duration::from_secs(30),
            },
            "steps[1].bakeSeconds: the final 100% step cannot bake, but it asks for 30 seconds",
        ),
    ];
    for (pairs, error, message) in cases {
        assert_eq!(TrafficSchedule::new(steps(pairs)), Err(error.clone()));
        assert_eq!(error.to_string(), message);
        let json = serde_json::to_string(&steps(pairs)).expect("serializes");
        let refused = serde_json::from_str::<TrafficSchedule>(&json).expect_err("refused");
        assert!(refused.to_string().starts_with(message), "{refused}");
    }
}
