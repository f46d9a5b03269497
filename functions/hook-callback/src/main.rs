//! `hook-callback`: takes a hook's `Succeeded` or `Failed` report, as CodeDeploy's
//! PutLifecycleEventHookExecutionStatus does, and resumes the waiting workflow.

use gradual_core::ports::SystemClock;
use gradual_handlers::hook_callback::HookCallback;
use gradual_runtime::{aws_config, init_logging, serve, state_store, workflow, Error};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    init_logging();
    let config = aws_config().await;
    let store = state_store(&config)?;
    serve(HookCallback {
        store: store.clone(),
        executions: store,
        workflow: workflow(&config)?,
        clock: Arc::new(SystemClock),
    })
    .await
}
