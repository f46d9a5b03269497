//! Applications: created once, deleted only when they have no deployment groups left.

use super::expression::{absent, present, Placeholders};
use super::failure::{already_exists, backend, not_found};
use super::item::{json, number, required_text, text, Item, ItemError, DOCUMENT};
use super::keys;
use super::schema::{PARTITION_KEY, SORT_KEY};
use super::store::DynamoDbStore;
use async_trait::async_trait;
use gradual_core::group::Application;
use gradual_core::ports::{ApplicationStore, Entity, GroupStore, StoreError};

/// How many deployment groups an application has, kept by the group writes' transactions.
pub(super) const GROUP_COUNT: &str = "groupCount";

#[async_trait]
impl ApplicationStore for DynamoDbStore {
    async fn create_application(&self, application: &Application) -> Result<(), StoreError> {
        let name = &application.application_name;
        let item = keys::application(name)
            .with([(DOCUMENT, json(application)?), (GROUP_COUNT, number(0))]);
        if self.put_if(item, absent()).await? {
            Ok(())
        } else {
            Err(already_exists(Entity::Application, name))
        }
    }

    async fn get_application(&self, name: &str) -> Result<Option<Application>, StoreError> {
        self.read_document(&keys::application(name)).await
    }

    /// Every application's name: a scan of the whole table, keeping application items only.
    async fn list_applications(&self) -> Result<Vec<String>, StoreError> {
        // Every application key has the same sort key and partition prefix.
        let pattern = keys::application("");
        let placeholders = Placeholders::new()
            .name("#partition", PARTITION_KEY)
            .name("#sort", SORT_KEY)
            .value(":application", text(&pattern.sort));
        let items: Vec<Item> = self
            .client
            .scan()
            .table_name(&self.table)
            .filter_expression("#sort = :application")
            .projection_expression("#partition")
            .set_expression_attribute_names(placeholders.names())
            .set_expression_attribute_values(placeholders.values())
            .consistent_read(true)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|error| backend("Scan for applications", &self.table, error))?;
        let names = items
            .iter()
            .map(|item| {
                let partition = required_text(item, PARTITION_KEY)?;
                let name = partition
                    .strip_prefix(&pattern.partition)
                    .unwrap_or(partition);
                Ok(name.to_owned())
            })
            .collect::<Result<_, ItemError>>()?;
        Ok(names)
    }

    async fn delete_application(&self, name: &str) -> Result<(), StoreError> {
        let key = keys::application(name);
        let placeholders = Placeholders::new()
            .name("#groups", GROUP_COUNT)
            .value(":none", number(0));
        let condition = format!("{} AND #groups = :none", present());
        if self.delete_if(&key, condition, &placeholders).await? {
            return Ok(());
        }
        if self.read(&key).await?.is_none() {
            return Err(not_found(Entity::Application, name));
        }
        let groups = self.list_deployment_groups(name).await?;
        Err(StoreError::InUse {
            entity: Entity::Application,
            name: name.to_owned(),
            user: group_list(&groups),
        })
    }
}

/// "deployment group a" or "deployment groups a, b".
fn group_list(names: &[String]) -> String {
    match names {
        [] => "its deployment groups".to_owned(),
        [name] => format!("deployment group {name}"),
        names => format!("deployment groups {}", names.join(", ")),
    }
}
