//! The state store in memory, [`MemoryStore`]. It follows the DynamoDB adapter's rules, with the
//! same errors and messages, and one contract suite (`ports::store_contract`) holds both stores
//! to them.

use crate::config::DeploymentConfig;
use crate::deployment::{
    group_key, Deployment, DeploymentId, DeploymentStatus, IllegalTransition, TrafficProgress,
};
use crate::group::{Application, DeploymentGroup};
use crate::history::HistoryRecord;
use crate::lifecycle::LifecycleEvent;
use crate::ports::{
    ApplicationStore, ConfigStore, Creation, DeploymentIndex, DeploymentRecords, DeploymentSignals,
    Entity, GroupStore, HistoryStore, HookExecution, HookExecutionStatus, HookExecutionStore,
    IdempotencyKey, Page, StatusChange, StatusUpdate, StopOutcome, StopRequest, StoreError,
};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::{Mutex, PoisonError};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// The largest page a listing hands out, whatever the caller asks for (as the adapter's).
const MAX_PAGE: usize = 1000;

/// The state store in memory: every store port, stop signals and hook executions, on plain
/// maps behind one lock, for tests and for anything else that needs the domain's state without
/// AWS.
///
/// It follows the DynamoDB adapter's rules (`gradual_aws::dynamodb`) to the letter, with the
/// same errors and messages: one active deployment per group, taken over by the rollback of
/// the deployment holding it; request tokens checked before the group's slot; status changes
/// only from the status the caller saw, a replay of the same change answering `changed: false`;
/// history records written once per key; the first stop request standing; one hook execution
/// per deployment and event, completed once; listings newest first, in pages of at most 1000,
/// with the adapter's `nextToken`s. The contract suite (`ports::store_contract`, with the
/// `fixtures` feature) holds both stores to these rules.
///
/// Every call takes the lock once and checks all of its conditions before it writes, so a
/// refused call writes nothing, as the adapter's conditional writes and transactions.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    applications: BTreeMap<String, Application>,
    /// By application, then group name.
    groups: BTreeMap<(String, String), DeploymentGroup>,
    configs: BTreeMap<String, DeploymentConfig>,
    deployments: HashMap<DeploymentId, StoredDeployment>,
    /// Each group's active deployment, by application and group name.
    slots: HashMap<(String, String), DeploymentId>,
    /// Client request tokens: the request's fingerprint and its deployment. Never removed.
    tokens: HashMap<String, (String, DeploymentId)>,
    hook_executions: HashMap<String, HookExecution>,
    /// The execution of each deployment's lifecycle event.
    event_hooks: HashMap<(DeploymentId, LifecycleEvent), String>,
}

#[derive(Debug)]
struct StoredDeployment {
    deployment: Deployment,
    /// The task token of the workflow's current wait.
    wait_token: Option<String>,
    /// The first stop request.
    stop_request: Option<StopRequest>,
    /// By key: the record and its number in the order of writing.
    history: HashMap<String, (u64, HistoryRecord)>,
    /// The last number handed out, repeated records included.
    last_sequence: u64,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Runs `call` on the state, under the lock.
    fn with<T>(&self, call: impl FnOnce(&mut State) -> T) -> T {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        call(&mut state)
    }
}

impl State {
    /// The application's group names, in order.
    fn group_names(&self, application: &str) -> Vec<String> {
        self.groups
            .keys()
            .filter(|(owner, _)| owner == application)
            .map(|(_, name)| name.clone())
            .collect()
    }

    fn deployment_mut(&mut self, id: &DeploymentId) -> Result<&mut StoredDeployment, StoreError> {
        self.deployments
            .get_mut(id)
            .ok_or_else(|| not_found(Entity::Deployment, id.as_str()))
    }

    fn deployment(&self, id: &DeploymentId) -> Result<&StoredDeployment, StoreError> {
        self.deployments
            .get(id)
            .ok_or_else(|| not_found(Entity::Deployment, id.as_str()))
    }

