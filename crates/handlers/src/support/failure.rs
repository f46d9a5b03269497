//! Turns the error a workflow caught into CodeDeploy's error information.

use gradual_core::{ErrorCode, ErrorInformation};
use serde::Deserialize;

/// The `{Error, Cause}` object Step Functions hands to a Catch.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WorkflowFailure {
    #[serde(rename = "Error")]
    pub error: String,
    #[serde(rename = "Cause", default)]
    pub cause: Option<String>,
}

/// Lambda's error cause: `{"errorType": …, "errorMessage": …}` as a JSON string.
#[derive(Deserialize)]
struct LambdaCause {
    #[serde(rename = "errorMessage")]
    error_message: String,
}

impl WorkflowFailure {
    pub fn error_information(&self) -> ErrorInformation {
        let code = match self.error.as_str() {
            "States.Timeout" | "States.HeartbeatTimeout" => ErrorCode::Timeout,
            name => serde_json::from_value(serde_json::Value::String(name.to_owned()))
                .unwrap_or(ErrorCode::InternalError),
        };
        ErrorInformation::new(code, self.message())
    }

    fn message(&self) -> String {
        let cause = self.cause.as_deref().unwrap_or("").trim();
        if let Ok(lambda) = serde_json::from_str::<LambdaCause>(cause) {
            return lambda.error_message;
        }
        match (self.error.as_str(), cause) {
            ("States.Timeout", "") => {
                "a lifecycle step did not finish within its timeout".to_owned()
            }
            (error, "") => error.to_owned(),
            (_, cause) => cause.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(error: &str, cause: Option<&str>) -> WorkflowFailure {
        WorkflowFailure {
            error: error.to_owned(),
            cause: cause.map(str::to_owned),
        }
    }

    #[test]
    fn a_codedeploy_code_with_a_lambda_cause() {
        let info = failure(
            "HOOK_EXECUTION_FAILURE",
            Some(r#"{"errorType":"HOOK_EXECUTION_FAILURE","errorMessage":"hook smoke reported Failed"}"#),
        )
        .error_information();
        assert_eq!(info.code, ErrorCode::HookExecutionFailure);
        assert_eq!(info.message, "hook smoke reported Failed");
    }

    #[test]
    fn a_timeout_becomes_timeout() {
        let info = failure("States.Timeout", None).error_information();
        assert_eq!(info.code, ErrorCode::Timeout);
        assert_eq!(
            info.message,
            "a lifecycle step did not finish within its timeout"
        );
    }

    #[test]
    fn anything_else_is_an_internal_error_that_keeps_its_cause() {
        let info = failure("Lambda.Unknown", Some("out of memory")).error_information();
        assert_eq!(info.code, ErrorCode::InternalError);
        assert_eq!(info.message, "out of memory");
        let info = failure("States.Runtime", None).error_information();
        assert_eq!(info.message, "States.Runtime");
    }
}
