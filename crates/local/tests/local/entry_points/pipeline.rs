//! The CodePipeline contract: a continuation token while the deployment runs, then success
//! without one or a JobFailed failure naming the error code; refusals answered at once.

use super::support::{
    capture_logs, sample, targets_request, TestWorld, CANARY, SAMPLE_APPLICATION, SAMPLE_FUNCTION,
    SAMPLE_GROUP, SAMPLE_JOB_ID, SAMPLE_SECRETS,
};
use gradual_core::{DeploymentStatus, Hook, LifecycleEvent};
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_handlers::create_deployment::{JobOutcome, PipelineAnswer};
use gradual_local::world::{HookBehaviour, JobAnswer};
use serde_json::{json, Value};

const FAILING_HOOK: &str = "checkout-smoke-test";

async fn sample_world() -> (TestWorld, LambdaWorld) {
    let world = TestWorld::manual().await;
    let function = world
        .lambda_group(SAMPLE_APPLICATION, SAMPLE_GROUP, CANARY)
        .await;
    (world, function)
}

/// The sample job for `function`; with `continuation`, CodePipeline's re-invocation.
fn job(function: &LambdaWorld, continuation: Option<&str>) -> Value {
    let mut job = sample(
        "create-deployment/codepipeline.json",
        &[(SAMPLE_FUNCTION, &function.function)],
    );
    if let Some(token) = continuation {
        job["CodePipeline.job"]["data"]["continuationToken"] = token.into();
    }
    job
}

/// The sample job with `request` as its UserParameters.
fn job_with(function: &LambdaWorld, request: &Value) -> Value {
    let mut job = job(function, None);
    job["CodePipeline.job"]["data"]["actionConfiguration"]["configuration"]["UserParameters"] =
        request.to_string().into();
    job
}

async fn answer(world: &TestWorld, job: Value) -> PipelineAnswer {
    let answer = world
        .run_pipeline_action(job)
        .await
        .expect("the job is answered");
    serde_json::from_value(answer).expect("a pipeline answer")
}

fn last_answer(world: &TestWorld) -> JobAnswer {
    world
        .pipeline
        .answers(SAMPLE_JOB_ID)
        .pop()
        .expect("the job was answered")
}

#[tokio::test]
async fn the_job_continues_while_the_deployment_runs_and_succeeds_with_it() {
    let (world, function) = sample_world().await;
    let started = answer(&world, job(&function, None)).await;
    let id = started.deployment_id.expect("a deployment");
    world.baking(&id).await;

    let running = answer(&world, job(&function, Some(id.as_str()))).await;

    assert_eq!(running.outcome, JobOutcome::InProgress);
    assert!(running.message.contains("Baking"), "{}", running.message);
    let JobAnswer::Success(success) = last_answer(&world) else {
        panic!("a continuation");
    };
    assert_eq!(success.continuation_token.as_deref(), Some(id.as_str()));

    assert_eq!(
        world.run_to_end(&id).await.status,
        DeploymentStatus::Succeeded
    );
    let done = answer(&world, job(&function, Some(id.as_str()))).await;

    assert_eq!(done.outcome, JobOutcome::Succeeded);
    let JobAnswer::Success(success) = last_answer(&world) else {
        panic!("a success");
    };
    assert_eq!(success.continuation_token, None);
    assert_eq!(success.external_execution_id, id.as_str());
    assert_eq!(world.pipeline.answers(SAMPLE_JOB_ID).len(), 3);

    // A late retry of the invocation finds the job closed and leaves it so.
    let retried = answer(&world, job(&function, Some(id.as_str()))).await;
    assert_eq!(retried.outcome, JobOutcome::Succeeded);
    assert_eq!(world.pipeline.answers(SAMPLE_JOB_ID).len(), 3);
}

#[tokio::test]
async fn a_failed_deployment_fails_the_job_with_its_error_code() {
    let (world, function) = sample_world().await;
    world.register_sample_hook(FAILING_HOOK, HookBehaviour::Fail);
    let mut request = targets_request(SAMPLE_APPLICATION, SAMPLE_GROUP, &function.function);
    let hook = Hook {
        event: LifecycleEvent::AfterAllowTraffic,
        function_name: FAILING_HOOK.to_owned(),
    };
    request["revision"]["hooks"] = json!([hook]);
    let started = answer(&world, job_with(&function, &request)).await;
    let id = started.deployment_id.expect("a deployment");

    let deployment = world.run_to_end(&id).await;
    assert_eq!(deployment.status, DeploymentStatus::Failed);
    let failed = answer(&world, job(&function, Some(id.as_str()))).await;

    assert_eq!(failed.outcome, JobOutcome::Failed);
    let JobAnswer::Failure(failure) = last_answer(&world) else {
        panic!("a failure");
    };
    assert_eq!(failure.external_execution_id.as_deref(), Some(id.as_str()));
    assert!(
        failure
            .message
            .starts_with(&format!("deployment {id} Failed: HOOK_EXECUTION_FAILURE")),
        "{}",
        failure.message
    );
}

