//! The handlers' clock port, read from the local world's clock, so that records carry virtual
//! or scaled time consistently with the executor.

use gradual_asl::Clock;
use std::sync::Arc;
use time::OffsetDateTime;

pub struct WorldClock(pub Arc<dyn Clock>);

impl gradual_core::ports::Clock for WorldClock {
    fn now(&self) -> OffsetDateTime {
        self.0.now()
    }
}
