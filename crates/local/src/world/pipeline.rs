//! The pipeline reporter port in the local world: the emulator has no CodePipeline job API,
//! so the answers create-deployment gives are recorded for tests and demos to read.

use async_trait::async_trait;
use gradual_core::ports::{JobFailure, JobSuccess, PipelineError, PipelineReporter};
use std::sync::{Mutex, MutexGuard};

/// One answer to a CodePipeline job, as CodePipeline would have received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobAnswer {
    Success(JobSuccess),
    Failure(JobFailure),
}

/// Records every answer by job; a job answered without a continuation token, or failed, takes
/// no further answer, as in CodePipeline (InvalidJobStateException).
#[derive(Debug, Default)]
pub struct RecordingPipelineReporter {
    answers: Mutex<Vec<(String, JobAnswer)>>,
}

impl RecordingPipelineReporter {
    /// The answers given to `job_id`, oldest first.
    pub fn answers(&self, job_id: &str) -> Vec<JobAnswer> {
        self.lock()
            .iter()
            .filter(|(job, _)| job == job_id)
            .map(|(_, answer)| answer.clone())
            .collect()
    }

    fn record(&self, job_id: &str, answer: JobAnswer) -> Result<(), PipelineError> {
        let mut answers = self.lock();
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

    fn lock(&self) -> MutexGuard<'_, Vec<(String, JobAnswer)>> {
        self.answers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait]
impl PipelineReporter for RecordingPipelineReporter {
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
