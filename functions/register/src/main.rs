//! `register`: creates, updates, reads and deletes applications, deployment groups and custom
//! deployment configs.

use gradual_core::ports::SystemClock;
use gradual_handlers::registration::Register;
use gradual_runtime::{aws_config, init_logging, serve, state_store, Error};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    init_logging();
    let config = aws_config().await;
    serve(Register {
        store: state_store(&config)?,
        clock: Arc::new(SystemClock),
    })
    .await
}
