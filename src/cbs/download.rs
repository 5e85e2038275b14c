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
use crate::input::fout::ErrorCollector;
use crate::input::{Bron, InputErrors, Pos};
use crate::kalender::Datum;

/// The layout a download was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    StatLine,
    ODataV3,
    ODataV4,
    Plain,
}

impl Format {
    pub fn naam(self) -> &'static str {
        match self {
            Format::StatLine => "StatLine CSV export",
            Format::ODataV3 => "CBS open data JSON, OData v3",
            Format::ODataV4 => "CBS open data JSON, OData v4",
            Format::Plain => "plain CSV gemeentecode;gemeentenaam;inwoners",
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
pub struct Row {
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
    pub format: Format,
    pub rows: Vec<Row>,
    /// The national total (`Nederland`, `NL01`) with its place, when the download has it.
    pub totaal: Option<(u64, Option<Pos>)>,
    /// The CBS table, such as `03759ned`, when the download names it.
    pub table: Option<String>,
    /// The day of the download, when the download or its file name says it.
    pub downloaded: Option<Datum>,
    /// Whether CBS marks the figures provisional (`2025*`).
    pub provisional: bool,
}

/// The population columns and properties CBS uses for "inhabitants on 1 January".
const BEVOLKING_HEADERS: [&str; 3] = [
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

/// Reads `source` (the download, named `file_name`) for 1 January of `jaar`.
pub fn read(source: &Bron, file_name: &str, jaar: i32) -> Result<Download, InputErrors> {
    let text = source.tekst.as_str();
    let mut f = ErrorCollector::new(source);
    let begin = text.trim_start();
    let mut d = if begin.starts_with('{') || begin.starts_with('[') {
        read_json(&mut f, text, jaar)
    } else if is_plain_header(text) {
        read_plain(&mut f, text)
    } else {
        read_statline(&mut f, text, jaar)
    };
    if let Some(d) = &mut d {
        if d.table.is_none() {
            d.table = table_in(file_name);
        }
        if d.downloaded.is_none() {
            d.downloaded = datum_in_file_name(file_name);
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

/// The place of byte `offset` (and `len` bytes) in `text`, with a character column.
pub fn pos_at(text: &str, offset: usize, len: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let begin = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line,
        column: before[begin..].chars().count() as u64 + 1,
        offset,
        len,
    }
}

// ----- CSV ---------------------------------------------------------------------------

/// The text of the line starting at `begin`.
fn line_at(text: &str, begin: usize) -> &str {
    let begin = begin.min(text.len());
    let end = text[begin..].find('\n').map_or(text.len(), |i| begin + i);
    text[begin..end].trim_end_matches('\r')
}

/// The place of field `i` of the CSV record that starts at byte `begin` (quotes respected).
fn field_pos(text: &str, begin: usize, i: usize, separator: u8) -> Pos {
    let r = line_at(text, begin).as_bytes();
    let mut field = 0;
    let mut start = 0;
    let mut quoted = false;
    for (j, &b) in r.iter().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == separator && !quoted {
            if field == i {
                return pos_at(text, begin + start, j - start);
            }
            field += 1;
            start = j + 1;
        }
    }
    if field == i {
        pos_at(text, begin + start, r.len() - start)
    } else {
        pos_at(text, begin, r.len())
    }
}

/// Where a record starts in `text`. After a CRLF line end the reader's position is
/// on the `\n`; the record starts after it.
pub fn record_begin(text: &str, r: &csv::StringRecord) -> usize {
    let mut b = r.position().map_or(0, |p| p.byte() as usize);
    while matches!(text.as_bytes().get(b), Some(b'\r' | b'\n')) {
        b += 1;
    }
    b
}

fn csv_reader(text: &str, comment: Option<u8>) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .comment(comment)
        .from_reader(text.as_bytes())
}

fn csv_syntax_error(f: &mut ErrorCollector, text: &str, e: &csv::Error) {
    let pos = e.position().map(|p| pos_at(text, p.byte() as usize, 1));
    f.push(pos, "(file)", format!("cannot read the CSV: {e}"));
}

/// Whether the first line that is not a comment is `gemeentecode;gemeentenaam;inwoners`.
fn is_plain_header(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| {
            l.replace('"', "")
                .eq_ignore_ascii_case("gemeentecode;gemeentenaam;inwoners")
        })
}

/// A count of inhabitants: digits, perhaps padded with spaces (StatLine right-aligns).
enum Count {
    Empty,
    Value(u64),
    Invalid(&'static str),
}

fn count(s: &str) -> Count {
    let s = s.trim();
    if s.is_empty() || s == "." {
        return Count::Empty;
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Count::Invalid("expected a whole number of inhabitants (digits only)");
    }
    match s.parse::<u64>() {
        Ok(0) => Count::Invalid("expected a number of inhabitants greater than zero"),
        Ok(n) => Count::Value(n),
        Err(_) => Count::Invalid("expected a whole number of inhabitants of a realistic size"),
    }
}

fn read_plain(f: &mut ErrorCollector, text: &str) -> Option<Download> {
    let mut rows = Vec::new();
    let mut header = true;
    for record in csv_reader(text, Some(b'#')).records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                csv_syntax_error(f, text, &e);
                return None;
            }
        };
        let begin = record_begin(text, &record);
        if header {
            header = false;
            continue;
        }
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        rows.extend(plain_row(f, text, begin, &record));
    }
    if rows.is_empty() && f.errors.is_empty() {
        f.push(None, "(file)", "the file has no municipalities");
    }
    Some(Download {
        format: Format::Plain,
        rows,
        totaal: None,
        table: None,
        downloaded: None,
        provisional: false,
    })
}

