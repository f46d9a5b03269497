use super::*;
use crate::deployment::ErrorCode;
use crate::ports::{RouterError, TrafficRouter};
use std::sync::Arc;

fn targets(count: usize) -> Vec<Arc<MemoryRouter>> {
    (1..=count)
        .map(|n| Arc::new(MemoryRouter::new(&format!("alias f{n}:live"), "1", "2")))
        .collect()
}

fn lockstep(targets: &[Arc<MemoryRouter>]) -> Lockstep {
    Lockstep::new(
        targets
            .iter()
            .map(|target| target.clone() as Arc<dyn TrafficRouter>)
            .collect(),
    )
}

fn percents(targets: &[Arc<MemoryRouter>]) -> Vec<u8> {
    targets
        .iter()
        .map(|target| target.percent_on_new())
        .collect()
}

fn writes(targets: &[Arc<MemoryRouter>]) -> Vec<usize> {
    targets.iter().map(|target| target.writes()).collect()
}

fn service_failure(resource: &str) -> RouterError {
    RouterError::Service {
        code: ErrorCode::ElasticLoadBalancingInvalid,
        resource: resource.to_string(),
        operation: "ModifyListener",
        message: "the load balancer is busy".to_string(),
    }
}

#[tokio::test]
async fn moves_every_target_and_reports_their_states() {
    let targets = targets(3);
    let states = lockstep(&targets)
        .apply(TrafficAction::Shift(10))
        .await
        .unwrap();
    assert_eq!(percents(&targets), vec![10, 10, 10]);
    assert!(states.iter().all(|state| state.percent_on_new == 10));
}

#[tokio::test]
async fn a_repeated_action_writes_nothing_the_second_time() {
    let targets = targets(2);
    let lockstep = lockstep(&targets);
    lockstep.apply(TrafficAction::Shift(10)).await.unwrap();
    lockstep.apply(TrafficAction::Shift(10)).await.unwrap();
    assert_eq!(writes(&targets), vec![1, 1]);
    assert_eq!(percents(&targets), vec![10, 10]);
}

#[tokio::test]
async fn when_the_third_target_fails_the_first_two_go_back_where_they_stood() {
    let targets = targets(3);
    let lockstep = lockstep(&targets);
    lockstep.apply(TrafficAction::Shift(10)).await.unwrap();
    targets[2].fail_on(TrafficAction::Shift(20), service_failure("listener l3"));

    let error = lockstep.apply(TrafficAction::Shift(20)).await.unwrap_err();

    assert_eq!(percents(&targets), vec![10, 10, 10]);
    assert_eq!(error.failed.index, 2);
    assert_eq!(error.failed.target, "alias f3:live");
    assert_eq!(error.failed.error, service_failure("listener l3"));
    assert_eq!(
        error.recovery,
        Recovery::Restored {
            targets: vec![0, 1]
        }
    );
    assert!(error.recovery.is_clean());
    assert_eq!(error.code(), ErrorCode::ElasticLoadBalancingInvalid);
    assert_eq!(
        error.to_string(),
        "shifting to 20 % failed on target 3 (alias f3:live): ModifyListener on listener l3 \
         failed: the load balancer is busy; targets 1, 2 were put back where they stood"
    );
}

#[tokio::test]
async fn a_failed_finish_puts_the_finished_targets_back_to_their_split() {
    let targets = targets(2);
    let lockstep = lockstep(&targets);
    lockstep.apply(TrafficAction::Shift(50)).await.unwrap();
    targets[1].fail_on(TrafficAction::Finish, service_failure("listener l2"));

    let error = lockstep.apply(TrafficAction::Finish).await.unwrap_err();

    assert_eq!(percents(&targets), vec![50, 50]);
    assert_eq!(error.recovery, Recovery::Restored { targets: vec![0] });
}

#[tokio::test]
async fn a_failed_first_target_moves_nothing() {
    let targets = targets(2);
    targets[0].fail_on(TrafficAction::Shift(10), service_failure("listener l1"));

    let error = lockstep(&targets)
        .apply(TrafficAction::Shift(10))
        .await
        .unwrap_err();

    assert_eq!(error.recovery, Recovery::NothingMoved);
    assert_eq!(writes(&targets), vec![0, 0]);
}

