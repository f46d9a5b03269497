//! The state store port: applications, groups, configs, deployments and their history.

use crate::config::DeploymentConfig;
use crate::deployment::{
    Deployment, DeploymentId, DeploymentStatus, ErrorInformation, IllegalTransition,
    TrafficProgress,
};
use crate::group::{Application, DeploymentGroup};
use crate::history::HistoryRecord;
use crate::ports::StopRequest;
use async_trait::async_trait;
use std::fmt;
use thiserror::Error;
use time::OffsetDateTime;

/// What the state store holds, as its errors name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Application,
    DeploymentGroup,
    DeploymentConfig,
    Deployment,
    HookExecution,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Application => "application",
            Entity::DeploymentGroup => "deployment group",
            Entity::DeploymentConfig => "deployment config",
            Entity::Deployment => "deployment",
            Entity::HookExecution => "hook execution",
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StoreError {
    #[error("{entity} {name:?} does not exist")]
    NotFound { entity: Entity, name: String },
    #[error("{entity} {name:?} already exists")]
    AlreadyExists { entity: Entity, name: String },
    #[error("{entity} {name:?} is still used by {user}")]
    InUse {
        entity: Entity,
        name: String,
        user: String,
    },
    #[error("deployment group {group} already has an active deployment{}; wait for it to end or stop it", .active.as_ref().map(|id| format!(" ({id})")).unwrap_or_default())]
    ActiveDeploymentExists {
        group: String,
        active: Option<DeploymentId>,
    },
    #[error("clientRequestToken {token:?} was already used for a different request (deployment {deployment_id})")]
    TokenReused {
        token: String,
        deployment_id: DeploymentId,
    },
    #[error("deployment {id} is {actual}, not {expected}: it was changed concurrently")]
    StaleStatus {
        id: DeploymentId,
        expected: DeploymentStatus,
        actual: DeploymentStatus,
    },
    #[error("deployment {id}: {source}")]
    IllegalTransition {
        id: DeploymentId,
        source: IllegalTransition,
    },
    #[error("deployment {id} was asked to stop: {message}")]
    StopRequested { id: DeploymentId, message: String },
    #[error("lifecycle event hook execution {} already completed with status {status}", crate::secret::shown(.id))]
    HookAlreadyCompleted { id: String, status: String },
    #[error("nextToken {token:?} was not handed out by this listing")]
    InvalidNextToken { token: String },
    #[error("the state store failed: {0}")]
    Backend(String),
    /// The caller's role may not make the call: AWS's message, naming the action. Retrying
    /// cannot help; the role needs the permission.
    #[error("the state store refused the call: {0}")]
    AccessDenied(String),
}

/// A client request token and a fingerprint of the request that carried it, so that a retry
/// of the same request finds its deployment and a different request reusing the token is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub token: String,
    pub fingerprint: String,
}

/// What `create_deployment` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Creation {
    /// The deployment was stored and now holds its group's active slot.
    Created(DeploymentId),
    /// The same request was made before: this is its deployment, nothing was written.
    AlreadyCreated(DeploymentId),
}

impl Creation {
    pub fn id(&self) -> &DeploymentId {
        match self {
            Creation::Created(id) | Creation::AlreadyCreated(id) => id,
        }
    }
}

/// A conditional status change.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub expected: DeploymentStatus,
    pub next: DeploymentStatus,
    pub error_information: Option<ErrorInformation>,
    pub at: OffsetDateTime,
}

impl StatusChange {
    /// Refuses a change the status machine does not allow, before anything is read.
    pub fn check_transition(&self, id: &DeploymentId) -> Result<(), StoreError> {
        self.expected
            .check_transition(self.next)
            .map_err(|source| StoreError::IllegalTransition {
                id: id.clone(),
                source,
            })
    }

    /// The refusal of a change that [`StatusChange::refused_after_a_stop`], for a deployment
    /// found in the expected status with `stop` recorded.
    pub fn check_not_stopped(
        &self,
        id: &DeploymentId,
        current: DeploymentStatus,
        stop: Option<&StopRequest>,
    ) -> Result<(), StoreError> {
        match stop {
            Some(request) if current == self.expected && self.refused_after_a_stop() => {
                Err(StoreError::StopRequested {
                    id: id.clone(),
                    message: request.message.clone(),
                })
            }
            _ => Ok(()),
        }
    }

    /// The answer when the deployment `current` was not in the expected status: nothing to do
    /// if it is already where the change wants it (a replayed step), else it was changed by
    /// someone else.
    pub fn not_applied(&self, current: Deployment) -> Result<StatusUpdate, StoreError> {
        if current.status == self.next {
            Ok(StatusUpdate {
                deployment: current,
                changed: false,
            })
        } else {
            Err(StoreError::StaleStatus {
                id: current.id.clone(),
                expected: self.expected,
                actual: current.status,
            })
        }
    }

    /// A deployment asked to stop never succeeds: the stop's answer promised otherwise. A
    /// change to `Succeeded` is refused with [`StoreError::StopRequested`] once a stop is
    /// recorded, in the same conditional write, so that the stop and the success cannot both
    /// be taken.
    pub fn refused_after_a_stop(&self) -> bool {
        self.next == DeploymentStatus::Succeeded
    }
}

/// What `change_status` did.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusUpdate {
    pub deployment: Deployment,
    /// False when the deployment was already in the requested status (a replayed step).
    pub changed: bool,
}

