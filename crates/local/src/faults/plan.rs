//! What to break, how, and for how long, and a record of every call the plan saw.

use super::Operation;
use gradual_asl::Clock;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use time::OffsetDateTime;

/// How an AWS call fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    /// The service throttles (400/429 with the protocol's throttling error).
    Throttle,
    /// 500 Internal Server Error.
    InternalError,
    /// 503 Service Unavailable.
    Unavailable,
    /// No answer in time: the call times out before reaching the service.
    Timeout,
    /// The connection is reset before the request reaches the service.
    Reset,
    /// The service applies the request, and the answer is lost (the connection drops).
    LostResponse,
}

impl FaultKind {
    pub const ALL: [FaultKind; 6] = [
        FaultKind::Throttle,
        FaultKind::InternalError,
        FaultKind::Unavailable,
        FaultKind::Timeout,
        FaultKind::Reset,
        FaultKind::LostResponse,
    ];
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FaultKind::Throttle => "throttle",
            FaultKind::InternalError => "500",
            FaultKind::Unavailable => "503",
            FaultKind::Timeout => "timeout",
            FaultKind::Reset => "reset",
            FaultKind::LostResponse => "lost-response",
        })
    }
}

/// How a handler of gradual fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CrashKind {
    /// The function dies before its side effects (Lambda.Unknown).
    PanicBefore,
    /// The function dies after its side effects, before it answers (Lambda.Unknown).
    PanicAfter,
    /// The function runs out of time after its side effects (Sandbox.Timedout).
    TimeoutAfter,
}

impl CrashKind {
    pub const ALL: [CrashKind; 3] = [
        CrashKind::PanicBefore,
        CrashKind::PanicAfter,
        CrashKind::TimeoutAfter,
    ];
}

impl fmt::Display for CrashKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CrashKind::PanicBefore => "panic-before",
            CrashKind::PanicAfter => "panic-after",
            CrashKind::TimeoutAfter => "timeout-after",
        })
    }
}

/// How long a fault lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Persistence {
    /// The first matching call only.
    Once,
    /// Every matching call for this long (world time) from the first one.
    For(Duration),
    /// Every matching call until the plan is lifted (the matrix lifts it when the workflow
    /// execution ends).
    UntilLifted,
}

impl fmt::Display for Persistence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Persistence::Once => f.write_str("once"),
            Persistence::For(duration) => write!(f, "{}s", duration.as_secs()),
            Persistence::UntilLifted => f.write_str("until-end"),
        }
    }
}

/// What a fault hits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultTarget {
    /// Every call of one AWS operation.
    Call(Operation, FaultKind),
    /// Every invocation of one of gradual's functions (by its local name).
    Function(String, CrashKind),
}

impl fmt::Display for FaultTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultTarget::Call(operation, kind) => write!(f, "{operation} {kind}"),
            FaultTarget::Function(function, kind) => write!(f, "{function} {kind}"),
        }
    }
}

/// One fault: what it hits and for how long.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fault {
    pub target: FaultTarget,
    pub persistence: Persistence,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.target, self.persistence)
    }
}

/// One AWS call the plan saw, and the fault it injected, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub operation: Operation,
    pub at: OffsetDateTime,
    pub injected: Option<FaultKind>,
}

/// The faults of one run, shared by the world's HTTP client and function wrappers.
pub struct FaultPlan {
    clock: Arc<dyn Clock>,
    state: Mutex<PlanState>,
}

#[derive(Default)]
struct PlanState {
    faults: Vec<Armed>,
    lifted: bool,
    calls: Vec<Call>,
    last_hit: Option<OffsetDateTime>,
}

struct Armed {
    fault: Fault,
    first_hit: Option<OffsetDateTime>,
    hits: usize,
}

impl FaultPlan {
    /// A plan that injects `faults` (none: it only records the calls), on `clock`'s time.
    pub fn new(clock: Arc<dyn Clock>, faults: Vec<Fault>) -> Self {
        let faults = faults
            .into_iter()
            .map(|fault| Armed {
                fault,
                first_hit: None,
                hits: 0,
            })
            .collect();
        FaultPlan {
            clock,
            state: Mutex::new(PlanState {
                faults,
                ..PlanState::default()
            }),
        }
    }

    /// Ends every fault from now on.
    pub fn lift(&self) {
        self.lock().lifted = true;
    }

    /// Decides the fate of a call of `operation`, and records it.
    pub fn on_call(&self, operation: &Operation) -> Option<FaultKind> {
        let now = self.clock.now();
        let mut state = self.lock();
        let injected = state.hit(now, |target| match target {
            FaultTarget::Call(faulted, kind) if faulted == operation => Some(*kind),
            _ => None,
        });
        state.calls.push(Call {
            operation: operation.clone(),
            at: now,
            injected,
        });
        injected
    }

    /// Decides whether an invocation of `function` crashes, and how.
    pub fn on_invoke(&self, function: &str) -> Option<CrashKind> {
        let now = self.clock.now();
        self.lock().hit(now, |target| match target {
            FaultTarget::Function(crashing, kind) if crashing == function => Some(*kind),
            _ => None,
        })
    }

    /// Every call seen so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// How many times the faults hit.
    pub fn hits(&self) -> usize {
        self.lock().faults.iter().map(|armed| armed.hits).sum()
    }

    /// When a fault last hit.
    pub fn last_hit(&self) -> Option<OffsetDateTime> {
        self.lock().last_hit
    }

    fn lock(&self) -> MutexGuard<'_, PlanState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl PlanState {
    fn hit<K>(
        &mut self,
        now: OffsetDateTime,
        matches: impl Fn(&FaultTarget) -> Option<K>,
    ) -> Option<K> {
        if self.lifted {
            return None;
        }
        for armed in &mut self.faults {
            let Some(kind) = matches(&armed.fault.target) else {
                continue;
            };
            let active = match armed.fault.persistence {
                Persistence::Once => armed.hits == 0,
                Persistence::For(duration) => {
                    armed.first_hit.is_none_or(|first| now < first + duration)
                }
                Persistence::UntilLifted => true,
            };
            if active {
                armed.first_hit.get_or_insert(now);
                armed.hits += 1;
                self.last_hit = Some(now);
                return Some(kind);
            }
        }
        None
    }
}
