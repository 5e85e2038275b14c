//! Charts as self-contained SVG strings.
//!
//! One pure function per chart. Each takes plain data (no engine types: the
//! integrator maps engine results into the structs below) and returns a
//! [`Chart`]: the SVG, its Dutch title, a Dutch text alternative and the
//! chart's data as a table, so that a document can offer the figures in words
//! and as a table beside the picture.
//!
//! | function | chart |
//! | --- | --- |
//! | [`bandbreedte()`] | graph 1 of the memo: monthly grants and the scenario bandwidth |
//! | [`achterstand()`] | taakstelling against outflow per year, and the backlog |
//! | [`amv_capaciteit()`] | places needed for amv, and places realised where known |
//! | [`historie()`] | the national taakstelling per period since 2015-I |
//!
//! The SVG elements are written directly (`draw`; no font files: text is
//! emitted as `<text>` with a font-family list, its width estimated from the
//! font size and the characters) and finished for HTML5: no XML declaration,
//! `role="img"`, `<title>` and `<desc>` as the first children, referenced by
//! `aria-labelledby`, a `viewBox` and a width that shrinks with its
//! container. The same input always gives the same bytes.
//!
//! Labels are placed by measuring: none covers a bar, a line or another
//! label ([`geometry`]), and a label that has no free place is left out
//! (its figure is in the data table). Each legend is built from the series
//! actually drawn. Under every chart a "Bron: ..." line names the sources
//! of its figures ([`Bron`], from the inputs), marking illustrative values
//! once.
//!
//! All chart text is Dutch; numbers and months are formatted by [`crate::nl`].
//!
//! ```
//! use taakstelling::charts::{self, BandbreedteData, Helft, MaandAantal, Periode};
//!
//! let data = BandbreedteData {
//!     periode: Periode { jaar: 2025, helft: Helft::I },
//!     inwilligingen: vec![
//!         MaandAantal { jaar: 2024, maand: 8, aantal: 3_100 },
//!         MaandAantal { jaar: 2024, maand: 9, aantal: 2_800 },
//!     ],
//!     scenario_1: 17_700,
//!     scenario_1_maanden: 2,
//!     gemiddelde_per_maand: 2_950,
//!     peilmoment: charts::Datum { jaar: 2024, maand: 10, dag: 1 },
//!     scenario_2: 23_800,
//!     taakstelling: 17_700,
//!     bronnen: vec![charts::Bron {
//!         onderwerp: "de inwilligingen".into(),
//!         tekst: "IND".into(),
//!         illustratief: true,
//!     }],
//! };
//! let chart = charts::bandbreedte(&data).unwrap();
//! assert!(chart.svg.starts_with("<svg "));
//! assert!(chart.description.contains("scenario 2 23.800"));
//! assert_eq!(chart.id, "grafiek-bandbreedte-2025-i");
//! assert!(chart.svg.contains(">Bron: IND (illustratieve waarden).<"));
//! ```

mod achterstand;
mod amv;
mod bandbreedte;
mod draw;
pub mod geometry;
mod historie;
mod layout;
mod svg;

use serde::Serialize;

pub use achterstand::{AchterstandData, AchterstandRij, HOOGTE_ACHTERSTAND, Tijdvak, achterstand};
pub use amv::{AmvData, AmvStand, amv_capaciteit};
pub use bandbreedte::{BandbreedteData, bandbreedte};
pub use historie::{HistorieData, HistoriePeriode, historie};

/// Width of every chart in SVG user units (CSS pixels at 100 %).
pub const BREEDTE: u32 = 760;
/// Height of a chart in SVG user units (graph 2, with two panels, is taller:
/// see [`achterstand()`]).
pub const HOOGTE: u32 = 480;

/// A finished chart: the SVG and everything a document needs around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chart {
    /// Id prefix used inside the SVG (`{id}-titel`, `{id}-beschrijving`);
    /// derived from the chart kind (and the period where there is one), so
    /// unique among the charts of one document. Usable as a fragment id for
    /// the surrounding `<figure>` as well.
    pub id: String,
    /// The SVG, ready to inline in HTML5 or to write to a `.svg` file.
    pub svg: String,
    /// Dutch title, the same text as the SVG's `<title>` and heading.
    pub title: String,
    /// Dutch text alternative with the key figures (the SVG's `<desc>`).
    pub description: String,
    /// The chart's data, formatted in Dutch.
    pub table: DataTable,
}

