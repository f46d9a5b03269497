//! The ALB listener router: blue/green through the weights of a listener's `forward` action (or
//! a listener rule's), with an optional test listener, as CodeDeploy does for ECS.
//!
//! How a listener reads: its one `forward` action (a single `TargetGroupArn`, or
//! `ForwardConfig.TargetGroups` with weights) gives the share on green, `green / (blue + green)`.
//! A listener without exactly one forward action, or forwarding to any target group other than
//! blue and green, is drift whatever the action. A test listener must send all its traffic to one
//! side.
//!
//! Writes replace the forward action only, with `ForwardConfig.TargetGroups = [{blue, 100 - p},
//! {green, p}]` in the same position and with the same `TargetGroupStickinessConfig`; other
//! actions (authentication, …) are sent back unchanged, and `ModifyListener` carries nothing but
//! the default actions (`ModifyRule` nothing but the actions), so every other setting stays.
//! Finishing writes weights 0/100 and rolling back 100/0, rather than dropping a group, so the
//! listener keeps one shape through a deployment and the next deployment, with blue and green
//! swapped, reads it the same way; [`TrafficState::live`] names the group left serving.
//!
//! Green must have `min_healthy_targets` healthy targets before any write that sends it more
//! traffic (shift, finish, AllowTestTraffic). Which states each action may start from follows
//! [`gradual_core::traffic`]; AllowTestTraffic on a target without a test listener does nothing.

mod forward;
mod health;
mod route;

use crate::sdk_error::failed;
use crate::sdk_error::ServiceCall;
use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types::Action;
use aws_sdk_elasticloadbalancingv2::Client;
use forward::{Forwarding, Groups};
use gradual_core::ports::{RouterError, TrafficRouter, TrafficState};
use gradual_core::traffic::{Move, Moves, Progress, Share, TestMove};
use gradual_core::{AlbListenerTarget, ErrorCode, Target};
use route::Route;

const CODE: ErrorCode = ErrorCode::ElasticLoadBalancingInvalid;

pub struct AlbListenerRouter {
    client: Client,
    target: AlbListenerTarget,
}

/// A route's actions as read, and where they forward.
struct Reading<'a> {
    route: Route<'a>,
    actions: Vec<Action>,
    forwarding: Forwarding,
}

/// A write still to make.
struct Write<'a> {
    reading: Reading<'a>,
    percent_on_green: u8,
}

impl AlbListenerRouter {
    pub fn new(client: Client, target: AlbListenerTarget) -> Self {
        AlbListenerRouter { client, target }
    }

