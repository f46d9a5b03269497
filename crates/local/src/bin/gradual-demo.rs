//! `make demo`: full deployments offline, on the local AWS emulator.

use clap::Parser;

/// Runs three deployments (canary, blue/green, automatic rollback) on the local emulator.
#[derive(Parser)]
struct Options {
    /// How much faster than real time the world runs: 60 turns a minute into a second.
    #[arg(long, default_value_t = 60.0)]
    time_scale: f64,
}

#[tokio::main]
async fn main() {
    let options = Options::parse();
    if let Err(failures) = gradual_local::demo::run(options.time_scale).await {
        eprintln!(
            "\n{} outcome(s) differed from the expected ones:",
            failures.len()
        );
        for failure in &failures {
            eprintln!("- {failure}");
        }
        std::process::exit(1);
    }
}
