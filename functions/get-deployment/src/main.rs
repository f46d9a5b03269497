//! `get-deployment`: a deployment with its history, or the deployments of a group.

use gradual_handlers::get_deployment::GetDeployment;
use gradual_runtime::{aws_config, init_logging, serve, state_store, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    init_logging();
    let config = aws_config().await;
    serve(GetDeployment {
        store: state_store(&config)?,
    })
    .await
}
