//! Moving traffic: the rules every [`TrafficRouter`](crate::ports::TrafficRouter) follows, the
//! verb table of what each action moves ([`Moves`]), and [`Lockstep`], which moves the several
//! targets of one deployment as one.
//!
//! # Which states an action may start from
//!
//! Routers are stateless between calls (each step of a deployment runs in a new Lambda
//! invocation), so an action decides what it may find from the target spec and the action
//! alone. With `s` the share of production traffic on the new version as the service reports
//! it:
//!
//! | action              | repeat (no write) | writes when           | anything else  |
//! |---------------------|-------------------|-----------------------|----------------|
//! | start               | `s = 0`           | never                 | drift          |
//! | shift `p` (1–99)    | `s = p`           | `s < p`               | drift (`s > p`)|
//! | finish              | `s = 100`         | `s < 100`             | —              |
//! | rollback            | `s = 0`           | `s > 0`               | —              |
//! | restore `f` → `t`   | `s = t`           | `s = f`               | drift          |
//! | verify `p`          | `s = p`           | never                 | not as expected|
//!
//! A shift never moves traffic back: finding more on the new version than asked means someone
//! else moved it. Undoing a step is a *restore*, which only starts from what the step set.
//! Test traffic (ALB test listener) goes all to one side: AllowTestTraffic moves it to the new
//! version, rollback back to the original, restore back to where it was.
//!
//! Before any of this, each adapter reads its service's configuration as a [`Share`]; a
//! configuration that involves anything but the two versions of the spec (an alias pointing at
//! a third version, a listener forwarding to an unknown target group) is drift whatever the
//! action.

mod authority;
mod lockstep;
pub mod memory;
mod moves;
mod share;
mod verbs;

#[cfg(test)]
mod lockstep_tests;

pub use authority::{check_allowed, ActionRefused};
pub use lockstep::{Lockstep, LockstepError, Recovery, TargetFailure, TrafficAction};
pub use memory::MemoryRouter;
pub use moves::{on_new, Move, Progress, TestMove};
pub use share::Share;
pub use verbs::{Moves, NoMoves, RouterActions};
