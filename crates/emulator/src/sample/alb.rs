//! A load balancer in its own VPC with blue and green target groups, one healthy instance in
//! each, a production listener forwarding to blue with stickiness, and a test listener.

use crate::{unique_name, Emulator};
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, AuthenticateOidcActionConfig, ForwardActionConfig, ProtocolEnum,
    RuleCondition, TargetDescription, TargetGroupStickinessConfig, TargetGroupTuple,
};
use aws_sdk_elasticloadbalancingv2::Client;
use gradual_core::AlbListenerTarget;

pub const STICKINESS_SECONDS: i32 = 600;
pub const PRODUCTION_PORT: i32 = 80;

pub struct AlbWorld {
    /// A client for setting up and inspecting, outside any router.
    pub elb: Client,
    vpc: String,
    load_balancer: String,
    pub blue: String,
    pub green: String,
    pub green_instance: String,
    pub listener: String,
    pub test_listener: String,
}

impl AlbWorld {
    pub async fn new() -> Self {
        let emulator = Emulator::shared().await;
        let elb = Client::new(&emulator.sdk_config().await);
        let network = emulator.fixture(&["network"]).await;
        let ids = |field: &str| -> Vec<String> {
            network[field]
                .as_array()
                .unwrap_or_else(|| panic!("the network fixture lists {field}"))
                .iter()
                .map(|id| id.as_str().expect("an id").to_owned())
                .collect()
        };
        let vpc = network["vpc"].as_str().expect("a VPC id").to_owned();
        let subnets = ids("subnets");
        let instances = ids("instances");
        let load_balancer = elb
            .create_load_balancer()
            .name(unique_name("alb"))
            .set_subnets(Some(subnets.clone()))
            .send()
            .await
            .expect("create a load balancer")
            .load_balancers()[0]
            .load_balancer_arn()
            .expect("a load balancer ARN")
            .to_string();
        let mut world = AlbWorld {
            elb,
            vpc,
            load_balancer,
            blue: String::new(),
            green: String::new(),
            green_instance: instances[1].clone(),
            listener: String::new(),
            test_listener: String::new(),
        };
        world.blue = world.target_group("blue", Some(&instances[0])).await;
        world.green = world.target_group("green", Some(&instances[1])).await;
        world.listener = world
            .listener_on(PRODUCTION_PORT, world.sticky_forward_to_blue())
            .await;
        world.test_listener = world.listener_on(8080, forward_to(&world.blue)).await;
        world
    }

    /// A target group in the world's VPC, with `instance` registered.
    pub async fn target_group(&self, prefix: &str, instance: Option<&str>) -> String {
        let arn = self
            .elb
            .create_target_group()
            .name(unique_name(prefix))
            .protocol(ProtocolEnum::Http)
            .port(80)
            .vpc_id(&self.vpc)
            .send()
            .await
            .expect("create a target group")
            .target_groups()[0]
            .target_group_arn()
            .expect("a target group ARN")
            .to_string();
        if let Some(instance) = instance {
            self.elb
                .register_targets()
                .target_group_arn(&arn)
                .targets(TargetDescription::builder().id(instance).port(80).build())
                .send()
                .await
                .expect("register an instance");
        }
        arn
    }

    async fn listener_on(&self, port: i32, action: Action) -> String {
        self.elb
            .create_listener()
            .load_balancer_arn(&self.load_balancer)
            .protocol(ProtocolEnum::Http)
            .port(port)
            .default_actions(action)
            .send()
            .await
            .expect("create a listener")
            .listeners()[0]
            .listener_arn()
            .expect("a listener ARN")
            .to_string()
    }

    fn sticky_forward_to_blue(&self) -> Action {
        let config = ForwardActionConfig::builder()
            .target_groups(
                TargetGroupTuple::builder()
                    .target_group_arn(&self.blue)
                    .weight(1)
                    .build(),
            )
            .target_group_stickiness_config(
                TargetGroupStickinessConfig::builder()
                    .enabled(true)
                    .duration_seconds(STICKINESS_SECONDS)
                    .build(),
            )
            .build();
        Action::builder()
            .r#type(ActionTypeEnum::Forward)
            .forward_config(config)
            .build()
    }

