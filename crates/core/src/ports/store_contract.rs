//! The state store's contract: what every implementation of the store ports (the deployment
//! store, stop signals and hook executions) must do, as checks run on a new, empty store. The
//! DynamoDB adapter and [`MemoryStore`](crate::ports::MemoryStore) both run every check (with
//! the `fixtures` feature).
//!
//! Each check is a public async function taking the store; [`run_all`] runs them all, each on
//! a store of its own, and [`store_contract_checks!`](crate::store_contract_checks) names them
//! all, for a test crate to make one test of each:
//!
//! ```ignore
//! macro_rules! contract_tests {
//!     ($($check:ident),* $(,)?) => {
//!         $(#[tokio::test]
//!         async fn $check() {
//!             store_contract::$check(&new_store().await).await;
//!         })*
//!     };
//! }
//! gradual_core::store_contract_checks!(contract_tests);
//! ```
//!
//! The checks that race several calls run them at once on the calling task, interleaved at
//! their awaits: a store whose calls wait on a service really has them in flight together.

use crate::config::{DeploymentConfig, TrafficRouting};
use crate::deployment::{
    Creator, Deployment, DeploymentId, DeploymentStatus, ErrorCode, ErrorInformation,
    IllegalTransition, RollbackInfo, TrafficProgress,
};
use crate::fixtures;
use crate::group::{AlarmConfiguration, AutoRollbackEvent, DeploymentGroup};
use crate::history::{HistoryEntry, HistoryRecord, LifecycleEventStatus};
use crate::lifecycle::{Hook, LifecycleEvent};
use crate::platform::ComputePlatform;
use crate::ports::{
    Creation, DeploymentSignals, DeploymentStore, Entity, HookExecution, HookExecutionStatus,
    HookExecutionStore, IdempotencyKey, StatusChange, StopOutcome, StopRequest, StoreError,
};
use crate::target::{AlbListenerTarget, Target};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use time::macros::{datetime, offset};
use time::Duration;

/// What the checks need: the whole state store, stop signals and hook executions.
pub trait ContractStore: DeploymentStore + DeploymentSignals + HookExecutionStore {}

impl<T> ContractStore for T where
    T: DeploymentStore + DeploymentSignals + HookExecutionStore + ?Sized
{
}

/// Invokes `$callback! { check, check, … }` with the name of every check of
/// [`store_contract`](crate::ports::store_contract), so that a test crate can make one test of
/// each (see the module docs).
#[macro_export]
macro_rules! store_contract_checks {
    ($callback:ident) => {
        $callback! {
            applications_and_groups_keep_their_rules,
            the_groups_using_a_config_are_found_by_its_name,
            a_group_with_an_active_deployment_cannot_be_deleted,
            custom_configs_round_trip_and_are_listed,
            a_deployment_reads_back_with_every_field,
            of_fifty_concurrent_creates_on_one_group_exactly_one_wins,
            a_request_token_returns_its_deployment_and_refuses_another_request,
            the_request_token_is_checked_before_the_slot,
            twenty_concurrent_retries_of_one_request_get_one_deployment,
            a_rollback_takes_over_the_slot_of_the_deployment_it_rolls_back,
            a_deployment_is_created_once,
            every_group_s_active_deployment_is_listed_until_it_ends,
            a_rollback_replaces_the_deployment_it_rolls_back,
            a_status_moves_only_from_the_status_the_caller_saw,
            an_illegal_transition_is_refused_before_the_deployment_is_read,
            a_terminal_status_frees_the_slot_for_the_next_deployment,
            traffic_and_rollback_links_are_recorded_on_existing_deployments,
            deployments_are_listed_newest_first_in_pages,
            a_page_holds_at_least_one_deployment_and_equal_times_go_by_id,
            history_is_written_once_per_key_and_read_oldest_first,
            a_stop_after_a_wait_gets_its_token_and_the_first_stop_stands,
            a_wait_after_a_stop_is_refused_with_its_message,
            an_ended_deployment_cannot_be_stopped,
            an_ended_deployment_keeps_its_stop_and_takes_no_other,
            a_deployment_asked_to_stop_never_succeeds,
            signals_for_a_missing_deployment_are_not_found,
            of_a_racing_wait_and_stop_the_second_always_sees_the_first,
            an_execution_is_found_by_id_and_by_event,
            an_execution_s_expiry_is_kept_to_the_second_rounded_up,
            an_event_has_one_execution_of_an_existing_deployment,
            an_execution_completes_once_and_takes_new_tokens_only_while_pending,
            an_execution_is_never_completed_as_pending,
            of_concurrent_reports_exactly_one_completes_the_execution,
        }
    };
}

