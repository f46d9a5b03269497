//! Routers over the sample function, with their requests recorded.

pub use gradual_emulator::sample::lambda::{AliasView, LambdaWorld, ALIAS};

use super::requests::Requests;
use aws_sdk_lambda::Client;
use gradual_aws::lambda_alias::LambdaAliasRouter;
use gradual_core::LambdaAliasTarget;
use gradual_emulator::Emulator;

pub trait LambdaRouters {
    async fn router(&self) -> (LambdaAliasRouter, Requests);
    async fn router_for(&self, target: LambdaAliasTarget) -> (LambdaAliasRouter, Requests);
}

impl LambdaRouters for LambdaWorld {
    /// A router from version 1 to 2, with a client whose requests are recorded.
    async fn router(&self) -> (LambdaAliasRouter, Requests) {
        self.router_for(self.target("1", "2")).await
    }

    async fn router_for(&self, target: LambdaAliasTarget) -> (LambdaAliasRouter, Requests) {
        let requests = Requests::default();
        let config =
            aws_sdk_lambda::config::Builder::from(&Emulator::shared().await.sdk_config().await)
                .interceptor(requests.clone())
                .build();
        (
            LambdaAliasRouter::new(Client::from_conf(config), target),
            requests,
        )
    }
}
