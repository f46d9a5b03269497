//! The sample payloads under `events/` are valid inputs of their functions' handlers, and cover
//! every action, so that the samples cannot drift from the code.

use aws_lambda_events::event::sqs::SqsEvent;
use gradual_handlers::alarm_listener::AlarmStateChangeEvent;
use gradual_handlers::bake::BakeInput;
use gradual_handlers::create_deployment::EntryRequest;
use gradual_handlers::get_deployment::GetDeploymentInput;
use gradual_handlers::hook_callback::HookCallbackInput;
use gradual_handlers::reconcile::ExecutionEndEvent;
use gradual_handlers::record_status::{RecordAction, RecordStatusInput};
use gradual_handlers::register::RegisterInput;
use gradual_handlers::run_hook::RunHookInput;
use gradual_handlers::shift_traffic::{TrafficActionName, TrafficInput};
use gradual_handlers::stop_deployment::StopDeploymentInput;
use gradual_handlers::Function;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

type Check = fn(Value) -> Result<(), String>;

fn input_of<T: DeserializeOwned>(payload: Value) -> Result<(), String> {
    serde_json::from_value::<T>(payload)
        .map(drop)
        .map_err(|error| error.to_string())
}

/// The account of the samples, and of the stack reading them.
const SAMPLE_ACCOUNT: &str = "123456789012";

/// A create-deployment sample is read as the function reads it: its envelope, then the request
/// the envelope carries (an EventBridge `detail`, a pipeline job's `UserParameters`).
fn deployment_request(payload: Value) -> Result<(), String> {
    let request = serde_json::from_value::<EntryRequest>(payload).map_err(|e| e.to_string())?;
    request
        .deployment_request(SAMPLE_ACCOUNT)
        .map(drop)
        .map_err(|error| error.to_string())
}

/// A reconcile sample is a batch of the queue whose every body is an execution's end.
fn execution_ends(payload: Value) -> Result<(), String> {
    let batch = serde_json::from_value::<SqsEvent>(payload).map_err(|e| e.to_string())?;
    for message in batch.records {
        let body = message.body.ok_or("a message without a body")?;
        serde_json::from_str::<ExecutionEndEvent>(&body).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The input type of each function.
fn check_for(function: Function) -> Check {
    match function {
        Function::RecordStatus => input_of::<RecordStatusInput>,
        Function::Bake => input_of::<BakeInput>,
        Function::RunHook => input_of::<RunHookInput>,
        Function::HookCallback => input_of::<HookCallbackInput>,
        Function::ShiftAliasWeight | Function::SwapAlbTargets => input_of::<TrafficInput>,
        Function::CreateDeployment => deployment_request,
        Function::StopDeployment => input_of::<StopDeploymentInput>,
        Function::GetDeployment => input_of::<GetDeploymentInput>,
        Function::Register => input_of::<RegisterInput>,
        Function::AlarmListener => input_of::<AlarmStateChangeEvent>,
        Function::Reconcile => execution_ends,
    }
}

const TRAFFIC_ACTIONS: [&str; 6] = [
    "start",
    "shift",
    "test-traffic",
    "finish",
    "rollback",
    "verify",
];
const RECORD_ACTIONS: [&str; 5] = ["start", "succeed", "fail", "rolled-back", "rollback-failed"];

/// The request shapes create-deployment takes (docs/entry-points.md).
const CREATE_DEPLOYMENT_SHAPES: [&str; 5] = [
    "direct-appspec",
    "direct-targets",
    "eventbridge",
    "codepipeline",
    "codepipeline-continuation",
];

/// The samples each function must have, by file stem.
fn required_samples(function: Function) -> Vec<&'static str> {
    let alias_actions = TRAFFIC_ACTIONS
        .into_iter()
        // A Lambda alias has no test route: the alias function refuses this action.
        .filter(|action| *action != "test-traffic")
        .collect();
    match function {
        Function::ShiftAliasWeight => alias_actions,
        Function::SwapAlbTargets => TRAFFIC_ACTIONS.to_vec(),
        Function::RecordStatus => RECORD_ACTIONS.to_vec(),
        Function::Bake | Function::RunHook => vec![],
        Function::HookCallback => vec!["succeeded", "failed"],
        Function::AlarmListener => vec!["alarm"],
        Function::Reconcile => vec!["aborted", "failed", "timed-out"],
        Function::CreateDeployment => CREATE_DEPLOYMENT_SHAPES.to_vec(),
        Function::StopDeployment => vec!["stop", "stop-and-roll-back"],
        Function::GetDeployment => vec!["one", "list"],
        Function::Register => RegisterInput::ACTIONS.to_vec(),
    }
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn events_dir() -> PathBuf {
    repository().join("events")
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    paths.sort();
    paths
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What is wrong with one sample, if anything: not JSON, not the function's input, or named
/// after another action or status than the one it holds.
fn check_sample(path: &Path, check: Check) -> Option<String> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => return Some(format!("cannot read it: {error}")),
    };
    let payload: Value = match serde_json::from_str(&text) {
        Ok(payload) => payload,
        Err(error) => return Some(format!("not JSON: {error}")),
    };
    if let Err(error) = check(payload.clone()) {
        return Some(error);
    }
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    ["action", "status"].into_iter().find_map(|field| {
        let named = payload.get(field).and_then(Value::as_str)?;
        (!named.eq_ignore_ascii_case(&stem)).then(|| {
            format!(
                "its {field} is {named:?}: name the file after it ({}.json)",
                named.to_ascii_lowercase()
            )
        })
    })
}

#[test]
fn every_sample_is_a_valid_input_of_its_function() {
    let mut problems = Vec::new();
    for path in entries(&events_dir()) {
        let name = name_of(&path);
        if !path.is_dir() {
            if name != "README.md" {
                problems.push(format!(
                    "events/{name}: put samples in a function's directory"
                ));
            }
            continue;
        }
        let Some(function) = Function::named(&name) else {
            problems.push(format!("events/{name}: no function of that name"));
            continue;
        };
        let check = check_for(function);
        for sample in entries(&path) {
            let file = format!("events/{name}/{}", name_of(&sample));
            if sample
                .extension()
                .is_none_or(|extension| extension != "json")
            {
                problems.push(format!("{file}: samples are .json files"));
            } else if let Some(problem) = check_sample(&sample, check) {
                problems.push(format!("{file}: {problem}"));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_function_has_a_sample_of_each_action() {
    let mut missing = Vec::new();
    for function in Function::ALL {
        let stems = required_samples(function);
        let dir = repository().join(function.events_folder());
        let samples: Vec<String> = if dir.is_dir() {
            entries(&dir).iter().map(|path| name_of(path)).collect()
        } else {
            Vec::new()
        };
        if samples.is_empty() {
            missing.push(format!("events/{function}/: no sample"));
        }
        for stem in stems {
            if !samples.contains(&format!("{stem}.json")) {
                missing.push(format!("events/{function}/{stem}.json"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing samples:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_required_actions_are_the_handlers_actions() {
    for action in TRAFFIC_ACTIONS {
        serde_json::from_value::<TrafficActionName>(Value::from(action))
            .unwrap_or_else(|error| panic!("traffic action {action:?}: {error}"));
    }
    for action in RECORD_ACTIONS {
        serde_json::from_value::<RecordAction>(Value::from(action))
            .unwrap_or_else(|error| panic!("record-status action {action:?}: {error}"));
    }
}
