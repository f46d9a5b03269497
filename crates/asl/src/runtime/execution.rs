//! One execution's record: its status, result and history, shared by the tasks running it
//! and the API reading it.

use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use serde_json::{json, Map, Value};
use time::OffsetDateTime;
use tokio::sync::watch;
use tokio::task::AbortHandle;

use super::history::{EventDetails, HistoryEvent, HistoryEventType};
use crate::definition::StateMachine;
use crate::error::StatesError;
use crate::timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

/// How an execution ended.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionOutcome {
    pub status: ExecutionStatus,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
}

impl ExecutionOutcome {
    pub(crate) fn succeeded(output: Value) -> Self {
        Self {
            status: ExecutionStatus::Succeeded,
            output: Some(output),
            error: None,
            cause: None,
        }
    }

    pub(crate) fn ended(status: ExecutionStatus, failure: StatesError) -> Self {
        Self {
            status,
            output: None,
            error: Some(failure.error),
            cause: Some(failure.cause),
        }
    }
}

/// What DescribeExecution tells.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionDescription {
    pub execution_arn: String,
    pub state_machine_arn: String,
    pub name: String,
    pub status: ExecutionStatus,
    pub start_date: OffsetDateTime,
    pub stop_date: Option<OffsetDateTime>,
    pub input: Value,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
}

pub(crate) struct Execution {
    pub arn: String,
    pub name: String,
    pub state_machine_arn: String,
    pub machine: Arc<StateMachine>,
    pub input: Value,
    pub start_date: OffsetDateTime,
    /// The Execution and StateMachine parts of the context object.
    context_base: Map<String, Value>,
    record: Mutex<Record>,
    finished: watch::Sender<bool>,
}

struct Record {
    outcome: Option<ExecutionOutcome>,
    stop_date: Option<OffsetDateTime>,
    history: Vec<HistoryEvent>,
    abort: Option<AbortHandle>,
}

/// The per-state part of the context object.
#[derive(Clone, Copy)]
pub(crate) struct StateContext<'a> {
    pub state_name: &'a str,
    pub entered: OffsetDateTime,
    pub retry_count: u64,
    pub task_token: Option<&'a str>,
    pub map_item: Option<(usize, &'a Value)>,
}

impl Execution {
    pub fn new(
        arn: String,
        name: String,
        state_machine_arn: String,
        machine: Arc<StateMachine>,
        input: Value,
        start_date: OffsetDateTime,
    ) -> Self {
        let mut context_base = Map::new();
        context_base.insert(
            "Execution".to_owned(),
            json!({
                "Id": arn,
                "Input": input,
                "Name": name,
                "RoleArn": "arn:aws:iam::000000000000:role/local-executor",
                "StartTime": timestamp::format(start_date),
            }),
        );
        context_base.insert(
            "StateMachine".to_owned(),
            json!({"Id": state_machine_arn, "Name": machine.name()}),
        );
        Self {
            arn,
            name,
            state_machine_arn,
            machine,
            input,
            start_date,
            context_base,
            record: Mutex::new(Record {
                outcome: None,
                stop_date: None,
                history: Vec::new(),
                abort: None,
            }),
            finished: watch::channel(false).0,
        }
    }

    /// The context object (`$$`) as a state sees it.
    pub fn context(&self, state: &StateContext) -> Value {
        let mut context = self.context_base.clone();
        context.insert(
            "State".to_owned(),
            json!({
                "Name": state.state_name,
                "EnteredTime": timestamp::format(state.entered),
                "RetryCount": state.retry_count,
            }),
        );
        if let Some(token) = state.task_token {
            context.insert("Task".to_owned(), json!({"Token": token}));
        }
        if let Some((index, value)) = state.map_item {
            context.insert(
                "Map".to_owned(),
                json!({"Item": {"Index": index, "Value": value}}),
            );
        }
        Value::Object(context)
    }

    pub fn set_abort_handle(&self, handle: AbortHandle) {
        self.lock().abort = Some(handle);
    }

