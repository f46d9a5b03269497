//! A deployment's history: each record written once under its key, numbered in the order
//! records were written so that equal times keep their order.

use super::creation::LAST_SEQUENCE;
use super::expression::{absent, present, Placeholders};
use super::failure::not_found;
use super::item::{json, number, required_count, required_json, Item, DOCUMENT};
use super::keys::{self, HISTORY_PREFIX};
use super::store::DynamoDbStore;
use async_trait::async_trait;
use gradual_core::deployment::DeploymentId;
use gradual_core::history::HistoryRecord;
use gradual_core::ports::{Entity, HistoryStore, StoreError};

/// A record's place in the order of writing.
const SEQUENCE: &str = "sequence";

#[async_trait]
impl HistoryStore for DynamoDbStore {
    async fn record_history(
        &self,
        id: &DeploymentId,
        record: &HistoryRecord,
    ) -> Result<bool, StoreError> {
        let sequence = self.next_history_number(id).await?;
        let key = keys::history(id, &record.key);
        let item = key
            .clone()
            .with([(SEQUENCE, number(sequence)), (DOCUMENT, json(record)?)]);
        // Each call takes its own number: a record found with ours is this call's own write,
        // whose answer was lost and which the SDK sent again.
        let ours = |found: &Item| {
            found.get(SEQUENCE).and_then(|value| value.as_n().ok()) == Some(&sequence.to_string())
        };
        match self.put_if_or_ours(item, absent(), ours).await {
            // Every answer lost: the record, read back, tells whether the write applied (a
            // claimed trigger must not be left unsent because its claim's answer was lost).
            Err(error) => match self.read(&key).await {
                Ok(Some(found)) if ours(&found) => Ok(true),
                _ => Err(error),
            },
            written => written,
        }
    }

    /// Oldest first: by time, then by order of writing.
    async fn history(&self, id: &DeploymentId) -> Result<Vec<HistoryRecord>, StoreError> {
        let items = self
            .query_prefix(&keys::deployment_partition(id), HISTORY_PREFIX)
            .await?;
        let mut numbered = items
            .iter()
            .map(numbered_record)
            .collect::<Result<Vec<_>, _>>()?;
        numbered
            .sort_by(|(a_number, a), (b_number, b)| a.at.cmp(&b.at).then(a_number.cmp(b_number)));
        Ok(numbered.into_iter().map(|(_, record)| record).collect())
    }
}

impl DynamoDbStore {
    /// Takes the next number from the deployment's counter, which exists from the
    /// deployment's creation on. A repeated record leaves its number unused, which is harmless.
    async fn next_history_number(&self, id: &DeploymentId) -> Result<u64, StoreError> {
        let placeholders = Placeholders::new()
            .name("#last", LAST_SEQUENCE)
            .value(":one", number(1));
        let counter = self
            .update_if(
                &keys::history_sequence(id),
                "ADD #last :one",
                present(),
                &placeholders,
            )
            .await?
            .ok_or_else(|| not_found(Entity::Deployment, id.as_str()))?;
        Ok(required_count(&counter, LAST_SEQUENCE)?)
    }
}

fn numbered_record(item: &Item) -> Result<(u64, HistoryRecord), StoreError> {
    Ok((
        required_count(item, SEQUENCE)?,
        required_json(item, DOCUMENT)?,
    ))
}
