//! Custom deployment configs, all in one partition so that one query lists them.

use super::expression::{absent, present, Placeholders};
use super::failure::{already_exists, not_found};
use super::item::{json, required_json, required_text, DOCUMENT};
use super::keys::{self, CONFIG_PARTITION, CONFIG_PREFIX};
use super::schema::GROUP_INDEX_SORT_KEY;
use super::store::DynamoDbStore;
use async_trait::async_trait;
use gradual_core::config::DeploymentConfig;
use gradual_core::ports::{ConfigStore, Entity, StoreError};

#[async_trait]
impl ConfigStore for DynamoDbStore {
    async fn create_deployment_config(&self, config: &DeploymentConfig) -> Result<(), StoreError> {
        let item = keys::config(&config.name).with([(DOCUMENT, json(config)?)]);
        if self.put_if(item, absent()).await? {
            Ok(())
        } else {
            Err(already_exists(Entity::DeploymentConfig, &config.name))
        }
    }

    async fn get_deployment_config(
        &self,
        name: &str,
    ) -> Result<Option<DeploymentConfig>, StoreError> {
        self.read_document(&keys::config(name)).await
    }

    /// Every custom config, by name.
    async fn list_deployment_configs(&self) -> Result<Vec<DeploymentConfig>, StoreError> {
        let items = self.query_prefix(CONFIG_PARTITION, CONFIG_PREFIX).await?;
        let configs = items
            .iter()
            .map(|item| required_json(item, DOCUMENT))
            .collect::<Result<_, _>>()?;
        Ok(configs)
    }

    /// The groups the index lists under the config (each group item carries its config).
    async fn groups_using_config(&self, name: &str) -> Result<Vec<String>, StoreError> {
        let entries = self
            .every_index_entry(&keys::config_index_partition(name))
            .await?;
        let mut groups = entries
            .iter()
            .map(|entry| Ok(required_text(entry, GROUP_INDEX_SORT_KEY)?.to_owned()))
            .collect::<Result<Vec<String>, StoreError>>()?;
        groups.sort();
        Ok(groups)
    }

    async fn delete_deployment_config(&self, name: &str) -> Result<(), StoreError> {
        let removed = self
            .delete_if(&keys::config(name), present(), &Placeholders::new())
            .await?;
        if removed {
            Ok(())
        } else {
            Err(not_found(Entity::DeploymentConfig, name))
        }
    }
}
