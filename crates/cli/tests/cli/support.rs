//! Running the command line in-process, and the local stack the `--local` runs share.

use gradual_cli::gateway::local::LocalSettings;
use gradual_cli::LocalStack;
use std::future::Future;
use std::sync::OnceLock;
use tokio::runtime::Runtime;

/// Fast enough that a five-minute canary bakes for half a second.
pub const TIME_SCALE: f64 = 600.0;
/// The table of the tests' local stack.
pub const LOCAL_TABLE: &str = "gradual-cli-tests";

/// What one run of the command line did.
#[derive(Debug)]
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// stdout as the one JSON document `--output json` promises.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not one JSON document ({error}): {self:?}"))
    }

    /// Asserts a failure with exit code `code` and a one-line reason containing every one of
    /// `fragments`.
    pub fn assert_refused(&self, code: i32, fragments: &[&str]) {
        assert_eq!(self.code, code, "{self:?}");
        assert_eq!(
            self.stderr.lines().count(),
            1,
            "one line of reason: {self:?}"
        );
        assert!(self.stderr.starts_with("gradual: "), "{self:?}");
        for fragment in fragments {
            assert!(self.stderr.contains(fragment), "{fragment:?} in {self:?}");
        }
    }
}

/// Runs `gradual <args>`.
pub async fn gradual(args: &[&str]) -> Ran {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let command = std::iter::once("gradual").chain(args.iter().copied());
    let code = gradual_cli::run(command, &mut stdout, &mut stderr).await;
    Ran {
        code,
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `gradual --local <args>` on the tests' local stack.
pub async fn gradual_local(args: &[&str]) -> Ran {
    let scale = TIME_SCALE.to_string();
    let mut local = vec![
        "--local",
        "--time-scale",
        &scale,
        "--local-table",
        LOCAL_TABLE,
    ];
    local.extend_from_slice(args);
    gradual(&local).await
}

/// The local stack `gradual_local` runs on, for setting up and checking.
pub async fn local_stack() -> &'static LocalStack {
    let settings = LocalSettings {
        time_scale: TIME_SCALE,
        table: LOCAL_TABLE.to_owned(),
    };
    LocalStack::shared(&settings)
        .await
        .expect("the local stack starts")
}

/// Runs `future` on the one runtime of this test binary: the local stack, its workflows and
/// its SDK clients live as long as the process, so they must not be tied to one test's runtime.
pub fn block_on<F: Future>(future: F) -> F::Output {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME
        .get_or_init(|| Runtime::new().expect("a Tokio runtime"))
        .block_on(future)
}

/// A file holding `content`, removed when dropped.
pub struct TempFile {
    pub path: std::path::PathBuf,
}

impl TempFile {
    pub fn new(name: &str, content: &str) -> TempFile {
        let path = std::env::temp_dir().join(gradual_emulator::unique_name(name));
        std::fs::write(&path, content).expect("write a temporary file");
        TempFile { path }
    }

    pub fn arg(&self) -> &str {
        self.path.to_str().expect("a UTF-8 temporary path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
