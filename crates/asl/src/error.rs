//! What can go wrong: loading a definition, running it, and the API around executions.

use thiserror::Error;

/// A definition the local executor refuses. `at` names the place in the definition, as a
/// dotted path such as `States.Bake.Retry[0].ErrorEquals`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LoadError {
    #[error("the definition is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("the definition refers to substitution ${{{name}}}, which was not provided")]
    UnknownSubstitution { name: String },
    #[error("{at}: QueryLanguage \"{language}\" is not supported (only JSONPath is)")]
    UnsupportedQueryLanguage { at: String, language: String },
    #[error("{at}: state type \"{type_name}\" is not supported")]
    UnsupportedStateType { at: String, type_name: String },
    #[error("{at}: field \"{field}\" is not supported by the local executor")]
    UnsupportedField { at: String, field: String },
    #[error("{at}: unknown field \"{field}\"")]
    UnknownField { at: String, field: String },
    #[error("{at}: required field \"{field}\" is missing")]
    MissingField { at: String, field: String },
    #[error("{at}: {problem}")]
    InvalidValue { at: String, problem: String },
    #[error("{at}: refers to state \"{target}\", which does not exist here")]
    MissingTransitionTarget { at: String, target: String },
    #[error("{at}: state is not reachable from StartAt")]
    UnreachableState { at: String },
    #[error("{at}: state name \"{name}\" is used more than once in the state machine")]
    DuplicateStateName { at: String, name: String },
    #[error("{at}: invalid path \"{path}\": {problem}")]
    InvalidPath {
        at: String,
        path: String,
        problem: String,
    },
    #[error("{at}: resource \"{resource}\" is not supported by the local executor")]
    UnsupportedResource { at: String, resource: String },
    #[error("{at}: intrinsic function \"{function}\" is not supported")]
    UnsupportedIntrinsic { at: String, function: String },
    #[error("{at}: invalid intrinsic function call \"{call}\": {problem}")]
    InvalidIntrinsic {
        at: String,
        call: String,
        problem: String,
    },
}

/// An error raised while a state runs, named as the States Language names errors.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{error}: {cause}")]
pub struct StatesError {
    pub error: String,
    pub cause: String,
}

/// The error names the States Language predefines.
pub mod names {
    pub const ALL: &str = "States.ALL";
    pub const TIMEOUT: &str = "States.Timeout";
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    pub const TASK_FAILED: &str = "States.TaskFailed";
    /// Handled by no Retry or Catch, whatever it names.
    pub const RUNTIME: &str = "States.Runtime";
    /// A payload over [`crate::limits::MAX_PAYLOAD_BYTES`]: handled only by a Retry or Catch
    /// that names it, never by States.ALL or States.TaskFailed.
    pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    pub const PERMISSIONS: &str = "States.Permissions";
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    /// A name the specification gives to a `.$` path that selects nothing, and that a Retry or
    /// Catch may list. Step Functions reports that failure as States.Runtime, and so does the
    /// local executor: it never raises this name itself.
    pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
    pub const BRANCH_FAILED: &str = "States.BranchFailed";
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
    /// What Step Functions reports when a Lambda function does not exist.
    pub const LAMBDA_NOT_FOUND: &str = "Lambda.ResourceNotFoundException";
}

impl StatesError {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            cause: cause.into(),
        }
    }

    pub fn runtime(cause: impl Into<String>) -> Self {
        Self::new(names::RUNTIME, cause)
    }

    pub fn timeout() -> Self {
        Self::new(names::TIMEOUT, "")
    }

    /// Whether a retrier or catcher naming `name` applies to this error. States.Runtime
    /// errors are never retried nor caught, not even by States.ALL; States.DataLimitExceeded
    /// is terminal for the wildcards and is handled only where it is named; States.TaskFailed
    /// stands for any other error except States.Timeout.
    pub fn is_matched_by(&self, name: &str) -> bool {
        match self.error.as_str() {
            names::RUNTIME => return false,
            names::DATA_LIMIT_EXCEEDED => return name == names::DATA_LIMIT_EXCEEDED,
            _ => {}
        }
        match name {
            names::ALL => true,
            names::TASK_FAILED => self.error != names::TIMEOUT,
            other => other == self.error,
        }
    }
}

/// A refused call on an [`Executor`](crate::Executor), named after the Step Functions
/// API error it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExecError {
    #[error("ExecutionAlreadyExists: execution \"{name}\" already exists with a different input or has already finished")]
    ExecutionAlreadyExists { name: String },
    #[error("ExecutionDoesNotExist: no execution {arn}")]
    ExecutionDoesNotExist { arn: String },
    #[error("InvalidName: execution name \"{name}\" {problem}")]
    InvalidName { name: String, problem: &'static str },
    /// StartExecution's `input` is limited to 262,144 bytes of UTF-8; AWS refuses a longer one
    /// with a ValidationException before any execution exists.
    #[error("ValidationException: 1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to {limit} (the input is {bytes} bytes of UTF-8)")]
    InputTooLarge { bytes: usize, limit: usize },
    #[error(
        "executions run as tokio tasks: start_execution must be called inside a tokio runtime"
    )]
    NoRuntime,
}

/// A refused task-token report, named after the Step Functions API error it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TaskTokenError {
    #[error("InvalidToken: \"{token}\" is not a task token")]
    InvalidToken { token: String },
    #[error("TaskDoesNotExist: no task was issued the token \"{token}\"")]
    TaskDoesNotExist { token: String },
    #[error("TaskTimedOut: the task for token \"{token}\" is no longer waiting (it timed out, was stopped or was already reported)")]
    TaskTimedOut { token: String },
}
