//! Watching deployments from the outside: the routing their targets really have, read back
//! from the emulator (GetAlias, DescribeListeners, DescribeRules) rather than from gradual's
//! own records, at the moments the workflow moves traffic or begins a bake.

use super::{names, LocalWorld};
use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum};
use gradual_asl::{Clock, FunctionError, LambdaFunction};
use gradual_aws::dynamodb::DynamoDbStore;
use gradual_core::ports::DeploymentRecords;
use gradual_core::{AlbListenerTarget, DeploymentId, LambdaAliasTarget, Target};
use gradual_handlers::Function;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;

/// Where one target sends traffic, as its service reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum Routing {
    /// GetAlias: the version the alias points at, and the other versions it sends a share to.
    Alias {
        version: String,
        additional_weights: BTreeMap<String, f64>,
    },
    /// The forward action of the production listener (or of its rule), and of the test
    /// listener when the target has one.
    Listener {
        production: Forward,
        test: Option<Forward>,
    },
}

/// A forward action as weights on the blue and green target groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forward {
    pub blue: i32,
    pub green: i32,
    /// The stickiness duration, when stickiness is on.
    pub stickiness_seconds: Option<i32>,
}

/// Reads the routing of targets from the services that hold it.
#[derive(Clone)]
pub struct RoutingReader {
    lambda: aws_sdk_lambda::Client,
    elb: aws_sdk_elasticloadbalancingv2::Client,
    store: Arc<DynamoDbStore>,
}

impl RoutingReader {
    /// The routing of one target.
    pub async fn target(&self, target: &Target) -> Result<Routing, String> {
        match target {
            Target::LambdaAlias(alias) => self.alias(alias).await,
            Target::AlbListener(listener) => self.listener(listener).await,
        }
    }

    /// The routing of every target of a stored deployment, in the deployment's order.
    pub async fn deployment(&self, id: &DeploymentId) -> Result<Vec<Routing>, String> {
        let deployment = self
            .store
            .get_deployment(id)
            .await
            .map_err(|error| error.to_string())?
            .ok_or_else(|| format!("deployment {id} is not stored"))?;
        let mut routing = Vec::with_capacity(deployment.targets.len());
        for target in &deployment.targets {
            routing.push(self.target(target).await?);
        }
        Ok(routing)
    }

    async fn alias(&self, target: &LambdaAliasTarget) -> Result<Routing, String> {
        let alias = self
            .lambda
            .get_alias()
            .function_name(&target.function_name)
            .name(&target.alias)
            .send()
            .await
            .map_err(|error| {
                let alias = format!("{}:{}", target.function_name, target.alias);
                format!("GetAlias {alias}: {}", service_error(&error))
            })?;
        let additional_weights = alias
            .routing_config()
            .and_then(|routing| routing.additional_version_weights())
            .map(|weights| weights.iter().map(|(v, w)| (v.clone(), *w)).collect())
            .unwrap_or_default();
        Ok(Routing::Alias {
            version: alias.function_version().unwrap_or_default().to_owned(),
            additional_weights,
        })
    }

    async fn listener(&self, target: &AlbListenerTarget) -> Result<Routing, String> {
        let production = match &target.rule_arn {
            Some(rule) => self.rule_actions(rule).await?,
            None => self.listener_actions(&target.listener_arn).await?,
        };
        let test = match &target.test_listener_arn {
            Some(listener) => Some(forward_of(&self.listener_actions(listener).await?, target)?),
            None => None,
        };
        Ok(Routing::Listener {
            production: forward_of(&production, target)?,
            test,
        })
    }

    async fn listener_actions(&self, listener: &str) -> Result<Vec<Action>, String> {
        let answer = self
            .elb
            .describe_listeners()
            .listener_arns(listener)
            .send()
            .await
            .map_err(|error| format!("DescribeListeners {listener}: {}", service_error(&error)))?;
        let listener = answer
            .listeners()
            .first()
            .ok_or_else(|| format!("DescribeListeners {listener}: no such listener"))?;
        Ok(listener.default_actions().to_vec())
    }

    async fn rule_actions(&self, rule: &str) -> Result<Vec<Action>, String> {
        let answer = self
            .elb
            .describe_rules()
            .rule_arns(rule)
            .send()
            .await
            .map_err(|error| format!("DescribeRules {rule}: {}", service_error(&error)))?;
        let rule = answer
            .rules()
            .first()
            .ok_or_else(|| format!("DescribeRules {rule}: no such rule"))?;
        Ok(rule.actions().to_vec())
    }
}

