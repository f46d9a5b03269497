//! The limits on names and sizes that requests must keep: CodeDeploy's on names, gradual's own
//! on descriptions; checked before any read, since an oversized key is an error of the request.

use crate::error::HandlerError;

/// CodeDeploy's limit on application, deployment group and deployment config names.
pub const MAX_NAME_LENGTH: usize = 100;
/// gradual's limit on a deployment's description: it is stored with the deployment and sent in
/// its triggers, far below DynamoDB's item and SNS's message limits.
pub const MAX_DESCRIPTION_LENGTH: usize = 4096;

/// At most `limit` characters; an oversized value is not quoted back.
pub fn check_length(field: &str, value: &str, limit: usize) -> Result<(), HandlerError> {
    let length = value.chars().count();
    if length > limit {
        return Err(HandlerError::InvalidInput(format!(
            "{field}: {length} characters, above the limit of {limit}"
        )));
    }
    Ok(())
}

/// 1 to [`MAX_NAME_LENGTH`] characters, without `/`: gradual joins an application's and a
/// group's names with it into one key per group.
pub fn check_name(field: &str, name: &str) -> Result<(), HandlerError> {
    let length = name.chars().count();
    let problem = if length == 0 {
        "must not be empty".to_owned()
    } else if length > MAX_NAME_LENGTH {
        format!("{length} characters, above the limit of {MAX_NAME_LENGTH}")
    } else if name.contains('/') {
        format!("{name:?} contains '/', which gradual keeps to join application and group names")
    } else {
        return Ok(());
    };
    Err(HandlerError::InvalidInput(format!("{field}: {problem}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_1_to_100_characters_without_a_slash_pass() {
        for name in ["a", "shop-checkout_2", &"é".repeat(MAX_NAME_LENGTH)] {
            assert_eq!(check_name("applicationName", name), Ok(()));
        }
    }

    #[test]
    fn each_broken_rule_is_named() {
        let cases = [
            ("", "applicationName: must not be empty"),
            (&"a".repeat(101), "101 characters, above the limit of 100"),
            ("shop/checkout", "contains '/'"),
        ];
        for (name, expected) in cases {
            let message = check_name("applicationName", name).unwrap_err().to_string();
            assert!(
                message.starts_with("applicationName: ") && message.contains(expected),
                "{message}"
            );
        }
    }
}
