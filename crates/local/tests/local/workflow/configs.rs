//! Every predefined deployment config, run in full: the alias or the listeners must pass
//! through exactly the weights of the config's schedule, each for exactly its bake.

use super::support::{
    alias_subject, duration, expected_success, group, listener_subject, request, routing_at, seen,
    Subject, TestWorld,
};
use gradual_core::config::predefined_names;
use gradual_core::history::HistoryEntry;
use gradual_core::{ComputePlatform, Deployment, DeploymentConfig, DeploymentStatus, Target};

#[tokio::test]
async fn every_predefined_lambda_config_moves_the_alias_through_its_schedule() {
    runs_every_predefined_config(ComputePlatform::Lambda).await;
}

#[tokio::test]
async fn every_predefined_ecs_config_moves_the_listeners_through_its_schedule() {
    runs_every_predefined_config(ComputePlatform::Ecs).await;
}

/// Runs the platform's configs side by side on one clock, each on its own target and group.
async fn runs_every_predefined_config(platform: ComputePlatform) {
    let world = TestWorld::new().await;
    let names = predefined_names(platform);
    let mut runs = Vec::new();
    for name in &names {
        let subject = match platform {
            ComputePlatform::Lambda => alias_subject(&world).await.1,
            ComputePlatform::Ecs => listener_subject(&world).await.1,
        };
        let group = group(platform, name);
        world.register(&group).await;
        runs.push((*name, request(&group, &subject, &[]), subject));
    }
    let mut started = Vec::new();
    for (name, request, subject) in runs {
        started.push((name, world.start(&request).await, subject));
    }
    for (name, id, subject) in started {
        let deployment = world.finish(&id).await;
        let schedule = DeploymentConfig::predefined(name)
            .expect("a predefined config")
            .schedule();
        assert_eq!(deployment.status, DeploymentStatus::Succeeded, "{name}");
        assert_eq!(
            seen(&world, &deployment),
            expected_success(&subject, &schedule),
            "{name}: the routing observed at each traffic action and bake ({schedule})"
        );
        assert_eq!(
            duration(&deployment).unsigned_abs(),
            schedule.total_bake(),
            "{name}: the deployment lasts exactly its bakes"
        );
        assert_on_new_version(&world, &subject).await;
        assert_eq!(
            status_changes(&world, &deployment).await,
            expected_status_changes(schedule.steps().len() - 1),
            "{name}: every status change is in the history, once"
        );
    }
}

/// The deployment's status changes as its history records them, oldest first.
async fn status_changes(world: &TestWorld, deployment: &Deployment) -> Vec<String> {
    world
        .history(&deployment.id)
        .await
        .into_iter()
        .filter_map(|record| match record.entry {
            HistoryEntry::Status { from, to } => Some(format!("{from} -> {to}")),
            _ => None,
        })
        .collect()
}

/// Started, then into and out of a bake at each of the `bakes` steps, then succeeded.
fn expected_status_changes(bakes: usize) -> Vec<String> {
    let mut changes = vec!["Created -> InProgress".to_owned()];
    for _ in 0..bakes {
        changes.push("InProgress -> Baking".to_owned());
        changes.push("Baking -> InProgress".to_owned());
    }
    changes.push("InProgress -> Succeeded".to_owned());
    changes
}

async fn assert_on_new_version(world: &TestWorld, subject: &Subject) {
    let blue_green = matches!(subject.target, Target::AlbListener(_));
    assert_eq!(
        world.routing(&subject.target).await,
        routing_at(subject, 100, blue_green),
        "after the deployment ended"
    );
}
