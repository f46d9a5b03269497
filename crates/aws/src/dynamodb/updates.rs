//! Reading a deployment and its group's slot, and the changes that need no status check.

use super::deployment_item::{decode, ROLLBACK_DEPLOYMENT_ID, ROLLBACK_MESSAGE, TRAFFIC};
use super::expression::{present, Placeholders};
use super::failure::not_found;
use super::item::{json, required_deployment_id, text};
use super::keys;
use super::store::DynamoDbStore;
use gradual_core::deployment::{Deployment, DeploymentId, TrafficProgress};
use gradual_core::ports::StoreError;

impl DynamoDbStore {
    pub(super) async fn read_deployment(
        &self,
        id: &DeploymentId,
    ) -> Result<Option<Deployment>, StoreError> {
        match self.read(&keys::deployment(id)).await? {
            Some(item) => Ok(Some(decode(&item)?)),
            None => Ok(None),
        }
    }

    pub(super) async fn read_active_slot(
        &self,
        application: &str,
        group: &str,
    ) -> Result<Option<DeploymentId>, StoreError> {
        match self.read(&keys::active_slot(application, group)).await? {
            Some(slot) => Ok(Some(required_deployment_id(&slot)?)),
            None => Ok(None),
        }
    }

    pub(super) async fn update_traffic(
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
    pub(super) async fn update_rollback_link(
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
            None => Err(not_found("deployment", id.as_str())),
        }
    }
}
