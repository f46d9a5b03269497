//! `create-deployment`: creates and starts a deployment from a direct request, an EventBridge
//! event or a CodePipeline job, and answers the pipeline while the deployment runs.

use gradual_core::ports::SystemClock;
use gradual_handlers::create_deployment::CreateDeployment;
use gradual_handlers::entry_points::DeploymentEntry;
use gradual_runtime::{
    alarm_source, aws_config, init_logging, pipeline_reporter, serve, state_store, workflow, Error,
};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    init_logging();
    let config = aws_config().await;
    serve(DeploymentEntry {
        create: CreateDeployment {
            store: state_store(&config)?,
            workflow: workflow(&config)?,
            clock: Arc::new(SystemClock),
            alarms: alarm_source(&config),
        },
        pipeline: pipeline_reporter(&config),
    })
    .await
}