    /// Applies `change` to execution `id` while it is pending: the execution as changed.
    fn update_pending(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut HookExecution),
    ) -> Result<HookExecution, StoreError> {
        let execution = self
            .hook_executions
            .get_mut(id)
            .ok_or_else(|| not_found(Entity::HookExecution, id))?;
        if execution.status != HookExecutionStatus::Pending {
            return Err(StoreError::HookAlreadyCompleted {
                id: id.to_owned(),
                status: execution.status.as_str().to_owned(),
            });
        }
        change(execution);
        Ok(execution.clone())
    }
}

#[async_trait]
impl ApplicationStore for MemoryStore {
    async fn create_application(&self, application: &Application) -> Result<(), StoreError> {
        self.with(|state| {
            let name = &application.application_name;
            if state.applications.contains_key(name) {
                return Err(already_exists(Entity::Application, name));
            }
            state.applications.insert(name.clone(), application.clone());
            Ok(())
        })
    }

    async fn get_application(&self, name: &str) -> Result<Option<Application>, StoreError> {
        self.with(|state| Ok(state.applications.get(name).cloned()))
    }

    async fn delete_application(&self, name: &str) -> Result<(), StoreError> {
        self.with(|state| {
            if !state.applications.contains_key(name) {
                return Err(not_found(Entity::Application, name));
            }
            let groups = state.group_names(name);
            if !groups.is_empty() {
                return Err(StoreError::InUse {
                    entity: Entity::Application,
                    name: name.to_owned(),
                    user: group_list(&groups),
                });
            }
            state.applications.remove(name);
            Ok(())
        })
    }
}

#[async_trait]
impl GroupStore for MemoryStore {
    async fn create_deployment_group(&self, group: &DeploymentGroup) -> Result<(), StoreError> {
        self.with(|state| {
            let (application, name) = (&group.application_name, &group.deployment_group_name);
            if !state.applications.contains_key(application) {
                return Err(not_found(Entity::Application, application));
            }
            let key = (application.clone(), name.clone());
            if state.groups.contains_key(&key) {
                return Err(already_exists(
                    Entity::DeploymentGroup,
                    group_key(application, name),
                ));
            }
            state.groups.insert(key, group.clone());
            Ok(())
        })
    }

    async fn update_deployment_group(&self, group: &DeploymentGroup) -> Result<(), StoreError> {
        self.with(|state| {
            let (application, name) = (&group.application_name, &group.deployment_group_name);
            match state.groups.get_mut(&(application.clone(), name.clone())) {
                Some(stored) => {
                    *stored = group.clone();
                    Ok(())
                }
                None => Err(not_found(
                    Entity::DeploymentGroup,
                    group_key(application, name),
                )),
            }
        })
    }

    async fn get_deployment_group(
        &self,
        application: &str,
        name: &str,
    ) -> Result<Option<DeploymentGroup>, StoreError> {
        self.with(|state| {
            let key = (application.to_owned(), name.to_owned());
            Ok(state.groups.get(&key).cloned())
        })
    }

    async fn list_deployment_groups(&self, application: &str) -> Result<Vec<String>, StoreError> {
        self.with(|state| Ok(state.group_names(application)))
    }

    async fn delete_deployment_group(
        &self,
        application: &str,
        name: &str,
    ) -> Result<(), StoreError> {
        self.with(|state| {
            let key = (application.to_owned(), name.to_owned());
            if !state.groups.contains_key(&key) {
                return Err(not_found(
                    Entity::DeploymentGroup,
                    group_key(application, name),
                ));
            }
            if let Some(active) = state.slots.get(&key) {
                return Err(StoreError::InUse {
                    entity: Entity::DeploymentGroup,
                    name: group_key(application, name),
                    user: format!("active deployment {active}"),
                });
            }
            if !state.applications.contains_key(application) {
                return Err(not_found(Entity::Application, application));
            }
            state.groups.remove(&key);
            Ok(())
        })
    }
}

#[async_trait]
impl ConfigStore for MemoryStore {
    async fn create_deployment_config(&self, config: &DeploymentConfig) -> Result<(), StoreError> {
        self.with(|state| {
            if state.configs.contains_key(&config.name) {
                return Err(already_exists(Entity::DeploymentConfig, &config.name));
            }
            state.configs.insert(config.name.clone(), config.clone());
            Ok(())
        })
    }

