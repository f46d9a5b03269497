//! Which production shares each action may start from: the drift and repeat rules every
//! router applies (see the table in [`crate::traffic`]).

use super::Share;
use crate::deployment::ErrorCode;
use crate::ports::RouterError;
use std::cmp::Ordering;

/// A move of production traffic: the share it asks for and the shares it may start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    to: u8,
    from: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// No share but the requested one: the move only checks (verify).
    Nowhere,
    /// Any share short of the requested one.
    Below,
    /// Any share at all.
    Anywhere,
    /// Exactly this percent.
    Exactly(u8),
}

/// What a move still has to do, given the current share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The requested share is already in place: a repeat, nothing to write.
    Done,
    /// The move starts from an expected share and must be written.
    Needed,
}

impl Move {
    /// A deployment begins with all production traffic on the original.
    pub fn start() -> Move {
        Move {
            to: 0,
            from: Origin::Exactly(0),
        }
    }

    /// `percent` (1 to 99) on the new version, from any smaller share; `None` out of range.
    pub fn shift(percent: u8) -> Option<Move> {
        (1..=99).contains(&percent).then_some(Move {
            to: percent,
            from: Origin::Below,
        })
    }

    /// All traffic on the new version, from any share.
    pub fn finish() -> Move {
        Move {
            to: 100,
            from: Origin::Below,
        }
    }

    /// All traffic on the original, from any share.
    pub fn rollback() -> Move {
        Move {
            to: 0,
            from: Origin::Anywhere,
        }
    }

    /// Back to `to` percent, only from exactly `from` percent.
    pub fn restore(from: u8, to: u8) -> Move {
        Move {
            to: to.min(100),
            from: Origin::Exactly(from.min(100)),
        }
    }

    /// Exactly `percent` already on the new version: a check that never writes.
    pub fn verify(percent: u8) -> Move {
        Move {
            to: percent.min(100),
            from: Origin::Nowhere,
        }
    }

    /// The percent on the new version this move asks for.
    pub fn percent(&self) -> u8 {
        self.to
    }

    /// The error of a target found at `share` (`found` describes it) where this move cannot
    /// start, `expected` being what [`Move::check`] answered: a verify reports the share it
    /// found, any other move reports drift.
    pub fn refused(
        &self,
        code: ErrorCode,
        resource: String,
        share: Share,
        found: String,
        expected: String,
    ) -> RouterError {
        match self.from {
            Origin::Nowhere => RouterError::NotAsExpected {
                code,
                resource,
                found: share,
                expected_percent: self.to,
            },
            _ => RouterError::Drift {
                code,
                resource,
                found,
                expected,
            },
        }
    }

    /// Whether the move is done, needed, or starts from a share it does not expect; the error
    /// describes the expected shares, naming the new version `new`.
    pub fn check(&self, current: Share, new: &str) -> Result<Progress, String> {
        if current.is_percent(self.to) {
            return Ok(Progress::Done);
        }
        let expected = match self.from {
            Origin::Nowhere => on_new(self.to, new),
            Origin::Anywhere => return Ok(Progress::Needed),
            Origin::Below if current.cmp_percent(self.to) == Ordering::Less => {
                return Ok(Progress::Needed)
            }
            Origin::Exactly(from) if current.is_percent(from) => return Ok(Progress::Needed),
            Origin::Below => format!("at most {}", on_new(self.to, new)),
            Origin::Exactly(from) if from == self.to => on_new(from, new),
            Origin::Exactly(from) => format!("{} or {}", on_new(from, new), on_new(self.to, new)),
        };
        Err(expected)
    }
}

/// A move of test traffic (ALB test listener), which goes all to one side: `true` for the new
/// version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestMove {
    to: bool,
    /// `None`: from either side.
    from: Option<bool>,
}

impl TestMove {
    /// Test traffic to the new version (AllowTestTraffic), or back to the original (rollback).
    pub fn to(on_new: bool) -> TestMove {
        TestMove {
            to: on_new,
            from: None,
        }
    }

    /// Back to `to`, only from `from`.
    pub fn restore(from: bool, to: bool) -> TestMove {
        TestMove {
            to,
            from: Some(from),
        }
    }

    pub fn on_new(&self) -> bool {
        self.to
    }

    /// Whether the move is done or needed; the error is the side test traffic was expected on.
    pub fn check(&self, current_on_new: bool) -> Result<Progress, bool> {
        if current_on_new == self.to {
            Ok(Progress::Done)
        } else if self.from.is_none_or(|from| from == current_on_new) {
            Ok(Progress::Needed)
        } else {
            Err(self.to)
        }
    }
}

