//! The SNS notifier against the emulator, read back through an SQS subscription.

use gradual_aws::sns::notifications::{
    drain_notifications, subscribe_queue, NotificationQueueError, ReceivedNotification,
};
use gradual_aws::sns::SnsNotifier;
use gradual_core::ports::{Notification, Notifier};
use gradual_emulator::{unique_name, Emulator, ACCOUNT_ID, REGION};

struct Clients {
    sns: aws_sdk_sns::Client,
    sqs: aws_sdk_sqs::Client,
}

async fn clients() -> Clients {
    let config = Emulator::shared().await.sdk_config().await;
    Clients {
        sns: aws_sdk_sns::Client::new(&config),
        sqs: aws_sdk_sqs::Client::new(&config),
    }
}

async fn create_topic(sns: &aws_sdk_sns::Client) -> String {
    sns.create_topic()
        .name(unique_name("triggers"))
        .send()
        .await
        .expect("create topic")
        .topic_arn()
        .expect("topic ARN")
        .to_owned()
}

fn notification(topic_arn: &str, event_name: &str, message: &str) -> Notification {
    Notification {
        topic_arn: topic_arn.to_owned(),
        subject: format!("{event_name}: d-EXAMPLE11"),
        message: message.to_owned(),
        event_name: event_name.to_owned(),
    }
}

fn received(sent: &Notification) -> ReceivedNotification {
    ReceivedNotification {
        subject: Some(sent.subject.clone()),
        message: sent.message.clone(),
        event_name: Some(sent.event_name.clone()),
    }
}

#[tokio::test]
async fn published_notifications_arrive_in_order_with_subject_body_and_event_name() {
    let Clients { sns, sqs } = clients().await;
    let topic_arn = create_topic(&sns).await;
    let queue_url = subscribe_queue(&sns, &sqs, &topic_arn)
        .await
        .expect("subscribe queue");
    let notifier = SnsNotifier::new(sns);
    let start = notification(
        &topic_arn,
        "DeploymentStart",
        r#"{"deploymentId":"d-EXAMPLE11","status":"CREATED"}"#,
    );
    let success = notification(
        &topic_arn,
        "DeploymentSuccess",
        r#"{"deploymentId":"d-EXAMPLE11","status":"SUCCEEDED"}"#,
    );

    notifier.publish(&start).await.expect("publish start");
    notifier.publish(&success).await.expect("publish success");

    let first_read = drain_notifications(&sqs, &queue_url)
        .await
        .expect("drain queue");
    assert_eq!(first_read, vec![received(&start), received(&success)]);
    let second_read = drain_notifications(&sqs, &queue_url)
        .await
        .expect("drain queue again");
    assert_eq!(second_read, vec![], "read messages must be deleted");
}

#[tokio::test]
async fn publishing_to_a_missing_topic_names_the_topic() {
    let Clients { sns, .. } = clients().await;
    let topic_arn = format!(
        "arn:aws:sns:{REGION}:{ACCOUNT_ID}:{}",
        unique_name("never-created")
    );
    let notifier = SnsNotifier::new(sns);

    let error = notifier
        .publish(&notification(&topic_arn, "DeploymentFailure", "{}"))
        .await
        .expect_err("publishing to a missing topic must fail");

    assert_eq!(error.topic_arn, topic_arn);
    assert!(error.to_string().contains(&topic_arn), "{error}");
    assert!(error.reason.contains("NotFound"), "{error}");
}

#[tokio::test]
async fn a_message_that_is_not_an_sns_envelope_is_refused_naming_the_queue() {
    let Clients { sqs, .. } = clients().await;
    let queue_url = sqs
        .create_queue()
        .queue_name(unique_name("raw"))
        .send()
        .await
        .expect("create queue")
        .queue_url()
        .expect("queue URL")
        .to_owned();
    sqs.send_message()
        .queue_url(&queue_url)
        .message_body("plain text, not an envelope")
        .send()
        .await
        .expect("send message");

    let error = drain_notifications(&sqs, &queue_url)
        .await
        .expect_err("a raw message must be refused");

    assert!(
        matches!(&error, NotificationQueueError::NotANotification { queue_url: url, .. } if *url == queue_url),
        "{error:?}"
    );
    assert!(error.to_string().contains(&queue_url), "{error}");
}

#[tokio::test]
async fn publishing_to_a_deleted_topic_fails_with_the_service_s_code_and_message() {
    let Clients { sns, .. } = clients().await;
    let topic_arn = create_topic(&sns).await;
    sns.delete_topic()
        .topic_arn(&topic_arn)
        .send()
        .await
        .expect("delete topic");

    let error = SnsNotifier::new(sns)
        .publish(&notification(&topic_arn, "DeploymentStop", "{}"))
        .await
        .unwrap_err();

    assert_eq!(error.topic_arn, topic_arn);
    // What a person reads in the deployment's history: the code and the message, not the raw
    // HTTP response.
    assert_eq!(error.reason, "NotFound: Endpoint does not exist");
}
