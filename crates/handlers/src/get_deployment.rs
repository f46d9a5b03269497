//! `get-deployment`: a deployment with its history, and the deployments of a group.

use crate::error::HandlerError;
use crate::handler::Handler;
use crate::support::deployments::load;
use async_trait::async_trait;
use gradual_core::history::HistoryRecord;
use gradual_core::ports::DeploymentStore;
use gradual_core::{Deployment, DeploymentId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The most deployments one page lists.
pub const MAX_PAGE: usize = 100;

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum GetDeploymentInput {
    One {
        #[serde(rename = "deploymentId")]
        deployment_id: DeploymentId,
    },
    List(ListDeploymentsInput),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListDeploymentsInput {
    pub application_name: String,
    pub deployment_group_name: String,
    #[serde(default)]
    pub next_token: Option<String>,
    #[serde(default)]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum GetDeploymentOutput {
    #[serde(rename_all = "camelCase")]
    One {
        deployment_info: Box<Deployment>,
        history: Vec<HistoryRecord>,
    },
    #[serde(rename_all = "camelCase")]
    List {
        deployments: Vec<DeploymentId>,
        #[serde(skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    },
}

pub struct GetDeployment {
    pub store: Arc<dyn DeploymentStore>,
}

#[async_trait]
impl Handler for GetDeployment {
    type Input = GetDeploymentInput;
    type Output = GetDeploymentOutput;

    async fn handle(&self, input: GetDeploymentInput) -> Result<GetDeploymentOutput, HandlerError> {
        match input {
            GetDeploymentInput::One { deployment_id } => {
                let deployment = load(self.store.as_ref(), &deployment_id).await?;
                let history = self.store.history(&deployment_id).await?;
                Ok(GetDeploymentOutput::One {
                    deployment_info: Box::new(deployment),
                    history,
                })
            }
            GetDeploymentInput::List(list) => {
                let limit = list.limit.unwrap_or(MAX_PAGE);
                if !(1..=MAX_PAGE).contains(&limit) {
                    return Err(HandlerError::InvalidInput(format!(
                        "limit: {limit} is out of range (1–{MAX_PAGE})"
                    )));
                }
                let page = self
                    .store
                    .list_deployments(
                        &list.application_name,
                        &list.deployment_group_name,
                        limit,
                        list.next_token.as_deref(),
                    )
                    .await?;
                Ok(GetDeploymentOutput::List {
                    deployments: page.items,
                    next_token: page.next_token,
                })
            }
        }
    }
}
