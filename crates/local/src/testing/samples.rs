//! The sample payloads under `events/`, as tests feed them to the functions.

use gradual_core::DeploymentId;
use gradual_emulator::project_root;
use serde_json::Value;

/// A sample under `events/`, with `replacements` made in its text (the sample's names, for
/// those of the test's resources).
pub fn sample(path: &str, replacements: &[(&str, &str)]) -> Value {
    let file = project_root().join("events").join(path);
    let mut text = std::fs::read_to_string(&file)
        .unwrap_or_else(|error| panic!("read {}: {error}", file.display()));
    for (from, to) in replacements {
        assert!(text.contains(from), "{path} does not mention {from:?}");
        text = text.replace(from, to);
    }
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The id in a create-deployment answer.
pub fn deployment_id(answer: &Value) -> DeploymentId {
    serde_json::from_value(answer["deploymentId"].clone())
        .unwrap_or_else(|error| panic!("no deployment id in {answer}: {error}"))
}
