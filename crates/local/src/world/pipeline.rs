//! The pipeline reporter port in the local world: the emulator has no CodePipeline job API, so
//! the world keeps CodePipeline's side itself. A test runs a pipeline action as CodePipeline
//! does ([`super::LocalWorld::run_pipeline_action`]): the job exists first, then the function
//! is invoked with it. create-deployment reads the job back (GetJobDetails) before acting, so
//! an event CodePipeline did not send is refused; its answers are recorded for tests to read.

use super::names;
use async_trait::async_trait;
use gradual_core::ports::{JobDetails, JobFailure, JobSuccess, PipelineError, PipelineReporter};
use gradual_handlers::Function;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// One answer to a CodePipeline job, as CodePipeline would have received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobAnswer {
    Success(JobSuccess),
    Failure(JobFailure),
}

/// A job as CodePipeline holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Job {
    account_id: String,
    function_name: Option<String>,
    user_parameters: Option<String>,
    continuation_token: Option<String>,
}

/// CodePipeline's jobs and every answer given to them; a job answered without a continuation
/// token, or failed, takes no further answer, as in CodePipeline (InvalidJobStateException).
#[derive(Debug, Default)]
pub struct RecordingPipelineReporter {
    jobs: Mutex<HashMap<String, Job>>,
    answers: Mutex<Vec<(String, JobAnswer)>>,
}

impl RecordingPipelineReporter {
    /// The answers given to `job_id`, oldest first.
    pub fn answers(&self, job_id: &str) -> Vec<JobAnswer> {
        lock(&self.answers)
            .iter()
            .filter(|(job, _)| job == job_id)
            .map(|(_, answer)| answer.clone())
            .collect()
    }

    /// CodePipeline running the job of a Lambda invoke action, as `event` describes it (the
    /// event CodePipeline then sends). A job it started before keeps its action; it carries
    /// the event's continuation token only when the function handed that token out.
    pub fn start_job(&self, event: &Value) {
        let job = &event["CodePipeline.job"];
        let Some(id) = job["id"].as_str() else {
            return;
        };
        let data = &job["data"];
        let configuration = &data["actionConfiguration"]["configuration"];
        let text = |value: &Value| value.as_str().map(str::to_owned);
        let token = text(&data["continuationToken"]);
        let handed_out = self.answers(id).iter().any(|answer| {
            matches!(answer, JobAnswer::Success(success)
                if success.continuation_token.is_some() && success.continuation_token == token)
        });
        let mut jobs = lock(&self.jobs);
        let started = jobs.entry(id.to_owned()).or_insert(Job {
            account_id: text(&job["accountId"]).unwrap_or_default(),
            function_name: text(&configuration["FunctionName"]),
            user_parameters: text(&configuration["UserParameters"]),
            continuation_token: None,
        });
        if handed_out {
            started.continuation_token = token;
        }
    }

    fn record(&self, job_id: &str, answer: JobAnswer) -> Result<(), PipelineError> {
        let mut answers = lock(&self.answers);
        let closed = answers.iter().any(|(job, earlier)| {
            job == job_id
                && !matches!(earlier, JobAnswer::Success(success) if success.continuation_token.is_some())
        });
        if closed {
            return Err(PipelineError::JobClosed {
                job_id: job_id.to_owned(),
                reason: "InvalidJobStateException: the job was already answered".to_owned(),
            });
        }
        answers.push((job_id.to_owned(), answer));
        Ok(())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[async_trait]
impl PipelineReporter for RecordingPipelineReporter {
    async fn job_details(&self, job_id: &str) -> Result<JobDetails, PipelineError> {
        let job =
            lock(&self.jobs)
                .get(job_id)
                .cloned()
                .ok_or_else(|| PipelineError::JobClosed {
                    job_id: job_id.to_owned(),
                    reason: "JobNotFoundException: CodePipeline has no such job".to_owned(),
                })?;
        let this_function = names::function_name(Function::CreateDeployment);
        Ok(JobDetails {
            account_id: job.account_id,
            invokes_this_function: job.function_name.as_deref() == Some(this_function.as_str()),
            user_parameters: job.user_parameters,
            continuation_token: job.continuation_token,
        })
    }

    async fn put_job_success(
        &self,
        job_id: &str,
        success: &JobSuccess,
    ) -> Result<(), PipelineError> {
        self.record(job_id, JobAnswer::Success(success.clone()))
    }

    async fn put_job_failure(
        &self,
        job_id: &str,
        failure: &JobFailure,
    ) -> Result<(), PipelineError> {
        self.record(job_id, JobAnswer::Failure(failure.clone()))
    }
}
