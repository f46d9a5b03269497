//! Which stack the commands talk to, as the command line and environment say.

use super::aws::LambdaGateway;
use super::local::{LocalSettings, LocalStack};
use super::{Gateway, GatewayError};
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct StackOptions {
    /// Run against the local stack in this process (the emulator and the local workflow
    /// executor) instead of the deployed stack.
    #[arg(long, global = true)]
    pub local: bool,

    /// With --local: how many times faster than real time the local clock runs (60 turns a
    /// minute of bake time into a second).
    #[arg(long, global = true, default_value_t = 1.0, value_parser = positive_scale)]
    pub time_scale: f64,

    /// With --local: the emulator's table holding the local stack's state.
    #[arg(
        long,
        global = true,
        env = "GRADUAL_LOCAL_TABLE",
        default_value = "gradual-local"
    )]
    pub local_table: String,

    /// The deployed stack's functions are named `<prefix><function>`, e.g.
    /// `gradual-create-deployment` for a stack named `gradual`.
    #[arg(
        long,
        global = true,
        env = "GRADUAL_FUNCTION_PREFIX",
        default_value = "gradual-"
    )]
    pub function_prefix: String,

    /// The AWS region of the deployed stack (default: the standard region chain).
    #[arg(long, global = true)]
    pub region: Option<String>,
}

/// The gateway the options name.
pub async fn connect(options: &StackOptions) -> Result<Box<dyn Gateway>, GatewayError> {
    if options.local {
        let settings = LocalSettings {
            time_scale: options.time_scale,
            table: options.local_table.clone(),
        };
        return Ok(Box::new(LocalStack::shared(&settings).await?));
    }
    Ok(Box::new(
        LambdaGateway::from_environment(&options.function_prefix, options.region.clone()).await,
    ))
}

fn positive_scale(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(scale) if scale.is_finite() && scale > 0.0 => Ok(scale),
        _ => Err(format!("{text:?} is not a positive number")),
    }
}
