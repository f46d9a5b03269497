//! Lifecycle event hook executions: created once per deployment and event, together with the
//! item that finds them by event, and completed once, while still pending.

use super::deployment_item::STATUS;
use super::documents::Updated;
use super::expression::{absent, present, Placeholders};
use super::failure::{already_exists, not_found};
use super::hook_item::{self, TASK_TOKEN};
use super::item::{text, Item};
use super::keys;
use super::store::DynamoDbStore;
use async_trait::async_trait;
use gradual_core::deployment::DeploymentId;
use gradual_core::lifecycle::LifecycleEvent;
use gradual_core::ports::{
    Entity, HookExecution, HookExecutionStatus, HookExecutionStore, StoreError,
};

// Positions of the writes in the creating transaction.
const EVENT_WRITE: usize = 1;
const DEPLOYMENT_CHECK: usize = 2;

#[async_trait]
impl HookExecutionStore for DynamoDbStore {
    /// Stores the execution and the item naming it under its deployment and event, on
    /// condition that neither exists and the deployment does.
    async fn create_hook_execution(&self, execution: &HookExecution) -> Result<(), StoreError> {
        let (deployment, event) = (&execution.deployment_id, execution.event);
        let none = Placeholders::new();
        let writes = vec![
            self.put_write(hook_item::encode(execution)?, Some(absent()), &none)?,
            self.put_write(hook_item::encode_event(execution), Some(absent()), &none)?,
            self.check_write(&keys::deployment(deployment), present(), &none)?,
        ];
        let operation = format!("creating the {event} hook execution of deployment {deployment}");
        match self.transact(&operation, writes).await? {
            Ok(()) => Ok(()),
            Err(cancelled) if cancelled.failed(DEPLOYMENT_CHECK) => {
                Err(not_found(Entity::Deployment, deployment.as_str()))
            }
            Err(cancelled) if cancelled.failed(EVENT_WRITE) => Err(already_exists(
                Entity::HookExecution,
                format!("{event} of deployment {deployment}"),
            )),
            Err(_) => Err(already_exists(Entity::HookExecution, &execution.id)),
        }
    }

    async fn get_hook_execution(&self, id: &str) -> Result<Option<HookExecution>, StoreError> {
        match self.read(&keys::hook_execution(id)).await? {
            Some(item) => Ok(Some(hook_item::decode(&item)?)),
            None => Ok(None),
        }
    }

    /// The execution of the deployment's event. `None` also when the execution has expired
    /// before the item naming it (time to live deletes them one at a time).
    async fn hook_execution_for(
        &self,
        deployment: &DeploymentId,
        event: LifecycleEvent,
    ) -> Result<Option<HookExecution>, StoreError> {
        match self.read(&keys::event_hook(deployment, event)).await? {
            Some(named) => self.get_hook_execution(hook_item::executed(&named)?).await,
            None => Ok(None),
        }
    }

    async fn replace_hook_task_token(&self, id: &str, task_token: &str) -> Result<(), StoreError> {
        let placeholders = Placeholders::new()
            .name("#token", TASK_TOKEN)
            .value(":token", text(task_token));
        self.update_pending(id, "SET #token = :token", placeholders)
            .await
            .map(|_| ())
    }

    async fn complete_hook_execution(
        &self,
        id: &str,
        status: HookExecutionStatus,
    ) -> Result<HookExecution, StoreError> {
        if status == HookExecutionStatus::Pending {
            return Err(StoreError::Backend(format!(
                "hook execution {} cannot be completed as Pending: only Succeeded or Failed end it",
                gradual_core::secret::shown(id)
            )));
        }
        let placeholders = Placeholders::new().value(":final", hook_item::status(status));
        let item = self
            .update_pending(id, "SET #status = :final", placeholders)
            .await?;
        Ok(hook_item::decode(&item)?)
    }
}

impl DynamoDbStore {
    /// Applies `update` to execution `id` while it is pending: the item as updated.
    async fn update_pending(
        &self,
        id: &str,
        update: &str,
        placeholders: Placeholders,
    ) -> Result<Item, StoreError> {
        let placeholders = placeholders
            .name("#status", STATUS)
            .value(":pending", hook_item::status(HookExecutionStatus::Pending));
        let written = self
            .update_checked(
                &keys::hook_execution(id),
                update,
                "#status = :pending".to_owned(),
                &placeholders,
            )
            .await?;
        match written {
            Updated::Applied(item) => Ok(item),
            Updated::Refused { found: None } => Err(not_found(Entity::HookExecution, id)),
            Updated::Refused { found: Some(item) } => Err(StoreError::HookAlreadyCompleted {
                id: id.to_owned(),
                status: hook_item::stored_status_name(&item)?.to_owned(),
            }),
        }
    }
}
