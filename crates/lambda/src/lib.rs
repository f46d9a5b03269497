//! gradual's functions in Lambda: JSON logs that carry the deployment id, the AWS configuration
//! and the settings from the environment, the ports ([`LambdaPorts`]) each handler is built from,
//! and running a handler under the Lambda runtime with its errors typed for the workflow's Retry
//! and Catch rules. A function's `main` is one call: [`run`] with its [`Function`] and handler.

pub mod ports;
pub mod routers;
pub mod settings;

pub use lambda_runtime::Error;
pub use ports::LambdaPorts;
pub use routers::{AliasRouters, ListenerRouters};
pub use settings::{env, origin, SetupError};

use gradual_handlers::{handle_json, Function, Handler};
use lambda_runtime::{service_fn, Diagnostic, LambdaEvent};
use serde_json::Value;
use std::sync::Arc;
use tracing::Instrument;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// JSON logs, one object per line, with the invocation's span fields (deployment id, request id).
/// The level is the function's `ApplicationLogLevel` (Lambda passes it as `AWS_LAMBDA_LOG_LEVEL`),
/// which `RUST_LOG` overrides; `info` when neither is set. It applies to gradual's own records:
/// the SDK, HTTP and runtime crates log at `info` at most, since their detailed records carry
/// request bodies, task tokens among them. A plain level rather than per-module directives: the
/// filter behind directives links a regex engine into every function.
pub fn init_logging() {
    let (level, unreadable) = log_level(|name| std::env::var(name).ok());
    let json = tracing_subscriber::fmt::layer()
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .with_target(false)
        .without_time();
    tracing_subscriber::registry()
        .with(json)
        .with(record_filter(level))
        .init();
    if let Some((variable, value)) = unreadable {
        tracing::warn!(
            variable,
            value,
            "not a log level (trace, debug, info, warn, error, fatal); logging at info"
        );
    }
}

/// `level` for gradual's crates (their targets start with `gradual`), at most `info` for others.
pub fn record_filter(level: LevelFilter) -> Targets {
    Targets::new()
        .with_target("gradual", level)
        .with_default(level.min(LevelFilter::INFO))
}

/// The level `RUST_LOG`, else `AWS_LAMBDA_LOG_LEVEL`, names; with the variable and value that
/// named none, if one did.
fn log_level(
    var: impl Fn(&'static str) -> Option<String>,
) -> (LevelFilter, Option<(&'static str, String)>) {
    let Some((variable, value)) = ["RUST_LOG", "AWS_LAMBDA_LOG_LEVEL"]
        .into_iter()
        .find_map(|variable| var(variable).map(|value| (variable, value)))
    else {
        return (LevelFilter::INFO, None);
    };
    match value.trim().to_ascii_lowercase().as_str() {
        // Lambda's own names for the levels it offers beside the `tracing` ones.
        "fatal" => (LevelFilter::ERROR, None),
        name => match name.parse::<LevelFilter>() {
            Ok(level) => (level, None),
            Err(_) => (LevelFilter::INFO, Some((variable, value))),
        },
    }
}

/// The AWS configuration from the function's environment (region, credentials).
pub async fn aws_config() -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(gradual_aws::https_client())
        .load()
        .await
}

/// Runs `function` in Lambda: logs, configuration, the handler `build` makes from the function's
/// ports, served until the runtime stops. `build` is the handler's own constructor (rather than
/// [`Function::handler`], which knows every function) so that a function links only the AWS
/// clients its handler uses.
pub async fn run<H, B>(function: Function, build: B) -> Result<(), Error>
where
    H: Handler + 'static,
    B: FnOnce(&LambdaPorts) -> Result<H, SetupError>,
{
    init_logging();
    let ports = LambdaPorts::new(aws_config().await);
    let handler = build(&ports).map_err(|error| {
        tracing::error!(function = function.name(), %error, "the function cannot start");
        error
    })?;
    serve(handler).await
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

#[cfg(test)]
mod tests {
    use super::*;

    fn level_with(variables: &[(&str, &str)]) -> (LevelFilter, Option<(&'static str, String)>) {
        log_level(|name| {
            variables
                .iter()
                .find(|(variable, _)| *variable == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn info_when_nothing_names_a_level() {
        assert_eq!(level_with(&[]), (LevelFilter::INFO, None));
    }

    #[test]
    fn the_function_log_level_is_followed_in_lambda_spelling() {
        assert_eq!(
            level_with(&[("AWS_LAMBDA_LOG_LEVEL", "DEBUG")]).0,
            LevelFilter::DEBUG
        );
        assert_eq!(
            level_with(&[("AWS_LAMBDA_LOG_LEVEL", "FATAL")]).0,
            LevelFilter::ERROR
        );
        assert_eq!(
            level_with(&[("AWS_LAMBDA_LOG_LEVEL", "WARN")]).0,
            LevelFilter::WARN
        );
    }

    #[test]
    fn rust_log_overrides_the_function_log_level() {
        let level = level_with(&[("AWS_LAMBDA_LOG_LEVEL", "ERROR"), ("RUST_LOG", "trace")]);
        assert_eq!(level, (LevelFilter::TRACE, None));
    }

    #[test]
    fn detail_below_info_is_kept_for_gradual_alone() {
        let filter = record_filter(LevelFilter::TRACE);
        assert!(filter.would_enable("gradual_aws::step_functions", &tracing::Level::TRACE));
        assert!(!filter.would_enable("aws_smithy_runtime::client", &tracing::Level::DEBUG));
        assert!(filter.would_enable("aws_smithy_runtime::client", &tracing::Level::INFO));
        let quiet = record_filter(LevelFilter::WARN);
        assert!(!quiet.would_enable("gradual_handlers::bake", &tracing::Level::INFO));
        assert!(!quiet.would_enable("hyper_util::client", &tracing::Level::INFO));
    }

    #[test]
    fn a_value_naming_no_level_is_reported_and_info_kept() {
        let level = level_with(&[("RUST_LOG", "gradual=debug,hyper=warn")]);
        assert_eq!(
            level,
            (
                LevelFilter::INFO,
                Some(("RUST_LOG", "gradual=debug,hyper=warn".to_owned()))
            )
        );
    }
}
