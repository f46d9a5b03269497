//! Registering applications, groups and trigger topics in the local world, and starting and
//! awaiting deployments the way a client of gradual would.

use super::LocalWorld;
use gradual_asl::{ExecError, ExecutionOutcome, FunctionError};
use gradual_aws::sns::notifications::{drain_notifications, subscribe_queue, ReceivedNotification};
use gradual_core::ports::StoreError;
use gradual_core::{Application, DeploymentGroup, DeploymentId};
use gradual_emulator::unique_name;
use gradual_handlers::create_deployment::{CreateDeploymentRequest, CreateDeploymentResponse};
use gradual_handlers::Function;

/// An SNS topic with an SQS queue subscribed to it, to read back what gradual publishes.
pub struct TriggerTopic {
    pub topic_arn: String,
    pub queue_url: String,
}

impl LocalWorld {
    /// Registers the group, and its application unless it exists.
    pub async fn register_group(&self, group: &DeploymentGroup) -> Result<(), StoreError> {
        let application = Application {
            application_name: group.application_name.clone(),
            compute_platform: group.compute_platform,
            create_time: self.clock.now(),
        };
        match self.store_port().create_application(&application).await {
            Ok(()) | Err(StoreError::AlreadyExists { .. }) => {}
            Err(error) => return Err(error),
        }
        self.store_port().create_deployment_group(group).await
    }

    /// A new topic with a queue subscribed to it.
    pub async fn trigger_topic(&self) -> TriggerTopic {
        let sns = aws_sdk_sns::Client::new(&self.sdk);
        let sqs = aws_sdk_sqs::Client::new(&self.sdk);
        let topic_arn = sns
            .create_topic()
            .name(unique_name("deployments"))
            .send()
            .await
            .expect("create a topic")
            .topic_arn
            .expect("a topic ARN");
        let queue_url = subscribe_queue(&sns, &sqs, &topic_arn)
            .await
            .expect("subscribe a queue to the topic");
        TriggerTopic {
            topic_arn,
            queue_url,
        }
    }

    /// Everything published to the topic since the last read, oldest first.
    pub async fn notifications(&self, topic: &TriggerTopic) -> Vec<ReceivedNotification> {
        drain_notifications(&aws_sdk_sqs::Client::new(&self.sdk), &topic.queue_url)
            .await
            .expect("read the notifications")
    }

    /// Asks create-deployment for a deployment, as the CLI would.
    pub async fn deploy(
        &self,
        request: &CreateDeploymentRequest,
    ) -> Result<DeploymentId, FunctionError> {
        let payload = serde_json::to_value(request).expect("a request is plain data");
        let response = self.call(Function::CreateDeployment, payload).await?;
        let response: CreateDeploymentResponse =
            serde_json::from_value(response).expect("create-deployment answers with an id");
        Ok(response.deployment_id)
    }

    /// Waits until the deployment's workflow ends.
    pub async fn wait_for(&self, id: &DeploymentId) -> Result<ExecutionOutcome, ExecError> {
        let outcome = self
            .executor
            .wait_for_completion(&self.execution_arn(id.as_str()))
            .await?;
        // An execution that did not succeed is reconciled as it ends.
        self.reconciliations.settled().await;
        Ok(outcome)
    }

    /// A deployment as stored; it must exist.
    pub async fn deployment(&self, id: &DeploymentId) -> gradual_core::Deployment {
        self.store_port()
            .get_deployment(id)
            .await
            .expect("read the deployment")
            .unwrap_or_else(|| panic!("deployment {id} is not stored"))
    }

    fn store_port(&self) -> &dyn gradual_core::ports::DeploymentStore {
        self.store.as_ref()
    }
}
