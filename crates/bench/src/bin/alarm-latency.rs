//! `cargo run --profile tools -p gradual-bench --bin alarm-latency`: how soon an alarm going into
//! ALARM puts the alias back on its original version, at time scale 1 (real time).
//!
//! Each run deploys a Lambda canary (10 % for 5 minutes) to an alias of its own on the emulator,
//! waits until the deployment bakes, sets the watched alarm to ALARM on the emulator's CloudWatch
//! and delivers the state-change event to alarm-listener as EventBridge does. The latency is
//! measured from the event's delivery to the moment the emulator's alias serves version 1 alone
//! again, read by polling `GetAlias`. It prints every run, then median and max; it asserts nothing.

use clap::Parser;
use gradual_asl::ScaledClock;
use gradual_bench::throughput::median;
use gradual_core::ports::AlarmState;
use gradual_core::{
    AlarmConfiguration, AutoRollbackConfiguration, AutoRollbackEvent, ComputePlatform,
    DeploymentGroup, DeploymentId, DeploymentStatus, Target,
};
use gradual_emulator::sample::lambda::LambdaWorld;
use gradual_emulator::unique_name;
use gradual_handlers::create_deployment::{CreateDeploymentRequest, Revision};
use gradual_local::world::LocalWorld;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CONFIG: &str = "CodeDeployDefault.LambdaCanary10Percent5Minutes";
/// How often the alias is read while waiting for it to go back.
const POLL: Duration = Duration::from_millis(2);

#[derive(Parser)]
struct Options {
    /// Deployments to stop by alarm; the median and max are over all of them.
    #[arg(long, default_value_t = 20)]
    runs: usize,
}

/// One run's figures.
struct Run {
    /// From the event's delivery to alarm-listener until the alias serves version 1 alone.
    restored: Duration,
    /// How long alarm-listener took to answer the event (the stop recorded, the bake failed).
    listener: Duration,
}

#[tokio::main]
async fn main() {
    let options = Options::parse();
    let runs = options.runs.max(1);
    println!(
        "alarm-latency: {CONFIG} at time scale 1, alarm fired during the first bake, {runs} runs"
    );
    let world = LocalWorld::new(Arc::new(ScaledClock::new(1.0))).await;
    let mut restored = Vec::with_capacity(runs);
    let mut listener = Vec::with_capacity(runs);
    for number in 1..=runs {
        let run = run_once(&world).await;
        println!(
            "  run {number:>2}: alias restored {:>7.1} ms after the event (alarm-listener answered in {:.1} ms)",
            millis(run.restored),
            millis(run.listener)
        );
        restored.push(millis(run.restored));
        listener.push(millis(run.listener));
    }
    let max = |samples: &[f64]| samples.iter().copied().fold(f64::MIN, f64::max);
    println!(
        "event -> alias on the original version: median {:.1} ms, max {:.1} ms over {runs} runs",
        median(restored.clone()),
        max(&restored)
    );
    println!(
        "event -> alarm-listener's answer:       median {:.1} ms, max {:.1} ms",
        median(listener.clone()),
        max(&listener)
    );
}

async fn run_once(world: &LocalWorld) -> Run {
    let lambda = LambdaWorld::new().await;
    let alarm = unique_name("errors");
    world.create_alarm(&alarm).await;
    let request = register_watching_group(world, &lambda, &alarm).await;
    let id = world
        .deploy(&request)
        .await
        .unwrap_or_else(|error| panic!("create-deployment refused the request: {error}"));
    wait_until_baking(world, &id).await;

    let change = world.set_alarm_state(&alarm, AlarmState::Alarm).await;
    let delivered = Instant::now();
    let answer = world
        .deliver_alarm_change(&change)
        .await
        .expect("alarm-listener takes the event");
    let listener = delivered.elapsed();
    assert_eq!(
        answer["stoppedDeployments"][0].as_str(),
        Some(id.as_str()),
        "alarm-listener stops the deployment: {answer}"
    );
    loop {
        let alias = lambda.alias().await;
        if alias.version == "1" && alias.weights.is_empty() {
            break;
        }
        tokio::time::sleep(POLL).await;
    }
    let restored = delivered.elapsed();
    world.wait_for(&id).await.expect("the workflow ends");
    let status = world.deployment(&id).await.status;
    assert_eq!(status, DeploymentStatus::Stopped, "{id} ends stopped");
    Run { restored, listener }
}

/// A group of its own that watches `alarm` and rolls back when it fires; the request deploying
/// version 2 of the alias.
async fn register_watching_group(
    world: &LocalWorld,
    lambda: &LambdaWorld,
    alarm: &str,
) -> CreateDeploymentRequest {
    let group = DeploymentGroup {
        application_name: unique_name("latency"),
        deployment_group_name: "live".to_owned(),
        compute_platform: ComputePlatform::Lambda,
        deployment_config_name: CONFIG.to_owned(),
        targets: Vec::new(),
        auto_rollback_configuration: AutoRollbackConfiguration {
            enabled: true,
            events: vec![
                AutoRollbackEvent::DeploymentFailure,
                AutoRollbackEvent::DeploymentStopOnAlarm,
            ],
        },
        alarm_configuration: AlarmConfiguration {
            enabled: true,
            ignore_poll_alarm_failure: false,
            alarms: vec![alarm.to_owned()],
        },
        trigger_configurations: Vec::new(),
    };
    world
        .register_group(&group)
        .await
        .expect("register the group");
    CreateDeploymentRequest {
        application_name: group.application_name,
        deployment_group_name: group.deployment_group_name,
        revision: Revision::Targets {
            targets: vec![Target::LambdaAlias(lambda.target("1", "2"))],
            hooks: Vec::new(),
        },
        deployment_config_name: None,
        description: Some("alarm latency".to_owned()),
        auto_rollback_configuration: None,
        alarm_configuration: None,
        client_request_token: None,
        ignore_alarms_firing_at_start: false,
    }
}

async fn wait_until_baking(world: &LocalWorld, id: &DeploymentId) {
    let started = Instant::now();
    loop {
        let deployment = world.deployment(id).await;
        match deployment.status {
            DeploymentStatus::Baking => return,
            status if status.is_terminal() => {
                panic!("{id} ended {status} before baking: {deployment:?}")
            }
            _ if started.elapsed() > Duration::from_secs(30) => {
                panic!("{id} did not reach its bake within 30 s")
            }
            _ => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
