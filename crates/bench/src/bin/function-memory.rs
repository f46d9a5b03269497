//! `cargo run --profile tools -p gradual-bench --bin function-memory`: the peak memory of every
//! function's release binary, run as Lambda runs it.
//!
//! First the demo's three deployments run in the local world (in-process handlers), recording
//! every payload each function is invoked with. Then each binary (`target/release/<function>`,
//! built by `scripts/bench-binaries.sh`) is started under a stand-in for the Lambda Runtime API
//! with the environment template.yaml gives it, pointed at the emulator and at the same table,
//! and handed those payloads again (`--invocations` in all): real requests against real state,
//! which the idempotent handlers answer as a retried task. A function the demo does not invoke
//! (the CLI's and the entry points') gets its sample events from `events/<function>/`, those
//! naming a deployment made to name one of the demo's.
//! Then the process's peak resident set (`VmHWM`) is read. Prints figures; asserts nothing.

use clap::Parser;
use gradual_asl::ScaledClock;
use gradual_bench::runtime_api::{Answer, RuntimeApi};
use gradual_emulator::{
    project_root, unique_name, Emulator, ACCOUNT_ID, ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY,
    REGION,
};
use gradual_lambda::settings::{ACCOUNT_ID as ACCOUNT_ID_VARIABLE, STATE_MACHINE_ARN, TABLE};
use gradual_local::world::LocalWorld;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use tokio::process::Command;

/// What template.yaml gives every function (`MemorySize`).
const MEMORY_SIZE_MB: u64 = 128;

/// The demo's deployments bake for minutes: run them 600 times faster than real time.
const RECORDING_TIME_SCALE: f64 = 600.0;

#[derive(Parser)]
struct Options {
    /// Events handed to each function.
    #[arg(long, default_value_t = 20)]
    invocations: usize,
    /// Where the release binaries are (default: the workspace's target/release).
    #[arg(long)]
    binaries: Option<PathBuf>,
    /// Functions to measure (default: every crate under functions/).
    functions: Vec<String>,
}

#[tokio::main]
async fn main() {
    let options = Options::parse();
    let root = project_root();
    let binaries = options.binaries.clone().unwrap_or_else(|| {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target"))
            .join("release")
    });
    let functions = if options.functions.is_empty() {
        function_crates(&root)
    } else {
        options.functions.clone()
    };
    let emulator = Emulator::shared().await;
    let state_machine_arn = state_machine(emulator).await;
    let world = LocalWorld::new(Arc::new(ScaledClock::new(RECORDING_TIME_SCALE))).await;
    let table = world.table.clone();
    let names: Vec<String> = functions
        .iter()
        .map(|function| local_name(function))
        .collect();
    let recorded = world.record_invocations(&names);
    println!("function-memory: recording the payloads of the demo's deployments…");
    if let Err(failures) = gradual_local::demo::run_on(world).await {
        println!(
            "{} outcome(s) of the demo differed from the expected ones; replaying what was recorded",
            failures.len()
        );
    }
    let demo_deployment = recorded
        .payloads(&local_name("record-status"))
        .iter()
        .find_map(|payload| payload["deploymentId"].as_str().map(str::to_owned));
    println!();

    println!(
        "function-memory: {} invocations per function against the emulator, MemorySize {MEMORY_SIZE_MB} MB",
        options.invocations
    );
    println!(
        "{:<20} {:>9} {:>9}  {:<9} answers",
        "function", "peak MB", "of size", "payloads"
    );
    let mut peaks = Vec::new();
    for function in &functions {
        let binary = binaries.join(function);
        if !binary.exists() {
            println!(
                "{function:<20} no binary at {} (run scripts/bench-binaries.sh)",
                binary.display()
            );
            continue;
        }
        let mut payloads = recorded.payloads(&local_name(function));
        let mut source = "recorded";
        if payloads.is_empty() {
            payloads = samples(&root, function, demo_deployment.as_deref());
            source = "samples";
        }
        if payloads.is_empty() {
            println!("{function:<20} neither invoked by the demo nor given sample events under events/{function}/");
            continue;
        }
        let run = Environment {
            endpoint: emulator.endpoint(),
            table: &table,
            state_machine_arn: &state_machine_arn,
        };
        match measure(&binary, function, &payloads, options.invocations, &run).await {
            Ok((peak_kb, answers)) => {
                let peak_mb = peak_kb as f64 / 1024.0;
                println!(
                    "{function:<20} {peak_mb:>9.1} {:>8.0}%  {source:<9} {}",
                    100.0 * peak_mb / MEMORY_SIZE_MB as f64,
                    summary(&answers)
                );
                peaks.push(peak_mb);
            }
            Err(problem) => println!("{function:<20} not measured: {problem}"),
        }
    }
    if let Some(max) = peaks.iter().copied().reduce(f64::max) {
        let min = peaks.iter().copied().fold(f64::MAX, f64::min);
        println!(
            "peak resident memory: {min:.1} to {max:.1} MB over {} functions ({MEMORY_SIZE_MB} MB allotted)",
            peaks.len()
        );
    }
}