/// One page of a listing, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass back to get the next page; `None` on the last one.
    pub next_token: Option<String>,
}

/// Applications.
#[async_trait]
pub trait ApplicationStore: Send + Sync {
    async fn create_application(&self, application: &Application) -> Result<(), StoreError>;
    async fn get_application(&self, name: &str) -> Result<Option<Application>, StoreError>;
    /// Refused while the application has deployment groups.
    async fn delete_application(&self, name: &str) -> Result<(), StoreError>;
}

/// Deployment groups.
#[async_trait]
pub trait GroupStore: Send + Sync {
    /// Refused when the application is missing or the group exists.
    async fn create_deployment_group(&self, group: &DeploymentGroup) -> Result<(), StoreError>;
    /// Refused when the group is missing.
    async fn update_deployment_group(&self, group: &DeploymentGroup) -> Result<(), StoreError>;
    async fn get_deployment_group(
        &self,
        application: &str,
        name: &str,
    ) -> Result<Option<DeploymentGroup>, StoreError>;
    async fn list_deployment_groups(&self, application: &str) -> Result<Vec<String>, StoreError>;
    /// Refused while the group has an active deployment.
    async fn delete_deployment_group(
        &self,
        application: &str,
        name: &str,
    ) -> Result<(), StoreError>;
}

/// Custom deployment configs.
#[async_trait]
pub trait ConfigStore: Send + Sync {
    async fn create_deployment_config(&self, config: &DeploymentConfig) -> Result<(), StoreError>;
    async fn get_deployment_config(
        &self,
        name: &str,
    ) -> Result<Option<DeploymentConfig>, StoreError>;
    async fn list_deployment_configs(&self) -> Result<Vec<DeploymentConfig>, StoreError>;
    /// The groups whose config is `name`, as `application/group`, in order. Read from an
    /// index: a group given the config a moment ago may be missing.
    async fn groups_using_config(&self, name: &str) -> Result<Vec<String>, StoreError>;
    async fn delete_deployment_config(&self, name: &str) -> Result<(), StoreError>;
}

/// Deployments: created into their group's active slot, read, moved through the status machine.
#[async_trait]
pub trait DeploymentRecords: Send + Sync {
    /// Stores a new deployment and makes it its group's active one, atomically: refused while
    /// another deployment is active, unless this one rolls back the active one (then it takes
    /// over the slot). With an idempotency key, a repeat of the same request returns the first
    /// deployment and a different request with the same token is refused.
    async fn create_deployment(
        &self,
        deployment: &Deployment,
        idempotency: Option<&IdempotencyKey>,
    ) -> Result<Creation, StoreError>;
    async fn get_deployment(&self, id: &DeploymentId) -> Result<Option<Deployment>, StoreError>;
    /// Moves the deployment from `expected` to `next` only if it is still in `expected`. A
    /// terminal status frees the group's active slot. Asking again for a status the deployment
    /// already has is a no-op (`changed: false`). A change that
    /// [`StatusChange::refused_after_a_stop`] is refused with [`StoreError::StopRequested`]
    /// when a stop was requested.
    async fn change_status(
        &self,
        id: &DeploymentId,
        change: &StatusChange,
    ) -> Result<StatusUpdate, StoreError>;
    async fn set_traffic(
        &self,
        id: &DeploymentId,
        traffic: &TrafficProgress,
    ) -> Result<(), StoreError>;
    /// Links a rolled-back deployment to the deployment that rolls it back.
    async fn link_rollback(
        &self,
        rolled_back: &DeploymentId,
        rollback: &DeploymentId,
        message: &str,
    ) -> Result<(), StoreError>;
}

/// Which deployments a group has, and which run.
#[async_trait]
pub trait DeploymentIndex: Send + Sync {
    /// The group's active deployment, if any.
    async fn active_deployment(
        &self,
        application: &str,
        group: &str,
    ) -> Result<Option<DeploymentId>, StoreError>;
    /// Every deployment that holds its group's active slot, across all groups, in no
    /// particular order: the deployments an alarm may have to stop. Read from an index, so a
    /// deployment created a moment ago may be missing for a moment.
    async fn active_deployments(&self) -> Result<Vec<DeploymentId>, StoreError>;
    /// Deployments of a group, newest first.
    async fn list_deployments(
        &self,
        application: &str,
        group: &str,
        limit: usize,
        next_token: Option<&str>,
    ) -> Result<Page<DeploymentId>, StoreError>;
}

/// A deployment's history.
#[async_trait]
pub trait HistoryStore: Send + Sync {
    /// Writes a history record once: false when a record with that key already exists.
    async fn record_history(
        &self,
        id: &DeploymentId,
        record: &HistoryRecord,
    ) -> Result<bool, StoreError>;
    /// The history, oldest first.
    async fn history(&self, id: &DeploymentId) -> Result<Vec<HistoryRecord>, StoreError>;
}

/// The whole state store: what the handlers are given. Implemented by every type that
/// implements its parts.
pub trait DeploymentStore:
    ApplicationStore + GroupStore + ConfigStore + DeploymentRecords + DeploymentIndex + HistoryStore
{
}

impl<T> DeploymentStore for T where
    T: ApplicationStore
        + GroupStore
        + ConfigStore
        + DeploymentRecords
        + DeploymentIndex
        + HistoryStore
        + ?Sized
{
}
