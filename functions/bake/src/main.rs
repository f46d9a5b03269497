//! `bake`: starts a bake, registering the waiting task so that a stop or an alarm ends it early.

use gradual_handlers::bake::Bake;
use gradual_handlers::Function;
use gradual_lambda::{run, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(Function::Bake, Bake::from_ports).await
}
