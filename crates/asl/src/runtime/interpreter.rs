//! Walking a branch state by state: entering, running, retrying, catching, moving on.

use std::sync::Arc;
use std::time::Duration;

use rand::RngExt;
use serde_json::{json, Value};
use time::OffsetDateTime;

use super::choice;
use super::execution::{Execution, ExecutionOutcome, ExecutionStatus, StateContext};
use super::history::{EventDetails, HistoryEventType};
use super::io;
use super::lane::Lane;
use super::World;
use crate::clock::BoxFuture;
use crate::definition::{Branch, FailText, Jitter, Retrier, State, StateKind, Transition, WaitFor};
use crate::error::{names, StatesError};
use crate::limits;
use crate::timestamp;

#[derive(Clone)]
pub(crate) struct Interpreter {
    pub world: Arc<World>,
    pub execution: Arc<Execution>,
}

/// A state's output and the state to go to next (`None` when the branch ends).
type Step<'s> = (Value, Option<&'s str>);

impl Interpreter {
    pub fn new(world: Arc<World>, execution: Arc<Execution>) -> Self {
        Self { world, execution }
    }

    pub fn record(&self, lane: &mut Lane, event_type: HistoryEventType, details: EventDetails) {
        self.execution.record(
            self.world.clock.now(),
            &mut lane.last_event,
            event_type,
            details,
        );
    }

    pub fn context(&self, state: &StateContext) -> Value {
        self.execution.context(state)
    }

    /// Runs the whole execution and records how it ended.
    pub async fn run_execution(self, mut lane: Lane) {
        self.record(
            &mut lane,
            HistoryEventType::ExecutionStarted,
            EventDetails {
                input: Some(self.execution.input.clone()),
                ..EventDetails::default()
            },
        );
        let machine = self.execution.machine.clone();
        let input = self.execution.input.clone();
        let result = match machine.timeout_seconds() {
            None => Some(self.run_branch(machine.root(), input, &mut lane).await),
            Some(seconds) => {
                let deadline = self.execution.start_date + Duration::from_secs(seconds);
                let timeout = self.world.clock.sleep_until(deadline);
                let finished = {
                    let body = self.run_branch(machine.root(), input, &mut lane);
                    tokio::select! {
                        result = body => Ok(result),
                        woken = timeout => Err(woken),
                    }
                };
                finished.map_err(|woken| lane.guard = woken).ok()
            }
        };
        let outcome = match result {
            Some(Ok(output)) => ExecutionOutcome::succeeded(output),
            Some(Err(failure)) => ExecutionOutcome::ended(ExecutionStatus::Failed, failure),
            None => ExecutionOutcome::ended(
                ExecutionStatus::TimedOut,
                StatesError::new(
                    names::TIMEOUT,
                    "The execution ran longer than the state machine's TimeoutSeconds",
                ),
            ),
        };
        self.world.finish(&self.execution, lane.last_event, outcome);
    }

    /// Ends an execution whose task panicked, so that nobody waits for it forever.
    pub fn finish_after_panic(&self) {
        let failure =
            StatesError::runtime("the local executor panicked while running this execution");
        let last_event = self.execution.history().len() as u64;
        self.world.finish(
            &self.execution,
            last_event,
            ExecutionOutcome::ended(ExecutionStatus::Failed, failure),
        );
    }

