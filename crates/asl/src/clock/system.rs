use std::time::Duration;

use time::OffsetDateTime;

use super::{ActivityGuard, BoxFuture, Clock};

/// Real wall-clock time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ActivityGuard> {
        Box::pin(async move {
            tokio::time::sleep(duration).await;
            ActivityGuard::untracked()
        })
    }
}
