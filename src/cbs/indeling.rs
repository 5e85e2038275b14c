//! CBS's municipal division table (*Gemeentelijke indeling op 1 januari*): the
//! province of every municipality. CBS publishes it per year as
//! `gemeenten-alfabetisch-YYYY` with the columns `Gemeentecode`, `GemeentecodeGM`,
//! `Gemeentenaam`, `Provinciecode`, `ProvinciecodePV` and `Provincienaam`, separated by
//! `;` (or `,` when saved from the spreadsheet). Other columns are ignored; lines
//! starting with `#` are comments.

use std::collections::BTreeMap;

use crate::input::bevolking::{Provincie, is_gemeentecode};
use crate::input::fout::ErrorCollector;
use crate::input::{Bron, InputErrors, Pos};

use super::download::pos_at;

/// One municipality of the division.
#[derive(Debug, Clone)]
pub struct IndelingGemeente {
    pub naam: String,
    pub provincie: Provincie,
    pub pos: Option<Pos>,
}

/// The municipal division: municipality code → name and province.
#[derive(Debug, Clone, Default)]
pub struct Indeling {
    pub gemeenten: BTreeMap<String, IndelingGemeente>,
}

/// Where the columns are: GemeentecodeGM, Gemeentecode, Gemeentenaam,
/// ProvinciecodePV, Provincienaam.
type Columns = (
    Option<usize>,
    Option<usize>,
    usize,
    Option<usize>,
    Option<usize>,
);

/// The province of a CBS province code (`PV20` Groningen to `PV31` Limburg).
pub fn provincie_of_code(code: &str) -> Option<Provincie> {
    let nr: usize = code.trim().strip_prefix("PV")?.parse().ok()?;
    nr.checked_sub(20)
        .and_then(|i| Provincie::ALLE.get(i))
        .copied()
}

pub fn read(source: &Bron) -> Result<Indeling, InputErrors> {
    let text = source.tekst.as_str();
    let mut f = ErrorCollector::new(source);
    let header_line = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .unwrap_or("");
    let separator = if header_line.contains(';') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut columns: Option<Columns> = None;
    let mut indeling = Indeling::default();
    let mut first_line: BTreeMap<String, u64> = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let pos = e.position().map(|p| pos_at(text, p.byte() as usize, 1));
                f.push(pos, "(file)", format!("cannot read the CSV: {e}"));
                break;
            }
        };
        let begin = super::download::record_begin(text, &record);
        let Some(k) = columns else {
            columns = header_columns(&record);
            if columns.is_none() {
                f.push(
                    line_pos(text, begin),
                    "(header)",
                    "expected CBS's municipal division table with the columns GemeentecodeGM, \
                     Gemeentenaam and Provincienaam (or ProvinciecodePV), as in \
                     gemeenten-alfabetisch-YYYY",
                );
                return Err(f.into_result(()).unwrap_err());
            }
            continue;
        };
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let Some((code, gemeente)) = division_row(&mut f, text, begin, &record, k) else {
            continue;
        };
        if let Some(first) = first_line.get(&code) {
            f.push(
                line_pos(text, begin),
                "GemeentecodeGM",
                format!("municipality code {code} appears twice (first on line {first})"),
            );
            continue;
        }
        first_line.insert(code.clone(), gemeente.pos.map_or(0, |p| p.line));
        indeling.gemeenten.insert(code, gemeente);
    }
    if columns.is_none() && f.errors.is_empty() {
        f.push(
            None,
            "(file)",
            "the file is empty, expected CBS's municipal division table",
        );
    }
    f.into_result(indeling)
}

/// The place of the whole line that starts at byte `begin`.
fn line_pos(text: &str, begin: usize) -> Option<Pos> {
    let end = text[begin..].find('\n').map_or(text.len(), |i| begin + i);
    Some(pos_at(text, begin, end - begin))
}

/// The columns of the header row: a name, a code (GM or number) and a province
/// (code or name) are needed.
fn header_columns(record: &csv::StringRecord) -> Option<Columns> {
    let find = |naam: &str| {
        record
            .iter()
            .position(|v| v.trim().eq_ignore_ascii_case(naam))
    };
    let (gm, number, naam) = (
        find("GemeentecodeGM"),
        find("Gemeentecode"),
        find("Gemeentenaam"),
    );
    let (pv, pname) = (find("ProvinciecodePV"), find("Provincienaam"));
    match naam {
        Some(naam) if (gm.is_some() || number.is_some()) && (pv.is_some() || pname.is_some()) => {
            Some((gm, number, naam, pv, pname))
        }
        _ => None,
    }
}

