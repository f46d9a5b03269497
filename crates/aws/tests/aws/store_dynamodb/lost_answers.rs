//! A history record whose PutItem was applied and whose answer was lost: the SDK sends the
//! write again, DynamoDB refuses it (the key exists), and the store must tell its own write
//! from another's. The emulator cannot lose an answer, so DynamoDB is mocked.

use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemOutput;
use aws_sdk_dynamodb::types::error::ConditionalCheckFailedException;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use gradual_aws::dynamodb::DynamoDbStore;
use gradual_core::history::{HistoryEntry, HistoryRecord};
use gradual_core::ports::HistoryStore;
use gradual_core::{DeploymentId, TriggerEvent};
use time::OffsetDateTime;

/// The store, its history counter handing out `sequence`, and the record found at the key
/// numbered `found`.
async fn record_finding(sequence: u64, found: u64) -> bool {
    let counter = mock!(Client::update_item).then_output(move || {
        UpdateItemOutput::builder()
            .attributes("lastSequence", AttributeValue::N(sequence.to_string()))
            .build()
    });
    let refused = mock!(Client::put_item).then_error(move || {
        PutItemError::ConditionalCheckFailedException(
            ConditionalCheckFailedException::builder()
                .message("The conditional request failed")
                .item("sequence", AttributeValue::N(found.to_string()))
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&counter, &refused]);
    let store = DynamoDbStore::new(client, "gradual");
    let record = HistoryRecord {
        key: "trigger:DeploymentSuccess:everything".to_owned(),
        at: OffsetDateTime::UNIX_EPOCH,
        entry: HistoryEntry::Trigger {
            event: TriggerEvent::DeploymentSuccess,
            trigger_name: "everything".to_owned(),
        },
    };
    let id: DeploymentId = "d-ABCDEFGHI".parse().unwrap();
    store
        .record_history(&id, &record)
        .await
        .expect("no service error")
}

#[tokio::test]
async fn a_refusal_of_the_record_this_call_wrote_is_its_own_lost_answer() {
    assert!(record_finding(7, 7).await, "the call's own write: written");
}

#[tokio::test]
async fn a_refusal_of_a_record_another_call_wrote_is_a_repeat() {
    assert!(
        !record_finding(7, 3).await,
        "another call's record: not written again"
    );
}
