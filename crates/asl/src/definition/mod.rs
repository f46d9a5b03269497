//! A loaded state machine: the definition parsed, checked and compiled into the shape the
//! executor walks. Everything the local executor cannot run faithfully is refused here.

mod choice;
mod fields;
mod graph;
mod load;
mod recovery;
mod states;
mod substitution;
mod task;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::Value;
use time::OffsetDateTime;

use super::error::LoadError;
use super::functions::FunctionRegistry;
use super::path::Path;
use super::template::{Dynamic, Template};

pub use choice::{ChoiceRule, Comparison, Operand, Operator};
pub use recovery::{Catcher, Jitter, Retrier};
pub use task::Resource;

/// A definition ready to run.
#[derive(Debug)]
pub struct StateMachine {
    name: String,
    timeout_seconds: Option<u64>,
    root: Arc<Branch>,
}

impl StateMachine {
    /// The name given to machines loaded without one.
    pub const DEFAULT_NAME: &'static str = "StateMachine";

    /// Loads a definition, filling `${Name}` placeholders from `substitutions`. Only the
    /// Lambda resources are accepted as task resources.
    pub fn load(
        definition: &str,
        substitutions: &BTreeMap<String, String>,
    ) -> Result<StateMachine, LoadError> {
        Self::load_with(definition, substitutions, &FunctionRegistry::new())
    }

    /// Like [`StateMachine::load`], also accepting the resources registered in `registry`.
    pub fn load_with(
        definition: &str,
        substitutions: &BTreeMap<String, String>,
        registry: &FunctionRegistry,
    ) -> Result<StateMachine, LoadError> {
        let text = substitution::substitute(definition, substitutions)?;
        let json: Value =
            serde_json::from_str(&text).map_err(|e| LoadError::InvalidJson(e.to_string()))?;
        let (root, timeout_seconds) = load::machine(&json, registry)?;
        Ok(StateMachine {
            name: Self::DEFAULT_NAME.to_owned(),
            timeout_seconds,
            root: Arc::new(root),
        })
    }

    /// The same machine under another name (the name appears in execution ARNs).
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn timeout_seconds(&self) -> Option<u64> {
        self.timeout_seconds
    }

    pub(crate) fn root(&self) -> &Arc<Branch> {
        &self.root
    }
}

/// A set of states with an entry point: the machine itself, a Parallel branch or a Map
/// item processor.
#[derive(Debug)]
pub struct Branch {
    pub start_at: String,
    pub states: HashMap<String, State>,
}

#[derive(Debug)]
pub struct State {
    pub name: String,
    pub kind: StateKind,
    pub input_path: DataPath,
    pub output_path: DataPath,
    pub transition: Transition,
}

/// InputPath or OutputPath: a path, or null for an empty object.
#[derive(Debug, Clone)]
pub enum DataPath {
    Path(Path),
    Discard,
}

/// Where ResultPath puts a result: into the state's input at a path, or nowhere (null).
#[derive(Debug, Clone)]
pub enum ResultPath {
    Path(Path),
    Discard,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Next(String),
    End,
    /// Choice, Succeed and Fail decide for themselves.
    Own,
}

/// ResultSelector and ResultPath of a state that produces a result.
#[derive(Debug)]
pub struct ResultHandling {
    pub selector: Option<Template>,
    pub path: ResultPath,
}

/// Retry and Catch of a Task, Parallel or Map state.
#[derive(Debug, Default)]
pub struct ErrorHandling {
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

#[derive(Debug)]
pub enum StateKind {
    Pass {
        parameters: Option<Template>,
        result: Option<Value>,
        result_path: ResultPath,
    },
    Task(Box<TaskSpec>),
    Choice {
        choices: Vec<ChoiceBranch>,
        default: Option<String>,
    },
    Wait(WaitFor),
    Succeed,
    Fail {
        error: Option<FailText>,
        cause: Option<FailText>,
    },
    Parallel {
        branches: Vec<Arc<Branch>>,
        parameters: Option<Template>,
        results: ResultHandling,
        errors: ErrorHandling,
    },
    Map(Box<MapSpec>),
}

#[derive(Debug)]
pub struct TaskSpec {
    pub resource: Resource,
    pub parameters: Option<Template>,
    pub results: ResultHandling,
    pub errors: ErrorHandling,
    pub timeout: Option<Seconds>,
    pub heartbeat: Option<Seconds>,
}

#[derive(Debug)]
pub struct MapSpec {
    pub items_path: Path,
    pub item_selector: Option<Template>,
    pub processor: Arc<Branch>,
    /// 0 means no limit.
    pub max_concurrency: usize,
    pub results: ResultHandling,
    pub errors: ErrorHandling,
}

/// A number of seconds, fixed or read from the input.
#[derive(Debug, Clone)]
pub enum Seconds {
    Fixed(u64),
    Path(Path),
}

#[derive(Debug)]
pub struct ChoiceBranch {
    pub rule: ChoiceRule,
    pub next: String,
}

#[derive(Debug)]
pub enum WaitFor {
    Seconds(u64),
    SecondsPath(Path),
    Timestamp(OffsetDateTime),
    TimestampPath(Path),
}

/// A Fail state's Error or Cause: fixed text, or a path or intrinsic (ErrorPath, CausePath).
#[derive(Debug)]
pub enum FailText {
    Fixed(String),
    Dynamic(Dynamic),
}

impl StateKind {
    /// The name of this kind of state as in the definition's `Type` field.
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Pass { .. } => "Pass",
            StateKind::Task(_) => "Task",
            StateKind::Choice { .. } => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail { .. } => "Fail",
            StateKind::Parallel { .. } => "Parallel",
            StateKind::Map(_) => "Map",
        }
    }

    /// Retry and Catch, for the kinds that have them.
    pub fn error_handling(&self) -> Option<&ErrorHandling> {
        match self {
            StateKind::Task(task) => Some(&task.errors),
            StateKind::Parallel { errors, .. } => Some(errors),
            StateKind::Map(map) => Some(&map.errors),
            _ => None,
        }
    }
}
