//! A share of production traffic on the new version, kept exact.

use std::cmp::Ordering;
use std::fmt;

/// `on_new` parts out of `total` on the new version. Services hold weights that are not whole
/// percents (a Lambda weight of 0.125, ALB weights 1 and 2), so comparisons with a percent are
/// made exactly and rounding happens only for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    on_new: u64,
    total: u64,
}

/// Lambda weights are kept to a millionth, far finer than any weight gradual sets.
const WEIGHT_PARTS: u64 = 1_000_000;

impl Share {
    /// `None` when `total` is zero (nothing gets traffic) or `on_new` exceeds it.
    pub fn new(on_new: u64, total: u64) -> Option<Share> {
        (total > 0 && on_new <= total).then_some(Share { on_new, total })
    }

    /// Exactly `percent` % (at most 100).
    pub fn percent(percent: u8) -> Share {
        Share {
            on_new: u64::from(percent.min(100)),
            total: 100,
        }
    }

    /// A weight between 0.0 and 1.0, as Lambda's `AdditionalVersionWeights` holds it.
    pub fn from_weight(weight: f64) -> Option<Share> {
        if !(0.0..=1.0).contains(&weight) {
            return None;
        }
        Share::new((weight * WEIGHT_PARTS as f64).round() as u64, WEIGHT_PARTS)
    }

    /// How this share compares with `percent` %.
    pub fn cmp_percent(&self, percent: u8) -> Ordering {
        (self.on_new * 100).cmp(&(u64::from(percent) * self.total))
    }

    pub fn is_percent(&self, percent: u8) -> bool {
        self.cmp_percent(percent) == Ordering::Equal
    }

    pub fn is_all_original(&self) -> bool {
        self.on_new == 0
    }

    pub fn is_all_new(&self) -> bool {
        self.on_new == self.total
    }

    /// The nearest whole percent, halves rounded up.
    pub fn rounded_percent(&self) -> u8 {
        ((self.on_new * 200 + self.total) / (self.total * 2)) as u8
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hundredths = (self.on_new * 10_000 + self.total / 2) / self.total;
        if hundredths.is_multiple_of(100) {
            write!(f, "{} %", hundredths / 100)
        } else {
            let text = format!("{}.{:02}", hundredths / 100, hundredths % 100);
            write!(f, "{} %", text.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_exactly_with_a_percent() {
        let third = Share::new(1, 3).unwrap();
        assert_eq!(third.cmp_percent(33), Ordering::Greater);
        assert_eq!(third.cmp_percent(34), Ordering::Less);
        assert_eq!(third.rounded_percent(), 33);
        assert!(Share::new(10, 100).unwrap().is_percent(10));
        assert!(Share::new(90, 900).unwrap().is_percent(10));
    }

    #[test]
    fn reads_lambda_weights() {
        assert!(Share::from_weight(0.1).unwrap().is_percent(10));
        assert!(Share::from_weight(0.0).unwrap().is_all_original());
        assert_eq!(Share::from_weight(0.125).unwrap().to_string(), "12.5 %");
        assert_eq!(Share::from_weight(1.5), None);
        assert_eq!(Share::from_weight(f64::NAN), None);
    }

    #[test]
    fn refuses_shares_of_nothing() {
        assert_eq!(Share::new(0, 0), None);
        assert_eq!(Share::new(3, 2), None);
    }

    #[test]
    fn displays_whole_and_fractional_percents() {
        assert_eq!(Share::percent(20).to_string(), "20 %");
        assert_eq!(Share::new(1, 3).unwrap().to_string(), "33.33 %");
        assert_eq!(Share::new(1, 2).unwrap().rounded_percent(), 50);
        assert_eq!(Share::new(1, 200).unwrap().rounded_percent(), 1);
    }
}
