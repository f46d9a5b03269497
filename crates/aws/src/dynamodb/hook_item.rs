//! A hook execution as items: the execution itself, one attribute per field, and the item
//! that names it under its deployment and lifecycle event. Both expire with the execution.

use super::deployment_item::STATUS;
use super::item::{
    required_deployment_id, required_text, required_time, text, timestamp, Item, ItemError,
    DEPLOYMENT_ID,
};
use super::keys;
use super::schema::TIME_TO_LIVE_ATTRIBUTE;
use aws_sdk_dynamodb::types::AttributeValue;
use gradual_core::lifecycle::LifecycleEvent;
use gradual_core::ports::{HookExecution, HookExecutionStatus, StoreError};
use time::OffsetDateTime;

pub(super) const TASK_TOKEN: &str = "taskToken";
/// The execution an event's item names, and the execution's own id.
const EXECUTION_ID: &str = "executionId";
const LIFECYCLE_EVENT: &str = "lifecycleEvent";
const FUNCTION_NAME: &str = "functionName";
const STARTED_AT: &str = "startedAt";

/// The execution's item.
pub(super) fn encode(execution: &HookExecution) -> Result<Item, StoreError> {
    Ok(keys::hook_execution(&execution.id).with([
        (EXECUTION_ID, text(&execution.id)),
        (DEPLOYMENT_ID, text(execution.deployment_id.as_str())),
        (LIFECYCLE_EVENT, text(execution.event.as_str())),
        (FUNCTION_NAME, text(&execution.function_name)),
        (TASK_TOKEN, text(&execution.task_token)),
        (STATUS, status(execution.status)),
        (STARTED_AT, timestamp(execution.started_at)?),
        (TIME_TO_LIVE_ATTRIBUTE, expiry(execution.expires_at)),
    ]))
}

/// The item naming the execution of its deployment's lifecycle event.
pub(super) fn encode_event(execution: &HookExecution) -> Item {
    keys::event_hook(&execution.deployment_id, execution.event).with([
        (EXECUTION_ID, text(&execution.id)),
        (TIME_TO_LIVE_ATTRIBUTE, expiry(execution.expires_at)),
    ])
}

pub(super) fn decode(item: &Item) -> Result<HookExecution, ItemError> {
    let event_name = required_text(item, LIFECYCLE_EVENT)?;
    let event = LifecycleEvent::parse(event_name).ok_or_else(|| {
        ItemError::malformed(
            item,
            LIFECYCLE_EVENT,
            format!("{event_name:?} is not a lifecycle event"),
        )
    })?;
    Ok(HookExecution {
        id: executed(item)?.to_owned(),
        deployment_id: required_deployment_id(item)?,
        event,
        function_name: required_text(item, FUNCTION_NAME)?.to_owned(),
        task_token: required_text(item, TASK_TOKEN)?.to_owned(),
        status: stored_status(item)?,
        started_at: required_time(item, STARTED_AT)?,
        expires_at: expiry_of(item)?,
    })
}

/// The execution an execution's item, or an event's item, stands for.
pub(super) fn executed(item: &Item) -> Result<&str, ItemError> {
    required_text(item, EXECUTION_ID)
}

pub(super) fn status(status: HookExecutionStatus) -> AttributeValue {
    text(status.as_str())
}

/// The status as stored, for messages.
pub(super) fn stored_status_name(item: &Item) -> Result<&'static str, ItemError> {
    stored_status(item).map(HookExecutionStatus::as_str)
}

fn stored_status(item: &Item) -> Result<HookExecutionStatus, ItemError> {
    let name = required_text(item, STATUS)?;
    STATUSES
        .into_iter()
        .find(|status| status.as_str() == name)
        .ok_or_else(|| {
            ItemError::malformed(
                item,
                STATUS,
                format!("{name:?} is not a hook execution status"),
            )
        })
}

const STATUSES: [HookExecutionStatus; 3] = [
    HookExecutionStatus::Pending,
    HookExecutionStatus::Succeeded,
    HookExecutionStatus::Failed,
];

/// CodeDeploy's spelling, as hooks report it.
/// Time to live wants whole epoch seconds: rounded up, so the record outlives the time it was
/// promised until.
fn expiry(at: OffsetDateTime) -> AttributeValue {
    let seconds = at.unix_timestamp() + i64::from(at.nanosecond() > 0);
    AttributeValue::N(seconds.to_string())
}

fn expiry_of(item: &Item) -> Result<OffsetDateTime, ItemError> {
    let malformed = |detail: String| ItemError::malformed(item, TIME_TO_LIVE_ATTRIBUTE, detail);
    match item.get(TIME_TO_LIVE_ATTRIBUTE) {
        Some(AttributeValue::N(seconds)) => {
            let seconds: i64 = seconds
                .parse()
                .map_err(|_| malformed(format!("{seconds:?} is not whole epoch seconds")))?;
            OffsetDateTime::from_unix_timestamp(seconds)
                .map_err(|error| malformed(error.to_string()))
        }
        _ => Err(malformed("it is not an epoch-seconds number".to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradual_core::deployment::DeploymentId;
    use time::macros::datetime;

    fn execution() -> HookExecution {
        HookExecution {
            id: "hook-execution-1".to_owned(),
            deployment_id: DeploymentId::generate(),
            event: LifecycleEvent::AfterAllowTestTraffic,
            function_name: "checkout-smoke-test".to_owned(),
            task_token: "task-token".to_owned(),
            status: HookExecutionStatus::Failed,
            started_at: datetime!(2026-11-23 10:15:30.5 +01:00),
            expires_at: datetime!(2026-12-23 10:15:30 UTC),
        }
    }

    #[test]
    fn an_execution_reads_back_as_written() {
        let execution = execution();
        assert_eq!(decode(&encode(&execution).unwrap()), Ok(execution));
    }

    #[test]
    fn the_expiry_is_whole_epoch_seconds_rounded_up() {
        let mut execution = execution();
        execution.expires_at = datetime!(2026-12-23 10:15:30.001 UTC);
        let item = encode(&execution).unwrap();
        let expected = datetime!(2026-12-23 10:15:31 UTC);
        assert_eq!(
            item.get(TIME_TO_LIVE_ATTRIBUTE),
            Some(&AttributeValue::N(expected.unix_timestamp().to_string()))
        );
        assert_eq!(decode(&item).unwrap().expires_at, expected);
        assert_eq!(
            encode_event(&execution).get(TIME_TO_LIVE_ATTRIBUTE),
            item.get(TIME_TO_LIVE_ATTRIBUTE)
        );
    }

    #[test]
    fn unknown_statuses_and_events_are_named() {
        let mut item = encode(&execution()).unwrap();
        item.insert(STATUS.to_owned(), text("Skipped"));
        let error = decode(&item).unwrap_err().to_string();
        assert!(
            error.contains("\"Skipped\" is not a hook execution status"),
            "{error}"
        );
        let mut item = encode(&execution()).unwrap();
        item.insert(LIFECYCLE_EVENT.to_owned(), text("Install"));
        let error = decode(&item).unwrap_err().to_string();
        assert!(
            error.contains("\"Install\" is not a lifecycle event"),
            "{error}"
        );
    }
}
