//! `bake`: the start of a bake. The workflow then waits on this task for `bakeSeconds`; the
//! timeout is the normal end of the bake, and a stop or an alarm fails the task at once through
//! the registered token.

use crate::error::HandlerError;
use crate::handler::Handler;
use crate::support::deployments::{load, move_to};
use crate::support::waits::register_wait;
use async_trait::async_trait;
use gradual_core::history::{HistoryEntry, HistoryRecord};
use gradual_core::ports::{Clock, DeploymentSignals, DeploymentStore};
use gradual_core::{DeploymentId, DeploymentStatus};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BakeInput {
    pub deployment_id: DeploymentId,
    pub step: usize,
    pub percent: u8,
    pub bake_seconds: u64,
    pub task_token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BakeOutput {
    pub status: DeploymentStatus,
}

pub struct Bake {
    pub store: Arc<dyn DeploymentStore>,
    pub signals: Arc<dyn DeploymentSignals>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl Handler for Bake {
    type Input = BakeInput;
    type Output = BakeOutput;

    async fn handle(&self, input: BakeInput) -> Result<BakeOutput, HandlerError> {
        let deployment = load(self.store.as_ref(), &input.deployment_id).await?;
        register_wait(self.signals.as_ref(), &deployment.id, &input.task_token).await?;
        let deployment = match deployment.status {
            DeploymentStatus::InProgress => {
                move_to(
                    self.store.as_ref(),
                    self.clock.as_ref(),
                    &deployment,
                    DeploymentStatus::Baking,
                    None,
                )
                .await?
            }
            _ => deployment,
        };
        let record = HistoryRecord {
            key: format!("bake:{}", input.step),
            at: self.clock.now(),
            entry: HistoryEntry::Bake {
                step: input.step,
                percent: input.percent,
                bake_seconds: input.bake_seconds,
            },
        };
        self.store.record_history(&deployment.id, &record).await?;
        tracing::info!(
            step = input.step,
            percent = input.percent,
            bake_seconds = input.bake_seconds,
            "baking"
        );
        Ok(BakeOutput {
            status: deployment.status,
        })
    }
}

#[cfg(test)]
#[path = "bake_tests.rs"]
mod tests;
