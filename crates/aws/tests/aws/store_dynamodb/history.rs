//! A deployment's history: written once per key, read oldest first.

use super::support::fresh_table;
use gradual_core::deployment::DeploymentId;
use gradual_core::fixtures;
use gradual_core::history::{HistoryEntry, HistoryRecord, LifecycleEventStatus};
use gradual_core::lifecycle::LifecycleEvent;
use gradual_core::ports::DeploymentRecords;
use gradual_core::ports::HistoryStore;
use gradual_core::ports::{Entity, StoreError};
use time::Duration;

fn status_record(key: &str, seconds: i64, from: &str, to: &str) -> HistoryRecord {
    HistoryRecord {
        key: key.to_owned(),
        at: fixtures::created_at() + Duration::seconds(seconds),
        entry: HistoryEntry::Status {
            from: from.to_owned(),
            to: to.to_owned(),
        },
    }
}

#[tokio::test]
async fn history_is_written_once_per_key_and_read_oldest_first() {
    let table = fresh_table().await;
    let store = &table.store;
    let group = table.registered_group("shop", "live").await;
    let deployment = fixtures::lambda_deployment(&group);
    let id = &deployment.id;
    store.create_deployment(&deployment, None).await.unwrap();

    let started = status_record("status/InProgress", 10, "Created", "InProgress");
    let hook = HistoryRecord {
        key: "hook/BeforeAllowTraffic".to_owned(),
        at: started.at,
        entry: HistoryEntry::Lifecycle {
            event: LifecycleEvent::BeforeAllowTraffic,
            status: LifecycleEventStatus::Succeeded,
            hook_function: Some("checkout-smoke-test".to_owned()),
            message: Some("all checks passed".to_owned()),
        },
    };
    let shifted = HistoryRecord {
        key: "traffic/0".to_owned(),
        at: started.at + Duration::seconds(5),
        entry: HistoryEntry::Traffic {
            action: "shift".to_owned(),
            target: "alias checkout:live (1 -> 2)".to_owned(),
            percent: 10,
        },
    };
    // Written out of time order: the earlier record comes first when read.
    let created = status_record("status/Created", 0, "", "Created");
    for record in [&started, &hook, &shifted, &created] {
        assert_eq!(
            store.record_history(id, record).await,
            Ok(true),
            "{}",
            record.key
        );
    }
    let replay = status_record("status/InProgress", 99, "Created", "InProgress");
    assert_eq!(store.record_history(id, &replay).await, Ok(false));

    assert_eq!(
        store.history(id).await,
        Ok(vec![created, started, hook, shifted])
    );

    let missing = DeploymentId::generate();
    assert_eq!(
        store.record_history(&missing, &replay).await,
        Err(StoreError::NotFound {
            entity: Entity::Deployment,
            name: missing.to_string()
        })
    );
    assert_eq!(store.history(&missing).await, Ok(vec![]));
}
