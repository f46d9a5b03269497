//! Each request shape, from its sample under `events/`, ends in a running deployment.

use super::support::{
    capture_logs, deployment_id, sample, TestWorld, CANARY, SAMPLE_APPLICATION, SAMPLE_FUNCTION,
    SAMPLE_GROUP, SAMPLE_JOB_ID, SAMPLE_SECRETS,
};
use gradual_core::{Creator, DeploymentId};
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_handlers::create_deployment::{JobOutcome, PipelineAnswer};
use gradual_local::world::JobAnswer;
use std::collections::HashMap;

/// The sample group with a fresh function to move, and the sample's names made to fit it.
async fn sample_world() -> (TestWorld, LambdaWorld) {
    let world = TestWorld::manual().await;
    let function = world
        .lambda_group(SAMPLE_APPLICATION, SAMPLE_GROUP, CANARY)
        .await;
    (world, function)
}

/// The deployment runs its canary: stored by `creator`, baking with 10 % on version 2.
async fn assert_running(
    world: &TestWorld,
    function: &LambdaWorld,
    id: &DeploymentId,
    creator: Creator,
) {
    let deployment = world.baking(id).await;
    assert_eq!(deployment.creator, creator);
    assert_eq!(deployment.deployment_config_name, CANARY);
    assert_eq!(deployment.traffic.percent, 10);
    let alias = function.alias().await;
    assert_eq!(alias.version, "1");
    assert_eq!(alias.weights, HashMap::from([("2".to_owned(), 0.1)]));
}

#[tokio::test]
async fn a_direct_request_with_an_appspec_starts_a_deployment() {
    let (world, function) = sample_world().await;
    let request = sample(
        "create-deployment/direct-appspec.json",
        &[(SAMPLE_FUNCTION, &function.function)],
    );

    let answer = world.create(request).await.expect("accepted");

    let id = deployment_id(&answer);
    assert_running(&world, &function, &id, Creator::User).await;
    assert_eq!(
        world.deployment(&id).await.description.as_deref(),
        Some("checkout 2: faster basket totals")
    );
}

#[tokio::test]
async fn an_eventbridge_event_starts_the_deployment_in_its_detail() {
    let (world, function) = sample_world().await;
    let event = sample(
        "create-deployment/eventbridge.json",
        &[(SAMPLE_FUNCTION, &function.function)],
    );

    let answer = world.create(event).await.expect("accepted");

    let id = deployment_id(&answer);
    assert_running(&world, &function, &id, Creator::User).await;
}

#[tokio::test]
async fn an_event_of_another_source_or_type_is_refused_and_writes_nothing() {
    let (world, function) = sample_world().await;
    let before = world.item_count().await;
    for (field, value) in [
        ("source", "aws.codecommit"),
        ("detail-type", "CodeCommit Repository State Change"),
    ] {
        let mut event = sample(
            "create-deployment/eventbridge.json",
            &[(SAMPLE_FUNCTION, &function.function)],
        );
        event[field] = value.into();

        let error = world
            .create(event)
            .await
            .expect_err("not a deployment request");

        assert_eq!(error.error_type, "InvalidInput");
        assert!(
            error.message.contains(&format!("{value:?}"))
                && error.message.contains("\"gradual\"")
                && error.message.contains("\"Deployment Request\""),
            "{}",
            error.message
        );
    }
    assert_eq!(world.item_count().await, before);
}

// One thread, so that the captured logs hold everything the world logged.
#[tokio::test(flavor = "current_thread")]
async fn a_pipeline_job_starts_a_deployment_and_never_logs_its_credentials() {
    let (logs, _capture) = capture_logs();
    let (world, function) = sample_world().await;
    let job = sample(
        "create-deployment/codepipeline.json",
        &[(SAMPLE_FUNCTION, &function.function)],
    );
    for secret in SAMPLE_SECRETS {
        assert!(
            job.to_string().contains(secret),
            "the sample carries {secret}"
        );
    }

    let answer = world.run_pipeline_action(job).await.expect("answered");

    let answer: PipelineAnswer = serde_json::from_value(answer).expect("a pipeline answer");
    assert_eq!(answer.job_id, SAMPLE_JOB_ID);
    assert_eq!(answer.outcome, JobOutcome::InProgress);
    let id = answer.deployment_id.expect("the deployment's id");
    assert_running(&world, &function, &id, Creator::CodePipeline).await;
    let [JobAnswer::Success(success)] = &world.pipeline.answers(SAMPLE_JOB_ID)[..] else {
        panic!("one success: {:?}", world.pipeline.answers(SAMPLE_JOB_ID));
    };
    assert_eq!(success.continuation_token.as_deref(), Some(id.as_str()));
    assert_eq!(success.external_execution_id, id.as_str());

    let logged = logs.text();
    assert!(
        logged.contains(SAMPLE_JOB_ID) && logged.contains(id.as_str()),
        "the capture saw the answer's log line:\n{logged}"
    );
    for secret in SAMPLE_SECRETS {
        assert!(!logged.contains(secret), "{secret} was logged");
    }
}
