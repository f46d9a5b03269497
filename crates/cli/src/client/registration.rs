//! Requests to the register function: applications, deployment groups and custom deployment
//! configs, each request naming its `action` beside the resource's fields.

use super::{Answer, Client};
use crate::error::CliError;
use crate::gateway::Function;
use gradual_core::{Application, ComputePlatform, DeploymentConfig, DeploymentGroup};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// register's answer: the resource as stored after the action.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Registered {
    #[serde(default)]
    pub application: Option<Application>,
    /// The application's group names, with `get-application`.
    #[serde(default)]
    pub deployment_groups: Option<Vec<String>>,
    #[serde(default)]
    pub deployment_group: Option<DeploymentGroup>,
    #[serde(default)]
    pub deployment_config: Option<DeploymentConfig>,
    /// Every config, with `list-deployment-configs`.
    #[serde(default)]
    pub deployment_configs: Option<Vec<DeploymentConfig>>,
}

pub struct Registration<'a> {
    client: Client<'a>,
}

impl<'a> Registration<'a> {
    pub fn new(client: Client<'a>) -> Self {
        Registration { client }
    }

    pub async fn create_application(
        &self,
        name: &str,
        platform: ComputePlatform,
    ) -> Result<Answer<Registered>, CliError> {
        let body = json!({ "applicationName": name, "computePlatform": platform });
        self.send("create-application", body).await
    }

    pub async fn get_application(&self, name: &str) -> Result<Answer<Registered>, CliError> {
        self.send("get-application", json!({ "applicationName": name }))
            .await
    }

    /// `group` holds the fields of CodeDeploy's CreateDeploymentGroup request (and `targets`).
    pub async fn create_group(
        &self,
        group: Map<String, Value>,
    ) -> Result<Answer<Registered>, CliError> {
        self.send("create-deployment-group", group).await
    }

    pub async fn update_group(
        &self,
        group: Map<String, Value>,
    ) -> Result<Answer<Registered>, CliError> {
        self.send("update-deployment-group", group).await
    }

    pub async fn get_group(
        &self,
        application: &str,
        group: &str,
    ) -> Result<Answer<Registered>, CliError> {
        let body = json!({ "applicationName": application, "deploymentGroupName": group });
        self.send("get-deployment-group", body).await
    }

    pub async fn create_config(
        &self,
        config: &DeploymentConfig,
    ) -> Result<Answer<Registered>, CliError> {
        self.send("create-deployment-config", config).await
    }

    pub async fn get_config(&self, name: &str) -> Result<Answer<Registered>, CliError> {
        self.send(
            "get-deployment-config",
            json!({ "deploymentConfigName": name }),
        )
        .await
    }

    /// The predefined configs and the stack's custom ones.
    pub async fn list_configs(&self) -> Result<Answer<Registered>, CliError> {
        self.send("list-deployment-configs", json!({})).await
    }

    /// `body`'s fields with the action added.
    async fn send(
        &self,
        action: &str,
        body: impl Serialize,
    ) -> Result<Answer<Registered>, CliError> {
        let mut request = serde_json::to_value(body)
            .map_err(|error| CliError::Input(format!("could not encode the request: {error}")))?;
        request["action"] = json!(action);
        self.client.call(Function::Register, &request).await
    }
}

impl Registered {
    /// The part of the answer a command asked for, or an error saying it is missing.
    pub fn expect<T>(part: Option<T>, name: &str) -> Result<T, CliError> {
        part.ok_or_else(|| CliError::Answer {
            function: Function::Register.name().to_owned(),
            detail: format!("the answer has no {name}"),
        })
    }
}
