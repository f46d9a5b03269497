//! What the functions log, captured for tests that check what must never be logged.
//!
//! One process-wide subscriber formats every event, at every level, as the functions' JSON lines,
//! but only on a thread that is capturing; elsewhere it is off. Its filter is decided per event,
//! so no callsite ever caches "never logs": a thread-local subscriber per test would race with
//! tests on other threads that reach the same callsites first, and lose events.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, Once};
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

thread_local! {
    static CAPTURING: RefCell<Option<CapturedLogs>> = const { RefCell::new(None) };
}

/// Everything logged on this thread while the guard lives, as JSON lines at every level, the
/// way the functions log in AWS. A current-thread test runs the whole local world on its thread.
pub fn capture_logs() -> (CapturedLogs, CaptureGuard) {
    install();
    let logs = CapturedLogs::default();
    CAPTURING.with(|capturing| *capturing.borrow_mut() = Some(logs.clone()));
    (logs, CaptureGuard(()))
}

/// Stops the capture on this thread when dropped.
pub struct CaptureGuard(());

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        CAPTURING.with(|capturing| *capturing.borrow_mut() = None);
    }
}

fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let json = tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_writer(ThisThread)
            .with_filter(filter_fn(|_| {
                CAPTURING.with(|capturing| capturing.borrow().is_some())
            }));
        // Another subscriber already installed for the process would leave nothing to capture:
        // the assertions on the captured text then fail rather than pass.
        let _ = tracing_subscriber::registry().with(json).try_init();
    });
}

#[derive(Clone, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    pub fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl std::io::Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes to the capture of the thread the event was logged on.
struct ThisThread;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for ThisThread {
    type Writer = Box<dyn std::io::Write>;

    fn make_writer(&'a self) -> Self::Writer {
        match CAPTURING.with(|capturing| capturing.borrow().clone()) {
            Some(logs) => Box::new(logs),
            None => Box::new(std::io::sink()),
        }
    }
}
