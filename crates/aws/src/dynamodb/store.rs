//! [`DynamoDbStore`]: the [`DeploymentStore`], [`DeploymentSignals`] and
//! [`HookExecutionStore`] ports on one DynamoDB table. Each group of operations lives in its
//! own module; this one only routes the ports' calls to them.

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use gradual_core::config::DeploymentConfig;
use gradual_core::deployment::{Deployment, DeploymentId, TrafficProgress};
use gradual_core::group::{Application, DeploymentGroup};
use gradual_core::history::HistoryRecord;
use gradual_core::lifecycle::LifecycleEvent;
use gradual_core::ports::{
    Creation, DeploymentSignals, DeploymentStore, HookExecution, HookExecutionStatus,
    HookExecutionStore, IdempotencyKey, Page, StatusChange, StatusUpdate, StopOutcome, StopRequest,
    StoreError,
};

/// The state store on the table `table` (created by SAM, or by
/// [`create_table`](super::create_table) offline).
#[derive(Debug, Clone)]
pub struct DynamoDbStore {
    pub(super) client: Client,
    pub(super) table: String,
}

impl DynamoDbStore {
    pub fn new(client: Client, table: impl Into<String>) -> DynamoDbStore {
        DynamoDbStore {
            client,
            table: table.into(),
        }
    }

    /// The table's name.
    pub fn table(&self) -> &str {
        &self.table
    }
}

#[async_trait]
impl DeploymentStore for DynamoDbStore {
    async fn create_application(&self, application: &Application) -> Result<(), StoreError> {
        self.put_application(application).await
    }

    async fn get_application(&self, name: &str) -> Result<Option<Application>, StoreError> {
        self.read_application(name).await
    }

    async fn list_applications(&self) -> Result<Vec<String>, StoreError> {
        self.application_names().await
    }

    async fn delete_application(&self, name: &str) -> Result<(), StoreError> {
        self.remove_application(name).await
    }

    async fn create_deployment_group(&self, group: &DeploymentGroup) -> Result<(), StoreError> {
        self.put_new_group(group).await
    }

    async fn update_deployment_group(&self, group: &DeploymentGroup) -> Result<(), StoreError> {
        self.put_existing_group(group).await
    }

    async fn get_deployment_group(
        &self,
        application: &str,
        name: &str,
    ) -> Result<Option<DeploymentGroup>, StoreError> {
        self.read_group(application, name).await
    }

    async fn list_deployment_groups(&self, application: &str) -> Result<Vec<String>, StoreError> {
        self.group_names(application).await
    }

    async fn delete_deployment_group(
        &self,
        application: &str,
        name: &str,
    ) -> Result<(), StoreError> {
        self.remove_group(application, name).await
    }

    async fn create_deployment_config(&self, config: &DeploymentConfig) -> Result<(), StoreError> {
        self.put_config(config).await
    }

    async fn get_deployment_config(
        &self,
        name: &str,
    ) -> Result<Option<DeploymentConfig>, StoreError> {
        self.read_config(name).await
    }

    async fn list_deployment_configs(&self) -> Result<Vec<DeploymentConfig>, StoreError> {
        self.all_configs().await
    }

    async fn delete_deployment_config(&self, name: &str) -> Result<(), StoreError> {
        self.remove_config(name).await
    }

    async fn create_deployment(
        &self,
        deployment: &Deployment,
        idempotency: Option<&IdempotencyKey>,
    ) -> Result<Creation, StoreError> {
        self.put_deployment(deployment, idempotency).await
    }

    async fn get_deployment(&self, id: &DeploymentId) -> Result<Option<Deployment>, StoreError> {
        self.read_deployment(id).await
    }

    async fn change_status(
        &self,
        id: &DeploymentId,
        change: &StatusChange,
    ) -> Result<StatusUpdate, StoreError> {
        self.update_status(id, change).await
    }

    async fn set_traffic(
        &self,
        id: &DeploymentId,
        traffic: &TrafficProgress,
    ) -> Result<(), StoreError> {
        self.update_traffic(id, traffic).await
    }

    async fn link_rollback(
        &self,
        rolled_back: &DeploymentId,
        rollback: &DeploymentId,
        message: &str,
    ) -> Result<(), StoreError> {
        self.update_rollback_link(rolled_back, rollback, message)
            .await
    }

    async fn active_deployment(
        &self,
        application: &str,
        group: &str,
    ) -> Result<Option<DeploymentId>, StoreError> {
        self.read_active_slot(application, group).await
    }

    async fn active_deployments(&self) -> Result<Vec<DeploymentId>, StoreError> {
        self.active_slot_holders().await
    }

    async fn list_deployments(
        &self,
        application: &str,
        group: &str,
        limit: usize,
        next_token: Option<&str>,
    ) -> Result<Page<DeploymentId>, StoreError> {
        self.deployments_page(application, group, limit, next_token)
            .await
    }

    async fn record_history(
        &self,
        id: &DeploymentId,
        record: &HistoryRecord,
    ) -> Result<bool, StoreError> {
        self.put_history_record(id, record).await
    }

    async fn history(&self, id: &DeploymentId) -> Result<Vec<HistoryRecord>, StoreError> {
        self.history_records(id).await
    }
}

#[async_trait]
impl DeploymentSignals for DynamoDbStore {
    async fn register_wait(&self, id: &DeploymentId, task_token: &str) -> Result<(), StoreError> {
        self.put_wait_token(id, task_token).await
    }

    async fn request_stop(
        &self,
        id: &DeploymentId,
        request: &StopRequest,
    ) -> Result<StopOutcome, StoreError> {
        self.put_stop_request(id, request).await
    }

    async fn stop_request(&self, id: &DeploymentId) -> Result<Option<StopRequest>, StoreError> {
        self.read_stop_request(id).await
    }
}

#[async_trait]
impl HookExecutionStore for DynamoDbStore {
    async fn create_hook_execution(&self, execution: &HookExecution) -> Result<(), StoreError> {
        self.put_hook_execution(execution).await
    }

    async fn hook_execution_for(
        &self,
        deployment: &DeploymentId,
        event: LifecycleEvent,
    ) -> Result<Option<HookExecution>, StoreError> {
        self.read_event_hook_execution(deployment, event).await
    }

    async fn get_hook_execution(&self, id: &str) -> Result<Option<HookExecution>, StoreError> {
        self.read_hook_execution(id).await
    }

    async fn replace_hook_task_token(&self, id: &str, task_token: &str) -> Result<(), StoreError> {
        self.update_hook_task_token(id, task_token).await
    }

    async fn complete_hook_execution(
        &self,
        id: &str,
        status: HookExecutionStatus,
    ) -> Result<HookExecution, StoreError> {
        self.finish_hook_execution(id, status).await
    }
}
