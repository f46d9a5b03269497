//! The functions of gradual's workflow, by the `${Substitution}` that names them in
//! `statemachines/deployment.asl.json` and the name template.yaml gives them.

use gradual_emulator::{ACCOUNT_ID, REGION};

/// `(substitution, function name)` for every function the workflow invokes.
pub const WORKFLOW_FUNCTIONS: &[(&str, &str)] = &[
    ("RecordStatusFunctionArn", "gradual-record-status"),
    ("ShiftAliasWeightFunctionArn", "gradual-shift-alias-weight"),
    ("SwapAlbTargetsFunctionArn", "gradual-swap-alb-targets"),
    ("RunHookFunctionArn", "gradual-run-hook"),
    ("BakeFunctionArn", "gradual-bake"),
];

/// Functions outside the workflow: entry points and callbacks.
pub const CREATE_DEPLOYMENT: &str = "gradual-create-deployment";
pub const HOOK_CALLBACK: &str = "gradual-hook-callback";
pub const STOP_DEPLOYMENT: &str = "gradual-stop-deployment";
pub const GET_DEPLOYMENT: &str = "gradual-get-deployment";
pub const REGISTER: &str = "gradual-register";
pub const ALARM_LISTENER: &str = "gradual-alarm-listener";

pub const RECORD_STATUS: &str = "gradual-record-status";
pub const SHIFT_ALIAS_WEIGHT: &str = "gradual-shift-alias-weight";
pub const SWAP_ALB_TARGETS: &str = "gradual-swap-alb-targets";
pub const RUN_HOOK: &str = "gradual-run-hook";
pub const BAKE: &str = "gradual-bake";

/// The ARN a function has in the emulated account.
pub fn function_arn(name: &str) -> String {
    format!("arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}")
}

/// The definition's substitutions, as SAM fills them from template.yaml.
pub fn substitutions() -> std::collections::BTreeMap<String, String> {
    WORKFLOW_FUNCTIONS
        .iter()
        .map(|(substitution, name)| (substitution.to_string(), function_arn(name)))
        .collect()
}
