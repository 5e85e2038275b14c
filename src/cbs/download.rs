//! Reading CBS's own downloads of the population on 1 January per municipality.
//!
//! Three layouts are read (see the README, "Population tables"):
//!
//! - the CSV that StatLine exports: `;` between fields, fields quoted or not, title
//!   and metadata lines above the header row and below the data, a header row with
//!   `Regio's`, `Perioden` and the population (`Bevolking op 1 januari (aantal)`,
//!   70072NED's `.../Totale bevolking (aantal)`, 37259ned's `Bevolking aan het begin
//!   van de periode (aantal)`, or the column codes such as `BevolkingOp1Januari_1`);
//! - the JSON of CBS's open-data API: OData v3 (`{"odata.metadata": ..., "value":
//!   [{"RegioS": "GM0363", "Perioden": "2025JJ00", "BevolkingOp1Januari_1": ...}]}`)
//!   or OData v4 (`{"@odata.context": ..., "value": [{"Measure": ..., "Value": ...,
//!   "RegioS": ..., "Perioden": ...}]}`);
//! - a plain CSV with the header `gemeentecode;gemeentenaam;inwoners`.
//!
//! Every problem is reported with file, line and column, all at once.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::input::bevolking::is_gemeentecode;
use crate::input::fout::Fouten;
use crate::input::{Bron, InputErrors, Pos};
use crate::kalender::Datum;

/// The layout a download was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formaat {
    StatLine,
    ODataV3,
    ODataV4,
    Eenvoudig,
}

impl Formaat {
    pub fn naam(self) -> &'static str {
        match self {
            Formaat::StatLine => "StatLine CSV export",
            Formaat::ODataV3 => "CBS open data JSON, OData v3",
            Formaat::ODataV4 => "CBS open data JSON, OData v4",
            Formaat::Eenvoudig => "plain CSV gemeentecode;gemeentenaam;inwoners",
        }
    }
}

/// How a row names its region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regio {
    /// A CBS municipality code, `GM` and four digits.
    Code(String),
    /// A name as StatLine shows it (`Groningen (gemeente)`, `Beek (L.)`).
    Naam(String),
}

/// One municipality of a download.
#[derive(Debug, Clone)]
pub struct Rij {
    pub regio: Regio,
    /// The name, when the download gives one beside a code.
    pub naam: Option<String>,
    pub inwoners: u64,
    /// Where the row (its region) is.
    pub pos: Option<Pos>,
}

/// What a download holds for one peildatum.
#[derive(Debug, Clone)]
pub struct Download {
    pub formaat: Formaat,
    pub rijen: Vec<Rij>,
    /// The national total (`Nederland`, `NL01`) with its place, when the download has it.
    pub totaal: Option<(u64, Option<Pos>)>,
    /// The CBS table, such as `03759ned`, when the download names it.
    pub tabel: Option<String>,
    /// The day of the download, when the download or its file name says it.
    pub gedownload: Option<Datum>,
    /// Whether CBS marks the figures provisional (`2025*`).
    pub voorlopig: bool,
}

/// The population columns and properties CBS uses for "inhabitants on 1 January".
const BEVOLKING_KOPPEN: [&str; 3] = [
    "bevolking op 1 januari",
    "totale bevolking",
    "bevolking aan het begin van de periode",
];
const BEVOLKING_CODES: [&str; 3] = [
    "BevolkingOp1Januari",
    "TotaleBevolking",
    "BevolkingAanHetBeginVanDePeriode",
];

/// What the download should look like, for an error about a file of another kind.
const LAYOUTS: &str = "a StatLine CSV export (a header row with Regio's, Perioden and \
     Bevolking op 1 januari (aantal)), CBS open data JSON (OData v3 or v4), or a CSV with the \
     header gemeentecode;gemeentenaam;inwoners";

/// Reads `bron` (the download, named `bestandsnaam`) for 1 January of `jaar`.
pub fn lees(bron: &Bron, bestandsnaam: &str, jaar: i32) -> Result<Download, InputErrors> {
    let tekst = bron.tekst.as_str();
    let mut f = Fouten::new(bron);
    let begin = tekst.trim_start();
    let mut d = if begin.starts_with('{') || begin.starts_with('[') {
        lees_json(&mut f, tekst, jaar)
    } else if eerste_regel_is_eenvoudig(tekst) {
        lees_eenvoudig(&mut f, tekst)
    } else {
        lees_statline(&mut f, tekst, jaar)
    };
    if let Some(d) = &mut d {
        if d.tabel.is_none() {
            d.tabel = tabel_in(bestandsnaam);
        }
        if d.gedownload.is_none() {
            d.gedownload = datum_in_bestandsnaam(bestandsnaam);
        }
    }
    if d.is_none() && f.errors.is_empty() {
        f.push(
            None,
            "(file)",
            format!("cannot read the file; expected {LAYOUTS}"),
        );
    }
    match (d, f.into_result(())) {
        (Some(d), Ok(())) => Ok(d),
        (_, Err(e)) => Err(e),
        (None, Ok(())) => unreachable!("an error was pushed above"),
    }
}

