//! The Lambda alias router: moves an alias from `CurrentVersion` to `TargetVersion` with
//! `RoutingConfig.AdditionalVersionWeights`, as CodeDeploy does.
//!
//! How the alias reads (C the current version, T the target version):
//! - `FunctionVersion = C` with no routing, an empty map, or weight 0 on T: 0 % on T;
//! - `FunctionVersion = C` with routing `{T: w}`: `w` × 100 % on T;
//! - `FunctionVersion = T` with no routing: 100 % on T;
//! - anything else (a third version, routing to a third version, routing back to C) is drift,
//!   whatever the action.
//!
//! The actions then follow the rules of [`gradual_core::traffic`]. Every write is one
//! `UpdateAlias` carrying the `RevisionId` read just before it, so that a change made between the
//! read and the write fails the write instead of being overwritten; 0 % and 100 % clear the
//! routing explicitly (an empty weights map), since leaving `RoutingConfig` out keeps it. Before
//! writing, the versions the alias will point at are checked to be published versions of the
//! function, since the service does not check versions named in a routing config.

mod alias;

use crate::sdk_error::failed;
use crate::sdk_error::ServiceCall;
use alias::AliasConfig;
use async_trait::async_trait;
use aws_sdk_lambda::types::AliasRoutingConfiguration;
use aws_sdk_lambda::Client;
use gradual_core::ports::{RouterError, TrafficRouter, TrafficState};
use gradual_core::traffic::{Move, Moves, Progress, Share};
use gradual_core::{ErrorCode, LambdaAliasTarget, Target};
use std::collections::HashMap;

/// Alias drift and alias failures.
const ALIAS_CODE: ErrorCode = ErrorCode::InvalidLambdaConfiguration;
/// A function or version that does not exist or cannot be used.
const FUNCTION_CODE: ErrorCode = ErrorCode::InvalidLambdaFunction;

pub struct LambdaAliasRouter {
    client: Client,
    target: LambdaAliasTarget,
}

impl LambdaAliasRouter {
    pub fn new(client: Client, target: LambdaAliasTarget) -> Self {
        LambdaAliasRouter { client, target }
    }

    fn alias_name(&self) -> String {
        format!("alias {}:{}", self.target.function_name, self.target.alias)
    }

    fn new_version(&self) -> String {
        format!("version {}", self.target.target_version)
    }

    fn call(&self, code: ErrorCode, operation: &'static str, missing: String) -> ServiceCall {
        ServiceCall {
            code,
            operation,
            resource: self.alias_name(),
            missing,
        }
    }

    fn state(&self, share: Share) -> TrafficState {
        TrafficState::new(
            share,
            &self.target.current_version,
            &self.target.target_version,
            None,
        )
    }

    fn drift(&self, found: String, expected: String) -> RouterError {
        RouterError::Drift {
            code: ALIAS_CODE,
            resource: self.alias_name(),
            found,
            expected,
        }
    }

    async fn read_alias(&self) -> Result<AliasConfig, RouterError> {
        let alias = self
            .client
            .get_alias()
            .function_name(&self.target.function_name)
            .name(&self.target.alias)
            .send()
            .await
            .map_err(|error| {
                failed(self.call(ALIAS_CODE, "GetAlias", self.alias_name()), &error)
            })?;
        Ok(AliasConfig::new(
            alias.function_version().unwrap_or_default(),
            alias
                .routing_config()
                .and_then(|routing| routing.additional_version_weights()),
            alias.revision_id(),
        ))
    }

    /// The alias and its share on the target version; drift when it involves another version.
    async fn read_share(&self) -> Result<(AliasConfig, Share), RouterError> {
        let alias = self.read_alias().await?;
        let share = alias
            .share(&self.target)
            .map_err(|(found, expected)| self.drift(found, expected))?;
        Ok((alias, share))
    }

    /// "sends all traffic to version 1", "routes 10 % to version 2", ….
    fn describe_share(&self, share: Share) -> String {
        if share.is_all_original() {
            format!(
                "sends all traffic to version {}",
                self.target.current_version
            )
        } else if share.is_all_new() {
            format!("sends all traffic to {}", self.new_version())
        } else {
            format!("routes {share} to {}", self.new_version())
        }
    }

    async fn ensure_function_exists(&self) -> Result<(), RouterError> {
        let name = &self.target.function_name;
        self.client
            .get_function()
            .function_name(name)
            .send()
            .await
            .map_err(|error| {
                failed(
                    self.call(FUNCTION_CODE, "GetFunction", format!("function {name}")),
                    &error,
                )
            })?;
        Ok(())
    }

