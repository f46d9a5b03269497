//! What each of gradual's Lambda functions does, written against the domain's ports only. In
//! Lambda, `gradual-lambda` builds these handlers from AWS adapters; the local world builds the
//! same handlers from the emulator's, so offline runs exercise exactly this code.
//!
//! One module per function, named after it; `shift_traffic` serves both traffic functions
//! (`shift-alias-weight` moves Lambda aliases, `swap-alb-targets` ALB listeners: they differ only
//! in the routers they are given). What several handlers share is under [`support`];
//! [`function`] describes the functions once and builds each handler from its ports.

pub mod alarm_listener;
pub mod bake;
pub mod create_deployment;
pub mod get_deployment;
pub mod hook_callback;
pub mod reconcile;
pub mod record_status;
pub mod register;
pub mod run_hook;
pub mod shift_traffic;
pub mod stop_deployment;

pub mod error;
pub mod function;
pub mod handler;
pub mod permissions;
pub mod support;

pub use error::HandlerError;
pub use function::{Function, JsonHandler, Port, Ports};
pub use handler::{handle_json, Handler};

#[cfg(test)]
mod test_support;
