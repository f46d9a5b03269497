//! The `gradual` command line, driven through its library entry point: offline commands, bad
//! input, the Lambda gateway on a mocked client, and whole deployments on the local stack.

mod input;
mod lambda_gateway;
mod lambda_group;
mod local_deployments;
mod local_registration;
mod plan;
mod support;