    /// Appends an event after `previous` (updated to the new event); events arriving after
    /// the execution ended (a branch still winding down after a stop) are dropped.
    pub fn record(
        &self,
        now: OffsetDateTime,
        previous: &mut u64,
        event_type: HistoryEventType,
        details: EventDetails,
    ) {
        let mut record = self.lock();
        if record.outcome.is_some() {
            return;
        }
        *previous = push(&mut record.history, now, *previous, event_type, details);
    }

    /// Ends the execution, unless it already ended (it was stopped); returns whether it
    /// was this call that ended it. Waiters wake at [`Execution::announce_end`].
    pub fn finish(&self, now: OffsetDateTime, previous: u64, outcome: ExecutionOutcome) -> bool {
        let mut record = self.lock();
        if record.outcome.is_some() {
            return false;
        }
        let (event_type, details) = match outcome.status {
            ExecutionStatus::Succeeded => (
                HistoryEventType::ExecutionSucceeded,
                EventDetails {
                    output: outcome.output.clone(),
                    ..EventDetails::default()
                },
            ),
            status => (
                match status {
                    ExecutionStatus::TimedOut => HistoryEventType::ExecutionTimedOut,
                    ExecutionStatus::Aborted => HistoryEventType::ExecutionAborted,
                    _ => HistoryEventType::ExecutionFailed,
                },
                EventDetails::failure(
                    outcome.error.as_deref().unwrap_or_default(),
                    outcome.cause.as_deref().unwrap_or_default(),
                ),
            ),
        };
        let previous = if outcome.status == ExecutionStatus::Aborted {
            record.history.len() as u64
        } else {
            previous
        };
        push(&mut record.history, now, previous, event_type, details);
        let stopped = outcome.status == ExecutionStatus::Aborted;
        record.outcome = Some(outcome);
        record.stop_date = Some(now);
        let abort = record.abort.take();
        drop(record);
        if let Some(abort) = abort.filter(|_| stopped) {
            abort.abort();
        }
        true
    }

    /// Wakes whoever waits for the end: called once the end listeners have heard of it, so
    /// that a waiter never sees an end they have not been told of.
    pub fn announce_end(&self) {
        self.finished.send_replace(true);
    }

    pub fn outcome(&self) -> Option<ExecutionOutcome> {
        self.lock().outcome.clone()
    }

    pub async fn wait(&self) -> ExecutionOutcome {
        let mut finished = self.finished.subscribe();
        // The sender lives as long as the execution, so waiting cannot fail.
        let _ = finished.wait_for(|done| *done).await;
        self.outcome().expect("a finished execution has an outcome")
    }

    pub fn describe(&self) -> ExecutionDescription {
        let record = self.lock();
        let outcome = record.outcome.clone();
        ExecutionDescription {
            execution_arn: self.arn.clone(),
            state_machine_arn: self.state_machine_arn.clone(),
            name: self.name.clone(),
            status: outcome
                .as_ref()
                .map_or(ExecutionStatus::Running, |outcome| outcome.status),
            start_date: self.start_date,
            stop_date: record.stop_date,
            input: self.input.clone(),
            output: outcome.as_ref().and_then(|o| o.output.clone()),
            error: outcome.as_ref().and_then(|o| o.error.clone()),
            cause: outcome.and_then(|o| o.cause),
        }
    }

    pub fn history(&self) -> Vec<HistoryEvent> {
        self.lock().history.clone()
    }

    fn lock(&self) -> MutexGuard<'_, Record> {
        self.record
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn push(
    history: &mut Vec<HistoryEvent>,
    timestamp: OffsetDateTime,
    previous_event_id: u64,
    event_type: HistoryEventType,
    details: EventDetails,
) -> u64 {
    let id = history.len() as u64 + 1;
    history.push(HistoryEvent {
        id,
        previous_event_id,
        timestamp,
        event_type,
        details,
    });
    id
}
