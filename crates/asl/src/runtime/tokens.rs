//! Task tokens of `.waitForTaskToken` tasks, and the reports sent for them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use rand::Rng;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::clock::ActivityGuard;
use crate::error::TaskTokenError;

/// 32 random bytes, written in hex.
const TOKEN_LENGTH: usize = 64;

/// What SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat said.
pub(crate) enum Report {
    Success(Value),
    Failure { error: String, cause: String },
    Heartbeat,
}

/// A report on its way to the waiting task, carrying the activity that the waiting task
/// takes over (so time cannot move between the report and the task acting on it).
pub(crate) struct Delivery {
    pub report: Report,
    pub guard: ActivityGuard,
}

#[derive(Default)]
pub(crate) struct TaskTokens {
    entries: Mutex<HashMap<String, Entry>>,
}

enum Entry {
    Waiting {
        execution_arn: String,
        sender: mpsc::UnboundedSender<Delivery>,
    },
    Closed,
}

/// A token handed to a task; the token stops accepting reports when this is dropped.
pub(crate) struct IssuedToken {
    pub token: String,
    pub deliveries: mpsc::UnboundedReceiver<Delivery>,
    tokens: Arc<TaskTokens>,
}

impl Drop for IssuedToken {
    fn drop(&mut self) {
        self.tokens.close(&self.token);
    }
}

impl TaskTokens {
    pub fn issue(self: &Arc<Self>, execution_arn: &str) -> IssuedToken {
        let mut bytes = [0u8; TOKEN_LENGTH / 2];
        rand::rng().fill_bytes(&mut bytes);
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let (sender, deliveries) = mpsc::unbounded_channel();
        self.lock().insert(
            token.clone(),
            Entry::Waiting {
                execution_arn: execution_arn.to_owned(),
                sender,
            },
        );
        IssuedToken {
            token,
            deliveries,
            tokens: self.clone(),
        }
    }

    /// Delivers a report; success and failure close the token, a heartbeat keeps it open.
    pub fn report(
        &self,
        token: &str,
        report: Report,
        guard: impl FnOnce() -> ActivityGuard,
    ) -> Result<(), TaskTokenError> {
        let well_formed =
            token.len() == TOKEN_LENGTH && token.bytes().all(|b| b.is_ascii_hexdigit());
        if !well_formed {
            return Err(TaskTokenError::InvalidToken {
                token: token.to_owned(),
            });
        }
        let mut entries = self.lock();
        let entry = entries
            .get_mut(token)
            .ok_or_else(|| TaskTokenError::TaskDoesNotExist {
                token: token.to_owned(),
            })?;
        let timed_out = || TaskTokenError::TaskTimedOut {
            token: token.to_owned(),
        };
        let Entry::Waiting { sender, .. } = entry else {
            return Err(timed_out());
        };
        let closes = !matches!(report, Report::Heartbeat);
        let delivered = sender.send(Delivery {
            report,
            guard: guard(),
        });
        if closes || delivered.is_err() {
            *entry = Entry::Closed;
        }
        delivered.map_err(|_| timed_out())
    }

    /// Refuses any further report for the tokens of a stopped execution.
    pub fn close_execution(&self, arn: &str) {
        for entry in self.lock().values_mut() {
            if matches!(entry, Entry::Waiting { execution_arn, .. } if execution_arn == arn) {
                *entry = Entry::Closed;
            }
        }
    }

    fn close(&self, token: &str) {
        if let Some(entry) = self.lock().get_mut(token) {
            *entry = Entry::Closed;
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
