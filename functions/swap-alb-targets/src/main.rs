//! `swap-alb-targets`: applies a traffic action to every ALB listener of a deployment, in
//! lockstep.

use gradual_handlers::shift_traffic::ShiftTraffic;
use gradual_handlers::Function;
use gradual_lambda::{run, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(Function::SwapAlbTargets, ShiftTraffic::listener_from_ports).await
}