/// Runs every check, each on a store of its own from `fresh`.
pub async fn run_all<F, Fut, S>(fresh: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = S>,
    S: ContractStore,
{
    macro_rules! each_on_a_fresh_store {
        ($($check:ident),* $(,)?) => {
            $($check(&fresh().await).await;)*
        };
    }
    store_contract_checks!(each_on_a_fresh_store);
}

// Applications, deployment groups and custom configs.

pub async fn applications_and_groups_keep_their_rules<S: ContractStore>(store: &S) {
    let application = fixtures::lambda_application("shop");
    store.create_application(&application).await.unwrap();
    assert_eq!(
        store.get_application("shop").await,
        Ok(Some(application.clone()))
    );
    assert_eq!(store.get_application("bakery").await, Ok(None));
    assert_eq!(
        store.create_application(&application).await,
        Err(StoreError::AlreadyExists {
            entity: Entity::Application,
            name: "shop".into()
        })
    );

    let mut live = fixtures::lambda_group("shop", "live");
    live.targets = vec![fixtures::alias_target("checkout"), alb_target()];
    live.auto_rollback_configuration.events = vec![
        AutoRollbackEvent::DeploymentFailure,
        AutoRollbackEvent::DeploymentStopOnAlarm,
    ];
    live.alarm_configuration = AlarmConfiguration {
        enabled: true,
        ignore_poll_alarm_failure: true,
        alarms: vec!["checkout-errors".into(), "checkout-latency".into()],
    };
    store.create_deployment_group(&live).await.unwrap();
    assert_eq!(
        store.get_deployment_group("shop", "live").await,
        Ok(Some(live.clone()))
    );
    assert_eq!(
        store.create_deployment_group(&live).await,
        Err(StoreError::AlreadyExists {
            entity: Entity::DeploymentGroup,
            name: "shop/live".into()
        })
    );
    let orphan = fixtures::lambda_group("bakery", "live");
    assert_eq!(
        store.create_deployment_group(&orphan).await,
        Err(StoreError::NotFound {
            entity: Entity::Application,
            name: "bakery".into()
        })
    );
    assert_eq!(store.get_deployment_group("bakery", "live").await, Ok(None));

    live.deployment_config_name = "CodeDeployDefault.LambdaAllAtOnce".into();
    store.update_deployment_group(&live).await.unwrap();
    assert_eq!(
        store.get_deployment_group("shop", "live").await,
        Ok(Some(live.clone()))
    );
    let missing = fixtures::lambda_group("shop", "canary");
    assert_eq!(
        store.update_deployment_group(&missing).await,
        Err(StoreError::NotFound {
            entity: Entity::DeploymentGroup,
            name: "shop/canary".into()
        })
    );
    assert_eq!(store.get_deployment_group("shop", "canary").await, Ok(None));

    store
        .create_deployment_group(&fixtures::lambda_group("shop", "beta"))
        .await
        .unwrap();
    assert_eq!(
        store.list_deployment_groups("shop").await,
        Ok(vec!["beta".to_owned(), "live".to_owned()])
    );
    assert_eq!(store.list_deployment_groups("bakery").await, Ok(vec![]));

    assert_eq!(
        store.delete_application("shop").await,
        Err(StoreError::InUse {
            entity: Entity::Application,
            name: "shop".into(),
            user: "deployment groups beta, live".into()
        })
    );
    assert!(store.get_application("shop").await.unwrap().is_some());

    store.delete_deployment_group("shop", "beta").await.unwrap();
    assert_eq!(
        store.delete_application("shop").await,
        Err(StoreError::InUse {
            entity: Entity::Application,
            name: "shop".into(),
            user: "deployment group live".into()
        })
    );
    store.delete_deployment_group("shop", "live").await.unwrap();
    assert_eq!(
        store.delete_deployment_group("shop", "live").await,
        Err(StoreError::NotFound {
            entity: Entity::DeploymentGroup,
            name: "shop/live".into()
        })
    );
    assert_eq!(store.list_deployment_groups("shop").await, Ok(vec![]));
    store.delete_application("shop").await.unwrap();
    assert_eq!(store.get_application("shop").await, Ok(None));
    assert_eq!(
        store.delete_application("shop").await,
        Err(StoreError::NotFound {
            entity: Entity::Application,
            name: "shop".into()
        })
    );
}

pub async fn the_groups_using_a_config_are_found_by_its_name<S: ContractStore>(store: &S) {
    store
        .create_deployment_config(&linear_config())
        .await
        .unwrap();
    let config = linear_config().name;
    assert_eq!(store.groups_using_config(&config).await, Ok(Vec::new()));
    let mut live = registered_group(store, "shop", "live").await;
    registered_group(store, "shop", "canary").await;
    live.deployment_config_name = config.clone();
    store.update_deployment_group(&live).await.unwrap();
    let mut beta = fixtures::lambda_group("bakery", "beta");
    beta.deployment_config_name = config.clone();
    store
        .create_application(&fixtures::lambda_application("bakery"))
        .await
        .unwrap();
    store.create_deployment_group(&beta).await.unwrap();

    assert_eq!(
        store.groups_using_config(&config).await,
        Ok(vec!["bakery/beta".to_owned(), "shop/live".to_owned()])
    );

    live.deployment_config_name = "CodeDeployDefault.LambdaAllAtOnce".into();
    store.update_deployment_group(&live).await.unwrap();
    store
        .delete_deployment_group("bakery", "beta")
        .await
        .unwrap();
    assert_eq!(store.groups_using_config(&config).await, Ok(Vec::new()));
}

pub async fn a_group_with_an_active_deployment_cannot_be_deleted<S: ContractStore>(store: &S) {
    let group = registered_group(store, "shop", "live").await;
    let deployment = fixtures::lambda_deployment(&group);
    store.create_deployment(&deployment, None).await.unwrap();

    assert_eq!(
        store.delete_deployment_group("shop", "live").await,
        Err(StoreError::InUse {
            entity: Entity::DeploymentGroup,
            name: "shop/live".into(),
            user: format!("active deployment {}", deployment.id)
        })
    );
    assert_eq!(
        store.get_deployment_group("shop", "live").await,
        Ok(Some(group))
    );
    // The refused deletion did not uncount the group either.
    assert!(matches!(
        store.delete_application("shop").await,
        Err(StoreError::InUse { .. })
    ));
}

pub async fn custom_configs_round_trip_and_are_listed<S: ContractStore>(store: &S) {
    let linear = linear_config();
    let canary = DeploymentConfig {
        name: "Canary5For1".into(),
        compute_platform: ComputePlatform::Ecs,
        traffic_routing: TrafficRouting::TimeBasedCanary {
            canary_percentage: 5,
            canary_interval_minutes: 1,
        },
    };
    store.create_deployment_config(&linear).await.unwrap();
    store.create_deployment_config(&canary).await.unwrap();
    assert_eq!(
        store.get_deployment_config("Linear25Every2").await,
        Ok(Some(linear.clone()))
    );
    assert_eq!(store.get_deployment_config("Nope").await, Ok(None));
    assert_eq!(
        store.create_deployment_config(&linear).await,
        Err(StoreError::AlreadyExists {
            entity: Entity::DeploymentConfig,
            name: "Linear25Every2".into()
        })
    );
    assert_eq!(
        store.list_deployment_configs().await,
        Ok(vec![canary.clone(), linear.clone()])
    );

    store.delete_deployment_config("Canary5For1").await.unwrap();
    assert_eq!(store.list_deployment_configs().await, Ok(vec![linear]));
    assert_eq!(
        store.delete_deployment_config("Canary5For1").await,
        Err(StoreError::NotFound {
            entity: Entity::DeploymentConfig,
            name: "Canary5For1".into()
        })
    );
}

// Creating deployments: one active deployment per group, request tokens, rollbacks.

pub async fn a_deployment_reads_back_with_every_field<S: ContractStore>(store: &S) {
    let group = registered_group(store, "shop", "live").await;
    let mut deployment = fixtures::lambda_deployment(&group);
    let linear =
        DeploymentConfig::predefined("CodeDeployDefault.LambdaLinear10PercentEvery1Minute")
            .unwrap();
    deployment.deployment_config_name = linear.name.clone();
    deployment.schedule = linear.schedule();
    deployment.targets.push(alb_target());
    deployment.hooks.push(Hook {
        event: LifecycleEvent::AfterAllowTraffic,
        function_name: "arn:aws:lambda:us-east-1:123456789012:function:checkout-verify".into(),
    });
    deployment.status = DeploymentStatus::Queued;
    deployment.error_information = Some(ErrorInformation::new(
        ErrorCode::AlarmActive,
        "alarm checkout-errors was in ALARM",
    ));
    deployment.creator = Creator::Autorollback;
    deployment.ignored_alarms = vec!["checkout-latency".into()];
    deployment.rollback_info = RollbackInfo {
        rollback_deployment_id: Some(DeploymentId::generate()),
        rollback_triggering_deployment_id: Some(DeploymentId::generate()),
        rollback_message: Some("rolls back a failed release".into()),
    };
    deployment.traffic = TrafficProgress {
        percent: 30,
        step: Some(2),
    };
    deployment.start_time = Some(datetime!(2026-11-23 10:16:00.123456789 UTC));
    deployment.complete_time = Some(datetime!(2026-11-23 11:16:00 +01:00));

    let creation = store.create_deployment(&deployment, None).await;
    assert_eq!(creation, Ok(Creation::Created(deployment.id.clone())));
    assert_eq!(
        store.get_deployment(&deployment.id).await,
        Ok(Some(deployment.clone()))
    );
    assert_eq!(
        store.active_deployment("shop", "live").await,
        Ok(Some(deployment.id.clone()))
    );
    assert_eq!(
        store.get_deployment(&DeploymentId::generate()).await,
        Ok(None)
    );
    assert_eq!(store.active_deployment("shop", "beta").await, Ok(None));
}

pub async fn of_fifty_concurrent_creates_on_one_group_exactly_one_wins<S: ContractStore>(
    store: &S,
) {
    let group = registered_group(store, "shop", "live").await;
    let deployments: Vec<Deployment> = (0..50)
        .map(|_| fixtures::lambda_deployment(&group))
        .collect();
    let results = all_at_once(
        deployments
            .iter()
            .map(|deployment| store.create_deployment(deployment, None))
            .collect(),
    )
    .await;
    let mut winners = Vec::new();
    let mut refusals = Vec::new();
    for (deployment, result) in deployments.iter().zip(results) {
        let id = &deployment.id;
        match result {
            Ok(Creation::Created(created)) => {
                assert_eq!(&created, id);
                winners.push(id.clone());
            }
            Err(StoreError::ActiveDeploymentExists { group, active }) => {
                refusals.push((group, active))
            }
            other => panic!("{id}: unexpected {other:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "winners: {winners:?}");
    let winner = winners.pop().unwrap();
    assert_eq!(refusals.len(), 49);
    for (group_key, active) in refusals {
        assert_eq!(group_key, "shop/live");
        assert_eq!(active.as_ref(), Some(&winner));
    }
    assert_eq!(deployments_of(store, &group).await, vec![winner.clone()]);
    assert_eq!(
        store.active_deployment("shop", "live").await,
        Ok(Some(winner))
    );
}

pub async fn a_request_token_returns_its_deployment_and_refuses_another_request<
    S: ContractStore,
>(
    store: &S,
) {
    let group = registered_group(store, "shop", "live").await;
    let key = IdempotencyKey {
        token: "release-2".into(),
        fingerprint: "sha256:aaaa".into(),
    };
    let first = fixtures::lambda_deployment(&group);
    assert_eq!(
        store.create_deployment(&first, Some(&key)).await,
        Ok(Creation::Created(first.id.clone()))
    );

    // A retry builds a new deployment (new id) for the same request.
    let retry = fixtures::lambda_deployment(&group);
    assert_eq!(
        store.create_deployment(&retry, Some(&key)).await,
        Ok(Creation::AlreadyCreated(first.id.clone()))
    );
    assert_eq!(store.get_deployment(&retry.id).await, Ok(None));
    assert_eq!(deployments_of(store, &group).await, vec![first.id.clone()]);

    // The token stays taken after its deployment ended and freed the slot.
    end(store, &first.id).await;
    let other_request = IdempotencyKey {
        fingerprint: "sha256:bbbb".into(),
        ..key.clone()
    };
    let other = fixtures::lambda_deployment(&group);
    assert_eq!(
        store.create_deployment(&other, Some(&other_request)).await,
        Err(StoreError::TokenReused {
            token: "release-2".into(),
            deployment_id: first.id.clone()
        })
    );
    // The refused create wrote nothing.
    assert_eq!(store.get_deployment(&other.id).await, Ok(None));
    assert_eq!(deployments_of(store, &group).await, vec![first.id.clone()]);
    assert_eq!(store.active_deployment("shop", "live").await, Ok(None));
}

pub async fn the_request_token_is_checked_before_the_slot<S: ContractStore>(store: &S) {
    let group = registered_group(store, "shop", "live").await;
    let key = IdempotencyKey {
        token: "release-3".into(),
        fingerprint: "sha256:aaaa".into(),
    };
    let first = fixtures::lambda_deployment(&group);
    store.create_deployment(&first, Some(&key)).await.unwrap();

    // While the first deployment holds the slot, its token still says which request it was.
    let reused = IdempotencyKey {
        fingerprint: "sha256:bbbb".into(),
        ..key.clone()
    };
    assert_eq!(
        store
            .create_deployment(&fixtures::lambda_deployment(&group), Some(&reused))
            .await,
        Err(StoreError::TokenReused {
            token: "release-3".into(),
            deployment_id: first.id.clone()
        })
    );
    let new_token = IdempotencyKey {
        token: "release-4".into(),
        fingerprint: "sha256:cccc".into(),
    };
    let second = fixtures::lambda_deployment(&group);
    assert_eq!(
        store.create_deployment(&second, Some(&new_token)).await,
        Err(StoreError::ActiveDeploymentExists {
            group: "shop/live".into(),
            active: Some(first.id.clone())
        })
    );

    // A create refused for the slot did not take its token.
    end(store, &first.id).await;
    assert_eq!(
        store.create_deployment(&second, Some(&new_token)).await,
        Ok(Creation::Created(second.id.clone()))
    );
}

pub async fn twenty_concurrent_retries_of_one_request_get_one_deployment<S: ContractStore>(
    store: &S,
) {
    let group = registered_group(store, "shop", "live").await;
    let key = IdempotencyKey {
        token: "pipeline-run-7".into(),
        fingerprint: "sha256:cccc".into(),
    };
    let deployments: Vec<Deployment> = (0..20)
        .map(|_| fixtures::lambda_deployment(&group))
        .collect();
    let results = all_at_once(
        deployments
            .iter()
            .map(|deployment| store.create_deployment(deployment, Some(&key)))
            .collect(),
    )
    .await;
    let outcomes: Vec<Creation> = results
        .into_iter()
        .map(|result| result.expect("a repeat is not an error"))
        .collect();
    let created: Vec<_> = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Creation::Created(_)))
        .collect();
    assert_eq!(created.len(), 1, "{outcomes:?}");
    let id = created[0].id().clone();
    assert!(
        outcomes.iter().all(|outcome| outcome.id() == &id),
        "{outcomes:?}"
    );
    assert_eq!(deployments_of(store, &group).await, vec![id]);
}

pub async fn a_rollback_takes_over_the_slot_of_the_deployment_it_rolls_back<S: ContractStore>(
    store: &S,
) {
    let group = registered_group(store, "shop", "live").await;
    let failing = fixtures::lambda_deployment(&group);
    store.create_deployment(&failing, None).await.unwrap();

    let mut unrelated = fixtures::lambda_deployment(&group);
    unrelated.rollback_info.rollback_triggering_deployment_id = Some(DeploymentId::generate());
    assert_eq!(
        store.create_deployment(&unrelated, None).await,
        Err(StoreError::ActiveDeploymentExists {
            group: "shop/live".into(),
            active: Some(failing.id.clone())
        })
    );

    let mut rollback = fixtures::lambda_deployment(&group);
    rollback.creator = Creator::Autorollback;
    rollback.rollback_info.rollback_triggering_deployment_id = Some(failing.id.clone());
    assert_eq!(
        store.create_deployment(&rollback, None).await,
        Ok(Creation::Created(rollback.id.clone()))
    );
    assert_eq!(
        store.active_deployment("shop", "live").await,
        Ok(Some(rollback.id.clone()))
    );

    // The rolled-back deployment still ends, and leaves the rollback's slot alone.
    end(store, &failing.id).await;
    assert_eq!(
        store.active_deployment("shop", "live").await,
        Ok(Some(rollback.id.clone()))
    );
    store
        .link_rollback(&failing.id, &rollback.id, "alarm checkout-errors")
        .await
        .unwrap();
    let failed = store.get_deployment(&failing.id).await.unwrap().unwrap();
    assert_eq!(failed.status, DeploymentStatus::Stopped);
    assert_eq!(
        failed.rollback_info,
        RollbackInfo {
            rollback_deployment_id: Some(rollback.id.clone()),
            rollback_triggering_deployment_id: None,
            rollback_message: Some("alarm checkout-errors".into()),
        }
    );
    // A second rollback of the same deployment cannot displace the first.
    let mut again = fixtures::lambda_deployment(&group);
    again.rollback_info.rollback_triggering_deployment_id = Some(failing.id.clone());
    assert_eq!(
        store.create_deployment(&again, None).await,
        Err(StoreError::ActiveDeploymentExists {
            group: "shop/live".into(),
            active: Some(rollback.id)
        })
    );
}

pub async fn a_deployment_is_created_once<S: ContractStore>(store: &S) {
    let group = registered_group(store, "shop", "live").await;
    let deployment = fixtures::lambda_deployment(&group);
    store.create_deployment(&deployment, None).await.unwrap();

    // The slot is checked before the id: the deployment holds it.
    assert_eq!(
        store.create_deployment(&deployment, None).await,
        Err(StoreError::ActiveDeploymentExists {
            group: "shop/live".into(),
            active: Some(deployment.id.clone())
        })
    );
    end(store, &deployment.id).await;
    assert_eq!(
        store.create_deployment(&deployment, None).await,
        Err(StoreError::AlreadyExists {
            entity: Entity::Deployment,
            name: deployment.id.to_string()
        })
    );
    // Refused, it neither took the slot nor overwrote the stored deployment.
    assert_eq!(store.active_deployment("shop", "live").await, Ok(None));
    let stored = store.get_deployment(&deployment.id).await.unwrap().unwrap();
    assert_eq!(stored.status, DeploymentStatus::Stopped);
}

// The running deployments of every group, as an alarm state change looks for them.

pub async fn every_group_s_active_deployment_is_listed_until_it_ends<S: ContractStore>(store: &S) {
    assert_eq!(active_sorted(store).await, vec![]);

    let live = created_deployment(store, "live").await;
    let beta = created_deployment(store, "beta").await;
    let other_application = {
        let group = registered_group(store, "billing", "live").await;
        let deployment = fixtures::lambda_deployment(&group);
        store.create_deployment(&deployment, None).await.unwrap();
        deployment.id
    };
    assert_eq!(
        active_sorted(store).await,
        sorted(vec![live.clone(), beta.clone(), other_application.clone()])
    );

    end(store, &beta).await;
    assert_eq!(
        active_sorted(store).await,
        sorted(vec![live, other_application])
    );
}

pub async fn a_rollback_replaces_the_deployment_it_rolls_back<S: ContractStore>(store: &S) {
    let group = registered_group(store, "shop", "live").await;
    let failing = fixtures::lambda_deployment(&group);
    store.create_deployment(&failing, None).await.unwrap();
    let mut rollback = fixtures::lambda_deployment(&group);
    rollback.creator = Creator::Autorollback;
    rollback.rollback_info.rollback_triggering_deployment_id = Some(failing.id.clone());
    store.create_deployment(&rollback, None).await.unwrap();

    assert_eq!(active_sorted(store).await, vec![rollback.id.clone()]);
    end(store, &failing.id).await;
    assert_eq!(active_sorted(store).await, vec![rollback.id.clone()]);
    end(store, &rollback.id).await;
    assert_eq!(active_sorted(store).await, vec![]);
}

// Conditional status changes, the slot a terminal status frees, and the other updates.

pub async fn a_status_moves_only_from_the_status_the_caller_saw<S: ContractStore>(store: &S) {
    use DeploymentStatus::*;
    let group = registered_group(store, "shop", "live").await;
    let deployment = fixtures::lambda_deployment(&group);
    let id = &deployment.id;
    store.create_deployment(&deployment, None).await.unwrap();

    let started = store
        .change_status(id, &change(Created, InProgress, 1))
        .await
        .unwrap();
    assert!(started.changed);
    assert_eq!(started.deployment.status, InProgress);
    let start_time = Some(fixtures::created_at() + Duration::minutes(1));
    assert_eq!(started.deployment.start_time, start_time);
    assert_eq!(
        store.get_deployment(id).await,
        Ok(Some(started.deployment.clone()))
    );

    // Replayed: already there, nothing to do.
    let replayed = store
        .change_status(id, &change(Created, InProgress, 2))
        .await
        .unwrap();
    assert!(!replayed.changed);
    assert_eq!(replayed.deployment, started.deployment);

    assert_eq!(
        store.change_status(id, &change(Created, Stopped, 3)).await,
        Err(StoreError::StaleStatus {
            id: id.clone(),
            expected: Created,
            actual: InProgress
        })
    );
    assert_eq!(
        store.change_status(id, &change(Created, Queued, 3)).await,
        Err(StoreError::StaleStatus {
            id: id.clone(),
            expected: Created,
            actual: InProgress
        })
    );
    assert_eq!(
        store
            .change_status(id, &change(Succeeded, InProgress, 3))
            .await,
        Err(StoreError::IllegalTransition {
            id: id.clone(),
            source: IllegalTransition {
                from: Succeeded,
                to: InProgress
            }
        })
    );
    assert_eq!(store.get_deployment(id).await, Ok(Some(started.deployment)));

    // Back from baking, the first start time stays.
    store
        .change_status(id, &change(InProgress, Baking, 4))
        .await
        .unwrap();
    let resumed = store
        .change_status(id, &change(Baking, InProgress, 5))
        .await
        .unwrap();
    assert_eq!(resumed.deployment.start_time, start_time);
    assert_eq!(resumed.deployment.complete_time, None);

    let missing = DeploymentId::generate();
    assert_eq!(
        store
            .change_status(&missing, &change(Created, InProgress, 6))
            .await,
        Err(StoreError::NotFound {
            entity: Entity::Deployment,
            name: missing.to_string()
        })
    );
}

pub async fn an_illegal_transition_is_refused_before_the_deployment_is_read<S: ContractStore>(
    store: &S,
) {
    use DeploymentStatus::*;
    let missing = DeploymentId::generate();
    assert_eq!(
        store
            .change_status(&missing, &change(Failed, Stopped, 1))
            .await,
        Err(StoreError::IllegalTransition {
            id: missing.clone(),
            source: IllegalTransition {
                from: Failed,
                to: Stopped
            }
        })
    );
    // A replay of a terminal status is no transition at all: refused even when it holds.
    let id = created_deployment(store, "live").await;
    end(store, &id).await;
    assert_eq!(
        store.change_status(&id, &change(Stopped, Stopped, 2)).await,
        Err(StoreError::IllegalTransition {
            id: id.clone(),
            source: IllegalTransition {
                from: Stopped,
                to: Stopped
            }
        })
    );
}

pub async fn a_terminal_status_frees_the_slot_for_the_next_deployment<S: ContractStore>(store: &S) {
    use DeploymentStatus::*;
    let group = registered_group(store, "shop", "live").await;
    let first = fixtures::lambda_deployment(&group);
    store.create_deployment(&first, None).await.unwrap();
    store
        .change_status(&first.id, &change(Created, InProgress, 1))
        .await
        .unwrap();

    let second = fixtures::lambda_deployment(&group);
    assert!(matches!(
        store.create_deployment(&second, None).await,
        Err(StoreError::ActiveDeploymentExists { .. })
    ));

    let failure = ErrorInformation::new(ErrorCode::HookExecutionFailure, "hook smoke-test failed");
    let failing = StatusChange {
        error_information: Some(failure.clone()),
        ..change(InProgress, Failed, 9)
    };
    let failed = store.change_status(&first.id, &failing).await.unwrap();
    assert!(failed.changed);
    assert_eq!(failed.deployment.status, Failed);
    assert_eq!(failed.deployment.error_information, Some(failure));
    assert_eq!(
        failed.deployment.complete_time,
        Some(fixtures::created_at() + Duration::minutes(9))
    );
    assert_eq!(store.active_deployment("shop", "live").await, Ok(None));

    let replayed = store.change_status(&first.id, &failing).await.unwrap();
    assert!(!replayed.changed);
    assert_eq!(replayed.deployment, failed.deployment);

    assert_eq!(
        store.create_deployment(&second, None).await,
        Ok(Creation::Created(second.id.clone()))
    );
    // Ending the first again (a replay with a stale view) leaves the new holder alone.
    assert!(matches!(
        store
            .change_status(&first.id, &change(InProgress, Stopped, 10))
            .await,
        Err(StoreError::StaleStatus { actual: Failed, .. })
    ));
    assert_eq!(
        store.active_deployment("shop", "live").await,
        Ok(Some(second.id.clone()))
    );
    store
        .delete_deployment_group("shop", "live")
        .await
        .unwrap_err();
    store
        .change_status(&second.id, &change(Created, Stopped, 11))
        .await
        .unwrap();
    store.delete_deployment_group("shop", "live").await.unwrap();
}

pub async fn traffic_and_rollback_links_are_recorded_on_existing_deployments<S: ContractStore>(
    store: &S,
) {
    let group = registered_group(store, "shop", "live").await;
    let deployment = fixtures::lambda_deployment(&group);
    store.create_deployment(&deployment, None).await.unwrap();

    let traffic = TrafficProgress {
        percent: 10,
        step: Some(0),
    };
    store.set_traffic(&deployment.id, &traffic).await.unwrap();
    let rollback = DeploymentId::generate();
    store
        .link_rollback(&deployment.id, &rollback, "rolled back on alarm")
        .await
        .unwrap();
    let stored = store.get_deployment(&deployment.id).await.unwrap().unwrap();
    assert_eq!(stored.traffic, traffic);
    assert_eq!(
        stored.rollback_info.rollback_deployment_id,
        Some(rollback.clone())
    );
    assert_eq!(
        stored.rollback_info.rollback_message.as_deref(),
        Some("rolled back on alarm")
    );
    assert_eq!(stored.status, DeploymentStatus::Created);

    let missing = DeploymentId::generate();
    let not_found = Err(StoreError::NotFound {
        entity: Entity::Deployment,
        name: missing.to_string(),
    });
    assert_eq!(store.set_traffic(&missing, &traffic).await, not_found);
    assert_eq!(
        store.link_rollback(&missing, &rollback, "x").await,
        not_found
    );
    assert_eq!(store.get_deployment(&missing).await, Ok(None));
}

// Listing a group's deployments, newest first, a page at a time.

pub async fn deployments_are_listed_newest_first_in_pages<S: ContractStore>(store: &S) {
    let group = registered_group(store, "shop", "live").await;
    let mut created = Vec::new();
    for minute in 0..7 {
        let mut deployment = fixtures::lambda_deployment(&group);
        deployment.create_time = fixtures::created_at() + Duration::minutes(minute);
        store.create_deployment(&deployment, None).await.unwrap();
        end(store, &deployment.id).await;
        created.push(deployment.id);
    }
    // Another group's deployment is not listed.
    let other = registered_group(store, "shop", "beta").await;
    store
        .create_deployment(&fixtures::lambda_deployment(&other), None)
        .await
        .unwrap();

    let mut pages = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = store
            .list_deployments("shop", "live", 3, token.as_deref())
            .await
            .unwrap();
        pages.push(page.items);
        match page.next_token {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![3, 3, 1]
    );
    let listed: Vec<_> = pages.concat();
    let newest_first: Vec<_> = created.iter().rev().cloned().collect();
    assert_eq!(listed, newest_first);

    // A token can be used again, and gives the same page.
    let first = store
        .list_deployments("shop", "live", 3, None)
        .await
        .unwrap();
    let token = first.next_token.unwrap();
    let again = store
        .list_deployments("shop", "live", 3, Some(&token))
        .await
        .unwrap();
    assert_eq!(again.items, newest_first[3..6]);
    let all = store
        .list_deployments("shop", "live", 7, None)
        .await
        .unwrap();
    assert_eq!((all.items, all.next_token), (newest_first, None));
    let empty = store
        .list_deployments("shop", "gamma", 3, None)
        .await
        .unwrap();
    assert_eq!((empty.items, empty.next_token), (vec![], None));

    for bad in ["not-a-token", "", token.as_str()] {
        let group = if bad == token { "beta" } else { "live" };
        assert_eq!(
            store.list_deployments("shop", group, 3, Some(bad)).await,
            Err(StoreError::InvalidNextToken {
                token: bad.to_owned()
            }),
            "token {bad:?} for group {group}"
        );
    }
}

pub async fn a_page_holds_at_least_one_deployment_and_equal_times_go_by_id<S: ContractStore>(
    store: &S,
) {
    let group = registered_group(store, "shop", "live").await;
    let mut created = Vec::new();
    for offset in [offset!(UTC), offset!(-05:00), offset!(+01:00)] {
        // Created at the same instant, written with different offsets.
        let mut deployment = fixtures::lambda_deployment(&group);
        deployment.create_time = fixtures::created_at().to_offset(offset);
        store.create_deployment(&deployment, None).await.unwrap();
        end(store, &deployment.id).await;
        created.push(deployment.id);
    }
    let mut by_id_descending = created.clone();
    by_id_descending.sort_by(|a, b| b.as_str().cmp(a.as_str()));
    assert_eq!(deployments_of(store, &group).await, by_id_descending);

    let page = store
        .list_deployments("shop", "live", 0, None)
        .await
        .unwrap();
    assert_eq!(page.items, by_id_descending[..1]);
    let next = page.next_token.expect("more deployments follow");
    let page = store
        .list_deployments("shop", "live", 0, Some(&next))
        .await
        .unwrap();
    assert_eq!(page.items, by_id_descending[1..2]);
    assert!(page.next_token.is_some());
}

// A deployment's history: written once per key, read oldest first.

pub async fn history_is_written_once_per_key_and_read_oldest_first<S: ContractStore>(store: &S) {
    let group = registered_group(store, "shop", "live").await;
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

// Stop signals: a registered wait and a stop request meet, whichever comes first.

pub async fn a_stop_after_a_wait_gets_its_token_and_the_first_stop_stands<S: ContractStore>(
    store: &S,
) {
    let id = created_deployment(store, "live").await;
    assert_eq!(store.stop_request(&id).await, Ok(None));

    store.register_wait(&id, "bake-token-1").await.unwrap();
    // The workflow retried the task: registering again is fine, the latest token counts.
    store.register_wait(&id, "bake-token-2").await.unwrap();
    store.register_wait(&id, "bake-token-2").await.unwrap();

    let first = stop(ErrorCode::ManualStop, "stopped by alice");
    assert_eq!(
        store.request_stop(&id, &first).await,
        Ok(StopOutcome {
            waiting_task_token: Some("bake-token-2".into()),
            first_request: true
        })
    );
    assert_eq!(store.stop_request(&id).await, Ok(Some(first.clone())));

    let second = StopRequest {
        roll_back: false,
        ..stop(ErrorCode::AlarmActive, "alarm checkout-errors is in ALARM")
    };
    assert_eq!(
        store.request_stop(&id, &second).await,
        Ok(StopOutcome {
            waiting_task_token: Some("bake-token-2".into()),
            first_request: false
        })
    );
    assert_eq!(store.stop_request(&id).await, Ok(Some(first)));
    // Recording the stop left the deployment itself alone.
    let deployment = store.get_deployment(&id).await.unwrap().unwrap();
    assert_eq!(deployment.status, DeploymentStatus::Created);
}

pub async fn a_wait_after_a_stop_is_refused_with_its_message<S: ContractStore>(store: &S) {
    let id = created_deployment(store, "live").await;
    let request = stop(ErrorCode::ManualStop, "stopped by alice");
    assert_eq!(
        store.request_stop(&id, &request).await,
        Ok(StopOutcome {
            waiting_task_token: None,
            first_request: true
        })
    );

    let refused = store.register_wait(&id, "hook-token").await;
    assert_eq!(
        refused,
        Err(StoreError::StopRequested {
            id: id.clone(),
            message: "stopped by alice".into()
        })
    );
    assert_eq!(
        refused.unwrap_err().to_string(),
        format!("deployment {id} was asked to stop: stopped by alice")
    );
    // The refused wait left no token behind, and the stop stands.
    assert_eq!(
        store
            .request_stop(&id, &stop(ErrorCode::AlarmActive, "later"))
            .await,
        Ok(StopOutcome {
            waiting_task_token: None,
            first_request: false
        })
    );
    assert_eq!(store.stop_request(&id).await, Ok(Some(request)));
}

pub async fn an_ended_deployment_cannot_be_stopped<S: ContractStore>(store: &S) {
    use DeploymentStatus::*;
    let succeeded = created_deployment(store, "live").await;
    succeed(store, &succeeded).await;
    store.register_wait(&succeeded, "bake-token").await.unwrap();
    let stopped = created_deployment(store, "beta").await;
    end(store, &stopped).await;

    for (id, status) in [(&succeeded, Succeeded), (&stopped, Stopped)] {
        let before = store.get_deployment(id).await.unwrap();
        let refused = store
            .request_stop(id, &stop(ErrorCode::ManualStop, "too late"))
            .await;
        assert_eq!(
            refused,
            Err(StoreError::IllegalTransition {
                id: id.clone(),
                source: IllegalTransition {
                    from: status,
                    to: Stopped
                }
            })
        );
        assert_eq!(
            refused.unwrap_err().to_string(),
            format!("deployment {id}: a deployment cannot go from {status} to Stopped")
        );
        assert_eq!(store.get_deployment(id).await.unwrap(), before);
        assert_eq!(store.stop_request(id).await, Ok(None));
    }
}

pub async fn a_deployment_asked_to_stop_never_succeeds<S: ContractStore>(store: &S) {
    use DeploymentStatus::*;
    let id = created_deployment(store, "live").await;
    store
        .change_status(&id, &change(Created, InProgress, 0))
        .await
        .expect("start the deployment");
    let request = stop(ErrorCode::ManualStop, "stopped on request, rolling back");
    store.request_stop(&id, &request).await.unwrap();
    let before = store.get_deployment(&id).await.unwrap();

    let refused = store
        .change_status(&id, &change(InProgress, Succeeded, 9))
        .await;

    assert_eq!(
        refused,
        Err(StoreError::StopRequested {
            id: id.clone(),
            message: "stopped on request, rolling back".to_owned(),
        })
    );
    assert_eq!(store.get_deployment(&id).await.unwrap(), before);
    assert_eq!(
        store.active_deployment("shop", "live").await,
        Ok(Some(id.clone())),
        "the group is still the deployment's"
    );
    // What the stop asks for is still possible.
    let stopped = store
        .change_status(&id, &change(InProgress, Stopped, 9))
        .await
        .expect("the deployment can end as stopped");
    assert_eq!(stopped.deployment.status, Stopped);
    assert_eq!(store.active_deployment("shop", "live").await, Ok(None));
}

pub async fn an_ended_deployment_keeps_its_stop_and_takes_no_other<S: ContractStore>(store: &S) {
    use DeploymentStatus::*;
    let id = created_deployment(store, "live").await;
    let request = stop(ErrorCode::ManualStop, "stopped by alice");
    store.register_wait(&id, "bake-token").await.unwrap();
    store.request_stop(&id, &request).await.unwrap();
    end(store, &id).await;

    assert_eq!(
        store
            .request_stop(&id, &stop(ErrorCode::ManualStop, "again"))
            .await,
        Err(StoreError::IllegalTransition {
            id: id.clone(),
            source: IllegalTransition {
                from: Stopped,
                to: Stopped
            }
        })
    );
    assert_eq!(store.stop_request(&id).await, Ok(Some(request.clone())));
    assert_eq!(
        store.register_wait(&id, "late-token").await,
        Err(StoreError::StopRequested {
            id: id.clone(),
            message: request.message
        })
    );
}

pub async fn signals_for_a_missing_deployment_are_not_found<S: ContractStore>(store: &S) {
    created_deployment(store, "live").await;
    let missing = DeploymentId::generate();
    let not_found = StoreError::NotFound {
        entity: Entity::Deployment,
        name: missing.to_string(),
    };
    assert_eq!(
        store.register_wait(&missing, "token").await,
        Err(not_found.clone())
    );
    assert_eq!(
        store
            .request_stop(&missing, &stop(ErrorCode::ManualStop, "stop"))
            .await,
        Err(not_found.clone())
    );
    assert_eq!(store.stop_request(&missing).await, Err(not_found));
    assert_eq!(store.get_deployment(&missing).await, Ok(None));
}

pub async fn of_a_racing_wait_and_stop_the_second_always_sees_the_first<S: ContractStore>(
    store: &S,
) {
    const PAIRS: usize = 20;
    let mut ids = Vec::new();
    for pair in 0..PAIRS {
        ids.push(created_deployment(store, &format!("group-{pair}")).await);
    }
    let calls = ids
        .iter()
        .enumerate()
        .flat_map(|(pair, id)| [Signal::Wait(pair, id), Signal::Stop(id)])
        .map(|signal| signal.send(store))
        .collect();
    let mut answers = all_at_once(calls).await.into_iter();

    let (mut waits_first, mut stops_first) = (0, 0);
    for (pair, id) in ids.iter().enumerate() {
        let token = format!("token-{pair}");
        let (Some(Answer::Wait(registered)), Some(Answer::Stop(outcome))) =
            (answers.next(), answers.next())
        else {
            panic!("deployment {id}: the answers are out of order");
        };
        let outcome = outcome.unwrap();
        assert!(outcome.first_request, "{id}");
        match (registered, outcome.waiting_task_token) {
            (Ok(()), Some(seen)) if seen == token => waits_first += 1,
            (Err(StoreError::StopRequested { id: refused, .. }), None) if &refused == id => {
                stops_first += 1
            }
            (registered, seen) => {
                panic!("deployment {id}: the wait gave {registered:?}, the stop saw {seen:?}")
            }
        }
    }
    assert_eq!(waits_first + stops_first, PAIRS);
}

// Lifecycle event hook executions: one per deployment and event, completed once.

pub async fn an_execution_is_found_by_id_and_by_event<S: ContractStore>(store: &S) {
    use LifecycleEvent::*;
    let deployment = created_deployment(store, "live").await;
    let before = execution("hook-1", &deployment, BeforeAllowTraffic);
    store.create_hook_execution(&before).await.unwrap();

    assert_eq!(
        store.get_hook_execution("hook-1").await,
        Ok(Some(before.clone()))
    );
    assert_eq!(
        store
            .hook_execution_for(&deployment, BeforeAllowTraffic)
            .await,
        Ok(Some(before.clone()))
    );
    assert_eq!(
        store
            .hook_execution_for(&deployment, AfterAllowTraffic)
            .await,
        Ok(None)
    );
    assert_eq!(store.get_hook_execution("hook-2").await, Ok(None));

    let after = execution("hook-2", &deployment, AfterAllowTraffic);
    store.create_hook_execution(&after).await.unwrap();
    assert_eq!(
        store
            .hook_execution_for(&deployment, AfterAllowTraffic)
            .await,
        Ok(Some(after))
    );
    assert_eq!(
        store
            .hook_execution_for(&deployment, BeforeAllowTraffic)
            .await,
        Ok(Some(before))
    );
}

pub async fn an_execution_s_expiry_is_kept_to_the_second_rounded_up<S: ContractStore>(store: &S) {
    let deployment = created_deployment(store, "live").await;
    let mut created = execution("hook-1", &deployment, LifecycleEvent::BeforeAllowTraffic);
    let whole = fixtures::created_at() + Duration::days(30);
    created.expires_at = whole + Duration::milliseconds(1);
    store.create_hook_execution(&created).await.unwrap();

    let kept = HookExecution {
        expires_at: whole + Duration::seconds(1),
        ..created
    };
    assert_eq!(
        store.get_hook_execution("hook-1").await,
        Ok(Some(kept.clone()))
    );
    assert_eq!(
        store
            .hook_execution_for(&deployment, LifecycleEvent::BeforeAllowTraffic)
            .await,
        Ok(Some(kept))
    );
}

pub async fn an_event_has_one_execution_of_an_existing_deployment<S: ContractStore>(store: &S) {
    use LifecycleEvent::*;
    let deployment = created_deployment(store, "live").await;
    let first = execution("hook-1", &deployment, BeforeAllowTraffic);
    store.create_hook_execution(&first).await.unwrap();

    let second = execution("hook-2", &deployment, BeforeAllowTraffic);
    let refused = store.create_hook_execution(&second).await;
    assert_eq!(
        refused,
        Err(StoreError::AlreadyExists {
            entity: Entity::HookExecution,
            name: format!("BeforeAllowTraffic of deployment {deployment}")
        })
    );
    let same_id = execution("hook-1", &deployment, AfterAllowTraffic);
    assert_eq!(
        store.create_hook_execution(&same_id).await,
        Err(StoreError::AlreadyExists {
            entity: Entity::HookExecution,
            name: "hook-1".into()
        })
    );
    let missing = DeploymentId::generate();
    assert_eq!(
        store
            .create_hook_execution(&execution("hook-3", &missing, BeforeAllowTraffic))
            .await,
        Err(StoreError::NotFound {
            entity: Entity::Deployment,
            name: missing.to_string()
        })
    );
    // The refused creates wrote nothing.
    assert_eq!(store.get_hook_execution("hook-2").await, Ok(None));
    assert_eq!(store.get_hook_execution("hook-3").await, Ok(None));
    assert_eq!(
        store
            .hook_execution_for(&deployment, AfterAllowTraffic)
            .await,
        Ok(None)
    );
    assert_eq!(
        store.hook_execution_for(&missing, BeforeAllowTraffic).await,
        Ok(None)
    );
    assert_eq!(
        store
            .hook_execution_for(&deployment, BeforeAllowTraffic)
            .await,
        Ok(Some(first))
    );
}

pub async fn an_execution_completes_once_and_takes_new_tokens_only_while_pending<
    S: ContractStore,
>(
    store: &S,
) {
    let deployment = created_deployment(store, "live").await;
    let created = execution("hook-1", &deployment, LifecycleEvent::BeforeAllowTraffic);
    store.create_hook_execution(&created).await.unwrap();

    store
        .replace_hook_task_token("hook-1", "retried-token")
        .await
        .unwrap();
    let retried = HookExecution {
        task_token: "retried-token".into(),
        ..created
    };
    assert_eq!(
        store.get_hook_execution("hook-1").await,
        Ok(Some(retried.clone()))
    );

    let completed = HookExecution {
        status: HookExecutionStatus::Succeeded,
        ..retried
    };
    assert_eq!(
        store
            .complete_hook_execution("hook-1", HookExecutionStatus::Succeeded)
            .await,
        Ok(completed.clone())
    );
    let already = Err(StoreError::HookAlreadyCompleted {
        id: "hook-1".into(),
        status: "Succeeded".into(),
    });
    assert_eq!(
        store
            .complete_hook_execution("hook-1", HookExecutionStatus::Failed)
            .await,
        already
    );
    assert_eq!(
        store.replace_hook_task_token("hook-1", "late-token").await,
        already.map(|_: HookExecution| ())
    );
    assert_eq!(
        store.get_hook_execution("hook-1").await,
        Ok(Some(completed))
    );

    let not_found = StoreError::NotFound {
        entity: Entity::HookExecution,
        name: "hook-9".into(),
    };
    assert_eq!(
        store
            .complete_hook_execution("hook-9", HookExecutionStatus::Succeeded)
            .await,
        Err(not_found.clone())
    );
    assert_eq!(
        store.replace_hook_task_token("hook-9", "token").await,
        Err(not_found)
    );
    assert_eq!(store.get_hook_execution("hook-9").await, Ok(None));
}

pub async fn an_execution_is_never_completed_as_pending<S: ContractStore>(store: &S) {
    let deployment = created_deployment(store, "live").await;
    let created = execution("hook-1", &deployment, LifecycleEvent::BeforeAllowTraffic);
    store.create_hook_execution(&created).await.unwrap();

    for id in ["hook-1", "hook-9"] {
        assert_eq!(
            store
                .complete_hook_execution(id, HookExecutionStatus::Pending)
                .await,
            Err(StoreError::Backend(format!(
                "hook execution {} cannot be completed as Pending: only Succeeded or Failed end it",
                crate::secret::shown(id)
            )))
        );
    }
    assert_eq!(store.get_hook_execution("hook-1").await, Ok(Some(created)));
}

pub async fn of_concurrent_reports_exactly_one_completes_the_execution<S: ContractStore>(
    store: &S,
) {
    let deployment = created_deployment(store, "live").await;
    let created = execution("hook-1", &deployment, LifecycleEvent::AfterAllowTraffic);
    store.create_hook_execution(&created).await.unwrap();
    let reports = (0..10)
        .map(|report| {
            let status = if report % 2 == 0 {
                HookExecutionStatus::Succeeded
            } else {
                HookExecutionStatus::Failed
            };
            store.complete_hook_execution("hook-1", status)
        })
        .collect();
    let mut completed = Vec::new();
    let mut refused_with = Vec::new();
    for report in all_at_once(reports).await {
        match report {
            Ok(execution) => completed.push(execution.status),
            Err(StoreError::HookAlreadyCompleted { status, .. }) => refused_with.push(status),
            Err(error) => panic!("{error}"),
        }
    }
    assert_eq!(completed.len(), 1, "{completed:?}");
    let winner = format!("{:?}", completed[0]);
    assert_eq!(refused_with, vec![winner; 9]);
    let stored = store.get_hook_execution("hook-1").await.unwrap().unwrap();
    assert_eq!(stored.status, completed[0]);
}

// What the checks share.

/// Registers the group, and its application unless it exists.
async fn registered_group<S: ContractStore>(
    store: &S,
    application: &str,
    group: &str,
) -> DeploymentGroup {
    let registered = store.get_application(application).await;
    if registered.expect("read the application").is_none() {
        store
            .create_application(&fixtures::lambda_application(application))
            .await
            .expect("create the application");
    }
    let group = fixtures::lambda_group(application, group);
    store
        .create_deployment_group(&group)
        .await
        .expect("create the group");
    group
}

/// A new deployment, created in group `group` of application `shop`.
async fn created_deployment<S: ContractStore>(store: &S, group: &str) -> DeploymentId {
    let group = registered_group(store, "shop", group).await;
    let deployment = fixtures::lambda_deployment(&group);
    store
        .create_deployment(&deployment, None)
        .await
        .expect("create the deployment");
    deployment.id
}

/// Every deployment of the group, newest first, through the listing.
async fn deployments_of<S: ContractStore>(store: &S, group: &DeploymentGroup) -> Vec<DeploymentId> {
    let mut ids = Vec::new();
    let mut token = None;
    loop {
        let page = store
            .list_deployments(
                &group.application_name,
                &group.deployment_group_name,
                100,
                token.as_deref(),
            )
            .await
            .expect("list deployments");
        ids.extend(page.items);
        match page.next_token {
            Some(next) => token = Some(next),
            None => return ids,
        }
    }
}

/// Stops a Created deployment.
async fn end<S: ContractStore>(store: &S, id: &DeploymentId) {
    store
        .change_status(
            id,
            &change(DeploymentStatus::Created, DeploymentStatus::Stopped, 0),
        )
        .await
        .expect("stop the deployment");
}

/// Created → InProgress → Succeeded.
async fn succeed<S: ContractStore>(store: &S, id: &DeploymentId) {
    use DeploymentStatus::*;
    for (expected, next) in [(Created, InProgress), (InProgress, Succeeded)] {
        store
            .change_status(id, &change(expected, next, 0))
            .await
            .unwrap_or_else(|error| panic!("{expected} → {next}: {error}"));
    }
}

async fn active_sorted<S: ContractStore>(store: &S) -> Vec<DeploymentId> {
    let ids = store
        .active_deployments()
        .await
        .expect("list the active deployments");
    sorted(ids)
}

fn sorted(mut ids: Vec<DeploymentId>) -> Vec<DeploymentId> {
    ids.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    ids
}

fn change(expected: DeploymentStatus, next: DeploymentStatus, minutes: i64) -> StatusChange {
    StatusChange {
        expected,
        next,
        error_information: None,
        at: fixtures::created_at() + Duration::minutes(minutes),
    }
}

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

fn stop(code: ErrorCode, message: &str) -> StopRequest {
    StopRequest {
        code,
        message: message.to_owned(),
        roll_back: true,
        at: fixtures::created_at() + Duration::minutes(5),
    }
}

fn execution(id: &str, deployment: &DeploymentId, event: LifecycleEvent) -> HookExecution {
    HookExecution {
        id: id.to_owned(),
        deployment_id: deployment.clone(),
        event,
        function_name: "arn:aws:lambda:us-east-1:123456789012:function:checkout-smoke-test"
            .to_owned(),
        task_token: format!("token-of-{id}"),
        status: HookExecutionStatus::Pending,
        started_at: fixtures::created_at() + Duration::milliseconds(61_250),
        expires_at: fixtures::created_at() + Duration::days(30),
    }
}

fn linear_config() -> DeploymentConfig {
    DeploymentConfig {
        name: "Linear25Every2".into(),
        compute_platform: ComputePlatform::Lambda,
        traffic_routing: TrafficRouting::TimeBasedLinear {
            linear_percentage: 25,
            linear_interval_minutes: 2,
        },
    }
}

fn alb_target() -> Target {
    Target::AlbListener(AlbListenerTarget {
        listener_arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/1/2"
            .into(),
        rule_arn: Some(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/1/2/3"
                .into(),
        ),
        blue_target_group_arn:
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1".into(),
        green_target_group_arn:
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2".into(),
        test_listener_arn: Some(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/1/9".into(),
        ),
        min_healthy_targets: 2,
    })
}

/// One call of the racing wait and stop.
enum Signal<'a> {
    /// The wait of pair `.0`, with token `token-<pair>`.
    Wait(usize, &'a DeploymentId),
    Stop(&'a DeploymentId),
}

enum Answer {
    Wait(Result<(), StoreError>),
    Stop(Result<StopOutcome, StoreError>),
}

impl<'a> Signal<'a> {
    async fn send<S: ContractStore>(self, store: &'a S) -> Answer {
        match self {
            Signal::Wait(pair, id) => {
                Answer::Wait(store.register_wait(id, &format!("token-{pair}")).await)
            }
            Signal::Stop(id) => {
                let request = stop(ErrorCode::ManualStop, &format!("stop {id}"));
                Answer::Stop(store.request_stop(id, &request).await)
            }
        }
    }
}

/// Runs `calls` at once on this task, interleaved at their awaits: their answers, in order.
async fn all_at_once<F: Future>(calls: Vec<F>) -> Vec<F::Output> {
    let mut calls: Vec<Pin<Box<F>>> = calls.into_iter().map(Box::pin).collect();
    let mut answers: Vec<Option<F::Output>> = calls.iter().map(|_| None).collect();
    std::future::poll_fn(move |context| {
        let mut waiting = false;
        for (call, answer) in calls.iter_mut().zip(answers.iter_mut()) {
            if answer.is_none() {
                match call.as_mut().poll(context) {
                    Poll::Ready(output) => *answer = Some(output),
                    Poll::Pending => waiting = true,
                }
            }
        }
        if waiting {
            Poll::Pending
        } else {
            Poll::Ready(answers.iter_mut().filter_map(Option::take).collect())
        }
    })
    .await
}
