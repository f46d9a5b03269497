//! `run-hook`: invokes a lifecycle event's hook function with CodeDeploy's payload; the workflow
//! waits until `hook-callback` hands it the hook's report.

use gradual_core::ports::SystemClock;
use gradual_handlers::run_hook::RunHook;
use gradual_runtime::{
    aws_config, hook_invoker, init_logging, serve, state_store, workflow, Error,
};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    init_logging();
    let config = aws_config().await;
    let store = state_store(&config)?;
    serve(RunHook {
        store: store.clone(),
        signals: store.clone(),
        executions: store,
        invoker: hook_invoker(&config),
        workflow: workflow(&config)?,
        clock: Arc::new(SystemClock),
    })
    .await
}
