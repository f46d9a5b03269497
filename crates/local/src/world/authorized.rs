//! The services the local world serves in-process (Step Functions, the Lambda invokes of hooks,
//! CodePipeline's answers), checking each call's IAM action against the calling function's
//! role as AWS would, before serving it.

use super::identities::Caller;
use async_trait::async_trait;
use gradual_core::ports::{
    HookInvokeError, HookInvoker, HookPayload, JobDetails, JobFailure, JobSuccess, PipelineError,
    PipelineReporter, Workflow, WorkflowError,
};
use std::sync::Arc;

/// `inner`, called by `caller`.
pub struct Authorized<T: ?Sized> {
    pub caller: Caller,
    pub inner: Arc<T>,
}

impl<T: ?Sized> Authorized<T> {
    pub fn new(caller: &Caller, inner: Arc<T>) -> Arc<Self> {
        Arc::new(Authorized {
            caller: caller.clone(),
            inner,
        })
    }
}

#[async_trait]
impl Workflow for Authorized<dyn Workflow> {
    async fn start(&self, name: &str, input: &serde_json::Value) -> Result<String, WorkflowError> {
        self.caller
            .check("states:StartExecution")
            .map_err(WorkflowError::AccessDenied)?;
        self.inner.start(name, input).await
    }

    async fn is_running(&self, name: &str) -> Result<bool, WorkflowError> {
        self.caller
            .check("states:DescribeExecution")
            .map_err(WorkflowError::AccessDenied)?;
        self.inner.is_running(name).await
    }

    async fn send_task_success(
        &self,
        task_token: &str,
        output: &serde_json::Value,
    ) -> Result<(), WorkflowError> {
        self.caller
            .check("states:SendTaskSuccess")
            .map_err(WorkflowError::AccessDenied)?;
        self.inner.send_task_success(task_token, output).await
    }

    async fn send_task_failure(
        &self,
        task_token: &str,
        error: &str,
        cause: &str,
    ) -> Result<(), WorkflowError> {
        self.caller
            .check("states:SendTaskFailure")
            .map_err(WorkflowError::AccessDenied)?;
        self.inner.send_task_failure(task_token, error, cause).await
    }
}

#[async_trait]
impl HookInvoker for Authorized<dyn HookInvoker> {
    async fn invoke_async(
        &self,
        function_name: &str,
        payload: &HookPayload,
    ) -> Result<(), HookInvokeError> {
        self.caller
            .check("lambda:InvokeFunction")
            .map_err(|reason| HookInvokeError {
                function_name: function_name.to_owned(),
                reason,
            })?;
        self.inner.invoke_async(function_name, payload).await
    }
}

#[async_trait]
impl PipelineReporter for Authorized<dyn PipelineReporter> {
    async fn job_details(&self, job_id: &str) -> Result<JobDetails, PipelineError> {
        self.caller
            .check("codepipeline:GetJobDetails")
            .map_err(|reason| denied(job_id, reason))?;
        self.inner.job_details(job_id).await
    }

    async fn put_job_success(
        &self,
        job_id: &str,
        success: &JobSuccess,
    ) -> Result<(), PipelineError> {
        self.caller
            .check("codepipeline:PutJobSuccessResult")
            .map_err(|reason| denied(job_id, reason))?;
        self.inner.put_job_success(job_id, success).await
    }

    async fn put_job_failure(
        &self,
        job_id: &str,
        failure: &JobFailure,
    ) -> Result<(), PipelineError> {
        self.caller
            .check("codepipeline:PutJobFailureResult")
            .map_err(|reason| denied(job_id, reason))?;
        self.inner.put_job_failure(job_id, failure).await
    }
}

fn denied(job_id: &str, reason: String) -> PipelineError {
    PipelineError::AccessDenied {
        job_id: job_id.to_owned(),
        reason,
    }
}
