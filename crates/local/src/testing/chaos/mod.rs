//! The fault matrix: a deployment run under one fault (an AWS call failing, a function
//! crashing, an out-of-band StopExecution) and checked against gradual's promise afterwards —
//! the deployment and its rollback ended, the group free, traffic fully on the new version
//! (Succeeded) or fully back on the original (Failed or Stopped, rolled back), every trigger
//! published at most once (and at least once when SNS worked), the history complete and in
//! order. The only allowed exception is a fault on the traffic write itself that outlasts the
//! rollback's whole retry budget: the deployment then ends with an error saying where traffic
//! stands, and an alert goes out.

use super::TestWorld;
use crate::faults::{CrashKind, Fault, FaultKind, FaultPlan, FaultTarget, Operation, Persistence};
use crate::world::{names, LocalWorld, Routing, TriggerTopic};
use checks::*;
use gradual_asl::{Clock, FunctionError, LambdaFunction, VirtualClock};
use gradual_core::history::HistoryEntry;
use gradual_core::ports::{DeploymentIndex, HistoryStore};
use gradual_core::{
    AutoRollbackConfiguration, AutoRollbackEvent, ComputePlatform, Deployment, DeploymentGroup,
    DeploymentStatus, Hook, LifecycleEvent, Target, TriggerConfig, TriggerEvent,
};
use gradual_emulator::sample::alb::AlbWorld;
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_emulator::unique_name;
use gradual_handlers::create_deployment::CreateDeploymentRequest;
use gradual_handlers::Function;
use matrix::{workflow_functions, StopAt};
use scenario::{Stage, CREATE_ATTEMPTS, CREATE_RETRY_WAIT, TRAFFIC_WRITES};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// The two deployments of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scenario {
    /// A Lambda alias, canary 10 % then 100 %, with BeforeAllowTraffic and AfterAllowTraffic
    /// hooks.
    LambdaCanary,
    /// An ALB listener with a test listener, linear 10 % every minute, with an
    /// AfterAllowTestTraffic hook.
    AlbLinear,
}

impl Scenario {
    pub const ALL: [Scenario; 2] = [Scenario::LambdaCanary, Scenario::AlbLinear];
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scenario::LambdaCanary => "lambda-canary",
            Scenario::AlbLinear => "alb-linear",
        })
    }
}

/// What goes wrong in a case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Disturbance {
    Fault(Fault),
    /// StopExecution from outside, as the `n`th task invocation of the workflow (1, 2, …)
    /// begins; the invoked function still runs, as a Lambda does after its execution stopped.
    StopAt(usize),
}

impl fmt::Display for Disturbance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Disturbance::Fault(fault) => fault.fmt(f),
            Disturbance::StopAt(n) => write!(f, "StopExecution at task {n}"),
        }
    }
}

/// One run of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Case {
    pub scenario: Scenario,
    pub disturbance: Disturbance,
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} × {}", self.scenario, self.disturbance)
    }
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutcomeClass {
    /// Succeeded, all traffic on the new version.
    Succeeded,
    /// Failed or Stopped, all traffic back on the original.
    RolledBack,
    /// The client's create was refused every time: no deployment holds the group.
    NotStarted,
    /// The rollback's traffic write failed beyond its budget; the deployment ended saying
    /// where traffic stands, and an alert went out (allowed only for such a fault).
    RollbackFailedAlerted,
    /// The deployment or its rollback did not end, or the group stayed busy.
    Stuck,
    /// Ended, but some other part of the promise broke.
    Broken,
}

impl fmt::Display for OutcomeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutcomeClass::Succeeded => "succeeded",
            OutcomeClass::RolledBack => "rolled back",
            OutcomeClass::NotStarted => "not started (create refused)",
            OutcomeClass::RollbackFailedAlerted => "rollback failed, alerted",
            OutcomeClass::Stuck => "STUCK",
            OutcomeClass::Broken => "BROKEN",
        })
    }
}

/// What a case showed.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub case: Case,
    pub class: OutcomeClass,
    /// What broke the invariant (empty when it held).
    pub broken: Vec<String>,
    /// How many calls or invocations the fault hit.
    pub hits: usize,
    /// World time from the fault's last hit to the last traffic write (traffic at rest).
    pub home_after_fault: Option<Duration>,
    /// World time from the deployment's end (Failed or Stopped) to its rollback's end.
    pub rollback_took: Option<Duration>,
}

impl Outcome {
    pub fn holds(&self) -> bool {
        self.broken.is_empty()
    }
}

mod checks;
mod matrix;
mod report;
mod run;
mod scenario;

pub use matrix::{ci_matrix, ci_matrix_of, full_matrix, survey, Survey, PERSISTENCES};
pub use report::{run_all, Report};
pub use run::run;
