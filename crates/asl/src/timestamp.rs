//! Timestamps as the States Language writes them: RFC 3339 with an uppercase `T` and, when
//! there is no numeric offset, an uppercase `Z`.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// Parses a States Language timestamp; anything else gives `None`.
pub fn parse(text: &str) -> Option<OffsetDateTime> {
    if text.chars().any(|c| c.is_ascii_lowercase()) {
        return None;
    }
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// Writes an instant as Step Functions does in the context object: UTC, milliseconds.
pub fn format(instant: OffsetDateTime) -> String {
    let layout =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    instant
        .to_offset(UtcOffset::UTC)
        .format(&layout)
        .unwrap_or_else(|_| instant.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn accepts_only_the_uppercase_rfc3339_profile() {
        assert_eq!(
            parse("2016-03-14T01:59:00Z"),
            Some(datetime!(2016-03-14 01:59:00 UTC))
        );
        assert_eq!(
            parse("2016-03-14T03:59:00+02:00"),
            Some(datetime!(2016-03-14 01:59:00 UTC))
        );
        assert_eq!(parse("2016-03-14t01:59:00z"), None);
        assert_eq!(parse("2016-03-14"), None);
        assert_eq!(parse("yesterday"), None);
    }

    #[test]
    fn formats_utc_with_milliseconds() {
        assert_eq!(
            format(datetime!(2024-01-02 03:04:05.678 +01:00)),
            "2024-01-02T02:04:05.678Z"
        );
    }
}
