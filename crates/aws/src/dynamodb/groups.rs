//! Deployment groups: created under an existing application, deleted only when idle.

use super::applications::GROUP_COUNT;
use super::expression::{absent, present, Placeholders};
use super::failure::{already_exists, not_found};
use super::item::{
    json, number, required_deployment_id, required_text, text, Item, ItemError, DOCUMENT,
};
use super::keys::{self, GROUP_PREFIX};
use super::schema::{GROUP_INDEX_PARTITION_KEY, GROUP_INDEX_SORT_KEY, SORT_KEY};
use super::store::DynamoDbStore;
use async_trait::async_trait;
use gradual_core::deployment::group_key;
use gradual_core::group::DeploymentGroup;
use gradual_core::ports::{Entity, GroupStore, StoreError};

#[async_trait]
impl GroupStore for DynamoDbStore {
    /// Stores the group and counts it on its application, which must exist.
    async fn create_deployment_group(&self, group: &DeploymentGroup) -> Result<(), StoreError> {
        let (application, name) = (&group.application_name, &group.deployment_group_name);
        let writes = vec![
            self.update_write(
                &keys::application(application),
                "SET #groups = #groups + :one",
                present(),
                &group_count(),
            )?,
            self.put_write(group_item(group)?, Some(absent()), &Placeholders::new())?,
        ];
        let operation = format!("creating deployment group {}", group_key(application, name));
        match self.transact(&operation, writes).await? {
            Ok(()) => Ok(()),
            Err(cancelled) if cancelled.failed(0) => {
                Err(not_found(Entity::Application, application))
            }
            Err(_) => Err(already_exists(
                Entity::DeploymentGroup,
                group_key(application, name),
            )),
        }
    }

    async fn update_deployment_group(&self, group: &DeploymentGroup) -> Result<(), StoreError> {
        if self.put_if(group_item(group)?, present()).await? {
            Ok(())
        } else {
            let key = group_key(&group.application_name, &group.deployment_group_name);
            Err(not_found(Entity::DeploymentGroup, key))
        }
    }

    async fn get_deployment_group(
        &self,
        application: &str,
        name: &str,
    ) -> Result<Option<DeploymentGroup>, StoreError> {
        self.read_document(&keys::group(application, name)).await
    }

    /// The application's group names, in order.
    async fn list_deployment_groups(&self, application: &str) -> Result<Vec<String>, StoreError> {
        let partition = keys::application_partition(application);
        let items = self.query_prefix(&partition, GROUP_PREFIX).await?;
        let names = items
            .iter()
            .map(|item| {
                let sort = required_text(item, SORT_KEY)?;
                Ok(sort.strip_prefix(GROUP_PREFIX).unwrap_or(sort).to_owned())
            })
            .collect::<Result<_, ItemError>>()?;
        Ok(names)
    }

    /// Deletes the group unless a deployment holds its active slot, and uncounts it.
    async fn delete_deployment_group(
        &self,
        application: &str,
        name: &str,
    ) -> Result<(), StoreError> {
        let none = Placeholders::new();
        let writes = vec![
            self.delete_write(&keys::group(application, name), present(), &none)?,
            self.update_write(
                &keys::application(application),
                "SET #groups = #groups - :one",
                present(),
                &group_count(),
            )?,
            self.check_write(&keys::active_slot(application, name), absent(), &none)?,
        ];
        let key = group_key(application, name);
        match self
            .transact(&format!("deleting deployment group {key}"), writes)
            .await?
        {
            Ok(()) => Ok(()),
            Err(cancelled) if cancelled.failed(0) => Err(not_found(Entity::DeploymentGroup, key)),
            Err(cancelled) if cancelled.failed(2) => {
                let user = match cancelled.found(2) {
                    Some(slot) => format!("active deployment {}", required_deployment_id(slot)?),
                    None => "an active deployment".to_owned(),
                };
                Err(StoreError::InUse {
                    entity: Entity::DeploymentGroup,
                    name: key,
                    user,
                })
            }
            Err(_) => Err(not_found(Entity::Application, application)),
        }
    }
}

/// The group, listed in the index under its config, so that a config's users are found
/// without reading the table.
fn group_item(group: &DeploymentGroup) -> Result<Item, StoreError> {
    let (application, name) = (&group.application_name, &group.deployment_group_name);
    Ok(keys::group(application, name).with([
        (DOCUMENT, json(group)?),
        (
            GROUP_INDEX_PARTITION_KEY,
            text(keys::config_index_partition(&group.deployment_config_name)),
        ),
        (GROUP_INDEX_SORT_KEY, text(group_key(application, name))),
    ]))
}

/// Placeholders for adding or removing one from the application's group count.
fn group_count() -> Placeholders {
    Placeholders::new()
        .name("#groups", GROUP_COUNT)
        .value(":one", number(1))
}
