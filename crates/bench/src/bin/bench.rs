//! `cargo run --profile tools -p gradual-bench --bin bench`: figures about the deployment workflow
//! run locally on the emulator. It prints them and asserts nothing.
//!
//! (a) the state transitions one deployment takes, for every predefined config (virtual time);
//! (b) the executor's throughput in state transitions per second on no-op states;
//! (c) the wall-clock overhead of a canary deployment at a time scale, beyond its bakes.

use clap::Parser;
use gradual_asl::{ScaledClock, VirtualClock};
use gradual_bench::throughput::{self, median};
use gradual_core::config::predefined_names;
use gradual_core::{
    ComputePlatform, DeploymentConfig, DeploymentGroup, DeploymentId, DeploymentStatus, Target,
};
use gradual_emulator::sample::alb::AlbWorld;
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_emulator::unique_name;
use gradual_handlers::create_deployment::CreateDeploymentRequest;
use gradual_local::world::LocalWorld;
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;

const CANARY: &str = "CodeDeployDefault.LambdaCanary10Percent5Minutes";

#[derive(Parser)]
struct Options {
    /// Runs of the canary deployment in (c); the median is reported.
    #[arg(long, default_value_t = 3)]
    canary_runs: usize,
    /// How much faster than real time the canary of (c) runs.
    #[arg(long, default_value_t = 60.0)]
    time_scale: f64,
    /// Runs of each throughput measurement in (b).
    #[arg(long, default_value_t = 5)]
    throughput_runs: usize,
}

#[tokio::main]
async fn main() {
    let options = Options::parse();
    transitions_per_config().await;
    println!("\n(b) executor throughput on no-op states");
    print!("  ");
    throughput::report(throughput::Settings {
        runs: options.throughput_runs,
        ..throughput::Settings::default()
    })
    .await;
    canary_overhead(options.canary_runs.max(1), options.time_scale).await;
}

/// (a): each predefined config deployed once, without hooks, on virtual time.
async fn transitions_per_config() {
    println!("(a) state transitions of one deployment without hooks, by config");
    let world = LocalWorld::new(Arc::new(VirtualClock::auto_advancing())).await;
    for platform in [ComputePlatform::Lambda, ComputePlatform::Ecs] {
        for name in predefined_names(platform) {
            let id = deploy_on_new_target(&world, platform, name).await;
            let status = finish(&world, &id).await;
            let transitions = world
                .executor
                .state_transitions(&world.execution_arn(id.as_str()));
            let schedule = DeploymentConfig::predefined(name)
                .expect("a predefined config")
                .schedule();
            let shifts = schedule.steps().len() - 1;
            let fixed = transitions as i64 - 3 * shifts as i64;
            let ended = match status {
                DeploymentStatus::Succeeded => String::new(),
                other => format!("  (ended {other})"),
            };
            println!(
                "  {name:<54} {transitions:>3} transitions = {fixed} + 3 × {shifts} shifts{ended}"
            );
        }
    }
}

/// (c): wall time of a canary at `scale`, against the time its bakes take at that scale.
async fn canary_overhead(runs: usize, scale: f64) {
    let bakes = DeploymentConfig::predefined(CANARY)
        .expect("a predefined config")
        .schedule()
        .total_bake();
    let nominal = bakes.div_f64(scale);
    println!(
        "\n(c) {CANARY} at time scale {scale}: {} s of bakes last {:.3} s",
        bakes.as_secs(),
        nominal.as_secs_f64()
    );
    let world = LocalWorld::new(Arc::new(ScaledClock::new(scale))).await;
    let mut ratios = Vec::with_capacity(runs);
    let mut overheads = Vec::with_capacity(runs);
    for run in 1..=runs {
        let request = new_target_request(&world, ComputePlatform::Lambda, CANARY).await;
        let started = Instant::now();
        let id = world
            .deploy(&request)
            .await
            .expect("create-deployment accepts the canary");
        let status = finish(&world, &id).await;
        let wall = started.elapsed();
        let ratio = wall.as_secs_f64() / nominal.as_secs_f64();
        let overhead = wall.saturating_sub(nominal);
        println!(
            "  run {run}: {:.3} s wall, ratio {ratio:.4}, {} ms beyond the bakes ({status})",
            wall.as_secs_f64(),
            overhead.as_millis()
        );
        ratios.push(ratio);
        overheads.push(overhead.as_secs_f64() * 1000.0);
    }
    println!(
        "  median: ratio {:.4} (wall time / bake time at scale {scale}), {:.0} ms beyond the bakes",
        median(ratios),
        median(overheads)
    );
}

async fn deploy_on_new_target(
    world: &LocalWorld,
    platform: ComputePlatform,
    config: &str,
) -> DeploymentId {
    let request = new_target_request(world, platform, config).await;
    world
        .deploy(&request)
        .await
        .unwrap_or_else(|error| panic!("create-deployment refused {config}: {error}"))
}

/// A request to deploy to a new target of the platform, in a group of its own using `config`.
async fn new_target_request(
    world: &LocalWorld,
    platform: ComputePlatform,
    config: &str,
) -> CreateDeploymentRequest {
    let target = match platform {
        ComputePlatform::Lambda => Target::LambdaAlias(LambdaWorld::new().await.target("1", "2")),
        ComputePlatform::Ecs => Target::AlbListener(AlbWorld::new().await.target()),
    };
    let group = DeploymentGroup {
        application_name: unique_name("bench"),
        deployment_group_name: "main".to_owned(),
        compute_platform: platform,
        deployment_config_name: config.to_owned(),
        targets: Vec::new(),
        auto_rollback_configuration: Default::default(),
        alarm_configuration: Default::default(),
        trigger_configurations: Vec::new(),
    };
    world
        .register_group(&group)
        .await
        .expect("register the benchmark's group");
    let request = json!({
        "applicationName": group.application_name,
        "deploymentGroupName": group.deployment_group_name,
        "revision": {"revisionType": "Targets", "targets": [target]},
    });
    serde_json::from_value(request).expect("a well-formed create-deployment request")
}

async fn finish(world: &LocalWorld, id: &DeploymentId) -> DeploymentStatus {
    world
        .wait_for(id)
        .await
        .expect("the deployment's workflow exists");
    world.deployment(id).await.status
}
