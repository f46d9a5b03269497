//! The CodePipeline reporter on a mocked client: the emulator lacks PutJobSuccessResult and
//! PutJobFailureResult, so the requests sent and the handling of each answer are checked here.

use super::CodePipelineReporter;
use aws_sdk_codepipeline::error::ErrorMetadata;
use aws_sdk_codepipeline::operation::get_job_details::{GetJobDetailsError, GetJobDetailsOutput};
use aws_sdk_codepipeline::operation::put_job_failure_result::{
    PutJobFailureResultError, PutJobFailureResultOutput,
};
use aws_sdk_codepipeline::operation::put_job_success_result::{
    PutJobSuccessResultError, PutJobSuccessResultOutput,
};
use aws_sdk_codepipeline::types::error::{
    InvalidJobStateException, JobNotFoundException, ValidationException,
};
use aws_sdk_codepipeline::types::{
    ActionCategory, ActionConfiguration, ActionOwner, ActionTypeId, AwsSessionCredentials,
    FailureType, JobData, JobDetails,
};
use aws_sdk_codepipeline::Client;
use aws_smithy_mocks::{mock, mock_client, Rule};
use gradual_core::ports::{
    JobFailure, JobSuccess, PipelineError, PipelineReporter, MAX_FAILURE_MESSAGE,
};

const JOB_ID: &str = "11111111-abcd-1111-abcd-111111111111";

const FUNCTION: &str = "gradual-create-deployment";

fn reporter(rule: &Rule) -> CodePipelineReporter {
    CodePipelineReporter::new(mock_client!(aws_sdk_codepipeline, [rule]), FUNCTION)
}

/// GetJobDetails' answer for a Lambda invoke action naming `function`, with artifact
/// credentials, as CodePipeline hands them out.
fn job(function: &str, category: ActionCategory) -> GetJobDetailsOutput {
    let data = JobData::builder()
        .action_type_id(
            ActionTypeId::builder()
                .category(category)
                .owner(ActionOwner::Aws)
                .provider("Lambda")
                .version("1")
                .build()
                .unwrap(),
        )
        .action_configuration(
            ActionConfiguration::builder()
                .configuration("FunctionName", function)
                .configuration("UserParameters", r#"{"applicationName":"shop"}"#)
                .build(),
        )
        .artifact_credentials(
            AwsSessionCredentials::builder()
                .access_key_id("ASIAEXAMPLE")
                .secret_access_key("secret-never-kept")
                .session_token("session-never-kept")
                .build()
                .unwrap(),
        )
        .continuation_token("d-A1B2C3D4E")
        .build();
    GetJobDetailsOutput::builder()
        .job_details(
            JobDetails::builder()
                .id(JOB_ID)
                .account_id("123456789012")
                .data(data)
                .build(),
        )
        .build()
}

#[tokio::test]
async fn a_job_is_read_back_with_what_an_event_could_forge_and_nothing_more() {
    for (function, category, ours) in [
        (FUNCTION, ActionCategory::Invoke, true),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:gradual-create-deployment:live",
            ActionCategory::Invoke,
            true,
        ),
        ("gradual-create-deployment:7", ActionCategory::Invoke, true),
        ("gradual-create-deployment-2", ActionCategory::Invoke, false),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:other",
            ActionCategory::Invoke,
            false,
        ),
        (FUNCTION, ActionCategory::Build, false),
    ] {
        let answer = job(function, category.clone());
        let rule = mock!(Client::get_job_details)
            .match_requests(|request| request.job_id() == Some(JOB_ID))
            .then_output(move || answer.clone());

        let details = reporter(&rule).job_details(JOB_ID).await.expect("the job");

        assert_eq!(details.account_id, "123456789012");
        assert_eq!(
            details.invokes_this_function, ours,
            "{function} {category:?}"
        );
        assert_eq!(
            details.user_parameters.as_deref(),
            Some(r#"{"applicationName":"shop"}"#)
        );
        assert_eq!(details.continuation_token.as_deref(), Some("d-A1B2C3D4E"));
        assert!(!format!("{details:?}").contains("never-kept"));
    }
}

