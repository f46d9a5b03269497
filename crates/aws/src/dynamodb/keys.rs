//! The key of every kind of item (see the layout in the module docs).

use super::item::ItemKey;
use gradual_core::deployment::{group_key, DeploymentId};
use gradual_core::lifecycle::LifecycleEvent;
use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

pub(super) const GROUP_PREFIX: &str = "GROUP#";
pub(super) const CONFIG_PREFIX: &str = "CONFIG#";
pub(super) const HISTORY_PREFIX: &str = "HISTORY#";
const DEPLOYMENT_PREFIX: &str = "DEPLOYMENT#";
const HOOK_PREFIX: &str = "HOOK#";

/// The partition holding every custom deployment config, so that one query lists them.
pub(super) const CONFIG_PARTITION: &str = "CONFIG";

/// Fixed width, so that the index's string order is time order.
const SORTABLE_UTC: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:9]Z");

pub(super) fn application(name: &str) -> ItemKey {
    ItemKey::new(application_partition(name), "APP")
}

pub(super) fn application_partition(name: &str) -> String {
    format!("APP#{name}")
}

pub(super) fn group(application: &str, name: &str) -> ItemKey {
    ItemKey::new(
        application_partition(application),
        format!("{GROUP_PREFIX}{name}"),
    )
}

pub(super) fn config(name: &str) -> ItemKey {
    ItemKey::new(CONFIG_PARTITION, format!("{CONFIG_PREFIX}{name}"))
}

/// Where the group index lists the groups whose config is `name`.
pub(super) fn config_index_partition(name: &str) -> String {
    format!("{CONFIG_PREFIX}{name}")
}

pub(super) fn deployment(id: &DeploymentId) -> ItemKey {
    ItemKey::new(deployment_partition(id), "DEPLOYMENT")
}

pub(super) fn deployment_partition(id: &DeploymentId) -> String {
    format!("{DEPLOYMENT_PREFIX}{id}")
}

/// The deployment whose partition key this is.
pub(super) fn deployment_of_partition(partition: &str) -> Option<DeploymentId> {
    partition.strip_prefix(DEPLOYMENT_PREFIX)?.parse().ok()
}

/// The counter numbering a deployment's history records in the order they were written.
pub(super) fn history_sequence(id: &DeploymentId) -> ItemKey {
    ItemKey::new(deployment_partition(id), "SEQUENCE")
}

pub(super) fn history(id: &DeploymentId, record_key: &str) -> ItemKey {
    ItemKey::new(
        deployment_partition(id),
        format!("{HISTORY_PREFIX}{record_key}"),
    )
}

/// A lifecycle event hook execution, found by the id the hook reports back with.
pub(super) fn hook_execution(id: &str) -> ItemKey {
    ItemKey::new(format!("{HOOK_PREFIX}{id}"), "HOOK")
}

/// The item naming the hook execution of a deployment's lifecycle event: there is one at most.
pub(super) fn event_hook(deployment: &DeploymentId, event: LifecycleEvent) -> ItemKey {
    ItemKey::new(
        deployment_partition(deployment),
        format!("{HOOK_PREFIX}{event}"),
    )
}

/// The item a group's active deployment holds.
pub(super) fn active_slot(application: &str, group: &str) -> ItemKey {
    ItemKey::new(
        format!("ACTIVE#{}", group_key(application, group)),
        "ACTIVE",
    )
}

/// The group index's partition listing every held active slot, so that one query finds
/// the running deployments of all groups.
pub(super) const ACTIVE_INDEX_PARTITION: &str = "ACTIVE";

/// The group index's sort key of an active slot: its group, then the deployment holding it.
pub(super) fn active_index_sort(application: &str, group: &str, id: &DeploymentId) -> String {
    format!("{}#{id}", group_key(application, group))
}

pub(super) fn token(token: &str) -> ItemKey {
    ItemKey::new(format!("TOKEN#{token}"), "TOKEN")
}

/// The group index's partition for a group's deployments.
pub(super) fn group_index_partition(application: &str, group: &str) -> String {
    format!("{GROUP_PREFIX}{}", group_key(application, group))
}

/// The group index's sort key of a deployment: its create time, then its id to break ties.
pub(super) fn group_index_sort(create_time: OffsetDateTime, id: &DeploymentId) -> String {
    let utc = create_time.to_offset(UtcOffset::UTC);
    // Only years outside 0000-9999 fail to format; fall back to the (still unique) id alone.
    let time = utc.format(SORTABLE_UTC).unwrap_or_default();
    format!("{time}#{id}")
}

/// The deployment a group index sort key belongs to (a deployment's, or an active slot's).
pub(super) fn deployment_of_group_index_sort(sort: &str) -> Option<DeploymentId> {
    let (_, id) = sort.rsplit_once('#')?;
    id.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn index_sort_keys_order_like_their_times_whatever_the_offset() {
        let id = DeploymentId::generate();
        let times = [
            datetime!(2026-11-23 10:15:30 UTC),
            datetime!(2026-11-23 10:15:30.5 UTC),
            datetime!(2026-11-23 12:15:31 +01:00),
            datetime!(2026-11-23 11:15:32 UTC),
        ];
        let keys: Vec<String> = times.iter().map(|t| group_index_sort(*t, &id)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(keys[0], format!("2026-11-23T10:15:30.000000000Z#{id}"));
    }

    #[test]
    fn ids_are_read_back_from_keys() {
        let id = DeploymentId::generate();
        let sort = group_index_sort(datetime!(2026-11-23 10:15:30 UTC), &id);
        assert_eq!(deployment_of_group_index_sort(&sort), Some(id.clone()));
        assert_eq!(
            deployment_of_partition(&deployment(&id).partition),
            Some(id.clone())
        );
        assert_eq!(
            deployment_of_group_index_sort(&active_index_sort("shop", "live", &id)),
            Some(id)
        );
        assert_eq!(deployment_of_group_index_sort("2026#d-nope"), None);
        assert_eq!(deployment_of_partition("APP#d-A1B2C3D4E"), None);
    }
}
