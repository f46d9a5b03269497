//! What every gradual Lambda `main` shares: JSON logs that carry the deployment id, the AWS
//! configuration and the settings from the environment, the adapters and router factories the
//! handlers are built from, and running a handler under the Lambda runtime with its errors typed
//! for the workflow's Retry and Catch rules. A `main` only picks the pieces of its handler.

pub mod adapters;
pub mod routers;
pub mod settings;

pub use adapters::{
    alarm_source, hook_invoker, notifier, pipeline_reporter, shift_traffic, state_store, workflow,
};
pub use lambda_runtime::Error;
pub use routers::{AliasRouters, ListenerRouters};
pub use settings::{env, origin, SetupError};

use gradual_handlers::{handle_json, Handler};
use lambda_runtime::{service_fn, Diagnostic, LambdaEvent};
use serde_json::Value;
use std::sync::Arc;
use tracing::Instrument;

/// JSON logs, one object per line, with the invocation's span fields (deployment id, request id).
/// `RUST_LOG` adjusts the level (default `info`).
pub fn init_logging() {
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .with_target(false)
        .without_time()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
}

/// The AWS configuration from the function's environment (region, credentials).
pub async fn aws_config() -> aws_config::SdkConfig {
    aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await
}

/// Serves `handler` until the Lambda runtime stops.
pub async fn serve<H: Handler + 'static>(handler: H) -> Result<(), Error> {
    let handler = Arc::new(handler);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let handler = Arc::clone(&handler);
        async move {
            let span = tracing::info_span!(
                "invocation",
                deployment_id = deployment_id_of(&event.payload),
                request_id = %event.context.request_id,
            );
            handle_json(handler.as_ref(), event.payload)
                .instrument(span)
                .await
                .map_err(|error| Diagnostic {
                    error_type: error.error_type().to_owned(),
                    error_message: error.to_string(),
                })
        }
    }))
    .await
}

/// The deployment an invocation is about, for the logs: `deploymentId` (gradual's own requests)
/// or `DeploymentId` (CodeDeploy-shaped hook payloads).
fn deployment_id_of(payload: &Value) -> &str {
    ["deploymentId", "DeploymentId"]
        .iter()
        .find_map(|field| payload.get(field).and_then(Value::as_str))
        .unwrap_or("-")
}
