//! Deployment ids in CodeDeploy's form: `d-` followed by nine upper-case alphanumerics.

use rand::RngExt;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SUFFIX_LENGTH: usize = 9;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DeploymentId(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("deploymentId: {0:?} is not a deployment id (expected \"d-\" and 9 upper-case letters or digits, e.g. d-A1B2C3D4E)")]
pub struct InvalidDeploymentId(pub String);

impl DeploymentId {
    /// A fresh random id.
    pub fn generate() -> Self {
        let mut rng = rand::rng();
        let suffix: String = (0..SUFFIX_LENGTH)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        DeploymentId(format!("d-{suffix}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for DeploymentId {
    type Err = InvalidDeploymentId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let valid = text.strip_prefix("d-").is_some_and(|suffix| {
            suffix.len() == SUFFIX_LENGTH && suffix.bytes().all(|b| ALPHABET.contains(&b))
        });
        if valid {
            Ok(DeploymentId(text.to_owned()))
        } else {
            Err(InvalidDeploymentId(text.to_owned()))
        }
    }
}

impl TryFrom<String> for DeploymentId {
    type Error = InvalidDeploymentId;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<DeploymentId> for String {
    fn from(id: DeploymentId) -> String {
        id.0
    }
}

impl fmt::Display for DeploymentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_have_codedeploys_form() {
        for _ in 0..200 {
            let id = DeploymentId::generate();
            assert_eq!(id.as_str().len(), 11);
            assert_eq!(id.as_str().parse::<DeploymentId>(), Ok(id.clone()));
        }
    }

    #[test]
    fn generated_ids_differ() {
        assert_ne!(DeploymentId::generate(), DeploymentId::generate());
    }

    #[test]
    fn malformed_ids_are_refused() {
        for text in [
            "",
            "d-",
            "d-abcdefghi",
            "d-ABCDEFGH",
            "d-ABCDEFGHIJ",
            "x-ABCDEFGHI",
            "d-ABCD-FGHI",
        ] {
            let error = text.parse::<DeploymentId>().unwrap_err();
            assert!(error.to_string().contains(&format!("{text:?}")), "{error}");
        }
    }

    #[test]
    fn serde_refuses_a_malformed_id() {
        let error = serde_json::from_str::<DeploymentId>("\"d-nope\"").unwrap_err();
        assert!(error.to_string().contains("is not a deployment id"));
    }
}
