//! What each of gradual's Lambda functions does, written against the domain's ports only. The
//! Lambda `main`s in `functions/` wire AWS adapters to these handlers; the local executor wires
//! the same handlers to the emulator, so offline runs exercise exactly this code.

pub mod alarm_listener;
pub mod alarms;
pub mod bake;
pub mod create_deployment;
pub mod deployments;
pub mod entry_points;
pub mod error;
pub mod failure;
pub mod get_deployment;
pub mod handler;
pub mod hook_callback;
pub mod record_status;
pub mod registration;
pub mod run_hook;
pub mod stop;
pub mod stop_deployment;
pub mod traffic;
pub mod triggers;
pub mod waits;

pub use error::HandlerError;
pub use handler::{handle_json, Handler};
