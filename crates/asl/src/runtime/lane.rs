//! A lane is one sequential strand of an execution (the execution itself, a Parallel branch
//! or a Map iteration): it holds the strand's activity guard and its last history event.

use crate::clock::{ActivityGuard, BoxFuture};

pub(crate) struct Lane {
    /// Alive while the strand is doing something; given up while it only waits.
    pub guard: ActivityGuard,
    /// The event the strand's next event follows from.
    pub last_event: u64,
}

impl Lane {
    pub fn new(guard: ActivityGuard) -> Self {
        Self {
            guard,
            last_event: 0,
        }
    }

    /// A lane for a strand forking off this one.
    pub fn fork(&self, guard: ActivityGuard) -> Self {
        Self {
            guard,
            last_event: self.last_event,
        }
    }

    /// Waits for `wake` while idle. The wake-up must already be registered (a clock sleep
    /// is, once created), so giving up the guard cannot let time pass it by.
    pub async fn idle_until(&mut self, wake: BoxFuture<'static, ActivityGuard>) {
        self.go_idle();
        self.guard = wake.await;
    }

    pub fn go_idle(&mut self) {
        drop(std::mem::take(&mut self.guard));
    }
}