impl Chart {
    /// The finished chart around a drawn SVG: the accessible root element with its
    /// `<title>` and `<desc>`, and the texts and table a document shows beside it.
    fn finish(
        id: String,
        title: String,
        description: String,
        table: DataTable,
        body: &str,
        height: u32,
    ) -> Chart {
        Chart {
            svg: svg::finish(body, &id, &title, &description, BREEDTE, height),
            id,
            title,
            description,
            table,
        }
    }
}

/// A chart's data as a table of Dutch-formatted strings.
///
/// Cells that do not apply to a row are empty strings; figures that are not
/// known are written as `onbekend`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl DataTable {
    /// The table as a CommonMark (GFM) pipe table; the first column is
    /// left-aligned, the others (figures) right-aligned. Pipes and
    /// backslashes in cells are escaped.
    pub fn to_markdown(&self) -> String {
        fn cell(s: &str) -> String {
            s.replace('\\', "\\\\").replace('|', "\\|")
        }
        let mut out = String::new();
        let line = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
            format!("| {} |\n", cells.join(" | "))
        };
        out.push_str(&line(&self.headers));
        let align: Vec<&str> = (0..self.headers.len())
            .map(|i| if i == 0 { ":---" } else { "---:" })
            .collect();
        out.push_str(&format!("| {} |\n", align.join(" | ")));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

pub use crate::kalender::{Datum, Helft, Periode};

/// A source of a chart's figures, as the inputs name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bron {
    /// What the source gives, with its article ("de uitstroom"): named in
    /// the source line when only some of a chart's figures are illustrative.
    pub onderwerp: String,
    /// The source as the inputs name it ("COA", "IND-productieplan T2 2024").
    pub tekst: String,
    /// Whether the figures are made-up example values.
    pub illustratief: bool,
}

/// The source line under a chart: "Bron: A; B." with illustrative values
/// marked once: after the line when all figures are illustrative, naming the
/// illustrative ones when only some are. `None` without sources.
pub(crate) fn bron_line(bronnen: &[Bron]) -> Option<String> {
    let mut teksten: Vec<&str> = Vec::new();
    for b in bronnen {
        let t = b.tekst.trim();
        if !t.is_empty() && !teksten.contains(&t) {
            teksten.push(t);
        }
    }
    if teksten.is_empty() {
        return None;
    }
    let mut line = format!("Bron: {}", teksten.join("; "));
    let illustratief: Vec<&str> = bronnen
        .iter()
        .filter(|b| b.illustratief)
        .map(|b| b.onderwerp.as_str())
        .fold(Vec::new(), |mut v, o| {
            if !v.contains(&o) {
                v.push(o);
            }
            v
        });
    if !illustratief.is_empty() {
        if bronnen.iter().all(|b| b.illustratief) {
            line.push_str(" (illustratieve waarden)");
        } else {
            line.push_str(&format!(
                " (illustratieve waarden voor {})",
                opsomming(&illustratief)
            ));
        }
    }
    if !line.ends_with('.') {
        line.push('.');
    }
    Some(line)
}

/// Dutch enumeration: `a`, `a en b`, `a, b en c`.
pub(crate) fn opsomming<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} en {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// The text alternative with the source line after it.
pub(crate) fn with_bron(description: String, bronnen: &[Bron]) -> String {
    match bron_line(bronnen) {
        Some(bron) => format!("{description} {bron}"),
        None => description,
    }
}

/// A count for one calendar month (`maand` 1 = January).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MaandAantal {
    pub jaar: i32,
    pub maand: u32,
    pub aantal: u64,
}

/// Why a chart could not be drawn. The engine validates its inputs first, so
/// these point at a mapping mistake by the caller rather than at user input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("chart {chart}: no data to draw ({what})")]
    Empty {
        chart: &'static str,
        what: &'static str,
    },
    #[error("chart {chart}: invalid {what}: {value}")]
    Invalid {
        chart: &'static str,
        what: &'static str,
        value: String,
    },
    #[error("chart {chart}: {what} must be in increasing order without repeats ({value})")]
    Order {
        chart: &'static str,
        what: &'static str,
        value: String,
    },
}

