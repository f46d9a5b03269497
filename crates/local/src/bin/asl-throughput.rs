//! Measures how fast the local executor moves through states: machines of N no-op Pass
//! states, N Task states on an in-process no-op function, and both mixed, run several
//! times; prints the median state transitions per second. It reports figures only.
//!
//! Usage: asl-throughput [--states N] [--runs R] [--concurrent C]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use gradual_local::asl::{Clock, Executor, FunctionRegistry, StateMachine, SystemClock};
use serde_json::{json, Map, Value};

struct Options {
    states: usize,
    runs: usize,
    concurrent: usize,
}

#[derive(Clone, Copy)]
enum Shape {
    Pass,
    Task,
    Mixed,
}

impl Shape {
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

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        states: 500,
        runs: 7,
        concurrent: 8,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?
            .parse::<usize>()
            .map_err(|e| format!("{flag}: {e}"))?;
        match flag.as_str() {
            "--states" => options.states = value.max(1),
            "--runs" => options.runs = value.max(1),
            "--concurrent" => options.concurrent = value.max(1),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
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

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() {
    let options = match parse_options() {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("asl-throughput: {problem}\nusage: asl-throughput [--states N] [--runs R] [--concurrent C]");
            std::process::exit(2);
        }
    };
    let functions = FunctionRegistry::new();
    functions.register_fn("NoOp", |_| async { Ok(Value::Null) });
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let executor = Executor::new(clock, functions);
    println!(
        "asl-throughput: machines of {} states, median of {} runs, state transitions per second",
        options.states, options.runs
    );
    let mut run = 0;
    for shape in [Shape::Pass, Shape::Task, Shape::Mixed] {
        let machine = Arc::new(
            StateMachine::load(&definition(shape, options.states), &BTreeMap::new())
                .expect("the benchmark definition loads"),
        );
        for executions in [1, options.concurrent] {
            let mut samples = Vec::with_capacity(options.runs);
            for _ in 0..options.runs {
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
