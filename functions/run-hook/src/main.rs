//! `run-hook`: invokes a lifecycle event's hook function with CodeDeploy's payload; the workflow
//! waits until `hook-callback` hands it the hook's report.

use gradual_handlers::run_hook::RunHook;
use gradual_handlers::Function;
use gradual_lambda::{run, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(Function::RunHook, RunHook::from_ports).await
}
