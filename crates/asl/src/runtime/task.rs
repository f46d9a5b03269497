//! Task states: calling the resource, waiting for a task token, timeouts and heartbeats.

use std::time::Duration;

use serde_json::{json, Value};
use time::OffsetDateTime;

use super::execution::StateContext;
use super::history::{EventDetails, HistoryEventType};
use super::interpreter::Interpreter;
use super::io;
use super::lane::Lane;
use super::tokens::{Delivery, IssuedToken, Report};
use crate::clock::BoxFuture;
use crate::definition::{Resource, Seconds, State, TaskSpec};
use crate::error::{names, StatesError};
use crate::functions::{function_name_of, LambdaFunction};
use crate::limits;
use std::sync::Arc;

/// Step Functions' TimeoutSeconds when none is given.
const DEFAULT_TIMEOUT_SECONDS: u64 = 99_999_999;

/// The history events a resource produces, and how it names itself in them.
struct TaskEvents {
    scheduled: HistoryEventType,
    started: HistoryEventType,
    succeeded: HistoryEventType,
    failed: HistoryEventType,
    timed_out: HistoryEventType,
    resource_type: Option<String>,
    resource: String,
}

impl TaskEvents {
    fn of(resource: &Resource) -> Self {
        use HistoryEventType::*;
        match resource {
            Resource::LambdaFunction { arn } => Self {
                scheduled: LambdaFunctionScheduled,
                started: LambdaFunctionStarted,
                succeeded: LambdaFunctionSucceeded,
                failed: LambdaFunctionFailed,
                timed_out: LambdaFunctionTimedOut,
                resource_type: None,
                resource: arn.clone(),
            },
            Resource::LambdaInvoke { wait_for_token } => Self::service(if *wait_for_token {
                "arn:aws:states:::lambda:invoke.waitForTaskToken"
            } else {
                "arn:aws:states:::lambda:invoke"
            }),
            Resource::Registered { arn, .. } => Self::service(arn),
        }
    }

    /// `arn:aws:states:::sns:publish` is resource type `sns`, resource `publish`.
    fn service(arn: &str) -> Self {
        use HistoryEventType::*;
        let mut parts = arn.rsplitn(3, ':');
        let resource = parts.next().unwrap_or(arn).to_owned();
        let resource_type = parts.next().map(str::to_owned);
        Self {
            scheduled: TaskScheduled,
            started: TaskStarted,
            succeeded: TaskSucceeded,
            failed: TaskFailed,
            timed_out: TaskTimedOut,
            resource_type,
            resource,
        }
    }

    fn details(&self) -> EventDetails {
        EventDetails {
            resource_type: self.resource_type.clone(),
            resource: Some(self.resource.clone()),
            ..EventDetails::default()
        }
    }
}

/// How long a task may take, and may go without a heartbeat.
struct Limits {
    timeout: u64,
    heartbeat: Option<u64>,
}

