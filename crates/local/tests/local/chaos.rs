//! The fault matrix in `make test`: a seeded sample of `make chaos` (every AWS operation the
//! deployment calls and every fault kind, each with one of the three persistences; every crash
//! kind of every workflow function; a StopExecution from outside at the workflow's tasks), on
//! both deployments, checked against gradual's promise (`gradual_local::testing::chaos`). A
//! case whose fault never hit counts as broken, so the matrix cannot quietly test nothing.

use gradual_local::testing::chaos::{self, Report, Scenario};

/// The sample's seed: the same cases on every run.
const SEED: u64 = 2026;

async fn keeps_the_promise(scenario: Scenario) {
    let cases = chaos::ci_matrix_of(scenario, SEED).await;
    assert!(cases.len() > 50, "{} cases only", cases.len());
    let outcomes = chaos::run_all(cases, 1, |_| {}).await;
    let report = Report {
        outcomes: &outcomes,
    };
    println!("{scenario}:\n{}", report.render());
    assert!(
        report.broken().is_empty(),
        "{scenario} broke the promise:\n{}",
        report.render()
    );
}

#[tokio::test]
async fn a_lambda_canary_with_hooks_keeps_the_promise_whatever_fails() {
    keeps_the_promise(Scenario::LambdaCanary).await;
}

#[tokio::test]
async fn an_alb_linear_deployment_with_a_test_listener_keeps_the_promise_whatever_fails() {
    keeps_the_promise(Scenario::AlbLinear).await;
}
