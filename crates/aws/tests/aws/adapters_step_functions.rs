//! The Step Functions workflow: starting executions against the emulator; task reports on a
//! mocked client, since moto accepts any token and records nothing.

use gradual_aws::step_functions::StepFunctionsWorkflow;
use gradual_core::ports::{Workflow, WorkflowError};
use gradual_emulator::{unique_name, Emulator, ACCOUNT_ID};
use serde_json::json;

const WAITING_DEFINITION: &str =
    r#"{"StartAt":"Bake","States":{"Bake":{"Type":"Wait","Seconds":3600,"End":true}}}"#;

struct Started {
    client: aws_sdk_sfn::Client,
    workflow: StepFunctionsWorkflow,
}

async fn workflow_on_a_new_state_machine() -> Started {
    let config = Emulator::shared().await.sdk_config().await;
    let client = aws_sdk_sfn::Client::new(&config);
    let state_machine_arn = client
        .create_state_machine()
        .name(unique_name("deployment"))
        .definition(WAITING_DEFINITION)
        .role_arn(format!("arn:aws:iam::{ACCOUNT_ID}:role/gradual-workflow"))
        .send()
        .await
        .expect("create state machine")
        .state_machine_arn()
        .to_owned();
    let workflow =
        StepFunctionsWorkflow::new(client.clone(), state_machine_arn).expect("valid ARN");
    Started { client, workflow }
}

#[tokio::test]
async fn start_returns_the_execution_arn_and_the_execution_runs_with_the_input() {
    let Started { client, workflow } = workflow_on_a_new_state_machine().await;
    let input = json!({"deploymentId": "d-EXAMPLE11"});

    let execution_arn = workflow.start("d-EXAMPLE11", &input).await.expect("start");

    assert_eq!(execution_arn, workflow.execution_arn("d-EXAMPLE11"));
    let execution = client
        .describe_execution()
        .execution_arn(&execution_arn)
        .send()
        .await
        .expect("describe execution");
    assert_eq!(execution.state_machine_arn(), workflow.state_machine_arn());
    let sent_input: serde_json::Value =
        serde_json::from_str(execution.input().expect("input")).expect("JSON input");
    assert_eq!(sent_input, input);
}

#[tokio::test]
async fn starting_again_with_the_same_name_and_input_returns_the_same_execution() {
    let Started { workflow, .. } = workflow_on_a_new_state_machine().await;
    let input = json!({"deploymentId": "d-EXAMPLE22"});

    let first = workflow.start("d-EXAMPLE22", &input).await.expect("start");
    let second = workflow
        .start("d-EXAMPLE22", &input)
        .await
        .expect("repeat start");

    assert_eq!(second, first);
}

#[tokio::test]
async fn starting_again_after_the_execution_finished_returns_the_finished_execution() {
    let Started { client, workflow } = workflow_on_a_new_state_machine().await;
    let input = json!({"deploymentId": "d-EXAMPLE33"});
    let first = workflow.start("d-EXAMPLE33", &input).await.expect("start");
    // A finished execution is what makes Step Functions answer ExecutionAlreadyExists.
    client
        .stop_execution()
        .execution_arn(&first)
        .send()
        .await
        .expect("stop execution");

    let again = workflow
        .start("d-EXAMPLE33", &input)
        .await
        .expect("a repeat after the end is harmless");

    assert_eq!(again, first);
}

#[tokio::test]
async fn starting_again_with_the_same_name_and_another_input_is_refused() {
    let Started { workflow, .. } = workflow_on_a_new_state_machine().await;
    let first = workflow
        .start("d-EXAMPLE44", &json!({"deploymentId": "d-EXAMPLE44"}))
        .await
        .expect("start");

    let error = workflow
        .start("d-EXAMPLE44", &json!({"deploymentId": "d-OTHER"}))
        .await
        .expect_err("another input under the same name must be refused");

    assert!(
        matches!(&error, WorkflowError::Backend(message) if message.contains(&first)),
        "{error:?}"
    );
}

#[tokio::test]
async fn starting_on_a_missing_state_machine_names_it() {
    let config = Emulator::shared().await.sdk_config().await;
    let state_machine_arn = format!(
        "arn:aws:states:us-east-1:{ACCOUNT_ID}:stateMachine:{}",
        unique_name("missing")
    );
    let workflow =
        StepFunctionsWorkflow::new(aws_sdk_sfn::Client::new(&config), &state_machine_arn)
            .expect("valid ARN");

    let error = workflow
        .start("d-EXAMPLE55", &json!({}))
        .await
        .expect_err("a missing state machine cannot run");

    assert!(
        matches!(&error, WorkflowError::Backend(message) if message.contains(&state_machine_arn)),
        "{error:?}"
    );
}

#[test]
fn a_workflow_refuses_an_arn_that_is_not_a_state_machine() {
    let config = aws_sdk_sfn::Config::builder()
        .behavior_version(aws_sdk_sfn::config::BehaviorVersion::latest())
        .build();
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:deploy";

    let error = StepFunctionsWorkflow::new(aws_sdk_sfn::Client::from_conf(config), arn)
        .expect_err("a function ARN is no state machine");

    assert_eq!(error.arn, arn);
    assert!(error.to_string().contains(arn), "{error}");
}
