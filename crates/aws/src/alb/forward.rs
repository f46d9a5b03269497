//! The forward action of a listener or rule, read as weights on blue and green, and rewritten
//! with new weights while every other action and setting stays as it was.

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, AuthenticateOidcActionConfig, ForwardActionConfig, TargetGroupTuple,
};
use gradual_core::traffic::Share;

/// The blue and green target groups of a deployment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Groups<'a> {
    pub blue: &'a str,
    pub green: &'a str,
}

/// Where a list of actions forwards traffic.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Forwarding {
    /// The position of the forward action in the list.
    index: usize,
    blue_weight: u64,
    green_weight: u64,
}

impl Forwarding {
    /// Reads the one forward action of `actions`; the error says what makes the actions foreign
    /// to the deployment.
    pub fn read(actions: &[Action], groups: Groups) -> Result<Forwarding, String> {
        let forwards: Vec<usize> = actions
            .iter()
            .enumerate()
            .filter(|(_, action)| action.r#type() == Some(&ActionTypeEnum::Forward))
            .map(|(index, _)| index)
            .collect();
        let index = match forwards.as_slice() {
            [index] => *index,
            [] => return Err("has no forward action".to_string()),
            many => return Err(format!("has {} forward actions", many.len())),
        };
        let mut forwarding = Forwarding {
            index,
            blue_weight: 0,
            green_weight: 0,
        };
        for (arn, weight) in forwarded_groups(&actions[index]) {
            if arn == groups.blue {
                forwarding.blue_weight += weight;
            } else if arn == groups.green {
                forwarding.green_weight += weight;
            } else {
                return Err(format!(
                    "forwards to target group {arn}, which is neither blue nor green"
                ));
            }
        }
        if forwarding.blue_weight + forwarding.green_weight == 0 {
            return Err("forwards no traffic to blue or green".to_string());
        }
        Ok(forwarding)
    }

    /// The share of traffic on green.
    pub fn share(&self) -> Share {
        Share::new(self.green_weight, self.blue_weight + self.green_weight)
            .expect("a forwarding always has weight on blue or green")
    }

    /// `actions` with the forward action replaced by one sending `percent` to green and the rest
    /// to blue, keeping its order and its stickiness; every other action is kept as it was.
    pub fn with_percent_on_green(
        &self,
        actions: &[Action],
        groups: Groups,
        percent: u8,
    ) -> Vec<Action> {
        actions
            .iter()
            .enumerate()
            .map(|(index, action)| {
                if index == self.index {
                    weighted_forward(action, groups, percent)
                } else {
                    as_written_back(action)
                }
            })
            .collect()
    }
}

/// The target groups an action forwards to, with their weights (1 when unset, as ELB reads it).
fn forwarded_groups(action: &Action) -> Vec<(&str, u64)> {
    let tuples = action
        .forward_config()
        .map(|config| config.target_groups())
        .unwrap_or_default();
    if tuples.is_empty() {
        return action
            .target_group_arn()
            .map(|arn| vec![(arn, 1)])
            .unwrap_or_default();
    }
    tuples
        .iter()
        .map(|tuple| {
            let weight = tuple.weight().unwrap_or(1).max(0) as u64;
            (tuple.target_group_arn().unwrap_or_default(), weight)
        })
        .collect()
}

fn weighted_forward(action: &Action, groups: Groups, percent: u8) -> Action {
    let percent = i32::from(percent.min(100));
    let tuple = |arn: &str, weight: i32| {
        TargetGroupTuple::builder()
            .target_group_arn(arn)
            .weight(weight)
            .build()
    };
    let config = ForwardActionConfig::builder()
        .target_groups(tuple(groups.blue, 100 - percent))
        .target_groups(tuple(groups.green, percent))
        .set_target_group_stickiness_config(
            action
                .forward_config()
                .and_then(|config| config.target_group_stickiness_config())
                .cloned(),
        )
        .build();
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .set_order(action.order())
        .forward_config(config)
        .build()
}

/// An action as it must be sent back: ELB never returns an OIDC client secret, so writing the
/// action again asks it to keep the existing one.
fn as_written_back(action: &Action) -> Action {
    match action.authenticate_oidc_config() {
        Some(oidc) if oidc.client_secret().is_none() => {
            let mut action = action.clone();
            action.authenticate_oidc_config = Some(keep_client_secret(oidc));
            action
        }
        _ => action.clone(),
    }
}

fn keep_client_secret(oidc: &AuthenticateOidcActionConfig) -> AuthenticateOidcActionConfig {
    let mut oidc = oidc.clone();
    oidc.use_existing_client_secret = Some(true);
    oidc
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticloadbalancingv2::types::{
        FixedResponseActionConfig, TargetGroupStickinessConfig,
    };

    const GROUPS: Groups = Groups {
        blue: "arn:blue",
        green: "arn:green",
    };

    fn forward(groups: &[(&str, Option<i32>)], sticky: bool) -> Action {
        let mut config = ForwardActionConfig::builder();
        for (arn, weight) in groups {
            config = config.target_groups(
                TargetGroupTuple::builder()
                    .target_group_arn(*arn)
                    .set_weight(*weight)
                    .build(),
            );
        }
        if sticky {
            config = config.target_group_stickiness_config(
                TargetGroupStickinessConfig::builder()
                    .enabled(true)
                    .duration_seconds(300)
                    .build(),
            );
        }
        Action::builder()
            .r#type(ActionTypeEnum::Forward)
            .order(2)
            .forward_config(config.build())
            .build()
    }

    fn oidc_without_secret() -> Action {
        Action::builder()
            .r#type(ActionTypeEnum::AuthenticateOidc)
            .order(1)
            .authenticate_oidc_config(
                AuthenticateOidcActionConfig::builder()
                    .issuer("https://issuer")
                    .client_id("client")
                    .build(),
            )
            .build()
    }

    #[test]
    fn reads_a_single_target_group_as_all_of_the_traffic() {
        let action = Action::builder()
            .r#type(ActionTypeEnum::Forward)
            .target_group_arn("arn:blue")
            .build();
        let forwarding = Forwarding::read(&[action], GROUPS).unwrap();
        assert!(forwarding.share().is_all_original());
    }

    #[test]
    fn reads_weights_as_a_share_on_green() {
        let actions = [forward(
            &[("arn:blue", Some(90)), ("arn:green", Some(10))],
            false,
        )];
        assert!(Forwarding::read(&actions, GROUPS)
            .unwrap()
            .share()
            .is_percent(10));
        let unweighted = [forward(&[("arn:blue", None), ("arn:green", None)], false)];
        assert!(Forwarding::read(&unweighted, GROUPS)
            .unwrap()
            .share()
            .is_percent(50));
    }

    #[test]
    fn refuses_foreign_forwarding() {
        let unknown = [forward(
            &[("arn:blue", Some(1)), ("arn:other", Some(1))],
            false,
        )];
        assert_eq!(
            Forwarding::read(&unknown, GROUPS),
            Err("forwards to target group arn:other, which is neither blue nor green".into())
        );
        let fixed = Action::builder()
            .r#type(ActionTypeEnum::FixedResponse)
            .fixed_response_config(
                FixedResponseActionConfig::builder()
                    .status_code("503")
                    .build(),
            )
            .build();
        assert_eq!(
            Forwarding::read(&[fixed], GROUPS),
            Err("has no forward action".into())
        );
        let nothing = [forward(
            &[("arn:blue", Some(0)), ("arn:green", Some(0))],
            false,
        )];
        assert!(Forwarding::read(&nothing, GROUPS).is_err());
    }

    #[test]
    fn rewrites_only_the_weights_keeping_order_stickiness_and_other_actions() {
        let actions = vec![
            oidc_without_secret(),
            forward(&[("arn:blue", Some(100)), ("arn:green", Some(0))], true),
        ];
        let forwarding = Forwarding::read(&actions, GROUPS).unwrap();

        let written = forwarding.with_percent_on_green(&actions, GROUPS, 30);

        assert_eq!(written.len(), 2);
        let oidc = written[0].authenticate_oidc_config().unwrap();
        assert_eq!(oidc.use_existing_client_secret(), Some(true));
        assert_eq!(oidc.issuer(), Some("https://issuer"));
        let forward = &written[1];
        assert_eq!(forward.order(), Some(2));
        let config = forward.forward_config().unwrap();
        let weights: Vec<(Option<&str>, Option<i32>)> = config
            .target_groups()
            .iter()
            .map(|tuple| (tuple.target_group_arn(), tuple.weight()))
            .collect();
        assert_eq!(
            weights,
            vec![(Some("arn:blue"), Some(70)), (Some("arn:green"), Some(30))]
        );
        let stickiness = config.target_group_stickiness_config().unwrap();
        assert_eq!(
            (stickiness.enabled(), stickiness.duration_seconds()),
            (Some(true), Some(300))
        );
        assert!(Forwarding::read(&written, GROUPS)
            .unwrap()
            .share()
            .is_percent(30));
    }
}
