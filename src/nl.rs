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
