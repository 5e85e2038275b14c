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

use super::download::pos_op;

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
type Kolommen = (
    Option<usize>,
    Option<usize>,
    usize,
    Option<usize>,
    Option<usize>,
);

/// The province of a CBS province code (`PV20` Groningen to `PV31` Limburg).
pub fn provincie_van_code(code: &str) -> Option<Provincie> {
    let nr: usize = code.trim().strip_prefix("PV")?.parse().ok()?;
    nr.checked_sub(20)
        .and_then(|i| Provincie::ALLE.get(i))
        .copied()
}

pub fn lees(bron: &Bron) -> Result<Indeling, InputErrors> {
    let tekst = bron.tekst.as_str();
    let mut f = ErrorCollector::new(bron);
    let kopregel = tekst
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .unwrap_or("");
    let scheiding = if kopregel.contains(';') { b';' } else { b',' };
    let mut lezer = csv::ReaderBuilder::new()
        .delimiter(scheiding)
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(tekst.as_bytes());
    let mut kolommen: Option<Kolommen> = None;
    let mut indeling = Indeling::default();
    let mut eerste_regel: BTreeMap<String, u64> = BTreeMap::new();
    for record in lezer.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let pos = e.position().map(|p| pos_op(tekst, p.byte() as usize, 1));
                f.push(pos, "(file)", format!("cannot read the CSV: {e}"));
                break;
            }
        };
        let begin = super::download::record_begin(tekst, &record);
        let Some(k) = kolommen else {
            kolommen = header_columns(&record);
            if kolommen.is_none() {
                f.push(
                    line_pos(tekst, begin),
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
        let Some((code, gemeente)) = division_row(&mut f, tekst, begin, &record, k) else {
            continue;
        };
        if let Some(eerste) = eerste_regel.get(&code) {
            f.push(
                line_pos(tekst, begin),
                "GemeentecodeGM",
                format!("municipality code {code} appears twice (first on line {eerste})"),
            );
            continue;
        }
        eerste_regel.insert(code.clone(), gemeente.pos.map_or(0, |p| p.line));
        indeling.gemeenten.insert(code, gemeente);
    }
    if kolommen.is_none() && f.errors.is_empty() {
        f.push(
            None,
            "(file)",
            "the file is empty, expected CBS's municipal division table",
        );
    }
    f.into_result(indeling)
}

/// The place of the whole line that starts at byte `begin`.
fn line_pos(tekst: &str, begin: usize) -> Option<Pos> {
    let eind = tekst[begin..].find('\n').map_or(tekst.len(), |i| begin + i);
    Some(pos_op(tekst, begin, eind - begin))
}

/// The columns of the header row: a name, a code (GM or number) and a province
/// (code or name) are needed.
fn header_columns(record: &csv::StringRecord) -> Option<Kolommen> {
    let vind = |naam: &str| {
        record
            .iter()
            .position(|v| v.trim().eq_ignore_ascii_case(naam))
    };
    let (gm, nummer, naam) = (
        vind("GemeentecodeGM"),
        vind("Gemeentecode"),
        vind("Gemeentenaam"),
    );
    let (pv, pnaam) = (vind("ProvinciecodePV"), vind("Provincienaam"));
    match naam {
        Some(naam) if (gm.is_some() || nummer.is_some()) && (pv.is_some() || pnaam.is_some()) => {
            Some((gm, nummer, naam, pv, pnaam))
        }
        _ => None,
    }
}

/// One municipality of the division (its row starts at byte `begin`), checked.
fn division_row(
    f: &mut ErrorCollector,
    tekst: &str,
    begin: usize,
    record: &csv::StringRecord,
    (gm, nummer, naam, pv, pnaam): Kolommen,
) -> Option<(String, IndelingGemeente)> {
    let regel_pos = line_pos(tekst, begin);
    let veld = |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::trim);
    let code = match (veld(gm), veld(nummer)) {
        (Some(c), _) if !c.is_empty() => c.to_string(),
        (_, Some(n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("GM{n:0>4}")
        }
        (c, n) => c.or(n).unwrap_or_default().to_string(),
    };
    if !is_gemeentecode(&code) {
        f.push(
            regel_pos,
            "GemeentecodeGM",
            format!("expected a municipality code `GM` followed by four digits, found `{code}`"),
        );
        return None;
    }
    let gemeentenaam = veld(Some(naam)).unwrap_or_default().to_string();
    if gemeentenaam.is_empty() {
        f.push(
            regel_pos,
            "Gemeentenaam",
            "expected the name of the municipality, found an empty field",
        );
        return None;
    }
    let provincie = province(f, regel_pos, veld(pv), veld(pnaam))?;
    Some((
        code,
        IndelingGemeente {
            naam: gemeentenaam,
            provincie,
            pos: regel_pos,
        },
    ))
}

/// The province of a row, from its code, its name or both (which must agree).
fn province(
    f: &mut ErrorCollector,
    regel_pos: Option<Pos>,
    code: Option<&str>,
    naam: Option<&str>,
) -> Option<Provincie> {
    let uit_code = code
        .filter(|v| !v.is_empty())
        .map(|v| (v, provincie_van_code(v)));
    let uit_naam = naam.filter(|v| !v.is_empty()).map(|v| {
        (
            v,
            Provincie::from_naam(v).or_else(|| Provincie::suggestie(v)),
        )
    });
    let (veld, bericht) = match (uit_code, uit_naam) {
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
    f.push(regel_pos, veld, bericht);
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
        let i = lees(&Bron::new(Path::new("i.csv"), t.into())).unwrap();
        assert_eq!(i.gemeenten["GM0820"].naam, "Nuenen, Gerwen en Nederwetten");
        assert_eq!(i.gemeenten["GM1680"].provincie, Provincie::Drenthe);
        let t = "# test\nGemeentecode;Gemeentenaam;Provincienaam\n363;Amsterdam;Noord-Holland\n";
        let i = lees(&Bron::new(Path::new("i.csv"), t.into())).unwrap();
        assert_eq!(i.gemeenten["GM0363"].provincie, Provincie::NoordHolland);
    }

    #[test]
    fn reports_each_bad_row() {
        let t = "GemeentecodeGM;Gemeentenaam;ProvinciecodePV;Provincienaam\n\
                 GM0001;A;PV21;Drenthe\nGM0002;B;PV40;Drenthe\nGM0003;C;;Holland\nGM0004;D;PV22;Drenthe\nGM0004;D;PV22;Drenthe\n";
        let e = lees(&Bron::new(Path::new("i.csv"), t.into())).unwrap_err();
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
        assert!(lees(&Bron::new(Path::new("i.csv"), "a;b\n".into())).is_err());
        assert_eq!(provincie_van_code("PV31"), Some(Provincie::Limburg));
        assert_eq!(provincie_van_code("PV19"), None);
    }
}
