//! Stop signals on the deployment item: the token of the task the workflow waits on, and the
//! stop request. Each is written on condition that the other is absent, and a refusal returns
//! the item as it was, so whichever write comes second sees the first.

use super::deployment_item::{decode, status, STATUS};
use super::documents::Updated;
use super::expression::{present, Placeholders};
use super::failure::not_found;
use super::item::{json, optional_json, optional_text, required_json, text, Item};
use super::keys;
use super::store::DynamoDbStore;
use async_trait::async_trait;
use gradual_core::deployment::{DeploymentId, DeploymentStatus, IllegalTransition};
use gradual_core::ports::{DeploymentSignals, Entity, StopOutcome, StopRequest, StoreError};

/// The task token of the workflow's current wait (a bake or a hook).
const WAIT_TOKEN: &str = "waitToken";
/// The first stop request, as JSON.
pub(super) const STOP_REQUEST: &str = "stopRequest";

const NO_STOP_YET: &str = "attribute_not_exists(#stop)";

#[async_trait]
impl DeploymentSignals for DynamoDbStore {
    async fn register_wait(&self, id: &DeploymentId, task_token: &str) -> Result<(), StoreError> {
        let placeholders = Placeholders::new()
            .name("#wait", WAIT_TOKEN)
            .name("#stop", STOP_REQUEST)
            .value(":token", text(task_token));
        let condition = format!("{} AND {NO_STOP_YET}", present());
        let written = self
            .update_checked(
                &keys::deployment(id),
                "SET #wait = :token",
                condition,
                &placeholders,
            )
            .await?;
        match written {
            Updated::Applied(_) => Ok(()),
            Updated::Refused { found: None } => Err(not_found(Entity::Deployment, id.as_str())),
            Updated::Refused { found: Some(item) } => {
                let request: StopRequest = required_json(&item, STOP_REQUEST)?;
                Err(StoreError::StopRequested {
                    id: id.clone(),
                    message: request.message,
                })
            }
        }
    }

    /// Records `request` unless a stop is already recorded or the deployment has ended, and
    /// reads the waiting token in the same write. An ended deployment is refused even when a
    /// stop was recorded before it ended: there is nothing left to stop.
    async fn request_stop(
        &self,
        id: &DeploymentId,
        request: &StopRequest,
    ) -> Result<StopOutcome, StoreError> {
        let (not_ended, placeholders) = not_ended();
        let placeholders = placeholders
            .name("#stop", STOP_REQUEST)
            .value(":request", json(request)?);
        let condition = format!("{} AND {NO_STOP_YET} AND {not_ended}", present());
        let written = self
            .update_checked(
                &keys::deployment(id),
                "SET #stop = :request",
                condition,
                &placeholders,
            )
            .await?;
        match written {
            Updated::Applied(item) => Ok(StopOutcome {
                waiting_task_token: wait_token(&item)?,
                first_request: true,
            }),
            Updated::Refused { found: None } => Err(not_found(Entity::Deployment, id.as_str())),
            Updated::Refused { found: Some(item) } => earlier_stop(id, &item),
        }
    }

    async fn stop_request(&self, id: &DeploymentId) -> Result<Option<StopRequest>, StoreError> {
        let item = self
            .read(&keys::deployment(id))
            .await?
            .ok_or_else(|| not_found(Entity::Deployment, id.as_str()))?;
        Ok(optional_json(&item, STOP_REQUEST)?)
    }
}

/// Why a stop request was not recorded on `item`: the deployment ended (refused), or an
/// earlier request stands (not an error: the caller learns it was not the first).
fn earlier_stop(id: &DeploymentId, item: &Item) -> Result<StopOutcome, StoreError> {
    let current = decode(item)?.status;
    if current.is_terminal() {
        return Err(StoreError::IllegalTransition {
            id: id.clone(),
            source: IllegalTransition {
                from: current,
                to: DeploymentStatus::Stopped,
            },
        });
    }
    // The condition failed and the deployment is running: a stop is recorded.
    Ok(StopOutcome {
        waiting_task_token: wait_token(item)?,
        first_request: false,
    })
}

fn wait_token(item: &Item) -> Result<Option<String>, StoreError> {
    Ok(optional_text(item, WAIT_TOKEN)?.map(str::to_owned))
}

/// The condition that the deployment is in none of the terminal statuses, and its placeholders.
fn not_ended() -> (String, Placeholders) {
    let mut placeholders = Placeholders::new().name("#status", STATUS);
    let mut values = Vec::new();
    let terminal = DeploymentStatus::ALL
        .into_iter()
        .filter(|s| s.is_terminal());
    for (index, ended) in terminal.enumerate() {
        let value = format!(":ended{index}");
        placeholders = placeholders.value(&value, status(ended));
        values.push(value);
    }
    (
        format!("NOT (#status IN ({}))", values.join(", ")),
        placeholders,
    )
}
