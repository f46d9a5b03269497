//! `gradual`: everything happens in the library's `run`.

#[tokio::main]
async fn main() {
    let code = gradual_cli::run(
        std::env::args_os(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    )
    .await;
    std::process::exit(code);
}
