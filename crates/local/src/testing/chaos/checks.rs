//! The promise, checked on what the emulator and the table hold after a run.

use super::*;

pub(super) fn check_ending(
    deployment: &Deployment,
    rollback: Option<&Deployment>,
    broken: &mut Vec<String>,
) -> OutcomeClass {
    if !deployment.status.is_terminal() {
        broken.push(format!(
            "the deployment is still {} ({:?})",
            deployment.status, deployment.error_information
        ));
        return OutcomeClass::Stuck;
    }
    if let Some(rollback) = rollback {
        if !rollback.status.is_terminal() {
            broken.push(format!(
                "its rollback {} is still {}",
                rollback.id, rollback.status
            ));
            return OutcomeClass::Stuck;
        }
    }
    OutcomeClass::Broken
}

pub(super) fn check_traffic(
    case: &Case,
    stage: &Stage,
    deployment: &Deployment,
    rollback: Option<&Deployment>,
    routing: &Routing,
    broken: &mut Vec<String>,
) -> OutcomeClass {
    let home = all_on_original(routing);
    let on_new = all_on_new(routing);
    match (deployment.status, rollback.map(|r| r.status)) {
        (DeploymentStatus::Succeeded, None) if on_new => OutcomeClass::Succeeded,
        (
            DeploymentStatus::Failed | DeploymentStatus::Stopped,
            Some(DeploymentStatus::Succeeded),
        ) if home => OutcomeClass::RolledBack,
        (DeploymentStatus::Failed | DeploymentStatus::Stopped, Some(DeploymentStatus::Failed))
            if target_unreachable_to_the_end(case) =>
        {
            let message = rollback
                .and_then(|r| r.error_information.as_ref())
                .map(|error| error.message.clone())
                .unwrap_or_default();
            if !message.contains("traffic was last recorded at") {
                broken.push(format!(
                    "the rollback failed without saying where traffic stands: {message:?}"
                ));
            }
            OutcomeClass::RollbackFailedAlerted
        }
        (status, rollback_status) => {
            broken.push(format!(
                "ended {status} (rollback {rollback_status:?}, error {:?}) with traffic {routing:?}, \
                 initially {:?}",
                deployment.error_information, stage.initial
            ));
            OutcomeClass::Broken
        }
    }
}

fn all_on_new(routing: &Routing) -> bool {
    match routing {
        Routing::Alias {
            version,
            additional_weights,
        } => version == "2" && additional_weights.is_empty(),
        Routing::Listener { production, .. } => production.blue == 0 && production.green > 0,
    }
}

fn all_on_original(routing: &Routing) -> bool {
    let on_blue = |forward: &crate::world::Forward| forward.green == 0 && forward.blue > 0;
    match routing {
        Routing::Alias {
            version,
            additional_weights,
        } => version == "1" && additional_weights.is_empty(),
        Routing::Listener { production, test } => {
            on_blue(production) && test.as_ref().is_none_or(on_blue)
        }
    }
}

/// The one allowed exception: the target cannot be moved for the rollback's whole budget —
/// its service fails every call, or the traffic function dies every time, until the
/// workflow has ended.
fn target_unreachable_to_the_end(case: &Case) -> bool {
    let Disturbance::Fault(Fault {
        target,
        persistence: Persistence::UntilLifted,
    }) = &case.disturbance
    else {
        return false;
    };
    match (target, case.scenario) {
        (FaultTarget::Call(operation, _), Scenario::LambdaCanary) => operation.service == "lambda",
        (FaultTarget::Call(operation, _), Scenario::AlbLinear) => {
            operation.service == "elasticloadbalancing"
        }
        (FaultTarget::Function(function, _), scenario) => {
            let traffic = match scenario {
                Scenario::LambdaCanary => Function::ShiftAliasWeight,
                Scenario::AlbLinear => Function::SwapAlbTargets,
            };
            *function == names::function_name(traffic)
        }
    }
}

fn sns_faulted(case: &Case) -> bool {
    matches!(
        &case.disturbance,
        Disturbance::Fault(Fault {
            target: FaultTarget::Call(operation, _),
            ..
        }) if operation.service == "sns"
    )
}

pub(super) async fn check_triggers(
    world: &TestWorld,
    stage: &Stage,
    deployment: &Deployment,
    rollback: Option<&Deployment>,
    _plan: &FaultPlan,
    case: &Case,
    broken: &mut Vec<String>,
) {
    let mut published: BTreeMap<String, usize> = BTreeMap::new();
    for notification in world.notifications(&stage.topic).await {
        *published
            .entry(notification.event_name.unwrap_or_default())
            .or_default() += 1;
    }
    for (event, count) in &published {
        if *count > 1 {
            broken.push(format!("{event} was published {count} times"));
        }
    }
    if sns_faulted(case) {
        return;
    }
    let expected: Vec<&str> = deployment
        .ending_triggers(rollback)
        .into_iter()
        .map(|event| event.as_str())
        .collect();
    for event in expected {
        if !published.contains_key(event) {
            broken.push(format!(
                "{event} was never published (published: {published:?})"
            ));
        }
    }
}

pub(super) async fn check_history(
    world: &TestWorld,
    deployment: &Deployment,
    broken: &mut Vec<String>,
) {
    let history = world
        .store
        .history(&deployment.id)
        .await
        .expect("read the history");
    let mut previous: Option<OffsetDateTime> = None;
    for record in &history {
        if previous.is_some_and(|previous| record.at < previous) {
            broken.push(format!("history record {} is out of order", record.key));
        }
        previous = Some(record.at);
    }
    let last_status = history.iter().rev().find_map(|record| match &record.entry {
        HistoryEntry::Status { to, .. } => Some(to.clone()),
        _ => None,
    });
    if last_status.as_deref() != Some(deployment.status.to_string().as_str()) {
        let keys: Vec<&str> = history.iter().map(|record| record.key.as_str()).collect();
        broken.push(format!(
            "the history's last status is {last_status:?}, the deployment is {} (history: {keys:?})",
            deployment.status
        ));
    }
}

pub(super) fn home_after_fault(plan: &FaultPlan) -> Option<Duration> {
    let fault_end = plan.last_hit()?;
    let home = plan
        .calls()
        .into_iter()
        .filter(|call| {
            call.injected.is_none() && TRAFFIC_WRITES.contains(&call.operation.name.as_str())
        })
        .map(|call| call.at)
        .max()?;
    Some((home - fault_end).try_into().unwrap_or(Duration::ZERO))
}
