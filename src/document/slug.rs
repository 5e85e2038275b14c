//! Ids from text.

/// `Evaluatie taakstelling 2024-II` → `evaluatie-taakstelling-2024-ii`, as
/// GitHub and GitLab make a heading's anchor, so that a link to a heading works
/// in the HTML, in Word and where the Markdown is read: lower case, a space
/// becomes `-`, letters (`Fryslân` → `fryslân`), digits, `-` and `_` stay, the
/// rest goes.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else if c == ' ' {
            out.push('-');
        }
    }
    if out.is_empty() {
        out.push_str("sectie");
    }
    out
}

/// An id the source may give: a letter, then letters, digits, `-` and `_`.
pub(super) fn valid_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Evaluatie taakstelling 2024-II"),
            "evaluatie-taakstelling-2024-ii"
        );
        assert_eq!(slug("Fryslân"), "fryslân");
        assert_eq!(
            slug("Scenario 1: de afgelopen 12 maanden"),
            "scenario-1-de-afgelopen-12-maanden"
        );
        assert_eq!(slug("Amv (Nidos) – 2025"), "amv-nidos--2025");
        assert_eq!(slug("  Doel!  "), "doel");
        assert_eq!(slug("***"), "sectie");
        assert!(valid_id("tabel-scenario-2"));
        assert!(!valid_id("2a"));
        assert!(!valid_id("a b"));
        assert!(!valid_id(""));
    }
}
