//! Adapters of the domain ports, one module per AWS service.

pub mod alb;
pub mod cloudwatch;
pub mod codepipeline;
pub mod dynamodb;
mod https_client;
pub mod lambda_alias;
pub mod lambda_invoke;
mod read_back;
mod sdk_error;
pub mod sns;
pub mod step_functions;

pub use https_client::https_client;
