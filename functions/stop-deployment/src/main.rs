//! `stop-deployment`: stops a running deployment at once, as CodeDeploy's StopDeployment, with
//! or without rolling traffic back.

use gradual_core::ports::SystemClock;
use gradual_handlers::stop_deployment::StopDeployment;
use gradual_runtime::{aws_config, init_logging, serve, state_store, workflow, Error};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    init_logging();
    let config = aws_config().await;
    let store = state_store(&config)?;
    serve(StopDeployment {
        store: store.clone(),
        signals: store,
        workflow: workflow(&config)?,
        clock: Arc::new(SystemClock),
    })
    .await
}
