//! The state store's contract (`gradual_core::ports::store_contract`) on DynamoDB: every check
//! of the suite that `MemoryStore` also runs, each on a fresh table of the local emulator.

use crate::store_dynamodb::support::fresh_table;
use gradual_core::ports::store_contract;

macro_rules! on_fresh_tables {
    ($($check:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $check() {
                let table = fresh_table().await;
                store_contract::$check(&table.store).await;
            }
        )*
    };
}

gradual_core::store_contract_checks!(on_fresh_tables);