impl Interpreter {
    pub(super) async fn run_task(
        &self,
        state: &State,
        task: &TaskSpec,
        raw: &Value,
        attempt: StateContext<'_>,
        lane: &mut Lane,
    ) -> Result<Value, StatesError> {
        let plain_context = self.context(&attempt);
        let effective = io::input_path(&state.input_path, raw, &plain_context)?;
        let limits = Limits {
            timeout: seconds(task.timeout.as_ref(), &effective, &plain_context)?
                .unwrap_or(DEFAULT_TIMEOUT_SECONDS),
            heartbeat: seconds(task.heartbeat.as_ref(), &effective, &plain_context)?,
        };
        let token = task
            .resource
            .waits_for_token()
            .then(|| self.world.tokens.issue(&self.execution.arn));
        let context = match &token {
            Some(issued) => self.context(&StateContext {
                task_token: Some(&issued.token),
                ..attempt
            }),
            None => plain_context,
        };
        let parameters = io::parameters(task.parameters.as_ref(), effective, &context)?;
        limits::check_input(&state.name, &parameters)?;
        let events = TaskEvents::of(&task.resource);
        let mut scheduled = events.details();
        match task.resource {
            Resource::LambdaFunction { .. } => scheduled.input = Some(parameters.clone()),
            _ => scheduled.parameters = Some(parameters.clone()),
        }
        scheduled.timeout_in_seconds = Some(limits.timeout);
        scheduled.heartbeat_in_seconds = limits.heartbeat;
        self.record(lane, events.scheduled, scheduled);
        self.record(lane, events.started, events.details());

        let deadline = self.world.clock.now() + Duration::from_secs(limits.timeout);
        // Nor does it invoke anything more (a retry after the stop, say).
        if self.execution.outcome().is_some() {
            return Err(StatesError::runtime("the execution has ended"));
        }
        let mut outcome = self.call(&task.resource, parameters, deadline).await;
        if let (Ok(submitted), Some(token)) = (&outcome, token) {
            self.record(
                lane,
                HistoryEventType::TaskSubmitted,
                EventDetails {
                    output: Some(submitted.clone()),
                    ..events.details()
                },
            );
            outcome = self
                .wait_for_report(token, deadline, limits.heartbeat, lane)
                .await;
        }
        // The connector's output is held to the payload quota before anything uses it.
        let outcome =
            outcome.and_then(|result| limits::check_result(&state.name, &result).map(|()| result));
        match outcome {
            Ok(result) => {
                self.record(
                    lane,
                    events.succeeded,
                    EventDetails {
                        output: Some(result.clone()),
                        ..events.details()
                    },
                );
                let placed = io::place_result(&task.results, raw.clone(), result, &context)?;
                io::output_path(&state.output_path, placed, &context)
            }
            Err(failure) => {
                let timed_out = matches!(
                    failure.error.as_str(),
                    names::TIMEOUT | names::HEARTBEAT_TIMEOUT
                );
                let event = if timed_out {
                    events.timed_out
                } else {
                    events.failed
                };
                self.record(
                    lane,
                    event,
                    EventDetails {
                        error: Some(failure.error.clone()),
                        cause: Some(failure.cause.clone()),
                        ..events.details()
                    },
                );
                Err(failure)
            }
        }
    }

    /// Calls the resource, giving up with States.Timeout at `deadline`. The lane stays
    /// busy meanwhile: a running handler keeps a virtual clock still. As in AWS, a timeout
    /// does not stop the invocation: the handler runs to its end in the background, only its
    /// answer is no longer awaited.
    async fn call(
        &self,
        resource: &Resource,
        parameters: Value,
        deadline: OffsetDateTime,
    ) -> Result<Value, StatesError> {
        let invocation = match self.invocation(resource, parameters) {
            Ok(invocation) => {
                // The handler keeps the clock still while it runs, even once nobody awaits it
                // (its execution stopped): as in AWS, where a stopped execution's function
                // runs on for its real seconds, not for any of the workflow's time.
                let busy = self.world.clock.hold();
                tokio::spawn(async move {
                    let answer = invocation.await;
                    drop(busy);
                    answer
                })
            }
            Err(error) => return Err(error),
        };
        let timeout = self.world.clock.sleep_until(deadline);
        tokio::select! {
            joined = invocation => joined.unwrap_or_else(|error| {
                Err(StatesError::runtime(format!("the task's handler panicked: {error}")))
            }),
            _ = timeout => Err(StatesError::timeout()),
        }
    }

