//! How the table reports the service's own failures. The rules of applications, deployment
//! groups and custom configs are checked by `store_contract`.

use super::support::fresh_table;
use gradual_core::ports::ApplicationStore;
use gradual_core::ports::StoreError;

#[tokio::test]
async fn service_failures_name_the_operation_the_table_and_the_services_reason() {
    let table = fresh_table().await;
    let missing = table.store_on("gradual-no-such-table");
    let error = missing.get_application("shop").await.unwrap_err();
    let StoreError::Backend(message) = error else {
        panic!("not a backend error: {error:?}");
    };
    assert!(
        message.starts_with("GetItem APP#shop/APP on table gradual-no-such-table failed: "),
        "{message}"
    );
    assert!(message.contains("ResourceNotFoundException"), "{message}");
}
