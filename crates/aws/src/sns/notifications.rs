//! Reading back what was published: an SQS queue subscribed to a topic, drained into
//! [`ReceivedNotification`]s. End-to-end tests and the demo use it to see the trigger messages
//! gradual sends.

use super::EVENT_NAME_ATTRIBUTE;
use aws_sdk_sqs::types::QueueAttributeName;
use serde::Deserialize;
use std::collections::HashMap;
use thiserror::Error;

/// SQS caps queue names at 80 characters.
const QUEUE_NAME_LIMIT: usize = 80;
const QUEUE_NAME_SUFFIX: &str = "-notifications";
/// The most messages one `ReceiveMessage` may return.
const RECEIVE_BATCH: i32 = 10;

/// One notification as a subscriber receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedNotification {
    /// Absent when the publisher sent no subject.
    pub subject: Option<String>,
    pub message: String,
    /// The `eventName` message attribute, absent when the publisher did not set it.
    pub event_name: Option<String>,
}

#[derive(Debug, Error)]
pub enum NotificationQueueError {
    #[error("could not create the notification queue {queue_name}: {reason}")]
    CreateQueue { queue_name: String, reason: String },
    #[error("could not read the ARN of queue {queue_url}: {reason}")]
    QueueArn { queue_url: String, reason: String },
    #[error("could not subscribe queue {queue_arn} to topic {topic_arn}: {reason}")]
    Subscribe {
        topic_arn: String,
        queue_arn: String,
        reason: String,
    },
    #[error("could not receive messages from queue {queue_url}: {reason}")]
    Receive { queue_url: String, reason: String },
    #[error("message {message_id} on queue {queue_url} is not an SNS notification: {reason}")]
    NotANotification {
        queue_url: String,
        message_id: String,
        reason: String,
    },
    #[error("could not delete message {message_id} from queue {queue_url}: {reason}")]
    Delete {
        queue_url: String,
        message_id: String,
        reason: String,
    },
}

/// Creates a queue named after the topic, lets the topic send to it, subscribes it (as an
/// envelope, not raw delivery) and returns the queue URL.
pub async fn subscribe_queue(
    sns: &aws_sdk_sns::Client,
    sqs: &aws_sdk_sqs::Client,
    topic_arn: &str,
) -> Result<String, NotificationQueueError> {
    let queue_name = queue_name_for(topic_arn);
    let queue_url = sqs
        .create_queue()
        .queue_name(&queue_name)
        .send()
        .await
        .map_err(|error| NotificationQueueError::CreateQueue {
            queue_name: queue_name.clone(),
            reason: reason(&error),
        })?
        .queue_url()
        .map(str::to_owned)
        .ok_or_else(|| NotificationQueueError::CreateQueue {
            queue_name: queue_name.clone(),
            reason: "the answer held no queue URL".to_owned(),
        })?;
    let queue_arn = queue_arn(sqs, &queue_url).await?;
    // Real SQS refuses deliveries from SNS unless the queue's policy allows this topic.
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": queue_arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}},
        }],
    });
    sqs.set_queue_attributes()
        .queue_url(&queue_url)
        .attributes(QueueAttributeName::Policy, policy.to_string())
        .send()
        .await
        .map_err(|error| NotificationQueueError::Subscribe {
            topic_arn: topic_arn.to_owned(),
            queue_arn: queue_arn.clone(),
            reason: format!("could not set the queue policy: {}", reason(&error)),
        })?;
    sns.subscribe()
        .topic_arn(topic_arn)
        .protocol("sqs")
        .endpoint(&queue_arn)
        .send()
        .await
        .map_err(|error| NotificationQueueError::Subscribe {
            topic_arn: topic_arn.to_owned(),
            queue_arn: queue_arn.clone(),
            reason: reason(&error),
        })?;
    Ok(queue_url)
}

/// Receives every message waiting on the queue, in the order the queue hands them out, and
/// deletes each once read. Returns when the queue answers with no message.
pub async fn drain_notifications(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
) -> Result<Vec<ReceivedNotification>, NotificationQueueError> {
    let mut received = Vec::new();
    loop {
        // No long polling: the emulator answers one request at a time, and a waiting receive
        // would hold up everyone else.
        let batch = sqs
            .receive_message()
            .queue_url(queue_url)
            .max_number_of_messages(RECEIVE_BATCH)
            .wait_time_seconds(0)
            .send()
            .await
            .map_err(|error| NotificationQueueError::Receive {
                queue_url: queue_url.to_owned(),
                reason: reason(&error),
            })?;
        let messages = batch.messages();
        if messages.is_empty() {
            return Ok(received);
        }
        for message in messages {
            let message_id = message.message_id().unwrap_or("(no id)");
            received.push(parse_envelope(queue_url, message_id, message.body())?);
            delete(sqs, queue_url, message_id, message.receipt_handle()).await?;
        }
    }
}

