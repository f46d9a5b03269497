//! The shape every handler has, and the JSON glue shared by the Lambda runtime and the local
//! executor.

use crate::error::HandlerError;
use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

#[async_trait]
pub trait Handler: Send + Sync {
    type Input: DeserializeOwned + Send;
    type Output: Serialize;

    async fn handle(&self, input: Self::Input) -> Result<Self::Output, HandlerError>;
}

/// Runs a handler on a JSON payload, refusing a payload of the wrong shape with a message that
/// says what was wrong.
pub async fn handle_json<H: Handler + ?Sized>(
    handler: &H,
    payload: serde_json::Value,
) -> Result<serde_json::Value, HandlerError> {
    let input = serde_json::from_value::<H::Input>(payload)
        .map_err(|error| HandlerError::InvalidInput(format!("invalid request: {error}")))?;
    let output = handler.handle(input).await?;
    serde_json::to_value(output)
        .map_err(|error| HandlerError::Transient(format!("could not encode the response: {error}")))
}
