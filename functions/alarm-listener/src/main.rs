//! `alarm-listener`: takes CloudWatch's alarm state changes from EventBridge and stops, at once,
//! the running deployments watching an alarm that went into ALARM.

use gradual_handlers::alarm_listener::AlarmListener;
use gradual_handlers::Function;
use gradual_lambda::{run, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(Function::AlarmListener, AlarmListener::from_ports).await
}