/// The JSON envelope SNS wraps around a message it delivers to SQS.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Envelope {
    #[serde(rename = "Type")]
    kind: String,
    subject: Option<String>,
    message: String,
    #[serde(default)]
    message_attributes: HashMap<String, EnvelopeAttribute>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EnvelopeAttribute {
    value: String,
}

fn parse_envelope(
    queue_url: &str,
    message_id: &str,
    body: Option<&str>,
) -> Result<ReceivedNotification, NotificationQueueError> {
    let not_a_notification = |reason: String| NotificationQueueError::NotANotification {
        queue_url: queue_url.to_owned(),
        message_id: message_id.to_owned(),
        reason,
    };
    let body = body.ok_or_else(|| not_a_notification("it has no body".to_owned()))?;
    let mut envelope: Envelope = serde_json::from_str(body)
        .map_err(|error| not_a_notification(format!("its body is not an SNS envelope: {error}")))?;
    if envelope.kind != "Notification" {
        return Err(not_a_notification(format!(
            "its envelope is of type {:?}, not \"Notification\"",
            envelope.kind
        )));
    }
    Ok(ReceivedNotification {
        subject: envelope.subject,
        message: envelope.message,
        event_name: envelope
            .message_attributes
            .remove(EVENT_NAME_ATTRIBUTE)
            .map(|attribute| attribute.value),
    })
}

async fn queue_arn(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
) -> Result<String, NotificationQueueError> {
    let failure = |reason: String| NotificationQueueError::QueueArn {
        queue_url: queue_url.to_owned(),
        reason,
    };
    let attributes = sqs
        .get_queue_attributes()
        .queue_url(queue_url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .map_err(|error| failure(reason(&error)))?;
    attributes
        .attributes()
        .and_then(|attributes| attributes.get(&QueueAttributeName::QueueArn))
        .cloned()
        .ok_or_else(|| failure("the answer held no QueueArn attribute".to_owned()))
}

async fn delete(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    message_id: &str,
    receipt_handle: Option<&str>,
) -> Result<(), NotificationQueueError> {
    let failure = |reason: String| NotificationQueueError::Delete {
        queue_url: queue_url.to_owned(),
        message_id: message_id.to_owned(),
        reason,
    };
    let receipt_handle =
        receipt_handle.ok_or_else(|| failure("it came with no receipt handle".to_owned()))?;
    sqs.delete_message()
        .queue_url(queue_url)
        .receipt_handle(receipt_handle)
        .send()
        .await
        .map_err(|error| failure(reason(&error)))?;
    Ok(())
}

/// `<topic name>-notifications`, with the topic name shortened to fit SQS's limit.
fn queue_name_for(topic_arn: &str) -> String {
    let topic_name = topic_arn.rsplit(':').next().unwrap_or(topic_arn);
    let room = QUEUE_NAME_LIMIT - QUEUE_NAME_SUFFIX.len();
    let kept: String = topic_name.chars().take(room).collect();
    format!("{kept}{QUEUE_NAME_SUFFIX}")
}

fn reason(error: &(dyn std::error::Error + 'static)) -> String {
    aws_sdk_sqs::error::DisplayErrorContext(error).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_name_is_the_topic_name_with_a_suffix() {
        assert_eq!(
            queue_name_for("arn:aws:sns:us-east-1:123456789012:triggers"),
            "triggers-notifications"
        );
    }

    #[test]
    fn queue_name_of_a_long_topic_fits_sqs_limit() {
        let topic_arn = format!("arn:aws:sns:us-east-1:123456789012:{}", "t".repeat(256));
        let name = queue_name_for(&topic_arn);
        assert_eq!(name.len(), QUEUE_NAME_LIMIT);
        assert!(name.ends_with(QUEUE_NAME_SUFFIX), "{name}");
    }

    #[test]
    fn envelope_without_subject_or_attributes_reads_as_none() {
        let body =
            r#"{"Type":"Notification","Message":"hello","TopicArn":"arn:aws:sns:us-east-1:1:t"}"#;
        let received = parse_envelope("queue", "m-1", Some(body)).unwrap();
        assert_eq!(
            received,
            ReceivedNotification {
                subject: None,
                message: "hello".to_owned(),
                event_name: None,
            }
        );
    }

    #[test]
    fn subscription_confirmation_is_not_a_notification() {
        let body = r#"{"Type":"SubscriptionConfirmation","Message":"confirm"}"#;
        let error = parse_envelope("queue-url", "m-2", Some(body)).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("m-2") && text.contains("queue-url"), "{text}");
        assert!(text.contains("SubscriptionConfirmation"), "{text}");
    }
}
