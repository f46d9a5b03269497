//! Transactions: all-or-nothing writes, and which condition stopped one that was cancelled.

use super::expression::Placeholders;
use super::failure::{backend, unbuildable};
use super::item::{Item, ItemKey};
use super::store::DynamoDbStore;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    CancellationReason, ConditionCheck, Delete, Put, ReturnValuesOnConditionCheckFailure,
    TransactWriteItem, Update,
};
use gradual_core::ports::StoreError;
use std::time::Duration;

/// A transaction that DynamoDB cancelled because conditions did not hold.
#[derive(Debug)]
pub(super) struct Cancelled {
    reasons: Vec<CancellationReason>,
}

impl Cancelled {
    /// Whether the condition of the `index`-th write failed.
    pub(super) fn failed(&self, index: usize) -> bool {
        self.code(index) == Some(CONDITION_FAILED)
    }

    /// The item the `index`-th write found when its condition failed, if it existed.
    pub(super) fn found(&self, index: usize) -> Option<&Item> {
        self.reasons.get(index)?.item()
    }

    fn code(&self, index: usize) -> Option<&str> {
        self.reasons.get(index)?.code()
    }

    fn any(&self, code: &str) -> bool {
        (0..self.reasons.len()).any(|index| self.code(index) == Some(code))
    }
}

const CONDITION_FAILED: &str = "ConditionalCheckFailed";
/// Another transaction was writing one of the items, or the table was throttled: try again.
const TRANSIENT: [&str; 2] = ["TransactionConflict", "ThrottlingError"];
const ATTEMPTS: u32 = 8;
const FIRST_BACKOFF: Duration = Duration::from_millis(20);

/// The settings every write of a transaction shares, on any of the SDK's write builders
/// (they have the same setters but no common trait): the table, the condition and its
/// placeholders, and the item returned when the condition fails.
macro_rules! guarded {
    ($builder:expr, $store:expr, $condition:expr, $placeholders:expr) => {
        $builder
            .table_name(&$store.table)
            .set_condition_expression($condition)
            .set_expression_attribute_names($placeholders.names())
            .set_expression_attribute_values($placeholders.values())
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
    };
}

impl DynamoDbStore {
    /// Runs `writes` as one transaction: `Ok(Ok(()))` when it committed, `Ok(Err(_))` when
    /// a condition failed. Conflicts with concurrent transactions are retried.
    pub(super) async fn transact(
        &self,
        operation: &str,
        writes: Vec<TransactWriteItem>,
    ) -> Result<Result<(), Cancelled>, StoreError> {
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            let result = self
                .client
                .transact_write_items()
                .set_transact_items(Some(writes.clone()))
                .send()
                .await;
            let error = match result {
                Ok(_) => return Ok(Ok(())),
                Err(error) => error,
            };
            let cancelled = match error.as_service_error() {
                Some(TransactWriteItemsError::TransactionCanceledException(exception)) => {
                    Cancelled {
                        reasons: exception.cancellation_reasons().to_vec(),
                    }
                }
                _ => return Err(backend(operation, &self.table, error)),
            };
            if cancelled.any(CONDITION_FAILED) {
                return Ok(Err(cancelled));
            }
            let transient = TRANSIENT.iter().any(|code| cancelled.any(code));
            if !transient || attempt == ATTEMPTS {
                return Err(backend(operation, &self.table, error));
            }
            tokio::time::sleep(backoff).await;
            backoff *= 2;
            attempt += 1;
        }
    }

    /// Puts `item`, if `condition` (when given) holds.
    pub(super) fn put_write(
        &self,
        item: Item,
        condition: Option<String>,
        placeholders: &Placeholders,
    ) -> Result<TransactWriteItem, StoreError> {
        let put = guarded!(Put::builder(), self, condition, placeholders)
            .set_item(Some(item))
            .build()
            .map_err(|error| unbuildable("transactional Put", error))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// Applies `update` to the item at `key`, if `condition` holds.
    pub(super) fn update_write(
        &self,
        key: &ItemKey,
        update: &str,
        condition: String,
        placeholders: &Placeholders,
    ) -> Result<TransactWriteItem, StoreError> {
        let update = guarded!(Update::builder(), self, Some(condition), placeholders)
            .set_key(Some(key.attributes()))
            .update_expression(update)
            .build()
            .map_err(|error| unbuildable("transactional Update", error))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// Deletes the item at `key`, if `condition` holds.
    pub(super) fn delete_write(
        &self,
        key: &ItemKey,
        condition: String,
        placeholders: &Placeholders,
    ) -> Result<TransactWriteItem, StoreError> {
        let delete = guarded!(Delete::builder(), self, Some(condition), placeholders)
            .set_key(Some(key.attributes()))
            .build()
            .map_err(|error| unbuildable("transactional Delete", error))?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    /// Writes nothing, but cancels the transaction unless `condition` holds for `key`.
    pub(super) fn check_write(
        &self,
        key: &ItemKey,
        condition: String,
        placeholders: &Placeholders,
    ) -> Result<TransactWriteItem, StoreError> {
        let check = guarded!(
            ConditionCheck::builder(),
            self,
            Some(condition),
            placeholders
        )
        .set_key(Some(key.attributes()))
        .build()
        .map_err(|error| unbuildable("transactional ConditionCheck", error))?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }
}