    /// A rule on the production listener for `/api/*` that authenticates, then forwards to blue.
    pub async fn rule(&self) -> String {
        let authenticate = Action::builder()
            .r#type(ActionTypeEnum::AuthenticateOidc)
            .order(1)
            .authenticate_oidc_config(
                AuthenticateOidcActionConfig::builder()
                    .issuer("https://issuer.example.com")
                    .authorization_endpoint("https://issuer.example.com/authorize")
                    .token_endpoint("https://issuer.example.com/token")
                    .user_info_endpoint("https://issuer.example.com/userinfo")
                    .client_id("gradual")
                    .client_secret("secret")
                    .build(),
            )
            .build();
        let mut forward = forward_to(&self.blue);
        forward.order = Some(2);
        self.elb
            .create_rule()
            .listener_arn(&self.listener)
            .priority(10)
            .conditions(
                RuleCondition::builder()
                    .field("path-pattern")
                    .values("/api/*")
                    .build(),
            )
            .actions(authenticate)
            .actions(forward)
            .send()
            .await
            .expect("create a rule")
            .rules()[0]
            .rule_arn()
            .expect("a rule ARN")
            .to_string()
    }

    pub fn target(&self) -> AlbListenerTarget {
        AlbListenerTarget {
            listener_arn: self.listener.clone(),
            rule_arn: None,
            blue_target_group_arn: self.blue.clone(),
            green_target_group_arn: self.green.clone(),
            test_listener_arn: Some(self.test_listener.clone()),
            min_healthy_targets: 1,
        }
    }

    /// The default actions of a listener.
    pub async fn listener_actions(&self, listener: &str) -> Vec<Action> {
        self.elb
            .describe_listeners()
            .listener_arns(listener)
            .send()
            .await
            .expect("describe the listener")
            .listeners()[0]
            .default_actions()
            .to_vec()
    }

    pub async fn rule_actions(&self, rule: &str) -> Vec<Action> {
        self.elb
            .describe_rules()
            .rule_arns(rule)
            .send()
            .await
            .expect("describe the rule")
            .rules()[0]
            .actions()
            .to_vec()
    }

    /// The weights of a listener's forward action, blue then green.
    pub async fn weights(&self, listener: &str) -> (i32, i32) {
        self.weights_in(&self.listener_actions(listener).await)
    }

    pub fn weights_in(&self, actions: &[Action]) -> (i32, i32) {
        let forward = actions
            .iter()
            .find(|action| action.r#type() == Some(&ActionTypeEnum::Forward))
            .expect("a forward action");
        let weight_of = |group: &str| -> i32 {
            let tuples = forward
                .forward_config()
                .map(|config| config.target_groups())
                .unwrap_or_default();
            if tuples.is_empty() {
                return i32::from(forward.target_group_arn() == Some(group)) * 100;
            }
            tuples
                .iter()
                .filter(|tuple| tuple.target_group_arn() == Some(group))
                .map(|tuple| tuple.weight().unwrap_or(1))
                .sum()
        };
        (weight_of(&self.blue), weight_of(&self.green))
    }

    /// Replaces a listener's default actions the way someone outside the deployment would.
    pub async fn set_listener(&self, listener: &str, action: Action) {
        self.elb
            .modify_listener()
            .listener_arn(listener)
            .default_actions(action)
            .send()
            .await
            .expect("change the listener");
    }

    pub async fn stop_green_instance(&self) {
        Emulator::shared()
            .await
            .fixture(&["stop-instances", &self.green_instance])
            .await;
    }
}

/// A forward action with weights on each target group.
pub fn weighted(groups: &[(&str, i32)]) -> Action {
    let mut config = ForwardActionConfig::builder();
    for (arn, weight) in groups {
        config = config.target_groups(
            TargetGroupTuple::builder()
                .target_group_arn(*arn)
                .weight(*weight)
                .build(),
        );
    }
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .forward_config(config.build())
        .build()
}

/// A plain forward action to one target group.
pub fn forward_to(arn: &str) -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .target_group_arn(arn)
        .build()
}
