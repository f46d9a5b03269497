//! Publishes a deployment's trigger messages to every topic of its group subscribed to the event.
//!
//! Triggers are best effort: a message that cannot be published (a deleted topic, a key policy,
//! SNS down beyond the SDK's retries) is logged and recorded in the history as failed, and never
//! fails the step, so that no notification can keep traffic from going home.
//!
//! Each publication is claimed in the deployment's history, under a key naming the event and the
//! trigger, before it is sent, and a key already recorded is not sent again: a replayed step, or
//! the reconciliation after a workflow that died, sends nothing twice. A message is therefore
//! published at most once; a function that dies between its claim and its publication (within
//! a few milliseconds) loses that one message, and SNS itself is not retried by the SDK for the
//! same reason (see `SnsNotifier`).

use crate::error::HandlerError;
use gradual_core::history::{HistoryEntry, HistoryRecord};
use gradual_core::ports::{clip, Clock, DeploymentStore, Notification, Notifier};
use gradual_core::trigger::{Origin, TriggerMessage};
use gradual_core::{Deployment, TriggerEvent};
use std::collections::HashSet;

pub struct TriggerPublisher<'a> {
    pub store: &'a dyn DeploymentStore,
    pub notifier: &'a dyn Notifier,
    pub clock: &'a dyn Clock,
    pub origin: &'a Origin,
}

impl TriggerPublisher<'_> {
    /// Publishes `events` in order, each to every subscribed trigger of the deployment's group.
    pub async fn publish(
        &self,
        deployment: &Deployment,
        events: &[TriggerEvent],
    ) -> Result<(), HandlerError> {
        let Some(group) = self
            .store
            .get_deployment_group(
                &deployment.application_name,
                &deployment.deployment_group_name,
            )
            .await?
        else {
            // The group was deleted under a running deployment: nobody to notify.
            return Ok(());
        };
        let already_sent: HashSet<String> = self
            .store
            .history(&deployment.id)
            .await?
            .into_iter()
            .map(|record| record.key)
            .collect();
        for &event in events {
            for trigger in group.triggers_for(event) {
                let key = format!("trigger:{event}:{}", trigger.trigger_name);
                if already_sent.contains(&key) {
                    continue;
                }
                let message =
                    TriggerMessage::new(self.origin, &trigger.trigger_name, event, deployment);
                let notification = Notification {
                    topic_arn: trigger.trigger_target_arn.clone(),
                    subject: message.subject(),
                    message: serde_json::to_string(&message)
                        .expect("a trigger message is plain data"),
                    event_name: event.as_str().to_owned(),
                };
                let trigger_name = trigger.trigger_name.clone();
                let claim = HistoryRecord {
                    key,
                    at: self.clock.now(),
                    entry: HistoryEntry::Trigger {
                        event,
                        trigger_name: trigger_name.clone(),
                    },
                };
                if !self.store.record_history(&deployment.id, &claim).await? {
                    // Claimed by an earlier run of this step.
                    continue;
                }
                if let Err(error) = self.notifier.publish(&notification).await {
                    tracing::error!(
                        deployment_id = %deployment.id,
                        %event,
                        trigger = %trigger_name,
                        %error,
                        "trigger not published; the deployment goes on"
                    );
                    let failure = HistoryRecord {
                        key: format!("trigger-failed:{event}:{trigger_name}"),
                        at: self.clock.now(),
                        entry: HistoryEntry::TriggerFailed {
                            event,
                            trigger_name,
                            reason: clip(&error.to_string(), MAX_REASON),
                        },
                    };
                    // Recording the failure is best effort too.
                    if let Err(error) = self.store.record_history(&deployment.id, &failure).await {
                        tracing::warn!(deployment_id = %deployment.id, %error, "failed trigger not recorded");
                    }
                }
            }
        }
        Ok(())
    }
}

/// The longest reason a history record keeps of a failed trigger.
const MAX_REASON: usize = 500;
