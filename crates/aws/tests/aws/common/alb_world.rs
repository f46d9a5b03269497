//! Routers over the sample load balancer, with their requests recorded.

pub use gradual_emulator::sample::alb::{
    forward_to, weighted, AlbWorld, PRODUCTION_PORT, STICKINESS_SECONDS,
};

use super::requests::Requests;
use aws_sdk_elasticloadbalancingv2::Client;
use gradual_aws::alb::AlbListenerRouter;
use gradual_core::AlbListenerTarget;
use gradual_emulator::Emulator;

pub trait AlbRouters {
    async fn router_for(&self, target: AlbListenerTarget) -> (AlbListenerRouter, Requests);
    async fn router(&self) -> (AlbListenerRouter, Requests);
}

impl AlbRouters for AlbWorld {
    /// A router for `target`, with a client whose requests are recorded.
    async fn router_for(&self, target: AlbListenerTarget) -> (AlbListenerRouter, Requests) {
        let requests = Requests::default();
        let config = aws_sdk_elasticloadbalancingv2::config::Builder::from(
            &Emulator::shared().await.sdk_config().await,
        )
        .interceptor(requests.clone())
        .build();
        (
            AlbListenerRouter::new(Client::from_conf(config), target),
            requests,
        )
    }

    async fn router(&self) -> (AlbListenerRouter, Requests) {
        self.router_for(self.target()).await
    }
}
