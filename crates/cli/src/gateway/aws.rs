//! The gateway to a deployed stack: a synchronous (RequestResponse) Lambda invoke of the
//! stack's function, with the standard credential chain and region.

use super::{function_name, Function, Gateway, GatewayError};
use async_trait::async_trait;
use aws_sdk_lambda::error::DisplayErrorContext;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::InvocationType;
use serde::Deserialize;
use serde_json::Value;

/// What to check when a function is missing.
const MISSING_HINT: &str = " in this account and region (is the stack deployed, and does GRADUAL_FUNCTION_PREFIX or --function-prefix match its name?)";

#[derive(Debug, Clone)]
pub struct LambdaGateway {
    client: aws_sdk_lambda::Client,
    prefix: String,
}

/// The payload Lambda returns with a function error (the runtime's error shape).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FunctionErrorPayload {
    error_type: String,
    error_message: String,
}

impl LambdaGateway {
    /// Invokes the functions named `<prefix><function>` through `client`.
    pub fn new(client: aws_sdk_lambda::Client, prefix: impl Into<String>) -> Self {
        LambdaGateway {
            client,
            prefix: prefix.into(),
        }
    }

    /// A gateway with the standard credential chain and region, the region overridden by
    /// `region` when given.
    pub async fn from_environment(prefix: &str, region: Option<String>) -> Self {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(gradual_aws::https_client());
        if let Some(region) = region {
            loader = loader.region(aws_config::Region::new(region));
        }
        let config = loader.load().await;
        LambdaGateway::new(aws_sdk_lambda::Client::new(&config), prefix)
    }
}

#[async_trait]
impl Gateway for LambdaGateway {
    async fn invoke(&self, function: Function, payload: Value) -> Result<Value, GatewayError> {
        let name = function_name(&self.prefix, function);
        let unreachable = |detail: String| GatewayError::Unreachable {
            function: name.clone(),
            detail,
        };
        let body = serde_json::to_vec(&payload).map_err(|error| unreachable(error.to_string()))?;
        let answer = self
            .client
            .invoke()
            .function_name(&name)
            .invocation_type(InvocationType::RequestResponse)
            .payload(Blob::new(body))
            .send()
            .await
            .map_err(|error| match error.as_service_error() {
                Some(service) if service.is_resource_not_found_exception() => {
                    GatewayError::Missing {
                        function: name.clone(),
                        hint: MISSING_HINT.to_owned(),
                    }
                }
                _ => unreachable(DisplayErrorContext(&error).to_string()),
            })?;
        let bytes = answer.payload().map(Blob::as_ref).unwrap_or_default();
        if let Some(kind) = answer.function_error() {
            return Err(refusal(&name, kind, bytes));
        }
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(bytes)
            .map_err(|error| unreachable(format!("the answer is not JSON: {error}")))
    }
}

/// A function error as the one-line reason: the runtime's error type and message when the
/// payload carries them, else Lambda's kind of error (`Unhandled`) and the raw payload.
fn refusal(function: &str, kind: &str, payload: &[u8]) -> GatewayError {
    let (error_type, message) = match serde_json::from_slice::<FunctionErrorPayload>(payload) {
        Ok(error) => (error.error_type, error.error_message),
        Err(_) => (
            kind.to_owned(),
            String::from_utf8_lossy(payload).into_owned(),
        ),
    };
    GatewayError::Refused {
        function: function.to_owned(),
        error_type,
        message,
    }
}
