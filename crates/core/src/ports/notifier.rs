//! The notifier port: publishes trigger messages to SNS topics.

use async_trait::async_trait;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("could not publish to {topic_arn}: {reason}")]
pub struct NotifyError {
    pub topic_arn: String,
    pub reason: String,
}

/// One message for one topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub topic_arn: String,
    pub subject: String,
    /// The message body (CodeDeploy's JSON trigger message).
    pub message: String,
    /// The trigger event name, sent as the `eventName` message attribute so that subscribers
    /// can filter on it.
    pub event_name: String,
}

#[async_trait]
pub trait Notifier: Send + Sync {
    async fn publish(&self, notification: &Notification) -> Result<(), NotifyError>;
}