/// One row `gemeentecode;gemeentenaam;inwoners` (starting at byte `begin`), checked.
fn plain_row(
    f: &mut ErrorCollector,
    text: &str,
    begin: usize,
    record: &csv::StringRecord,
) -> Option<Row> {
    if record.len() != 3 {
        f.push(
            Some(pos_at(text, begin, line_at(text, begin).len())),
            "(row)",
            format!(
                "expected 3 fields (gemeentecode;gemeentenaam;inwoners), found {}",
                record.len()
            ),
        );
        return None;
    }
    let code = record[0].trim();
    let naam = record[1].trim();
    let mut valid = true;
    if !is_gemeentecode(code) {
        f.push(
            Some(field_pos(text, begin, 0, b';')),
            "gemeentecode",
            format!("expected a municipality code `GM` followed by four digits, found `{code}`"),
        );
        valid = false;
    }
    if naam.is_empty() {
        f.push(
            Some(field_pos(text, begin, 1, b';')),
            "gemeentenaam",
            "expected the name of the municipality, found an empty field",
        );
        valid = false;
    }
    let inwoners = match count(&record[2]) {
        Count::Value(n) => Some(n),
        Count::Empty => {
            f.push(
                Some(field_pos(text, begin, 2, b';')),
                "inwoners",
                "expected the number of inhabitants, found an empty field",
            );
            None
        }
        Count::Invalid(m) => {
            f.push(
                Some(field_pos(text, begin, 2, b';')),
                "inwoners",
                format!("{m}, found `{}`", record[2].trim()),
            );
            None
        }
    };
    let inwoners = inwoners.filter(|_| valid)?;
    Some(Row {
        regio: Regio::Code(code.to_string()),
        naam: Some(naam.to_string()),
        inwoners,
        pos: Some(field_pos(text, begin, 0, b';')),
    })
}

/// A normalised column name: lower case, trimmed, without a trailing unit.
fn column_key(header: &str) -> String {
    let last = header.rsplit('/').next().unwrap_or(header).trim();
    let without_unit = match last.rfind(" (") {
        Some(i) if last.ends_with(')') => &last[..i],
        _ => last,
    };
    without_unit.trim().to_lowercase()
}

