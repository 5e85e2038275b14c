//! Dutch formatting of numbers, months and dates, shared by charts and
//! templates so that a figure reads the same everywhere.

/// Dutch month names, January first.
pub const MAANDEN: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// Short Dutch month names for chart axes.
pub const MAANDEN_KORT: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// A whole number with a dot between thousands: `17700` → `17.700`, `-1250` → `-1.250`.
pub fn getal(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A count of months that agrees with its number: `1 maand`, `5 maanden`.
pub fn maanden(n: i64) -> String {
    if n == 1 {
        "1 maand".to_string()
    } else {
        format!("{} maanden", getal(n))
    }
}

/// A count in running text: a word from one to twenty ("één", "twaalf"), digits
/// above it, as Dutch house style writes small numbers.
pub fn telwoord(n: i64) -> String {
    const WOORDEN: [&str; 21] = [
        "nul",
        "één",
        "twee",
        "drie",
        "vier",
        "vijf",
        "zes",
        "zeven",
        "acht",
        "negen",
        "tien",
        "elf",
        "twaalf",
        "dertien",
        "veertien",
        "vijftien",
        "zestien",
        "zeventien",
        "achttien",
        "negentien",
        "twintig",
    ];
    usize::try_from(n)
        .ok()
        .and_then(|i| WOORDEN.get(i))
        .map_or_else(|| getal(n), ToString::to_string)
}

/// An ordinal in running text: "tweede", "derde", ..., digits with "e" above twenty.
pub fn rangtelwoord(n: i64) -> String {
    const WOORDEN: [&str; 21] = [
        "nulde",
        "eerste",
        "tweede",
        "derde",
        "vierde",
        "vijfde",
        "zesde",
        "zevende",
        "achtste",
        "negende",
        "tiende",
        "elfde",
        "twaalfde",
        "dertiende",
        "veertiende",
        "vijftiende",
        "zestiende",
        "zeventiende",
        "achttiende",
        "negentiende",
        "twintigste",
    ];
    usize::try_from(n)
        .ok()
        .and_then(|i| WOORDEN.get(i))
        .map_or_else(|| format!("{}e", getal(n)), ToString::to_string)
}

/// A decimal number with a comma and `decimals` digits: `(23.46, 1)` → `23,5`.
pub fn decimaal(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let int: i64 = int.parse().unwrap_or(0);
    let sign = if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{}", getal(int))
    } else {
        format!("{sign}{},{frac}", getal(int))
    }
}

/// A date as Dutch text: `(2025, 7, 1)` → `1 juli 2025`.
pub fn datum(year: i32, month: u32, day: u32) -> String {
    format!("{day} {} {year}", MAANDEN[(month - 1) as usize])
}

/// A month as Dutch text: `(2025, 2)` → `februari 2025`.
pub fn maand(year: i32, month: u32) -> String {
    format!("{} {year}", MAANDEN[(month - 1) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_and_small_ones_are_words() {
        assert_eq!(maanden(1), "1 maand");
        assert_eq!(maanden(0), "0 maanden");
        assert_eq!(maanden(12), "12 maanden");
        assert_eq!(telwoord(1), "één");
        assert_eq!(telwoord(20), "twintig");
        assert_eq!(telwoord(21), "21");
        assert_eq!(rangtelwoord(3), "derde");
        assert_eq!(rangtelwoord(21), "21e");
    }

    #[test]
    fn getal_groups_thousands_with_dots() {
        assert_eq!(getal(0), "0");
        assert_eq!(getal(999), "999");
        assert_eq!(getal(1000), "1.000");
        assert_eq!(getal(17700), "17.700");
        assert_eq!(getal(17942942), "17.942.942");
        assert_eq!(getal(-12500), "-12.500");
    }

    #[test]
    fn decimaal_uses_comma() {
        assert_eq!(decimaal(23.46, 1), "23,5");
        assert_eq!(decimaal(1234.5, 1), "1.234,5");
        assert_eq!(decimaal(-0.04, 1), "0,0");
        assert_eq!(decimaal(-2.6, 0), "-3");
    }

    #[test]
    fn dates_in_dutch() {
        assert_eq!(datum(2025, 7, 1), "1 juli 2025");
        assert_eq!(maand(2025, 2), "februari 2025");
    }
}
