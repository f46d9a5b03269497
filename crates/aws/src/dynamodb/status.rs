//! Conditional status changes: a deployment moves only from the status its caller saw, and
//! its end frees its group's active slot in the same transaction.

use super::deployment_item::{status, COMPLETE_TIME, ERROR_INFORMATION, START_TIME, STATUS};
use super::expression::Placeholders;
use super::failure::not_found;
use super::item::{json, text, timestamp, DEPLOYMENT_ID};
use super::keys;
use super::signals::STOP_REQUEST;
use super::store::DynamoDbStore;
use gradual_core::deployment::{Deployment, DeploymentId, DeploymentStatus};
use gradual_core::ports::{DeploymentRecords, Entity, StatusChange, StoreError};

const STILL_EXPECTED: &str = "#status = :expected";

impl DynamoDbStore {
    /// Applies a terminal status, releasing the slot if this deployment still holds it (a
    /// rollback may have taken it over). `None` when the status was not `expected`.
    pub(super) async fn end(
        &self,
        id: &DeploymentId,
        change: &StatusChange,
        update: &StatusWrite,
    ) -> Result<Option<Deployment>, StoreError> {
        let current = self.existing_deployment(id).await?;
        if current.status != change.expected {
            return Ok(None);
        }
        let key = keys::deployment(id);
        let slot = keys::active_slot(&current.application_name, &current.deployment_group_name);
        let holder = Placeholders::new()
            .name("#holder", DEPLOYMENT_ID)
            .value(":self", text(id.as_str()));
        let writes = vec![
            self.update_write(
                &key,
                &update.expression,
                update.condition.clone(),
                &update.placeholders,
            )?,
            self.delete_write(&slot, "#holder = :self".to_owned(), &holder)?,
        ];
        let operation = format!("ending deployment {id} as {}", change.next);
        match self.transact(&operation, writes).await? {
            Ok(()) => {}
            Err(cancelled) if cancelled.failed(0) => return Ok(None),
            Err(_) => {
                // The slot is not this deployment's any more, and never will be again.
                let updated = self
                    .update_if(
                        &key,
                        &update.expression,
                        update.condition.clone(),
                        &update.placeholders,
                    )
                    .await?;
                if updated.is_none() {
                    return Ok(None);
                }
            }
        }
        self.existing_deployment(id).await.map(Some)
    }

    pub(super) async fn existing_deployment(
        &self,
        id: &DeploymentId,
    ) -> Result<Deployment, StoreError> {
        self.get_deployment(id)
            .await?
            .ok_or_else(|| not_found(Entity::Deployment, id.as_str()))
    }
}

/// The update expression of a status change, its condition (still in the expected status, and
/// no stop recorded when the change must not follow one), and their placeholders.
pub(super) struct StatusWrite {
    pub(super) expression: String,
    pub(super) condition: String,
    pub(super) placeholders: Placeholders,
}

impl StatusWrite {
    pub(super) fn new(change: &StatusChange) -> Result<StatusWrite, StoreError> {
        let mut assignments = vec!["#status = :next"];
        let mut placeholders = Placeholders::new()
            .name("#status", STATUS)
            .value(":expected", status(change.expected))
            .value(":next", status(change.next));
        if let Some(error) = &change.error_information {
            assignments.push("#error = :error");
            placeholders = placeholders
                .name("#error", ERROR_INFORMATION)
                .value(":error", json(error)?);
        }
        let at = timestamp(change.at)?;
        if change.next.is_terminal() {
            assignments.push("#complete = :at");
            placeholders = placeholders
                .name("#complete", COMPLETE_TIME)
                .value(":at", at);
        } else if change.next == DeploymentStatus::InProgress {
            // Baking and Ready return to InProgress: only the first start counts.
            assignments.push("#start = if_not_exists(#start, :at)");
            placeholders = placeholders.name("#start", START_TIME).value(":at", at);
        }
        let mut condition = STILL_EXPECTED.to_owned();
        if change.refused_after_a_stop() {
            condition.push_str(" AND attribute_not_exists(#stop)");
            placeholders = placeholders.name("#stop", STOP_REQUEST);
        }
        Ok(StatusWrite {
            expression: format!("SET {}", assignments.join(", ")),
            condition,
            placeholders,
        })
    }
}
