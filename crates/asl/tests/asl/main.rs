//! The interpreter's integration tests, one binary: loading, paths and I/O, tasks, errors,
//! choices, waits, fan-out, intrinsics, executions and clocks.

mod choice;
mod clock;
mod errors;
mod executions;
mod fan_out;
mod intrinsics;
mod loading;
mod paths_io;
mod support;
mod tasks;
mod wait;
