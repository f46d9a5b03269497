//! Single-item reads and conditional writes, and prefix queries over one partition.

use super::expression::Placeholders;
use super::failure::{backend, conditional};
use super::item::{describe, required_json, text, Item, ItemKey, DOCUMENT};
use super::schema::{PARTITION_KEY, SORT_KEY};
use super::store::DynamoDbStore;
use aws_sdk_dynamodb::types::ReturnValue;
use gradual_core::ports::StoreError;
use serde::de::DeserializeOwned;

impl DynamoDbStore {
    /// The item at `key`, read strongly.
    pub(super) async fn read(&self, key: &ItemKey) -> Result<Option<Item>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key.attributes()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|error| backend(&format!("GetItem {key}"), &self.table, error))?;
        Ok(output.item)
    }

    /// The JSON document of the item at `key`.
    pub(super) async fn read_document<T: DeserializeOwned>(
        &self,
        key: &ItemKey,
    ) -> Result<Option<T>, StoreError> {
        match self.read(key).await? {
            Some(item) => Ok(Some(required_json(&item, DOCUMENT)?)),
            None => Ok(None),
        }
    }

    /// Puts `item` if `condition` holds; false when it did not.
    pub(super) async fn put_if(&self, item: Item, condition: String) -> Result<bool, StoreError> {
        let operation = format!("PutItem {}", describe(&item));
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(condition)
            .send()
            .await;
        Ok(conditional(result, &operation, &self.table)?.is_some())
    }

    /// Applies `update` to the item at `key` if `condition` holds: the item as updated, or
    /// `None` when the condition did not hold.
    pub(super) async fn update_if(
        &self,
        key: &ItemKey,
        update: &str,
        condition: String,
        placeholders: &Placeholders,
    ) -> Result<Option<Item>, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key.attributes()))
            .update_expression(update)
            .condition_expression(condition)
            .set_expression_attribute_names(placeholders.names())
            .set_expression_attribute_values(placeholders.values())
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        let output = conditional(result, &format!("UpdateItem {key}"), &self.table)?;
        Ok(output.map(|output| output.attributes.unwrap_or_default()))
    }

    /// Deletes the item at `key` if `condition` holds; false when it did not.
    pub(super) async fn delete_if(
        &self,
        key: &ItemKey,
        condition: String,
        placeholders: &Placeholders,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key.attributes()))
            .condition_expression(condition)
            .set_expression_attribute_names(placeholders.names())
            .set_expression_attribute_values(placeholders.values())
            .send()
            .await;
        Ok(conditional(result, &format!("DeleteItem {key}"), &self.table)?.is_some())
    }

    /// Every item of `partition` whose sort key starts with `prefix`, in sort key order,
    /// read strongly, all pages.
    pub(super) async fn query_prefix(
        &self,
        partition: &str,
        prefix: &str,
    ) -> Result<Vec<Item>, StoreError> {
        let placeholders = Placeholders::new()
            .name("#partition", PARTITION_KEY)
            .name("#sort", SORT_KEY)
            .value(":partition", text(partition))
            .value(":prefix", text(prefix));
        self.client
            .query()
            .table_name(&self.table)
            .key_condition_expression("#partition = :partition AND begins_with(#sort, :prefix)")
            .set_expression_attribute_names(placeholders.names())
            .set_expression_attribute_values(placeholders.values())
            .consistent_read(true)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|error| {
                backend(
                    &format!("Query {partition} for sort keys {prefix}…"),
                    &self.table,
                    error,
                )
            })
    }
}
