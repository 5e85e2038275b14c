//! Exact rounding of fractions, half away from zero, so that no figure passes
//! through floating point.

/// Rounds `teller / noemer` to the nearest multiple of `stap`, halves away from zero.
///
/// `afronden(35_410 * 6, 12, 100)` is 17.700.
pub fn afronden(teller: i64, noemer: i64, stap: i64) -> i64 {
    assert!(noemer > 0 && stap > 0, "noemer and stap must be positive");
    let deler = i128::from(noemer) * i128::from(stap);
    let t = i128::from(teller).abs();
    let q = (2 * t + deler) / (2 * deler);
    let r = q * i128::from(stap);
    let r = if teller < 0 { -r } else { r };
    i64::try_from(r).expect("rounded value fits in i64")
}

/// Rounds `teller / noemer` to hundreds (the memo's scenario results).
pub fn afronden_op_honderdtallen(teller: i64, noemer: i64) -> i64 {
    afronden(teller, noemer, 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(afronden(17_650, 1, 100), 17_700);
        assert_eq!(afronden(17_649, 1, 100), 17_600);
        assert_eq!(afronden(-150, 1, 100), -200);
        assert_eq!(afronden(-149, 1, 100), -100);
        assert_eq!(afronden(5, 2, 1), 3);
        assert_eq!(afronden(7, 3, 1), 2);
    }

    #[test]
    fn rounds_fractions_exactly() {
        // 35.410 grants in 12 months: 2.950,83 a month, 17.705 in six months.
        assert_eq!(afronden_op_honderdtallen(35_410 * 6, 12), 17_700);
        // 1/3 of 100: 33,33 → 0 hundreds; 2/3 of 100: 66,67 → 100.
        assert_eq!(afronden_op_honderdtallen(100, 3), 0);
        assert_eq!(afronden_op_honderdtallen(200, 3), 100);
    }
}
