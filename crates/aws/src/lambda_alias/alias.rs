//! An alias as `GetAlias` reports it, read as a share of traffic on the target version.

use gradual_core::traffic::Share;
use gradual_core::LambdaAliasTarget;
use std::collections::HashMap;

/// The parts of an alias that decide where its traffic goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AliasConfig {
    pub function_version: String,
    /// `AdditionalVersionWeights`, sorted by version.
    pub weights: Vec<(String, f64)>,
    pub revision_id: Option<String>,
}

impl AliasConfig {
    pub fn new(
        function_version: &str,
        weights: Option<&HashMap<String, f64>>,
        revision_id: Option<&str>,
    ) -> Self {
        let mut weights: Vec<(String, f64)> = weights
            .into_iter()
            .flatten()
            .map(|(version, weight)| (version.clone(), *weight))
            .collect();
        weights.sort_by(|a, b| a.0.cmp(&b.0));
        AliasConfig {
            function_version: function_version.to_string(),
            weights,
            revision_id: revision_id.map(str::to_string),
        }
    }

    /// The share on the target version, or what makes the alias foreign to this deployment
    /// together with what was expected instead.
    pub fn share(&self, target: &LambdaAliasTarget) -> Result<Share, (String, String)> {
        let current = &target.current_version;
        let new = &target.target_version;
        let on_new = if self.function_version == *current {
            self.single_weight_on(new)
                .map_err(|found| (found, format!("routing only to version {new}")))?
        } else if self.function_version == *new {
            match self.single_weight_on(current) {
                Ok(0.0) => 1.0,
                _ => {
                    return Err((
                        format!("points at version {new} and {}", self.routing()),
                        format!("no routing once it points at version {new}"),
                    ))
                }
            }
        } else {
            return Err((
                format!("points at version {}", self.function_version),
                format!("{current} or {new}"),
            ));
        };
        Share::from_weight(on_new).ok_or_else(|| {
            (
                format!("routes a weight of {on_new} to version {new}"),
                "a weight between 0 and 1".to_string(),
            )
        })
    }

    /// The weight routed to `version`, 0 when there is no routing; an error naming the routing
    /// when it involves any other version.
    fn single_weight_on(&self, version: &str) -> Result<f64, String> {
        let mut total = 0.0;
        for (routed, weight) in &self.weights {
            if routed != version && *weight != 0.0 {
                return Err(self.routing());
            }
            if routed == version {
                total += weight;
            }
        }
        Ok(total)
    }

    fn routing(&self) -> String {
        let routes: Vec<String> = self
            .weights
            .iter()
            .map(|(version, weight)| format!("{} to version {version}", percent_text(*weight)))
            .collect();
        format!("routes {}", routes.join(" and "))
    }
}

fn percent_text(weight: f64) -> String {
    match Share::from_weight(weight) {
        Some(share) => share.to_string(),
        None => format!("a weight of {weight}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> LambdaAliasTarget {
        LambdaAliasTarget {
            function_name: "checkout".into(),
            alias: "live".into(),
            current_version: "1".into(),
            target_version: "2".into(),
        }
    }

    fn alias(version: &str, weights: &[(&str, f64)]) -> AliasConfig {
        let weights: HashMap<String, f64> = weights
            .iter()
            .map(|(version, weight)| (version.to_string(), *weight))
            .collect();
        AliasConfig::new(version, Some(&weights), Some("r1"))
    }

    #[test]
    fn reads_the_states_a_deployment_moves_through() {
        assert!(alias("1", &[]).share(&target()).unwrap().is_percent(0));
        assert!(alias("1", &[("2", 0.0)])
            .share(&target())
            .unwrap()
            .is_percent(0));
        assert!(alias("1", &[("2", 0.1)])
            .share(&target())
            .unwrap()
            .is_percent(10));
        assert!(alias("2", &[]).share(&target()).unwrap().is_percent(100));
    }

    #[test]
    fn names_a_third_version_as_drift() {
        assert_eq!(
            alias("3", &[]).share(&target()),
            Err(("points at version 3".to_string(), "1 or 2".to_string()))
        );
        assert_eq!(
            alias("1", &[("3", 0.1)]).share(&target()),
            Err((
                "routes 10 % to version 3".to_string(),
                "routing only to version 2".to_string()
            ))
        );
    }

    #[test]
    fn names_routing_back_from_the_new_version_as_drift() {
        let (found, _) = alias("2", &[("1", 0.25)]).share(&target()).unwrap_err();
        assert_eq!(found, "points at version 2 and routes 25 % to version 1");
    }
}
