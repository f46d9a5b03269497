use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use time::macros::datetime;
use time::OffsetDateTime;
use tokio::sync::{oneshot, Notify};

use super::{ActivityGuard, ActivityLedger, BoxFuture, Clock};

/// Simulated time for tests. It moves only when a test calls [`VirtualClock::advance`], or,
/// with auto-advance on, when the whole local world is idle (no guard from [`Clock::hold`]
/// or from a wake-up is alive): it then jumps straight to the earliest pending deadline.
///
/// Every sleeper woken by the clock is handed an [`ActivityGuard`], so the clock cannot
/// move again before the woken code has run to its next wait. Code outside the executor
/// that sets several things up should [`hold`](VirtualClock::hold) the clock meanwhile:
/// with auto-advance on, an idle world jumps as soon as a sleep is registered.
#[derive(Clone)]
pub struct VirtualClock {
    inner: Arc<Inner>,
}

struct Inner {
    state: Mutex<State>,
    became_idle: Notify,
}

struct State {
    now: OffsetDateTime,
    busy: usize,
    auto_advance: bool,
    next_sleeper: u64,
    sleepers: BTreeMap<SleeperKey, oneshot::Sender<ActivityGuard>>,
}

type SleeperKey = (OffsetDateTime, u64);

/// Wake-ups decided under the lock, delivered after it is released (a refused delivery
/// drops its guard, which takes the lock again).
type Wakeups = Vec<(oneshot::Sender<ActivityGuard>, ActivityGuard)>;

impl VirtualClock {
    /// The instant a clock starts from when none is given: fixed, so runs are repeatable.
    pub const DEFAULT_START: OffsetDateTime = datetime!(2024-01-01 00:00:00 UTC);

    /// A clock that moves only through [`VirtualClock::advance`].
    pub fn manual() -> Self {
        Self::new(Self::DEFAULT_START, false)
    }

    /// A clock that jumps to the next deadline whenever the local world is idle.
    pub fn auto_advancing() -> Self {
        Self::new(Self::DEFAULT_START, true)
    }

    /// A clock reading `start`, auto-advancing or not.
    pub fn new(start: OffsetDateTime, auto_advance: bool) -> Self {
        Self {
            inner: Arc::new(Inner {
                state: Mutex::new(State {
                    now: start,
                    busy: 0,
                    auto_advance,
                    next_sleeper: 0,
                    sleepers: BTreeMap::new(),
                }),
                became_idle: Notify::new(),
            }),
        }
    }

    /// Keeps time still until the guard is dropped: for work done outside the executor,
    /// such as a hook running in-process that will report back later.
    pub fn hold(&self) -> ActivityGuard {
        self.inner.lock().busy += 1;
        ActivityGuard::counted_by(self.inner.clone())
    }

    /// Turns auto-advance on or off; turning it on while idle moves time at once.
    pub fn set_auto_advance(&self, on: bool) {
        let wakeups = {
            let mut state = self.inner.lock();
            state.auto_advance = on;
            self.inner.advance_if_idle(&mut state)
        };
        deliver(wakeups);
    }

    /// The earliest deadline somebody is sleeping towards, if any.
    pub fn next_deadline(&self) -> Option<OffsetDateTime> {
        self.inner.lock().sleepers.keys().next().map(|(at, _)| *at)
    }

    /// How many guards are alive: zero means the local world is idle.
    pub fn busy(&self) -> usize {
        self.inner.lock().busy
    }

    /// Waits until the local world is idle (no guard alive).
    pub async fn settle(&self) {
        loop {
            let notified = self.inner.became_idle.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.inner.lock().busy == 0 {
                return;
            }
            notified.await;
        }
    }

    /// Moves time forward by exactly `by`, stopping at every deadline on the way: sleepers
    /// due there are woken and the world is left to settle before time moves on, so work
    /// scheduled by a wake-up (a retry, the next Wait) is honoured in order.
    pub async fn advance(&self, by: Duration) {
        let target = self.now() + by;
        loop {
            self.settle().await;
            let wakeups = {
                let mut state = self.inner.lock();
                match state.sleepers.keys().next() {
                    Some(&(deadline, _)) if deadline <= target => {
                        state.now = state.now.max(deadline);
                        self.inner.wake_due(&mut state)
                    }
                    _ => {
                        state.now = state.now.max(target);
                        break;
                    }
                }
            };
            deliver(wakeups);
        }
        self.settle().await;
    }

