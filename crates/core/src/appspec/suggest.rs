//! "Did you mean …?" for misspelt keys such as `TargetVerson`.

/// The known name closest to `unknown`, if it is close enough to be a slip of the keyboard:
/// the same but for letter case, or at most two edits away.
pub(crate) fn closest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|name| {
            (
                *name,
                distance(&unknown.to_lowercase(), &name.to_lowercase()),
            )
        })
        .filter(|(_, edits)| *edits <= 2)
        .min_by_key(|(_, edits)| *edits)
        .map(|(name, _)| name)
}

/// Levenshtein distance: insertions, deletions and substitutions to turn `a` into `b`.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, b_char) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_char != *b_char);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROPERTIES: &[&str] = &["Name", "Alias", "CurrentVersion", "TargetVersion"];

    #[test]
    fn a_dropped_letter_is_recognised() {
        assert_eq!(closest("TargetVerson", PROPERTIES), Some("TargetVersion"));
    }

    #[test]
    fn letter_case_is_forgiven() {
        assert_eq!(closest("alias", PROPERTIES), Some("Alias"));
    }

    #[test]
    fn a_different_word_has_no_suggestion() {
        assert_eq!(closest("Runtime", PROPERTIES), None);
    }

    #[test]
    fn distance_counts_each_edit() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
    }
}
