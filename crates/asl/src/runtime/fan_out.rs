//! Parallel and Map states: running branches or iterations side by side as tokio tasks,
//! each a lane of its own, and gathering their outputs in order.

use std::sync::Arc;

use serde_json::Value;
use tokio::task::JoinSet;

use super::execution::StateContext;
use super::history::{EventDetails, HistoryEventType};
use super::interpreter::Interpreter;
use super::io;
use super::lane::Lane;
use crate::clock::BoxFuture;
use crate::definition::{Branch, MapSpec, ResultHandling, State};
use crate::error::StatesError;
use crate::limits;
use crate::template::Template;

/// One branch or iteration to run.
struct Job {
    index: usize,
    branch: Arc<Branch>,
    input: Value,
    /// For Map iterations, the Map state's name (iterations are recorded in the history).
    iteration_of: Option<String>,
}

type JobResult = (usize, Result<Value, StatesError>, Lane);

/// The history events of a Parallel or Map state's run.
struct FanOutEvents {
    succeeded: HistoryEventType,
    failed: HistoryEventType,
}

impl Interpreter {
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn run_parallel(
        &self,
        state: &State,
        branches: &[Arc<Branch>],
        parameters: Option<&Template>,
        results: &ResultHandling,
        raw: &Value,
        attempt: StateContext<'_>,
        lane: &mut Lane,
    ) -> Result<Value, StatesError> {
        let context = self.context(&attempt);
        let effective = io::input_path(&state.input_path, raw, &context)?;
        let input = io::parameters(parameters, effective, &context)?;
        if parameters.is_some() {
            limits::check_input(&state.name, &input)?;
        }
        self.record(
            lane,
            HistoryEventType::ParallelStateStarted,
            EventDetails::default(),
        );
        let jobs = branches
            .iter()
            .enumerate()
            .map(|(index, branch)| Job {
                index,
                branch: branch.clone(),
                input: input.clone(),
                iteration_of: None,
            })
            .collect();
        let events = FanOutEvents {
            succeeded: HistoryEventType::ParallelStateSucceeded,
            failed: HistoryEventType::ParallelStateFailed,
        };
        let outputs = self.fan_out(jobs, 0, &events, lane).await?;
        self.finish_fan_out(state, results, raw, outputs, &context)
    }

    pub(super) async fn run_map(
        &self,
        state: &State,
        map: &MapSpec,
        raw: &Value,
        attempt: StateContext<'_>,
        lane: &mut Lane,
    ) -> Result<Value, StatesError> {
        let context = self.context(&attempt);
        let effective = io::input_path(&state.input_path, raw, &context)?;
        let items = map.items_path.read(&effective, &context).map_err(|miss| {
            StatesError::runtime(format!("Invalid path '{}' in ItemsPath: {miss}", miss.path))
        })?;
        let Value::Array(items) = items else {
            return Err(StatesError::runtime(format!(
                "ItemsPath '{}' of Map state '{}' must select an array, found {items}",
                map.items_path, state.name
            )));
        };
        self.record(
            lane,
            HistoryEventType::MapStateStarted,
            EventDetails {
                length: Some(items.len()),
                ..EventDetails::default()
            },
        );
        let mut jobs = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let input = match &map.item_selector {
                Some(selector) => {
                    let item_context = self.context(&StateContext {
                        map_item: Some((index, item)),
                        ..attempt
                    });
                    let input = selector.render(&effective, &item_context)?;
                    limits::check_input(&state.name, &input)?;
                    input
                }
                None => item.clone(),
            };
            jobs.push(Job {
                index,
                branch: map.processor.clone(),
                input,
                iteration_of: Some(state.name.clone()),
            });
        }
        let events = FanOutEvents {
            succeeded: HistoryEventType::MapStateSucceeded,
            failed: HistoryEventType::MapStateFailed,
        };
        let outputs = self
            .fan_out(jobs, map.max_concurrency, &events, lane)
            .await?;
        self.finish_fan_out(state, &map.results, raw, outputs, &context)
    }

    fn finish_fan_out(
        &self,
        state: &State,
        results: &ResultHandling,
        raw: &Value,
        outputs: Vec<Value>,
        context: &Value,
    ) -> Result<Value, StatesError> {
        let gathered = Value::Array(outputs);
        limits::check_result(&state.name, &gathered)?;
        let placed = io::place_result(results, raw.clone(), gathered, context)?;
        io::output_path(&state.output_path, placed, context)
    }

    /// Runs the jobs, at most `limit` at a time (0: all at once). The first failure stops
    /// the others and is the state's failure.
    ///
    /// While children run, this lane holds no guard (the children hold theirs); it takes
    /// over the guard of each child that finishes, so there is never a moment when nobody
    /// is counted busy although this lane is about to act.
    async fn fan_out(
        &self,
        jobs: Vec<Job>,
        limit: usize,
        events: &FanOutEvents,
        lane: &mut Lane,
    ) -> Result<Vec<Value>, StatesError> {
        let total = jobs.len();
        let limit = if limit == 0 { total } else { limit };
        let mut waiting = jobs.into_iter();
        let mut outputs: Vec<Option<Value>> = vec![None; total];
        let mut running: JoinSet<JobResult> = JoinSet::new();
        for job in waiting.by_ref().take(limit) {
            self.spawn_job(&mut running, job, lane);
        }
        if !running.is_empty() {
            lane.go_idle();
        }
        while let Some(joined) = running.join_next().await {
            let result = match joined {
                Ok((index, result, child)) => {
                    lane.guard = child.guard;
                    result.map(|output| outputs[index] = Some(output))
                }
                Err(join_error) => {
                    lane.guard = self.world.clock.hold();
                    Err(StatesError::runtime(format!(
                        "a branch stopped unexpectedly: {join_error}"
                    )))
                }
            };
            if let Err(failure) = result {
                running.shutdown().await;
                self.record(
                    lane,
                    events.failed,
                    EventDetails::failure(&failure.error, &failure.cause),
                );
                return Err(failure);
            }
            if let Some(job) = waiting.next() {
                self.spawn_job(&mut running, job, lane);
            }
            if !running.is_empty() {
                lane.go_idle();
            }
        }
        self.record(lane, events.succeeded, EventDetails::default());
        Ok(outputs.into_iter().map(Option::unwrap_or_default).collect())
    }

    fn spawn_job(&self, running: &mut JoinSet<JobResult>, job: Job, lane: &Lane) {
        let child = lane.fork(self.world.clock.hold());
        let interpreter = self.clone();
        let work: BoxFuture<'static, JobResult> = Box::pin(async move {
            let mut lane = child;
            let details = |index| EventDetails {
                name: job.iteration_of.clone(),
                index: Some(index),
                ..EventDetails::default()
            };
            if job.iteration_of.is_some() {
                interpreter.record(
                    &mut lane,
                    HistoryEventType::MapIterationStarted,
                    details(job.index),
                );
            }
            let result = interpreter
                .run_branch(&job.branch, job.input, &mut lane)
                .await;
            if job.iteration_of.is_some() {
                let event = match result {
                    Ok(_) => HistoryEventType::MapIterationSucceeded,
                    Err(_) => HistoryEventType::MapIterationFailed,
                };
                interpreter.record(&mut lane, event, details(job.index));
            }
            (job.index, result, lane)
        });
        running.spawn(work);
    }
}