/// The name the local world serves a function under (template.yaml's `<stack>-<function>`).
fn local_name(function: &str) -> String {
    format!("gradual-{function}")
}

struct Environment<'a> {
    endpoint: &'a str,
    table: &'a str,
    state_machine_arn: &'a str,
}

/// A state machine on the emulator for the binaries to start executions of. The emulator only
/// records executions, so a one-state definition stands in for the workflow's.
async fn state_machine(emulator: &Emulator) -> String {
    let sfn = aws_sdk_sfn::Client::new(&emulator.sdk_config().await);
    let created = sfn
        .create_state_machine()
        .name(unique_name("gradual-deployment"))
        .definition(r#"{"StartAt":"Run","States":{"Run":{"Type":"Succeed"}}}"#)
        .role_arn(format!("arn:aws:iam::{ACCOUNT_ID}:role/gradual-workflow"))
        .send()
        .await
        .expect("create a state machine on the emulator");
    created.state_machine_arn().to_owned()
}

/// Runs `binary` for `invocations` events; its peak resident set in kB and its answers.
async fn measure(
    binary: &Path,
    function: &str,
    samples: &[Value],
    invocations: usize,
    environment: &Environment<'_>,
) -> Result<(u64, Vec<Answer>), String> {
    let name = format!("gradual-{function}");
    let arn = format!("arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}");
    let api = RuntimeApi::start(&arn)
        .await
        .map_err(|error| format!("the runtime API stand-in: {error}"))?;
    let mut child = Command::new(binary)
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", api.address())
        .env("AWS_LAMBDA_FUNCTION_NAME", &name)
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env(
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            MEMORY_SIZE_MB.to_string(),
        )
        .env("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}"))
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", ADMIN_ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", ADMIN_SECRET_ACCESS_KEY)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", environment.endpoint)
        .env(TABLE, environment.table)
        .env(STATE_MACHINE_ARN, environment.state_machine_arn)
        .env(ACCOUNT_ID_VARIABLE, ACCOUNT_ID)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| format!("{}: {error}", binary.display()))?;
    let pid = child.id().ok_or("the process ended at once")?;
    let mut answers = Vec::with_capacity(invocations);
    for event in samples.iter().cycle().take(invocations) {
        answers.push(api.invoke(event.clone()).await);
    }
    let peak = peak_resident_kb(pid);
    let _ = child.kill().await;
    Ok((peak?, answers))
}

/// `VmHWM` of the process: the most memory it ever held resident.
fn peak_resident_kb(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|error| format!("/proc/{pid}/status: {error}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("/proc/{pid}/status has no VmHWM"))
}

/// "12 responses, 8 errors (InvalidInput ×8: deployment d-… not found)": each kind of error with
/// the message of its first occurrence, to tell a refusal from a broken request.
fn summary(answers: &[Answer]) -> String {
    let mut responses = 0;
    let mut errors: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut silent = Vec::new();
    for answer in answers {
        match answer {
            Answer::Response(_) => responses += 1,
            Answer::Error(error) => {
                let kind = error["errorType"].as_str().unwrap_or("?").to_owned();
                let message = error["errorMessage"].as_str().unwrap_or("").to_owned();
                errors.entry(kind).or_insert((0, message)).0 += 1;
            }
            Answer::NoAnswer(why) => silent.push(why.clone()),
        }
    }
    let mut text = format!("{responses} responses");
    if !errors.is_empty() {
        let kinds: Vec<String> = errors
            .iter()
            .map(|(kind, (count, message))| format!("{kind} ×{count}: {}", clipped(message)))
            .collect();
        text.push_str(&format!(
            ", {} errors ({})",
            errors.values().map(|(count, _)| count).sum::<usize>(),
            kinds.join("; ")
        ));
    }
    if let Some(why) = silent.first() {
        text.push_str(&format!(", {} unanswered: {why}", silent.len()));
    }
    text
}

/// The first 90 characters of `message`.
fn clipped(message: &str) -> String {
    match message.char_indices().nth(90) {
        Some((end, _)) => format!("{}…", &message[..end]),
        None => message.to_owned(),
    }
}

/// The crates under functions/, by the name of their binary.
fn function_crates(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("functions"))
        .expect("functions/")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            path.join("Cargo.toml").exists().then_some(())?;
            Some(path.file_name()?.to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    names
}

/// The function's sample events, by file name, each naming `deployment` (one the demo ran)
/// instead of its own example id where it names one.
fn samples(root: &Path, function: &str, deployment: Option<&str>) -> Vec<Value> {
    let Ok(entries) = std::fs::read_dir(root.join("events").join(function)) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|path| serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok())
        .map(|mut sample: Value| {
            if let (Some(id), Some(field)) = (deployment, sample.get_mut("deploymentId")) {
                *field = Value::from(id);
            }
            sample
        })
        .collect()
}
