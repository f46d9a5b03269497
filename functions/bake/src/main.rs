//! `bake`: starts a bake, registering the waiting task so that a stop or an alarm ends it early.

use gradual_core::ports::SystemClock;
use gradual_handlers::bake::Bake;
use gradual_runtime::{aws_config, init_logging, serve, state_store, Error};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    init_logging();
    let config = aws_config().await;
    let store = state_store(&config)?;
    serve(Bake {
        store: store.clone(),
        signals: store,
        clock: Arc::new(SystemClock),
    })
    .await
}