    /// Checks that every one of `versions` is a published version of the function.
    async fn ensure_published(&self, versions: &[&str]) -> Result<(), RouterError> {
        let name = &self.target.function_name;
        if let Some(unpublished) = versions.iter().find(|version| **version == "$LATEST") {
            return Err(RouterError::Invalid {
                code: FUNCTION_CODE,
                resource: format!("function {name}"),
                problem: format!(
                    "{unpublished} is not a published version: an alias can only shift \
                     between published versions"
                ),
            });
        }
        let published: Vec<String> = self
            .client
            .list_versions_by_function()
            .function_name(name)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|error| {
                failed(
                    self.call(
                        FUNCTION_CODE,
                        "ListVersionsByFunction",
                        format!("function {name}"),
                    ),
                    &error,
                )
            })?
            .into_iter()
            .filter_map(|version| version.version)
            .collect();
        match versions
            .iter()
            .find(|version| !published.iter().any(|p| p == *version))
        {
            Some(missing) => Err(RouterError::Missing {
                code: FUNCTION_CODE,
                what: format!("version {missing} of function {name}"),
            }),
            None => Ok(()),
        }
    }

    /// Applies `step` when the alias stands where it may start, writing nothing on a repeat.
    async fn apply_move(&self, step: Move) -> Result<TrafficState, RouterError> {
        let (alias, share) = self.read_share().await?;
        match step.check(share, &self.new_version()) {
            Ok(Progress::Done) => return Ok(self.state(share)),
            Ok(Progress::Needed) => {}
            Err(expected) => {
                return Err(step.refused(
                    ALIAS_CODE,
                    self.alias_name(),
                    share,
                    self.describe_share(share),
                    expected,
                ))
            }
        }
        let percent = step.percent();
        let (function_version, weights) = self.configuration_for(percent);
        let mut versions: Vec<&str> = weights.keys().map(String::as_str).collect();
        versions.push(function_version);
        self.ensure_published(&versions).await?;
        let routing = AliasRoutingConfiguration::builder()
            .set_additional_version_weights(Some(weights))
            .build();
        self.client
            .update_alias()
            .function_name(&self.target.function_name)
            .name(&self.target.alias)
            .function_version(function_version)
            .routing_config(routing)
            .set_revision_id(alias.revision_id)
            .send()
            .await
            .map_err(|error| {
                failed(
                    self.call(ALIAS_CODE, "UpdateAlias", self.alias_name()),
                    &error,
                )
            })?;
        Ok(self.state(Share::percent(percent)))
    }

    /// The `FunctionVersion` and `AdditionalVersionWeights` that put `percent` on the target.
    fn configuration_for(&self, percent: u8) -> (&str, HashMap<String, f64>) {
        match percent {
            0 => (&self.target.current_version, HashMap::new()),
            100.. => (&self.target.target_version, HashMap::new()),
            split => (
                &self.target.current_version,
                HashMap::from([(self.target.target_version.clone(), f64::from(split) / 100.0)]),
            ),
        }
    }
}

#[async_trait]
impl TrafficRouter for LambdaAliasRouter {
    fn describe(&self) -> String {
        Target::LambdaAlias(self.target.clone()).to_string()
    }

    fn resource(&self) -> String {
        self.alias_name()
    }

    async fn observe(&self) -> Result<TrafficState, RouterError> {
        let (_, share) = self.read_share().await?;
        Ok(self.state(share))
    }

    async fn preflight(&self) -> Result<(), RouterError> {
        let target = &self.target;
        if target.current_version == target.target_version {
            return Err(RouterError::Invalid {
                code: ErrorCode::InvalidRevision,
                resource: self.alias_name(),
                problem: format!(
                    "the current and the target version are both {}: there is nothing to shift",
                    target.current_version
                ),
            });
        }
        self.ensure_function_exists().await?;
        self.ensure_published(&[&target.current_version, &target.target_version])
            .await
    }

    /// An alias has production traffic only: test traffic stays on the original (there is none
    /// to move), and sending it to the new version is refused.
    async fn apply(&self, moves: &Moves) -> Result<TrafficState, RouterError> {
        if moves.sends_test_traffic_to_new() {
            return Err(RouterError::Unsupported {
                resource: self.alias_name(),
                action: "allow test traffic",
                reason:
                    "a Lambda alias has no test route (AllowTestTraffic belongs to ECS deployments)",
            });
        }
        match moves.production {
            Some(step) => self.apply_move(step).await,
            None => self.observe().await,
        }
    }
    async fn pause_before_read_back(&self, attempt: u32) {
        crate::read_back::pause(attempt).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drift_message_reads_as_a_sentence() {
        let drift = RouterError::Drift {
            code: ALIAS_CODE,
            resource: "alias checkout:live".into(),
            found: "points at version 3".into(),
            expected: "1 or 2".into(),
        };
        assert_eq!(
            drift.to_string(),
            "alias checkout:live points at version 3, expected 1 or 2: it was changed outside \
             this deployment"
        );
    }
}
