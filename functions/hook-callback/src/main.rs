//! `hook-callback`: takes a hook's `Succeeded` or `Failed` report, as CodeDeploy's
//! PutLifecycleEventHookExecutionStatus does, and resumes the waiting workflow.

use gradual_handlers::hook_callback::HookCallback;
use gradual_handlers::Function;
use gradual_lambda::{run, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(Function::HookCallback, HookCallback::from_ports).await
}
