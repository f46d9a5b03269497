//! Short human spellings of bake times, as the `plan` output and error messages show them.

use std::time::Duration;

/// Spells a duration with whole days, hours, minutes and seconds, largest first, skipping
/// zero parts: `90 s` is `1m30s`, `48 h` is `2d`, zero is `0s`. Sub-second parts are dropped
/// because schedules only ever hold whole seconds.
pub fn short_duration(duration: Duration) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")];
    let mut remaining = duration.as_secs();
    if remaining == 0 {
        return "0s".to_owned();
    }
    let mut text = String::new();
    for (unit_seconds, suffix) in UNITS {
        let count = remaining / unit_seconds;
        if count > 0 {
            text.push_str(&format!("{count}{suffix}"));
            remaining %= unit_seconds;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::short_duration;
    use std::time::Duration;

    #[test]
    fn spells_each_unit_and_skips_zero_parts() {
        let cases = [
            (0, "0s"),
            (45, "45s"),
            (60, "1m"),
            (90, "1m30s"),
            (3_600, "1h"),
            (3_660, "1h1m"),
            (86_400 + 5, "1d5s"),
            (172_800, "2d"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(
                short_duration(Duration::from_secs(seconds)),
                expected,
                "{seconds} s"
            );
        }
    }
}
