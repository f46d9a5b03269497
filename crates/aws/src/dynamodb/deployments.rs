//! [`DeploymentRecords`] on the table: creating a deployment (see [`super::creation`] for its
//! transaction), reading it, moving its status (see [`super::status`]), and the changes that
//! need no status check.

use super::creation::{slot_condition, FINGERPRINT, LAST_SEQUENCE};
use super::deployment_item::{self, decode, ROLLBACK_DEPLOYMENT_ID, ROLLBACK_MESSAGE, TRAFFIC};
use super::expression::{absent, present, Placeholders};
use super::failure::not_found;
use super::item::{json, number, text, DEPLOYMENT_ID};
use super::keys;
use super::schema::{GROUP_INDEX_PARTITION_KEY, GROUP_INDEX_SORT_KEY};
use super::status::StatusWrite;
use super::store::DynamoDbStore;
use async_trait::async_trait;
use gradual_core::deployment::{Deployment, DeploymentId, TrafficProgress};
use gradual_core::ports::{
    Creation, DeploymentRecords, DeploymentSignals, Entity, IdempotencyKey, StatusChange,
    StatusUpdate, StoreError,
};

impl DynamoDbStore {
    async fn update_existing_deployment(
        &self,
        id: &DeploymentId,
        update: &str,
        placeholders: &Placeholders,
    ) -> Result<(), StoreError> {
        let updated = self
            .update_if(&keys::deployment(id), update, present(), placeholders)
            .await?;
        match updated {
            Some(_) => Ok(()),
            None => Err(not_found(Entity::Deployment, id.as_str())),
        }
    }
}

#[async_trait]
impl DeploymentRecords for DynamoDbStore {
    async fn create_deployment(
        &self,
        deployment: &Deployment,
        idempotency: Option<&IdempotencyKey>,
    ) -> Result<Creation, StoreError> {
        let id = &deployment.id;
        let none = Placeholders::new();
        let slot = keys::active_slot(
            &deployment.application_name,
            &deployment.deployment_group_name,
        );
        let (slot_condition, slot_placeholders) = slot_condition(deployment);
        let mut writes = vec![
            self.put_write(deployment_item::encode(deployment)?, Some(absent()), &none)?,
            self.put_write(
                slot.with([
                    (DEPLOYMENT_ID, text(id.as_str())),
                    (
                        GROUP_INDEX_PARTITION_KEY,
                        text(keys::ACTIVE_INDEX_PARTITION),
                    ),
                    (
                        GROUP_INDEX_SORT_KEY,
                        text(keys::active_index_sort(
                            &deployment.application_name,
                            &deployment.deployment_group_name,
                            id,
                        )),
                    ),
                ]),
                Some(slot_condition),
                &slot_placeholders,
            )?,
            self.put_write(
                keys::history_sequence(id).with([(LAST_SEQUENCE, number(0))]),
                None,
                &none,
            )?,
        ];
        if let Some(key) = idempotency {
            let token = keys::token(&key.token).with([
                (FINGERPRINT, text(&key.fingerprint)),
                (DEPLOYMENT_ID, text(id.as_str())),
            ]);
            writes.push(self.put_write(token, Some(absent()), &none)?);
        }
        let operation = format!(
            "creating deployment {id} in group {}",
            deployment.group_key()
        );
        match self.transact(&operation, writes).await? {
            Ok(()) => Ok(Creation::Created(id.clone())),
            Err(cancelled) => self.refused(deployment, idempotency, &cancelled).await,
        }
    }

    async fn get_deployment(&self, id: &DeploymentId) -> Result<Option<Deployment>, StoreError> {
        match self.read(&keys::deployment(id)).await? {
            Some(item) => Ok(Some(decode(&item)?)),
            None => Ok(None),
        }
    }

    async fn change_status(
        &self,
        id: &DeploymentId,
        change: &StatusChange,
    ) -> Result<StatusUpdate, StoreError> {
        change.check_transition(id)?;
        let update = StatusWrite::new(change)?;
        let applied = if change.next.is_terminal() {
            self.end(id, change, &update).await?
        } else {
            self.update_if(
                &keys::deployment(id),
                &update.expression,
                update.condition.clone(),
                &update.placeholders,
            )
            .await?
            .map(|item| decode(&item))
            .transpose()?
        };
        match applied {
            Some(deployment) => Ok(StatusUpdate {
                deployment,
                changed: true,
            }),
            None => {
                let current = self.existing_deployment(id).await?;
                if current.status == change.expected && change.refused_after_a_stop() {
                    let stop = self.stop_request(id).await?;
                    change.check_not_stopped(id, current.status, stop.as_ref())?;
                }
                change.not_applied(current)
            }
        }
    }

    async fn set_traffic(
        &self,
        id: &DeploymentId,
        traffic: &TrafficProgress,
    ) -> Result<(), StoreError> {
        let placeholders = Placeholders::new()
            .name("#traffic", TRAFFIC)
            .value(":traffic", json(traffic)?);
        self.update_existing_deployment(id, "SET #traffic = :traffic", &placeholders)
            .await
    }

    /// Records on `rolled_back` the deployment that rolled it back, and why.
    async fn link_rollback(
        &self,
        rolled_back: &DeploymentId,
        rollback: &DeploymentId,
        message: &str,
    ) -> Result<(), StoreError> {
        let placeholders = Placeholders::new()
            .name("#rollback", ROLLBACK_DEPLOYMENT_ID)
            .name("#message", ROLLBACK_MESSAGE)
            .value(":rollback", text(rollback.as_str()))
            .value(":message", text(message));
        self.update_existing_deployment(
            rolled_back,
            "SET #rollback = :rollback, #message = :message",
            &placeholders,
        )
        .await
    }
}