/// The weights of the one forward action among `actions`, as ELB applies them: a target group
/// without a weight weighs 1.
fn forward_of(actions: &[Action], target: &AlbListenerTarget) -> Result<Forward, String> {
    let forward = actions
        .iter()
        .find(|action| action.r#type() == Some(&ActionTypeEnum::Forward))
        .ok_or_else(|| {
            format!(
                "{} has no forward action",
                Target::AlbListener(target.clone())
            )
        })?;
    let config = forward.forward_config();
    let mut groups: Vec<(&str, i32)> = config
        .map(|config| config.target_groups())
        .unwrap_or_default()
        .iter()
        .map(|tuple| {
            (
                tuple.target_group_arn().unwrap_or_default(),
                tuple.weight().unwrap_or(1),
            )
        })
        .collect();
    if groups.is_empty() {
        groups.extend(forward.target_group_arn().map(|arn| (arn, 1)));
    }
    let weight_of = |group: &str| -> i32 {
        groups
            .iter()
            .filter(|(arn, _)| *arn == group)
            .map(|(_, weight)| weight)
            .sum()
    };
    let stickiness = config.and_then(|config| config.target_group_stickiness_config());
    Ok(Forward {
        blue: weight_of(&target.blue_target_group_arn),
        green: weight_of(&target.green_target_group_arn),
        stickiness_seconds: stickiness
            .filter(|stickiness| stickiness.enabled() == Some(true))
            .and_then(|stickiness| stickiness.duration_seconds()),
    })
}

fn service_error(error: &(dyn std::error::Error + 'static)) -> String {
    aws_sdk_lambda::error::DisplayErrorContext(error).to_string()
}

/// The routing of a deployment's targets at one moment of its workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub deployment_id: String,
    /// What the workflow had just done: a traffic action (`start`, `shift`, `test-traffic`,
    /// `finish`, `rollback`) or `bake` for the beginning of a bake.
    pub moment: String,
    /// Whether the function answered without an error.
    pub succeeded: bool,
    pub at: OffsetDateTime,
    pub routing: Result<Vec<Routing>, String>,
}

/// Every observation made in a world, in order.
#[derive(Debug, Default)]
pub struct TrafficLog {
    observations: Mutex<Vec<Observation>>,
}

impl TrafficLog {
    /// The observations of one deployment, oldest first.
    pub fn of(&self, id: &DeploymentId) -> Vec<Observation> {
        self.lock()
            .iter()
            .filter(|observation| observation.deployment_id == id.as_str())
            .cloned()
            .collect()
    }

    fn push(&self, observation: Observation) {
        self.lock().push(observation);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Observation>> {
        self.observations
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A workflow function that, once it has answered, reads where its deployment's traffic goes.
struct Observed {
    inner: Arc<dyn LambdaFunction>,
    /// The moment a payload stands for; `None` reads it from the payload's `action`.
    moment: Option<&'static str>,
    reader: RoutingReader,
    clock: Arc<dyn Clock>,
    log: Arc<TrafficLog>,
}

#[async_trait]
impl LambdaFunction for Observed {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        let answer = self.inner.invoke(payload.clone()).await;
        let text = |field: &str| payload.get(field).and_then(Value::as_str).unwrap_or("");
        let deployment_id = text("deploymentId").to_owned();
        let moment = self.moment.unwrap_or_else(|| text("action")).to_owned();
        let routing = match deployment_id.parse::<DeploymentId>() {
            Ok(id) => self.reader.deployment(&id).await,
            Err(error) => Err(error.to_string()),
        };
        self.log.push(Observation {
            deployment_id,
            moment,
            succeeded: answer.is_ok(),
            at: self.clock.now(),
            routing,
        });
        answer
    }
}

impl LocalWorld {
    /// A reader of the routing targets have on the emulator.
    pub fn routing_reader(&self) -> RoutingReader {
        RoutingReader {
            lambda: aws_sdk_lambda::Client::new(&self.sdk),
            elb: aws_sdk_elasticloadbalancingv2::Client::new(&self.sdk),
            store: Arc::clone(&self.store),
        }
    }

    /// From now on, reads every deployment's routing right after each traffic action and as
    /// each bake begins, into the returned log.
    pub fn observe_traffic(&self) -> Arc<TrafficLog> {
        let log = Arc::new(TrafficLog::default());
        let observed = [
            (Function::ShiftAliasWeight, None),
            (Function::SwapAlbTargets, None),
            (Function::Bake, Some("bake")),
        ];
        for (function, moment) in observed {
            let name = names::function_name(function);
            let wrapped = self.functions.wrap(&name, |inner| Observed {
                inner,
                moment,
                reader: self.routing_reader(),
                clock: Arc::clone(&self.clock),
                log: Arc::clone(&log),
            });
            assert!(wrapped, "the world registers {name}");
        }
        log
    }
}
