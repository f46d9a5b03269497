//! Live progress of a deployment: every history record as it appears, with the time it
//! happened on the world's clock.

use crate::world::LocalWorld;
use gradual_core::history::{HistoryEntry, HistoryRecord};
use gradual_core::ports::DeploymentStore;
use gradual_core::DeploymentId;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::task::JoinHandle;

/// Prints the deployment's history while it runs; stop it with `abort` once it ended.
pub fn follow(world: &LocalWorld, id: DeploymentId) -> JoinHandle<()> {
    let store = Arc::clone(&world.store);
    let clock = Arc::clone(&world.clock);
    let started = clock.now();
    tokio::spawn(async move {
        let mut printed = HashSet::new();
        loop {
            print_new(store.as_ref(), &id, started, &mut printed).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
}

/// Prints the records not printed yet.
pub async fn print_new(
    store: &dyn DeploymentStore,
    id: &DeploymentId,
    started: OffsetDateTime,
    printed: &mut HashSet<String>,
) {
    let Ok(history) = store.history(id).await else {
        return;
    };
    for record in history {
        if printed.insert(record.key.clone()) {
            println!("  {}", line(id, started, &record));
        }
    }
}

fn line(id: &DeploymentId, started: OffsetDateTime, record: &HistoryRecord) -> String {
    let elapsed = (record.at - started).as_seconds_f64().max(0.0);
    let what = match &record.entry {
        HistoryEntry::Status { from, to } => format!("status      {from} → {to}"),
        HistoryEntry::Traffic {
            action, percent, ..
        } => format!("traffic     {action:<12} {percent:>3} % on the new version"),
        HistoryEntry::Bake {
            step,
            percent,
            bake_seconds,
        } => format!(
            "bake        step {} at {percent} % for {bake_seconds} s",
            step + 1
        ),
        HistoryEntry::Lifecycle {
            event,
            status,
            hook_function,
            ..
        } => match hook_function {
            Some(hook) => format!("lifecycle   {event} {status:?} (hook {hook})"),
            None => format!("lifecycle   {event} {status:?}"),
        },
        HistoryEntry::Trigger {
            event,
            trigger_name,
        } => format!("trigger     {event} → {trigger_name}"),
        HistoryEntry::TriggerFailed {
            event,
            trigger_name,
            reason,
        } => format!("trigger     {event} → {trigger_name} NOT PUBLISHED: {reason}"),
    };
    format!("[{elapsed:>7.1}s] {id}  {what}")
}
