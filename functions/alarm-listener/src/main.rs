//! `alarm-listener`: takes CloudWatch's alarm state changes from EventBridge and stops, at once,
//! the running deployments watching an alarm that went into ALARM.

use gradual_core::ports::SystemClock;
use gradual_handlers::alarm_listener::AlarmListener;
use gradual_runtime::{aws_config, init_logging, serve, state_store, workflow, Error};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    init_logging();
    let config = aws_config().await;
    let store = state_store(&config)?;
    serve(AlarmListener {
        store: store.clone(),
        signals: store,
        workflow: workflow(&config)?,
        clock: Arc::new(SystemClock),
    })
    .await
}
