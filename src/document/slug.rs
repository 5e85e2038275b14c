//! Ids from text.

/// `Evaluatie taakstelling 2024-II` → `evaluatie-taakstelling-2024-ii`;
/// accented Latin letters lose their accent (`Fryslân` → `fryslan`).
pub(super) fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("sectie");
    }
    out
}

fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
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
        assert_eq!(slug("Fryslân"), "fryslan");
        assert_eq!(slug("  Doel!  "), "doel");
        assert_eq!(slug("***"), "sectie");
        assert!(valid_id("tabel-scenario-2"));
        assert!(!valid_id("2a"));
        assert!(!valid_id("a b"));
        assert!(!valid_id(""));
    }
}
