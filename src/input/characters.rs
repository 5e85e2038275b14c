//! Characters a reader cannot see, or cannot tell from a Latin letter, named in
//! errors: a key with a zero-width space or a Cyrillic `а` looks exactly like the
//! right one, so "did you mean `minister`?" alone would leave the reader puzzled.
//!
//! Every key, enum value, period, date, month and municipality code of the input is
//! ASCII, so any other character in one of them is the mistake; this module says
//! which one it is (`U+200B ZERO WIDTH SPACE`) and, for look-alikes, which letter it
//! imitates. The names come from a small table of the characters that turn up in
//! practice (invisible characters and spaces, dashes, Cyrillic, Greek and
//! full-width letters); others are named by their code point alone.

/// Invisible characters, spaces other than the plain space, and dashes, with their
/// Unicode names.
const NAMES: &[(char, &str)] = &[
    ('\u{00A0}', "NO-BREAK SPACE"),
    ('\u{00AD}', "SOFT HYPHEN"),
    ('\u{034F}', "COMBINING GRAPHEME JOINER"),
    ('\u{061C}', "ARABIC LETTER MARK"),
    ('\u{115F}', "HANGUL CHOSEONG FILLER"),
    ('\u{1160}', "HANGUL JUNGSEONG FILLER"),
    ('\u{180E}', "MONGOLIAN VOWEL SEPARATOR"),
    ('\u{2000}', "EN QUAD"),
    ('\u{2001}', "EM QUAD"),
    ('\u{2002}', "EN SPACE"),
    ('\u{2003}', "EM SPACE"),
    ('\u{2004}', "THREE-PER-EM SPACE"),
    ('\u{2005}', "FOUR-PER-EM SPACE"),
    ('\u{2006}', "SIX-PER-EM SPACE"),
    ('\u{2007}', "FIGURE SPACE"),
    ('\u{2008}', "PUNCTUATION SPACE"),
    ('\u{2009}', "THIN SPACE"),
    ('\u{200A}', "HAIR SPACE"),
    ('\u{200B}', "ZERO WIDTH SPACE"),
    ('\u{200C}', "ZERO WIDTH NON-JOINER"),
    ('\u{200D}', "ZERO WIDTH JOINER"),
    ('\u{200E}', "LEFT-TO-RIGHT MARK"),
    ('\u{200F}', "RIGHT-TO-LEFT MARK"),
    ('\u{2010}', "HYPHEN"),
    ('\u{2011}', "NON-BREAKING HYPHEN"),
    ('\u{2012}', "FIGURE DASH"),
    ('\u{2013}', "EN DASH"),
    ('\u{2014}', "EM DASH"),
    ('\u{2028}', "LINE SEPARATOR"),
    ('\u{2029}', "PARAGRAPH SEPARATOR"),
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{202F}', "NARROW NO-BREAK SPACE"),
    ('\u{205F}', "MEDIUM MATHEMATICAL SPACE"),
    ('\u{2060}', "WORD JOINER"),
    ('\u{2061}', "FUNCTION APPLICATION"),
    ('\u{2062}', "INVISIBLE TIMES"),
    ('\u{2063}', "INVISIBLE SEPARATOR"),
    ('\u{2064}', "INVISIBLE PLUS"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
    ('\u{2212}', "MINUS SIGN"),
    ('\u{3000}', "IDEOGRAPHIC SPACE"),
    ('\u{3164}', "HANGUL FILLER"),
    ('\u{FEFF}', "ZERO WIDTH NO-BREAK SPACE"),
    ('\u{FFA0}', "HALFWIDTH HANGUL FILLER"),
];

/// The letters of U+0410 to U+044F (capital, then small, in the same order).
const CYRILLIC: [&str; 32] = [
    "A",
    "BE",
    "VE",
    "GHE",
    "DE",
    "IE",
    "ZHE",
    "ZE",
    "I",
    "SHORT I",
    "KA",
    "EL",
    "EM",
    "EN",
    "O",
    "PE",
    "ER",
    "ES",
    "TE",
    "U",
    "EF",
    "HA",
    "TSE",
    "CHE",
    "SHA",
    "SHCHA",
    "HARD SIGN",
    "YERU",
    "SOFT SIGN",
    "E",
    "YU",
    "YA",
];

/// U+0400 to U+040F (capital) and U+0450 to U+045F (small).
const CYRILLIC_EXTRA: [&str; 16] = [
    "IE WITH GRAVE",
    "IO",
    "DJE",
    "GJE",
    "UKRAINIAN IE",
    "DZE",
    "BYELORUSSIAN-UKRAINIAN I",
    "YI",
    "JE",
    "LJE",
    "NJE",
    "TSHE",
    "KJE",
    "I WITH GRAVE",
    "SHORT U",
    "DZHE",
];

/// U+0391 to U+03A9 (capital) and U+03B1 to U+03C9 (small); U+03A2 is unassigned,
/// U+03C2 is FINAL SIGMA.
const GREEK: [&str; 25] = [
    "ALPHA",
    "BETA",
    "GAMMA",
    "DELTA",
    "EPSILON",
    "ZETA",
    "ETA",
    "THETA",
    "IOTA",
    "KAPPA",
    "LAMDA",
    "MU",
    "NU",
    "XI",
    "OMICRON",
    "PI",
    "RHO",
    "FINAL SIGMA",
    "SIGMA",
    "TAU",
    "UPSILON",
    "PHI",
    "CHI",
    "PSI",
    "OMEGA",
];

/// The Unicode name of `c`, when the table has it.
fn unicode_name(c: char) -> Option<String> {
    if let Some((_, n)) = NAMES.iter().find(|(t, _)| *t == c) {
        return Some((*n).to_string());
    }
    let u = c as u32;
    let cyr = |grootte: &str, name: &str| format!("CYRILLIC {grootte} LETTER {name}");
    let gr = |grootte: &str, name: &str| format!("GREEK {grootte} LETTER {name}");
    match u {
        0x0400..=0x040F => Some(cyr("CAPITAL", CYRILLIC_EXTRA[(u - 0x0400) as usize])),
        0x0410..=0x042F => Some(cyr("CAPITAL", CYRILLIC[(u - 0x0410) as usize])),
        0x0430..=0x044F => Some(cyr("SMALL", CYRILLIC[(u - 0x0430) as usize])),
        0x0450..=0x045F => Some(cyr("SMALL", CYRILLIC_EXTRA[(u - 0x0450) as usize])),
        0x0391..=0x03A9 if u != 0x03A2 => Some(gr("CAPITAL", GREEK[(u - 0x0391) as usize])),
        0x03B1..=0x03C9 => Some(gr("SMALL", GREEK[(u - 0x03B1) as usize])),
        0xFF10..=0xFF19 => Some(format!("FULLWIDTH DIGIT {}", digit_name(u - 0xFF10))),
        0xFF21..=0xFF3A => Some(format!(
            "FULLWIDTH LATIN CAPITAL LETTER {}",
            char::from(b'A' + (u - 0xFF21) as u8)
        )),
        0xFF41..=0xFF5A => Some(format!(
            "FULLWIDTH LATIN SMALL LETTER {}",
            char::from(b'A' + (u - 0xFF41) as u8)
        )),
        _ => None,
    }
}

fn digit_name(n: u32) -> &'static str {
    [
        "ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE",
    ][n as usize]
}

