//! A history record whose PutItem was applied and whose answer was lost: the SDK sends the
//! write again, DynamoDB refuses it (the key exists), and the store must tell its own write
//! from another's; when every answer is lost, the record read back tells. The emulator cannot
//! lose an answer, so DynamoDB is mocked.

use aws_sdk_dynamodb::operation::get_item::GetItemOutput;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemOutput;
use aws_sdk_dynamodb::types::error::ConditionalCheckFailedException;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};
use gradual_aws::dynamodb::DynamoDbStore;
use gradual_core::history::{HistoryEntry, HistoryRecord};
use gradual_core::ports::HistoryStore;
use gradual_core::{DeploymentId, TriggerEvent};
use std::collections::HashMap;
use time::OffsetDateTime;

/// The history counter, handing out `sequence`.
fn counter(sequence: u64) -> Rule {
    mock!(Client::update_item).then_output(move || {
        UpdateItemOutput::builder()
            .attributes("lastSequence", AttributeValue::N(sequence.to_string()))
            .build()
    })
}

fn numbered(number: u64) -> HashMap<String, AttributeValue> {
    HashMap::from([("sequence".to_owned(), AttributeValue::N(number.to_string()))])
}

async fn record_with(rules: &[&Rule]) -> Result<bool, String> {
    let client = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, rules);
    let record = HistoryRecord {
        key: "trigger:DeploymentSuccess:everything".to_owned(),
        at: OffsetDateTime::UNIX_EPOCH,
        entry: HistoryEntry::Trigger {
            event: TriggerEvent::DeploymentSuccess,
            trigger_name: "everything".to_owned(),
        },
    };
    let id: DeploymentId = "d-ABCDEFGHI".parse().unwrap();
    DynamoDbStore::new(client, "gradual")
        .record_history(&id, &record)
        .await
        .map_err(|error| error.to_string())
}

/// The call takes number `sequence`; the PutItem is refused, the record there numbered `found`.
async fn record_finding(sequence: u64, found: u64) -> Result<bool, String> {
    let refused = mock!(Client::put_item).then_error(move || {
        PutItemError::ConditionalCheckFailedException(
            ConditionalCheckFailedException::builder()
                .message("The conditional request failed")
                .set_item(Some(numbered(found)))
                .build(),
        )
    });
    record_with(&[&counter(sequence), &refused]).await
}

/// Every answer of the PutItem lost (a 500 each time); the record read back afterwards is
/// numbered `found`, or absent.
async fn record_losing_every_answer(sequence: u64, found: Option<u64>) -> Result<bool, String> {
    let lost = mock!(Client::put_item).then_http_response(|| {
        aws_smithy_runtime_api::http::Response::new(
            aws_smithy_runtime_api::http::StatusCode::try_from(500).unwrap(),
            aws_sdk_lambda::primitives::SdkBody::from(r#"{"__type":"InternalServerError"}"#),
        )
    });
    let read = mock!(Client::get_item).then_output(move || {
        GetItemOutput::builder()
            .set_item(found.map(numbered))
            .build()
    });
    record_with(&[&counter(sequence), &lost, &read]).await
}

#[tokio::test]
async fn a_refusal_of_the_record_this_call_wrote_is_its_own_lost_answer() {
    assert_eq!(record_finding(7, 7).await, Ok(true), "written");
}

#[tokio::test]
async fn a_refusal_of_a_record_another_call_wrote_is_a_repeat() {
    assert_eq!(record_finding(7, 3).await, Ok(false), "not written again");
}

#[tokio::test]
async fn a_write_whose_every_answer_was_lost_is_read_back() {
    assert_eq!(record_losing_every_answer(7, Some(7)).await, Ok(true));
    let error = record_losing_every_answer(7, None).await.unwrap_err();
    assert!(error.contains("PutItem"), "{error}");
    let error = record_losing_every_answer(7, Some(3)).await.unwrap_err();
    assert!(
        error.contains("PutItem"),
        "another call's record is no proof: {error}"
    );
}
