//! Typed requests to the stack's functions, over whichever gateway the command line chose.
//! Every answer keeps the JSON the function returned, which is what `--output json` prints.

mod documents;
mod registration;

pub use documents::{DeploymentDocument, DeploymentPage, StopAnswer};
pub use registration::{Registered, Registration};

use crate::error::CliError;
use crate::gateway::{Function, Gateway};
use gradual_core::DeploymentId;
use gradual_handlers::create_deployment::{CreateDeploymentRequest, CreateDeploymentResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// A function's answer: the JSON as it came, and read as `T`.
pub struct Answer<T> {
    pub json: Value,
    pub value: T,
}

#[derive(Clone, Copy)]
pub struct Client<'a> {
    gateway: &'a dyn Gateway,
}

impl<'a> Client<'a> {
    pub fn new(gateway: &'a dyn Gateway) -> Self {
        Client { gateway }
    }

    pub fn gateway(&self) -> &'a dyn Gateway {
        self.gateway
    }

    pub async fn create_deployment(
        &self,
        request: &CreateDeploymentRequest,
    ) -> Result<Answer<CreateDeploymentResponse>, CliError> {
        self.call(Function::CreateDeployment, request).await
    }

    /// A deployment with its history.
    pub async fn deployment(
        &self,
        id: &DeploymentId,
    ) -> Result<Answer<DeploymentDocument>, CliError> {
        self.call(Function::GetDeployment, &json!({ "deploymentId": id }))
            .await
    }

    /// One page of a group's deployments, newest first.
    pub async fn list_deployments(
        &self,
        application: &str,
        group: &str,
        limit: Option<usize>,
        next_token: Option<&str>,
    ) -> Result<Answer<DeploymentPage>, CliError> {
        let mut request = json!({
            "applicationName": application,
            "deploymentGroupName": group,
        });
        if let Some(limit) = limit {
            request["limit"] = json!(limit);
        }
        if let Some(token) = next_token {
            request["nextToken"] = json!(token);
        }
        self.call(Function::GetDeployment, &request).await
    }

    /// Stops a deployment; `roll_back` unset lets its auto-rollback configuration decide.
    pub async fn stop(
        &self,
        id: &DeploymentId,
        roll_back: Option<bool>,
    ) -> Result<Answer<StopAnswer>, CliError> {
        let mut request = json!({ "deploymentId": id });
        if let Some(roll_back) = roll_back {
            request["autoRollbackEnabled"] = json!(roll_back);
        }
        self.call(Function::StopDeployment, &request).await
    }

    /// Applications, deployment groups and custom configs.
    pub fn registration(&self) -> Registration<'a> {
        Registration::new(*self)
    }

    /// Sends `request` to `function` and reads its answer as `T`.
    pub async fn call<T: DeserializeOwned>(
        &self,
        function: Function,
        request: &impl Serialize,
    ) -> Result<Answer<T>, CliError> {
        let unexpected = |detail: String| CliError::Answer {
            function: function.name().to_owned(),
            detail,
        };
        let payload =
            serde_json::to_value(request).map_err(|error| unexpected(error.to_string()))?;
        let json = self.gateway.invoke(function, payload).await?;
        let value =
            serde_json::from_value(json.clone()).map_err(|error| unexpected(error.to_string()))?;
        Ok(Answer { json, value })
    }
}