/// The ASCII character `c` is easily taken for, if any.
pub fn looks_like(c: char) -> Option<char> {
    let u = c as u32;
    if (0xFF01..=0xFF5E).contains(&u) {
        return char::from_u32(u - 0xFEE0);
    }
    let paren: &[(char, char)] = &[
        ('а', 'a'),
        ('е', 'e'),
        ('о', 'o'),
        ('р', 'p'),
        ('с', 'c'),
        ('у', 'y'),
        ('х', 'x'),
        ('ѕ', 's'),
        ('і', 'i'),
        ('ј', 'j'),
        ('ԁ', 'd'),
        ('һ', 'h'),
        ('ӏ', 'l'),
        ('ԛ', 'q'),
        ('ԝ', 'w'),
        ('А', 'A'),
        ('В', 'B'),
        ('Е', 'E'),
        ('К', 'K'),
        ('М', 'M'),
        ('Н', 'H'),
        ('О', 'O'),
        ('Р', 'P'),
        ('С', 'C'),
        ('Т', 'T'),
        ('Х', 'X'),
        ('Ѕ', 'S'),
        ('І', 'I'),
        ('Ј', 'J'),
        ('α', 'a'),
        ('ο', 'o'),
        ('ν', 'v'),
        ('ρ', 'p'),
        ('ι', 'i'),
        ('κ', 'k'),
        ('υ', 'u'),
        ('χ', 'x'),
        ('Α', 'A'),
        ('Β', 'B'),
        ('Ε', 'E'),
        ('Ζ', 'Z'),
        ('Η', 'H'),
        ('Ι', 'I'),
        ('Κ', 'K'),
        ('Μ', 'M'),
        ('Ν', 'N'),
        ('Ο', 'O'),
        ('Ρ', 'P'),
        ('Τ', 'T'),
        ('Υ', 'Y'),
        ('Χ', 'X'),
        ('\u{2010}', '-'),
        ('\u{2011}', '-'),
        ('\u{2012}', '-'),
        ('\u{2013}', '-'),
        ('\u{2014}', '-'),
        ('\u{2212}', '-'),
        ('\u{00A0}', ' '),
        ('\u{202F}', ' '),
    ];
    paren.iter().find(|(k, _)| *k == c).map(|(_, a)| *a)
}

