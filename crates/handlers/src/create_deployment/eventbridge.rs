//! Deployment requests sent as EventBridge events: `source` [`SOURCE`], `detail-type`
//! [`DETAIL_TYPE`], and the request in `detail`.

use crate::create_deployment::CreateDeploymentRequest;
use crate::error::HandlerError;
use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use serde_json::Value;

/// The `source` of a deployment request event.
pub const SOURCE: &str = "gradual";
/// The `detail-type` of a deployment request event.
pub const DETAIL_TYPE: &str = "Deployment Request";

/// The request an event carries; any other event is refused, naming what it was.
pub fn deployment_request(
    event: EventBridgeEvent<Value>,
) -> Result<CreateDeploymentRequest, HandlerError> {
    if event.source != SOURCE || event.detail_type != DETAIL_TYPE {
        return Err(HandlerError::InvalidInput(format!(
            "source/detail-type: an event from {:?} of type {:?} is not a deployment request; \
             send source {SOURCE:?} and detail-type {DETAIL_TYPE:?}",
            event.source, event.detail_type
        )));
    }
    serde_json::from_value(event.detail)
        .map_err(|error| HandlerError::InvalidInput(format!("detail: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(source: &str, detail_type: &str, detail: Value) -> EventBridgeEvent<Value> {
        serde_json::from_value(json!({
            "version": "0",
            "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
            "detail-type": detail_type,
            "source": source,
            "account": "123456789012",
            "time": "2026-11-23T10:15:30Z",
            "region": "eu-west-1",
            "resources": [],
            "detail": detail
        }))
        .expect("an EventBridge event")
    }

    fn request() -> Value {
        json!({
            "applicationName": "shop",
            "deploymentGroupName": "checkout",
            "revision": {"revisionType": "Targets", "targets": []}
        })
    }

    #[test]
    fn the_detail_of_a_deployment_request_is_the_request() {
        let request = deployment_request(event(SOURCE, DETAIL_TYPE, request())).unwrap();
        assert_eq!(request.application_name, "shop");
        assert_eq!(request.deployment_group_name, "checkout");
    }

    #[test]
    fn other_events_are_refused_by_name() {
        for (source, detail_type) in [
            ("aws.codecommit", DETAIL_TYPE),
            (SOURCE, "CodeCommit Repository State Change"),
        ] {
            let error = deployment_request(event(source, detail_type, request())).unwrap_err();
            let message = error.to_string();
            assert!(
                message.contains(&format!("{source:?}"))
                    && message.contains(&format!("{detail_type:?}")),
                "{message}"
            );
            assert_eq!(error.error_type(), crate::error::INVALID_INPUT);
        }
    }

    #[test]
    fn a_malformed_detail_is_refused_as_the_detail() {
        let error = deployment_request(event(SOURCE, DETAIL_TYPE, json!({"applicationName": 7})))
            .unwrap_err();
        assert!(
            error.to_string().starts_with("detail: invalid type"),
            "{error}"
        );
    }
}
