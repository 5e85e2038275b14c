//! Calendar value types shared by every stage: a day, a month and a half-year period.
//!
//! Small and exact on purpose: the domain needs day arithmetic only for the
//! 13-week publication deadline, and a whole date library would be a heavier
//! dependency than these few lines.

use serde::Serialize;
use std::fmt;

use crate::nl;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Datum {
    pub jaar: i32,
    pub maand: u32,
    pub dag: u32,
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Maand {
    pub jaar: i32,
    pub maand: u32,
}

/// Which half of the year a period covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Helft {
    /// 1 January to 30 June.
    I,
    /// 1 July to 31 December.
    II,
}

/// A taakstelling period: `2025-I` or `2025-II`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Periode {
    pub jaar: i32,
    pub helft: Helft,
}

/// Exactly `n` ASCII digits (no sign, which `str::parse` would accept).
fn cijfers(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_schrikkeljaar(jaar: i32) -> bool {
    (jaar % 4 == 0 && jaar % 100 != 0) || jaar % 400 == 0
}

/// Days in a month (0 for a month number outside 1–12).
pub fn dagen_in_maand(jaar: i32, maand: u32) -> u32 {
    match maand {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_schrikkeljaar(jaar) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Datum {
    /// A valid date, or `None`.
    pub fn new(jaar: i32, maand: u32, dag: u32) -> Option<Self> {
        ((1..=12).contains(&maand) && dag >= 1 && dag <= dagen_in_maand(jaar, maand))
            .then_some(Datum { jaar, maand, dag })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || !cijfers(y, 4) || !cijfers(m, 2) || !cijfers(d, 2) {
            return None;
        }
        Datum::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's algorithm).
    pub fn dagnummer(self) -> i64 {
        let y = i64::from(self.jaar) - i64::from(self.maand <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.maand);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.dag) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date of a day number (inverse of [`Datum::dagnummer`]).
    pub fn uit_dagnummer(z: i64) -> Self {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let dag = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let maand = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let jaar = (yoe + era * 400 + i64::from(maand <= 2)) as i32;
        Datum { jaar, maand, dag }
    }

    pub fn plus_dagen(self, dagen: i64) -> Self {
        Datum::uit_dagnummer(self.dagnummer() + dagen)
    }

    pub fn maand(self) -> Maand {
        Maand {
            jaar: self.jaar,
            maand: self.maand,
        }
    }

    /// Dutch text: `1 juli 2025`.
    pub fn nl(self) -> String {
        nl::datum(self.jaar, self.maand, self.dag)
    }
}

impl fmt::Display for Datum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.jaar, self.maand, self.dag)
    }
}

impl Maand {
    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.split_once('-')?;
        if !cijfers(y, 4) || !cijfers(m, 2) {
            return None;
        }
        let maand: u32 = m.parse().ok()?;
        (1..=12).contains(&maand).then_some(Maand {
            jaar: y.parse().ok()?,
            maand,
        })
    }

    /// Months since year 0, so that months can be subtracted and compared.
    pub fn index(self) -> i64 {
        i64::from(self.jaar) * 12 + i64::from(self.maand) - 1
    }

    pub fn uit_index(i: i64) -> Self {
        Maand {
            jaar: i.div_euclid(12) as i32,
            maand: (i.rem_euclid(12) + 1) as u32,
        }
    }

    pub fn plus(self, maanden: i64) -> Self {
        Maand::uit_index(self.index() + maanden)
    }

    pub fn eerste_dag(self) -> Datum {
        Datum {
            jaar: self.jaar,
            maand: self.maand,
            dag: 1,
        }
    }

    pub fn laatste_dag(self) -> Datum {
        Datum {
            jaar: self.jaar,
            maand: self.maand,
            dag: dagen_in_maand(self.jaar, self.maand),
        }
    }

    /// Dutch text: `februari 2025`.
    pub fn nl(self) -> String {
        nl::maand(self.jaar, self.maand)
    }

    /// Short Dutch label for chart axes: `feb 2025`.
    pub fn nl_kort(self) -> String {
        format!(
            "{} {}",
            nl::MAANDEN_KORT[(self.maand - 1) as usize],
            self.jaar
        )
    }
}

impl fmt::Display for Maand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.jaar, self.maand)
    }
}

impl Periode {
    /// Months in a period.
    pub const MAANDEN: u32 = 6;

