use std::time::{Duration, Instant};

use time::OffsetDateTime;

use super::{ActivityGuard, BoxFuture, Clock};

/// Real time sped up by a constant factor, for demos: with a scale of 60 a minute on this
/// clock lasts a second of real time. It starts at the real current time and `now()` and
/// sleeps agree with each other.
#[derive(Debug, Clone)]
pub struct ScaledClock {
    scale: f64,
    started_real: Instant,
    started_at: OffsetDateTime,
}

impl ScaledClock {
    /// A clock running `scale` times faster than real time.
    ///
    /// # Panics
    /// If `scale` is not a finite number greater than zero.
    pub fn new(scale: f64) -> Self {
        assert!(
            scale.is_finite() && scale > 0.0,
            "a clock's time scale must be a positive number, got {scale}"
        );
        Self {
            scale,
            started_real: Instant::now(),
            started_at: OffsetDateTime::now_utc(),
        }
    }

    /// How many times faster than real time this clock runs.
    pub fn scale(&self) -> f64 {
        self.scale
    }
}

impl Clock for ScaledClock {
    fn now(&self) -> OffsetDateTime {
        let elapsed = self.started_real.elapsed().mul_f64(self.scale);
        self.started_at + elapsed
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ActivityGuard> {
        let real = duration.div_f64(self.scale);
        Box::pin(async move {
            tokio::time::sleep(real).await;
            ActivityGuard::untracked()
        })
    }
}
