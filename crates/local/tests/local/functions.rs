//! The traffic functions as the workflow calls them: shift-alias-weight and swap-alb-targets on
//! the emulator, each action applied twice with one history record, and bad requests refused
//! with a specific error and nothing changed.

use gradual_core::fixtures;
use gradual_core::ports::DeploymentRecords;
use gradual_core::ports::HistoryStore;
use gradual_core::{ComputePlatform, Deployment, DeploymentStatus, Target};
use gradual_emulator::sample::alb::AlbWorld;
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_handlers::Function;
use gradual_local::testing::TestWorld;
use serde_json::{json, Value};

/// A world with a stored deployment, status InProgress, moving `targets`.
async fn world_with(targets: Vec<Target>, platform: ComputePlatform) -> (TestWorld, Deployment) {
    let world = TestWorld::new().await;
    let mut group = fixtures::lambda_group("shop", "checkout");
    group.compute_platform = platform;
    group.trigger_configurations.clear();
    world
        .register_group(&group)
        .await
        .expect("register the group");
    let mut deployment = fixtures::lambda_deployment(&group);
    deployment.compute_platform = platform;
    deployment.targets = targets;
    world
        .store
        .create_deployment(&deployment, None)
        .await
        .expect("store the deployment");
    let request = json!({"deploymentId": deployment.id, "action": "start"});
    world
        .call(Function::RecordStatus, request)
        .await
        .expect("record the start");
    (world, deployment)
}

async fn history_keys(world: &TestWorld, deployment: &Deployment) -> Vec<String> {
    let history = world
        .store
        .history(&deployment.id)
        .await
        .expect("read the history");
    history.into_iter().map(|record| record.key).collect()
}

async fn act(
    world: &TestWorld,
    function: Function,
    deployment: &Deployment,
    action: Value,
) -> Value {
    let mut request = json!({"deploymentId": deployment.id});
    request
        .as_object_mut()
        .unwrap()
        .extend(action.as_object().unwrap().clone());
    world
        .call(function, request)
        .await
        .unwrap_or_else(|error| panic!("{function} refused {action}: {error}"))
}

/// Applies each action twice; returns the history keys after each pair.
async fn twice_each(
    world: &TestWorld,
    function: Function,
    deployment: &Deployment,
    actions: &[Value],
    mut observe: impl AsyncFnMut() -> String,
) {
    for action in actions {
        let first = act(world, function, deployment, action.clone()).await;
        let state = observe().await;
        let keys = history_keys(world, deployment).await;
        let second = act(world, function, deployment, action.clone()).await;
        assert_eq!(first, second, "{action}: a repeat answers the same");
        assert_eq!(observe().await, state, "{action}: a repeat changes nothing");
        assert_eq!(
            history_keys(world, deployment).await,
            keys,
            "{action}: a repeat writes no history"
        );
    }
}

#[tokio::test]
async fn every_alias_action_twice_gives_one_state_and_one_record() {
    let lambda = LambdaWorld::new().await;
    let target = Target::LambdaAlias(lambda.target("1", "2"));
    let (world, deployment) = world_with(vec![target], ComputePlatform::Lambda).await;
    let actions = [
        json!({"action": "start"}),
        json!({"action": "shift", "percent": 10, "step": 0}),
        json!({"action": "verify", "percent": 10}),
        json!({"action": "shift", "percent": 40, "step": 1}),
        json!({"action": "finish"}),
    ];
    twice_each(
        &world,
        Function::ShiftAliasWeight,
        &deployment,
        &actions,
        async || format!("{:?}", lambda.alias().await),
    )
    .await;
    let alias = lambda.alias().await;
    assert_eq!((alias.version.as_str(), alias.weights.len()), ("2", 0));
    let traffic: Vec<String> = history_keys(&world, &deployment)
        .await
        .into_iter()
        .filter(|key| key.starts_with("traffic:"))
        .collect();
    assert_eq!(
        traffic,
        [
            "traffic:start:0",
            "traffic:shift:10",
            "traffic:shift:40",
            "traffic:finish:100"
        ]
    );
    act(
        &world,
        Function::ShiftAliasWeight,
        &deployment,
        json!({"action": "rollback"}),
    )
    .await;
    let alias = lambda.alias().await;
    assert_eq!((alias.version.as_str(), alias.weights.len()), ("1", 0));
}

#[tokio::test]
async fn every_listener_action_twice_gives_one_state_and_one_record() {
    let alb = AlbWorld::new().await;
    let target = Target::AlbListener(alb.target());
    let (world, deployment) = world_with(vec![target], ComputePlatform::Ecs).await;
    let actions = [
        json!({"action": "start"}),
        json!({"action": "test-traffic"}),
        json!({"action": "shift", "percent": 25, "step": 0}),
        json!({"action": "finish"}),
        json!({"action": "rollback"}),
    ];
    twice_each(
        &world,
        Function::SwapAlbTargets,
        &deployment,
        &actions,
        async || {
            let production = alb.weights(&alb.listener).await;
            let test = alb.weights(&alb.test_listener).await;
            format!("{production:?} {test:?}")
        },
    )
    .await;
    assert_eq!(alb.weights(&alb.listener).await, (100, 0));
    assert_eq!(alb.weights(&alb.test_listener).await, (100, 0));
}

