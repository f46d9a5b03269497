//! Deployment requests sent as EventBridge events: `source` [`SOURCE`], `detail-type`
//! [`DETAIL_TYPE`], and the request in `detail`. Only events of the stack's own account are
//! taken (a bus may receive other accounts' events when its policy allows them), and an event
//! whose request carries no `clientRequestToken` gets its event id as one: EventBridge delivers
//! an event at least once, and a second delivery must not start a second deployment.

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
    account_id: &str,
) -> Result<CreateDeploymentRequest, HandlerError> {
    if event.source != SOURCE || event.detail_type != DETAIL_TYPE {
        return Err(HandlerError::InvalidInput(format!(
            "source/detail-type: an event from {:?} of type {:?} is not a deployment request; \
             send source {SOURCE:?} and detail-type {DETAIL_TYPE:?}",
            event.source, event.detail_type
        )));
    }
    if event.account.as_deref() != Some(account_id) {
        return Err(HandlerError::InvalidInput(format!(
            "account: an event of account {:?} cannot deploy in account {account_id}: only the \
             stack's own account may send deployment requests",
            event.account.as_deref().unwrap_or_default()
        )));
    }
    let mut request: CreateDeploymentRequest = serde_json::from_value(event.detail)
        .map_err(|error| HandlerError::InvalidInput(format!("detail: {error}")))?;
    if request.client_request_token.is_none() {
        request.client_request_token = event.id.map(|id| format!("event-{id}"));
    }
    Ok(request)
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

    const ACCOUNT: &str = "123456789012";

    fn request() -> Value {
        json!({
            "applicationName": "shop",
            "deploymentGroupName": "checkout",
            "revision": {"revisionType": "Targets", "targets": []}
        })
    }

    #[test]
    fn the_detail_of_a_deployment_request_is_the_request() {
        let request = deployment_request(event(SOURCE, DETAIL_TYPE, request()), ACCOUNT).unwrap();
        assert_eq!(request.application_name, "shop");
        assert_eq!(request.deployment_group_name, "checkout");
    }

    #[test]
    fn the_event_id_is_the_token_of_a_request_without_one() {
        let tokenless = deployment_request(event(SOURCE, DETAIL_TYPE, request()), ACCOUNT).unwrap();
        assert_eq!(
            tokenless.client_request_token.as_deref(),
            Some("event-6a7e8feb-b491-4cf7-a9f1-bf3703467718")
        );
        let mut with_token = request();
        with_token["clientRequestToken"] = json!("mine");
        let tokened = deployment_request(event(SOURCE, DETAIL_TYPE, with_token), ACCOUNT).unwrap();
        assert_eq!(tokened.client_request_token.as_deref(), Some("mine"));
    }

    #[test]
    fn an_event_of_another_account_is_refused_naming_both_accounts() {
        let error =
            deployment_request(event(SOURCE, DETAIL_TYPE, request()), "210987654321").unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("\"123456789012\"") && message.contains("210987654321"),
            "{message}"
        );
        assert_eq!(error.error_type(), crate::error::INVALID_INPUT);
    }

    #[test]
    fn other_events_are_refused_by_name() {
        for (source, detail_type) in [
            ("aws.codecommit", DETAIL_TYPE),
            (SOURCE, "CodeCommit Repository State Change"),
        ] {
            let error =
                deployment_request(event(source, detail_type, request()), ACCOUNT).unwrap_err();
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
        let error = deployment_request(
            event(SOURCE, DETAIL_TYPE, json!({"applicationName": 7})),
            ACCOUNT,
        )
        .unwrap_err();
        assert!(
            error.to_string().starts_with("detail: invalid type"),
            "{error}"
        );
    }
}
