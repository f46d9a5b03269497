//! `shift-alias-weight`: applies a traffic action to every Lambda alias of a deployment, in
//! lockstep.

use gradual_handlers::shift_traffic::ShiftTraffic;
use gradual_handlers::Function;
use gradual_lambda::{run, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(Function::ShiftAliasWeight, ShiftTraffic::alias_from_ports).await
}
