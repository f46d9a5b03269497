//! The opaque `nextToken` of a deployment listing: the group index position after which the
//! next page starts, bound to its group, hex-encoded.

use super::keys;
use gradual_core::deployment::DeploymentId;
use std::fmt::Write;
use thiserror::Error;

const SEPARATOR: char = '\n';

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("nextToken {token:?} was not handed out by a listing of this deployment group: {reason}")]
pub(super) struct MalformedToken {
    pub token: String,
    pub reason: &'static str,
}

/// Where the next page starts: after the deployment with this group index sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PageStart {
    pub sort: String,
    pub deployment: DeploymentId,
}

/// The token for the page after the deployment whose group index sort key is `sort`.
pub(super) fn encode(partition: &str, sort: &str) -> String {
    let payload = format!("{partition}{SEPARATOR}{sort}");
    payload.bytes().fold(String::new(), |mut hex, byte| {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

/// Reads a token handed out for the group index partition `partition`.
pub(super) fn decode(token: &str, partition: &str) -> Result<PageStart, MalformedToken> {
    let malformed = |reason| MalformedToken {
        token: token.to_owned(),
        reason,
    };
    let bytes = from_hex(token).ok_or_else(|| malformed("it is not hexadecimal"))?;
    let payload = String::from_utf8(bytes).map_err(|_| malformed("it does not hold text"))?;
    let (token_partition, sort) = payload
        .split_once(SEPARATOR)
        .ok_or_else(|| malformed("it holds no position"))?;
    if token_partition != partition {
        return Err(malformed("it belongs to another deployment group"));
    }
    let deployment = keys::deployment_of_group_index_sort(sort)
        .ok_or_else(|| malformed("it names no deployment"))?;
    Ok(PageStart {
        sort: sort.to_owned(),
        deployment,
    })
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| {
            text.get(at..at + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn position() -> (String, String, DeploymentId) {
        let id = DeploymentId::generate();
        let partition = keys::group_index_partition("shop", "live");
        let sort = keys::group_index_sort(datetime!(2026-11-23 10:15:30 UTC), &id);
        (partition, sort, id)
    }

    #[test]
    fn tokens_round_trip() {
        let (partition, sort, id) = position();
        let token = encode(&partition, &sort);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
        assert_eq!(
            decode(&token, &partition),
            Ok(PageStart {
                sort,
                deployment: id
            })
        );
    }

    #[test]
    fn foreign_and_garbled_tokens_are_refused_with_the_reason() {
        let (partition, sort, _) = position();
        let other_group = keys::group_index_partition("shop", "canary");
        let cases = [
            ("zz".to_owned(), "it is not hexadecimal"),
            ("abc".to_owned(), "it is not hexadecimal"),
            (String::new(), "it is not hexadecimal"),
            ("ff".to_owned(), "it does not hold text"),
            // "abc", without the separator.
            ("616263".to_owned(), "it holds no position"),
            (
                encode(&other_group, &sort),
                "it belongs to another deployment group",
            ),
            (encode(&partition, "2026#d-nope"), "it names no deployment"),
        ];
        for (token, reason) in cases {
            let error = decode(&token, &partition).unwrap_err();
            assert_eq!(error.reason, reason, "{token}");
            assert!(error.to_string().contains(&format!("{token:?}")), "{error}");
        }
    }
}
