//! A deployment as an item: its document as created, plus one attribute per field that
//! changes later, so that each change is a small conditional update of its own.

use super::item::{
    json, optional_json, optional_text, optional_time, required_json, required_text, text,
    timestamp, Item, ItemError, DOCUMENT,
};
use super::keys;
use super::schema::{GROUP_INDEX_PARTITION_KEY, GROUP_INDEX_SORT_KEY};
use aws_sdk_dynamodb::types::AttributeValue;
use gradual_core::deployment::{Deployment, DeploymentId, DeploymentStatus};
use gradual_core::ports::StoreError;

pub(super) const STATUS: &str = "status";
pub(super) const ERROR_INFORMATION: &str = "errorInformation";
pub(super) const START_TIME: &str = "startTime";
pub(super) const COMPLETE_TIME: &str = "completeTime";
pub(super) const TRAFFIC: &str = "traffic";
pub(super) const ROLLBACK_DEPLOYMENT_ID: &str = "rollbackDeploymentId";
pub(super) const ROLLBACK_MESSAGE: &str = "rollbackMessage";

/// The whole item of a new deployment, index keys included.
pub(super) fn encode(deployment: &Deployment) -> Result<Item, StoreError> {
    let mut item = keys::deployment(&deployment.id).with([
        (DOCUMENT, json(deployment)?),
        (STATUS, status(deployment.status)),
        (TRAFFIC, json(&deployment.traffic)?),
        (
            GROUP_INDEX_PARTITION_KEY,
            text(keys::group_index_partition(
                &deployment.application_name,
                &deployment.deployment_group_name,
            )),
        ),
        (
            GROUP_INDEX_SORT_KEY,
            text(keys::group_index_sort(
                deployment.create_time,
                &deployment.id,
            )),
        ),
    ]);
    let optional = [
        (
            ERROR_INFORMATION,
            deployment
                .error_information
                .as_ref()
                .map(json)
                .transpose()?,
        ),
        (
            START_TIME,
            deployment.start_time.map(timestamp).transpose()?,
        ),
        (
            COMPLETE_TIME,
            deployment.complete_time.map(timestamp).transpose()?,
        ),
        (
            ROLLBACK_DEPLOYMENT_ID,
            deployment
                .rollback_info
                .rollback_deployment_id
                .as_ref()
                .map(|id| text(id.as_str())),
        ),
        (
            ROLLBACK_MESSAGE,
            deployment.rollback_info.rollback_message.clone().map(text),
        ),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            item.insert(name.to_owned(), value);
        }
    }
    Ok(item)
}

/// The deployment as it stands: its document with the changing fields read from their
/// attributes.
pub(super) fn decode(item: &Item) -> Result<Deployment, ItemError> {
    let mut deployment: Deployment = required_json(item, DOCUMENT)?;
    let status_text = required_text(item, STATUS)?;
    deployment.status = DeploymentStatus::parse(status_text).ok_or_else(|| {
        ItemError::malformed(item, STATUS, format!("{status_text:?} is not a status"))
    })?;
    deployment.error_information = optional_json(item, ERROR_INFORMATION)?;
    deployment.start_time = optional_time(item, START_TIME)?;
    deployment.complete_time = optional_time(item, COMPLETE_TIME)?;
    deployment.traffic = required_json(item, TRAFFIC)?;
    deployment.rollback_info.rollback_deployment_id = optional_text(item, ROLLBACK_DEPLOYMENT_ID)?
        .map(|id| id.parse::<DeploymentId>())
        .transpose()
        .map_err(|error| ItemError::malformed(item, ROLLBACK_DEPLOYMENT_ID, error))?;
    deployment.rollback_info.rollback_message =
        optional_text(item, ROLLBACK_MESSAGE)?.map(str::to_owned);
    Ok(deployment)
}

pub(super) fn status(status: DeploymentStatus) -> AttributeValue {
    text(status.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradual_core::deployment::{ErrorCode, ErrorInformation, TrafficProgress};
    use gradual_core::fixtures;
    use time::macros::datetime;

    #[test]
    fn a_deployment_reads_back_as_written() {
        let group = fixtures::lambda_group("shop", "live");
        let mut deployment = fixtures::lambda_deployment(&group);
        assert_eq!(
            decode(&encode(&deployment).unwrap()),
            Ok(deployment.clone())
        );

        deployment.status = DeploymentStatus::Failed;
        deployment.error_information = Some(ErrorInformation {
            code: ErrorCode::AlarmActive,
            message: "alarm errors is in ALARM".to_owned(),
        });
        deployment.start_time = Some(datetime!(2026-11-23 10:16:00 UTC));
        deployment.complete_time = Some(datetime!(2026-11-23 10:20:00.25 UTC));
        deployment.traffic = TrafficProgress {
            percent: 10,
            step: Some(0),
        };
        deployment.rollback_info.rollback_deployment_id = Some(DeploymentId::generate());
        deployment.rollback_info.rollback_message = Some("rolled back".to_owned());
        assert_eq!(decode(&encode(&deployment).unwrap()), Ok(deployment));
    }

    #[test]
    fn the_attributes_override_the_document() {
        let group = fixtures::lambda_group("shop", "live");
        let deployment = fixtures::lambda_deployment(&group);
        let mut item = encode(&deployment).unwrap();
        item.insert(STATUS.to_owned(), status(DeploymentStatus::Baking));
        assert_eq!(decode(&item).unwrap().status, DeploymentStatus::Baking);
        item.insert(STATUS.to_owned(), text("Sleeping"));
        let error = decode(&item).unwrap_err();
        assert!(
            error.to_string().contains("\"Sleeping\" is not a status"),
            "{error}"
        );
    }
}