    /// `I` or `II`.
    pub fn helft_label(self) -> &'static str {
        match self.helft {
            Helft::I => "I",
            Helft::II => "II",
        }
    }

    /// The years a period can have. Taakstellingen exist since the 1990s; 1900 leaves
    /// room for any history, and every year has four digits, so that a period's name
    /// (and file name) is always `YYYY-I` and sorts by time. There is no year 0.
    pub const JAREN: std::ops::RangeInclusive<i32> = 1900..=9999;

    /// Parses `YYYY-I` or `YYYY-II` with a year in [`Periode::JAREN`].
    pub fn parse(s: &str) -> Option<Self> {
        Periode::parse_met_reden(s).ok()
    }

    /// As [`Periode::parse`], saying why not: `Err(Some(year))` when the text has
    /// the form of a period but its year is outside [`Periode::JAREN`], `Err(None)`
    /// when it does not have the form.
    pub fn parse_met_reden(s: &str) -> Result<Self, Option<i32>> {
        let (y, h) = s.split_once('-').ok_or(None)?;
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return Err(None);
        }
        let helft = match h {
            "I" => Helft::I,
            "II" => Helft::II,
            _ => return Err(None),
        };
        let jaar: i32 = y.parse().map_err(|_| None)?;
        if !Periode::JAREN.contains(&jaar) {
            return Err(Some(jaar));
        }
        Ok(Periode { jaar, helft })
    }

    pub fn eerste_maand(self) -> Maand {
        Maand {
            jaar: self.jaar,
            maand: match self.helft {
                Helft::I => 1,
                Helft::II => 7,
            },
        }
    }

    /// The six months of the period, in order.
    pub fn maanden(self) -> impl Iterator<Item = Maand> {
        let eerste = self.eerste_maand();
        (0..6).map(move |i| eerste.plus(i))
    }

    pub fn begindatum(self) -> Datum {
        self.eerste_maand().eerste_dag()
    }

    pub fn einddatum(self) -> Datum {
        self.eerste_maand().plus(5).laatste_dag()
    }

    pub fn volgende(self) -> Self {
        match self.helft {
            Helft::I => Periode {
                jaar: self.jaar,
                helft: Helft::II,
            },
            Helft::II => Periode {
                jaar: self.jaar + 1,
                helft: Helft::I,
            },
        }
    }

    pub fn vorige(self) -> Self {
        match self.helft {
            Helft::I => Periode {
                jaar: self.jaar - 1,
                helft: Helft::II,
            },
            Helft::II => Periode {
                jaar: self.jaar,
                helft: Helft::I,
            },
        }
    }

    /// The period a month falls in.
    pub fn van_maand(maand: Maand) -> Self {
        Periode {
            jaar: maand.jaar,
            helft: if maand.maand <= 6 {
                Helft::I
            } else {
                Helft::II
            },
        }
    }
}

impl fmt::Display for Periode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{}", self.jaar, self.helft_label())
    }
}

/// How calendar values reach the templates (the template contract, see the README):
/// a period as its id (`2025-I`), a date as `{iso, nl}`, a month as `{iso, nl}`.
/// The document's own periods carry their dates too: [`periode_met_datums`].
impl Serialize for Periode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `{iso: "2025-07-01", nl: "1 juli 2025"}`: ISO for `<time datetime>`, Dutch for the text.
impl Serialize for Datum {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Datum", 2)?;
        st.serialize_field("iso", &self.to_string())?;
        st.serialize_field("nl", &self.nl())?;
        st.end()
    }
}

/// `{iso: "2025-02", nl: "februari 2025"}`.
impl Serialize for Maand {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Maand", 2)?;
        st.serialize_field("iso", &self.to_string())?;
        st.serialize_field("nl", &self.nl())?;
        st.end()
    }
}

/// A period with its dates, `{id, jaar, begin, eind}` (`begin` and `eind` as dates), for
/// `#[serde(serialize_with = "...")]` on the fields that templates use that way.
pub fn periode_met_datums<S: serde::Serializer>(p: &Periode, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut st = s.serialize_struct("Periode", 4)?;
    st.serialize_field("id", &p.to_string())?;
    st.serialize_field("jaar", &p.jaar)?;
    st.serialize_field("begin", &p.begindatum())?;
    st.serialize_field("eind", &p.einddatum())?;
    st.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_periods_and_rejects_others() {
        let p = Periode::parse("2025-I").unwrap();
        assert_eq!(p.to_string(), "2025-I");
        assert_eq!(p.begindatum().to_string(), "2025-01-01");
        assert_eq!(p.einddatum().to_string(), "2025-06-30");
        assert_eq!(p.vorige().to_string(), "2024-II");
        assert_eq!(p.volgende().to_string(), "2025-II");
        assert_eq!(
            Periode::parse("2025-II").unwrap().einddatum().to_string(),
            "2025-12-31"
        );
        for bad in [
            "2025-III", "2025", "25-I", "2025-i", "2025-1", "../x-I", "", "+202-I",
        ] {
            assert_eq!(Periode::parse(bad), None, "{bad}");
        }
        // A year out of range is named, so that the message can say why.
        assert_eq!(Periode::parse_met_reden("0000-I"), Err(Some(0)));
        assert_eq!(Periode::parse_met_reden("1899-II"), Err(Some(1899)));
        assert_eq!(Periode::parse_met_reden("2025-III"), Err(None));
        let vroegst = Periode::parse("1900-I").unwrap();
        assert_eq!(vroegst.vorige().to_string(), "1899-II");
        assert_eq!(
            Periode {
                jaar: 950,
                helft: Helft::I
            }
            .to_string(),
            "0950-I",
            "four digits, always"
        );
    }

    #[test]
    fn parses_dates_and_months_strictly() {
        assert_eq!(
            Datum::parse("2024-02-29").unwrap().to_string(),
            "2024-02-29"
        );
        assert_eq!(Datum::parse("2023-02-29"), None);
        assert_eq!(Datum::parse("2024-2-1"), None);
        assert_eq!(Datum::parse("+202-01-01"), None);
        assert_eq!(Maand::parse("+202-01"), None);
        assert_eq!(Maand::parse("2024-13"), None);
        assert_eq!(
            Maand::parse("2024-09").unwrap().plus(4).to_string(),
            "2025-01"
        );
    }

    #[test]
    fn day_numbers_round_trip() {
        let d = Datum::parse("2025-01-01").unwrap();
        assert_eq!(d.dagnummer(), 20089);
        assert_eq!(d.plus_dagen(-91).to_string(), "2024-10-02");
        for n in [-1000, 0, 11_016, 20_089, 60_000] {
            assert_eq!(Datum::uit_dagnummer(n).dagnummer(), n);
        }
    }
}
