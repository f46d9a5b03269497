//! `get-deployment`: a deployment with its history, or the deployments of a group.

use gradual_handlers::get_deployment::GetDeployment;
use gradual_handlers::Function;
use gradual_lambda::{run, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(Function::GetDeployment, GetDeployment::from_ports).await
}
