//! The Lambda alias router against the emulator: every action, repeats, drift and bad inputs,
//! asserted on the alias as `GetAlias` reports it.

use crate::common;

use common::lambda_world::{AliasView, LambdaRouters, LambdaWorld};
use gradual_core::ports::{RouterError, TrafficRouter, TrafficState};
use gradual_core::traffic::RouterActions;
use gradual_core::ErrorCode;
use std::collections::HashMap;

fn on(version: &str, weights: &[(&str, f64)], like: &AliasView) -> AliasView {
    AliasView {
        version: version.to_string(),
        weights: weights
            .iter()
            .map(|(version, weight)| (version.to_string(), *weight))
            .collect(),
        revision_id: like.revision_id.clone(),
    }
}

fn weights_of(alias: &AliasView) -> (String, HashMap<String, f64>) {
    (alias.version.clone(), alias.weights.clone())
}

#[tokio::test]
async fn start_checks_the_alias_and_writes_nothing() {
    let world = LambdaWorld::new().await;
    let (router, requests) = world.router().await;

    let state = router.start().await.unwrap();

    assert_eq!(state.percent_on_new, 0);
    assert_eq!(state.live.as_deref(), Some("1"));
    assert_eq!(state.test_traffic_on_new, None);
    assert!(requests.writes().is_empty(), "{:?}", requests.all());
    assert_eq!(world.alias().await.version, "1");
}

#[tokio::test]
async fn shifts_finishes_and_sets_the_alias_routing() {
    let world = LambdaWorld::new().await;
    let (router, _) = world.router().await;
    router.start().await.unwrap();

    let state = router.shift(10).await.unwrap();
    assert_eq!((state.percent_on_new, state.live), (10, None));
    let alias = world.alias().await;
    assert_eq!(alias, on("1", &[("2", 0.1)], &alias));
    router.verify(10).await.unwrap();

    router.shift(55).await.unwrap();
    let alias = world.alias().await;
    assert_eq!(alias, on("1", &[("2", 0.55)], &alias));

    let state = router.finish().await.unwrap();
    assert_eq!(state.percent_on_new, 100);
    assert_eq!(state.live.as_deref(), Some("2"));
    let alias = world.alias().await;
    assert_eq!(alias, on("2", &[], &alias), "no routing left after finish");
    assert_eq!(router.observe().await.unwrap(), state);
    router.verify(100).await.unwrap();
}

#[tokio::test]
async fn rolls_back_from_a_split_and_from_a_finished_alias() {
    let world = LambdaWorld::new().await;
    let (router, _) = world.router().await;
    router.shift(30).await.unwrap();

    let state = router.rollback().await.unwrap();
    assert_eq!(state.live.as_deref(), Some("1"));
    let alias = world.alias().await;
    assert_eq!(alias, on("1", &[], &alias));

    router.finish().await.unwrap();
    router.rollback().await.unwrap();
    let alias = world.alias().await;
    assert_eq!(alias, on("1", &[], &alias));
    router.verify(0).await.unwrap();
}

#[tokio::test]
async fn restore_puts_back_the_previous_split_only_from_what_was_set() {
    let world = LambdaWorld::new().await;
    let (router, _) = world.router().await;
    let before = router.shift(10).await.unwrap();
    let after = router.shift(20).await.unwrap();

    router.restore(&after, &before).await.unwrap();
    let alias = world.alias().await;
    assert_eq!(alias, on("1", &[("2", 0.1)], &alias));

    let elsewhere = TrafficState {
        percent_on_new: 40,
        ..after.clone()
    };
    let error = router.restore(&elsewhere, &after).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidLambdaConfiguration);
    assert_eq!(world.alias().await.weights, alias.weights);
}

#[tokio::test]
async fn every_action_repeated_writes_nothing_the_second_time() {
    let world = LambdaWorld::new().await;
    let (router, requests) = world.router().await;
    let steps: [(&str, u8); 5] = [
        ("shift", 10),
        ("shift", 20),
        ("restore", 10),
        ("finish", 100),
        ("rollback", 0),
    ];
    let mut at = HashMap::new();

    for (step, percent) in steps {
        let mut outcomes = Vec::new();
        for _ in 0..2 {
            requests.clear();
            let state = match step {
                "shift" => router.shift(percent).await,
                "restore" => router.restore(&at[&20], &at[&10]).await,
                "finish" => router.finish().await,
                _ => router.rollback().await,
            }
            .unwrap();
            outcomes.push((state, weights_of(&world.alias().await), requests.writes()));
        }
        at.insert(percent, outcomes[0].0.clone());
        assert_eq!(
            outcomes[0].2.len(),
            1,
            "{step} {percent}: the first one wrote"
        );
        assert_eq!(
            outcomes[0].0, outcomes[1].0,
            "{step} {percent}: same state twice"
        );
        assert_eq!(outcomes[0].0.percent_on_new, percent, "{step}");
        assert_eq!(
            outcomes[0].1, outcomes[1].1,
            "{step} {percent}: same alias twice"
        );
        assert!(
            outcomes[1].2.is_empty(),
            "{step} {percent}: the repeat wrote {:?}",
            outcomes[1].2
        );
    }
}

#[tokio::test]
async fn the_first_write_of_each_step_is_one_update_alias() {
    let world = LambdaWorld::new().await;
    let (router, requests) = world.router().await;

    router.shift(10).await.unwrap();

    let path = format!("/functions/{}/aliases/live", world.function);
    let writes = requests.writes();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert!(
        writes[0].starts_with("PUT ") && writes[0].contains(&path),
        "{writes:?}"
    );
}

