//! Task reports on a mocked Step Functions client: moto accepts any token and records nothing,
//! so the request sent and the handling of each answer are checked here.

use aws_sdk_sfn::operation::send_task_failure::{SendTaskFailureError, SendTaskFailureOutput};
use aws_sdk_sfn::operation::send_task_success::{SendTaskSuccessError, SendTaskSuccessOutput};
use aws_sdk_sfn::types::error::{
    InvalidOutput, InvalidToken, KmsThrottlingException, TaskDoesNotExist, TaskTimedOut,
};
use aws_sdk_sfn::Client;
use aws_smithy_mocks::{mock, mock_client, Rule};
use gradual_aws::step_functions::StepFunctionsWorkflow;
use gradual_core::ports::{Workflow, WorkflowError};
use serde_json::json;

const STATE_MACHINE_ARN: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:deployment";
const TOKEN: &str = "AQCEAAAAKgAAAAMAAAAAAAAAAVq3Kx0secret-part-of-the-token";

/// A modeled refusal, built anew for each call the mock answers.
type SuccessRefusal = fn() -> SendTaskSuccessError;
type FailureRefusal = fn() -> SendTaskFailureError;

fn workflow(rule: &Rule) -> StepFunctionsWorkflow {
    StepFunctionsWorkflow::new(mock_client!(aws_sdk_sfn, [rule]), STATE_MACHINE_ARN)
        .expect("valid ARN")
}

async fn success_answered_with(error: SuccessRefusal) -> WorkflowError {
    let rule = mock!(Client::send_task_success).then_error(error);
    workflow(&rule)
        .send_task_success(TOKEN, &json!({}))
        .await
        .expect_err("the service refused the report")
}

async fn failure_answered_with(error: FailureRefusal) -> WorkflowError {
    let rule = mock!(Client::send_task_failure).then_error(error);
    workflow(&rule)
        .send_task_failure(TOKEN, "HOOK_EXECUTION_FAILURE", "the hook failed")
        .await
        .expect_err("the service refused the report")
}

/// A task-gone error names the report and the start of the token, never the whole token.
fn assert_task_gone(error: &WorkflowError, action: &str, code: &str) {
    let WorkflowError::TaskGone(message) = error else {
        panic!("expected TaskGone for {code}, got {error:?}");
    };
    assert!(
        message.contains(action) && message.contains(code),
        "{message}"
    );
    assert!(
        message.contains(&gradual_core::secret::shown(TOKEN)),
        "{message}"
    );
    assert!(!message.contains(TOKEN), "the full token leaked: {message}");
}

#[tokio::test]
async fn success_sends_the_token_and_the_output() {
    let rule = mock!(Client::send_task_success)
        .match_requests(|request| {
            let output = request
                .output()
                .and_then(|output| serde_json::from_str::<serde_json::Value>(output).ok());
            request.task_token() == Some(TOKEN)
                && output == Some(json!({"status": "Succeeded", "step": 2}))
        })
        .then_output(|| SendTaskSuccessOutput::builder().build());

    workflow(&rule)
        .send_task_success(TOKEN, &json!({"status": "Succeeded", "step": 2}))
        .await
        .expect("the request matches");

    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn failure_sends_the_token_the_error_and_the_cause() {
    let rule = mock!(Client::send_task_failure)
        .match_requests(|request| {
            request.task_token() == Some(TOKEN)
                && request.error() == Some("HOOK_EXECUTION_FAILURE")
                && request.cause() == Some("BeforeAllowTraffic reported Failed")
        })
        .then_output(|| SendTaskFailureOutput::builder().build());

    workflow(&rule)
        .send_task_failure(
            TOKEN,
            "HOOK_EXECUTION_FAILURE",
            "BeforeAllowTraffic reported Failed",
        )
        .await
        .expect("the request matches");

    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn failure_cuts_error_and_cause_to_what_step_functions_accepts() {
    let rule = mock!(Client::send_task_failure)
        .match_requests(|request| {
            request.error().map(|error| error.chars().count()) == Some(256)
                && request.cause().map(|cause| cause.chars().count()) == Some(32_768)
        })
        .then_output(|| SendTaskFailureOutput::builder().build());

    workflow(&rule)
        .send_task_failure(TOKEN, &"E".repeat(300), &"ü".repeat(40_000))
        .await
        .expect("the request fits the limits");

    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn success_for_a_task_that_no_longer_waits_is_task_gone() {
    let cases: [(&str, SuccessRefusal); 3] = [
        ("TaskDoesNotExist", || {
            SendTaskSuccessError::TaskDoesNotExist(TaskDoesNotExist::builder().build())
        }),
        ("TaskTimedOut", || {
            SendTaskSuccessError::TaskTimedOut(TaskTimedOut::builder().build())
        }),
        ("InvalidToken", || {
            SendTaskSuccessError::InvalidToken(
                InvalidToken::builder()
                    .message(format!("Invalid token: {TOKEN}"))
                    .build(),
            )
        }),
    ];
    for (code, answer) in cases {
        let error = success_answered_with(answer).await;
        assert_task_gone(&error, "SendTaskSuccess", code);
    }
}

#[tokio::test]
async fn failure_for_a_task_that_no_longer_waits_is_task_gone() {
    let cases: [(&str, FailureRefusal); 3] = [
        ("TaskDoesNotExist", || {
            SendTaskFailureError::TaskDoesNotExist(TaskDoesNotExist::builder().build())
        }),
        ("TaskTimedOut", || {
            SendTaskFailureError::TaskTimedOut(TaskTimedOut::builder().build())
        }),
        ("InvalidToken", || {
            SendTaskFailureError::InvalidToken(InvalidToken::builder().build())
        }),
    ];
    for (code, answer) in cases {
        let error = failure_answered_with(answer).await;
        assert_task_gone(&error, "SendTaskFailure", code);
    }
}

#[tokio::test]
async fn other_refusals_are_backend_failures() {
    let success = success_answered_with(|| {
        SendTaskSuccessError::InvalidOutput(
            InvalidOutput::builder()
                .message("output is not JSON")
                .build(),
        )
    })
    .await;
    let failure = failure_answered_with(|| {
        SendTaskFailureError::KmsThrottlingException(
            KmsThrottlingException::builder()
                .message(format!("throttled while decrypting for {TOKEN}"))
                .build(),
        )
    })
    .await;

    for (error, action) in [(success, "SendTaskSuccess"), (failure, "SendTaskFailure")] {
        let WorkflowError::Backend(message) = &error else {
            panic!("expected Backend, got {error:?}");
        };
        assert!(message.contains(action), "{message}");
        assert!(!message.contains(TOKEN), "the full token leaked: {message}");
    }
}