    async fn get_deployment_config(
        &self,
        name: &str,
    ) -> Result<Option<DeploymentConfig>, StoreError> {
        self.with(|state| Ok(state.configs.get(name).cloned()))
    }

    async fn list_deployment_configs(&self) -> Result<Vec<DeploymentConfig>, StoreError> {
        self.with(|state| Ok(state.configs.values().cloned().collect()))
    }

    async fn groups_using_config(&self, name: &str) -> Result<Vec<String>, StoreError> {
        self.with(|state| {
            Ok(state
                .groups
                .iter()
                .filter(|(_, group)| group.deployment_config_name == name)
                .map(|((application, group), _)| group_key(application, group))
                .collect())
        })
    }

    async fn delete_deployment_config(&self, name: &str) -> Result<(), StoreError> {
        self.with(|state| match state.configs.remove(name) {
            Some(_) => Ok(()),
            None => Err(not_found(Entity::DeploymentConfig, name)),
        })
    }
}

#[async_trait]
impl DeploymentRecords for MemoryStore {
    /// The request token is checked first (a retry whose deployment still holds the slot is a
    /// repeat), then the group's slot, then the deployment's id.
    async fn create_deployment(
        &self,
        deployment: &Deployment,
        idempotency: Option<&IdempotencyKey>,
    ) -> Result<Creation, StoreError> {
        self.with(|state| {
            if let Some(key) = idempotency {
                if let Some((fingerprint, first)) = state.tokens.get(&key.token) {
                    return if *fingerprint == key.fingerprint {
                        Ok(Creation::AlreadyCreated(first.clone()))
                    } else {
                        Err(StoreError::TokenReused {
                            token: key.token.clone(),
                            deployment_id: first.clone(),
                        })
                    };
                }
            }
            let slot = (
                deployment.application_name.clone(),
                deployment.deployment_group_name.clone(),
            );
            if let Some(active) = state.slots.get(&slot) {
                let rolled_back = &deployment.rollback_info.rollback_triggering_deployment_id;
                if rolled_back.as_ref() != Some(active) {
                    return Err(StoreError::ActiveDeploymentExists {
                        group: deployment.group_key(),
                        active: Some(active.clone()),
                    });
                }
            }
            let id = &deployment.id;
            if state.deployments.contains_key(id) {
                return Err(already_exists(Entity::Deployment, id.as_str()));
            }
            state.deployments.insert(
                id.clone(),
                StoredDeployment {
                    deployment: deployment.clone(),
                    wait_token: None,
                    stop_request: None,
                    history: HashMap::new(),
                    last_sequence: 0,
                },
            );
            state.slots.insert(slot, id.clone());
            if let Some(key) = idempotency {
                state
                    .tokens
                    .insert(key.token.clone(), (key.fingerprint.clone(), id.clone()));
            }
            Ok(Creation::Created(id.clone()))
        })
    }

    async fn get_deployment(&self, id: &DeploymentId) -> Result<Option<Deployment>, StoreError> {
        self.with(|state| {
            Ok(state
                .deployments
                .get(id)
                .map(|stored| stored.deployment.clone()))
        })
    }

    /// A terminal status frees the slot only if this deployment still holds it (a rollback may
    /// have taken it over).
    async fn change_status(
        &self,
        id: &DeploymentId,
        change: &StatusChange,
    ) -> Result<StatusUpdate, StoreError> {
        change.check_transition(id)?;
        self.with(|state| {
            let stored = state.deployment_mut(id)?;
            change.check_not_stopped(id, stored.deployment.status, stored.stop_request.as_ref())?;
            let current = &mut stored.deployment;
            if current.status != change.expected {
                return change.not_applied(current.clone());
            }
            current.status = change.next;
            if let Some(error) = &change.error_information {
                current.error_information = Some(error.clone());
            }
            if change.next.is_terminal() {
                current.complete_time = Some(change.at);
            } else if change.next == DeploymentStatus::InProgress {
                // Baking and Ready return to InProgress: only the first start counts.
                current.start_time.get_or_insert(change.at);
            }
            let deployment = current.clone();
            if change.next.is_terminal() {
                let slot = (
                    deployment.application_name.clone(),
                    deployment.deployment_group_name.clone(),
                );
                if state.slots.get(&slot) == Some(id) {
                    state.slots.remove(&slot);
                }
            }
            Ok(StatusUpdate {
                deployment,
                changed: true,
            })
        })
    }

