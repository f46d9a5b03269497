//! What the functions log, captured for tests that check what must never be logged: the
//! records a function writes in AWS at its most verbose setting.
//!
//! One process-wide subscriber takes every event at every level on a capturing thread, and
//! writes it as the functions' JSON lines to that thread's capture. It decides per event, never
//! per callsite, so no callsite can be cached as never logging: with a subscriber per test
//! thread, a callsite first reached by a test on another thread could be, and the capturing test
//! lost its events.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, Once};
use tracing::subscriber::Interest;
use tracing_subscriber::filter::{DynFilterFn, LevelFilter};
use tracing_subscriber::layer::Filter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;
use tracing_subscriber::Registry;

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

/// Installs the process-wide subscriber, once, before the first test world logs anything.
pub(super) fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Decided per event (never per callsite: a callsite's interest is cached for all
        // threads), so that threads that are not capturing format nothing.
        // What a function logs in AWS at its most verbose setting (TRACE): every record of
        // gradual's crates, the SDK's and HTTP crates' at INFO at most.
        let as_in_lambda = gradual_lambda::record_filter(LevelFilter::TRACE);
        let capturing = DynFilterFn::new(move |metadata, context| {
            CAPTURING.with(|capturing| capturing.borrow().is_some())
                && Filter::<Registry>::enabled(&as_in_lambda, metadata, context)
        })
        .with_callsite_filter(|_| Interest::sometimes());
        let json = tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_writer(ThisThread)
            .with_filter(capturing);
        // Another subscriber already installed for the process would leave nothing to capture:
        // the assertions on the captured text then fail rather than pass.
        let _ = tracing_subscriber::registry().with(json).try_init();
    });
    // A callsite reached while the subscriber was being installed may have cached the state of
    // the world before it: asking every callsite again settles it.
    tracing::callsite::rebuild_interest_cache();
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
