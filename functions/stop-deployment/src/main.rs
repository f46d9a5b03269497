//! `stop-deployment`: stops a running deployment at once, as CodeDeploy's StopDeployment, with
//! or without rolling traffic back.

use gradual_handlers::stop_deployment::StopDeployment;
use gradual_handlers::Function;
use gradual_lambda::{run, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(Function::StopDeployment, StopDeployment::from_ports).await
}