/// "no traffic on 2", "10 % on 2", "all traffic on 2".
pub fn on_new(percent: u8, new: &str) -> String {
    match percent {
        0 => format!("no traffic on {new}"),
        100.. => format!("all traffic on {new}"),
        _ => format!("{percent} % on {new}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(percent: u8) -> Share {
        Share::percent(percent)
    }

    #[test]
    fn start_expects_everything_on_the_original() {
        assert_eq!(Move::start().check(at(0), "v2"), Ok(Progress::Done));
        assert_eq!(
            Move::start().check(at(10), "v2"),
            Err("no traffic on v2".to_string())
        );
    }

    #[test]
    fn a_shift_moves_forward_repeats_quietly_and_never_moves_back() {
        let shift = Move::shift(20).unwrap();
        assert_eq!(shift.check(at(0), "v2"), Ok(Progress::Needed));
        assert_eq!(shift.check(at(10), "v2"), Ok(Progress::Needed));
        assert_eq!(shift.check(at(20), "v2"), Ok(Progress::Done));
        assert_eq!(
            shift.check(at(30), "v2"),
            Err("at most 20 % on v2".to_string())
        );
        assert_eq!(
            shift.check(at(100), "v2"),
            Err("at most 20 % on v2".to_string())
        );
    }

    #[test]
    fn a_shift_takes_only_a_split() {
        assert_eq!(Move::shift(0), None);
        assert_eq!(Move::shift(100), None);
        assert_eq!(Move::shift(101), None);
        assert_eq!(Move::shift(1).map(|m| m.percent()), Some(1));
        assert_eq!(Move::shift(99).map(|m| m.percent()), Some(99));
    }

    #[test]
    fn finish_and_rollback_start_from_any_share() {
        for percent in [0, 1, 50, 99] {
            assert_eq!(
                Move::finish().check(at(percent), "v2"),
                Ok(Progress::Needed)
            );
        }
        assert_eq!(Move::finish().check(at(100), "v2"), Ok(Progress::Done));
        for percent in [1, 50, 100] {
            assert_eq!(
                Move::rollback().check(at(percent), "v2"),
                Ok(Progress::Needed)
            );
        }
        assert_eq!(Move::rollback().check(at(0), "v2"), Ok(Progress::Done));
    }

    #[test]
    fn a_restore_starts_only_from_what_was_set() {
        let restore = Move::restore(20, 10);
        assert_eq!(restore.check(at(20), "v2"), Ok(Progress::Needed));
        assert_eq!(restore.check(at(10), "v2"), Ok(Progress::Done));
        assert_eq!(
            restore.check(at(30), "v2"),
            Err("20 % on v2 or 10 % on v2".to_string())
        );
    }

    #[test]
    fn test_traffic_moves_from_either_side_but_restores_only_from_what_was_set() {
        assert_eq!(TestMove::to(true).check(false), Ok(Progress::Needed));
        assert_eq!(TestMove::to(true).check(true), Ok(Progress::Done));
        assert_eq!(TestMove::to(false).check(true), Ok(Progress::Needed));
        assert_eq!(
            TestMove::restore(true, false).check(true),
            Ok(Progress::Needed)
        );
        assert_eq!(TestMove::restore(false, false).check(true), Err(false));
    }

    #[test]
    fn a_verify_never_writes_and_reports_what_it_found() {
        let verify = Move::verify(20);
        assert_eq!(verify.check(at(20), "v2"), Ok(Progress::Done));
        assert_eq!(verify.check(at(10), "v2"), Err("20 % on v2".to_string()));
        let error = verify.refused(
            ErrorCode::InvalidLambdaConfiguration,
            "alias f:live".into(),
            at(10),
            "routes 10 %".into(),
            "20 % on v2".into(),
        );
        assert!(matches!(
            error,
            RouterError::NotAsExpected {
                expected_percent: 20,
                ..
            }
        ));
        let drift = Move::finish().refused(
            ErrorCode::InvalidLambdaConfiguration,
            "alias f:live".into(),
            at(10),
            "routes 10 %".into(),
            "all traffic on v2".into(),
        );
        assert!(matches!(drift, RouterError::Drift { .. }));
    }

    #[test]
    fn fractional_shares_are_compared_exactly() {
        let third = Share::new(1, 3).unwrap();
        assert_eq!(
            Move::shift(33).unwrap().check(third, "v2"),
            Err("at most 33 % on v2".to_string())
        );
        assert_eq!(
            Move::shift(34).unwrap().check(third, "v2"),
            Ok(Progress::Needed)
        );
        assert!(Move::restore(33, 0).check(third, "v2").is_err());
    }
}