/// The place of byte `offset` (and `len` bytes) in `tekst`, with a character column.
pub fn pos_op(tekst: &str, offset: usize, len: usize) -> Pos {
    let offset = offset.min(tekst.len());
    let voor = &tekst[..offset];
    let line = voor.matches('\n').count() as u64 + 1;
    let begin = voor.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line,
        column: voor[begin..].chars().count() as u64 + 1,
        offset,
        len,
    }
}

// ----- CSV ---------------------------------------------------------------------------

/// The text of the line starting at `begin`.
fn regel(tekst: &str, begin: usize) -> &str {
    let begin = begin.min(tekst.len());
    let eind = tekst[begin..].find('\n').map_or(tekst.len(), |i| begin + i);
    tekst[begin..eind].trim_end_matches('\r')
}

/// The place of field `i` of the CSV record that starts at byte `begin` (quotes respected).
fn veld_pos(tekst: &str, begin: usize, i: usize, scheiding: u8) -> Pos {
    let r = regel(tekst, begin).as_bytes();
    let mut veld = 0;
    let mut start = 0;
    let mut quoted = false;
    for (j, &b) in r.iter().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == scheiding && !quoted {
            if veld == i {
                return pos_op(tekst, begin + start, j - start);
            }
            veld += 1;
            start = j + 1;
        }
    }
    if veld == i {
        pos_op(tekst, begin + start, r.len() - start)
    } else {
        pos_op(tekst, begin, r.len())
    }
}

/// Where a record starts in `tekst`. After a CRLF line end the reader's position is
/// on the `\n`; the record starts after it.
pub fn record_begin(tekst: &str, r: &csv::StringRecord) -> usize {
    let mut b = r.position().map_or(0, |p| p.byte() as usize);
    while matches!(tekst.as_bytes().get(b), Some(b'\r' | b'\n')) {
        b += 1;
    }
    b
}

fn csv_lezer(tekst: &str, comment: Option<u8>) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .comment(comment)
        .from_reader(tekst.as_bytes())
}

fn csv_syntaxfout(f: &mut Fouten, tekst: &str, e: &csv::Error) {
    let pos = e.position().map(|p| pos_op(tekst, p.byte() as usize, 1));
    f.push(pos, "(file)", format!("cannot read the CSV: {e}"));
}

/// Whether the first line that is not a comment is `gemeentecode;gemeentenaam;inwoners`.
fn eerste_regel_is_eenvoudig(tekst: &str) -> bool {
    tekst
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| {
            l.replace('"', "")
                .eq_ignore_ascii_case("gemeentecode;gemeentenaam;inwoners")
        })
}

/// A count of inhabitants: digits, perhaps padded with spaces (StatLine right-aligns).
enum Getal {
    Leeg,
    Waarde(u64),
    Fout(&'static str),
}

fn getal(s: &str) -> Getal {
    let s = s.trim();
    if s.is_empty() || s == "." {
        return Getal::Leeg;
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Getal::Fout("expected a whole number of inhabitants (digits only)");
    }
    match s.parse::<u64>() {
        Ok(0) => Getal::Fout("expected a number of inhabitants greater than zero"),
        Ok(n) => Getal::Waarde(n),
        Err(_) => Getal::Fout("expected a whole number of inhabitants of a realistic size"),
    }
}

fn lees_eenvoudig(f: &mut Fouten, tekst: &str) -> Option<Download> {
    let mut rijen = Vec::new();
    let mut kop = true;
    for record in csv_lezer(tekst, Some(b'#')).records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                csv_syntaxfout(f, tekst, &e);
                return None;
            }
        };
        let begin = record_begin(tekst, &record);
        if kop {
            kop = false;
            continue;
        }
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if record.len() != 3 {
            f.push(
                Some(pos_op(tekst, begin, regel(tekst, begin).len())),
                "(row)",
                format!(
                    "expected 3 fields (gemeentecode;gemeentenaam;inwoners), found {}",
                    record.len()
                ),
            );
            continue;
        }
        let code = record[0].trim();
        let naam = record[1].trim();
        let mut goed = true;
        if !is_gemeentecode(code) {
            f.push(
                Some(veld_pos(tekst, begin, 0, b';')),
                "gemeentecode",
                format!(
                    "expected a municipality code `GM` followed by four digits, found `{code}`"
                ),
            );
            goed = false;
        }
        if naam.is_empty() {
            f.push(
                Some(veld_pos(tekst, begin, 1, b';')),
                "gemeentenaam",
                "expected the name of the municipality, found an empty field",
            );
            goed = false;
        }
        let inwoners = match getal(&record[2]) {
            Getal::Waarde(n) => Some(n),
            Getal::Leeg => {
                f.push(
                    Some(veld_pos(tekst, begin, 2, b';')),
                    "inwoners",
                    "expected the number of inhabitants, found an empty field",
                );
                None
            }
            Getal::Fout(m) => {
                f.push(
                    Some(veld_pos(tekst, begin, 2, b';')),
                    "inwoners",
                    format!("{m}, found `{}`", record[2].trim()),
                );
                None
            }
        };
        if let (true, Some(inwoners)) = (goed, inwoners) {
            rijen.push(Rij {
                regio: Regio::Code(code.to_string()),
                naam: Some(naam.to_string()),
                inwoners,
                pos: Some(veld_pos(tekst, begin, 0, b';')),
            });
        }
    }
    if rijen.is_empty() && f.errors.is_empty() {
        f.push(None, "(file)", "the file has no municipalities");
    }
    Some(Download {
        formaat: Formaat::Eenvoudig,
        rijen,
        totaal: None,
        tabel: None,
        gedownload: None,
        voorlopig: false,
    })
}