pub(crate) fn check_month(chart: &'static str, jaar: i32, maand: u32) -> Result<(), ChartError> {
    if (1..=12).contains(&maand) {
        Ok(())
    } else {
        Err(ChartError::Invalid {
            chart,
            what: "month",
            value: format!("{jaar}-{maand}"),
        })
    }
}

pub(crate) fn check_date(chart: &'static str, d: Datum) -> Result<(), ChartError> {
    check_month(chart, d.jaar, d.maand)?;
    if d.dag >= 1 && d.dag <= crate::kalender::dagen_in_maand(d.jaar, d.maand) {
        Ok(())
    } else {
        Err(ChartError::Invalid {
            chart,
            what: "date",
            value: format!("{}-{:02}-{:02}", d.jaar, d.maand, d.dag),
        })
    }
}

/// A period total as a whole monthly pace, rounded half up: 23.800 → 3.967.
pub(crate) fn per_maand(totaal: u64) -> u64 {
    totaal.saturating_add(u64::from(Periode::MAANDEN) / 2) / u64::from(Periode::MAANDEN)
}

/// [`crate::nl::getal`] for unsigned counts.
pub(crate) fn getal(n: u64) -> String {
    crate::nl::getal(i64::try_from(n).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_maand_rounds_half_up() {
        assert_eq!(per_maand(17_700), 2_950);
        assert_eq!(per_maand(23_800), 3_967);
        assert_eq!(per_maand(3), 1);
        assert_eq!(per_maand(2), 0);
    }

    #[test]
    fn markdown_table_escapes_pipes() {
        let t = DataTable {
            headers: vec!["Jaar".into(), "Aantal".into()],
            rows: vec![vec!["a|b".into(), "1.000".into()]],
        };
        assert_eq!(
            t.to_markdown(),
            "| Jaar | Aantal |\n| :--- | ---: |\n| a\\|b | 1.000 |\n"
        );
    }

    fn bron(onderwerp: &str, tekst: &str, illustratief: bool) -> Bron {
        Bron {
            onderwerp: onderwerp.into(),
            tekst: tekst.into(),
            illustratief,
        }
    }

    #[test]
    fn the_source_line_marks_illustrative_values_once() {
        assert_eq!(bron_line(&[]), None);
        assert_eq!(
            bron_line(&[bron("de plekken", "Nidos", false)]).unwrap(),
            "Bron: Nidos."
        );
        assert_eq!(
            bron_line(&[
                bron("de inwilligingen", "IND, maandcijfers", true),
                bron("scenario 2", "IND-productieplan T2 2024, MPP 2024-2", true),
            ])
            .unwrap(),
            "Bron: IND, maandcijfers; IND-productieplan T2 2024, MPP 2024-2 (illustratieve waarden)."
        );
        let mixed = bron_line(&[
            bron("de taakstelling", "Rijksoverheid", false),
            bron("de uitstroom", "COA", true),
            bron("de achterstand", "COA", true),
        ])
        .unwrap();
        assert_eq!(
            mixed,
            "Bron: Rijksoverheid; COA (illustratieve waarden voor de uitstroom en de achterstand)."
        );
        assert_eq!(mixed.matches("illustratieve waarden").count(), 1);
        // A source that ends a sentence gets no second full stop.
        assert_eq!(
            bron_line(&[bron("x", "CBS, StatLine.", false)]).unwrap(),
            "Bron: CBS, StatLine."
        );
    }

    #[test]
    fn opsomming_in_dutch() {
        assert_eq!(opsomming(&["a"]), "a");
        assert_eq!(opsomming(&["a", "b"]), "a en b");
        assert_eq!(opsomming(&["a", "b", "c"]), "a, b en c");
    }

    #[test]
    fn dates_are_checked() {
        let ok = Datum {
            jaar: 2024,
            maand: 2,
            dag: 29,
        };
        assert!(check_date("t", ok).is_ok());
        let bad = Datum {
            jaar: 2025,
            maand: 2,
            dag: 29,
        };
        assert!(check_date("t", bad).is_err());
        assert!(check_month("t", 2025, 13).is_err());
    }
}
