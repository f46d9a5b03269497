//! A deployment's history as a timeline: one line per record, timed from the deployment's
//! creation.

use gradual_core::config::short_duration;
use gradual_core::history::{HistoryEntry, HistoryRecord};
use std::fmt::Write;
use time::OffsetDateTime;

/// The whole history, oldest first.
pub fn timeline_text(created: OffsetDateTime, history: &[HistoryRecord]) -> String {
    let mut text = String::new();
    for record in history {
        let _ = writeln!(text, "  {}", line(created, record));
    }
    text
}

/// `+5m1s    traffic    shift: 10% on the new version (alias f:live (1 -> 2))`
pub fn line(created: OffsetDateTime, record: &HistoryRecord) -> String {
    let elapsed = (record.at - created).try_into().unwrap_or_default();
    format!(
        "+{:<8} {}",
        short_duration(elapsed),
        describe(&record.entry)
    )
}

/// What a record says, its kind first.
pub fn describe(entry: &HistoryEntry) -> String {
    match entry {
        HistoryEntry::Status { from, to } => format!("status     {from} → {to}"),
        HistoryEntry::Traffic {
            action,
            target,
            percent,
        } => format!("traffic    {action}: {percent}% on the new version ({target})"),
        HistoryEntry::Bake {
            step,
            percent,
            bake_seconds,
        } => format!(
            "bake       step {}: {percent}% for {}",
            step + 1,
            short_duration(std::time::Duration::from_secs(*bake_seconds))
        ),
        HistoryEntry::Lifecycle {
            event,
            status,
            hook_function,
            message,
        } => {
            let mut text = format!("lifecycle  {event} {status:?}");
            if let Some(hook) = hook_function {
                let _ = write!(text, " (hook {hook})");
            }
            if let Some(message) = message {
                let _ = write!(text, ": {message}");
            }
            text
        }
        HistoryEntry::Trigger {
            event,
            trigger_name,
        } => format!("trigger    {event} → {trigger_name}"),
        HistoryEntry::TriggerFailed {
            event,
            trigger_name,
            reason,
        } => format!("trigger    {event} → {trigger_name} NOT PUBLISHED: {reason}"),
    }
}
