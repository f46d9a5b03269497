//! The hook invoker against the emulator. moto answers `Event` invocations with 202 without
//! running any code, which is all an asynchronous invoke observes.

use gradual_aws::lambda_invoke::LambdaHookInvoker;
use gradual_core::ports::{HookInvoker, HookPayload};
use gradual_emulator::{unique_name, Emulator};

/// The smallest valid zip archive: an end-of-central-directory record and nothing else.
/// moto stores the code without running it.
const EMPTY_ZIP: [u8; 22] = [
    0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

fn payload() -> HookPayload {
    HookPayload {
        deployment_id: "d-EXAMPLE11".to_owned(),
        lifecycle_event_hook_execution_id: "hook-execution-1".to_owned(),
    }
}

/// moto only creates a function whose role exists.
async fn create_hook_function(config: &aws_config::SdkConfig) -> String {
    let role_name = unique_name("hook-role");
    let role = Emulator::shared()
        .await
        .fixture(&["role", &role_name])
        .await;
    let role_arn = role["arn"].as_str().expect("a role ARN").to_owned();
    let function_name = unique_name("before-allow-traffic");
    aws_sdk_lambda::Client::new(config)
        .create_function()
        .function_name(&function_name)
        .runtime(aws_sdk_lambda::types::Runtime::Providedal2023)
        .handler("bootstrap")
        .role(role_arn)
        .code(
            aws_sdk_lambda::types::FunctionCode::builder()
                .zip_file(aws_sdk_lambda::primitives::Blob::new(EMPTY_ZIP.to_vec()))
                .build(),
        )
        .send()
        .await
        .expect("create function");
    function_name
}

#[tokio::test]
async fn invoking_an_existing_hook_function_is_accepted() {
    let config = Emulator::shared().await.sdk_config().await;
    let function_name = create_hook_function(&config).await;
    let invoker = LambdaHookInvoker::new(aws_sdk_lambda::Client::new(&config));

    invoker
        .invoke_async(&function_name, &payload())
        .await
        .expect("the Event invocation is accepted");
}

#[tokio::test]
async fn invoking_a_missing_function_names_it() {
    let config = Emulator::shared().await.sdk_config().await;
    let function_name = unique_name("missing-hook");
    let invoker = LambdaHookInvoker::new(aws_sdk_lambda::Client::new(&config));

    let error = invoker
        .invoke_async(&function_name, &payload())
        .await
        .expect_err("a missing function cannot be invoked");

    assert_eq!(error.function_name, function_name);
    assert!(error.to_string().contains(&function_name), "{error}");
    assert!(error.reason.contains("ResourceNotFound"), "{error}");
}

mod request {
    //! What is sent, checked on a mocked client: moto does not show the request.

    use super::payload;
    use aws_sdk_lambda::operation::invoke::InvokeOutput;
    use aws_sdk_lambda::types::InvocationType;
    use aws_sdk_lambda::Client;
    use aws_smithy_mocks::{mock, mock_client};
    use gradual_aws::lambda_invoke::LambdaHookInvoker;
    use gradual_core::ports::HookInvoker;

    #[tokio::test]
    async fn the_hook_is_invoked_as_an_event_with_codedeploys_payload() {
        let invoke = mock!(Client::invoke)
            .match_requests(|request| {
                let payload = request.payload().and_then(|blob| {
                    serde_json::from_slice::<serde_json::Value>(blob.as_ref()).ok()
                });
                request.function_name() == Some("hook")
                    && request.invocation_type() == Some(&InvocationType::Event)
                    && payload
                        == Some(serde_json::json!({
                            "DeploymentId": "d-EXAMPLE11",
                            "LifecycleEventHookExecutionId": "hook-execution-1",
                        }))
            })
            .then_output(|| InvokeOutput::builder().status_code(202).build());
        let invoker = LambdaHookInvoker::new(mock_client!(aws_sdk_lambda, [&invoke]));

        invoker
            .invoke_async("hook", &payload())
            .await
            .expect("the request matches");
        assert_eq!(invoke.num_calls(), 1);
    }

    #[tokio::test]
    async fn an_answer_other_than_accepted_is_an_error_naming_the_function() {
        let invoke =
            mock!(Client::invoke).then_output(|| InvokeOutput::builder().status_code(200).build());
        let invoker = LambdaHookInvoker::new(mock_client!(aws_sdk_lambda, [&invoke]));

        let error = invoker
            .invoke_async("hook", &payload())
            .await
            .expect_err("a synchronous answer is not an accepted event");

        assert_eq!(error.function_name, "hook");
        assert!(error.reason.contains("200"), "{error}");
    }
}