    async fn set_traffic(
        &self,
        id: &DeploymentId,
        traffic: &TrafficProgress,
    ) -> Result<(), StoreError> {
        self.with(|state| {
            state.deployment_mut(id)?.deployment.traffic = traffic.clone();
            Ok(())
        })
    }

    async fn link_rollback(
        &self,
        rolled_back: &DeploymentId,
        rollback: &DeploymentId,
        message: &str,
    ) -> Result<(), StoreError> {
        self.with(|state| {
            let info = &mut state.deployment_mut(rolled_back)?.deployment.rollback_info;
            info.rollback_deployment_id = Some(rollback.clone());
            info.rollback_message = Some(message.to_owned());
            Ok(())
        })
    }
}

#[async_trait]
impl DeploymentIndex for MemoryStore {
    async fn active_deployment(
        &self,
        application: &str,
        group: &str,
    ) -> Result<Option<DeploymentId>, StoreError> {
        self.with(|state| {
            let slot = (application.to_owned(), group.to_owned());
            Ok(state.slots.get(&slot).cloned())
        })
    }

    async fn active_deployments(&self) -> Result<Vec<DeploymentId>, StoreError> {
        self.with(|state| Ok(state.slots.values().cloned().collect()))
    }

    /// Up to `limit` deployments (at least one, at most 1000) after `next_token`, by
    /// create time then id, newest first. The page has a token only when more follow it.
    async fn list_deployments(
        &self,
        application: &str,
        group: &str,
        limit: usize,
        next_token: Option<&str>,
    ) -> Result<Page<DeploymentId>, StoreError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let partition = group_index_partition(application, group);
        let after =
            match next_token {
                Some(token) => Some(page_start(token, &partition).ok_or_else(|| {
                    StoreError::InvalidNextToken {
                        token: token.to_owned(),
                    }
                })?),
                None => None,
            };
        self.with(|state| {
            let mut positions: Vec<(String, DeploymentId)> = state
                .deployments
                .values()
                .map(|stored| &stored.deployment)
                .filter(|deployment| {
                    deployment.application_name == application
                        && deployment.deployment_group_name == group
                })
                .map(|deployment| {
                    let sort = group_index_sort(deployment.create_time, &deployment.id);
                    (sort, deployment.id.clone())
                })
                .filter(|(sort, _)| after.as_ref().is_none_or(|after| sort < after))
                .collect();
            positions.sort_by(|(a, _), (b, _)| b.cmp(a));
            let more = positions.len() > limit;
            positions.truncate(limit);
            let next_token = match positions.last() {
                Some((sort, _)) if more => Some(page_token(&partition, sort)),
                _ => None,
            };
            Ok(Page {
                items: positions.into_iter().map(|(_, id)| id).collect(),
                next_token,
            })
        })
    }
}

#[async_trait]
impl HistoryStore for MemoryStore {
    /// Numbers the record in the order of writing; a repeated record leaves its number unused.
    async fn record_history(
        &self,
        id: &DeploymentId,
        record: &HistoryRecord,
    ) -> Result<bool, StoreError> {
        self.with(|state| {
            let stored = state.deployment_mut(id)?;
            stored.last_sequence += 1;
            if stored.history.contains_key(&record.key) {
                return Ok(false);
            }
            let numbered = (stored.last_sequence, record.clone());
            stored.history.insert(record.key.clone(), numbered);
            Ok(true)
        })
    }

    /// Oldest first: by time, then by order of writing. Empty for a deployment never stored.
    async fn history(&self, id: &DeploymentId) -> Result<Vec<HistoryRecord>, StoreError> {
        self.with(|state| {
            let Some(stored) = state.deployments.get(id) else {
                return Ok(Vec::new());
            };
            let mut numbered: Vec<&(u64, HistoryRecord)> = stored.history.values().collect();
            numbered.sort_by(|(a_number, a), (b_number, b)| {
                a.at.cmp(&b.at).then(a_number.cmp(b_number))
            });
            Ok(numbered
                .into_iter()
                .map(|(_, record)| record.clone())
                .collect())
        })
    }
}

