//! The SNS trigger message, in CodeDeploy's JSON shape.
//!
//! CodeDeploy embeds `deploymentOverview` and `errorInformation` as JSON *strings* and writes
//! times as `Thu Feb 16 00:31:57 UTC 2017`; consumers parse exactly that, so we do the same.

use crate::deployment::{Deployment, DeploymentStatus};
use crate::group::TriggerEvent;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::macros::format_description;
use time::OffsetDateTime;

/// Where the message comes from: the stack's region and account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub region: String,
    pub account_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TriggerMessage {
    pub region: String,
    pub account_id: String,
    pub event_trigger_name: String,
    pub application_name: String,
    pub deployment_id: String,
    pub deployment_group_name: String,
    pub create_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_time: Option<String>,
    pub deployment_overview: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_information: Option<String>,
}

impl TriggerMessage {
    /// The message for one trigger about one event of a deployment.
    pub fn new(
        origin: &Origin,
        trigger_name: &str,
        event: TriggerEvent,
        deployment: &Deployment,
    ) -> Self {
        let error_information = deployment.error_information.as_ref().map(|error| {
            serde_json::json!({"ErrorCode": error.code.as_str(), "ErrorMessage": error.message})
                .to_string()
        });
        TriggerMessage {
            region: origin.region.clone(),
            account_id: origin.account_id.clone(),
            event_trigger_name: trigger_name.to_owned(),
            application_name: deployment.application_name.clone(),
            deployment_id: deployment.id.to_string(),
            deployment_group_name: deployment.deployment_group_name.clone(),
            create_time: codedeploy_time(deployment.create_time),
            complete_time: deployment.complete_time.map(codedeploy_time),
            deployment_overview: overview(deployment).to_string(),
            status: trigger_status(event, deployment.status).to_owned(),
            error_information,
        }
    }

    /// The SNS subject CodeDeploy would use, e.g. `SUCCEEDED: gradual d-… in us-east-1 to app`.
    pub fn subject(&self) -> String {
        format!(
            "{}: gradual {} in {} to {}",
            self.status, self.deployment_id, self.region, self.application_name
        )
    }
}

/// CodeDeploy reports `CREATED` on start and the deployment's status otherwise.
fn trigger_status(event: TriggerEvent, status: DeploymentStatus) -> &'static str {
    if event == TriggerEvent::DeploymentStart {
        return "CREATED";
    }
    match status {
        DeploymentStatus::Created => "CREATED",
        DeploymentStatus::Queued => "QUEUED",
        DeploymentStatus::InProgress => "IN_PROGRESS",
        DeploymentStatus::Baking => "BAKING",
        DeploymentStatus::Ready => "READY",
        DeploymentStatus::Succeeded => "SUCCEEDED",
        DeploymentStatus::Failed => "FAILED",
        DeploymentStatus::Stopped => "STOPPED",
    }
}

/// Counts of targets by state, as CodeDeploy counts instances.
fn overview(deployment: &Deployment) -> serde_json::Value {
    let targets = deployment.targets.len().to_string();
    let bucket = match deployment.status {
        DeploymentStatus::Created | DeploymentStatus::Queued => "Pending",
        DeploymentStatus::InProgress | DeploymentStatus::Baking | DeploymentStatus::Ready => {
            "InProgress"
        }
        DeploymentStatus::Succeeded => "Succeeded",
        DeploymentStatus::Failed => "Failed",
        DeploymentStatus::Stopped => "Skipped",
    };
    let counts: BTreeMap<&str, String> =
        ["Failed", "InProgress", "Pending", "Skipped", "Succeeded"]
            .into_iter()
            .map(|name| {
                let count = if name == bucket {
                    targets.clone()
                } else {
                    "0".to_owned()
                };
                (name, count)
            })
            .collect();
    serde_json::json!(counts)
}

/// `Thu Feb 16 00:31:57 UTC 2017`, always in UTC.
pub fn codedeploy_time(at: OffsetDateTime) -> String {
    let format = format_description!(
        "[weekday repr:short] [month repr:short] [day] [hour]:[minute]:[second] UTC [year]"
    );
    at.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .expect("the format has only fields every date has")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::{ErrorCode, ErrorInformation};
    use crate::fixtures;
    use time::macros::datetime;

    fn origin() -> Origin {
        Origin {
            region: "us-east-1".to_owned(),
            account_id: "123456789012".to_owned(),
        }
    }

    #[test]
    fn a_start_message_has_codedeploys_fields() {
        let group = fixtures::lambda_group("shop", "prod");
        let deployment = fixtures::lambda_deployment(&group);
        let message =
            TriggerMessage::new(&origin(), "ops", TriggerEvent::DeploymentStart, &deployment);
        let json: serde_json::Value = serde_json::to_value(&message).unwrap();
        assert_eq!(json["region"], "us-east-1");
        assert_eq!(json["accountId"], "123456789012");
        assert_eq!(json["eventTriggerName"], "ops");
        assert_eq!(json["applicationName"], "shop");
        assert_eq!(json["deploymentGroupName"], "prod");
        assert_eq!(json["deploymentId"], deployment.id.as_str());
        assert_eq!(json["createTime"], "Mon Nov 23 10:15:30 UTC 2026");
        assert_eq!(json["status"], "CREATED");
        assert!(json.get("completeTime").is_none());
        assert!(json.get("errorInformation").is_none());
        let overview: serde_json::Value =
            serde_json::from_str(json["deploymentOverview"].as_str().unwrap()).unwrap();
        assert_eq!(overview["Pending"], "1");
        assert_eq!(overview["Succeeded"], "0");
    }

    #[test]
    fn a_failure_message_embeds_the_error_as_a_json_string() {
        let group = fixtures::lambda_group("shop", "prod");
        let mut deployment = fixtures::lambda_deployment(&group);
        deployment.status = DeploymentStatus::Failed;
        deployment.complete_time = Some(datetime!(2026-11-23 10:25:00 +02:00));
        deployment.error_information = Some(ErrorInformation::new(
            ErrorCode::HookExecutionFailure,
            "hook checkout-smoke-test reported Failed",
        ));
        let message = TriggerMessage::new(
            &origin(),
            "ops",
            TriggerEvent::DeploymentFailure,
            &deployment,
        );
        assert_eq!(message.status, "FAILED");
        assert_eq!(
            message.complete_time.as_deref(),
            Some("Mon Nov 23 08:25:00 UTC 2026")
        );
        let error: serde_json::Value =
            serde_json::from_str(message.error_information.as_deref().unwrap()).unwrap();
        assert_eq!(error["ErrorCode"], "HOOK_EXECUTION_FAILURE");
        assert_eq!(
            error["ErrorMessage"],
            "hook checkout-smoke-test reported Failed"
        );
        assert_eq!(
            message.subject(),
            format!("FAILED: gradual {} in us-east-1 to shop", deployment.id)
        );
    }
}
