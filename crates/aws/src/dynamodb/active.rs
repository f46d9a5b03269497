//! The running deployments of every group, from the active slots listed in the group index.

use super::item::required_text;
use super::keys;
use super::schema::{GROUP_INDEX, GROUP_INDEX_SORT_KEY};
use super::store::DynamoDbStore;
use gradual_core::deployment::DeploymentId;
use gradual_core::ports::StoreError;

impl DynamoDbStore {
    pub(super) async fn active_slot_holders(&self) -> Result<Vec<DeploymentId>, StoreError> {
        let mut ids = Vec::new();
        let mut start = None;
        loop {
            let (items, next) = self
                .query_group_index(keys::ACTIVE_INDEX_PARTITION, usize::MAX, start)
                .await?;
            for item in &items {
                let sort = required_text(item, GROUP_INDEX_SORT_KEY)?;
                let id = keys::deployment_of_group_index_sort(sort).ok_or_else(|| {
                    StoreError::Backend(format!(
                        "index {GROUP_INDEX} of table {} lists active slot {sort:?}, which names no deployment",
                        self.table
                    ))
                })?;
                ids.push(id);
            }
            match next {
                Some(next) => start = Some(next),
                None => return Ok(ids),
            }
        }
    }
}
