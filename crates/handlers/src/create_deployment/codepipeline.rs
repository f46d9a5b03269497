//! Deployments started by a CodePipeline Lambda invoke action.
//!
//! The first invocation reads the request from the action's `UserParameters`, creates the
//! deployment (the job id is its client request token, so a retried invocation finds the same
//! deployment) and answers PutJobSuccessResult with the deployment id as continuation token.
//! CodePipeline then invokes the action again with that token: while the deployment runs the
//! answer is another continuation; once it ends, PutJobSuccessResult without a token, or
//! PutJobFailureResult (`JobFailed`) with the error code and message.
//!
//! Anyone allowed to invoke the function can send it a job event, naming a real job. So before
//! acting, the job is read back from CodePipeline (GetJobDetails): it must exist, belong to the
//! stack's account, be a Lambda invoke action of this function, and carry the event's
//! `UserParameters` (or continuation token). An event that does not match is refused and the
//! job is left unanswered: a forged event can neither start a deployment under a pipeline's
//! name nor succeed or fail a real job.

use crate::create_deployment::{CreateDeployment, CreateDeploymentRequest};
use crate::error::HandlerError;
use aws_lambda_events::event::codepipeline_job::CodePipelineJobEvent;
use gradual_core::ports::{
    DeploymentStore, JobFailure, JobSuccess, PipelineError, PipelineReporter,
};
use gradual_core::{Creator, Deployment, DeploymentId, DeploymentStatus, ErrorCode};
use serde::{Deserialize, Serialize};

/// How the job stands after an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobOutcome {
    /// Answered with a continuation token: CodePipeline asks again.
    InProgress,
    Succeeded,
    Failed,
}

/// What the function told CodePipeline about a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineAnswer {
    pub job_id: String,
    pub outcome: JobOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_id: Option<DeploymentId>,
    pub message: String,
}

/// A job as gradual reads it: a request to start, or a deployment to follow.
pub(super) struct Job {
    id: String,
    step: Step,
}

enum Step {
    /// The action's `UserParameters`, as CodePipeline hands them over.
    Start(Option<String>),
    /// The continuation token of an earlier answer.
    Follow(String),
}

impl Job {
    /// The job's id is all that must be there: without it there is nobody to answer.
    pub(super) fn read(event: CodePipelineJobEvent) -> Result<Job, HandlerError> {
        let job = event.code_pipeline_job;
        let id = job.id.filter(|id| !id.is_empty()).ok_or_else(|| {
            HandlerError::InvalidInput(
                "CodePipeline.job.id: missing; CodePipeline sends it with every job".to_owned(),
            )
        })?;
        let step = match job.data.continuation_token {
            Some(token) => Step::Follow(token),
            None => Step::Start(job.data.action_configuration.configuration.user_parameters),
        };
        Ok(Job { id, step })
    }

    /// Starts or follows the deployment and answers the job. Only a failure worth retrying
    /// (the store or CodePipeline unavailable) and an event that is not CodePipeline's fail
    /// the invocation; everything else is answered to CodePipeline.
    pub(super) async fn answer(
        self,
        create: &CreateDeployment,
        reporter: &dyn PipelineReporter,
        account_id: &str,
    ) -> Result<PipelineAnswer, HandlerError> {
        self.check_with_codepipeline(reporter, account_id).await?;
        let verdict = match &self.step {
            Step::Start(parameters) => self.start(create, parameters.as_deref()).await,
            Step::Follow(token) => follow(create.store.as_ref(), token).await,
        };
        let answer = match verdict {
            Ok(answer) => answer,
            Err(error @ HandlerError::Transient(_)) => return Err(error),
            Err(refused) => Verdict {
                outcome: JobOutcome::Failed,
                deployment_id: None,
                message: format!("{}: {refused}", refused.error_type()),
            },
        }
        .for_job(self.id);
        report(reporter, &answer).await?;
        tracing::info!(
            job_id = %answer.job_id,
            deployment_id = answer.deployment_id.as_ref().map(DeploymentId::as_str),
            outcome = ?answer.outcome,
            "answered the CodePipeline job"
        );
        Ok(answer)
    }

    /// Refuses an event whose job CodePipeline does not know as the event says.
    async fn check_with_codepipeline(
        &self,
        reporter: &dyn PipelineReporter,
        account_id: &str,
    ) -> Result<(), HandlerError> {
        let id = &self.id;
        let forged = |what: String| {
            HandlerError::InvalidInput(format!(
                "CodePipeline.job: {what}: the event is not CodePipeline's; job {id} is left unanswered"
            ))
        };
        let details = match reporter.job_details(id).await {
            Ok(details) => details,
            Err(PipelineError::JobClosed { reason, .. }) => {
                return Err(forged(format!("CodePipeline has no job {id} ({reason})")))
            }
            Err(error) => return Err(pipeline_failure(error)),
        };
        if details.account_id != account_id {
            return Err(forged(format!(
                "job {id} belongs to account {:?}, not to the stack's account {account_id}",
                details.account_id
            )));
        }
        if !details.invokes_this_function {
            return Err(forged(format!(
                "job {id} is not a Lambda invoke action of this function"
            )));
        }
        match &self.step {
            Step::Start(parameters) if *parameters != details.user_parameters => Err(forged(
                format!("the event's UserParameters are not those of job {id}"),
            )),
            Step::Follow(token) if details.continuation_token.as_ref() != Some(token) => {
                Err(forged(format!(
                    "continuationToken {token:?} is not the one job {id} was last answered with"
                )))
            }
            _ => Ok(()),
        }
    }

