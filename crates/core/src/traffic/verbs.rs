//! The verb table: what each [`TrafficAction`] asks of one target, as data every router reads
//! (cf. Argo Rollouts' canary steps), and the actions built on the router port's three calls,
//! `observe`, `preflight` and `apply`.
//!
//! | action             | production move     | test route move       | green's health first |
//! |--------------------|---------------------|-----------------------|----------------------|
//! | observe            | — (reads)           | —                     | no                   |
//! | start (preflight)  | stays at 0 %        | stays on the original | no                   |
//! | shift `p` (1–99)   | up to `p`           | —                     | yes                  |
//! | allow test traffic | —                   | to the new version    | yes                  |
//! | finish             | up to 100 %         | —                     | yes                  |
//! | rollback           | back to 0 %         | to the original       | no                   |
//! | verify `p`         | exactly `p` (reads) | —                     | no                   |
//! | restore `f` → `t`  | from `f` to `t`     | from `f` to `t`       | no                   |

use super::{Move, TestMove, TrafficAction};
use crate::ports::{RouterError, TrafficRouter, TrafficState};
use async_trait::async_trait;

/// What one action moves on one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moves {
    /// The action carried out; `None` for a restore (undoing one step of a lockstep move).
    pub action: Option<TrafficAction>,
    pub production: Option<Move>,
    /// Ignored by a target without a test route that it leaves on the original.
    pub test: Option<TestMove>,
    /// Whether the moves send more traffic to the new version, whose health is checked first.
    pub advances: bool,
}

impl Moves {
    /// Undoes one step: from where it put the target (`from`) back to where it stood (`to`).
    pub fn restore(from: &TrafficState, to: &TrafficState) -> Moves {
        let test = match (from.test_traffic_on_new, to.test_traffic_on_new) {
            (Some(from), Some(to)) => Some(TestMove::restore(from, to)),
            _ => None,
        };
        Moves {
            action: None,
            production: Some(Move::restore(from.percent_on_new, to.percent_on_new)),
            test,
            advances: false,
        }
    }

    /// Whether `state` shows the moves done: production exactly at the requested share (with
    /// nothing left split at 0 % and 100 %), test traffic on the requested side.
    pub fn reached(&self, state: &TrafficState) -> bool {
        let production = self.production.is_none_or(|production| {
            let percent = production.percent();
            state.percent_on_new == percent && (!matches!(percent, 0 | 100) || state.live.is_some())
        });
        let test = match (self.test, state.test_traffic_on_new) {
            (Some(test), Some(on_new)) => test.on_new() == on_new,
            _ => true,
        };
        production && test
    }

    /// What the moves write, for errors: "100 % on the new version, test traffic on the original".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(production) = self.production {
            parts.push(format!("{} % on the new version", production.percent()));
        }
        if let Some(test) = self.test {
            let side = if test.on_new() {
                "new version"
            } else {
                "original"
            };
            parts.push(format!("test traffic on the {side}"));
        }
        parts.join(", ")
    }

    /// Whether the moves send test traffic to the new version.
    pub fn sends_test_traffic_to_new(&self) -> bool {
        self.test.is_some_and(|test| test.on_new())
    }
}

/// Why an action has no moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoMoves {
    /// The action only reads the target.
    ReadOnly,
    /// A shift outside 1–99 % (finishing puts 100 %, rolling back 0 %).
    PercentOutOfRange(u8),
}

impl TrafficAction {
    /// The row of the verb table for this action.
    pub fn moves(self) -> Result<Moves, NoMoves> {
        let moves = |production, test, advances| Moves {
            action: Some(self),
            production,
            test,
            advances,
        };
        Ok(match self {
            TrafficAction::Observe => return Err(NoMoves::ReadOnly),
            TrafficAction::Start => moves(
                Some(Move::start()),
                Some(TestMove::restore(false, false)),
                false,
            ),
            TrafficAction::Shift(percent) => {
                let shift = Move::shift(percent).ok_or(NoMoves::PercentOutOfRange(percent))?;
                moves(Some(shift), None, true)
            }
            TrafficAction::AllowTestTraffic => moves(None, Some(TestMove::to(true)), true),
            TrafficAction::Finish => moves(Some(Move::finish()), None, true),
            TrafficAction::Rollback => {
                moves(Some(Move::rollback()), Some(TestMove::to(false)), false)
            }
            TrafficAction::Verify(percent) => moves(Some(Move::verify(percent)), None, false),
        })
    }

    /// Carries the action out on `router`: its preconditions first when it starts a
    /// deployment, then its moves (or a read).
    pub async fn perform<R: TrafficRouter + ?Sized>(
        self,
        router: &R,
    ) -> Result<TrafficState, RouterError> {
        let moves = match self.moves() {
            Ok(moves) => moves,
            Err(NoMoves::ReadOnly) => return router.observe().await,
            Err(NoMoves::PercentOutOfRange(percent)) => {
                return Err(RouterError::PercentOutOfRange {
                    resource: router.resource(),
                    percent,
                })
            }
        };
        if self == TrafficAction::Start {
            router.preflight().await?;
        }
        apply_and_read_back(router, &moves).await
    }
}

/// How many times a write is read back before the step gives up on it.
pub const READ_BACKS: u32 = 5;

