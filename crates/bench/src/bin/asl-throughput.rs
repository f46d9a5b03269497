//! Measures how fast the local executor moves through states: machines of N no-op Pass
//! states, N Task states on an in-process no-op function, and both mixed, run several
//! times; prints the median state transitions per second. It reports figures only.
//!
//! Usage: asl-throughput [--states N] [--runs R] [--concurrent C]

use gradual_bench::throughput::{report, Settings};

fn parse_options() -> Result<Settings, String> {
    let mut settings = Settings::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?
            .parse::<usize>()
            .map_err(|e| format!("{flag}: {e}"))?;
        match flag.as_str() {
            "--states" => settings.states = value.max(1),
            "--runs" => settings.runs = value.max(1),
            "--concurrent" => settings.concurrent = value.max(1),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(settings)
}

#[tokio::main]
async fn main() {
    let settings = match parse_options() {
        Ok(settings) => settings,
        Err(problem) => {
            eprintln!("asl-throughput: {problem}\nusage: asl-throughput [--states N] [--runs R] [--concurrent C]");
            std::process::exit(2);
        }
    };
    print!("asl-throughput: ");
    report(settings).await;
}
