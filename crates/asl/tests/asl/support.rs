//! Shared set-up for the executor tests: a virtual clock, a registry and an executor.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use gradual_asl::{
    Clock, ExecutionOutcome, Executor, FunctionRegistry, HistoryEvent, HistoryEventType, LoadError,
    StateMachine, VirtualClock,
};
use serde_json::Value;

pub struct World {
    pub clock: VirtualClock,
    pub functions: FunctionRegistry,
    pub executor: Executor,
    runs: AtomicUsize,
}

/// A world whose clock jumps ahead whenever everything is idle.
pub fn world() -> World {
    build(VirtualClock::auto_advancing())
}

/// A world whose clock moves only when the test advances it.
pub fn manual_world() -> World {
    build(VirtualClock::manual())
}

fn build(clock: VirtualClock) -> World {
    let functions = FunctionRegistry::new();
    let shared: Arc<dyn Clock> = Arc::new(clock.clone());
    let executor = Executor::new(shared, functions.clone());
    World {
        clock,
        functions,
        executor,
        runs: AtomicUsize::new(0),
    }
}

pub fn load(definition: &Value) -> Result<StateMachine, LoadError> {
    StateMachine::load(&definition.to_string(), &BTreeMap::new())
}

pub fn machine(definition: &Value) -> Arc<StateMachine> {
    Arc::new(load(definition).expect("the test definition loads"))
}

/// A machine made of a single state named "S".
pub fn single_state(state: Value) -> Value {
    serde_json::json!({"StartAt": "S", "States": {"S": state}})
}

impl World {
    /// Starts an execution named `test-run`, then `test-run-2`, `test-run-3`, …
    pub fn start(&self, definition: &Value, input: Value) -> String {
        let run = self.runs.fetch_add(1, Ordering::SeqCst) + 1;
        let name = match run {
            1 => "test-run".to_owned(),
            n => format!("test-run-{n}"),
        };
        self.executor
            .start_execution(machine(definition), &name, input)
            .expect("the execution starts")
    }

    pub async fn run(&self, definition: &Value, input: Value) -> ExecutionOutcome {
        let arn = self.start(definition, input);
        self.executor.wait_for_completion(&arn).await.unwrap()
    }

    /// Runs and returns the output, failing the test if the execution failed.
    pub async fn output(&self, definition: &Value, input: Value) -> Value {
        let outcome = self.run(definition, input).await;
        match outcome.output {
            Some(output) => output,
            None => panic!("the execution did not succeed: {outcome:?}"),
        }
    }

    pub fn events_of(&self, arn: &str, event_type: HistoryEventType) -> Vec<HistoryEvent> {
        self.executor
            .history(arn)
            .into_iter()
            .filter(|event| event.event_type == event_type)
            .collect()
    }

    /// Seconds of virtual time since the clock's start.
    pub fn elapsed_seconds(&self) -> i64 {
        (self.clock.now() - VirtualClock::DEFAULT_START).whole_seconds()
    }
}

/// The error name of a failed outcome.
pub fn error_of(outcome: &ExecutionOutcome) -> &str {
    outcome.error.as_deref().unwrap_or("<none>")
}
