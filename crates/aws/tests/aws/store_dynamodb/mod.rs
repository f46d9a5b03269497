//! The DynamoDB state store against the local emulator, each test on a table of its own.

pub mod support;

mod active;
mod creation;
mod history;
mod hook_executions;
mod listing;
mod registry;
mod signals;
mod status;