    /// Runs `branch` from its StartAt to its end.
    pub fn run_branch<'a>(
        &'a self,
        branch: &'a Branch,
        input: Value,
        lane: &'a mut Lane,
    ) -> BoxFuture<'a, Result<Value, StatesError>> {
        Box::pin(async move {
            let mut current = branch.start_at.as_str();
            let mut input = input;
            loop {
                // A stopped execution enters no state any more, whichever branch or Map
                // iteration was still running when the stop came.
                if self.execution.outcome().is_some() {
                    return Err(StatesError::runtime("the execution has ended"));
                }
                let state = &branch.states[current];
                let (entered_event, exited_event) =
                    HistoryEventType::for_state(state.kind.type_name());
                self.record(
                    lane,
                    entered_event,
                    EventDetails::state(&state.name, input.clone(), true),
                );
                let catchers = state
                    .kind
                    .error_handling()
                    .map(|handling| handling.catch.as_slice())
                    .unwrap_or_default();
                let raw_input = (!catchers.is_empty()).then(|| input.clone());
                let (output, next) = match self.run_state(state, input, lane).await {
                    Ok(step) => step,
                    Err(failure) => {
                        let catcher = catchers.iter().find(|catcher| catcher.matches(&failure));
                        let (Some(catcher), Some(raw_input)) = (catcher, raw_input) else {
                            return Err(failure);
                        };
                        let error_output = json!({"Error": failure.error, "Cause": failure.cause});
                        let output =
                            io::result_path(&catcher.result_path, raw_input, error_output)?;
                        limits::check_output(&state.name, &output)?;
                        (output, Some(catcher.next.as_str()))
                    }
                };
                if let Some(exited_event) = exited_event {
                    self.record(
                        lane,
                        exited_event,
                        EventDetails::state(&state.name, output.clone(), false),
                    );
                }
                match next {
                    Some(next) => {
                        current = next;
                        input = output;
                    }
                    None => return Ok(output),
                }
            }
        })
    }

    async fn run_state<'s>(
        &self,
        state: &'s State,
        raw: Value,
        lane: &mut Lane,
    ) -> Result<Step<'s>, StatesError> {
        let entered = self.world.clock.now();
        let next = match &state.transition {
            Transition::Next(next) => Some(next.as_str()),
            _ => None,
        };
        let attempt = StateContext {
            state_name: &state.name,
            entered,
            retry_count: 0,
            task_token: None,
            map_item: None,
        };
        if matches!(
            state.kind,
            StateKind::Task(_) | StateKind::Parallel { .. } | StateKind::Map(_)
        ) {
            return Ok((
                self.run_with_retries(state, raw, attempt, lane).await?,
                next,
            ));
        }
        let context = self.context(&attempt);
        if let StateKind::Fail { error, cause } = &state.kind {
            return Err(StatesError::new(
                fail_text(error.as_ref(), &raw, &context, "ErrorPath")?,
                fail_text(cause.as_ref(), &raw, &context, "CausePath")?,
            ));
        }
        let effective = io::input_path(&state.input_path, &raw, &context)?;
        let (value, next) = match &state.kind {
            StateKind::Pass {
                parameters,
                result,
                result_path,
            } => {
                let result = match (result, parameters) {
                    (Some(result), _) => result.clone(),
                    (None, None) => effective,
                    (None, Some(parameters)) => {
                        let input = io::parameters(Some(parameters), effective, &context)?;
                        limits::check_input(&state.name, &input)?;
                        input
                    }
                };
                (io::result_path(result_path, raw, result)?, next)
            }
            StateKind::Choice { choices, default } => {
                let chosen = choice::choose(choices, &effective, &context)?
                    .or(default.as_deref())
                    .ok_or_else(|| {
                        StatesError::new(
                            names::NO_CHOICE_MATCHED,
                            format!(
                                "No Choice Rule of state '{}' matched and it has no Default",
                                state.name
                            ),
                        )
                    })?;
                (effective, Some(chosen))
            }
            StateKind::Wait(wait) => {
                let until = self.wait_until(wait, &effective, &context)?;
                lane.idle_until(self.world.clock.sleep_until(until)).await;
                (effective, next)
            }
            _ => (effective, None),
        };
        let output = io::output_path(&state.output_path, value, &context)?;
        limits::check_output(&state.name, &output)?;
        Ok((output, next))
    }

    fn wait_until(
        &self,
        wait: &WaitFor,
        input: &Value,
        context: &Value,
    ) -> Result<OffsetDateTime, StatesError> {
        let read = |path: &crate::path::Path| {
            path.read(input, context).map_err(|miss| {
                StatesError::runtime(format!(
                    "Invalid path '{}' in the Wait state: {miss}",
                    miss.path
                ))
            })
        };
        Ok(match wait {
            WaitFor::Seconds(seconds) => self.world.clock.now() + Duration::from_secs(*seconds),
            WaitFor::Timestamp(instant) => *instant,
            WaitFor::SecondsPath(path) => {
                let value = read(path)?;
                let seconds = value.as_u64().ok_or_else(|| {
                    StatesError::runtime(format!(
                        "SecondsPath '{path}' must point to a non-negative whole number, found {value}"
                    ))
                })?;
                self.world.clock.now() + Duration::from_secs(seconds)
            }
            WaitFor::TimestampPath(path) => {
                let value = read(path)?;
                value.as_str().and_then(timestamp::parse).ok_or_else(|| {
                    StatesError::runtime(format!(
                        "TimestampPath '{path}' must point to a timestamp such as 2016-03-14T01:59:00Z, found {value}"
                    ))
                })?
            }
        })
    }

    /// Runs a Task, Parallel or Map state, retrying as its Retry field says.
    async fn run_with_retries(
        &self,
        state: &State,
        raw: Value,
        first_attempt: StateContext<'_>,
        lane: &mut Lane,
    ) -> Result<Value, StatesError> {
        let retriers = state
            .kind
            .error_handling()
            .map(|handling| handling.retry.as_slice())
            .unwrap_or_default();
        let mut retries_by_retrier = vec![0u64; retriers.len()];
        let mut attempt = first_attempt;
        loop {
            let result = match &state.kind {
                StateKind::Task(task) => self.run_task(state, task, &raw, attempt, lane).await,
                StateKind::Parallel {
                    branches,
                    parameters,
                    results,
                    ..
                } => {
                    self.run_parallel(
                        state,
                        branches,
                        parameters.as_ref(),
                        results,
                        &raw,
                        attempt,
                        lane,
                    )
                    .await
                }
                StateKind::Map(map) => self.run_map(state, map, &raw, attempt, lane).await,
                other => unreachable!("{} states are not retried", other.type_name()),
            };
            // An output over the payload quota is this attempt's failure, for the retriers
            // and catchers that name States.DataLimitExceeded.
            let result = result
                .and_then(|output| limits::check_output(&state.name, &output).map(|()| output));
            let failure = match result {
                Ok(output) => return Ok(output),
                Err(failure) => failure,
            };
            let Some((index, retrier)) = retriers
                .iter()
                .enumerate()
                .find(|(_, retrier)| retrier.matches(&failure))
            else {
                return Err(failure);
            };
            if retries_by_retrier[index] >= retrier.max_attempts {
                return Err(failure);
            }
            let delay = self.retry_delay(retrier, retries_by_retrier[index]);
            retries_by_retrier[index] += 1;
            attempt.retry_count += 1;
            lane.idle_until(self.world.clock.sleep(delay)).await;
        }
    }

    fn retry_delay(&self, retrier: &Retrier, retries_so_far: u64) -> Duration {
        let delay = retrier.delay(retries_so_far);
        match retrier.jitter {
            Jitter::None => delay,
            Jitter::Full => {
                let mut rng = self
                    .world
                    .jitter
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                delay.mul_f64(rng.random_range(0.0..=1.0))
            }
        }
    }
}

fn fail_text(
    text: Option<&FailText>,
    input: &Value,
    context: &Value,
    field: &str,
) -> Result<String, StatesError> {
    match text {
        None => Ok(String::new()),
        Some(FailText::Fixed(text)) => Ok(text.clone()),
        Some(FailText::Dynamic(dynamic)) => match dynamic.evaluate(input, context, field)? {
            Value::String(text) => Ok(text),
            other => Err(StatesError::runtime(format!(
                "the Fail state's ErrorPath or CausePath must yield a string, not {other}"
            ))),
        },
    }
}