// One thread, so that the captured logs hold everything the world logged.
#[tokio::test(flavor = "current_thread")]
async fn a_refused_request_fails_the_job_at_once_writes_nothing_and_logs_no_credentials() {
    let (logs, _capture) = capture_logs();
    let (world, function) = sample_world().await;
    let before = world.item_count().await;
    let unknown_group = targets_request(SAMPLE_APPLICATION, "payments", &function.function);

    let refused = answer(&world, job_with(&function, &unknown_group)).await;

    assert_eq!(refused.outcome, JobOutcome::Failed);
    assert_eq!(refused.deployment_id, None);
    let JobAnswer::Failure(failure) = last_answer(&world) else {
        panic!("a failure");
    };
    assert!(
        failure.message.starts_with("DEPLOYMENT_GROUP_MISSING: ")
            && failure.message.contains("\"payments\""),
        "{}",
        failure.message
    );
    assert_eq!(world.item_count().await, before);
    let logged = logs.text();
    assert!(logged.contains(SAMPLE_JOB_ID), "{logged}");
    for secret in SAMPLE_SECRETS {
        assert!(!logged.contains(secret), "{secret} was logged");
    }
}

#[tokio::test]
async fn unusable_parameters_fail_the_job_by_name() {
    let (world, function) = sample_world().await;
    let cases = [
        (
            job_with(&function, &json!("not an object")),
            "InvalidInput: UserParameters: invalid type",
        ),
        (
            {
                let mut request =
                    targets_request(SAMPLE_APPLICATION, SAMPLE_GROUP, &function.function);
                request["clientRequestToken"] = "mine".into();
                job_with(&function, &request)
            },
            "InvalidInput: UserParameters: clientRequestToken is not allowed",
        ),
        // (A continuation token gradual never handed out is not CodePipeline's: see below.)
    ];
    let before = world.item_count().await;
    for (index, (job, expected)) in cases.into_iter().enumerate() {
        let mut job = job;
        // A job per case, since a failed job takes no further answer.
        let job_id = format!("{SAMPLE_JOB_ID}-{index}");
        job["CodePipeline.job"]["id"] = job_id.clone().into();

        let refused = answer(&world, job).await;

        assert_eq!(refused.outcome, JobOutcome::Failed, "{expected}");
        let answers = world.pipeline.answers(&job_id);
        let [JobAnswer::Failure(failure)] = &answers[..] else {
            panic!("one failure for {expected}: {answers:?}");
        };
        assert!(failure.message.starts_with(expected), "{}", failure.message);
    }
    assert_eq!(world.item_count().await, before);
}

#[tokio::test]
async fn a_job_event_codepipeline_did_not_send_is_refused_and_leaves_the_job_unanswered() {
    let (world, function) = sample_world().await;
    let before = world.item_count().await;
    let mut other_function = job(&function, None);
    other_function["CodePipeline.job"]["id"] = "b7a1d8ef-4c5f-4d20-8e3b-9f6c8d7e2a31".into();
    other_function["CodePipeline.job"]["data"]["actionConfiguration"]["configuration"]
        ["FunctionName"] = "gradual-release-notes".into();
    world.pipeline.start_job(&other_function);
    let mut other_account = job(&function, None);
    other_account["CodePipeline.job"]["id"] = "c8b2e9f0-5d6a-4e31-9f4c-a07d9e8f3b42".into();
    other_account["CodePipeline.job"]["accountId"] = "210987654321".into();
    world.pipeline.start_job(&other_account);

    let cases = [
        // Never started by CodePipeline.
        (job(&function, None), "CodePipeline has no job"),
        (
            other_function,
            "is not a Lambda invoke action of this function",
        ),
        (other_account, "belongs to account \"210987654321\""),
    ];
    for (event, message) in cases {
        let error = world
            .create(event)
            .await
            .expect_err("not an event of CodePipeline's");
        assert_eq!(error.error_type, "InvalidInput", "{error}");
        assert!(
            error.message.contains(message) && error.message.contains("left unanswered"),
            "{message}: {error}"
        );
    }

    // A real job, its event carrying another request, or a token never handed out.
    world.pipeline.start_job(&job(&function, None));
    let another_group = targets_request(SAMPLE_APPLICATION, "payments", &function.function);
    for (event, message) in [
        (
            job_with(&function, &another_group),
            "the event's UserParameters are not those of job",
        ),
        (
            job(&function, Some("d-AAAAAAAAA")),
            "continuationToken \"d-AAAAAAAAA\" is not the one",
        ),
    ] {
        let error = world.create(event).await.expect_err("forged");
        assert_eq!(error.error_type, "InvalidInput", "{error}");
        assert!(error.message.contains(message), "{message}: {error}");
    }

    assert_eq!(world.pipeline.answers(SAMPLE_JOB_ID), Vec::new());
    assert_eq!(world.item_count().await, before);
    assert_eq!(world.items_of_kind("DEPLOYMENT").await, 0);
}
