//! `verdeling.csv`: the taakstelling per municipality as data, made to open
//! correctly in a spreadsheet with Dutch settings.
//!
//! - Separator `;`: Excel with Dutch regional settings uses the comma as decimal
//!   separator and so expects `;` between fields; a comma-separated file would open
//!   as one column.
//! - UTF-8 with a byte order mark: without it Excel reads the file in the Windows
//!   code page and shows `Fryslân` as `FryslÃ¢n`. LibreOffice, Numbers, Python's
//!   `csv` (with `utf-8-sig`) and pandas read the mark without trouble.
//! - Records end in CRLF (RFC 4180).
//! - Numbers are plain digits (`17870`, `-12`): no thousands separator, so that a
//!   spreadsheet reads them as numbers whatever its locale. No totals row: every
//!   row is a municipality, so sums and filters in a spreadsheet stay right.
//! - Text that a spreadsheet would read as a formula (starting with `=`, `+`, `-`,
//!   `@`) gets a leading `'`. Municipality names never start that way; the guard is
//!   for names that come from an input.
//!
//! The columns are fixed: `gemeentecode;gemeentenaam;provincie;inwoners;taakstelling`,
//! then, only when the input makes them differ from the plain formula,
//! `inwoners_bron` (art. 30), `formule_uitkomst;herverdeling` (art. 29 lid 2) and
//! `achterstand;gecorrigeerde_taakstelling`, and for a period with a bijstelling
//! `taakstelling_na_bijstelling;verschil_bijstelling`. Rows in the order of the
//! Staatscourant table: by province, then by name.

use crate::engine::bekendmaking::Bekendmaking;
use crate::engine::bijstelling::Bijstelling;

/// The document and its format: the file `verdeling.csv` beside the documents.
pub const NAAM: &str = "verdeling";
pub const FORMAAT: &str = "csv";
/// The file name beside the documents.
pub const BESTAND: &str = "verdeling.csv";

/// The UTF-8 byte order mark that tells Excel the encoding.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The column names, the optional ones included when `b` needs them.
pub fn kolommen(b: &Bekendmaking, bijstelling: Option<&Bijstelling>) -> Vec<&'static str> {
    let mut k = vec![
        "gemeentecode",
        "gemeentenaam",
        "provincie",
        "inwoners",
        "taakstelling",
    ];
    if b.kolommen.vastgesteld {
        k.push("inwoners_bron");
    }
    if b.kolommen.herverdeling {
        k.extend(["formule_uitkomst", "herverdeling"]);
    }
    if b.kolommen.achterstand {
        k.extend(["achterstand", "gecorrigeerde_taakstelling"]);
    }
    if bijstelling.is_some() {
        k.extend(["taakstelling_na_bijstelling", "verschil_bijstelling"]);
    }
    k
}

/// Text that cannot start a formula in a spreadsheet.
fn tekst(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The CSV file of a distribution (see the module documentation).
/// With a bijstelling, the number after it and the difference follow each row
/// (`taakstelling` stays the number first published).
pub fn verdeling_csv(b: &Bekendmaking, bijstelling: Option<&Bijstelling>) -> Vec<u8> {
    let nieuw: Vec<&crate::engine::bijstelling::GemeenteVergelijking> = bijstelling
        .map(|s| s.per_provincie.iter().flat_map(|p| &p.gemeenten).collect())
        .unwrap_or_default();
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let write = |w: &mut csv::Writer<&mut Vec<u8>>, rij: Vec<String>| {
            w.write_record(&rij)
                .expect("writing CSV into memory cannot fail");
        };
        write(
            &mut w,
            kolommen(b, bijstelling)
                .into_iter()
                .map(str::to_string)
                .collect(),
        );
        for (i, r) in b.verdeling.regels.iter().enumerate() {
            let mut rij = vec![
                r.code.clone(),
                tekst(&r.naam),
                r.provincie.naam().to_string(),
                r.inwoners.to_string(),
                r.taakstelling.to_string(),
            ];
            if b.kolommen.vastgesteld {
                rij.push(
                    if r.inwoners_vastgesteld {
                        "Gedeputeerde Staten (art. 30)"
                    } else {
                        "CBS"
                    }
                    .to_string(),
                );
            }
            if b.kolommen.herverdeling {
                rij.push(r.formule_uitkomst.to_string());
                rij.push(r.herverdeling.to_string());
            }
            if b.kolommen.achterstand {
                rij.push(r.achterstand.unwrap_or(0).to_string());
                rij.push(r.gecorrigeerde_taakstelling.unwrap_or(0).to_string());
            }
            if let Some(g) = nieuw.get(i) {
                debug_assert_eq!(g.code, r.code);
                rij.push(g.aantallen.nieuw.to_string());
                rij.push(g.aantallen.verschil.to_string());
            }
            write(&mut w, rij);
        }
        w.flush().expect("writing CSV into memory cannot fail");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralised() {
        assert_eq!(tekst("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(tekst("@x"), "'@x");
        assert_eq!(tekst("'s-Hertogenbosch"), "'s-Hertogenbosch");
        assert_eq!(tekst("Súdwest-Fryslân"), "Súdwest-Fryslân");
    }
}
