//! The pipeline reporter port: how gradual checks a CodePipeline job that invoked it as a
//! Lambda action (GetJobDetails: the event could be forged by anyone allowed to invoke the
//! function) and answers it (PutJobSuccessResult and PutJobFailureResult).
//!
//! While the deployment runs, the job succeeds *with a continuation token*: CodePipeline then
//! invokes the action again with that token, until an answer comes without one (the action
//! succeeded) or a failure ends it.

use async_trait::async_trait;
use thiserror::Error;

/// The longest summary CodePipeline shows for an action execution.
pub const MAX_SUMMARY: usize = 2048;
/// The longest failure message CodePipeline accepts.
pub const MAX_FAILURE_MESSAGE: usize = 5000;

/// A successful answer: the action is done, or (with a continuation token) still running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSuccess {
    /// Set while the deployment runs: CodePipeline invokes the action again with it.
    pub continuation_token: Option<String>,
    /// What the action works on, linked from the console: the deployment id.
    pub external_execution_id: String,
    /// One line for the console, at most [`MAX_SUMMARY`] characters.
    pub summary: String,
}

/// A failed answer (CodePipeline's failure type `JobFailed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFailure {
    /// The deployment, when there is one.
    pub external_execution_id: Option<String>,
    /// What went wrong, with the error code; at most [`MAX_FAILURE_MESSAGE`] characters.
    pub message: String,
}

/// What CodePipeline itself says about a job: the facts an invocation event could forge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobDetails {
    /// The account the job belongs to.
    pub account_id: String,
    /// Whether the job is a Lambda invoke action (AWS/Invoke/Lambda) of the function asking.
    pub invokes_this_function: bool,
    /// The action's `UserParameters`.
    pub user_parameters: Option<String>,
    /// The continuation token of the job's last answer, when it has one.
    pub continuation_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PipelineError {
    /// The job takes no more answers: it was answered already, timed out, or is unknown.
    #[error("CodePipeline job {job_id} takes no answer any more: {reason}")]
    JobClosed { job_id: String, reason: String },
    #[error("CodePipeline could not take the answer to job {job_id}: {reason}")]
    Backend { job_id: String, reason: String },
    /// The function's role may not make the call: retrying cannot help.
    #[error("CodePipeline refused the call for job {job_id}: {reason}")]
    AccessDenied { job_id: String, reason: String },
}

#[async_trait]
pub trait PipelineReporter: Send + Sync {
    /// The job as CodePipeline knows it (`JobClosed` when it knows no such job).
    async fn job_details(&self, job_id: &str) -> Result<JobDetails, PipelineError>;
    async fn put_job_success(
        &self,
        job_id: &str,
        success: &JobSuccess,
    ) -> Result<(), PipelineError>;
    async fn put_job_failure(
        &self,
        job_id: &str,
        failure: &JobFailure,
    ) -> Result<(), PipelineError>;
}

/// `text` cut to at most `limit` characters, on a character boundary, marking the cut.
pub fn clip(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let kept: String = text.chars().take(limit.saturating_sub(1)).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_keeps_short_text_and_marks_a_cut() {
        assert_eq!(clip("deployment failed", 100), "deployment failed");
        let clipped = clip("ééééé", 3);
        assert_eq!(clipped, "éé…");
        assert_eq!(clipped.chars().count(), 3);
    }
}
