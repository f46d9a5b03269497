//! A fresh table on the shared emulator for each test, and ways to look at what it holds.

use aws_sdk_dynamodb::types::{AttributeValue, Select};
use aws_sdk_dynamodb::Client;
use gradual_aws::dynamodb::schema::{PARTITION_KEY, SORT_KEY};
use gradual_aws::dynamodb::{create_table, DynamoDbStore};
use gradual_core::deployment::DeploymentId;
use gradual_core::fixtures;
use gradual_core::group::DeploymentGroup;
use gradual_core::ports::ApplicationStore;
use gradual_core::ports::DeploymentIndex;
use gradual_core::ports::DeploymentRecords;
use gradual_core::ports::GroupStore;
use gradual_emulator::{unique_name, Emulator};
use std::collections::HashMap;

/// An item as DynamoDB holds it.
pub type RawItem = HashMap<String, AttributeValue>;

pub struct Table {
    pub store: DynamoDbStore,
    client: Client,
}

/// A store on a new, empty table.
pub async fn fresh_table() -> Table {
    let emulator = Emulator::shared().await;
    let client = Client::new(&emulator.sdk_config().await);
    let name = unique_name("gradual-store");
    create_table(&client, &name)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    Table {
        store: DynamoDbStore::new(client.clone(), name),
        client,
    }
}

impl Table {
    /// A store on another table, reached through the same client.
    pub fn store_on(&self, table: &str) -> DynamoDbStore {
        DynamoDbStore::new(self.client.clone(), table)
    }

    /// Every item of the table, whatever its kind: to show that a refused write wrote nothing.
    pub async fn item_count(&self) -> usize {
        let pages = self
            .client
            .scan()
            .table_name(self.store.table())
            .select(Select::Count)
            .consistent_read(true)
            .into_paginator()
            .send()
            .try_collect()
            .await
            .expect("scan the table");
        pages.iter().map(|page| page.count() as usize).sum()
    }

    /// The item with this key as stored, read strongly past the store.
    pub async fn raw_item(&self, partition: &str, sort: &str) -> Option<RawItem> {
        self.client
            .get_item()
            .table_name(self.store.table())
            .key(PARTITION_KEY, AttributeValue::S(partition.to_owned()))
            .key(SORT_KEY, AttributeValue::S(sort.to_owned()))
            .consistent_read(true)
            .send()
            .await
            .expect("get the item")
            .item
    }

    /// The deployment's item as stored.
    pub async fn raw_deployment(&self, id: &DeploymentId) -> RawItem {
        self.raw_item(&format!("DEPLOYMENT#{id}"), "DEPLOYMENT")
            .await
            .unwrap_or_else(|| panic!("deployment {id} has no item"))
    }

    /// A new deployment, created in group `group` of application `shop`.
    pub async fn created_deployment(&self, group: &str) -> DeploymentId {
        let group = self.registered_group("shop", group).await;
        let deployment = fixtures::lambda_deployment(&group);
        self.store
            .create_deployment(&deployment, None)
            .await
            .expect("create the deployment");
        deployment.id
    }

    /// Every deployment of the group, newest first, through the listing.
    pub async fn deployments_of(&self, group: &DeploymentGroup) -> Vec<DeploymentId> {
        let mut ids = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .store
                .list_deployments(
                    &group.application_name,
                    &group.deployment_group_name,
                    100,
                    token.as_deref(),
                )
                .await
                .expect("list deployments");
            ids.extend(page.items);
            match page.next_token {
                Some(next) => token = Some(next),
                None => return ids,
            }
        }
    }

    /// Registers the group, and its application unless it exists.
    pub async fn registered_group(&self, application: &str, group: &str) -> DeploymentGroup {
        let registered = self.store.get_application(application).await;
        if registered.expect("read the application").is_none() {
            self.store
                .create_application(&fixtures::lambda_application(application))
                .await
                .expect("create the application");
        }
        let group = fixtures::lambda_group(application, group);
        self.store
            .create_deployment_group(&group)
            .await
            .expect("create the group");
        group
    }
}
