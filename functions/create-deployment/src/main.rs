//! `create-deployment`: creates and starts a deployment from a direct request, an EventBridge
//! event or a CodePipeline job, and answers the pipeline while the deployment runs.

use gradual_handlers::create_deployment::DeploymentEntry;
use gradual_handlers::Function;
use gradual_lambda::{run, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(Function::CreateDeployment, DeploymentEntry::from_ports).await
}