#[tokio::test]
async fn a_target_that_cannot_be_read_before_moving_counts_as_failed() {
    let targets = targets(2);
    targets[1].fail_on(TrafficAction::Observe, service_failure("alias f2:live"));

    let error = lockstep(&targets)
        .apply(TrafficAction::Shift(10))
        .await
        .unwrap_err();

    assert_eq!(error.failed.index, 1);
    assert_eq!(percents(&targets), vec![0, 0]);
    assert_eq!(writes(&targets), vec![2, 0], "moved, then put back");
}

#[tokio::test]
async fn a_failed_restore_is_reported_with_the_targets_it_left_behind() {
    let targets = targets(3);
    let lockstep = lockstep(&targets);
    targets[0].fail_restores(service_failure("alias f1:live"));
    targets[2].fail_on(TrafficAction::Shift(10), service_failure("alias f3:live"));

    let error = lockstep.apply(TrafficAction::Shift(10)).await.unwrap_err();

    assert_eq!(percents(&targets), vec![10, 0, 0]);
    match &error.recovery {
        Recovery::RestoreFailed { restored, failures } => {
            assert_eq!(restored, &vec![1]);
            assert_eq!(failures.len(), 1);
            assert_eq!(failures[0].index, 0);
        }
        other => panic!("expected a failed restore, got {other:?}"),
    }
    assert!(!error.recovery.is_clean());
    assert!(error
        .to_string()
        .contains("putting back failed for target 1 (alias f1:live)"));
}

#[tokio::test]
async fn a_target_moved_by_someone_else_is_not_restored_over() {
    let targets = targets(2);
    let lockstep = lockstep(&targets);
    lockstep.apply(TrafficAction::Shift(10)).await.unwrap();
    targets[0].change_out_of_band(30);

    let error = lockstep.apply(TrafficAction::Shift(20)).await.unwrap_err();

    assert_eq!(error.failed.index, 0);
    assert_eq!(error.code(), ErrorCode::InvalidLambdaConfiguration);
    assert_eq!(percents(&targets), vec![30, 10]);
}

#[tokio::test]
async fn a_failed_test_traffic_step_puts_the_test_routes_back() {
    let targets: Vec<_> = (1..=2)
        .map(|n| {
            Arc::new(
                MemoryRouter::new(&format!("listener l{n}"), "blue", "green").with_test_route(),
            )
        })
        .collect();
    let lockstep = lockstep(&targets);
    targets[1].fail_on(
        TrafficAction::AllowTestTraffic,
        service_failure("listener l2"),
    );

    let error = lockstep
        .apply(TrafficAction::AllowTestTraffic)
        .await
        .unwrap_err();

    assert_eq!(error.recovery, Recovery::Restored { targets: vec![0] });
    let states = lockstep.observe().await.unwrap();
    assert!(states
        .iter()
        .all(|state| state.test_traffic_on_new == Some(false)));
}

#[tokio::test]
async fn a_rollback_carries_on_past_a_failing_target() {
    let targets = targets(3);
    let lockstep = lockstep(&targets);
    lockstep.apply(TrafficAction::Shift(40)).await.unwrap();
    targets[1].fail_on(TrafficAction::Rollback, service_failure("alias f2:live"));

    let error = lockstep.apply(TrafficAction::Rollback).await.unwrap_err();

    assert_eq!(percents(&targets), vec![0, 40, 0]);
    assert_eq!(error.failed.index, 1);
    assert_eq!(
        error.recovery,
        Recovery::RollbackContinued {
            other_failures: vec![]
        }
    );
}

#[tokio::test]
async fn verify_names_the_target_that_does_not_match() {
    let targets = targets(2);
    let lockstep = lockstep(&targets);
    lockstep.apply(TrafficAction::Shift(10)).await.unwrap();
    targets[1].change_out_of_band(15);

    let error = lockstep.apply(TrafficAction::Verify(10)).await.unwrap_err();

    assert_eq!(error.failed.index, 1);
    assert_eq!(
        error.failed.error.to_string(),
        "alias f2:live has 15 % of production traffic on the new version, expected 10 %"
    );
    assert_eq!(writes(&targets), vec![1, 1]);
}

#[tokio::test]
async fn start_finish_and_observe_report_what_is_live() {
    let targets = targets(2);
    let lockstep = lockstep(&targets);
    let started = lockstep.apply(TrafficAction::Start).await.unwrap();
    assert!(started
        .iter()
        .all(|state| state.live.as_deref() == Some("1")));
    lockstep.apply(TrafficAction::Finish).await.unwrap();
    let observed = lockstep.observe().await.unwrap();
    assert!(observed
        .iter()
        .all(|state| state.live.as_deref() == Some("2") && state.percent_on_new == 100));
}

