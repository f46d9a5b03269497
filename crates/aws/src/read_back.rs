//! How long the routers of AWS services wait before reading a write back again: Lambda and
//! Elastic Load Balancing apply alias and listener changes asynchronously, usually within a
//! second. The waits grow (0.2 s, 0.4 s, …), so the reads of one step span about two seconds.

use std::time::Duration;

/// The wait before the `attempt`th read-back (1, 2, …).
pub async fn pause(attempt: u32) {
    tokio::time::sleep(Duration::from_millis(200) * attempt).await;
}