/// Whether a reader does not see `c` at all.
fn is_invisible(c: char) -> bool {
    c != ' '
        && (c.is_whitespace()
            || c.is_control()
            || NAMES.iter().any(|(t, n)| {
                *t == c && !n.contains("DASH") && !n.contains("HYPHEN") && *n != "MINUS SIGN"
            }))
}

/// `s` as it can be shown: every invisible character as `<U+200B>`.
pub fn visible(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if is_invisible(c) && c != '\t' {
                format!("<U+{:04X}>", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// What is odd about the characters of `s` that are not ASCII, for a text that
/// must be ASCII (a key, a period, a code): `None` when all are ASCII. For example
/// "holds U+200B ZERO WIDTH SPACE (invisible) after `minis`", to follow "which".
pub fn explain(s: &str) -> Option<String> {
    let vreemd: Vec<(usize, char)> = s.char_indices().filter(|(_, c)| !c.is_ascii()).collect();
    let (&(i, c), rest) = vreemd.split_first()?;
    let name = match unicode_name(c) {
        Some(n) => format!("U+{:04X} {n}", c as u32),
        None => format!("U+{:04X} `{c}`", c as u32),
    };
    let what = if is_invisible(c) {
        "(invisible)".to_string()
    } else if let Some(a) = looks_like(c) {
        format!("(looks like the ASCII `{a}`)")
    } else if c.is_alphabetic() {
        "(not a Latin letter)".to_string()
    } else {
        "(not an ASCII character)".to_string()
    };
    let place = if i == 0 {
        "at the start".to_string()
    } else {
        format!("after `{}`", visible(&s[..i]))
    };
    let meer = match rest.len() {
        0 => String::new(),
        1 => " and one more such character".to_string(),
        n => format!(" and {n} more such characters"),
    };
    Some(format!("holds {name} {what} {place}{meer}"))
}

/// `s` with invisible characters dropped and look-alikes replaced by the ASCII
/// letter they imitate: what the reader thinks they typed.
pub fn meant(s: &str) -> String {
    s.chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| looks_like(c).unwrap_or(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_invisible_and_look_alike_characters() {
        assert_eq!(
            explain("minis\u{200B}ter").unwrap(),
            "holds U+200B ZERO WIDTH SPACE (invisible) after `minis`"
        );
        assert_eq!(
            explain("minиster").unwrap(),
            "holds U+0438 CYRILLIC SMALL LETTER I (not a Latin letter) after `min`"
        );
        assert_eq!(
            explain("periоde").unwrap(),
            "holds U+043E CYRILLIC SMALL LETTER O (looks like the ASCII `o`) after `peri`"
        );
        assert_eq!(
            explain("2025\u{2013}I").unwrap(),
            "holds U+2013 EN DASH (looks like the ASCII `-`) after `2025`"
        );
        assert_eq!(
            explain("\u{FEFF}a\u{00A0}b").unwrap(),
            "holds U+FEFF ZERO WIDTH NO-BREAK SPACE (invisible) at the start and one more such character"
        );
        assert_eq!(explain("minister"), None);
        assert_eq!(
            unicode_name('ω').as_deref(),
            Some("GREEK SMALL LETTER OMEGA")
        );
        assert_eq!(
            unicode_name('Ж').as_deref(),
            Some("CYRILLIC CAPITAL LETTER ZHE")
        );
        assert_eq!(
            unicode_name('ｍ').as_deref(),
            Some("FULLWIDTH LATIN SMALL LETTER M")
        );
    }

    #[test]
    fn what_the_reader_meant() {
        assert_eq!(meant("minis\u{200B}ter"), "minister");
        assert_eq!(meant("periоde"), "periode");
        assert_eq!(visible("minis\u{200B}ter"), "minis<U+200B>ter");
        assert_eq!(visible("Fryslân"), "Fryslân");
    }
}
