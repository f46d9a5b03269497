//! `record-status`: records a deployment's start, success, failure or rollback and publishes
//! its SNS triggers.

use gradual_handlers::record_status::RecordStatus;
use gradual_handlers::Function;
use gradual_lambda::{run, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(Function::RecordStatus, RecordStatus::from_ports).await
}
