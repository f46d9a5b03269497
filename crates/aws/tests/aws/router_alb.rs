//! The ALB listener router against the emulator: every action, repeats, drift, health and bad
//! inputs, asserted on the listeners and rules as `DescribeListeners`/`DescribeRules` report them.

use crate::common;

use aws_sdk_elasticloadbalancingv2::types::{ActionTypeEnum, ProtocolEnum};
use common::alb_world::{
    forward_to, weighted, AlbRouters, AlbWorld, PRODUCTION_PORT, STICKINESS_SECONDS,
};
use gradual_core::ports::{RouterError, TrafficRouter};
use gradual_core::traffic::RouterActions;
use gradual_core::ErrorCode;

#[tokio::test]
async fn start_checks_both_listeners_and_writes_nothing() {
    let world = AlbWorld::new().await;
    let (router, requests) = world.router().await;

    let state = router.start().await.unwrap();

    assert_eq!(state.percent_on_new, 0);
    assert_eq!(state.test_traffic_on_new, Some(false));
    assert_eq!(state.live.as_deref(), Some(world.blue.as_str()));
    assert!(requests.writes().is_empty(), "{:?}", requests.all());
    assert_eq!(world.weights(&world.listener).await, (1, 0));
}

#[tokio::test]
async fn moves_test_traffic_then_production_to_green() {
    let world = AlbWorld::new().await;
    let (router, _) = world.router().await;
    router.start().await.unwrap();

    let state = router.allow_test_traffic().await.unwrap();
    assert_eq!(state.test_traffic_on_new, Some(true));
    assert_eq!(world.weights(&world.test_listener).await, (0, 100));
    assert_eq!(
        world.weights(&world.listener).await,
        (1, 0),
        "production untouched"
    );

    let state = router.shift(10).await.unwrap();
    assert_eq!((state.percent_on_new, state.live), (10, None));
    assert_eq!(world.weights(&world.listener).await, (90, 10));
    router.verify(10).await.unwrap();

    router.shift(50).await.unwrap();
    assert_eq!(world.weights(&world.listener).await, (50, 50));

    let state = router.finish().await.unwrap();
    assert_eq!(state.percent_on_new, 100);
    assert_eq!(state.live.as_deref(), Some(world.green.as_str()));
    assert_eq!(world.weights(&world.listener).await, (0, 100));
    assert_eq!(router.observe().await.unwrap(), state);
}

#[tokio::test]
async fn rollback_puts_production_and_test_traffic_back_on_blue() {
    let world = AlbWorld::new().await;
    let (router, _) = world.router().await;
    router.allow_test_traffic().await.unwrap();
    router.shift(40).await.unwrap();

    let state = router.rollback().await.unwrap();

    assert_eq!(state.percent_on_new, 0);
    assert_eq!(state.test_traffic_on_new, Some(false));
    assert_eq!(state.live.as_deref(), Some(world.blue.as_str()));
    assert_eq!(world.weights(&world.listener).await, (100, 0));
    assert_eq!(world.weights(&world.test_listener).await, (100, 0));

    router.finish().await.unwrap();
    router.rollback().await.unwrap();
    assert_eq!(world.weights(&world.listener).await, (100, 0));
}

#[tokio::test]
async fn stickiness_and_listener_settings_survive_every_write() {
    let world = AlbWorld::new().await;
    let (router, _) = world.router().await;

    for step in ["shift", "finish", "rollback"] {
        match step {
            "shift" => router.shift(25).await,
            "finish" => router.finish().await,
            _ => router.rollback().await,
        }
        .unwrap();
        let listener = world
            .elb
            .describe_listeners()
            .listener_arns(&world.listener)
            .send()
            .await
            .unwrap()
            .listeners()[0]
            .clone();
        assert_eq!(listener.port(), Some(PRODUCTION_PORT), "{step}");
        assert_eq!(listener.protocol(), Some(&ProtocolEnum::Http), "{step}");
        let actions = listener.default_actions();
        assert_eq!(actions.len(), 1, "{step}");
        let stickiness = actions[0]
            .forward_config()
            .and_then(|config| config.target_group_stickiness_config())
            .expect("stickiness kept");
        assert_eq!(stickiness.enabled(), Some(true), "{step}");
        assert_eq!(
            stickiness.duration_seconds(),
            Some(STICKINESS_SECONDS),
            "{step}"
        );
    }
}

