//! Telling the three request shapes apart by their envelope, so that each one's errors speak
//! of that shape (an untagged enum would only say that nothing matched).

use crate::create_deployment::CreateDeploymentRequest;
use crate::error::HandlerError;
use aws_lambda_events::event::codepipeline_job::CodePipelineJobEvent;
use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The key of a CodePipeline job event.
const PIPELINE_JOB: &str = "CodePipeline.job";
/// Keys only an EventBridge envelope has.
const EVENTBRIDGE_KEYS: [&str; 2] = ["detail-type", "source"];

#[derive(Debug, Clone)]
pub enum EntryRequest {
    /// CodeDeploy's CreateDeployment request, as the CLI or a direct invoke sends it.
    Direct(Box<CreateDeploymentRequest>),
    /// An EventBridge event; its `detail` is checked once the envelope is.
    EventBridge(Box<EventBridgeEvent<Value>>),
    /// A CodePipeline job, without its artifact credentials.
    CodePipeline(Box<CodePipelineJobEvent>),
}

impl EntryRequest {
    pub fn from_payload(payload: Value) -> Result<EntryRequest, String> {
        if !payload.is_object() {
            // serde would read an array as a struct's fields in order.
            return Err(format!(
                "a request is a JSON object, not {}",
                kind_of(&payload)
            ));
        }
        if payload.get(PIPELINE_JOB).is_some() {
            let job = serde_json::from_value(without_credentials(payload))
                .map_err(|error| format!("CodePipeline job event: {error}"))?;
            return Ok(EntryRequest::CodePipeline(Box::new(job)));
        }
        if EVENTBRIDGE_KEYS
            .iter()
            .any(|key| payload.get(key).is_some())
        {
            let event = serde_json::from_value(payload)
                .map_err(|error| format!("EventBridge event: {error}"))?;
            return Ok(EntryRequest::EventBridge(Box::new(event)));
        }
        serde_json::from_value(payload)
            .map(|request| EntryRequest::Direct(Box::new(request)))
            .map_err(|error| error.to_string())
    }

    /// The deployment request carried, read as the handler of the stack in `account_id` reads
    /// it; `None` for a pipeline job that follows a deployment created before.
    pub fn deployment_request(
        &self,
        account_id: &str,
    ) -> Result<Option<CreateDeploymentRequest>, HandlerError> {
        match self {
            EntryRequest::Direct(request) => Ok(Some(request.as_ref().clone())),
            EntryRequest::EventBridge(event) => {
                super::eventbridge::deployment_request(event.as_ref().clone(), account_id).map(Some)
            }
            EntryRequest::CodePipeline(job) => {
                let data = &job.code_pipeline_job.data;
                if data.continuation_token.is_some() {
                    return Ok(None);
                }
                let parameters = &data.action_configuration.configuration.user_parameters;
                super::codepipeline::user_parameters(parameters.as_deref()).map(Some)
            }
        }
    }
}

impl<'de> Deserialize<'de> for EntryRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let payload = Value::deserialize(deserializer)?;
        EntryRequest::from_payload(payload).map_err(D::Error::custom)
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The job with its artifact credentials emptied (the field is required, so it stays, empty):
/// gradual reads no artifact, and what is not kept can be neither logged nor echoed in an error.
fn without_credentials(mut payload: Value) -> Value {
    if let Some(data) = payload
        .get_mut(PIPELINE_JOB)
        .and_then(|job| job.get_mut("data"))
        .and_then(Value::as_object_mut)
    {
        data.insert(
            "artifactCredentials".to_owned(),
            Value::Object(Default::default()),
        );
    }
    payload
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn job(credentials: Value) -> Value {
        json!({"CodePipeline.job": {
            "id": "11111111-abcd-1111-abcd-111111111111",
            "accountId": "123456789012",
            "data": {
                "actionConfiguration": {"configuration": {"FunctionName": "gradual-create-deployment", "UserParameters": "{}"}},
                "inputArtifacts": [],
                "outputArtifacts": [],
                "artifactCredentials": credentials
            }
        }})
    }

    #[test]
    fn a_job_is_kept_without_its_credentials() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let request = EntryRequest::from_payload(job(json!({
            "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
            "secretAccessKey": secret,
            "sessionToken": "FwoGZXIvYXdzEXAMPLE"
        })))
        .expect("a job event");
        let EntryRequest::CodePipeline(job) = &request else {
            panic!("not read as a job: {request:?}");
        };
        let kept = format!("{job:?}");
        assert!(!kept.contains(secret), "{kept}");
        assert!(!kept.contains("AKIAIOSFODNN7EXAMPLE"), "{kept}");
        assert!(job
            .code_pipeline_job
            .data
            .artifact_credentials
            .secret_access_key
            .is_none());
    }

    #[test]
    fn a_job_whose_credentials_are_malformed_is_still_read_without_them() {
        let request = EntryRequest::from_payload(job(json!(12345)));
        assert!(
            matches!(request, Ok(EntryRequest::CodePipeline(_))),
            "{request:?}"
        );
    }

    #[test]
    fn errors_name_the_shape_they_were_read_as() {
        let error = EntryRequest::from_payload(json!({"source": "gradual"})).unwrap_err();
        assert!(
            error.starts_with("EventBridge event: missing field"),
            "{error}"
        );
        let error = EntryRequest::from_payload(json!({"CodePipeline.job": {}})).unwrap_err();
        assert!(
            error.starts_with("CodePipeline job event: missing field `data`"),
            "{error}"
        );
        let error = EntryRequest::from_payload(json!({"applicationName": "shop"})).unwrap_err();
        assert!(error.starts_with("missing field"), "{error}");
        let error = EntryRequest::from_payload(json!(["shop", "checkout"])).unwrap_err();
        assert_eq!(error, "a request is a JSON object, not an array");
    }
}