#[tokio::test]
async fn a_call_the_role_may_not_make_is_access_denied_naming_the_action() {
    let rule = mock!(Client::get_job_details).then_error(|| {
        GetJobDetailsError::generic(
            ErrorMetadata::builder()
                .code("AccessDeniedException")
                .message("User: arn:aws:sts::123456789012:assumed-role/r/f is not authorized to perform: codepipeline:GetJobDetails")
                .build(),
        )
    });

    let error = reporter(&rule).job_details(JOB_ID).await.unwrap_err();

    assert!(
        matches!(&error, PipelineError::AccessDenied { reason, .. }
            if reason.contains("codepipeline:GetJobDetails") && reason.contains("template.yaml")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_job_codepipeline_does_not_know_is_closed() {
    let rule = mock!(Client::get_job_details).then_error(|| {
        GetJobDetailsError::JobNotFoundException(
            JobNotFoundException::builder()
                .message("no such job")
                .build(),
        )
    });

    let error = reporter(&rule).job_details(JOB_ID).await.unwrap_err();

    assert!(
        matches!(&error, PipelineError::JobClosed { reason, .. } if reason.contains("no such job")),
        "{error:?}"
    );
}

fn running() -> JobSuccess {
    JobSuccess {
        continuation_token: Some("d-A1B2C3D4E".to_owned()),
        external_execution_id: "d-A1B2C3D4E".to_owned(),
        summary: "deployment d-A1B2C3D4E is Baking, 10% on the new version".to_owned(),
    }
}

fn failed(message: String) -> JobFailure {
    JobFailure {
        external_execution_id: Some("d-A1B2C3D4E".to_owned()),
        message,
    }
}

#[tokio::test]
async fn a_running_deployment_answers_with_a_continuation_token() {
    let rule = mock!(Client::put_job_success_result)
        .match_requests(|request| {
            let details = request.execution_details();
            request.job_id() == Some(JOB_ID)
                && request.continuation_token() == Some("d-A1B2C3D4E")
                && details.and_then(|details| details.external_execution_id())
                    == Some("d-A1B2C3D4E")
                && details
                    .and_then(|details| details.summary())
                    .is_some_and(|summary| summary.contains("Baking"))
        })
        .then_output(|| PutJobSuccessResultOutput::builder().build());

    reporter(&rule)
        .put_job_success(JOB_ID, &running())
        .await
        .expect("the request matches");

    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn a_finished_deployment_answers_without_a_token() {
    let rule = mock!(Client::put_job_success_result)
        .match_requests(|request| {
            request.job_id() == Some(JOB_ID) && request.continuation_token().is_none()
        })
        .then_output(|| PutJobSuccessResultOutput::builder().build());
    let done = JobSuccess {
        continuation_token: None,
        ..running()
    };

    reporter(&rule)
        .put_job_success(JOB_ID, &done)
        .await
        .expect("the request matches");

    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn a_failure_is_a_job_failure_with_the_message_cut_to_the_limit() {
    let rule = mock!(Client::put_job_failure_result)
        .match_requests(|request| {
            let details = request.failure_details();
            request.job_id() == Some(JOB_ID)
                && details.map(|details| details.r#type()) == Some(&FailureType::JobFailed)
                && details.and_then(|details| details.external_execution_id())
                    == Some("d-A1B2C3D4E")
                && details.is_some_and(|details| {
                    details.message().starts_with("ALARM_ACTIVE: ")
                        && details.message().chars().count() == MAX_FAILURE_MESSAGE
                })
        })
        .then_output(|| PutJobFailureResultOutput::builder().build());
    let message = format!("ALARM_ACTIVE: {}", "x".repeat(MAX_FAILURE_MESSAGE));

    reporter(&rule)
        .put_job_failure(JOB_ID, &failed(message))
        .await
        .expect("the request matches");

    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn an_answer_to_a_closed_job_is_told_apart() {
    let invalid_state = mock!(Client::put_job_success_result).then_error(|| {
        PutJobSuccessResultError::InvalidJobStateException(
            InvalidJobStateException::builder()
                .message("the job is not in progress")
                .build(),
        )
    });
    let error = reporter(&invalid_state)
        .put_job_success(JOB_ID, &running())
        .await
        .expect_err("refused");
    assert!(
        matches!(&error, PipelineError::JobClosed { job_id, reason } if job_id == JOB_ID && reason.contains("PutJobSuccessResult")),
        "{error:?}"
    );

    let not_found = mock!(Client::put_job_failure_result).then_error(|| {
        PutJobFailureResultError::JobNotFoundException(JobNotFoundException::builder().build())
    });
    let error = reporter(&not_found)
        .put_job_failure(JOB_ID, &failed("TIMEOUT: too slow".to_owned()))
        .await
        .expect_err("refused");
    assert!(
        matches!(&error, PipelineError::JobClosed { reason, .. } if reason.contains("PutJobFailureResult")),
        "{error:?}"
    );
}

#[tokio::test]
async fn other_refusals_are_backend_errors() {
    let rule = mock!(Client::put_job_failure_result).then_error(|| {
        PutJobFailureResultError::ValidationException(
            ValidationException::builder()
                .message("1 validation error detected")
                .build(),
        )
    });
    let error = reporter(&rule)
        .put_job_failure(JOB_ID, &failed("TIMEOUT: too slow".to_owned()))
        .await
        .expect_err("refused");
    let PipelineError::Backend { job_id, reason } = &error else {
        panic!("expected a backend error, got {error:?}");
    };
    assert_eq!(job_id, JOB_ID);
    assert!(reason.contains("PutJobFailureResult"), "{reason}");
}
