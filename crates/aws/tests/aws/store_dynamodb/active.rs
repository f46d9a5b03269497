//! The running deployments of every group, as an alarm state change looks for them.

use super::creation::end;
use super::support::fresh_table;
use gradual_core::deployment::{Creator, DeploymentId};
use gradual_core::fixtures;
use gradual_core::ports::DeploymentRecords;
use gradual_core::ports::DeploymentStore;

async fn active_sorted(store: &impl DeploymentStore) -> Vec<DeploymentId> {
    let mut ids = store
        .active_deployments()
        .await
        .expect("list the active deployments");
    ids.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    ids
}

fn sorted(mut ids: Vec<DeploymentId>) -> Vec<DeploymentId> {
    ids.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    ids
}

#[tokio::test]
async fn every_group_s_active_deployment_is_listed_until_it_ends() {
    let table = fresh_table().await;
    assert_eq!(active_sorted(&table.store).await, vec![]);

    let live = table.created_deployment("live").await;
    let beta = table.created_deployment("beta").await;
    let other_application = {
        let group = table.registered_group("billing", "live").await;
        let deployment = fixtures::lambda_deployment(&group);
        table
            .store
            .create_deployment(&deployment, None)
            .await
            .unwrap();
        deployment.id
    };
    assert_eq!(
        active_sorted(&table.store).await,
        sorted(vec![live.clone(), beta.clone(), other_application.clone()])
    );

    end(&table.store, &beta).await;
    assert_eq!(
        active_sorted(&table.store).await,
        sorted(vec![live, other_application])
    );
}

#[tokio::test]
async fn a_rollback_replaces_the_deployment_it_rolls_back() {
    let table = fresh_table().await;
    let group = table.registered_group("shop", "live").await;
    let failing = fixtures::lambda_deployment(&group);
    table.store.create_deployment(&failing, None).await.unwrap();
    let mut rollback = fixtures::lambda_deployment(&group);
    rollback.creator = Creator::Autorollback;
    rollback.rollback_info.rollback_triggering_deployment_id = Some(failing.id.clone());
    table
        .store
        .create_deployment(&rollback, None)
        .await
        .unwrap();

    assert_eq!(active_sorted(&table.store).await, vec![rollback.id.clone()]);
    end(&table.store, &failing.id).await;
    assert_eq!(active_sorted(&table.store).await, vec![rollback.id.clone()]);
    end(&table.store, &rollback.id).await;
    assert_eq!(active_sorted(&table.store).await, vec![]);
}
