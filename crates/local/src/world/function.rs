//! A handler of `gradual-handlers` served as an in-process Lambda function: same JSON in, same
//! JSON out, same error type as the Lambda runtime reports.

use async_trait::async_trait;
use gradual_asl::{FunctionError, LambdaFunction};
use gradual_handlers::JsonHandler;
use serde_json::Value;

pub struct HandlerFunction(pub Box<dyn JsonHandler>);

#[async_trait]
impl LambdaFunction for HandlerFunction {
    async fn invoke(&self, payload: Value) -> Result<Value, FunctionError> {
        self.0
            .invoke(payload)
            .await
            .map_err(|error| FunctionError::new(error.error_type(), error.to_string()))
    }
}
