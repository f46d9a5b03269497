//! The router factories of the two traffic functions: `shift-alias-weight` moves Lambda aliases
//! only, `swap-alb-targets` ALB listeners only, so each links the one SDK client it needs.

use aws_config::SdkConfig;
use gradual_aws::alb::AlbListenerRouter;
use gradual_aws::lambda_alias::LambdaAliasRouter;
use gradual_core::ports::TrafficRouter;
use gradual_core::Target;
use gradual_handlers::shift_traffic::RouterFactory;
use std::sync::Arc;

/// Routers for [`Target::LambdaAlias`] targets.
#[derive(Debug, Clone)]
pub struct AliasRouters {
    pub client: aws_sdk_lambda::Client,
}

impl AliasRouters {
    pub fn from_config(config: &SdkConfig) -> Self {
        AliasRouters {
            client: aws_sdk_lambda::Client::new(config),
        }
    }
}

impl RouterFactory for AliasRouters {
    fn handles(&self) -> &'static str {
        "Lambda aliases"
    }

    fn router(&self, target: &Target) -> Option<Arc<dyn TrafficRouter>> {
        match target {
            Target::LambdaAlias(alias) => Some(Arc::new(LambdaAliasRouter::new(
                self.client.clone(),
                alias.clone(),
            ))),
            Target::AlbListener(_) => None,
        }
    }
}

/// Routers for [`Target::AlbListener`] targets.
#[derive(Debug, Clone)]
pub struct ListenerRouters {
    pub client: aws_sdk_elasticloadbalancingv2::Client,
}

impl ListenerRouters {
    pub fn from_config(config: &SdkConfig) -> Self {
        ListenerRouters {
            client: aws_sdk_elasticloadbalancingv2::Client::new(config),
        }
    }
}

impl RouterFactory for ListenerRouters {
    fn handles(&self) -> &'static str {
        "ALB listeners"
    }

    fn router(&self, target: &Target) -> Option<Arc<dyn TrafficRouter>> {
        match target {
            Target::AlbListener(listener) => Some(Arc::new(AlbListenerRouter::new(
                self.client.clone(),
                listener.clone(),
            ))),
            Target::LambdaAlias(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_config::{BehaviorVersion, Region};
    use gradual_core::{AlbListenerTarget, LambdaAliasTarget};

    fn config() -> SdkConfig {
        SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("eu-west-1"))
            .build()
    }

    fn alias() -> Target {
        Target::LambdaAlias(LambdaAliasTarget {
            function_name: "shop-api".to_owned(),
            alias: "live".to_owned(),
            current_version: "1".to_owned(),
            target_version: "2".to_owned(),
        })
    }

    fn listener() -> Target {
        Target::AlbListener(AlbListenerTarget {
            listener_arn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef".to_owned(),
            rule_arn: None,
            blue_target_group_arn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/0123456789abcdef".to_owned(),
            green_target_group_arn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/0123456789abcdef".to_owned(),
            test_listener_arn: None,
            min_healthy_targets: 1,
        })
    }

    #[test]
    fn alias_routers_move_lambda_aliases_only() {
        let routers = AliasRouters::from_config(&config());
        assert_eq!(routers.handles(), "Lambda aliases");
        assert!(routers.router(&alias()).is_some());
        assert!(routers.router(&listener()).is_none());
    }

    #[test]
    fn listener_routers_move_alb_listeners_only() {
        let routers = ListenerRouters::from_config(&config());
        assert_eq!(routers.handles(), "ALB listeners");
        assert!(routers.router(&listener()).is_some());
        assert!(routers.router(&alias()).is_none());
    }
}
