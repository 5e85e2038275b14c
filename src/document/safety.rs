//! Which link targets the model keeps.

/// `true` for `http:`, `https:`, `mailto:` and relative targets (a path, a
/// `?query` or a `#fragment`). The target as the parser delivers it has its
/// character references and backslash escapes decoded; here percent-encoding
/// is decoded too (repeatedly, so `%256A` cannot hide a `j`), and blanks and
/// control characters are removed, as a browser ignores them in a scheme.
pub(super) fn allowed_link(dest: &str) -> bool {
    let mut text = dest.to_string();
    for _ in 0..4 {
        let decoded = percent_decode(&text);
        if decoded == text {
            break;
        }
        text = decoded;
    }
    let squeezed: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !is_invisible(*c))
        .collect::<String>()
        .to_ascii_lowercase();
    // A backslash counts as a slash in browsers: `\\host` and `/\host` leave the folder.
    let squeezed = squeezed.replace('\\', "/");
    if squeezed.starts_with("//") {
        return false;
    }
    // Everything up to the first `/`, `?` or `#` is where a scheme would be.
    let head_end = squeezed.find(['/', '?', '#']).unwrap_or(squeezed.len());
    match squeezed[..head_end].split_once(':') {
        None => true,
        Some((scheme, _)) => matches!(scheme, "http" | "https" | "mailto"),
    }
}

/// Zero-width and bidirectional marks that some software strips from a
/// scheme before reading it.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::allowed_link;

    #[test]
    fn plain_schemes_and_relative_targets_pass() {
        for ok in [
            "https://www.rijksoverheid.nl/",
            "HTTP://example.org",
            "mailto:secretariaat@example.org",
            "staatscourant.md",
            "verdeling.csv",
            "#doel",
            "?a=b",
            "map/bestand.html",
            "./a:b",
            "bestand.html#a:b",
        ] {
            assert!(allowed_link(ok), "{ok}");
        }
    }

    #[test]
    fn hostile_targets_fail() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "java\u{0}script:alert(1)",
            "java\u{200B}script:alert(1)",
            "%6Aavascript:alert(1)",
            "%256Aavascript:alert(1)",
            "javascript%3Aalert(1)",
            "vbscript:msgbox(1)",
            "VBScript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "DATA:image/svg+xml,<svg/onload=alert(1)>",
            "file:///etc/passwd",
            "ftp://example.org",
            "//evil.example/",
            "\\\\evil.example\\",
            "/\\evil.example",
            "about:blank",
        ] {
            assert!(!allowed_link(bad), "{bad:?}");
        }
    }
}