#[tokio::test]
async fn a_shift_out_of_range_is_refused_before_anything_moves() {
    let targets = targets(2);
    for percent in [0, 100, 101] {
        let error = lockstep(&targets)
            .apply(TrafficAction::Shift(percent))
            .await
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::InternalError);
        assert_eq!(error.failed.index, 0);
    }
    assert_eq!(writes(&targets), vec![0, 0]);
}

fn unavailable(resource: &str) -> RouterError {
    RouterError::Unavailable {
        resource: resource.to_string(),
        operation: "ModifyListener",
        message: "Rate exceeded".to_string(),
    }
}

#[tokio::test]
async fn an_outage_on_a_target_is_worth_trying_again() {
    let targets = targets(2);
    targets[1].fail_on(TrafficAction::Shift(10), unavailable("alias f2:live"));
    let error = lockstep(&targets)
        .apply(TrafficAction::Shift(10))
        .await
        .unwrap_err();
    assert!(error.is_transient(), "{error}");
    assert_eq!(error.code(), ErrorCode::Throttled);
    assert_eq!(
        percents(&targets),
        vec![0, 0],
        "the first target was put back"
    );
}

#[tokio::test]
async fn a_rollback_with_a_drifted_target_beside_an_outage_is_not_worth_trying_again() {
    let targets = targets(2);
    let lockstep = lockstep(&targets);
    lockstep.apply(TrafficAction::Shift(10)).await.unwrap();
    targets[0].fail_on(TrafficAction::Rollback, unavailable("alias f1:live"));
    targets[1].fail_on(TrafficAction::Rollback, service_failure("alias f2:live"));
    let error = lockstep.apply(TrafficAction::Rollback).await.unwrap_err();
    assert!(!error.is_transient(), "{error}");
}

#[tokio::test]
async fn a_rollback_where_every_failure_is_an_outage_is_worth_trying_again() {
    let targets = targets(2);
    let lockstep = lockstep(&targets);
    lockstep.apply(TrafficAction::Shift(10)).await.unwrap();
    targets[0].fail_on(TrafficAction::Rollback, unavailable("alias f1:live"));
    targets[1].fail_on(TrafficAction::Rollback, unavailable("alias f2:live"));
    let error = lockstep.apply(TrafficAction::Rollback).await.unwrap_err();
    assert!(error.is_transient(), "{error}");
}

#[tokio::test]
async fn a_write_that_shows_late_is_read_back_until_it_shows() {
    let targets = targets(1);
    targets[0].lag_reads(2);

    let states = lockstep(&targets)
        .apply(TrafficAction::Shift(10))
        .await
        .unwrap();

    assert_eq!(states[0].percent_on_new, 10, "the state read back");
    assert_eq!(writes(&targets), [1], "written once, read three times");
}

#[tokio::test]
async fn a_write_undone_by_someone_else_fails_the_step_naming_what_was_written_and_read() {
    let targets = targets(2);
    targets[1].undo_writes(1);

    let error = lockstep(&targets)
        .apply(TrafficAction::Shift(10))
        .await
        .unwrap_err();

    let message = error.to_string();
    assert!(
        message.contains(
            "alias f2:live was written 10 % on the new version, but reads back 0 % on the new \
             version after 5 reads"
        ),
        "{message}"
    );
    assert!(error.is_transient(), "the workflow tries the step again");
    assert_eq!(
        percents(&targets),
        [0, 0],
        "the first target was put back where it stood"
    );
}

#[tokio::test]
async fn a_rollback_reads_back_both_production_and_test_traffic() {
    let target = Arc::new(MemoryRouter::new("listener web:80", "blue", "green").with_test_route());
    let targets = vec![target.clone()];
    let lockstep = lockstep(&targets);
    lockstep
        .apply(TrafficAction::AllowTestTraffic)
        .await
        .unwrap();
    lockstep.apply(TrafficAction::Shift(40)).await.unwrap();
    target.undo_writes(1);

    let error = lockstep.apply(TrafficAction::Rollback).await.unwrap_err();

    assert!(
        error.to_string().contains(
            "was written 0 % on the new version, test traffic on the original, but reads back \
             40 % on the new version, test traffic on the new version"
        ),
        "{error}"
    );
    // The step is tried again, and this time the write holds.
    let states = lockstep.apply(TrafficAction::Rollback).await.unwrap();
    assert_eq!(states[0].percent_on_new, 0);
    assert_eq!(states[0].test_traffic_on_new, Some(false));
}
