//! Time for the local world. Everything that waits (Wait states, retry intervals, task
//! timeouts) or stamps a record asks a [`Clock`], so tests can run hour-long deployments in
//! milliseconds and demos can run them at a chosen speed.

mod scaled;
mod system;
mod virtual_clock;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

pub use scaled::ScaledClock;
pub use system::SystemClock;
pub use virtual_clock::VirtualClock;

/// A boxed, sendable future, as returned by [`Clock`] methods.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A source of the current time and of sleeps measured in that time.
pub trait Clock: Send + Sync {
    /// The current instant on this clock.
    fn now(&self) -> OffsetDateTime;

    /// Completes once `duration` has passed on this clock.
    ///
    /// The future resolves with an [`ActivityGuard`]: whoever was woken counts as busy until
    /// it drops the guard, so a virtual clock cannot move on between the wake-up and the
    /// sleeper's next step. Callers that do not care simply drop it.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ActivityGuard>;

    /// Completes once this clock reads `deadline` or later (at once if it already does).
    fn sleep_until(&self, deadline: OffsetDateTime) -> BoxFuture<'static, ActivityGuard> {
        let remaining = deadline - self.now();
        self.sleep(remaining.try_into().unwrap_or(Duration::ZERO))
    }

    /// Marks the caller as busy: a virtual clock does not move on its own while any guard
    /// is alive. Real clocks ignore it.
    fn hold(&self) -> ActivityGuard {
        ActivityGuard::untracked()
    }
}

/// Keeps count of who is busy, for clocks that only move when nobody is.
pub trait ActivityLedger: Send + Sync {
    /// Called once when a guard issued by this ledger is dropped.
    fn release(self: Arc<Self>);
}

/// Proof that some piece of the local world is busy; dropping it says the work is done.
#[derive(Default)]
pub struct ActivityGuard {
    ledger: Option<Arc<dyn ActivityLedger>>,
}

impl ActivityGuard {
    /// A guard that nobody counts, as handed out by real clocks.
    pub fn untracked() -> Self {
        Self { ledger: None }
    }

    /// A guard counted by `ledger`; the ledger must already have counted it.
    pub(crate) fn counted_by(ledger: Arc<dyn ActivityLedger>) -> Self {
        Self {
            ledger: Some(ledger),
        }
    }
}

impl Drop for ActivityGuard {
    fn drop(&mut self) {
        if let Some(ledger) = self.ledger.take() {
            ledger.release();
        }
    }
}

impl std::fmt::Debug for ActivityGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActivityGuard")
            .field("tracked", &self.ledger.is_some())
            .finish()
    }
}
