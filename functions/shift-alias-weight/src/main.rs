//! `shift-alias-weight`: applies a traffic action to every Lambda alias of a deployment, in
//! lockstep.

use gradual_runtime::{aws_config, init_logging, serve, shift_traffic, AliasRouters, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    init_logging();
    let config = aws_config().await;
    let routers = AliasRouters::from_config(&config);
    serve(shift_traffic(&config, routers)?).await
}