/// Applies `moves`, then reads the target back until it shows them (Argo Rollouts verifies
/// ALB weights the same way): services apply changes asynchronously, and another actor may
/// undo a write. A check that writes nothing (verify) is not read twice.
pub async fn apply_and_read_back<R: TrafficRouter + ?Sized>(
    router: &R,
    moves: &Moves,
) -> Result<TrafficState, RouterError> {
    let applied = router.apply(moves).await?;
    if moves
        .action
        .is_some_and(|action| matches!(action, TrafficAction::Verify(_)))
    {
        return Ok(applied);
    }
    let mut read = applied;
    for attempt in 1..=READ_BACKS {
        if attempt > 1 {
            router.pause_before_read_back(attempt - 1).await;
        }
        read = router.observe().await?;
        if moves.reached(&read) {
            return Ok(read);
        }
    }
    Err(RouterError::NotApplied {
        resource: router.resource(),
        written: moves.describe(),
        read: describe_state(&read),
        reads: READ_BACKS,
    })
}

fn describe_state(state: &TrafficState) -> String {
    let mut text = format!("{} % on the new version", state.percent_on_new);
    if let Some(on_new) = state.test_traffic_on_new {
        let side = if on_new { "new version" } else { "original" };
        text.push_str(&format!(", test traffic on the {side}"));
    }
    text
}

/// Every action as a method of any router, for callers that move one target.
#[async_trait]
pub trait RouterActions {
    /// Checks that a deployment can begin: the target exists, both versions exist, and all
    /// production traffic is on the original. Writes nothing.
    async fn start(&self) -> Result<TrafficState, RouterError>;
    /// Puts `percent` (1 to 99) of production traffic on the new version.
    async fn shift(&self, percent: u8) -> Result<TrafficState, RouterError>;
    /// Sends all test traffic to the new version (ALB test listener). A target without test
    /// traffic either does nothing (an ALB without a test listener) or refuses (a Lambda alias).
    async fn allow_test_traffic(&self) -> Result<TrafficState, RouterError>;
    /// Puts all production traffic on the new version, with no split left behind.
    async fn finish(&self) -> Result<TrafficState, RouterError>;
    /// Puts all traffic, production and test, back on the original, with no split left behind.
    async fn rollback(&self) -> Result<TrafficState, RouterError>;
    /// Puts the target back to `to` provided it still stands at `from`.
    async fn restore(
        &self,
        from: &TrafficState,
        to: &TrafficState,
    ) -> Result<TrafficState, RouterError>;
    /// Re-reads the target and checks that exactly `expected_percent` of production traffic is
    /// on the new version.
    async fn verify(&self, expected_percent: u8) -> Result<TrafficState, RouterError>;
}

#[async_trait]
impl<R: TrafficRouter + ?Sized> RouterActions for R {
    async fn start(&self) -> Result<TrafficState, RouterError> {
        TrafficAction::Start.perform(self).await
    }

    async fn shift(&self, percent: u8) -> Result<TrafficState, RouterError> {
        TrafficAction::Shift(percent).perform(self).await
    }

    async fn allow_test_traffic(&self) -> Result<TrafficState, RouterError> {
        TrafficAction::AllowTestTraffic.perform(self).await
    }

    async fn finish(&self) -> Result<TrafficState, RouterError> {
        TrafficAction::Finish.perform(self).await
    }

    async fn rollback(&self) -> Result<TrafficState, RouterError> {
        TrafficAction::Rollback.perform(self).await
    }

    async fn restore(
        &self,
        from: &TrafficState,
        to: &TrafficState,
    ) -> Result<TrafficState, RouterError> {
        apply_and_read_back(self, &Moves::restore(from, to)).await
    }

    async fn verify(&self, expected_percent: u8) -> Result<TrafficState, RouterError> {
        TrafficAction::Verify(expected_percent).perform(self).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_moves_toward_the_new_version_check_its_health() {
        let advancing: Vec<TrafficAction> = [
            TrafficAction::Start,
            TrafficAction::Shift(10),
            TrafficAction::AllowTestTraffic,
            TrafficAction::Finish,
            TrafficAction::Rollback,
            TrafficAction::Verify(10),
        ]
        .into_iter()
        .filter(|action| action.moves().unwrap().advances)
        .collect();
        assert_eq!(
            advancing,
            [
                TrafficAction::Shift(10),
                TrafficAction::AllowTestTraffic,
                TrafficAction::Finish
            ]
        );
    }

    #[test]
    fn a_shift_outside_a_split_and_a_read_have_no_moves() {
        for percent in [0, 100, 101] {
            assert_eq!(
                TrafficAction::Shift(percent).moves(),
                Err(NoMoves::PercentOutOfRange(percent))
            );
        }
        assert_eq!(TrafficAction::Observe.moves(), Err(NoMoves::ReadOnly));
    }

    #[test]
    fn only_allowing_test_traffic_sends_it_to_the_new_version() {
        let to_new: Vec<TrafficAction> = [
            TrafficAction::Start,
            TrafficAction::AllowTestTraffic,
            TrafficAction::Rollback,
        ]
        .into_iter()
        .filter(|action| action.moves().unwrap().sends_test_traffic_to_new())
        .collect();
        assert_eq!(to_new, [TrafficAction::AllowTestTraffic]);
    }
}
