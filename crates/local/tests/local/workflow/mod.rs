//! End-to-end tests of the deployment workflow: the local executor runs
//! `statemachines/deployment.asl.json` with gradual's handlers against the emulator, on virtual
//! time, and every test asserts what the emulator really holds — alias weights read with
//! GetAlias, listener weights with DescribeListeners, items in the table, SNS messages read
//! back from SQS.

pub mod support;

mod configs;
mod hooks;
mod lifecycle;
mod replay;
mod rollback;
mod triggers;