    fn groups(&self) -> Groups<'_> {
        Groups {
            blue: &self.target.blue_target_group_arn,
            green: &self.target.green_target_group_arn,
        }
    }

    fn production(&self) -> Route<'_> {
        match &self.target.rule_arn {
            Some(rule) => Route::rule(rule),
            None => Route::listener(&self.target.listener_arn),
        }
    }

    fn test(&self) -> Option<Route<'_>> {
        self.target
            .test_listener_arn
            .as_deref()
            .map(Route::test_listener)
    }

    fn drift(route: Route, found: String, expected: String) -> RouterError {
        RouterError::Drift {
            code: CODE,
            resource: route.name(),
            found,
            expected,
        }
    }

    async fn read<'a>(&self, route: Route<'a>) -> Result<Reading<'a>, RouterError> {
        let actions = route.read(&self.client).await?;
        let forwarding = Forwarding::read(&actions, self.groups()).map_err(|found| {
            let expected = format!(
                "a forward to blue {} and green {} only",
                self.target.blue_target_group_arn, self.target.green_target_group_arn
            );
            Self::drift(route, found, expected)
        })?;
        Ok(Reading {
            route,
            actions,
            forwarding,
        })
    }

    async fn read_test(&self) -> Result<Option<(Reading<'_>, bool)>, RouterError> {
        let Some(route) = self.test() else {
            return Ok(None);
        };
        let reading = self.read(route).await?;
        let share = reading.forwarding.share();
        if share.is_all_original() || share.is_all_new() {
            let on_green = share.is_all_new();
            return Ok(Some((reading, on_green)));
        }
        Err(Self::drift(
            route,
            format!("splits test traffic, {share} to green"),
            "all test traffic on blue or all on green".to_string(),
        ))
    }

    /// The production route, and the test listener with the side it sends to.
    async fn read_both(&self) -> Result<(Reading<'_>, Option<(Reading<'_>, bool)>), RouterError> {
        let production = self.read(self.production()).await?;
        let test = self.read_test().await?;
        Ok((production, test))
    }

    /// Checks both routes against the moves, then writes what is still needed: production
    /// first, then the test listener. Nothing is written when either route has drifted.
    async fn apply_moves(
        &self,
        production: Option<Move>,
        test: Option<TestMove>,
        green_takes_more: bool,
    ) -> Result<TrafficState, RouterError> {
        let (current, test_current) = self.read_both().await?;
        let mut share = current.forwarding.share();
        let mut test_on_green = test_current.as_ref().map(|(_, on_green)| *on_green);

        let production_write = match production {
            Some(step) => self.plan_production(step, current)?,
            None => None,
        };
        let test_write = match (test, test_current) {
            (Some(step), Some((reading, on_green))) => Self::plan_test(step, reading, on_green)?,
            _ => None,
        };
        if green_takes_more && (production_write.is_some() || test_write.is_some()) {
            health::ensure_healthy(
                &self.client,
                &self.target.green_target_group_arn,
                self.target.min_healthy_targets,
            )
            .await?;
        }
        if let Some(write) = production_write {
            self.write(&write).await?;
            share = Share::percent(write.percent_on_green);
        }
        if let Some(write) = test_write {
            self.write(&write).await?;
            test_on_green = Some(write.percent_on_green == 100);
        }
        Ok(self.state(share, test_on_green))
    }

    fn plan_production<'a>(
        &self,
        step: Move,
        reading: Reading<'a>,
    ) -> Result<Option<Write<'a>>, RouterError> {
        let share = reading.forwarding.share();
        match step.check(share, "green") {
            Ok(Progress::Done) => Ok(None),
            Ok(Progress::Needed) => Ok(Some(Write {
                reading,
                percent_on_green: step.percent(),
            })),
            Err(expected) => Err(step.refused(
                CODE,
                reading.route.name(),
                share,
                describe_share(share),
                expected,
            )),
        }
    }

    fn plan_test(
        step: TestMove,
        reading: Reading<'_>,
        on_green: bool,
    ) -> Result<Option<Write<'_>>, RouterError> {
        match step.check(on_green) {
            Ok(Progress::Done) => Ok(None),
            Ok(Progress::Needed) => Ok(Some(Write {
                reading,
                percent_on_green: if step.on_new() { 100 } else { 0 },
            })),
            Err(expected_on_green) => Err(Self::drift(
                reading.route,
                format!("sends test traffic to {}", side(on_green)),
                format!("test traffic on {}", side(expected_on_green)),
            )),
        }
    }

    async fn write(&self, write: &Write<'_>) -> Result<(), RouterError> {
        let reading = &write.reading;
        let actions = reading.forwarding.with_percent_on_green(
            &reading.actions,
            self.groups(),
            write.percent_on_green,
        );
        reading.route.write(&self.client, actions).await
    }

    fn state(&self, share: Share, test_on_green: Option<bool>) -> TrafficState {
        TrafficState::new(
            share,
            &self.target.blue_target_group_arn,
            &self.target.green_target_group_arn,
            test_on_green,
        )
    }

    async fn ensure_target_groups_exist(&self) -> Result<(), RouterError> {
        for arn in [
            &self.target.blue_target_group_arn,
            &self.target.green_target_group_arn,
        ] {
            let name = format!("target group {arn}");
            let call = ServiceCall {
                code: CODE,
                operation: "DescribeTargetGroups",
                resource: name.clone(),
                missing: name,
            };
            self.client
                .describe_target_groups()
                .target_group_arns(arn)
                .send()
                .await
                .map_err(|error| failed(call, &error))?;
        }
        Ok(())
    }
}

fn side(on_green: bool) -> &'static str {
    if on_green {
        "green"
    } else {
        "blue"
    }
}

/// "forwards all traffic to blue", "forwards 30 % to green", ….
fn describe_share(share: Share) -> String {
    if share.is_all_original() || share.is_all_new() {
        format!("forwards all traffic to {}", side(share.is_all_new()))
    } else {
        format!("forwards {share} to green")
    }
}

#[async_trait]
impl TrafficRouter for AlbListenerRouter {
    fn describe(&self) -> String {
        Target::AlbListener(self.target.clone()).to_string()
    }

    fn resource(&self) -> String {
        self.production().name()
    }

    async fn observe(&self) -> Result<TrafficState, RouterError> {
        let (current, test) = self.read_both().await?;
        Ok(self.state(
            current.forwarding.share(),
            test.map(|(_, on_green)| on_green),
        ))
    }

    async fn preflight(&self) -> Result<(), RouterError> {
        if self.target.blue_target_group_arn == self.target.green_target_group_arn {
            return Err(RouterError::Invalid {
                code: CODE,
                resource: self.production().name(),
                problem: format!(
                    "blue and green are the same target group {}: there is nothing to shift",
                    self.target.blue_target_group_arn
                ),
            });
        }
        self.ensure_target_groups_exist().await
    }

    async fn apply(&self, moves: &Moves) -> Result<TrafficState, RouterError> {
        self.apply_moves(moves.production, moves.test, moves.advances)
            .await
    }

    async fn pause_before_read_back(&self, attempt: u32) {
        crate::read_back::pause(attempt).await;
    }
}
