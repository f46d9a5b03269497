//! A target held in memory that follows the same drift and repeat rules as the AWS routers: for
//! tests of the orchestration, without an emulator.

use super::{Move, Moves, Progress, Share, TestMove, TrafficAction};
use crate::deployment::ErrorCode;
use crate::ports::{RouterError, TrafficRouter, TrafficState};
use async_trait::async_trait;
use std::sync::{Mutex, MutexGuard};

/// Refusals are reported like a Lambda alias's.
const CODE: ErrorCode = ErrorCode::InvalidLambdaConfiguration;

pub struct MemoryRouter {
    name: String,
    original: String,
    new: String,
    inner: Mutex<Inner>,
}

struct Inner {
    share: Share,
    /// `None` when the target has no test route.
    test_on_new: Option<bool>,
    writes: usize,
    failures: Vec<(TrafficAction, RouterError)>,
    restore_failure: Option<RouterError>,
    /// How many of the next reads still show the state before the last write.
    stale_reads: usize,
    /// The state before the last write, as stale reads show it.
    before_write: Option<(Share, Option<bool>)>,
    /// How many of the next writes someone else undoes at once.
    undone_writes: usize,
}

impl MemoryRouter {
    /// A target named `name`, with all traffic on `original` and no test route.
    pub fn new(name: &str, original: &str, new: &str) -> Self {
        MemoryRouter {
            name: name.to_string(),
            original: original.to_string(),
            new: new.to_string(),
            inner: Mutex::new(Inner {
                share: Share::percent(0),
                test_on_new: None,
                writes: 0,
                failures: Vec::new(),
                restore_failure: None,
                stale_reads: 0,
                before_write: None,
                undone_writes: 0,
            }),
        }
    }

    /// Gives the target a test route, carrying test traffic to the original.
    pub fn with_test_route(self) -> Self {
        self.lock().test_on_new = Some(false);
        self
    }

    /// How many times an action changed the target.
    pub fn writes(&self) -> usize {
        self.lock().writes
    }

    /// Production traffic on the new version, in percent.
    pub fn percent_on_new(&self) -> u8 {
        self.lock().share.rounded_percent()
    }

    /// Changes the target the way someone outside the deployment would.
    pub fn change_out_of_band(&self, percent_on_new: u8) {
        self.lock().share = Share::percent(percent_on_new);
    }

    /// Makes every later `action` fail with `error`, before anything is written.
    pub fn fail_on(&self, action: TrafficAction, error: RouterError) {
        self.lock().failures.push((action, error));
    }

    /// After the next write, the next `reads` reads still show the state before it, as a
    /// service that applies changes asynchronously would.
    pub fn lag_reads(&self, reads: usize) {
        self.lock().stale_reads = reads;
    }

    /// Someone else undoes each of the next `writes` writes as soon as it is made.
    pub fn undo_writes(&self, writes: usize) {
        self.lock().undone_writes = writes;
    }

    /// Makes every later restore fail with `error`.
    pub fn fail_restores(&self, error: RouterError) {
        self.lock().restore_failure = Some(error);
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn injected(&self, action: TrafficAction) -> Result<(), RouterError> {
        let inner = self.lock();
        match inner
            .failures
            .iter()
            .find(|(failing, _)| *failing == action)
        {
            Some((_, error)) => Err(error.clone()),
            None => Ok(()),
        }
    }

    fn state(&self, inner: &Inner) -> TrafficState {
        TrafficState::new(inner.share, &self.original, &self.new, inner.test_on_new)
    }

    fn drift(&self, found: String, expected: String) -> RouterError {
        RouterError::Drift {
            code: CODE,
            resource: self.name.clone(),
            found,
            expected,
        }
    }

    /// Checks both moves before changing anything, then applies those still needed.
    fn apply_moves(
        &self,
        production: Option<Move>,
        test: Option<TestMove>,
    ) -> Result<TrafficState, RouterError> {
        let mut inner = self.lock();
        let production_progress = match production {
            Some(production) => Some(production.check(inner.share, &self.new).map_err(
                |expected| {
                    production.refused(
                        CODE,
                        self.name.clone(),
                        inner.share,
                        format!("has {}", inner.share),
                        expected,
                    )
                },
            )?),
            None => None,
        };
        let test_progress = match (test, inner.test_on_new) {
            (Some(test), Some(current)) => Some(test.check(current).map_err(|expected| {
                self.drift(
                    format!("sends test traffic to the {}", side(current)),
                    format!("test traffic on the {}", side(expected)),
                )
            })?),
            _ => None,
        };
        let before = (inner.share, inner.test_on_new);
        if let (Some(Progress::Needed), Some(production)) = (production_progress, production) {
            inner.share = Share::percent(production.percent());
            inner.writes += 1;
        }
        if let (Some(Progress::Needed), Some(test)) = (test_progress, test) {
            inner.test_on_new = Some(test.on_new());
            inner.writes += 1;
        }
        let written = self.state(&inner);
        if (inner.share, inner.test_on_new) != before {
            inner.before_write = Some(before);
            if inner.undone_writes > 0 {
                inner.undone_writes -= 1;
                (inner.share, inner.test_on_new) = before;
            }
        }
        Ok(written)
    }
}

fn side(on_new: bool) -> &'static str {
    if on_new {
        "new version"
    } else {
        "original"
    }
}

#[async_trait]
impl TrafficRouter for MemoryRouter {
    fn describe(&self) -> String {
        self.name.clone()
    }

    fn resource(&self) -> String {
        self.name.clone()
    }

    async fn observe(&self) -> Result<TrafficState, RouterError> {
        self.injected(TrafficAction::Observe)?;
        let mut inner = self.lock();
        if let (true, Some((share, test_on_new))) = (inner.stale_reads > 0, inner.before_write) {
            inner.stale_reads -= 1;
            return Ok(TrafficState::new(
                share,
                &self.original,
                &self.new,
                test_on_new,
            ));
        }
        Ok(self.state(&inner))
    }

    async fn preflight(&self) -> Result<(), RouterError> {
        Ok(())
    }

    async fn apply(&self, moves: &Moves) -> Result<TrafficState, RouterError> {
        match moves.action {
            Some(action) => self.injected(action)?,
            None => {
                if let Some(error) = self.lock().restore_failure.clone() {
                    return Err(error);
                }
            }
        }
        self.apply_moves(moves.production, moves.test)
    }
}
