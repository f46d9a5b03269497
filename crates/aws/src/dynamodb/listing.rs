//! [`DeploymentIndex`] on the table: a group's active deployment (its slot), every running
//! deployment (the active slots listed in the group index), and a group's deployments, newest
//! first, a page at a time, from the group index.

use super::expression::Placeholders;
use super::failure::backend;
use super::item::{required_deployment_id, required_text, text, Item};
use super::keys;
use super::page_token::{self, PageStart};
use super::schema::{GROUP_INDEX, GROUP_INDEX_PARTITION_KEY, GROUP_INDEX_SORT_KEY, PARTITION_KEY};
use super::store::DynamoDbStore;
use async_trait::async_trait;
use gradual_core::deployment::DeploymentId;
use gradual_core::ports::{DeploymentIndex, Page, StoreError};

/// The largest page handed out, whatever the caller asks for.
pub const MAX_PAGE: usize = 1000;

#[async_trait]
impl DeploymentIndex for DynamoDbStore {
    async fn active_deployment(
        &self,
        application: &str,
        group: &str,
    ) -> Result<Option<DeploymentId>, StoreError> {
        match self.read(&keys::active_slot(application, group)).await? {
            Some(slot) => Ok(Some(required_deployment_id(&slot)?)),
            None => Ok(None),
        }
    }

    async fn active_deployments(&self) -> Result<Vec<DeploymentId>, StoreError> {
        let entries = self.every_index_entry(keys::ACTIVE_INDEX_PARTITION).await?;
        entries
            .iter()
            .map(|entry| {
                let sort = required_text(entry, GROUP_INDEX_SORT_KEY)?;
                keys::deployment_of_group_index_sort(sort).ok_or_else(|| {
                    StoreError::Backend(format!(
                        "index {GROUP_INDEX} of table {} lists active slot {sort:?}, which names no deployment",
                        self.table
                    ))
                })
            })
            .collect()
    }

    /// Up to `limit` deployments (at least one, at most [`MAX_PAGE`]) after `next_token`. The
    /// page has a token only when more deployments follow it.
    async fn list_deployments(
        &self,
        application: &str,
        group: &str,
        limit: usize,
        next_token: Option<&str>,
    ) -> Result<Page<DeploymentId>, StoreError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let partition = keys::group_index_partition(application, group);
        let mut start = match next_token {
            Some(token) => Some(start_key(
                &partition,
                page_token::decode(token, &partition)
                    .map_err(|error| StoreError::InvalidNextToken { token: error.token })?,
            )),
            None => None,
        };
        // One more than the page, to learn whether another page follows.
        let mut items = Vec::new();
        while items.len() <= limit {
            let (mut batch, next) = self
                .query_group_index(&partition, limit + 1 - items.len(), start)
                .await?;
            items.append(&mut batch);
            start = next;
            if start.is_none() {
                break;
            }
        }
        let more = items.len() > limit;
        items.truncate(limit);
        let next_token = match items.last() {
            Some(last) if more => Some(page_token::encode(
                &partition,
                required_text(last, GROUP_INDEX_SORT_KEY)?,
            )),
            _ => None,
        };
        let ids = items
            .iter()
            .map(|item| {
                let partition = required_text(item, PARTITION_KEY)?;
                keys::deployment_of_partition(partition).ok_or_else(|| {
                    StoreError::Backend(format!(
                        "index {GROUP_INDEX} of table {} lists {partition}, which is not a deployment",
                        self.table
                    ))
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Page {
            items: ids,
            next_token,
        })
    }
}

impl DynamoDbStore {
    /// Every index entry of `partition`, page after page.
    pub(super) async fn every_index_entry(&self, partition: &str) -> Result<Vec<Item>, StoreError> {
        let mut entries = Vec::new();
        let mut start = None;
        loop {
            let (items, next) = self.query_group_index(partition, usize::MAX, start).await?;
            entries.extend(items);
            match next {
                Some(next) => start = Some(next),
                None => return Ok(entries),
            }
        }
    }

    /// Up to `limit` index entries of `partition`, newest first, from `start`; and where the
    /// next query starts, if the index has more.
    pub(super) async fn query_group_index(
        &self,
        partition: &str,
        limit: usize,
        start: Option<Item>,
    ) -> Result<(Vec<Item>, Option<Item>), StoreError> {
        let placeholders = Placeholders::new()
            .name("#group", GROUP_INDEX_PARTITION_KEY)
            .value(":group", text(partition));
        let output = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(GROUP_INDEX)
            .key_condition_expression("#group = :group")
            .set_expression_attribute_names(placeholders.names())
            .set_expression_attribute_values(placeholders.values())
            .scan_index_forward(false)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(|error| {
                backend(
                    &format!("Query {GROUP_INDEX} {partition}"),
                    &self.table,
                    error,
                )
            })?;
        Ok((output.items.unwrap_or_default(), output.last_evaluated_key))
    }
}

/// The index position a page starts after, as DynamoDB's `ExclusiveStartKey`: the index's
/// keys and the table's.
fn start_key(partition: &str, start: PageStart) -> Item {
    let mut key = keys::deployment(&start.deployment).attributes();
    key.insert(GROUP_INDEX_PARTITION_KEY.to_owned(), text(partition));
    key.insert(GROUP_INDEX_SORT_KEY.to_owned(), text(start.sort));
    key
}
