//! The CodePipeline adapter of the pipeline reporter port: answers the job of a Lambda invoke
//! action with PutJobSuccessResult or PutJobFailureResult.
//!
//! The emulator does not implement these two calls, so this adapter is tested against a mocked
//! client (`codepipeline_tests.rs`).

use async_trait::async_trait;
use aws_sdk_codepipeline::error::{DisplayErrorContext, SdkError};
use aws_sdk_codepipeline::operation::put_job_failure_result::PutJobFailureResultError;
use aws_sdk_codepipeline::operation::put_job_success_result::PutJobSuccessResultError;
use aws_sdk_codepipeline::types::{ExecutionDetails, FailureDetails, FailureType};
use gradual_core::ports::{
    clip, JobFailure, JobSuccess, PipelineError, PipelineReporter, MAX_FAILURE_MESSAGE, MAX_SUMMARY,
};

/// Answers CodePipeline jobs.
#[derive(Debug, Clone)]
pub struct CodePipelineReporter {
    client: aws_sdk_codepipeline::Client,
}

impl CodePipelineReporter {
    pub fn new(client: aws_sdk_codepipeline::Client) -> Self {
        Self { client }
    }
}

#[async_trait]
impl PipelineReporter for CodePipelineReporter {
    async fn put_job_success(
        &self,
        job_id: &str,
        success: &JobSuccess,
    ) -> Result<(), PipelineError> {
        let details = ExecutionDetails::builder()
            .summary(clip(&success.summary, MAX_SUMMARY))
            .external_execution_id(&success.external_execution_id)
            .build();
        self.client
            .put_job_success_result()
            .job_id(job_id)
            .set_continuation_token(success.continuation_token.clone())
            .execution_details(details)
            .send()
            .await
            .map_err(|error| refused(job_id, "PutJobSuccessResult", &error))?;
        tracing::info!(
            job_id,
            continues = success.continuation_token.is_some(),
            "answered the CodePipeline job: success"
        );
        Ok(())
    }

    async fn put_job_failure(
        &self,
        job_id: &str,
        failure: &JobFailure,
    ) -> Result<(), PipelineError> {
        let details = FailureDetails::builder()
            .r#type(FailureType::JobFailed)
            .message(clip(&failure.message, MAX_FAILURE_MESSAGE))
            .set_external_execution_id(failure.external_execution_id.clone())
            .build()
            .map_err(|error| PipelineError::Backend {
                job_id: job_id.to_owned(),
                reason: format!("invalid failure details: {error}"),
            })?;
        self.client
            .put_job_failure_result()
            .job_id(job_id)
            .failure_details(details)
            .send()
            .await
            .map_err(|error| refused(job_id, "PutJobFailureResult", &error))?;
        tracing::info!(job_id, "answered the CodePipeline job: failure");
        Ok(())
    }
}

/// The port's error for a refused call: `JobClosed` when CodePipeline said the job takes no
/// answer any more (InvalidJobStateException, JobNotFoundException).
fn refused<E, R>(job_id: &str, call: &str, error: &SdkError<E, R>) -> PipelineError
where
    E: ClosesJob + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let job_id = job_id.to_owned();
    let reason = format!("{call}: {}", DisplayErrorContext(error));
    if error.as_service_error().is_some_and(ClosesJob::closes_job) {
        PipelineError::JobClosed { job_id, reason }
    } else {
        PipelineError::Backend { job_id, reason }
    }
}

/// The errors of the two answering calls that mean the job is over.
trait ClosesJob {
    fn closes_job(&self) -> bool;
}

impl ClosesJob for PutJobSuccessResultError {
    fn closes_job(&self) -> bool {
        self.is_invalid_job_state_exception() || self.is_job_not_found_exception()
    }
}

impl ClosesJob for PutJobFailureResultError {
    fn closes_job(&self) -> bool {
        self.is_invalid_job_state_exception() || self.is_job_not_found_exception()
    }
}

#[cfg(test)]
#[path = "codepipeline_tests.rs"]
mod tests;
