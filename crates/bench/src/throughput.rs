//! How fast the local executor moves through states: machines of N no-op Pass states, N Task
//! states on an in-process no-op function, and both alternating, each run several times, one
//! or several executions at once. Shared by the `asl-throughput` and `bench` commands; it
//! reports figures only.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use gradual_asl::{Clock, Executor, FunctionRegistry, StateMachine, SystemClock};
use serde_json::{json, Map, Value};

/// What to measure.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// States in each machine.
    pub states: usize,
    /// Runs of each measurement; the median is reported.
    pub runs: usize,
    /// Executions started at once in the concurrent measurement.
    pub concurrent: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            states: 500,
            runs: 7,
            concurrent: 8,
        }
    }
}

#[derive(Clone, Copy)]
enum Shape {
    Pass,
    Task,
    Mixed,
}

impl Shape {
    const ALL: [Shape; 3] = [Shape::Pass, Shape::Task, Shape::Mixed];

    fn label(self) -> &'static str {
        match self {
            Shape::Pass => "Pass states",
            Shape::Task => "Task states (lambda:invoke)",
            Shape::Mixed => "Pass and Task alternating",
        }
    }

    fn state(self, position: usize) -> Value {
        let task = match self {
            Shape::Pass => false,
            Shape::Task => true,
            Shape::Mixed => position % 2 == 1,
        };
        if task {
            json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "NoOp", "Payload.$": "$"},
                "ResultPath": null
            })
        } else {
            json!({"Type": "Pass"})
        }
    }
}

fn definition(shape: Shape, count: usize) -> String {
    let mut states = Map::new();
    for position in 0..count {
        let mut state = shape.state(position);
        if position + 1 == count {
            state["End"] = json!(true);
        } else {
            state["Next"] = json!(format!("S{}", position + 1));
        }
        states.insert(format!("S{position}"), state);
    }
    json!({"StartAt": "S0", "States": states}).to_string()
}

/// Measures every shape, alone and `concurrent` at once, and prints the median state
/// transitions per second of each.
pub async fn report(settings: Settings) {
    let functions = FunctionRegistry::new();
    functions.register_fn("NoOp", |_| async { Ok(Value::Null) });
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let executor = Executor::new(clock, functions);
    println!(
        "machines of {} states, median of {} runs, state transitions per second",
        settings.states, settings.runs
    );
    let mut run = 0;
    for shape in Shape::ALL {
        let machine = Arc::new(
            StateMachine::load(&definition(shape, settings.states.max(1)), &BTreeMap::new())
                .expect("the benchmark definition loads"),
        );
        for executions in [1, settings.concurrent.max(1)] {
            let mut samples = Vec::with_capacity(settings.runs);
            for _ in 0..settings.runs.max(1) {
                samples.push(measure(&executor, &machine, executions, &mut run).await);
            }
            println!(
                "  {:<30} {:>3} at once: {:>12.0}",
                shape.label(),
                executions,
                median(samples)
            );
        }
    }
}

/// Runs `executions` executions of `machine` at once; returns transitions per second.
async fn measure(
    executor: &Executor,
    machine: &Arc<StateMachine>,
    executions: usize,
    run: &mut usize,
) -> f64 {
    let started = Instant::now();
    let mut arns = Vec::with_capacity(executions);
    for _ in 0..executions {
        *run += 1;
        let arn = executor
            .start_execution(machine.clone(), &format!("run-{run}"), json!({"n": 1}))
            .expect("the benchmark execution starts");
        arns.push(arn);
    }
    let mut transitions = 0;
    for arn in &arns {
        executor
            .wait_for_completion(arn)
            .await
            .expect("the execution exists");
        transitions += executor.state_transitions(arn);
    }
    transitions as f64 / started.elapsed().as_secs_f64()
}

/// The middle sample (the upper one of the two middles for an even count).
pub fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}
