//! The execution history, shaped like Step Functions' GetExecutionHistory.

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEvent {
    pub id: u64,
    /// The event this one follows from within its own branch (0 for the first).
    pub previous_event_id: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub timestamp: OffsetDateTime,
    #[serde(rename = "type")]
    pub event_type: HistoryEventType,
    #[serde(flatten)]
    pub details: EventDetails,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum HistoryEventType {
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionTimedOut,
    ExecutionAborted,
    PassStateEntered,
    PassStateExited,
    TaskStateEntered,
    TaskStateExited,
    TaskScheduled,
    TaskStarted,
    TaskSubmitted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    LambdaFunctionScheduled,
    LambdaFunctionStarted,
    LambdaFunctionSucceeded,
    LambdaFunctionFailed,
    LambdaFunctionTimedOut,
    ChoiceStateEntered,
    ChoiceStateExited,
    WaitStateEntered,
    WaitStateExited,
    SucceedStateEntered,
    SucceedStateExited,
    FailStateEntered,
    ParallelStateEntered,
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
    ParallelStateExited,
    MapStateEntered,
    MapStateStarted,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
    MapStateSucceeded,
    MapStateFailed,
    MapStateExited,
}

impl HistoryEventType {
    /// Whether this event marks a state being entered: what AWS bills as a state
    /// transition.
    pub fn is_state_entered(self) -> bool {
        matches!(
            self,
            HistoryEventType::PassStateEntered
                | HistoryEventType::TaskStateEntered
                | HistoryEventType::ChoiceStateEntered
                | HistoryEventType::WaitStateEntered
                | HistoryEventType::SucceedStateEntered
                | HistoryEventType::FailStateEntered
                | HistoryEventType::ParallelStateEntered
                | HistoryEventType::MapStateEntered
        )
    }

    /// The entered and exited events of a state of the given `Type`.
    pub(crate) fn for_state(type_name: &str) -> (HistoryEventType, Option<HistoryEventType>) {
        use HistoryEventType::*;
        match type_name {
            "Pass" => (PassStateEntered, Some(PassStateExited)),
            "Task" => (TaskStateEntered, Some(TaskStateExited)),
            "Choice" => (ChoiceStateEntered, Some(ChoiceStateExited)),
            "Wait" => (WaitStateEntered, Some(WaitStateExited)),
            "Succeed" => (SucceedStateEntered, Some(SucceedStateExited)),
            "Parallel" => (ParallelStateEntered, Some(ParallelStateExited)),
            "Map" => (MapStateEntered, Some(MapStateExited)),
            _ => (FailStateEntered, None),
        }
    }
}

/// The details an event carries; fields that do not apply are `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbeat_in_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<usize>,
}

impl EventDetails {
    pub(crate) fn state(name: &str, data: Value, entered: bool) -> Self {
        let (input, output) = if entered {
            (Some(data), None)
        } else {
            (None, Some(data))
        };
        Self {
            name: Some(name.to_owned()),
            input,
            output,
            ..Self::default()
        }
    }

    pub(crate) fn failure(error: &str, cause: &str) -> Self {
        Self {
            error: Some(error.to_owned()),
            cause: Some(cause.to_owned()),
            ..Self::default()
        }
    }
}
