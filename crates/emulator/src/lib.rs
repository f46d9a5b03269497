//! The local AWS emulator: moto, run by `scripts/emulator.py` from the project's `.venv`, on a
//! free loopback port. Tests and the demo reach it through the SDK's normal endpoint override,
//! exactly as they would reach AWS; like AWS, it checks every request's IAM action.
//!
//! One emulator serves a whole process: [`Emulator::shared`] starts it on first use (or adopts
//! the one named by `GRADUAL_EMULATOR_ENDPOINT`), and it stops when the process exits. Tests stay
//! isolated by naming their resources with [`unique_name`].

pub mod sample;

use aws_credential_types::Credentials;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// Set this to use an emulator that is already running instead of starting one.
pub const ENDPOINT_VARIABLE: &str = "GRADUAL_EMULATOR_ENDPOINT";
/// The region every emulated resource lives in.
pub const REGION: &str = "us-east-1";
/// moto's default account.
pub const ACCOUNT_ID: &str = "123456789012";
/// The emulator enforces IAM (`scripts/emulator.py`): its one administrator, who sets up what
/// tests and demos need, signs with these keys (`scripts/emulator_admin.py` holds them too). gradual's functions run as their own users.
pub const ADMIN_ACCESS_KEY_ID: &str = "AKIAGRADUALADMIN0000";
pub const ADMIN_SECRET_ACCESS_KEY: &str = "gradual-emulator-administrator-secret-key";

#[derive(Debug)]
pub struct Emulator {
    endpoint: String,
}

static SHARED: OnceCell<Emulator> = OnceCell::const_new();

impl Emulator {
    /// The process-wide emulator, started on first use.
    pub async fn shared() -> &'static Emulator {
        SHARED
            .get_or_init(|| async {
                let endpoint = match std::env::var(ENDPOINT_VARIABLE) {
                    Ok(endpoint) if !endpoint.is_empty() => endpoint,
                    _ => tokio::task::spawn_blocking(start_for_this_process)
                        .await
                        .expect("the emulator start-up task panicked"),
                };
                Emulator { endpoint }
            })
            .await
    }

    /// The emulator's base URL, e.g. `http://127.0.0.1:40123`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Runs `scripts/emulator_fixtures.py <args>` against this emulator: the sample resources
    /// gradual never touches itself (a VPC, instances, a role). Returns the JSON it prints.
    pub async fn fixture(&self, args: &[&str]) -> serde_json::Value {
        self.script(
            "emulator_fixtures.py",
            &[&["--endpoint", &self.endpoint], args].concat(),
        )
        .await
    }

    /// Runs `scripts/<script> <args>` with the project's Python; returns the JSON it prints.
    pub async fn script(&self, script: &str, args: &[&str]) -> serde_json::Value {
        let root = project_root();
        let output = tokio::process::Command::new(root.join(".venv/bin/python"))
            .arg(root.join("scripts").join(script))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .await
            .unwrap_or_else(|error| panic!("run {script} {args:?}: {error}"));
        assert!(
            output.status.success(),
            "{script} {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|error| panic!("{script} {args:?} printed no JSON document: {error}"))
    }

    /// SDK configuration pointing every service at the emulator, as its administrator.
    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        self.sdk_config_as(Credentials::new(
            ADMIN_ACCESS_KEY_ID,
            ADMIN_SECRET_ACCESS_KEY,
            None,
            None,
            "gradual-emulator-administrator",
        ))
        .await
    }

    /// SDK configuration pointing every service at the emulator, signing with `credentials`.
    pub async fn sdk_config_as(&self, credentials: Credentials) -> aws_config::SdkConfig {
        // The SDK crates come without a default HTTP client (see the workspace manifest).
        let http_client = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(http_client)
            .region(aws_config::Region::new(REGION))
            .endpoint_url(&self.endpoint)
            .credentials_provider(credentials)
            .load()
            .await
    }
}

/// A name no other test in this run uses: `prefix-<random>`, within AWS's usual name rules.
pub fn unique_name(prefix: &str) -> String {
    let suffix: u64 = rand::random();
    format!("{prefix}-{suffix:016x}")
}

/// Where the project's files live: the emulator crate sits at `crates/emulator`.
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Starts the emulator as a child that dies with this process, and waits until it answers.
fn start_for_this_process() -> String {
    let root = project_root();
    let python = root.join(".venv/bin/python");
    assert!(
        python.exists(),
        "the emulator is not installed: run `scripts/bootstrap-venv.sh` (or `make test`) first; \
         looked for {}",
        python.display()
    );
    let port = free_loopback_port();
    // The watchdog shell stops the emulator once this process is gone, however it ends.
    let watchdog = format!(
        "\"$0\" \"$1\" --port {port} >/dev/null 2>&1 & child=$!; \
         while kill -0 {parent} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.5; done; \
         kill $child 2>/dev/null",
        parent = std::process::id()
    );
    let mut watchdog = Command::new("sh")
        .arg("-c")
        .arg(watchdog)
        .arg(&python)
        .arg(root.join("scripts/emulator.py"))
        .stdin(Stdio::null())
        .spawn()
        .expect("could not start the emulator");
    // Reap the watchdog when it ends, so it never lingers as a zombie.
    std::thread::spawn(move || watchdog.wait());
    let endpoint = format!("http://127.0.0.1:{port}");
    wait_until_ready(port);
    endpoint
}

fn free_loopback_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("no free loopback port")
}

fn wait_until_ready(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the emulator did not listen on port {port} within 60 s");
}