#[tokio::test]
async fn a_rule_is_shifted_in_place_keeping_its_other_actions_and_conditions() {
    let world = AlbWorld::new().await;
    let rule = world.rule().await;
    let mut target = world.target();
    target.rule_arn = Some(rule.clone());
    let (router, requests) = world.router_for(target).await;

    router.shift(20).await.unwrap();

    let actions = world.rule_actions(&rule).await;
    assert_eq!(world.weights_in(&actions), (80, 20));
    assert_eq!(actions.len(), 2);
    assert_eq!(actions[0].r#type(), Some(&ActionTypeEnum::AuthenticateOidc));
    assert_eq!(actions[0].order(), Some(1));
    assert_eq!(
        actions[0]
            .authenticate_oidc_config()
            .and_then(|oidc| oidc.issuer()),
        Some("https://issuer.example.com")
    );
    assert_eq!(actions[1].order(), Some(2));
    let rules = world
        .elb
        .describe_rules()
        .rule_arns(&rule)
        .send()
        .await
        .unwrap();
    let conditions = rules.rules()[0].conditions();
    assert_eq!(conditions.len(), 1);
    assert_eq!(conditions[0].values(), ["/api/*".to_string()]);
    assert_eq!(
        world.weights(&world.listener).await,
        (1, 0),
        "the listener's default action is not the rule"
    );
    assert_eq!(requests.writes(), vec!["ModifyRule".to_string()]);
}

#[tokio::test]
async fn every_action_repeated_writes_nothing_the_second_time() {
    let world = AlbWorld::new().await;
    let (router, requests) = world.router().await;
    let steps = [
        "allow_test_traffic",
        "shift 10",
        "shift 20",
        "restore",
        "finish",
        "rollback",
    ];
    let mut at_10 = None;
    let mut at_20 = None;

    for step in steps {
        let mut outcomes = Vec::new();
        for _ in 0..2 {
            requests.clear();
            let state = match step {
                "allow_test_traffic" => router.allow_test_traffic().await,
                "shift 10" => router.shift(10).await,
                "shift 20" => router.shift(20).await,
                "restore" => {
                    let (from, to) = (at_20.as_ref().unwrap(), at_10.as_ref().unwrap());
                    router.restore(from, to).await
                }
                "finish" => router.finish().await,
                _ => router.rollback().await,
            }
            .unwrap();
            let listeners = (
                world.listener_actions(&world.listener).await,
                world.listener_actions(&world.test_listener).await,
            );
            outcomes.push((state, listeners, requests.writes()));
        }
        match step {
            "shift 10" => at_10 = Some(outcomes[0].0.clone()),
            "shift 20" => at_20 = Some(outcomes[0].0.clone()),
            _ => {}
        }
        assert!(!outcomes[0].2.is_empty(), "{step}: the first one wrote");
        assert_eq!(outcomes[0].0, outcomes[1].0, "{step}: same state twice");
        assert_eq!(outcomes[0].1, outcomes[1].1, "{step}: same listeners twice");
        assert!(
            outcomes[1].2.is_empty(),
            "{step}: the repeat wrote {:?}",
            outcomes[1].2
        );
    }
    assert_eq!(world.weights(&world.listener).await, (100, 0));
    assert_eq!(world.weights(&world.test_listener).await, (100, 0));
}

#[tokio::test]
async fn weights_changed_out_of_band_are_drift_and_left_alone() {
    let world = AlbWorld::new().await;
    let (router, requests) = world.router().await;
    router.shift(10).await.unwrap();
    let changed = weighted(&[(&world.blue, 70), (&world.green, 30)]);
    world.set_listener(&world.listener, changed).await;
    let before = world.listener_actions(&world.listener).await;
    requests.clear();

    let error = router.shift(20).await.unwrap_err();

    assert_eq!(error.code(), ErrorCode::ElasticLoadBalancingInvalid);
    assert_eq!(
        error.to_string(),
        format!(
            "listener {} forwards 30 % to green, expected at most 20 % on green: it was changed \
             outside this deployment",
            world.listener
        )
    );
    assert!(requests.writes().is_empty());
    assert_eq!(world.listener_actions(&world.listener).await, before);
}

#[tokio::test]
async fn a_forward_to_an_unknown_target_group_is_drift_for_every_action() {
    let world = AlbWorld::new().await;
    let stranger = world.target_group("other", None).await;
    let (router, requests) = world.router().await;
    world
        .set_listener(
            &world.listener,
            weighted(&[(&world.blue, 90), (&stranger, 10)]),
        )
        .await;
    let before = world.listener_actions(&world.listener).await;

    for error in [
        router.start().await.unwrap_err(),
        router.shift(10).await.unwrap_err(),
        router.finish().await.unwrap_err(),
        router.rollback().await.unwrap_err(),
    ] {
        assert_eq!(error.code(), ErrorCode::ElasticLoadBalancingInvalid);
        assert!(
            error.to_string().contains(&format!(
                "forwards to target group {stranger}, which is neither blue nor green"
            )),
            "{error}"
        );
    }
    assert!(requests.writes().is_empty());
    assert_eq!(world.listener_actions(&world.listener).await, before);
}

#[tokio::test]
async fn a_test_listener_moved_out_of_band_is_drift() {
    let world = AlbWorld::new().await;
    let (router, requests) = world.router().await;
    world
        .set_listener(
            &world.test_listener,
            weighted(&[(&world.blue, 50), (&world.green, 50)]),
        )
        .await;

    let error = router.allow_test_traffic().await.unwrap_err();

    assert_eq!(error.code(), ErrorCode::ElasticLoadBalancingInvalid);
    assert!(
        error
            .to_string()
            .contains("splits test traffic, 50 % to green"),
        "{error}"
    );
    assert!(requests.writes().is_empty());
}

#[tokio::test]
async fn an_unhealthy_green_is_refused_traffic() {
    let world = AlbWorld::new().await;
    let (router, requests) = world.router().await;
    router.shift(10).await.unwrap();
    world.stop_green_instance().await;
    requests.clear();

    for error in [
        router.shift(20).await.unwrap_err(),
        router.finish().await.unwrap_err(),
    ] {
        assert_eq!(error.code(), ErrorCode::HealthConstraints);
        assert_eq!(
            error.to_string(),
            format!(
                "target group {} has 0 healthy targets out of 1 registered, and 1 must be \
                 healthy before traffic moves to it",
                world.green
            )
        );
    }
    assert!(requests.writes().is_empty());
    assert_eq!(world.weights(&world.listener).await, (90, 10));
    router.rollback().await.unwrap();
    assert_eq!(
        world.weights(&world.listener).await,
        (100, 0),
        "rollback needs no health"
    );
}

#[tokio::test]
async fn an_empty_green_is_refused_traffic() {
    let world = AlbWorld::new().await;
    let empty = world.target_group("empty", None).await;
    let mut target = world.target();
    target.green_target_group_arn = empty.clone();
    let (router, requests) = world.router_for(target).await;

    for error in [
        router.shift(10).await.unwrap_err(),
        router.allow_test_traffic().await.unwrap_err(),
    ] {
        assert_eq!(
            error,
            RouterError::Unhealthy {
                target_group: empty.clone(),
                healthy: 0,
                registered: 0,
                required: 1
            }
        );
    }
    assert!(requests.writes().is_empty());
    assert_eq!(world.weights(&world.listener).await, (1, 0));
    assert_eq!(world.weights(&world.test_listener).await, (100, 0));
}

#[tokio::test]
async fn more_healthy_targets_than_green_has_are_refused() {
    let world = AlbWorld::new().await;
    let mut target = world.target();
    target.min_healthy_targets = 2;
    let (router, _) = world.router_for(target).await;

    let error = router.shift(10).await.unwrap_err();

    assert!(
        error
            .to_string()
            .contains("1 healthy targets out of 1 registered, and 2 must"),
        "{error}"
    );
}

#[tokio::test]
async fn a_shift_out_of_range_is_refused_and_writes_nothing() {
    let world = AlbWorld::new().await;
    let (router, requests) = world.router().await;
    let before = world.listener_actions(&world.listener).await;

    for percent in [0, 100, 101] {
        let error = router.shift(percent).await.unwrap_err();
        assert!(
            matches!(error, RouterError::PercentOutOfRange { .. }),
            "{error:?}"
        );
        assert!(
            error.to_string().contains(&format!("to {percent} %")),
            "{error}"
        );
    }
    assert!(requests.all().is_empty());
    assert_eq!(world.listener_actions(&world.listener).await, before);
}

#[tokio::test]
async fn unknown_listeners_and_target_groups_are_named() {
    let world = AlbWorld::new().await;
    let missing_listener = format!("{}0", world.listener);
    let mut target = world.target();
    target.listener_arn = missing_listener.clone();
    let (router, _) = world.router_for(target).await;
    let error = router.shift(10).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("listener {missing_listener} does not exist")
    );
    assert_eq!(error.code(), ErrorCode::ElasticLoadBalancingInvalid);

    let missing_group = format!("{}x", world.green);
    let mut target = world.target();
    target.green_target_group_arn = missing_group.clone();
    let (router, requests) = world.router_for(target).await;
    let error = router.start().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("target group {missing_group} does not exist")
    );
    assert_eq!(error.code(), ErrorCode::ElasticLoadBalancingInvalid);
    assert!(requests.writes().is_empty());
}

#[tokio::test]
async fn without_a_test_listener_test_traffic_is_a_no_op() {
    let world = AlbWorld::new().await;
    let mut target = world.target();
    target.test_listener_arn = None;
    let (router, requests) = world.router_for(target).await;

    let state = router.allow_test_traffic().await.unwrap();

    assert_eq!(state.test_traffic_on_new, None);
    assert!(requests.writes().is_empty());
    assert_eq!(world.weights(&world.test_listener).await, (100, 0));
}

#[tokio::test]
async fn a_plain_forward_reads_as_all_on_one_side() {
    let world = AlbWorld::new().await;
    world
        .set_listener(&world.listener, forward_to(&world.green))
        .await;
    let (router, _) = world.router().await;

    let state = router.observe().await.unwrap();

    assert_eq!(state.percent_on_new, 100);
    assert_eq!(state.live.as_deref(), Some(world.green.as_str()));
}
