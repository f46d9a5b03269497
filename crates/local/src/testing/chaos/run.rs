//! One case: a deployment under one disturbance, then the promise checked.

use super::*;

/// Runs one case on a fresh world and checks the promise.
pub async fn run(case: &Case) -> Outcome {
    let clock = VirtualClock::auto_advancing();
    let faults = match &case.disturbance {
        Disturbance::Fault(fault) => vec![fault.clone()],
        Disturbance::StopAt(_) => Vec::new(),
    };
    let plan = Arc::new(FaultPlan::new(Arc::new(clock.clone()), faults));
    let world = TestWorld::with_plan(clock, Arc::clone(&plan)).await;
    let stage = case.scenario.stage(&world).await;
    let stops = match case.disturbance {
        Disturbance::StopAt(at) => Some(stop_at(&world, at)),
        Disturbance::Fault(_) => None,
    };
    // "Until the end" ends with the workflow: reconciliation then sees a healthy service.
    let lifted = Arc::clone(&plan);
    world
        .executor
        .on_execution_end(Arc::new(move |_| lifted.lift()));

    let mut broken = Vec::new();
    let id = match create_like_a_client(&world, &stage).await {
        Some(id) => id,
        None => {
            // The client tries once more after the outage, with the same token: a deployment
            // its lost answers created starts now, and nothing is created twice.
            plan.lift();
            match world.deploy(&stage.request).await {
                Ok(id) => id,
                Err(_) => return settle_not_started(case, &world, &stage, &plan).await,
            }
        }
    };
    let ended = tokio::time::timeout(Duration::from_secs(120), world.wait_for(&id)).await;
    if ended.is_err() {
        broken.push("the workflow did not end within two minutes of real time".to_owned());
    }
    let deployment = world.deployment(&id).await;
    let rollback = match &deployment.rollback_info.rollback_deployment_id {
        Some(rollback_id) => Some(world.deployment(rollback_id).await),
        None => None,
    };
    let mut class = check_ending(&deployment, rollback.as_ref(), &mut broken);
    let active = world
        .store
        .active_deployment(
            &stage.group.application_name,
            &stage.group.deployment_group_name,
        )
        .await
        .expect("read the group's slot");
    if let Some(holder) = active {
        broken.push(format!("the group is still held by {holder}"));
        class = OutcomeClass::Stuck;
    }
    let routing = world.routing(&stage.target).await;
    if class != OutcomeClass::Stuck {
        class = check_traffic(
            case,
            &stage,
            &deployment,
            rollback.as_ref(),
            &routing,
            &mut broken,
        );
    }
    check_triggers(
        &world,
        &stage,
        &deployment,
        rollback.as_ref(),
        &plan,
        case,
        &mut broken,
    )
    .await;
    check_history(&world, &deployment, &mut broken).await;
    if class == OutcomeClass::Stuck {
        let outcome = world
            .wait_for(&id)
            .await
            .map(|outcome| (outcome.status, outcome.error))
            .map_err(|error| error.to_string());
        broken.push(format!(
            "execution {outcome:?}; reconciliation: {:?}",
            world.reconciliations.deliveries()
        ));
    }
    let rollback_took = match (deployment.complete_time, rollback.as_ref()) {
        (Some(failed), Some(rollback)) if class == OutcomeClass::RolledBack => rollback
            .complete_time
            .and_then(|home| (home - failed).try_into().ok()),
        _ => None,
    };
    let hits = match &stops {
        Some(stops) => stops.load(Ordering::SeqCst),
        None => plan.hits(),
    };
    if hits == 0 {
        broken.push("the disturbance never happened: the case tested nothing".to_owned());
    }
    if !broken.is_empty() && class != OutcomeClass::Stuck {
        class = OutcomeClass::Broken;
    }
    Outcome {
        case: case.clone(),
        class,
        broken,
        hits,
        home_after_fault: home_after_fault(&plan),
        rollback_took,
    }
}

/// Stops the execution as its `at`th task begins; the count of stops made.
fn stop_at(world: &TestWorld, at: usize) -> Arc<AtomicUsize> {
    let count = Arc::new(AtomicUsize::new(0));
    let stopped = Arc::new(AtomicUsize::new(0));
    let prefix = world.execution_arn("");
    for name in workflow_functions() {
        let prefix = prefix.clone();
        world.functions.wrap(&name, |inner| StopAt {
            inner,
            count: Arc::clone(&count),
            stopped: Arc::clone(&stopped),
            at,
            world_executor: world.executor.clone(),
            execution_arn_of: Arc::new(move |id: &str| format!("{prefix}{id}")),
        });
    }
    stopped
}

/// Sends the create as a client does: a refusal it may retry (a service error) is sent again
/// with the same token, a minute later, a few times.
async fn create_like_a_client(
    world: &TestWorld,
    stage: &Stage,
) -> Option<gradual_core::DeploymentId> {
    for attempt in 1..=CREATE_ATTEMPTS {
        match world.deploy(&stage.request).await {
            Ok(id) => return Some(id),
            Err(error) if attempt < CREATE_ATTEMPTS && error.error_type != "InvalidInput" => {
                drop(world.clock.sleep(CREATE_RETRY_WAIT).await);
            }
            Err(_) => return None,
        }
    }
    None
}

/// A create refused every time must leave nothing behind: no deployment holds the group.
async fn settle_not_started(
    case: &Case,
    world: &TestWorld,
    stage: &Stage,
    plan: &FaultPlan,
) -> Outcome {
    let mut broken = Vec::new();
    let group = &stage.group;
    let active = world
        .store
        .active_deployment(&group.application_name, &group.deployment_group_name)
        .await
        .expect("read the group's slot");
    let mut class = OutcomeClass::NotStarted;
    if let Some(holder) = active {
        // A deployment was stored but never answered: it must have ended.
        let held = world.deployment(&holder).await;
        if !held.status.is_terminal() {
            broken.push(format!(
                "the refused create left {holder} {} holding the group",
                held.status
            ));
            class = OutcomeClass::Stuck;
        }
    }
    if world.routing(&stage.target).await != stage.initial {
        broken.push("a refused create moved traffic".to_owned());
        class = OutcomeClass::Broken;
    }
    Outcome {
        case: case.clone(),
        class,
        broken,
        hits: plan.hits(),
        home_after_fault: None,
        rollback_took: None,
    }
}
