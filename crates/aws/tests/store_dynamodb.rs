//! The DynamoDB state store against the local emulator, each test on a table of its own.

mod store_dynamodb {
    pub mod support;

    mod creation;
    mod history;
    mod listing;
    mod registry;
    mod status;
}