/// One municipality of the division (its row starts at byte `begin`), checked.
fn division_row(
    f: &mut ErrorCollector,
    text: &str,
    begin: usize,
    record: &csv::StringRecord,
    (gm, number, naam, pv, pname): Columns,
) -> Option<(String, IndelingGemeente)> {
    let row_pos = line_pos(text, begin);
    let field = |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::trim);
    let code = match (field(gm), field(number)) {
        (Some(c), _) if !c.is_empty() => c.to_string(),
        (_, Some(n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("GM{n:0>4}")
        }
        (c, n) => c.or(n).unwrap_or_default().to_string(),
    };
    if !is_gemeentecode(&code) {
        f.push(
            row_pos,
            "GemeentecodeGM",
            format!("expected a municipality code `GM` followed by four digits, found `{code}`"),
        );
        return None;
    }
    let gemeentenaam = field(Some(naam)).unwrap_or_default().to_string();
    if gemeentenaam.is_empty() {
        f.push(
            row_pos,
            "Gemeentenaam",
            "expected the name of the municipality, found an empty field",
        );
        return None;
    }
    let provincie = province(f, row_pos, field(pv), field(pname))?;
    Some((
        code,
        IndelingGemeente {
            naam: gemeentenaam,
            provincie,
            pos: row_pos,
        },
    ))
}

/// The province of a row, from its code, its name or both (which must agree).
fn province(
    f: &mut ErrorCollector,
    row_pos: Option<Pos>,
    code: Option<&str>,
    naam: Option<&str>,
) -> Option<Provincie> {
    let from_code = code
        .filter(|v| !v.is_empty())
        .map(|v| (v, provincie_of_code(v)));
    let from_name = naam.filter(|v| !v.is_empty()).map(|v| {
        (
            v,
            Provincie::from_naam(v).or_else(|| Provincie::suggestie(v)),
        )
    });
    let (field, message) = match (from_code, from_name) {
        (Some((c, None)), _) => (
            "ProvinciecodePV",
            format!("expected a province code PV20 to PV31, found `{c}`"),
        ),
        (_, Some((n, None))) => (
            "Provincienaam",
            format!("expected one of the twelve provinces, found `{n}`"),
        ),
        (Some((c, Some(a))), Some((n, Some(b)))) if a != b => (
            "Provincienaam",
            format!("the province code {c} is {a}, but the province name is `{n}`"),
        ),
        (Some((_, Some(p))), _) | (None, Some((_, Some(p)))) => return Some(p),
        (None, None) => (
            "Provincienaam",
            "expected the province of the municipality, found an empty field".to_string(),
        ),
    };
    f.push(row_pos, field, message);
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn reads_the_cbs_layout_with_either_separator() {
        let t = "Gemeentecode,GemeentecodeGM,Gemeentenaam,Provinciecode,ProvinciecodePV,Provincienaam\n\
                 1680,GM1680,Aa en Hunze,22,PV22,Drenthe\n\
                 0820,GM0820,\"Nuenen, Gerwen en Nederwetten\",30,PV30,Noord-Brabant\n";
        let i = read(&Bron::new(Path::new("i.csv"), t.into())).unwrap();
        assert_eq!(i.gemeenten["GM0820"].naam, "Nuenen, Gerwen en Nederwetten");
        assert_eq!(i.gemeenten["GM1680"].provincie, Provincie::Drenthe);
        let t = "# test\nGemeentecode;Gemeentenaam;Provincienaam\n363;Amsterdam;Noord-Holland\n";
        let i = read(&Bron::new(Path::new("i.csv"), t.into())).unwrap();
        assert_eq!(i.gemeenten["GM0363"].provincie, Provincie::NoordHolland);
    }

    #[test]
    fn reports_each_bad_row() {
        let t = "GemeentecodeGM;Gemeentenaam;ProvinciecodePV;Provincienaam\n\
                 GM0001;A;PV21;Drenthe\nGM0002;B;PV40;Drenthe\nGM0003;C;;Holland\nGM0004;D;PV22;Drenthe\nGM0004;D;PV22;Drenthe\n";
        let e = read(&Bron::new(Path::new("i.csv"), t.into())).unwrap_err();
        let m: Vec<String> = e
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.location, e.message))
            .collect();
        assert_eq!(m.len(), 4, "{m:?}");
        assert!(
            m[0].starts_with("i.csv:2:1: the province code PV21 is Fryslân"),
            "{m:?}"
        );
        assert!(m[1].contains("PV20 to PV31"));
        assert!(m[2].contains("twelve provinces"));
        assert!(m[3].contains("appears twice (first on line 5)"));
        assert!(read(&Bron::new(Path::new("i.csv"), "a;b\n".into())).is_err());
        assert_eq!(provincie_of_code("PV31"), Some(Provincie::Limburg));
        assert_eq!(provincie_of_code("PV19"), None);
    }
}