/// Whether a column code is a CBS topic code such as `BevolkingOp1Januari_1`.
fn is_topic_code(header: &str) -> bool {
    match header.rsplit_once('_') {
        Some((naam, nr)) => {
            !naam.is_empty()
                && naam.chars().all(|c| c.is_ascii_alphanumeric())
                && !nr.is_empty()
                && nr.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

fn is_bevolking_code(header: &str) -> bool {
    is_topic_code(header)
        && header
            .rsplit_once('_')
            .is_some_and(|(naam, _)| BEVOLKING_CODES.contains(&naam))
}

fn is_bevolking_column(header: &str) -> bool {
    is_bevolking_code(header.trim()) || BEVOLKING_HEADERS.contains(&column_key(header).as_str())
}

fn is_regio_column(header: &str) -> bool {
    matches!(
        header.trim().to_lowercase().as_str(),
        "regio's" | "regios" | "regio’s" | "regio" | "gemeente" | "gemeenten"
    )
}

fn is_perioden_column(header: &str) -> bool {
    matches!(
        header.trim().to_lowercase().as_str(),
        "perioden" | "periode"
    )
}

/// Whether a value of another dimension (sex, age, marital status) is its total.
fn is_total(value: &str) -> bool {
    let w = value.trim();
    let total_code =
        w.len() > 1 && w.starts_with('T') && w[1..].bytes().all(|b| b.is_ascii_digit());
    total_code || w == "10000" || w.to_lowercase().starts_with("totaal")
}

/// A year of a period cell: `2025`, `2025JJ00`, with `*` when provisional.
fn periode_jaar(cell: &str) -> Option<(i32, bool)> {
    let c = cell.trim();
    let without_province = c.trim_end_matches('*');
    let provisional = without_province.len() != c.len();
    let jaar = without_province
        .strip_suffix("JJ00")
        .unwrap_or(without_province);
    (jaar.len() == 4 && jaar.bytes().all(|b| b.is_ascii_digit()))
        .then(|| jaar.parse().ok().map(|j| (j, provisional)))
        .flatten()
}

/// What a region cell is.
enum RegioCell {
    Gemeente(Regio),
    Nederland,
    /// Another level (province, COROP area, ...): not used.
    Different,
}

/// A code in a region cell: a whole word such as `GM0363` (codes are padded with spaces).
fn code_in(cell: &str) -> Option<&str> {
    cell.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .find(|w| !w.is_empty() && (is_gemeentecode(w) || is_regio_code(w)))
}

/// A CBS code of another region level: two capitals and two digits (`PV26`, `NL01`, `CR17`).
fn is_regio_code(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 4
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(u8::is_ascii_digit)
}

fn regio_cell(cell: &str) -> RegioCell {
    let c = cell.trim();
    if let Some(code) = code_in(c) {
        return if is_gemeentecode(code) {
            RegioCell::Gemeente(Regio::Code(code.to_string()))
        } else if code.starts_with("NL") {
            RegioCell::Nederland
        } else {
            RegioCell::Different
        };
    }
    if c.eq_ignore_ascii_case("nederland") {
        return RegioCell::Nederland;
    }
    // StatLine marks other levels with a code in brackets: `Utrecht (PV)`, `Groot-Amsterdam (CR)`.
    if let Some(inner) = c
        .strip_suffix(')')
        .and_then(|s| s.rsplit_once(" ("))
        .map(|(_, b)| b)
        && !inner.is_empty()
        && inner.bytes().all(|b| b.is_ascii_uppercase())
    {
        return RegioCell::Different;
    }
    RegioCell::Gemeente(Regio::Naam(c.to_string()))
}

/// The figures of a download, collected row by row.
#[derive(Default)]
struct Collected {
    rows: Vec<Row>,
    /// The national total with its place.
    totaal: Option<(u64, Option<Pos>)>,
    provisional: bool,
    /// Every year the download has figures for.
    years: BTreeSet<i32>,
    /// Whether it has figures for the year asked.
    year_seen: bool,
}

impl Collected {
    /// A row's figure: the national total, a municipality's, or (another level) nothing.
    fn add(
        &mut self,
        cell: RegioCell,
        value: u64,
        star: bool,
        regio_pos: Option<Pos>,
        value_pos: Option<Pos>,
    ) {
        self.provisional |= star;
        match cell {
            RegioCell::Nederland => self.totaal = Some((value, value_pos)),
            RegioCell::Gemeente(r) => self.rows.push(Row {
                regio: r,
                naam: None,
                inwoners: value,
                pos: regio_pos,
            }),
            RegioCell::Different => {}
        }
    }

    /// A download without figures for `jaar` is a problem when nothing else is.
    fn check_year_seen(&self, f: &mut ErrorCollector, jaar: i32) {
        if !self.year_seen && f.errors.is_empty() {
            f.push(
                None,
                "Perioden",
                format!(
                    "the download has no figures for 1 January {jaar}{}",
                    years_text(&self.years)
                ),
            );
        }
    }
}

/// The header row of a StatLine export: where its columns are.
struct Header {
    regio: usize,
    periode: usize,
    bevolking: usize,
    names: Vec<String>,
    /// Other dimensions, which must hold their totals.
    dimensions: Vec<usize>,
}

/// What a line above the data of a StatLine export is.
enum LineAboveData {
    Header(Header),
    /// A title or metadata line.
    Metadata,
    /// A header row without one population column (the problem is recorded).
    Invalid,
}

fn read_statline(f: &mut ErrorCollector, text: &str, jaar: i32) -> Option<Download> {
    let mut header: Option<Header> = None;
    let mut metadata = Vec::new();
    let mut c = Collected::default();
    let mut records = csv_reader(text, None).into_records();
    loop {
        let record = match records.next() {
            None => break,
            Some(Ok(r)) => r,
            Some(Err(e)) => {
                csv_syntax_error(f, text, &e);
                return None;
            }
        };
        let begin = record_begin(text, &record);
        let fields: Vec<&str> = record.iter().collect();
        let Some(k) = &header else {
            // Title and metadata lines come before the header row.
            match statline_header(f, text, begin, &fields) {
                LineAboveData::Header(k) => header = Some(k),
                LineAboveData::Metadata => metadata.push(fields.join(" ")),
                LineAboveData::Invalid => return None,
            }
            continue;
        };
        if fields.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if fields.len() == 1 {
            // A footer line ("© Centraal Bureau voor de Statistiek, Den Haag/Heerlen 14-3-2025").
            metadata.push(fields[0].to_string());
            continue;
        }
        statline_row(f, text, begin, &fields, k, jaar, &mut c);
    }
    if header.is_none() {
        f.push(
            Some(pos_at(text, 0, line_at(text, 0).len())),
            "(file)",
            format!("found no header row; expected {LAYOUTS}"),
        );
        return None;
    }
    c.check_year_seen(f, jaar);
    let meta = metadata.join("\n");
    Some(Download {
        format: Format::StatLine,
        rows: c.rows,
        totaal: c.totaal,
        table: table_in(&meta),
        downloaded: datum_in_text(&meta),
        provisional: c.provisional,
    })
}

/// A line above the data: the header row when it has the region and period columns.
fn statline_header(
    f: &mut ErrorCollector,
    text: &str,
    begin: usize,
    fields: &[&str],
) -> LineAboveData {
    let regio = fields.iter().position(|v| is_regio_column(v));
    let periode = fields.iter().position(|v| is_perioden_column(v));
    let (Some(regio), Some(periode)) = (regio, periode) else {
        return LineAboveData::Metadata;
    };
    let bevolking: Vec<usize> = (0..fields.len())
        .filter(|&i| is_bevolking_column(fields[i]))
        .collect();
    if bevolking.len() != 1 {
        f.push(
            Some(pos_at(text, begin, line_at(text, begin).len())),
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
                        .map(|&i| format!("`{}`", fields[i].trim()))
                        .collect::<Vec<_>>()
                        .join(" and ")
                }
            ),
        );
        return LineAboveData::Invalid;
    }
    let dimensions = (0..fields.len())
        .filter(|&i| {
            let v = fields[i].trim();
            i != regio
                && i != periode
                && !v.eq_ignore_ascii_case("id")
                && !v.ends_with(')')
                && !is_topic_code(v)
        })
        .collect();
    LineAboveData::Header(Header {
        regio,
        periode,
        bevolking: bevolking[0],
        names: fields.iter().map(|v| v.trim().to_string()).collect(),
        dimensions,
    })
}

/// One data row of a StatLine export (starting at byte `begin`): its figure for
/// `jaar`, when it has one, into `c`.
fn statline_row(
    f: &mut ErrorCollector,
    text: &str,
    begin: usize,
    fields: &[&str],
    k: &Header,
    jaar: i32,
    c: &mut Collected,
) {
    if fields.len() != k.names.len() {
        f.push(
            Some(pos_at(text, begin, line_at(text, begin).len())),
            "(row)",
            format!(
                "expected {} fields as in the header row, found {}",
                k.names.len(),
                fields.len()
            ),
        );
        return;
    }
    let pos = |i: usize| Some(field_pos(text, begin, i, b';'));
    let Some((j, star)) = periode_jaar(fields[k.periode]) else {
        f.push(
            pos(k.periode),
            k.names[k.periode].clone(),
            format!(
                "expected a year such as {jaar} or {jaar}JJ00 (population on 1 January), found `{}`",
                fields[k.periode].trim()
            ),
        );
        return;
    };
    c.years.insert(j);
    if j != jaar {
        return;
    }
    c.year_seen = true;
    let regio = regio_cell(fields[k.regio]);
    if matches!(regio, RegioCell::Different) {
        return;
    }
    for &d in &k.dimensions {
        if !is_total(fields[d]) {
            f.push(
                pos(d),
                k.names[d].clone(),
                format!(
                    "expected the total of `{}` (such as `Totaal`), found `{}`: download the \
                     table with only the totals of every dimension other than the regions and \
                     periods",
                    k.names[d],
                    fields[d].trim()
                ),
            );
        }
    }
    let value = match count(fields[k.bevolking]) {
        Count::Empty => return, // no figure: a region that did not exist on that day
        Count::Value(n) => n,
        Count::Invalid(m) => {
            f.push(
                pos(k.bevolking),
                k.names[k.bevolking].clone(),
                format!("{m}, found `{}`", fields[k.bevolking].trim()),
            );
            return;
        }
    };
    c.add(regio, value, star, pos(k.regio), pos(k.bevolking));
}

fn years_text(years: &BTreeSet<i32>) -> String {
    if years.is_empty() {
        String::new()
    } else {
        format!(
            " (it has {})",
            years
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

// ----- metadata in text and file names -------------------------------------------------

/// A CBS table id in a text: five digits followed by `ned` or `eng` (`03759ned`, `70072NED`).
pub fn table_in(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| {
            w.len() == 8
                && w[..5].bytes().all(|b| b.is_ascii_digit())
                && (w[5..].eq_ignore_ascii_case("ned") || w[5..].eq_ignore_ascii_case("eng"))
        })
        .map(str::to_string)
}

/// A date written `14-3-2025` (StatLine's footer says when the table was exported).
fn datum_in_text(text: &str) -> Option<Datum> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '-'))
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
fn datum_in_file_name(naam: &str) -> Option<Datum> {
    let stem = naam.rsplit_once('.').map_or(naam, |(s, _)| s);
    let parts: Vec<&str> = stem.split('_').collect();
    parts.windows(2).rev().find_map(|w| {
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
    next_v3: Option<String>,
    #[serde(rename = "@odata.context")]
    context: Option<String>,
    #[serde(rename = "@odata.nextLink")]
    next_v4: Option<String>,
    #[serde(borrow)]
    value: Vec<&'a RawValue>,
}

/// The offset of `raw` in `text` (it is a slice of it).
fn offset_in(text: &str, raw: &str) -> usize {
    (raw.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// A row of `value` that is an object, with its place in the text.
struct JsonRow<'a> {
    offset: usize,
    raw: &'a str,
    m: Map<String, Value>,
}

impl JsonRow<'_> {
    /// The place of property `k` in the row, else of the row.
    fn pos(&self, text: &str, k: &str) -> Option<Pos> {
        let key = format!("\"{k}\"");
        Some(match self.raw.find(&key) {
            Some(i) => pos_at(text, self.offset + i, key.len()),
            None => pos_at(text, self.offset, 1),
        })
    }

    fn text(&self, k: &str) -> Option<&str> {
        self.m.get(k).and_then(Value::as_str).map(str::trim)
    }
}

fn read_json(f: &mut ErrorCollector, text: &str, jaar: i32) -> Option<Download> {
    let od = parse_odata(f, text)?;
    let mut json_rows = Vec::new();
    for raw in &od.value {
        let offset = offset_in(text, raw.get());
        match serde_json::from_str::<Map<String, Value>>(raw.get()) {
            Ok(m) => json_rows.push(JsonRow {
                offset,
                raw: raw.get(),
                m,
            }),
            Err(_) => f.push(
                Some(pos_at(text, offset, 1)),
                "value",
                "expected every row of `value` to be an object",
            ),
        }
    }
    let v4 = od.context.is_some() || json_rows.iter().any(|r| r.m.contains_key("Measure"));
    let format = if v4 { Format::ODataV4 } else { Format::ODataV3 };
    let url = od.context.or(od.metadata).unwrap_or_default();
    let table = table_in(&url);
    let figure_key = value_key(f, &json_rows, v4)?;

    let mut c = Collected::default();
    for row in &json_rows {
        json_row(f, text, row, &figure_key, jaar, &mut c);
    }
    c.check_year_seen(f, jaar);
    Some(Download {
        format,
        rows: c.rows,
        totaal: c.totaal,
        table,
        downloaded: None,
        provisional: c.provisional,
    })
}

/// The JSON as an OData result: one whole result, not a page of a longer one.
fn parse_odata<'a>(f: &mut ErrorCollector, text: &'a str) -> Option<OData<'a>> {
    let od: OData = match serde_json::from_str(text) {
        Ok(od) => od,
        Err(e) => {
            let line_start = text
                .split_inclusive('\n')
                .take(e.line().saturating_sub(1))
                .map(str::len)
                .sum::<usize>();
            let offset = line_start + e.column().saturating_sub(1);
            f.push(
                Some(pos_at(text, offset, 1)),
                "(file)",
                format!(
                    "cannot read the JSON as CBS open data ({e}); expected an object with the rows in \
                     `value`, as the OData API returns it"
                ),
            );
            return None;
        }
    };
    if od.next_v3.is_some() || od.next_v4.is_some() {
        let key = if od.next_v3.is_some() {
            "\"odata.nextLink\""
        } else {
            "\"@odata.nextLink\""
        };
        let pos = text.find(key).map(|i| pos_at(text, i, key.len()));
        f.push(
            pos,
            "(file)",
            "the file is one page of a longer result (it has a next link): download every row, \
             by filtering on the municipalities and the period, or through the feed",
        );
        return None;
    }
    Some(od)
}

/// The property that holds the figure: `Value` of one measure (v4), or the one
/// population topic (v3).
fn value_key(f: &mut ErrorCollector, json_rows: &[JsonRow], v4: bool) -> Option<String> {
    if v4 {
        let measures: BTreeSet<&str> = json_rows
            .iter()
            .filter_map(|r| r.m.get("Measure").and_then(Value::as_str))
            .map(str::trim)
            .collect();
        if measures.len() > 1 {
            f.push(
                None,
                "Measure",
                format!(
                    "the rows hold {} measures ({}), expected one: the population on 1 January; \
                     filter the download on that measure",
                    measures.len(),
                    measures.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            );
            return None;
        }
        return Some("Value".to_string());
    }
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    for r in json_rows {
        keys.extend(
            r.m.keys()
                .map(String::as_str)
                .filter(|k| is_bevolking_code(k)),
        );
    }
    if keys.len() != 1 {
        f.push(
            None,
            "value",
            format!(
                "expected one property with the population on 1 January (such as \
                 `BevolkingOp1Januari_1`, `TotaleBevolking_1` or \
                 `BevolkingAanHetBeginVanDePeriode_1`), found {}",
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.iter().copied().collect::<Vec<_>>().join(" and ")
                }
            ),
        );
        return None;
    }
    Some(keys.into_iter().next().unwrap_or_default().to_string())
}

/// One row of the JSON: its figure for `jaar` (in the property `figure_key`),
/// when it has one, into `c`.
fn json_row(
    f: &mut ErrorCollector,
    text: &str,
    row: &JsonRow,
    figure_key: &str,
    jaar: i32,
    c: &mut Collected,
) {
    let field = |k: &str| row.pos(text, k);
    let Some(periode) = row.text("Perioden") else {
        f.push(
            field("Perioden"),
            "Perioden",
            "expected the period of the row, such as 2025JJ00",
        );
        return;
    };
    let Some((j, star)) = periode_jaar(periode) else {
        f.push(
            field("Perioden"),
            "Perioden",
            format!(
                "expected a year such as {jaar}JJ00 (population on 1 January), found `{periode}`"
            ),
        );
        return;
    };
    c.years.insert(j);
    if j != jaar {
        return;
    }
    c.year_seen = true;
    let Some(regio) = row.text("RegioS") else {
        f.push(
            field("RegioS"),
            "RegioS",
            "expected the region code of the row, such as GM0363",
        );
        return;
    };
    let cell = match regio_cell(regio) {
        RegioCell::Different => return,
        RegioCell::Gemeente(Regio::Naam(n)) => {
            f.push(
                field("RegioS"),
                "RegioS",
                format!("expected a region code such as GM0363, found `{n}`"),
            );
            return;
        }
        c => c,
    };
    check_json_totals(f, text, row);
    let value = match json_value(row.m.get(figure_key)) {
        None => return, // no figure: a region that did not exist then
        Some(Ok(n)) => n,
        Some(Err(m)) => {
            f.push(field(figure_key), figure_key.to_string(), m);
            return;
        }
    };
    c.add(cell, value, star, field("RegioS"), field(figure_key));
}

/// Every other dimension of a row (sex, age, marital status) must hold its total.
fn check_json_totals(f: &mut ErrorCollector, text: &str, row: &JsonRow) {
    for (k, v) in &row.m {
        let fixed = [
            "ID",
            "Id",
            "RegioS",
            "Perioden",
            "Measure",
            "Value",
            "ValueAttribute",
            "StringValue",
        ];
        if fixed.contains(&k.as_str()) || is_topic_code(k) {
            continue;
        }
        let w = match v {
            Value::String(s) => s.trim().to_string(),
            other => other.to_string(),
        };
        if !is_total(&w) {
            f.push(
                row.pos(text, k),
                k.clone(),
                format!(
                    "expected the total of `{k}` (a code such as T001038 or 10000), found `{w}`: \
                     download the rows with only the totals of every dimension other than the \
                     regions and periods"
                ),
            );
        }
    }
}

/// A figure of the JSON: `None` when there is none (null, missing or empty), else
/// the number of inhabitants or what is wrong with it.
fn json_value(v: Option<&Value>) -> Option<Result<u64, String>> {
    Some(match v {
        None | Some(Value::Null) => return None,
        Some(Value::Number(n)) => match (n.as_u64(), n.as_f64()) {
            (Some(0), _) => Err("expected a number of inhabitants greater than zero".to_string()),
            (Some(n), _) => Ok(n),
            (None, Some(x)) if x > 0.0 && x.fract() == 0.0 && x < 1e15 => Ok(x as u64),
            _ => Err(format!(
                "expected a whole number of inhabitants greater than zero, found {n}"
            )),
        },
        Some(Value::String(s)) => match count(s) {
            Count::Empty => return None,
            Count::Value(n) => Ok(n),
            Count::Invalid(m) => Err(format!("{m}, found `{}`", s.trim())),
        },
        Some(other) => Err(format!(
            "expected a whole number of inhabitants, found {other}"
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read_text(text: &str, naam: &str, jaar: i32) -> Result<Download, InputErrors> {
        read(&Bron::new(Path::new(naam), text.to_string()), naam, jaar)
    }

    fn messages(e: &InputErrors) -> Vec<String> {
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
        let d = read_text(t, "export.csv", 2025).unwrap();
        assert_eq!(d.format, Format::StatLine);
        assert_eq!(d.totaal.map(|t| t.0), Some(300));
        assert_eq!(d.table.as_deref(), Some("03759ned"));
        assert_eq!(d.downloaded, Datum::new(2025, 3, 14));
        assert!(d.provisional);
        let regios: Vec<(Regio, u64)> = d
            .rows
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
        let p = d.rows[1].pos.unwrap();
        assert_eq!((p.line, p.column), (6, 28));
        // The same places with Windows line ends.
        let d = read_text(&t.replace('\n', "\r\n"), "export.csv", 2025).unwrap();
        let p = d.rows[1].pos.unwrap();
        assert_eq!((p.line, p.column), (6, 28));
    }

    #[test]
    fn statline_problems_name_line_column_and_field() {
        let t = "\"Geslacht\";\"Regio's\";\"Perioden\";\"Bevolking op 1 januari (aantal)\"\n\
                 \"Mannen\";\"GM0363\";\"2025\";\"12,5\"\n\
                 \"Totaal mannen en vrouwen\";\"GM0364\";\"2025JJ00\";\"0\"\n\
                 \"Totaal mannen en vrouwen\";\"GM0365\";\"januari 2025\";\"5\"\n";
        let e = read_text(t, "x.csv", 2025).unwrap_err();
        let b = messages(&e);
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

        let e = read_text("\"Regio's\";\"Perioden\";\"Inwoners\"\n", "y.csv", 2025).unwrap_err();
        assert!(
            messages(&e)[0].contains("expected one column with the population"),
            "{:?}",
            messages(&e)
        );
        let e = read_text("a;b\n1;2\n", "z.csv", 2025).unwrap_err();
        assert!(messages(&e)[0].contains("found no header row"));
        let e = read_text(
            "\"Regio's\";\"Perioden\";\"BevolkingOp1Januari_1\"\n\"GM0363\";\"2023\";\"5\"\n",
            "w.csv",
            2025,
        )
        .unwrap_err();
        assert!(
            messages(&e)[0].contains("no figures for 1 January 2025 (it has 2023)"),
            "{:?}",
            messages(&e)
        );
    }

    #[test]
    fn reads_odata_v3_and_v4_and_refuses_a_page_or_mixed_measures() {
        let v3 = r#"{"odata.metadata":"https://opendata.cbs.nl/ODataApi/OData/03759ned/$metadata#Cbs.OData.WebAPI.TypedDataSet","value":[
            {"ID":1,"Geslacht":"T001038","Leeftijd":"10000","RegioS":"NL01  ","Perioden":"2025JJ00","BevolkingOp1Januari_1":300,"GemiddeldeBevolking_2":null},
            {"ID":2,"Geslacht":"T001038","Leeftijd":"10000","RegioS":"GM0363","Perioden":"2025JJ00","BevolkingOp1Januari_1":300,"GemiddeldeBevolking_2":null},
            {"ID":3,"Geslacht":"T001038","Leeftijd":"10000","RegioS":"PV27  ","Perioden":"2025JJ00","BevolkingOp1Januari_1":300,"GemiddeldeBevolking_2":null},
            {"ID":4,"Geslacht":"T001038","Leeftijd":"10000","RegioS":"GM0457","Perioden":"2025JJ00","BevolkingOp1Januari_1":null,"GemiddeldeBevolking_2":null}]}"#;
        let d = read_text(v3, "a.json", 2025).unwrap();
        assert_eq!(
            (d.format, d.table.as_deref()),
            (Format::ODataV3, Some("03759ned"))
        );
        assert_eq!(d.rows.len(), 1);
        assert_eq!(d.totaal.map(|t| t.0), Some(300));
        assert_eq!(d.rows[0].pos.unwrap().line, 3);

        let v4 = r#"{"@odata.context":"https://odata4.cbs.nl/CBS/03759ned/$metadata#Observations","value":[
            {"Id":0,"Measure":"M000352","ValueAttribute":"None","Value":300.0,"Geslacht":"T001038","RegioS":"GM0363","Perioden":"2025JJ00"},
            {"Id":1,"Measure":"M000352","ValueAttribute":"None","Value":20.5,"Geslacht":"3000","RegioS":"GM0364","Perioden":"2025JJ00"}]}"#;
        let e = read_text(v4, "b.json", 2025).unwrap_err();
        let b = messages(&e);
        assert!(
            b[0].starts_with("b.json:3:78: Geslacht: expected the total"),
            "{b:?}"
        );
        assert!(
            b[1].contains("b.json:3:65: Value: expected a whole number"),
            "{b:?}"
        );

        let mixed = v4
            .replacen("M000352", "M000100", 1)
            .replace("20.5", "20")
            .replace("\"3000\"", "\"T001038\"");
        assert!(
            messages(&read_text(&mixed, "c.json", 2025).unwrap_err())[0].contains("2 measures")
        );
        let page = v3.replacen("\"value\"", "\"odata.nextLink\":\"x\",\"value\"", 1);
        assert!(messages(&read_text(&page, "d.json", 2025).unwrap_err())[0].contains("one page"));
        let broken = read_text("{\"value\": [1,}", "e.json", 2025).unwrap_err();
        assert!(
            messages(&broken)[0].starts_with("e.json:1:"),
            "{:?}",
            messages(&broken)
        );
    }

    #[test]
    fn reads_the_plain_csv_with_comments() {
        let t = "# test\ngemeentecode;gemeentenaam;inwoners\nGM0363;Amsterdam;931298\n\"GM0820\";\"Nuenen, Gerwen en Nederwetten\";\"24231\"\nGM03;X;-5\n";
        let e = read_text(t, "p.csv", 2025).unwrap_err();
        let b = messages(&e);
        assert_eq!(b.len(), 2, "{b:?}");
        assert!(b[0].starts_with("p.csv:5:1: gemeentecode:"), "{b:?}");
        assert!(
            b[1].starts_with("p.csv:5:8: inwoners: expected a whole number"),
            "{b:?}"
        );
        let d = read_text(&t.replace("GM03;X;-5\n", ""), "p.csv", 2025).unwrap();
        assert_eq!(
            d.rows[1].naam.as_deref(),
            Some("Nuenen, Gerwen en Nederwetten")
        );
        assert_eq!(d.format, Format::Plain);
    }

    #[test]
    fn finds_table_ids_and_download_days() {
        assert_eq!(
            table_in("https://x/CBS/70072NED/$metadata").as_deref(),
            Some("70072NED")
        );
        assert_eq!(table_in("Bevolking 2025"), None);
        assert_eq!(
            datum_in_file_name("Bevolking__geslacht__leeftijd__regio_21042021_115647.csv"),
            Datum::new(2021, 4, 21)
        );
        assert_eq!(datum_in_file_name("03759ned_2025.csv"), None);
        assert_eq!(
            datum_in_text("Den Haag/Heerlen 1-10-2017"),
            Datum::new(2017, 10, 1)
        );
        assert!(is_total("Totaal mannen en vrouwen") && is_total("T001019") && is_total("10000"));
        assert!(!is_total("Mannen") && !is_total("3000"));
    }
}
