//! Request tokens: the `clientRequestToken` a client sends, and the tokens gradual uses for its
//! own requests, kept in namespaces that cannot meet.

use super::DeploymentId;

/// The longest `clientRequestToken` accepted.
pub const MAX_CLIENT_TOKEN_LENGTH: usize = 64;

/// A client's token: 1 to [`MAX_CLIENT_TOKEN_LENGTH`] letters, digits, `-`, `_` or `.`. The
/// problem, when there is one, names what is wrong.
pub fn check_client_token(token: &str) -> Result<(), String> {
    let length = token.chars().count();
    if !(1..=MAX_CLIENT_TOKEN_LENGTH).contains(&length) {
        return Err(format!(
            "a token has 1 to {MAX_CLIENT_TOKEN_LENGTH} characters, this one has {length}"
        ));
    }
    match token
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        Some(other) => Err(format!(
            "{other:?} is not allowed in a token (letters, digits, '-', '_' and '.' are)"
        )),
        None => Ok(()),
    }
}

/// The token under which the rollback of `rolled_back` is created, so that a replayed step
/// finds the rollback it already made. It holds a `#`, which no client's token may: a client
/// cannot claim it.
pub fn rollback_token(rolled_back: &DeploymentId) -> String {
    format!("rollback#{rolled_back}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_tokens_are_short_and_plain() {
        for token in [
            "release-42",
            "a6f0c7de-3b4e-4c1f-9d2a-8e5b7c6d1f20",
            "v1.2.3_hotfix",
            &"x".repeat(MAX_CLIENT_TOKEN_LENGTH),
        ] {
            assert_eq!(check_client_token(token), Ok(()), "{token}");
        }
        assert_eq!(
            check_client_token(""),
            Err("a token has 1 to 64 characters, this one has 0".to_owned())
        );
        assert!(check_client_token(&"x".repeat(MAX_CLIENT_TOKEN_LENGTH + 1)).is_err());
        for token in ["release 42", "rollback#d-ABCDEFGHI", "a/b", "é"] {
            assert!(check_client_token(token).is_err(), "{token}");
        }
    }

    #[test]
    fn no_client_token_is_a_rollback_token() {
        let id: DeploymentId = "d-ABCDEFGHI".parse().unwrap();
        let token = rollback_token(&id);
        assert_eq!(token, "rollback#d-ABCDEFGHI");
        assert!(check_client_token(&token).is_err());
    }
}