/// A normalised column name: lower case, trimmed, without a trailing unit.
fn kolom_sleutel(kop: &str) -> String {
    let laatste = kop.rsplit('/').next().unwrap_or(kop).trim();
    let zonder_eenheid = match laatste.rfind(" (") {
        Some(i) if laatste.ends_with(')') => &laatste[..i],
        _ => laatste,
    };
    zonder_eenheid.trim().to_lowercase()
}

/// Whether a column code is a CBS topic code such as `BevolkingOp1Januari_1`.
fn is_onderwerp_code(kop: &str) -> bool {
    match kop.rsplit_once('_') {
        Some((naam, nr)) => {
            !naam.is_empty()
                && naam.chars().all(|c| c.is_ascii_alphanumeric())
                && !nr.is_empty()
                && nr.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

fn is_bevolking_code(kop: &str) -> bool {
    is_onderwerp_code(kop)
        && kop
            .rsplit_once('_')
            .is_some_and(|(naam, _)| BEVOLKING_CODES.contains(&naam))
}

fn is_bevolking_kolom(kop: &str) -> bool {
    is_bevolking_code(kop.trim()) || BEVOLKING_KOPPEN.contains(&kolom_sleutel(kop).as_str())
}

fn is_regio_kolom(kop: &str) -> bool {
    matches!(
        kop.trim().to_lowercase().as_str(),
        "regio's" | "regios" | "regio’s" | "regio" | "gemeente" | "gemeenten"
    )
}

fn is_perioden_kolom(kop: &str) -> bool {
    matches!(kop.trim().to_lowercase().as_str(), "perioden" | "periode")
}

/// Whether a value of another dimension (sex, age, marital status) is its total.
fn is_totaal(waarde: &str) -> bool {
    let w = waarde.trim();
    let totaalcode =
        w.len() > 1 && w.starts_with('T') && w[1..].bytes().all(|b| b.is_ascii_digit());
    totaalcode || w == "10000" || w.to_lowercase().starts_with("totaal")
}

/// A year of a period cell: `2025`, `2025JJ00`, with `*` when provisional.
fn periode_jaar(cel: &str) -> Option<(i32, bool)> {
    let c = cel.trim();
    let zonder = c.trim_end_matches('*');
    let voorlopig = zonder.len() != c.len();
    let jaar = zonder.strip_suffix("JJ00").unwrap_or(zonder);
    (jaar.len() == 4 && jaar.bytes().all(|b| b.is_ascii_digit()))
        .then(|| jaar.parse().ok().map(|j| (j, voorlopig)))
        .flatten()
}

/// What a region cell is.
enum RegioCel {
    Gemeente(Regio),
    Nederland,
    /// Another level (province, COROP area, ...): not used.
    Anders,
}

/// A code in a region cell: a whole word such as `GM0363` (codes are padded with spaces).
fn code_in(cel: &str) -> Option<&str> {
    cel.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .find(|w| !w.is_empty() && (is_gemeentecode(w) || is_regiocode(w)))
}

/// A CBS code of another region level: two capitals and two digits (`PV26`, `NL01`, `CR17`).
fn is_regiocode(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 4
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(u8::is_ascii_digit)
}

fn regio_cel(cel: &str) -> RegioCel {
    let c = cel.trim();
    if let Some(code) = code_in(c) {
        return if is_gemeentecode(code) {
            RegioCel::Gemeente(Regio::Code(code.to_string()))
        } else if code.starts_with("NL") {
            RegioCel::Nederland
        } else {
            RegioCel::Anders
        };
    }
    if c.eq_ignore_ascii_case("nederland") {
        return RegioCel::Nederland;
    }
    // StatLine marks other levels with a code in brackets: `Utrecht (PV)`, `Groot-Amsterdam (CR)`.
    if let Some(binnen) = c
        .strip_suffix(')')
        .and_then(|s| s.rsplit_once(" ("))
        .map(|(_, b)| b)
        && !binnen.is_empty()
        && binnen.bytes().all(|b| b.is_ascii_uppercase())
    {
        return RegioCel::Anders;
    }
    RegioCel::Gemeente(Regio::Naam(c.to_string()))
}

fn lees_statline(f: &mut Fouten, tekst: &str, jaar: i32) -> Option<Download> {
    struct Kop {
        regio: usize,
        periode: usize,
        bevolking: usize,
        namen: Vec<String>,
        /// Other dimensions, which must hold their totals.
        dimensies: Vec<usize>,
    }
    let mut kop: Option<Kop> = None;
    let mut metadata = Vec::new();
    let mut rijen = Vec::new();
    let mut totaal = None;
    let mut voorlopig = false;
    let mut jaren = BTreeSet::new();
    let mut gezien_jaar = false;
    let mut records = csv_lezer(tekst, None).into_records();
    loop {
        let record = match records.next() {
            None => break,
            Some(Ok(r)) => r,
            Some(Err(e)) => {
                csv_syntaxfout(f, tekst, &e);
                return None;
            }
        };
        let begin = record_begin(tekst, &record);
        let velden: Vec<&str> = record.iter().collect();
        let Some(k) = &kop else {
            // Title and metadata lines come before the header row.
            let regio = velden.iter().position(|v| is_regio_kolom(v));
            let periode = velden.iter().position(|v| is_perioden_kolom(v));
            if let (Some(regio), Some(periode)) = (regio, periode) {
                let bevolking: Vec<usize> = (0..velden.len())
                    .filter(|&i| is_bevolking_kolom(velden[i]))
                    .collect();
                if bevolking.len() != 1 {
                    f.push(
                        Some(pos_op(tekst, begin, regel(tekst, begin).len())),
                        "(header)",
                        format!(
                            "expected one column with the population on 1 January (`Bevolking op 1 \
                             januari (aantal)`, `Totale bevolking (aantal)`, `Bevolking aan het begin \
                             van de periode (aantal)` or its code such as `BevolkingOp1Januari_1`), \
                             found {}",
                            if bevolking.is_empty() {
                                "none".to_string()
                            } else {
                                bevolking
                                    .iter()
                                    .map(|&i| format!("`{}`", velden[i].trim()))
                                    .collect::<Vec<_>>()
                                    .join(" and ")
                            }
                        ),
                    );
                    return None;
                }
                let dimensies = (0..velden.len())
                    .filter(|&i| {
                        let v = velden[i].trim();
                        i != regio
                            && i != periode
                            && !v.eq_ignore_ascii_case("id")
                            && !v.ends_with(')')
                            && !is_onderwerp_code(v)
                    })
                    .collect();
                kop = Some(Kop {
                    regio,
                    periode,
                    bevolking: bevolking[0],
                    namen: velden.iter().map(|v| v.trim().to_string()).collect(),
                    dimensies,
                });
            } else {
                metadata.push(velden.join(" "));
            }
            continue;
        };
        if velden.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if velden.len() == 1 {
            // A footer line ("© Centraal Bureau voor de Statistiek, Den Haag/Heerlen 14-3-2025").
            metadata.push(velden[0].to_string());
            continue;
        }
        if velden.len() != k.namen.len() {
            f.push(
                Some(pos_op(tekst, begin, regel(tekst, begin).len())),
                "(row)",
                format!(
                    "expected {} fields as in the header row, found {}",
                    k.namen.len(),
                    velden.len()
                ),
            );
            continue;
        }
        let pos = |i: usize| Some(veld_pos(tekst, begin, i, b';'));
        let Some((j, ster)) = periode_jaar(velden[k.periode]) else {
            f.push(
                pos(k.periode),
                k.namen[k.periode].clone(),
                format!(
                    "expected a year such as {jaar} or {jaar}JJ00 (population on 1 January), found `{}`",
                    velden[k.periode].trim()
                ),
            );
            continue;
        };
        jaren.insert(j);
        if j != jaar {
            continue;
        }
        gezien_jaar = true;
        let regio = regio_cel(velden[k.regio]);
        if matches!(regio, RegioCel::Anders) {
            continue;
        }
        for &d in &k.dimensies {
            if !is_totaal(velden[d]) {
                f.push(
                    pos(d),
                    k.namen[d].clone(),
                    format!(
                        "expected the total of `{}` (such as `Totaal`), found `{}`: download the \
                         table with only the totals of every dimension other than the regions and \
                         periods",
                        k.namen[d],
                        velden[d].trim()
                    ),
                );
            }
        }
        let waarde = match getal(velden[k.bevolking]) {
            Getal::Leeg => continue, // no figure: a region that did not exist on that day
            Getal::Waarde(n) => n,
            Getal::Fout(m) => {
                f.push(
                    pos(k.bevolking),
                    k.namen[k.bevolking].clone(),
                    format!("{m}, found `{}`", velden[k.bevolking].trim()),
                );
                continue;
            }
        };
        voorlopig |= ster;
        match regio {
            RegioCel::Nederland => totaal = Some((waarde, pos(k.bevolking))),
            RegioCel::Gemeente(r) => rijen.push(Rij {
                regio: r,
                naam: None,
                inwoners: waarde,
                pos: pos(k.regio),
            }),
            RegioCel::Anders => {}
        }
    }
    if kop.is_none() {
        f.push(
            Some(pos_op(tekst, 0, regel(tekst, 0).len())),
            "(file)",
            format!("found no header row; expected {LAYOUTS}"),
        );
        return None;
    }
    if !gezien_jaar && f.errors.is_empty() {
        f.push(
            None,
            "Perioden",
            format!(
                "the download has no figures for 1 January {jaar}{}",
                jaren_tekst(&jaren)
            ),
        );
    }
    let meta = metadata.join("\n");
    Some(Download {
        formaat: Formaat::StatLine,
        rijen,
        totaal,
        tabel: tabel_in(&meta),
        gedownload: datum_in_tekst(&meta),
        voorlopig,
    })
}

fn jaren_tekst(jaren: &BTreeSet<i32>) -> String {
    if jaren.is_empty() {
        String::new()
    } else {
        format!(
            " (it has {})",
            jaren
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

// ----- metadata in text and file names -------------------------------------------------

/// A CBS table id in a text: five digits followed by `ned` or `eng` (`03759ned`, `70072NED`).
pub fn tabel_in(tekst: &str) -> Option<String> {
    tekst
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| {
            w.len() == 8
                && w[..5].bytes().all(|b| b.is_ascii_digit())
                && (w[5..].eq_ignore_ascii_case("ned") || w[5..].eq_ignore_ascii_case("eng"))
        })
        .map(str::to_string)
}

/// A date written `14-3-2025` (StatLine's footer says when the table was exported).
fn datum_in_tekst(tekst: &str) -> Option<Datum> {
    tekst
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .filter_map(|w| {
            let mut p = w.split('-');
            let (d, m, j) = (p.next()?, p.next()?, p.next()?);
            if p.next().is_some()
                || j.len() != 4
                || d.is_empty()
                || d.len() > 2
                || m.is_empty()
                || m.len() > 2
            {
                return None;
            }
            Datum::new(j.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        })
        .next_back()
}

/// The day in a StatLine file name: `..._14032025_101500.csv` (day, month, year, time).
fn datum_in_bestandsnaam(naam: &str) -> Option<Datum> {
    let stam = naam.rsplit_once('.').map_or(naam, |(s, _)| s);
    let delen: Vec<&str> = stam.split('_').collect();
    delen.windows(2).rev().find_map(|w| {
        let (d, t) = (w[0], w[1]);
        if d.len() != 8 || t.len() != 6 || !(d.bytes().chain(t.bytes()).all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        Datum::new(
            d[4..].parse().ok()?,
            d[2..4].parse().ok()?,
            d[..2].parse().ok()?,
        )
    })
}

// ----- JSON ------------------------------------------------------------------------------

#[derive(Deserialize)]
struct OData<'a> {
    #[serde(rename = "odata.metadata")]
    metadata: Option<String>,
    #[serde(rename = "odata.nextLink")]
    volgende_v3: Option<String>,
    #[serde(rename = "@odata.context")]
    context: Option<String>,
    #[serde(rename = "@odata.nextLink")]
    volgende_v4: Option<String>,
    #[serde(borrow)]
    value: Vec<&'a RawValue>,
}

/// The offset of `raw` in `tekst` (it is a slice of it).
fn offset_in(tekst: &str, raw: &str) -> usize {
    (raw.as_ptr() as usize).saturating_sub(tekst.as_ptr() as usize)
}

fn lees_json(f: &mut Fouten, tekst: &str, jaar: i32) -> Option<Download> {
    let od: OData = match serde_json::from_str(tekst) {
        Ok(od) => od,
        Err(e) => {
            let line_start = tekst
                .split_inclusive('\n')
                .take(e.line().saturating_sub(1))
                .map(str::len)
                .sum::<usize>();
            let offset = line_start + e.column().saturating_sub(1);
            f.push(
                Some(pos_op(tekst, offset, 1)),
                "(file)",
                format!(
                    "cannot read the JSON as CBS open data ({e}); expected an object with the rows in \
                     `value`, as the OData API returns it"
                ),
            );
            return None;
        }
    };
    if od.volgende_v3.is_some() || od.volgende_v4.is_some() {
        let sleutel = if od.volgende_v3.is_some() {
            "\"odata.nextLink\""
        } else {
            "\"@odata.nextLink\""
        };
        let pos = tekst.find(sleutel).map(|i| pos_op(tekst, i, sleutel.len()));
        f.push(
            pos,
            "(file)",
            "the file is one page of a longer result (it has a next link): download every row, \
             by filtering on the municipalities and the period, or through the feed",
        );
        return None;
    }
    let mut rijen_json = Vec::new();
    for raw in &od.value {
        let offset = offset_in(tekst, raw.get());
        match serde_json::from_str::<Map<String, Value>>(raw.get()) {
            Ok(m) => rijen_json.push((offset, raw.get(), m)),
            Err(_) => f.push(
                Some(pos_op(tekst, offset, 1)),
                "value",
                "expected every row of `value` to be an object",
            ),
        }
    }
    let v4 = od.context.is_some() || rijen_json.iter().any(|(_, _, m)| m.contains_key("Measure"));
    let formaat = if v4 {
        Formaat::ODataV4
    } else {
        Formaat::ODataV3
    };
    let url = od.context.or(od.metadata).unwrap_or_default();
    let tabel = tabel_in(&url);

    // The property that holds the figure.
    let waarde_sleutel = if v4 {
        let maten: BTreeSet<&str> = rijen_json
            .iter()
            .filter_map(|(_, _, m)| m.get("Measure").and_then(Value::as_str))
            .map(str::trim)
            .collect();
        if maten.len() > 1 {
            f.push(
                None,
                "Measure",
                format!(
                    "the rows hold {} measures ({}), expected one: the population on 1 January; \
                     filter the download on that measure",
                    maten.len(),
                    maten.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            );
            return None;
        }
        "Value".to_string()
    } else {
        let mut sleutels: BTreeSet<&str> = BTreeSet::new();
        for (_, _, m) in &rijen_json {
            sleutels.extend(
                m.keys()
                    .map(String::as_str)
                    .filter(|k| is_bevolking_code(k)),
            );
        }
        if sleutels.len() != 1 {
            f.push(
                None,
                "value",
                format!(
                    "expected one property with the population on 1 January (such as \
                     `BevolkingOp1Januari_1`, `TotaleBevolking_1` or \
                     `BevolkingAanHetBeginVanDePeriode_1`), found {}",
                    if sleutels.is_empty() {
                        "none".to_string()
                    } else {
                        sleutels.iter().copied().collect::<Vec<_>>().join(" and ")
                    }
                ),
            );
            return None;
        }
        sleutels.into_iter().next().unwrap_or_default().to_string()
    };

    let mut rijen = Vec::new();
    let mut totaal = None;
    let mut voorlopig = false;
    let mut jaren = BTreeSet::new();
    let mut gezien_jaar = false;
    for (offset, raw, m) in &rijen_json {
        let veld = |k: &str| -> Option<Pos> {
            let sleutel = format!("\"{k}\"");
            Some(match raw.find(&sleutel) {
                Some(i) => pos_op(tekst, offset + i, sleutel.len()),
                None => pos_op(tekst, *offset, 1),
            })
        };
        let tekst_van = |k: &str| m.get(k).and_then(Value::as_str).map(str::trim);
        let Some(periode) = tekst_van("Perioden") else {
            f.push(
                veld("Perioden"),
                "Perioden",
                "expected the period of the row, such as 2025JJ00",
            );
            continue;
        };
        let Some((j, ster)) = periode_jaar(periode) else {
            f.push(
                veld("Perioden"),
                "Perioden",
                format!("expected a year such as {jaar}JJ00 (population on 1 January), found `{periode}`"),
            );
            continue;
        };
        jaren.insert(j);
        if j != jaar {
            continue;
        }
        gezien_jaar = true;
        let Some(regio) = tekst_van("RegioS") else {
            f.push(
                veld("RegioS"),
                "RegioS",
                "expected the region code of the row, such as GM0363",
            );
            continue;
        };
        let cel = match regio_cel(regio) {
            RegioCel::Anders => continue,
            RegioCel::Gemeente(Regio::Naam(n)) => {
                f.push(
                    veld("RegioS"),
                    "RegioS",
                    format!("expected a region code such as GM0363, found `{n}`"),
                );
                continue;
            }
            c => c,
        };
        for (k, v) in m {
            let vaste = [
                "ID",
                "Id",
                "RegioS",
                "Perioden",
                "Measure",
                "Value",
                "ValueAttribute",
                "StringValue",
            ];
            if vaste.contains(&k.as_str()) || is_onderwerp_code(k) {
                continue;
            }
            let w = match v {
                Value::String(s) => s.trim().to_string(),
                other => other.to_string(),
            };
            if !is_totaal(&w) {
                f.push(
                    veld(k),
                    k.clone(),
                    format!(
                        "expected the total of `{k}` (a code such as T001038 or 10000), found `{w}`: \
                         download the rows with only the totals of every dimension other than the \
                         regions and periods"
                    ),
                );
            }
        }
        let waarde = match m.get(&waarde_sleutel) {
            None | Some(Value::Null) => continue, // no figure: a region that did not exist then
            Some(Value::Number(n)) => match (n.as_u64(), n.as_f64()) {
                (Some(0), _) => {
                    Err("expected a number of inhabitants greater than zero".to_string())
                }
                (Some(n), _) => Ok(n),
                (None, Some(x)) if x > 0.0 && x.fract() == 0.0 && x < 1e15 => Ok(x as u64),
                _ => Err(format!(
                    "expected a whole number of inhabitants greater than zero, found {n}"
                )),
            },
            Some(Value::String(s)) => match getal(s) {
                Getal::Leeg => continue,
                Getal::Waarde(n) => Ok(n),
                Getal::Fout(m) => Err(format!("{m}, found `{}`", s.trim())),
            },
            Some(other) => Err(format!(
                "expected a whole number of inhabitants, found {other}"
            )),
        };
        let waarde = match waarde {
            Ok(n) => n,
            Err(m) => {
                f.push(veld(&waarde_sleutel), waarde_sleutel.clone(), m);
                continue;
            }
        };
        voorlopig |= ster;
        match cel {
            RegioCel::Nederland => totaal = Some((waarde, veld(&waarde_sleutel))),
            RegioCel::Gemeente(r) => rijen.push(Rij {
                regio: r,
                naam: None,
                inwoners: waarde,
                pos: veld("RegioS"),
            }),
            RegioCel::Anders => {}
        }
    }
    if !gezien_jaar && f.errors.is_empty() {
        f.push(
            None,
            "Perioden",
            format!(
                "the download has no figures for 1 January {jaar}{}",
                jaren_tekst(&jaren)
            ),
        );
    }
    Some(Download {
        formaat,
        rijen,
        totaal,
        tabel,
        gedownload: None,
        voorlopig,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn lees_tekst(tekst: &str, naam: &str, jaar: i32) -> Result<Download, InputErrors> {
        lees(&Bron::new(Path::new(naam), tekst.to_string()), naam, jaar)
    }

    fn berichten(e: &InputErrors) -> Vec<String> {
        e.errors
            .iter()
            .map(|e| format!("{}: {}: {}", e.location, e.field, e.message))
            .collect()
    }

    #[test]
    fn reads_a_statline_export_with_title_lines_names_and_a_footer() {
        let t = "\"Bevolking op 1 januari en gemiddeld; geslacht, leeftijd en regio (03759ned)\"\n\
                 \"Geslacht\";\"Regio's\";\"Perioden\";\"Bevolking op 1 januari (aantal)\";\"Gemiddelde bevolking (aantal)\"\n\
                 \"Totaal mannen en vrouwen\";\"Nederland\";\"2025*\";\"   300\";\"\"\n\
                 \"Totaal mannen en vrouwen\";\"Groningen (gemeente)\";\"2025*\";\"   100\";\"\"\n\
                 \"Totaal mannen en vrouwen\";\"Utrecht (PV)\";\"2025*\";\"   999\";\"\"\n\
                 \"Totaal mannen en vrouwen\";\"GM0363 Amsterdam\";\"2025*\";\"   200\";\"\"\n\
                 \"Totaal mannen en vrouwen\";\"Weesp\";\"2025*\";\"\";\"\"\n\
                 \"Totaal mannen en vrouwen\";\"Amsterdam\";\"2024\";\"   190\";\"\"\n\
                 \"© Centraal Bureau voor de Statistiek, Den Haag/Heerlen 14-3-2025\"\n";
        let d = lees_tekst(t, "export.csv", 2025).unwrap();
        assert_eq!(d.formaat, Formaat::StatLine);
        assert_eq!(d.totaal.map(|t| t.0), Some(300));
        assert_eq!(d.tabel.as_deref(), Some("03759ned"));
        assert_eq!(d.gedownload, Datum::new(2025, 3, 14));
        assert!(d.voorlopig);
        let regios: Vec<(Regio, u64)> = d
            .rijen
            .iter()
            .map(|r| (r.regio.clone(), r.inwoners))
            .collect();
        assert_eq!(
            regios,
            [
                (Regio::Naam("Groningen (gemeente)".into()), 100),
                (Regio::Code("GM0363".into()), 200)
            ]
        );
        let p = d.rijen[1].pos.unwrap();
        assert_eq!((p.line, p.column), (6, 28));
        // The same places with Windows line ends.
        let d = lees_tekst(&t.replace('\n', "\r\n"), "export.csv", 2025).unwrap();
        let p = d.rijen[1].pos.unwrap();
        assert_eq!((p.line, p.column), (6, 28));
    }

    #[test]
    fn statline_problems_name_line_column_and_field() {
        let t = "\"Geslacht\";\"Regio's\";\"Perioden\";\"Bevolking op 1 januari (aantal)\"\n\
                 \"Mannen\";\"GM0363\";\"2025\";\"12,5\"\n\
                 \"Totaal mannen en vrouwen\";\"GM0364\";\"2025JJ00\";\"0\"\n\
                 \"Totaal mannen en vrouwen\";\"GM0365\";\"januari 2025\";\"5\"\n";
        let e = lees_tekst(t, "x.csv", 2025).unwrap_err();
        let b = berichten(&e);
        assert!(
            b[0].starts_with("x.csv:2:1: Geslacht: expected the total of `Geslacht`"),
            "{b:?}"
        );
        assert!(
            b[1].starts_with(
                "x.csv:2:26: Bevolking op 1 januari (aantal): expected a whole number"
            ),
            "{b:?}"
        );
        assert!(b[2].contains("x.csv:3:48: Bevolking op 1 januari (aantal): expected a number of inhabitants greater than zero"), "{b:?}");
        assert!(
            b[3].contains("x.csv:4:37: Perioden: expected a year such as 2025"),
            "{b:?}"
        );
        assert_eq!(b.len(), 4);

        let e = lees_tekst("\"Regio's\";\"Perioden\";\"Inwoners\"\n", "y.csv", 2025).unwrap_err();
        assert!(
            berichten(&e)[0].contains("expected one column with the population"),
            "{:?}",
            berichten(&e)
        );
        let e = lees_tekst("a;b\n1;2\n", "z.csv", 2025).unwrap_err();
        assert!(berichten(&e)[0].contains("found no header row"));
        let e = lees_tekst(
            "\"Regio's\";\"Perioden\";\"BevolkingOp1Januari_1\"\n\"GM0363\";\"2023\";\"5\"\n",
            "w.csv",
            2025,
        )
        .unwrap_err();
        assert!(
            berichten(&e)[0].contains("no figures for 1 January 2025 (it has 2023)"),
            "{:?}",
            berichten(&e)
        );
    }

    #[test]
    fn reads_odata_v3_and_v4_and_refuses_a_page_or_mixed_measures() {
        let v3 = r#"{"odata.metadata":"https://opendata.cbs.nl/ODataApi/OData/03759ned/$metadata#Cbs.OData.WebAPI.TypedDataSet","value":[
            {"ID":1,"Geslacht":"T001038","Leeftijd":"10000","RegioS":"NL01  ","Perioden":"2025JJ00","BevolkingOp1Januari_1":300,"GemiddeldeBevolking_2":null},
            {"ID":2,"Geslacht":"T001038","Leeftijd":"10000","RegioS":"GM0363","Perioden":"2025JJ00","BevolkingOp1Januari_1":300,"GemiddeldeBevolking_2":null},
            {"ID":3,"Geslacht":"T001038","Leeftijd":"10000","RegioS":"PV27  ","Perioden":"2025JJ00","BevolkingOp1Januari_1":300,"GemiddeldeBevolking_2":null},
            {"ID":4,"Geslacht":"T001038","Leeftijd":"10000","RegioS":"GM0457","Perioden":"2025JJ00","BevolkingOp1Januari_1":null,"GemiddeldeBevolking_2":null}]}"#;
        let d = lees_tekst(v3, "a.json", 2025).unwrap();
        assert_eq!(
            (d.formaat, d.tabel.as_deref()),
            (Formaat::ODataV3, Some("03759ned"))
        );
        assert_eq!(d.rijen.len(), 1);
        assert_eq!(d.totaal.map(|t| t.0), Some(300));
        assert_eq!(d.rijen[0].pos.unwrap().line, 3);

        let v4 = r#"{"@odata.context":"https://odata4.cbs.nl/CBS/03759ned/$metadata#Observations","value":[
            {"Id":0,"Measure":"M000352","ValueAttribute":"None","Value":300.0,"Geslacht":"T001038","RegioS":"GM0363","Perioden":"2025JJ00"},
            {"Id":1,"Measure":"M000352","ValueAttribute":"None","Value":20.5,"Geslacht":"3000","RegioS":"GM0364","Perioden":"2025JJ00"}]}"#;
        let e = lees_tekst(v4, "b.json", 2025).unwrap_err();
        let b = berichten(&e);
        assert!(
            b[0].starts_with("b.json:3:78: Geslacht: expected the total"),
            "{b:?}"
        );
        assert!(
            b[1].contains("b.json:3:65: Value: expected a whole number"),
            "{b:?}"
        );

        let gemengd = v4
            .replacen("M000352", "M000100", 1)
            .replace("20.5", "20")
            .replace("\"3000\"", "\"T001038\"");
        assert!(
            berichten(&lees_tekst(&gemengd, "c.json", 2025).unwrap_err())[0].contains("2 measures")
        );
        let pagina = v3.replacen("\"value\"", "\"odata.nextLink\":\"x\",\"value\"", 1);
        assert!(
            berichten(&lees_tekst(&pagina, "d.json", 2025).unwrap_err())[0].contains("one page")
        );
        let kapot = lees_tekst("{\"value\": [1,}", "e.json", 2025).unwrap_err();
        assert!(
            berichten(&kapot)[0].starts_with("e.json:1:"),
            "{:?}",
            berichten(&kapot)
        );
    }

    #[test]
    fn reads_the_plain_csv_with_comments() {
        let t = "# test\ngemeentecode;gemeentenaam;inwoners\nGM0363;Amsterdam;931298\n\"GM0820\";\"Nuenen, Gerwen en Nederwetten\";\"24231\"\nGM03;X;-5\n";
        let e = lees_tekst(t, "p.csv", 2025).unwrap_err();
        let b = berichten(&e);
        assert_eq!(b.len(), 2, "{b:?}");
        assert!(b[0].starts_with("p.csv:5:1: gemeentecode:"), "{b:?}");
        assert!(
            b[1].starts_with("p.csv:5:8: inwoners: expected a whole number"),
            "{b:?}"
        );
        let d = lees_tekst(&t.replace("GM03;X;-5\n", ""), "p.csv", 2025).unwrap();
        assert_eq!(
            d.rijen[1].naam.as_deref(),
            Some("Nuenen, Gerwen en Nederwetten")
        );
        assert_eq!(d.formaat, Formaat::Eenvoudig);
    }

    #[test]
    fn finds_table_ids_and_download_days() {
        assert_eq!(
            tabel_in("https://x/CBS/70072NED/$metadata").as_deref(),
            Some("70072NED")
        );
        assert_eq!(tabel_in("Bevolking 2025"), None);
        assert_eq!(
            datum_in_bestandsnaam("Bevolking__geslacht__leeftijd__regio_21042021_115647.csv"),
            Datum::new(2021, 4, 21)
        );
        assert_eq!(datum_in_bestandsnaam("03759ned_2025.csv"), None);
        assert_eq!(
            datum_in_tekst("Den Haag/Heerlen 1-10-2017"),
            Datum::new(2017, 10, 1)
        );
        assert!(
            is_totaal("Totaal mannen en vrouwen") && is_totaal("T001019") && is_totaal("10000")
        );
        assert!(!is_totaal("Mannen") && !is_totaal("3000"));
    }
}
