//! `record-status`: records a deployment's start, success, failure or rollback and publishes
//! its SNS triggers.

use gradual_core::ports::SystemClock;
use gradual_handlers::record_status::RecordStatus;
use gradual_runtime::{aws_config, init_logging, notifier, origin, serve, state_store, Error};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    init_logging();
    let config = aws_config().await;
    let store = state_store(&config)?;
    serve(RecordStatus {
        store: store.clone(),
        signals: store,
        notifier: notifier(&config),
        clock: Arc::new(SystemClock),
        origin: origin(&config)?,
    })
    .await
}
