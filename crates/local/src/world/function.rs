//! A handler of `gradual-handlers` served as an in-process Lambda function: same JSON in, same
//! JSON out, same error type as the Lambda runtime reports.

use crate::asl::{FunctionError, LambdaFunction};
use async_trait::async_trait;
use gradual_handlers::{handle_json, Handler};
use serde_json::Value;

pub struct HandlerFunction<H>(pub H);

#[async_trait]
impl<H: Handler> LambdaFunction for HandlerFunction<H> {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        handle_json(&self.0, payload)
            .await
            .map_err(|error| FunctionError::new(error.error_type(), error.to_string()))
    }
}
