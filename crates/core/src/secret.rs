//! Values that are credentials: task tokens (whoever holds one ends a workflow's wait) and hook
//! execution ids (whoever holds one reports a hook's outcome). They never appear whole in a log
//! or an error message; [`shown`] is what may.

/// How many characters of a credential may be shown: enough to tell two apart, far too few to
/// use (task tokens are hundreds of characters, hook execution ids 36).
pub const SHOWN_CHARACTERS: usize = 8;

/// The start of `secret`, marked as cut.
pub fn shown(secret: &str) -> String {
    let mut characters = secret.chars();
    let start: String = characters.by_ref().take(SHOWN_CHARACTERS).collect();
    if characters.next().is_some() {
        format!("{start}…")
    } else {
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_start_of_a_credential_is_shown() {
        assert_eq!(shown("AQCEAAAAKgAAAAMAAAAAAAAAAeFV5z3lGh"), "AQCEAAAA…");
        assert_eq!(shown("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"), "0f1e2d3c…");
        assert_eq!(shown("short"), "short");
        assert_eq!(shown("éééééééééé"), "éééééééé…");
    }
}
