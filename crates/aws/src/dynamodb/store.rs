//! [`DynamoDbStore`]: the state store's ports on one DynamoDB table. Each port is implemented
//! in the module of its items: [`ApplicationStore`](gradual_core::ports::ApplicationStore) in
//! `applications`, [`GroupStore`](gradual_core::ports::GroupStore) in `groups`,
//! [`ConfigStore`](gradual_core::ports::ConfigStore) in `configs`,
//! [`DeploymentRecords`](gradual_core::ports::DeploymentRecords) in `deployments`,
//! [`DeploymentIndex`](gradual_core::ports::DeploymentIndex) in `listing`,
//! [`HistoryStore`](gradual_core::ports::HistoryStore) in `history`,
//! [`DeploymentSignals`](gradual_core::ports::DeploymentSignals) in `signals` and
//! [`HookExecutionStore`](gradual_core::ports::HookExecutionStore) in `hook_executions`.

use aws_sdk_dynamodb::Client;

/// The state store on the table `table` (created by SAM, or by
/// [`create_table`](super::create_table) offline).
#[derive(Debug, Clone)]
pub struct DynamoDbStore {
    pub(super) client: Client,
    pub(super) table: String,
}

impl DynamoDbStore {
    pub fn new(client: Client, table: impl Into<String>) -> DynamoDbStore {
        DynamoDbStore {
            client,
            table: table.into(),
        }
    }

    /// The table's name.
    pub fn table(&self) -> &str {
        &self.table
    }
}
