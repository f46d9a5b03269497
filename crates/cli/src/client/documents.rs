//! The answers of the deployment functions, as a client reads them.

use gradual_core::history::HistoryRecord;
use gradual_core::{Deployment, DeploymentId};
use serde::Deserialize;

/// get-deployment's answer for one deployment.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentDocument {
    pub deployment_info: Deployment,
    pub history: Vec<HistoryRecord>,
}

/// get-deployment's answer for a listing.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentPage {
    pub deployments: Vec<DeploymentId>,
    #[serde(default)]
    pub next_token: Option<String>,
}

/// stop-deployment's answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StopAnswer {
    pub status: String,
    pub status_message: String,
}
