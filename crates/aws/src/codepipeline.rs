//! The CodePipeline adapter of the pipeline reporter port: reads the job of a Lambda invoke
//! action with GetJobDetails, and answers it with PutJobSuccessResult or PutJobFailureResult.
//!
//! The emulator does not implement these calls, so this adapter is tested against a mocked
//! client (`codepipeline_tests.rs`). GetJobDetails also hands out the job's artifact
//! credentials: they are dropped here, never kept, returned or logged.

use crate::sdk_error::is_access_denied;
use async_trait::async_trait;
use aws_sdk_codepipeline::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_codepipeline::operation::get_job_details::GetJobDetailsError;
use aws_sdk_codepipeline::operation::put_job_failure_result::PutJobFailureResultError;
use aws_sdk_codepipeline::operation::put_job_success_result::PutJobSuccessResultError;
use aws_sdk_codepipeline::types::{
    ActionCategory, ActionOwner, ExecutionDetails, FailureDetails, FailureType, JobData,
};
use gradual_core::ports::{
    clip, JobDetails, JobFailure, JobSuccess, PipelineError, PipelineReporter, MAX_FAILURE_MESSAGE,
    MAX_SUMMARY,
};

/// Reads and answers the CodePipeline jobs of one function.
#[derive(Debug, Clone)]
pub struct CodePipelineReporter {
    client: aws_sdk_codepipeline::Client,
    /// The function whose jobs these are (Lambda's `AWS_LAMBDA_FUNCTION_NAME`).
    function_name: String,
}

impl CodePipelineReporter {
    pub fn new(client: aws_sdk_codepipeline::Client, function_name: impl Into<String>) -> Self {
        Self {
            client,
            function_name: function_name.into(),
        }
    }

    /// Whether the job is a Lambda invoke action whose `FunctionName` (a name, an ARN, either
    /// with a qualifier) names this function.
    fn invokes_this_function(&self, data: &JobData) -> bool {
        let is_lambda_invoke = data.action_type_id().is_some_and(|action| {
            *action.category() == ActionCategory::Invoke
                && *action.owner() == ActionOwner::Aws
                && action.provider() == "Lambda"
        });
        let named = data
            .action_configuration()
            .and_then(|configuration| configuration.configuration())
            .and_then(|configuration| configuration.get("FunctionName"))
            .map(|name| function_of(name));
        is_lambda_invoke && named == Some(self.function_name.as_str())
    }
}

/// The function a Lambda invoke action's `FunctionName` names: `name`, `name:qualifier`,
/// `arn:aws:lambda:<region>:<account>:function:name[:qualifier]`.
fn function_of(name: &str) -> &str {
    let name = name.split_once(":function:").map_or(name, |(_, rest)| rest);
    name.split(':').next().unwrap_or(name)
}

#[async_trait]
impl PipelineReporter for CodePipelineReporter {
    async fn job_details(&self, job_id: &str) -> Result<JobDetails, PipelineError> {
        let output = self
            .client
            .get_job_details()
            .job_id(job_id)
            .send()
            .await
            .map_err(|error| refused(job_id, "GetJobDetails", &error))?;
        let details = output.job_details();
        let data = details.and_then(|details| details.data());
        let configuration = data
            .and_then(JobData::action_configuration)
            .and_then(|configuration| configuration.configuration());
        Ok(JobDetails {
            account_id: details
                .and_then(|details| details.account_id())
                .unwrap_or_default()
                .to_owned(),
            invokes_this_function: data.is_some_and(|data| self.invokes_this_function(data)),
            user_parameters: configuration
                .and_then(|configuration| configuration.get("UserParameters"))
                .cloned(),
            continuation_token: data
                .and_then(JobData::continuation_token)
                .map(str::to_owned),
        })
    }

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
/// answer any more (InvalidJobStateException) or knows no such job (JobNotFoundException).
fn refused<E, R>(job_id: &str, call: &str, error: &SdkError<E, R>) -> PipelineError
where
    E: ClosesJob + ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let job_id = job_id.to_owned();
    let reason = format!("{call}: {}", DisplayErrorContext(error));
    if error.as_service_error().is_some_and(ClosesJob::closes_job) {
        PipelineError::JobClosed { job_id, reason }
    } else if error.code().is_some_and(is_access_denied) {
        PipelineError::AccessDenied {
            job_id,
            reason: format!("{reason}; the function's role in template.yaml needs that action"),
        }
    } else {
        PipelineError::Backend { job_id, reason }
    }
}

/// The errors of the two answering calls that mean the job is over.
trait ClosesJob {
    fn closes_job(&self) -> bool;
}

impl ClosesJob for GetJobDetailsError {
    fn closes_job(&self) -> bool {
        self.is_job_not_found_exception()
    }
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