#[tokio::test]
async fn an_alias_moved_to_a_third_version_is_drift_and_left_alone() {
    let world = LambdaWorld::new().await;
    let third = world.publish_version().await;
    let (router, requests) = world.router().await;
    router.shift(10).await.unwrap();
    world.set_alias(&third, &[]).await;
    requests.clear();

    for error in [
        router.shift(20).await.unwrap_err(),
        router.finish().await.unwrap_err(),
        router.rollback().await.unwrap_err(),
        router.observe().await.unwrap_err(),
    ] {
        assert_eq!(error.code(), ErrorCode::InvalidLambdaConfiguration);
        assert_eq!(
            error.to_string(),
            format!(
                "alias {}:live points at version {third}, expected 1 or 2: it was changed \
                 outside this deployment",
                world.function
            )
        );
    }
    assert!(requests.writes().is_empty());
    assert_eq!(world.alias().await.version, third);
}

#[tokio::test]
async fn weights_moved_past_the_next_step_are_drift_and_left_alone() {
    let world = LambdaWorld::new().await;
    let (router, requests) = world.router().await;
    router.shift(10).await.unwrap();
    world.set_alias("1", &[("2", 0.3)]).await;
    requests.clear();

    let error = router.shift(20).await.unwrap_err();

    assert!(matches!(error, RouterError::Drift { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("routes 30 % to version 2, expected at most 20 % on version 2"),
        "{error}"
    );
    assert!(requests.writes().is_empty());
    let alias = world.alias().await;
    assert_eq!(alias, on("1", &[("2", 0.3)], &alias));
    let error = router.verify(20).await.unwrap_err();
    assert!(
        matches!(error, RouterError::NotAsExpected { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn routing_to_a_third_version_is_drift() {
    let world = LambdaWorld::new().await;
    let third = world.publish_version().await;
    world.set_alias("1", &[(&third, 0.05)]).await;
    let (router, requests) = world.router().await;

    let error = router.start().await.unwrap_err();

    assert_eq!(error.code(), ErrorCode::InvalidLambdaConfiguration);
    assert!(
        error
            .to_string()
            .contains(&format!("routes 5 % to version {third}")),
        "{error}"
    );
    assert!(requests.writes().is_empty());
}

#[tokio::test]
async fn a_shift_out_of_range_is_refused_and_writes_nothing() {
    let world = LambdaWorld::new().await;
    let (router, requests) = world.router().await;
    let before = world.alias().await;

    for percent in [0, 100, 101] {
        let error = router.shift(percent).await.unwrap_err();
        assert_eq!(
            error,
            RouterError::PercentOutOfRange {
                resource: format!("alias {}:live", world.function),
                percent
            }
        );
        assert_eq!(error.code(), ErrorCode::InternalError);
    }
    assert!(requests.all().is_empty(), "not even a read");
    assert_eq!(world.alias().await, before);
}

#[tokio::test]
async fn a_missing_target_version_is_refused() {
    let world = LambdaWorld::new().await;
    let (router, requests) = world.router_for(world.target("1", "7")).await;

    for error in [
        router.start().await.unwrap_err(),
        router.shift(10).await.unwrap_err(),
    ] {
        assert_eq!(error.code(), ErrorCode::InvalidLambdaFunction);
        assert_eq!(
            error.to_string(),
            format!("version 7 of function {} does not exist", world.function)
        );
    }
    assert!(requests.writes().is_empty());
    assert!(world.alias().await.weights.is_empty());
}

#[tokio::test]
async fn an_unpublished_or_identical_version_is_refused() {
    let world = LambdaWorld::new().await;
    let (latest, _) = world.router_for(world.target("1", "$LATEST")).await;
    let error = latest.start().await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidLambdaFunction);
    assert!(
        error
            .to_string()
            .contains("$LATEST is not a published version"),
        "{error}"
    );

    let (same, requests) = world.router_for(world.target("1", "1")).await;
    let error = same.start().await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidRevision);
    assert!(requests.all().is_empty());
}

#[tokio::test]
async fn a_missing_alias_or_function_is_named() {
    let world = LambdaWorld::new().await;
    let mut target = world.target("1", "2");
    target.alias = "nope".into();
    let (router, _) = world.router_for(target).await;
    let error = router.shift(10).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("alias {}:nope does not exist", world.function)
    );
    assert_eq!(error.code(), ErrorCode::InvalidLambdaConfiguration);

    let mut target = world.target("1", "2");
    target.function_name = "no-such-function".into();
    let (router, requests) = world.router_for(target).await;
    let error = router.start().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "function no-such-function does not exist"
    );
    assert_eq!(error.code(), ErrorCode::InvalidLambdaFunction);
    assert!(requests.writes().is_empty());
}

#[tokio::test]
async fn test_traffic_is_not_a_lambda_step() {
    let world = LambdaWorld::new().await;
    let (router, requests) = world.router().await;

    let error = router.allow_test_traffic().await.unwrap_err();

    assert!(matches!(error, RouterError::Unsupported { .. }));
    assert_eq!(error.code(), ErrorCode::InternalError);
    assert!(requests.all().is_empty());
}

#[tokio::test]
async fn describes_the_alias_and_both_versions() {
    let world = LambdaWorld::new().await;
    let (router, _) = world.router().await;
    assert_eq!(
        router.describe(),
        format!("alias {}:live (1 -> 2)", world.function)
    );
}
