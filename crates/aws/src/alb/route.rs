//! Reading and writing the actions of a listener (its default actions) or of a listener rule.

use super::failed;
use crate::sdk_error::ServiceCall;
use aws_sdk_elasticloadbalancingv2::types::Action;
use aws_sdk_elasticloadbalancingv2::Client;
use gradual_core::ports::RouterError;
use gradual_core::ErrorCode;

const CODE: ErrorCode = ErrorCode::ElasticLoadBalancingInvalid;

/// A place whose actions decide where traffic goes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Route<'a> {
    kind: Kind,
    pub arn: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Listener,
    Rule,
    TestListener,
}

impl<'a> Route<'a> {
    pub fn listener(arn: &'a str) -> Self {
        Route {
            kind: Kind::Listener,
            arn,
        }
    }

    pub fn rule(arn: &'a str) -> Self {
        Route {
            kind: Kind::Rule,
            arn,
        }
    }

    pub fn test_listener(arn: &'a str) -> Self {
        Route {
            kind: Kind::TestListener,
            arn,
        }
    }

    /// "listener arn:…", "listener rule arn:…", "test listener arn:…".
    pub fn name(&self) -> String {
        let kind = match self.kind {
            Kind::Listener => "listener",
            Kind::Rule => "listener rule",
            Kind::TestListener => "test listener",
        };
        format!("{kind} {}", self.arn)
    }

    fn call(&self, operation: &'static str) -> ServiceCall {
        ServiceCall {
            code: CODE,
            operation,
            resource: self.name(),
            missing: self.name(),
        }
    }

    pub async fn read(&self, client: &Client) -> Result<Vec<Action>, RouterError> {
        let actions = if self.kind == Kind::Rule {
            let output = client
                .describe_rules()
                .rule_arns(self.arn)
                .send()
                .await
                .map_err(|error| failed(self.call("DescribeRules"), &error))?;
            output
                .rules()
                .iter()
                .find(|rule| rule.rule_arn() == Some(self.arn))
                .map(|rule| rule.actions().to_vec())
        } else {
            let output = client
                .describe_listeners()
                .listener_arns(self.arn)
                .send()
                .await
                .map_err(|error| failed(self.call("DescribeListeners"), &error))?;
            output
                .listeners()
                .iter()
                .find(|listener| listener.listener_arn() == Some(self.arn))
                .map(|listener| listener.default_actions().to_vec())
        };
        actions.ok_or_else(|| RouterError::Missing {
            code: CODE,
            what: self.name(),
        })
    }

    /// Replaces the actions and nothing else: a listener keeps its port, protocol, certificates
    /// and attributes, a rule its conditions and priority.
    pub async fn write(&self, client: &Client, actions: Vec<Action>) -> Result<(), RouterError> {
        if self.kind == Kind::Rule {
            client
                .modify_rule()
                .rule_arn(self.arn)
                .set_actions(Some(actions))
                .send()
                .await
                .map_err(|error| failed(self.call("ModifyRule"), &error))?;
        } else {
            client
                .modify_listener()
                .listener_arn(self.arn)
                .set_default_actions(Some(actions))
                .send()
                .await
                .map_err(|error| failed(self.call("ModifyListener"), &error))?;
        }
        Ok(())
    }
}
