//! The clocks themselves: virtual time that moves only when told or when idle, and scaled
//! real time for demos.

use std::sync::Arc;
use std::time::Duration;

use gradual_asl::{Clock, ScaledClock, SystemClock, VirtualClock};
use tokio::time::timeout;

const SHORT: Duration = Duration::from_millis(50);

#[tokio::test]
async fn a_manual_clock_stands_still_until_advanced() {
    let clock = VirtualClock::manual();
    let sleep = clock.sleep(Duration::from_secs(10));
    assert!(timeout(SHORT, sleep).await.is_err());
    assert_eq!(clock.now(), VirtualClock::DEFAULT_START);

    let sleep = clock.sleep(Duration::from_secs(10));
    let start = clock.now();
    let advancing = clock.clone();
    tokio::join!(advancing.advance(Duration::from_secs(10)), async {
        drop(sleep.await)
    });
    assert_eq!(clock.now() - start, time::Duration::seconds(10));
}

#[tokio::test]
async fn zero_length_sleeps_complete_at_once_even_when_manual() {
    let clock = VirtualClock::manual();
    timeout(SHORT, clock.sleep(Duration::ZERO))
        .await
        .expect("no wait");
}

#[tokio::test]
async fn an_idle_world_jumps_as_soon_as_a_sleep_is_registered() {
    let clock = VirtualClock::auto_advancing();
    let sleep = clock.sleep(Duration::from_secs(300));
    assert_eq!(
        clock.now() - VirtualClock::DEFAULT_START,
        time::Duration::seconds(300)
    );
    drop(timeout(SHORT, sleep).await.expect("already woken"));
}

#[tokio::test]
async fn auto_advance_jumps_to_the_earliest_deadline_when_idle() {
    let clock = VirtualClock::auto_advancing();
    // Idle as the test is, time would jump as soon as the first sleep is registered.
    let setting_up = clock.hold();
    let late = clock.sleep(Duration::from_secs(300));
    let early = clock.sleep(Duration::from_secs(60));
    drop(setting_up);
    let woken = early.await;
    assert_eq!(
        clock.now() - VirtualClock::DEFAULT_START,
        time::Duration::seconds(60)
    );
    drop(woken);
    drop(late.await);
    assert_eq!(
        clock.now() - VirtualClock::DEFAULT_START,
        time::Duration::seconds(300)
    );
}

#[tokio::test]
async fn a_held_guard_keeps_time_still() {
    let clock = VirtualClock::auto_advancing();
    let hold = clock.hold();
    let sleep = clock.sleep(Duration::from_secs(60));
    tokio::pin!(sleep);
    assert!(timeout(SHORT, &mut sleep).await.is_err());
    assert_eq!(clock.now(), VirtualClock::DEFAULT_START);
    drop(hold);
    drop(timeout(SHORT, sleep).await.expect("time moves once idle"));
    assert_eq!(
        clock.now() - VirtualClock::DEFAULT_START,
        time::Duration::seconds(60)
    );
}

#[tokio::test]
async fn a_woken_sleeper_is_busy_until_it_drops_its_guard() {
    let clock = VirtualClock::auto_advancing();
    let setting_up = clock.hold();
    let first = clock.sleep(Duration::from_secs(10));
    let second = clock.sleep(Duration::from_secs(20));
    drop(setting_up);
    tokio::pin!(second);
    let woken = first.await;
    assert_eq!(clock.busy(), 1);
    assert!(timeout(SHORT, &mut second).await.is_err());
    assert_eq!(
        clock.now() - VirtualClock::DEFAULT_START,
        time::Duration::seconds(10)
    );
    drop(woken);
    drop(
        timeout(SHORT, second)
            .await
            .expect("moves on once the first is done"),
    );
    assert_eq!(
        clock.now() - VirtualClock::DEFAULT_START,
        time::Duration::seconds(20)
    );
}

#[tokio::test]
async fn advance_stops_at_each_deadline_on_the_way() {
    let clock = VirtualClock::manual();
    let stamps = Arc::new(std::sync::Mutex::new(Vec::new()));
    for seconds in [30u64, 10, 20] {
        let clock_for_task = clock.clone();
        let stamps = stamps.clone();
        let sleep = clock.sleep(Duration::from_secs(seconds));
        let busy = clock.hold();
        tokio::spawn(async move {
            drop(busy);
            let _woken = sleep.await;
            stamps.lock().unwrap().push(clock_for_task.now());
        });
    }
    clock.advance(Duration::from_secs(60)).await;
    let offsets: Vec<i64> = stamps
        .lock()
        .unwrap()
        .iter()
        .map(|at| (*at - VirtualClock::DEFAULT_START).whole_seconds())
        .collect();
    assert_eq!(offsets, vec![10, 20, 30]);
    assert_eq!(
        clock.now() - VirtualClock::DEFAULT_START,
        time::Duration::seconds(60)
    );
}

#[tokio::test]
async fn turning_auto_advance_on_while_idle_moves_time() {
    let clock = VirtualClock::manual();
    let sleep = clock.sleep(Duration::from_secs(5));
    clock.set_auto_advance(true);
    drop(timeout(SHORT, sleep).await.expect("woken"));
    assert_eq!(clock.next_deadline(), None);
}

#[tokio::test]
async fn a_scaled_clock_runs_faster_than_real_time() {
    let clock = ScaledClock::new(600.0);
    let start = clock.now();
    drop(clock.sleep(Duration::from_secs(60)).await);
    assert!(clock.now() - start >= time::Duration::seconds(60));
    assert_eq!(clock.scale(), 600.0);
}

#[tokio::test]
async fn the_system_clock_reads_real_time() {
    let before = time::OffsetDateTime::now_utc();
    let now = SystemClock.now();
    assert!(now >= before);
    drop(SystemClock.sleep(Duration::from_millis(1)).await);
}
