//! What several handlers share: loading deployments and moving their status, registering the
//! task a workflow waits on, stopping through that wait, the alarms a deployment watches,
//! publishing triggers, reading the error a workflow caught, and the limits on names and sizes.

pub mod alarms;
pub mod deployments;
pub mod failure;
pub mod names;
pub mod stop_signal;
pub mod triggers;
pub mod waits;