#[async_trait]
impl DeploymentSignals for MemoryStore {
    /// Refused once a stop is recorded; allowed whatever the deployment's status.
    async fn register_wait(&self, id: &DeploymentId, task_token: &str) -> Result<(), StoreError> {
        self.with(|state| {
            let stored = state.deployment_mut(id)?;
            if let Some(request) = &stored.stop_request {
                return Err(StoreError::StopRequested {
                    id: id.clone(),
                    message: request.message.clone(),
                });
            }
            stored.wait_token = Some(task_token.to_owned());
            Ok(())
        })
    }

    /// Records `request` unless a stop is already recorded or the deployment has ended. An
    /// ended deployment is refused even when a stop was recorded before it ended.
    async fn request_stop(
        &self,
        id: &DeploymentId,
        request: &StopRequest,
    ) -> Result<StopOutcome, StoreError> {
        self.with(|state| {
            let stored = state.deployment_mut(id)?;
            let status = stored.deployment.status;
            if status.is_terminal() {
                return Err(StoreError::IllegalTransition {
                    id: id.clone(),
                    source: IllegalTransition {
                        from: status,
                        to: DeploymentStatus::Stopped,
                    },
                });
            }
            let first_request = stored.stop_request.is_none();
            if first_request {
                stored.stop_request = Some(request.clone());
            }
            Ok(StopOutcome {
                waiting_task_token: stored.wait_token.clone(),
                first_request,
            })
        })
    }

    async fn stop_request(&self, id: &DeploymentId) -> Result<Option<StopRequest>, StoreError> {
        self.with(|state| Ok(state.deployment(id)?.stop_request.clone()))
    }
}

#[async_trait]
impl HookExecutionStore for MemoryStore {
    /// Refused for a missing deployment, then for an event that has an execution, then for an
    /// id that is taken. The expiry is kept to the second, rounded up.
    async fn create_hook_execution(&self, execution: &HookExecution) -> Result<(), StoreError> {
        self.with(|state| {
            let (deployment, event) = (&execution.deployment_id, execution.event);
            if !state.deployments.contains_key(deployment) {
                return Err(not_found(Entity::Deployment, deployment.as_str()));
            }
            let event_key = (deployment.clone(), event);
            if state.event_hooks.contains_key(&event_key) {
                return Err(already_exists(
                    Entity::HookExecution,
                    format!("{event} of deployment {deployment}"),
                ));
            }
            if state.hook_executions.contains_key(&execution.id) {
                return Err(already_exists(Entity::HookExecution, &execution.id));
            }
            let stored = HookExecution {
                expires_at: whole_seconds_after(execution.expires_at),
                ..execution.clone()
            };
            state.event_hooks.insert(event_key, execution.id.clone());
            state.hook_executions.insert(execution.id.clone(), stored);
            Ok(())
        })
    }

    async fn hook_execution_for(
        &self,
        deployment: &DeploymentId,
        event: LifecycleEvent,
    ) -> Result<Option<HookExecution>, StoreError> {
        self.with(|state| {
            Ok(state
                .event_hooks
                .get(&(deployment.clone(), event))
                .and_then(|id| state.hook_executions.get(id))
                .cloned())
        })
    }

    async fn get_hook_execution(&self, id: &str) -> Result<Option<HookExecution>, StoreError> {
        self.with(|state| Ok(state.hook_executions.get(id).cloned()))
    }

    async fn replace_hook_task_token(&self, id: &str, task_token: &str) -> Result<(), StoreError> {
        self.with(|state| {
            state
                .update_pending(id, |execution| {
                    execution.task_token = task_token.to_owned();
                })
                .map(|_| ())
        })
    }

    async fn complete_hook_execution(
        &self,
        id: &str,
        status: HookExecutionStatus,
    ) -> Result<HookExecution, StoreError> {
        if status == HookExecutionStatus::Pending {
            return Err(StoreError::Backend(format!(
                "hook execution {} cannot be completed as Pending: only Succeeded or Failed end it",
                crate::secret::shown(id)
            )));
        }
        self.with(|state| state.update_pending(id, |execution| execution.status = status))
    }
}

