//! `make chaos` (`cargo run --profile tools -p gradual-bench --bin chaos`): the full fault
//! matrix. Every AWS operation the workflow and the handlers call × every fault kind × once,
//! for 90 s and until the workflow ends; every workflow function × every crash kind × the same
//! persistences; and a StopExecution from outside at every task — on a Lambda canary with hooks
//! and on an ALB linear deployment with a test listener. Prints the outcomes by class, the time
//! from a fault's end to traffic home (world time), and every case that broke gradual's
//! promise; exits non-zero when one did. `make test` runs a seeded sample of the same cases.

use clap::Parser;
use gradual_local::testing::chaos::{self, Report};
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Instant;

#[derive(Parser)]
struct Options {
    /// Cases run at once, each on its own world.
    #[arg(long, default_value_t = 2)]
    jobs: usize,
    /// Run only the seeded sample `make test` runs.
    #[arg(long)]
    sample: Option<u64>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let options = Options::parse();
    let cases = match options.sample {
        Some(seed) => chaos::ci_matrix(seed).await,
        None => chaos::full_matrix().await,
    };
    let bar = ProgressBar::new(cases.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} cases, {elapsed} ({eta} left)")
            .expect("a valid template"),
    );
    let started = Instant::now();
    let progress = bar.clone();
    let outcomes = chaos::run_all(cases, options.jobs, move |_| progress.inc(1)).await;
    bar.finish_and_clear();
    let report = Report {
        outcomes: &outcomes,
    };
    println!("{}", report.render());
    println!(
        "{} cases in {:.0} s of real time, {} at a time",
        outcomes.len(),
        started.elapsed().as_secs_f64(),
        options.jobs
    );
    if report.broken().is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
