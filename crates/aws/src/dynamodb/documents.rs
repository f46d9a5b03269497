//! Single-item reads and conditional writes, and prefix queries over one partition.

use super::expression::Placeholders;
use super::failure::{backend, conditional};
use super::item::{describe, required_json, text, Item, ItemKey, DOCUMENT};
use super::schema::{PARTITION_KEY, SORT_KEY};
use super::store::DynamoDbStore;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{ReturnValue, ReturnValuesOnConditionCheckFailure};
use gradual_core::ports::StoreError;
use serde::de::DeserializeOwned;

/// What a conditional update did.
#[derive(Debug)]
pub(super) enum Updated {
    /// The condition held: the item as updated.
    Applied(Item),
    /// The condition did not hold: the item as it was, or `None` if there was none.
    Refused { found: Option<Item> },
}

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
        self.put_if_or_ours(item, condition, |_| false).await
    }

    /// Puts `item` if `condition` holds; false when it did not, unless the item the condition
    /// was checked against is `ours`: an earlier attempt of this very write (the SDK retries a
    /// write whose answer was lost) that already applied it.
    pub(super) async fn put_if_or_ours(
        &self,
        item: Item,
        condition: String,
        ours: impl Fn(&Item) -> bool,
    ) -> Result<bool, StoreError> {
        let operation = format!("PutItem {}", describe(&item));
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(condition)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(error) => match error.as_service_error() {
                Some(PutItemError::ConditionalCheckFailedException(refusal)) => {
                    Ok(refusal.item.as_ref().is_some_and(ours))
                }
                _ => Err(backend(&operation, &self.table, error)),
            },
        }
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
        match self
            .update_checked(key, update, condition, placeholders)
            .await?
        {
            Updated::Applied(item) => Ok(Some(item)),
            Updated::Refused { .. } => Ok(None),
        }
    }

    /// Like [`update_if`](Self::update_if), but a refusal carries the item the condition was
    /// checked against, read in the same request: why it was refused needs no second read.
    pub(super) async fn update_checked(
        &self,
        key: &ItemKey,
        update: &str,
        condition: String,
        placeholders: &Placeholders,
    ) -> Result<Updated, StoreError> {
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
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match result {
            Ok(output) => Ok(Updated::Applied(output.attributes.unwrap_or_default())),
            Err(error) => match error.as_service_error() {
                Some(UpdateItemError::ConditionalCheckFailedException(refusal)) => {
                    Ok(Updated::Refused {
                        found: refusal.item.clone(),
                    })
                }
                _ => Err(backend(&format!("UpdateItem {key}"), &self.table, error)),
            },
        }
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
