//! `create-deployment`: three entry points, all ending in [`CreateDeployment`]:
//! a direct request (CLI, Lambda invoke), an EventBridge event whose `detail` is that request,
//! and a CodePipeline Lambda invoke action whose `UserParameters` is that request. See
//! `docs/entry-points.md`.

mod codepipeline;
mod create;
mod eventbridge;
mod request;

pub use codepipeline::{JobOutcome, PipelineAnswer};
pub use create::{
    workflow_input, AppSpecContent, CreateDeployment, CreateDeploymentRequest,
    CreateDeploymentResponse, Revision, HOOK_TIMEOUT_SECONDS,
};
pub use eventbridge::{DETAIL_TYPE, SOURCE};
pub use request::EntryRequest;

use crate::error::HandlerError;
use crate::handler::Handler;
use async_trait::async_trait;
use gradual_core::ports::PipelineReporter;
use gradual_core::Creator;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What the function answers: the deployment's id, or for a pipeline job what it told
/// CodePipeline (CodePipeline itself reads nothing from the function's answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EntryResponse {
    Created(CreateDeploymentResponse),
    Pipeline(PipelineAnswer),
}

pub struct DeploymentEntry {
    pub create: CreateDeployment,
    pub pipeline: Arc<dyn PipelineReporter>,
    /// The stack's account: the only one whose events may request deployments.
    pub account_id: String,
}

#[async_trait]
impl Handler for DeploymentEntry {
    type Input = EntryRequest;
    type Output = EntryResponse;

    async fn handle(&self, request: EntryRequest) -> Result<EntryResponse, HandlerError> {
        match request {
            EntryRequest::Direct(request) => self
                .create
                .create(*request, Creator::User)
                .await
                .map(EntryResponse::Created),
            EntryRequest::EventBridge(event) => {
                let request = eventbridge::deployment_request(*event, &self.account_id)?;
                self.create
                    .create(request, Creator::User)
                    .await
                    .map(EntryResponse::Created)
            }
            EntryRequest::CodePipeline(job) => codepipeline::Job::read(*job)?
                .answer(&self.create, self.pipeline.as_ref(), &self.account_id)
                .await
                .map(EntryResponse::Pipeline),
        }
    }
}

#[cfg(test)]
#[path = "create_deployment_tests.rs"]
mod tests;
