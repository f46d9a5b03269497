//! Fault injection for the local world, written once and used by every test that wants it:
//! between gradual's AWS clients and the emulator (throttling, 500, 503, timeouts, resets,
//! writes applied with their answer lost), and around gradual's functions (a crash before or
//! after the side effects, a timeout), each for one call, for a while, or until lifted.

mod crash;
mod http;
mod operation;
mod plan;

pub(crate) use crash::Crashing;
pub use http::FaultyHttpClient;
pub use operation::{Operation, Protocol};
pub use plan::{Call, CrashKind, Fault, FaultKind, FaultPlan, FaultTarget, Persistence};
