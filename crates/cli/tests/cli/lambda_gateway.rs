//! The gateway to a deployed stack, on a mocked Lambda client: the invoke it sends and how
//! each answer is read. (The emulator only echoes invokes, so it cannot show either.)

use aws_sdk_lambda::operation::invoke::{InvokeError, InvokeOutput};
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::error::{ResourceNotFoundException, TooManyRequestsException};
use aws_sdk_lambda::types::InvocationType;
use aws_sdk_lambda::Client;
use aws_smithy_mocks::{mock, mock_client, Rule};
use gradual_cli::gateway::aws::LambdaGateway;
use gradual_cli::{Function, Gateway, GatewayError};
use serde_json::json;

fn gateway(rule: &Rule) -> LambdaGateway {
    LambdaGateway::new(mock_client!(aws_sdk_lambda, [rule]), "shop-gradual-")
}

fn answer(function_error: Option<&str>, payload: &str) -> InvokeOutput {
    let mut output = InvokeOutput::builder()
        .status_code(200)
        .payload(Blob::new(payload.as_bytes().to_vec()));
    if let Some(kind) = function_error {
        output = output.function_error(kind);
    }
    output.build()
}

#[tokio::test]
async fn a_request_is_a_synchronous_invoke_of_the_prefixed_function() {
    let rule = mock!(Client::invoke)
        .match_requests(|request| {
            let payload = request
                .payload()
                .and_then(|blob| serde_json::from_slice::<serde_json::Value>(blob.as_ref()).ok());
            request.function_name() == Some("shop-gradual-get-deployment")
                && request.invocation_type() == Some(&InvocationType::RequestResponse)
                && payload == Some(json!({"deploymentId": "d-A1B2C3D4E"}))
        })
        .then_output(|| answer(None, r#"{"deployments": []}"#));

    let answered = gateway(&rule)
        .invoke(
            Function::GetDeployment,
            json!({"deploymentId": "d-A1B2C3D4E"}),
        )
        .await
        .expect("the request matches");

    assert_eq!(answered, json!({"deployments": []}));
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn a_function_error_is_the_functions_error_type_and_message() {
    let rule = mock!(Client::invoke).then_output(|| {
        answer(
            Some("Unhandled"),
            r#"{"errorType": "DEPLOYMENT_GROUP_MISSING", "errorMessage": "deploymentGroupName: deployment group \"web\" of application \"shop\" does not exist"}"#,
        )
    });

    let error = gateway(&rule)
        .invoke(Function::CreateDeployment, json!({}))
        .await
        .expect_err("the function refused");

    assert_eq!(
        error,
        GatewayError::Refused {
            function: "shop-gradual-create-deployment".to_owned(),
            error_type: "DEPLOYMENT_GROUP_MISSING".to_owned(),
            message: "deploymentGroupName: deployment group \"web\" of application \"shop\" does not exist".to_owned(),
        }
    );
    assert_eq!(
        error.to_string(),
        "shop-gradual-create-deployment refused the request: DEPLOYMENT_GROUP_MISSING: deploymentGroupName: deployment group \"web\" of application \"shop\" does not exist"
    );
}

#[tokio::test]
async fn a_function_error_without_the_runtimes_shape_keeps_the_raw_payload() {
    let rule = mock!(Client::invoke).then_output(|| answer(Some("Unhandled"), "Task timed out"));

    let error = gateway(&rule)
        .invoke(Function::StopDeployment, json!({}))
        .await
        .expect_err("the function failed");

    assert_eq!(
        error,
        GatewayError::Refused {
            function: "shop-gradual-stop-deployment".to_owned(),
            error_type: "Unhandled".to_owned(),
            message: "Task timed out".to_owned(),
        }
    );
}

#[tokio::test]
async fn a_missing_function_names_it_and_the_prefix_to_check() {
    let rule = mock!(Client::invoke).then_error(|| {
        InvokeError::ResourceNotFoundException(
            ResourceNotFoundException::builder()
                .message("Function not found")
                .build(),
        )
    });

    let error = gateway(&rule)
        .invoke(Function::Register, json!({}))
        .await
        .expect_err("no such function");

    let GatewayError::Missing { function, .. } = &error else {
        panic!("expected Missing, got {error:?}");
    };
    assert_eq!(function, "shop-gradual-register");
    assert!(
        error.to_string().contains("GRADUAL_FUNCTION_PREFIX"),
        "{error}"
    );
}

#[tokio::test]
async fn any_other_service_error_is_unreachable_with_the_services_reason() {
    let rule = mock!(Client::invoke).then_error(|| {
        InvokeError::TooManyRequestsException(
            TooManyRequestsException::builder()
                .message("Rate exceeded")
                .build(),
        )
    });

    let error = gateway(&rule)
        .invoke(Function::GetDeployment, json!({}))
        .await
        .expect_err("throttled");

    let GatewayError::Unreachable { function, detail } = &error else {
        panic!("expected Unreachable, got {error:?}");
    };
    assert_eq!(function, "shop-gradual-get-deployment");
    assert!(detail.contains("Rate exceeded"), "{detail}");
}

#[tokio::test]
async fn an_answer_that_is_not_json_is_reported() {
    let rule = mock!(Client::invoke).then_output(|| answer(None, "<html>"));

    let error = gateway(&rule)
        .invoke(Function::GetDeployment, json!({}))
        .await
        .expect_err("not JSON");

    assert!(
        matches!(&error, GatewayError::Unreachable { detail, .. } if detail.contains("not JSON")),
        "{error:?}"
    );
}
