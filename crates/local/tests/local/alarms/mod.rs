//! Alarm-based rollback on the local world: the CloudWatch adapter, the event path
//! (alarm-listener), the polling path (before traffic moves forward) and alarms already firing
//! when a deployment starts.

pub mod support;

mod cloudwatch;
mod event_path;
mod firing_at_start;
mod polling;