    /// Moves time forward by `by` at once, without waiting for the world to settle, and
    /// wakes every sleeper due by then. Meant for moments when something stays busy on
    /// purpose, such as a handler that never answers, whose task should time out.
    pub fn jump(&self, by: Duration) {
        let wakeups = {
            let mut state = self.inner.lock();
            state.now += by;
            self.inner.wake_due(&mut state)
        };
        deliver(wakeups);
    }
}

impl Default for VirtualClock {
    fn default() -> Self {
        Self::manual()
    }
}

impl std::fmt::Debug for VirtualClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.inner.lock();
        f.debug_struct("VirtualClock")
            .field("now", &state.now)
            .field("busy", &state.busy)
            .field("auto_advance", &state.auto_advance)
            .field("sleepers", &state.sleepers.len())
            .finish()
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> OffsetDateTime {
        self.inner.lock().now
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ActivityGuard> {
        let deadline = self.now() + duration;
        self.sleep_until(deadline)
    }

    fn sleep_until(&self, deadline: OffsetDateTime) -> BoxFuture<'static, ActivityGuard> {
        // Registered now rather than at first poll, so that a caller which creates the sleep
        // and then drops its guard can never let time pass its own deadline unnoticed.
        let (sender, receiver) = oneshot::channel();
        let (key, wakeups) = {
            let mut state = self.inner.lock();
            let key = (deadline, state.next_sleeper);
            state.next_sleeper += 1;
            state.sleepers.insert(key, sender);
            let mut wakeups = self.inner.wake_due(&mut state);
            wakeups.extend(self.inner.advance_if_idle(&mut state));
            (key, wakeups)
        };
        deliver(wakeups);
        Box::pin(VirtualSleep {
            receiver,
            key,
            clock: self.inner.clone(),
            finished: false,
        })
    }

    fn hold(&self) -> ActivityGuard {
        VirtualClock::hold(self)
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere must not wedge the clock for every other test thread.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Wakes every sleeper whose deadline has been reached, counting each as busy.
    fn wake_due(self: &Arc<Self>, state: &mut State) -> Wakeups {
        let mut wakeups = Vec::new();
        while let Some(entry) = state.sleepers.first_entry() {
            if entry.key().0 > state.now {
                break;
            }
            let sender = entry.remove();
            state.busy += 1;
            wakeups.push((sender, ActivityGuard::counted_by(self.clone())));
        }
        wakeups
    }

    fn advance_if_idle(self: &Arc<Self>, state: &mut State) -> Wakeups {
        if !state.auto_advance || state.busy > 0 {
            return Vec::new();
        }
        match state.sleepers.keys().next() {
            Some(&(deadline, _)) => {
                state.now = state.now.max(deadline);
                self.wake_due(state)
            }
            None => Vec::new(),
        }
    }
}

impl ActivityLedger for Inner {
    fn release(self: Arc<Self>) {
        let wakeups = {
            let mut state = self.lock();
            state.busy -= 1;
            if state.busy > 0 {
                return;
            }
            self.became_idle.notify_waiters();
            self.advance_if_idle(&mut state)
        };
        deliver(wakeups);
    }
}

fn deliver(wakeups: Wakeups) {
    for (sender, guard) in wakeups {
        // A sleeper that stopped listening just gives its guard back.
        let _ = sender.send(guard);
    }
}

struct VirtualSleep {
    receiver: oneshot::Receiver<ActivityGuard>,
    key: SleeperKey,
    clock: Arc<Inner>,
    finished: bool,
}

impl Future for VirtualSleep {
    type Output = ActivityGuard;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<ActivityGuard> {
        match Pin::new(&mut self.receiver).poll(cx) {
            Poll::Ready(delivered) => {
                self.finished = true;
                Poll::Ready(delivered.unwrap_or_default())
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for VirtualSleep {
    fn drop(&mut self) {
        if !self.finished {
            self.clock.lock().sleepers.remove(&self.key);
        }
    }
}
