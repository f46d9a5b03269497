//! `cargo run --release -p gradual-local --bin function-memory`: the peak memory of every
//! function's release binary, run as Lambda runs it.
//!
//! Each binary (`target/release/<function>`, built by `scripts/bench-binaries.sh`) is started
//! under a stand-in for the Lambda Runtime API with the environment template.yaml gives it,
//! pointed at the local emulator, and handed its sample events from `events/<function>/` in turn
//! (`--invocations` in all). The samples name applications and deployments that may not exist,
//! so some answers are the handler's own errors: either way the handler ran its AWS calls. Then
//! the process's peak resident set (`VmHWM`) is read. Prints figures; asserts nothing.

use clap::Parser;
use gradual_aws::dynamodb::create_table;
use gradual_emulator::{project_root, unique_name, Emulator, ACCOUNT_ID, REGION};
use gradual_local::runtime_api::{Answer, RuntimeApi};
use gradual_runtime::settings::{ACCOUNT_ID as ACCOUNT_ID_VARIABLE, STATE_MACHINE_ARN, TABLE};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::process::Command;

/// What template.yaml gives every function (`MemorySize`).
const MEMORY_SIZE_MB: u64 = 128;

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
    let sdk = emulator.sdk_config().await;
    let table = unique_name("gradual-memory");
    create_table(&aws_sdk_dynamodb::Client::new(&sdk), &table)
        .await
        .expect("create the table");

    println!(
        "function-memory: {} invocations per function against the emulator, MemorySize {MEMORY_SIZE_MB} MB",
        options.invocations
    );
    println!(
        "{:<20} {:>9} {:>9}  answers",
        "function", "peak MB", "of size"
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
        let samples = samples(&root, function);
        if samples.is_empty() {
            println!("{function:<20} no sample events under events/{function}/");
            continue;
        }
        let run = Environment {
            endpoint: emulator.endpoint(),
            table: &table,
        };
        match measure(&binary, function, &samples, options.invocations, &run).await {
            Ok((peak_kb, answers)) => {
                let peak_mb = peak_kb as f64 / 1024.0;
                println!(
                    "{function:<20} {peak_mb:>9.1} {:>8.0}%  {}",
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

struct Environment<'a> {
    endpoint: &'a str,
    table: &'a str,
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
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", environment.endpoint)
        .env(TABLE, environment.table)
        .env(
            STATE_MACHINE_ARN,
            format!("arn:aws:states:{REGION}:{ACCOUNT_ID}:stateMachine:gradual-deployment"),
        )
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

/// "20 answered: 12 responses, 8 errors (DEPLOYMENT_DOES_NOT_EXIST ×8)".
fn summary(answers: &[Answer]) -> String {
    let mut responses = 0;
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut silent = Vec::new();
    for answer in answers {
        match answer {
            Answer::Response(_) => responses += 1,
            Answer::Error(error) => {
                let kind = error["errorType"].as_str().unwrap_or("?").to_owned();
                *errors.entry(kind).or_default() += 1;
            }
            Answer::NoAnswer(why) => silent.push(why.clone()),
        }
    }
    let mut text = format!("{responses} responses");
    if !errors.is_empty() {
        let kinds: Vec<String> = errors
            .iter()
            .map(|(kind, count)| format!("{kind} ×{count}"))
            .collect();
        text.push_str(&format!(
            ", {} errors ({})",
            errors.values().sum::<usize>(),
            kinds.join(", ")
        ));
    }
    if let Some(why) = silent.first() {
        text.push_str(&format!(", {} unanswered: {why}", silent.len()));
    }
    text
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

/// The function's sample events, by file name.
fn samples(root: &Path, function: &str) -> Vec<Value> {
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
        .collect()
}
