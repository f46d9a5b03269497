//! `register`: creates, updates, reads and deletes applications, deployment groups and custom
//! deployment configs.

use gradual_handlers::register::Register;
use gradual_handlers::Function;
use gradual_lambda::{run, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(Function::Register, Register::from_ports).await
}
