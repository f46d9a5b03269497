//! Many creates at once: one deployment per group runs, every other request is refused by
//! name, and the table holds exactly what was accepted.

use super::support::{fresh, targets_request, TestWorld, CANARY};
use gradual_asl::FunctionError;
use gradual_core::ports::DeploymentIndex;
use gradual_core::{DeploymentId, DeploymentStatus};
use gradual_handlers::Function;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::task::JoinSet;

const GROUPS: usize = 20;
const REQUESTS_PER_GROUP: usize = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_creates_on_twenty_groups_run_one_deployment_per_group() {
    let world = Arc::new(TestWorld::manual().await);
    let application = fresh("shop");
    let mut groups = Vec::new();
    for index in 0..GROUPS {
        let group = format!("group-{index:02}");
        let function = world.lambda_group(&application, &group, CANARY).await;
        groups.push((group, function.function));
    }

    let mut requests = JoinSet::new();
    for _ in 0..REQUESTS_PER_GROUP {
        for (group, function) in &groups {
            let world = Arc::clone(&world);
            let request = targets_request(&application, group, function);
            let group = group.clone();
            requests.spawn(async move { (group, world.create(request).await) });
        }
    }
    let mut accepted: HashMap<String, Vec<DeploymentId>> = HashMap::new();
    let mut refused: Vec<(String, FunctionError)> = Vec::new();
    while let Some(joined) = requests.join_next().await {
        let (group, answer) = joined.expect("a request task");
        match answer {
            Ok(answer) => accepted
                .entry(group)
                .or_default()
                .push(super::support::deployment_id(&answer)),
            Err(error) => refused.push((group, error)),
        }
    }

    assert_eq!(accepted.len(), GROUPS, "every group accepted one request");
    assert!(accepted.values().all(|ids| ids.len() == 1), "{accepted:?}");
    assert_eq!(refused.len(), GROUPS * (REQUESTS_PER_GROUP - 1));
    for (group, error) in &refused {
        let active = &accepted[group][0];
        assert_eq!(error.error_type, "InvalidInput");
        assert!(
            error.message.contains("already has an active deployment")
                && error.message.contains(active.as_str()),
            "{group}: {}",
            error.message
        );
    }

    world.settle().await;
    for (group, ids) in &accepted {
        let id = &ids[0];
        let answer = world
            .call(
                Function::GetDeployment,
                serde_json::json!({"deploymentId": id}),
            )
            .await
            .expect("get-deployment finds every accepted deployment");
        assert_eq!(answer["deploymentInfo"]["id"], id.as_str());
        assert_eq!(
            world.deployment(id).await.status,
            DeploymentStatus::Baking,
            "{group}"
        );
        let active = world.store.active_deployment(&application, group).await;
        assert_eq!(active, Ok(Some(id.clone())), "{group}");
        let listed = world
            .store
            .list_deployments(&application, group, 100, None)
            .await
            .expect("list the group's deployments");
        assert_eq!(listed.items, std::slice::from_ref(id), "{group}");
    }
    assert_eq!(world.items_of_kind("DEPLOYMENT").await, GROUPS);
    assert_eq!(world.items_of_kind("ACTIVE").await, GROUPS);
    assert_eq!(world.items_of_kind("TOKEN").await, 0);
}
