//! The adapters against the local emulator (and, where the emulator lacks an API, against
//! aws-smithy-mocks), in one test binary: routers, lockstep, the state store, SNS, Step
//! Functions and Lambda invokes.

mod adapters_lambda_invoke;
mod adapters_sns;
mod adapters_step_functions;
mod adapters_step_functions_tasks;
mod common;
mod router_alb;
mod router_lambda_alias;
mod router_lambda_alias_revision;
mod router_lockstep;
mod store_contract;
mod store_dynamodb;
