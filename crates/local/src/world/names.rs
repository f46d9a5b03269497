//! The names gradual's functions have in the local world: those of a stack called `gradual`, as
//! template.yaml names them (`${AWS::StackName}-<function>`), and the ARNs the workflow
//! definition's substitutions are filled with.

use gradual_emulator::{ACCOUNT_ID, REGION};
use gradual_handlers::Function;

/// The local stack's name and the dash that follows it in every function's name.
pub const PREFIX: &str = "gradual-";

/// The function's name in the local world, e.g. `gradual-bake`.
pub fn function_name(function: Function) -> String {
    format!("{PREFIX}{}", function.name())
}

/// The ARN a function has in the emulated account.
pub fn function_arn(name: &str) -> String {
    format!("arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}")
}

/// The definition's substitutions, as SAM fills them from template.yaml.
pub fn substitutions() -> std::collections::BTreeMap<String, String> {
    Function::ALL
        .into_iter()
        .filter_map(|function| {
            let substitution = function.substitution()?;
            Some((
                substitution.to_owned(),
                function_arn(&function_name(function)),
            ))
        })
        .collect()
}
