//! Creating a deployment: the deployment, its group's active slot (listed in the group index
//! under [`keys::ACTIVE_INDEX_PARTITION`]), its history counter and its request token, in one
//! transaction whose cancellation says which rule stopped it.

use super::expression::{absent, Placeholders};
use super::failure::already_exists;
use super::item::{required_deployment_id, required_text, text, Item, DEPLOYMENT_ID};
use super::keys;
use super::store::DynamoDbStore;
use super::transaction::Cancelled;
use gradual_core::deployment::Deployment;
use gradual_core::ports::{Creation, Entity, IdempotencyKey, StoreError};

/// The token item's record of the request that used it.
pub(super) const FINGERPRINT: &str = "fingerprint";
/// The history counter's last number handed out.
pub(super) const LAST_SEQUENCE: &str = "lastSequence";

// Positions of the writes in the transaction.
const DEPLOYMENT_WRITE: usize = 0;
const SLOT_WRITE: usize = 1;
const TOKEN_WRITE: usize = 3;

impl DynamoDbStore {
    /// Why the transaction was cancelled: a repeat of the request that created a deployment
    /// (`AlreadyCreated`), or the rule it broke. The token comes first: a retried request
    /// whose deployment still holds the slot is a repeat, not a second deployment.
    pub(super) async fn refused(
        &self,
        deployment: &Deployment,
        idempotency: Option<&IdempotencyKey>,
        cancelled: &Cancelled,
    ) -> Result<Creation, StoreError> {
        if let Some(key) = idempotency.filter(|_| cancelled.failed(TOKEN_WRITE)) {
            let token = self.token_item(key, cancelled.found(TOKEN_WRITE)).await?;
            let first = required_deployment_id(&token)?;
            return if required_text(&token, FINGERPRINT)? == key.fingerprint {
                Ok(Creation::AlreadyCreated(first))
            } else {
                Err(StoreError::TokenReused {
                    token: key.token.clone(),
                    deployment_id: first,
                })
            };
        }
        if cancelled.failed(SLOT_WRITE) {
            let active = cancelled
                .found(SLOT_WRITE)
                .map(required_deployment_id)
                .transpose()?;
            return Err(StoreError::ActiveDeploymentExists {
                group: deployment.group_key(),
                active,
            });
        }
        debug_assert!(cancelled.failed(DEPLOYMENT_WRITE));
        Err(already_exists(Entity::Deployment, deployment.id.as_str()))
    }

    /// The token item as the cancelled write found it, or as it is now (tokens are never
    /// deleted, so reading it after the fact finds the same item).
    async fn token_item(
        &self,
        key: &IdempotencyKey,
        found: Option<&Item>,
    ) -> Result<Item, StoreError> {
        if let Some(item) = found {
            return Ok(item.clone());
        }
        self.read(&keys::token(&key.token)).await?.ok_or_else(|| {
            StoreError::Backend(format!(
                "clientRequestToken {:?} was refused as taken but has no item",
                key.token
            ))
        })
    }
}

/// The slot must be free, or held by the deployment this one rolls back.
pub(super) fn slot_condition(deployment: &Deployment) -> (String, Placeholders) {
    match &deployment.rollback_info.rollback_triggering_deployment_id {
        None => (absent(), Placeholders::new()),
        Some(rolled_back) => (
            format!("{} OR #holder = :rolledBack", absent()),
            Placeholders::new()
                .name("#holder", DEPLOYMENT_ID)
                .value(":rolledBack", text(rolled_back.as_str())),
        ),
    }
}