    /// The call of `resource`, owning everything it needs so that it can outlive the task.
    fn invocation(
        &self,
        resource: &Resource,
        parameters: Value,
    ) -> Result<BoxFuture<'static, Result<Value, StatesError>>, StatesError> {
        match resource {
            Resource::LambdaInvoke { .. } => {
                let function_name = parameters
                    .get("FunctionName")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        StatesError::runtime(format!(
                            "lambda:invoke needs a FunctionName string in its Parameters, got {parameters}"
                        ))
                    })?;
                let function = self.function(function_name)?;
                let payload = parameters
                    .get("Payload")
                    .cloned()
                    .unwrap_or_else(|| json!({}));
                Ok(Box::pin(async move {
                    let output = function
                        .invoke(payload)
                        .await
                        .map_err(|error| error.to_states_error())?;
                    Ok(json!({"ExecutedVersion": "$LATEST", "Payload": output, "StatusCode": 200}))
                }))
            }
            Resource::LambdaFunction { arn } => {
                let function = self.function(arn)?;
                Ok(Box::pin(async move {
                    function
                        .invoke(parameters)
                        .await
                        .map_err(|error| error.to_states_error())
                }))
            }
            Resource::Registered { arn, .. } => match self.world.functions.resource(arn) {
                Some(handler) => Ok(Box::pin(async move { handler.call(parameters).await })),
                None => Err(StatesError::runtime(format!(
                    "no handler is registered any more for resource {arn}"
                ))),
            },
        }
    }

    /// The function a task names, or Lambda's ResourceNotFoundException.
    fn function(&self, function_name: &str) -> Result<Arc<dyn LambdaFunction>, StatesError> {
        self.world.functions.function(function_name).ok_or_else(|| {
            let settings = &self.world.settings;
            StatesError::new(
                names::LAMBDA_NOT_FOUND,
                format!(
                    "Function not found: arn:aws:lambda:{}:{}:function:{} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException)",
                    settings.region,
                    settings.account_id,
                    function_name_of(function_name)
                ),
            )
        })
    }

    /// Waits, idle, for SendTaskSuccess or SendTaskFailure, at most until `deadline` and at
    /// most `heartbeat` seconds between two signs of life.
    async fn wait_for_report(
        &self,
        mut token: IssuedToken,
        deadline: OffsetDateTime,
        heartbeat: Option<u64>,
        lane: &mut Lane,
    ) -> Result<Value, StatesError> {
        let clock = &self.world.clock;
        let next_beat = || heartbeat.map(|seconds| clock.sleep(Duration::from_secs(seconds)));
        let mut timeout = clock.sleep_until(deadline);
        let mut beat: Option<BoxFuture<'static, _>> = next_beat();
        lane.go_idle();
        loop {
            enum Woken {
                Delivered(Option<Delivery>),
                TimedOut,
                MissedHeartbeat,
            }
            let (woken, guard) = tokio::select! {
                delivery = token.deliveries.recv() => (Woken::Delivered(delivery), None),
                guard = &mut timeout => (Woken::TimedOut, Some(guard)),
                guard = async {
                    match beat.as_mut() {
                        Some(beat) => beat.await,
                        None => std::future::pending().await,
                    }
                } => (Woken::MissedHeartbeat, Some(guard)),
            };
            if let Some(guard) = guard {
                lane.guard = guard;
            }
            match woken {
                Woken::TimedOut => return Err(StatesError::timeout()),
                Woken::MissedHeartbeat => {
                    return Err(StatesError::new(names::HEARTBEAT_TIMEOUT, ""))
                }
                Woken::Delivered(None) => {
                    lane.guard = clock.hold();
                    return Err(StatesError::runtime("the task token was withdrawn"));
                }
                Woken::Delivered(Some(Delivery { report, guard })) => {
                    lane.guard = guard;
                    match report {
                        Report::Success(output) => return Ok(output),
                        Report::Failure { error, cause } => {
                            return Err(StatesError::new(error, cause))
                        }
                        Report::Heartbeat => {
                            beat = next_beat();
                            lane.go_idle();
                        }
                    }
                }
            }
        }
    }
}

/// TimeoutSeconds(Path) or HeartbeatSeconds(Path), read from the effective input.
fn seconds(
    seconds: Option<&Seconds>,
    input: &Value,
    context: &Value,
) -> Result<Option<u64>, StatesError> {
    match seconds {
        None => Ok(None),
        Some(Seconds::Fixed(fixed)) => Ok(Some(*fixed)),
        Some(Seconds::Path(path)) => {
            let value = path.read(input, context).map_err(|miss| {
                StatesError::runtime(format!("Invalid path '{}': {miss}", miss.path))
            })?;
            match value.as_u64() {
                Some(n) if n > 0 => Ok(Some(n)),
                _ => Err(StatesError::runtime(format!(
                    "'{path}' must point to a positive whole number of seconds, found {value}"
                ))),
            }
        }
    }
}
