//! The Amazon States Language, run locally: loading and checking definitions, and executing
//! them with in-process task handlers under an injectable clock.

pub mod clock;
pub mod definition;
pub mod error;
pub mod functions;
pub mod intrinsic;
pub mod limits;
pub mod path;
pub mod runtime;
pub mod template;
pub mod timestamp;

pub use clock::{ActivityGuard, BoxFuture, Clock, ScaledClock, SystemClock, VirtualClock};
pub use definition::StateMachine;
pub use error::{ExecError, LoadError, StatesError, TaskTokenError};
pub use functions::{FunctionError, FunctionRegistry, LambdaFunction, TaskResource};
pub use limits::MAX_PAYLOAD_BYTES;
pub use runtime::{
    EndListener, EventDetails, ExecutionDescription, ExecutionOutcome, ExecutionStatus, Executor,
    ExecutorSettings, HistoryEvent, HistoryEventType,
};
