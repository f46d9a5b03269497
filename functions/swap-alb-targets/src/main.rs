//! `swap-alb-targets`: applies a traffic action to every ALB listener of a deployment, in
//! lockstep.

use gradual_runtime::{aws_config, init_logging, serve, shift_traffic, Error, ListenerRouters};

#[tokio::main]
async fn main() -> Result<(), Error> {
    init_logging();
    let config = aws_config().await;
    let routers = ListenerRouters::from_config(&config);
    serve(shift_traffic(&config, routers)?).await
}