    async fn start(
        &self,
        create: &CreateDeployment,
        parameters: Option<&str>,
    ) -> Result<Verdict, HandlerError> {
        let mut request = user_parameters(parameters)?;
        request.client_request_token = Some(self.id.clone());
        let created = create.create(request, Creator::CodePipeline).await?;
        Ok(Verdict {
            outcome: JobOutcome::InProgress,
            deployment_id: Some(created.deployment_id.clone()),
            message: format!("deployment {} started", created.deployment_id),
        })
    }
}

/// What to tell CodePipeline, before it is addressed to a job.
struct Verdict {
    outcome: JobOutcome,
    deployment_id: Option<DeploymentId>,
    message: String,
}

impl Verdict {
    fn for_job(self, job_id: String) -> PipelineAnswer {
        PipelineAnswer {
            job_id,
            outcome: self.outcome,
            deployment_id: self.deployment_id,
            message: self.message,
        }
    }
}

/// The deployment request the action's `UserParameters` hold.
pub(super) fn user_parameters(
    parameters: Option<&str>,
) -> Result<CreateDeploymentRequest, HandlerError> {
    let invalid =
        |message: String| HandlerError::InvalidInput(format!("UserParameters: {message}"));
    let text = parameters
        .filter(|text| !text.trim().is_empty())
        .ok_or_else(|| {
            invalid(
                "missing; set the action's UserParameters to a deployment request as JSON"
                    .to_owned(),
            )
        })?;
    let request: CreateDeploymentRequest =
        serde_json::from_str(text).map_err(|error| invalid(error.to_string()))?;
    if request.client_request_token.is_some() {
        return Err(invalid(
            "clientRequestToken is not allowed: the job id is the request token of a pipeline deployment"
                .to_owned(),
        ));
    }
    Ok(request)
}

/// Where the deployment named by a continuation token stands. A store that cannot be read
/// now is asked again at the next invocation.
async fn follow(store: &dyn DeploymentStore, token: &str) -> Result<Verdict, HandlerError> {
    let id: DeploymentId = token.parse().map_err(|_| {
        HandlerError::InvalidInput(format!(
            "continuationToken: {token:?} is not a deployment id; gradual hands out deployment ids"
        ))
    })?;
    let deployment = match crate::support::deployments::load(store, &id).await {
        Ok(deployment) => deployment,
        Err(HandlerError::Transient(reason)) => {
            return Ok(Verdict {
                outcome: JobOutcome::InProgress,
                deployment_id: Some(id.clone()),
                message: format!("deployment {id} could not be read ({reason}); asking again"),
            })
        }
        Err(error) => return Err(error),
    };
    Ok(verdict_on(&deployment))
}

fn verdict_on(deployment: &Deployment) -> Verdict {
    let id = &deployment.id;
    let (outcome, message) = match deployment.status {
        DeploymentStatus::Succeeded => {
            (JobOutcome::Succeeded, format!("deployment {id} succeeded"))
        }
        DeploymentStatus::Failed | DeploymentStatus::Stopped => {
            let reason = deployment
                .error_information
                .as_ref()
                .map_or_else(|| "no error recorded".to_owned(), ToString::to_string);
            let rollback = deployment
                .rollback_info
                .rollback_deployment_id
                .as_ref()
                .map(|rollback| format!(" (rolled back by {rollback})"))
                .unwrap_or_default();
            (
                JobOutcome::Failed,
                format!("deployment {id} {}: {reason}{rollback}", deployment.status),
            )
        }
        running => (
            JobOutcome::InProgress,
            format!(
                "deployment {id} is {running}, {}% of traffic on the new version",
                deployment.traffic.percent
            ),
        ),
    };
    Verdict {
        outcome,
        deployment_id: Some(id.clone()),
        message,
    }
}

/// Tells CodePipeline. A job that takes no answer any more was answered before (a retried
/// invocation): nothing is left to do.
async fn report(
    reporter: &dyn PipelineReporter,
    answer: &PipelineAnswer,
) -> Result<(), HandlerError> {
    let deployment = answer
        .deployment_id
        .as_ref()
        .map(|id| id.as_str().to_owned());
    let reported = match answer.outcome {
        JobOutcome::InProgress | JobOutcome::Succeeded => {
            let success = JobSuccess {
                continuation_token: (answer.outcome == JobOutcome::InProgress)
                    .then(|| deployment.clone())
                    .flatten(),
                external_execution_id: deployment.unwrap_or_default(),
                summary: answer.message.clone(),
            };
            reporter.put_job_success(&answer.job_id, &success).await
        }
        JobOutcome::Failed => {
            let failure = JobFailure {
                external_execution_id: deployment,
                message: answer.message.clone(),
            };
            reporter.put_job_failure(&answer.job_id, &failure).await
        }
    };
    match reported {
        Ok(()) => Ok(()),
        Err(PipelineError::JobClosed { job_id, reason }) => {
            tracing::warn!(%job_id, %reason, "the CodePipeline job was already answered");
            Ok(())
        }
        Err(error) => Err(pipeline_failure(error)),
    }
}

/// A CodePipeline call that failed: retried, unless the function's role lacks the permission.
fn pipeline_failure(error: PipelineError) -> HandlerError {
    match error {
        PipelineError::AccessDenied { .. } => {
            HandlerError::deployment(ErrorCode::IamRolePermissions, error.to_string())
        }
        _ => HandlerError::Transient(error.to_string()),
    }
}
