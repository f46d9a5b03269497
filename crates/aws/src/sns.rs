//! The SNS adapter of the notifier port: publishes trigger messages to their topics.

pub mod notifications;

use async_trait::async_trait;
use aws_sdk_sns::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_sns::types::MessageAttributeValue;
use gradual_core::ports::{Notification, Notifier, NotifyError};

/// The message attribute that carries the trigger event name, so subscribers can filter on it.
pub const EVENT_NAME_ATTRIBUTE: &str = "eventName";

/// Publishes notifications with SNS `Publish`, each at most once: the SDK does not retry a
/// publication, since SNS cannot tell a retry from a second message when an answer was lost.
/// A failed publication is reported; triggers are best effort.
#[derive(Debug, Clone)]
pub struct SnsNotifier {
    client: aws_sdk_sns::Client,
}

impl SnsNotifier {
    pub fn new(client: aws_sdk_sns::Client) -> Self {
        let config = client
            .config()
            .to_builder()
            .retry_config(aws_sdk_sns::config::retry::RetryConfig::disabled())
            .build();
        Self {
            client: aws_sdk_sns::Client::from_conf(config),
        }
    }
}

#[async_trait]
impl Notifier for SnsNotifier {
    async fn publish(&self, notification: &Notification) -> Result<(), NotifyError> {
        let failure = |reason: String| NotifyError {
            topic_arn: notification.topic_arn.clone(),
            reason,
        };
        let event_name = MessageAttributeValue::builder()
            .data_type("String")
            .string_value(&notification.event_name)
            .build()
            .map_err(|error| {
                failure(format!("invalid {EVENT_NAME_ATTRIBUTE} attribute: {error}"))
            })?;
        let published = self
            .client
            .publish()
            .topic_arn(&notification.topic_arn)
            .subject(&notification.subject)
            .message(&notification.message)
            .message_attributes(EVENT_NAME_ATTRIBUTE, event_name)
            .send()
            .await
            .map_err(|error| failure(reason(&error)))?;
        tracing::debug!(
            topic_arn = %notification.topic_arn,
            event_name = %notification.event_name,
            message_id = published.message_id().unwrap_or_default(),
            "published notification"
        );
        Ok(())
    }
}

/// The service's error code and message ("NotFound: Topic does not exist"), which is what a
/// person needs in a history record; the whole error with its raw response only when the
/// service said nothing (a connection that failed, a timeout).
fn reason<E, R>(error: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match (error.code(), error.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.to_owned(),
        _ => DisplayErrorContext(error).to_string(),
    }
}