fn not_found(entity: Entity, name: impl Into<String>) -> StoreError {
    StoreError::NotFound {
        entity,
        name: name.into(),
    }
}

fn already_exists(entity: Entity, name: impl Into<String>) -> StoreError {
    StoreError::AlreadyExists {
        entity,
        name: name.into(),
    }
}

/// "deployment group a" or "deployment groups a, b".
fn group_list(names: &[String]) -> String {
    match names {
        [] => "its deployment groups".to_owned(),
        [name] => format!("deployment group {name}"),
        names => format!("deployment groups {}", names.join(", ")),
    }
}

/// CodeDeploy's spelling, as hooks report it.
/// An expiry as the adapter's time to live keeps it: whole epoch seconds, rounded up, in UTC.
fn whole_seconds_after(at: OffsetDateTime) -> OffsetDateTime {
    let seconds = at.unix_timestamp() + i64::from(at.nanosecond() > 0);
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(at)
}

// A listing's positions and tokens, as the adapter's group index has them: a deployment's
// position is its create time (UTC, fixed width, so that text order is time order) then its
// id; a `nextToken` is the hex-encoded group and position the next page starts after.

const TOKEN_SEPARATOR: char = '\n';

const SORTABLE_UTC: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:9]Z");

fn group_index_partition(application: &str, group: &str) -> String {
    format!("GROUP#{}", group_key(application, group))
}

fn group_index_sort(create_time: OffsetDateTime, id: &DeploymentId) -> String {
    let utc = create_time.to_offset(UtcOffset::UTC);
    // Only years outside 0000-9999 fail to format; the (still unique) id alone then.
    let time = utc.format(SORTABLE_UTC).unwrap_or_default();
    format!("{time}#{id}")
}

fn page_token(partition: &str, sort: &str) -> String {
    let payload = format!("{partition}{TOKEN_SEPARATOR}{sort}");
    payload.bytes().fold(String::new(), |mut hex, byte| {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

/// The position a token handed out for `partition` says the next page starts after; `None`
/// when it is no such token.
fn page_start(token: &str, partition: &str) -> Option<String> {
    let payload = String::from_utf8(from_hex(token)?).ok()?;
    let (token_partition, sort) = payload.split_once(TOKEN_SEPARATOR)?;
    let (_, id) = sort.rsplit_once('#')?;
    let names_a_deployment = id.parse::<DeploymentId>().is_ok();
    (token_partition == partition && names_a_deployment).then(|| sort.to_owned())
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| {
            text.get(at..at + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::store_contract;
    use time::macros::datetime;

    /// One test per check of the contract, each on a new store.
    macro_rules! contract_tests {
        ($($check:ident),* $(,)?) => {
            $(
                #[tokio::test]
                async fn $check() {
                    store_contract::$check(&MemoryStore::new()).await;
                }
            )*
        };
    }

    crate::store_contract_checks!(contract_tests);

    #[tokio::test]
    async fn the_whole_contract_holds_in_one_run() {
        store_contract::run_all(|| async { MemoryStore::new() }).await;
    }

    #[test]
    fn tokens_are_the_adapter_s() {
        let id: DeploymentId = "d-A1B2C3D4E".parse().unwrap();
        let sort = group_index_sort(datetime!(2026-11-23 11:15:30 +01:00), &id);
        assert_eq!(sort, "2026-11-23T10:15:30.000000000Z#d-A1B2C3D4E");
        let partition = group_index_partition("shop", "live");
        let token = page_token(&partition, &sort);
        assert_eq!(&token[..12], "47524f555023", "{token}");
        assert_eq!(page_start(&token, &partition), Some(sort.clone()));
        let other = group_index_partition("shop", "beta");
        assert_eq!(page_start(&token, &other), None);
        for garbled in ["", "abc", "zz", "ff", "616263"] {
            assert_eq!(page_start(garbled, &partition), None, "{garbled:?}");
        }
        let nameless = page_token(&partition, "2026#d-nope");
        assert_eq!(page_start(&nameless, &partition), None);
    }
}