#[tokio::test]
async fn bad_requests_are_refused_by_name_and_change_nothing() {
    let lambda = LambdaWorld::new().await;
    let target = Target::LambdaAlias(lambda.target("1", "2"));
    let (world, deployment) = world_with(vec![target], ComputePlatform::Lambda).await;
    let before = lambda.alias().await;
    let keys = history_keys(&world, &deployment).await;
    let missing_version = json!([{"type": "LambdaAlias", "functionName": lambda.function,
        "alias": "live", "currentVersion": "1", "targetVersion": "9"}]);
    let unknown_alias = json!([{"type": "LambdaAlias", "functionName": lambda.function,
        "alias": "nope", "currentVersion": "1", "targetVersion": "2"}]);
    let cases = [
        (
            json!({"action": "jump"}),
            "InvalidInput",
            "unknown variant `jump`",
        ),
        (
            json!({"action": "shift", "percent": 0}),
            "InvalidInput",
            "percent: 0 is out of range for action \"shift\" (1–99)",
        ),
        (
            json!({"action": "shift", "percent": 100}),
            "InvalidInput",
            "percent: 100 is out of range",
        ),
        (
            json!({"action": "shift", "percent": 101}),
            "InvalidInput",
            "percent: 101 is out of range",
        ),
        (
            json!({"action": "shift", "percent": -1}),
            "InvalidInput",
            "invalid value: integer `-1`",
        ),
        (
            json!({"action": "shift"}),
            "InvalidInput",
            "percent: required with action \"shift\"",
        ),
        (
            json!({"action": "test-traffic"}),
            "INTERNAL_ERROR",
            "cannot",
        ),
        // Only reading may name other targets than the deployment's own.
        (
            json!({"action": "shift", "percent": 10, "targets": missing_version}),
            "InvalidInput",
            "targets: accepted only with action \"verify\"; shift acts on the deployment's own targets",
        ),
        (
            json!({"action": "rollback", "targets": unknown_alias}),
            "InvalidInput",
            "targets: accepted only with action \"verify\"",
        ),
        (
            json!({"action": "verify", "percent": 0, "targets": unknown_alias}),
            "INVALID_LAMBDA_CONFIGURATION",
            "alias",
        ),
    ];
    for (action, error_type, message) in cases {
        let mut request = json!({"deploymentId": deployment.id});
        request
            .as_object_mut()
            .unwrap()
            .extend(action.as_object().unwrap().clone());
        let error = world
            .call(Function::ShiftAliasWeight, request)
            .await
            .expect_err(&format!("{action} should be refused"));
        assert_eq!(error.error_type, error_type, "{action}: {error}");
        assert!(error.message.contains(message), "{action}: {error}");
        assert_eq!(lambda.alias().await, before, "{action} changed the alias");
    }
    let listener = json!({"action": "verify", "percent": 10, "targets": [{"type": "AlbListener",
        "listenerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2",
        "blueTargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/b/1",
        "greenTargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/g/2"}]});
    let mut request = json!({"deploymentId": deployment.id});
    request
        .as_object_mut()
        .unwrap()
        .extend(listener.as_object().unwrap().clone());
    let error = world
        .call(Function::ShiftAliasWeight, request)
        .await
        .unwrap_err();
    assert!(
        error.message.contains("targets[0]") && error.message.contains("Lambda aliases"),
        "{error}"
    );
    let unknown = world
        .call(
            Function::ShiftAliasWeight,
            json!({"deploymentId": "d-AAAAAAAAA", "action": "start"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        unknown.message,
        "deploymentId: deployment d-AAAAAAAAA does not exist"
    );
    assert_untouched(&world, &deployment, &keys, DeploymentStatus::InProgress).await;
}

#[tokio::test]
async fn an_ended_deployment_moves_no_further_and_a_succeeded_one_is_never_rolled_back() {
    let lambda = LambdaWorld::new().await;
    let target = Target::LambdaAlias(lambda.target("1", "2"));
    let (world, deployment) = world_with(vec![target], ComputePlatform::Lambda).await;
    let call = |action: Value| {
        let mut request = json!({"deploymentId": deployment.id});
        request
            .as_object_mut()
            .unwrap()
            .extend(action.as_object().unwrap().clone());
        world.call(Function::ShiftAliasWeight, request)
    };
    call(json!({"action": "finish"})).await.expect("finish");
    let succeed = json!({"deploymentId": deployment.id, "action": "succeed"});
    world
        .call(Function::RecordStatus, succeed)
        .await
        .expect("record the success");
    let finished = lambda.alias().await;
    let keys = history_keys(&world, &deployment).await;

    for (action, refused) in [
        (
            json!({"action": "rollback"}),
            "rollback is refused: the deployment is Succeeded",
        ),
        (
            json!({"action": "shift", "percent": 10}),
            "shift is refused: the deployment is Succeeded",
        ),
        (json!({"action": "start"}), "start is refused"),
    ] {
        let error = call(action.clone())
            .await
            .expect_err(&format!("{action} should be refused"));
        assert_eq!(error.error_type, "InvalidInput", "{action}: {error}");
        assert!(error.message.contains(refused), "{action}: {error}");
        assert!(error.message.contains(deployment.id.as_str()), "{error}");
    }
    let read = call(json!({"action": "verify", "percent": 100}))
        .await
        .expect("reading is always allowed");
    assert_eq!(read["percentOnNew"], 100);

    assert_eq!(lambda.alias().await, finished, "a refusal moved the alias");
    assert_untouched(&world, &deployment, &keys, DeploymentStatus::Succeeded).await;
}

/// The refusals wrote no history and left the deployment `status`.
async fn assert_untouched(
    world: &TestWorld,
    deployment: &Deployment,
    keys: &[String],
    status: DeploymentStatus,
) {
    assert_eq!(
        history_keys(world, deployment).await,
        keys,
        "a refusal wrote history"
    );
    assert_eq!(world.deployment(&deployment.id).await.status, status);
}
