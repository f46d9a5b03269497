//! The DynamoDB state store against the local emulator, each test on a table of its own: what
//! the store contract (`store_contract`, run on DynamoDB too) cannot see through the ports (the
//! items written, refused writes leaving the table as it was, the service's own errors), and
//! races run from tasks on several threads.

pub mod support;

mod creation;
mod hook_executions;
mod lost_answers;
mod registry;
mod signals;
