//! gradual without AWS: a local Step Functions executor that runs the very same
//! `statemachines/*.asl.json` definitions SAM deploys, with Lambda tasks dispatched to
//! in-process handlers and time supplied by an injectable clock.

pub mod asl;
pub mod demo;
pub mod runtime_api;
pub mod throughput;
pub mod world;

pub use asl::{
    ActivityGuard, Clock, ExecError, ExecutionDescription, ExecutionOutcome, ExecutionStatus,
    Executor, FunctionError, FunctionRegistry, HistoryEvent, HistoryEventType, LambdaFunction,
    LoadError, ScaledClock, StateMachine, SystemClock, TaskTokenError, VirtualClock,
};
