//! Population per municipality (Bevolking) on a peildatum: the `iG` and `iN`
//! of the art. 29 distribution.
//!
//! One peildatum (always 1 January) is stored as two files in a directory,
//! conventionally `inputs/bevolking/`:
//!
//! - `YYYY-01-01.csv` with exactly the columns
//!   `gemeentecode,gemeentenaam,provincie,inwoners`, one municipality a row;
//! - `YYYY-01-01.yaml` with the metadata of that table:
//!
//! ```yaml
//! peildatum: 2024-01-01
//! totaal_nederland: 17942942   # the CBS national total; must equal the sum of the rows
//! aantal_gemeenten: 342        # must equal the number of rows
//! bron: "CBS StatLine 70072NED / 37259ENG, ..."
//! provincies_bron: "..."       # where the province column comes from
//! provincies_handmatig: []     # codes whose province was filled in by hand (optional)
//! ```
//!
//! [`load_bevolking`] checks both files and reports every problem it finds at
//! once, each with file, line (and column or field) and what was expected.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use miette::Diagnostic;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The columns of a population CSV file, in this order.
pub const COLUMNS: [&str; 4] = ["gemeentecode", "gemeentenaam", "provincie", "inwoners"];

/// One of the twelve provinces.
///
/// The declaration order is the fixed order in which provinces are listed in
/// the Staatscourant tables (north to south), so `Ord` sorts in that order.
/// Serialized and parsed by its official name (`"Fryslân"`, `"Noord-Holland"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Provincie {
    #[serde(rename = "Groningen")]
    Groningen,
    #[serde(rename = "Fryslân")]
    Fryslan,
    #[serde(rename = "Drenthe")]
    Drenthe,
    #[serde(rename = "Overijssel")]
    Overijssel,
    #[serde(rename = "Flevoland")]
    Flevoland,
    #[serde(rename = "Gelderland")]
    Gelderland,
    #[serde(rename = "Utrecht")]
    Utrecht,
    #[serde(rename = "Noord-Holland")]
    NoordHolland,
    #[serde(rename = "Zuid-Holland")]
    ZuidHolland,
    #[serde(rename = "Zeeland")]
    Zeeland,
    #[serde(rename = "Noord-Brabant")]
    NoordBrabant,
    #[serde(rename = "Limburg")]
    Limburg,
}

impl Provincie {
    /// All twelve provinces in the fixed listing order.
    pub const ALLE: [Provincie; 12] = [
        Provincie::Groningen,
        Provincie::Fryslan,
        Provincie::Drenthe,
        Provincie::Overijssel,
        Provincie::Flevoland,
        Provincie::Gelderland,
        Provincie::Utrecht,
        Provincie::NoordHolland,
        Provincie::ZuidHolland,
        Provincie::Zeeland,
        Provincie::NoordBrabant,
        Provincie::Limburg,
    ];

    /// The official name, as written in the Staatscourant.
    pub fn naam(self) -> &'static str {
        match self {
            Provincie::Groningen => "Groningen",
            Provincie::Fryslan => "Fryslân",
            Provincie::Drenthe => "Drenthe",
            Provincie::Overijssel => "Overijssel",
            Provincie::Flevoland => "Flevoland",
            Provincie::Gelderland => "Gelderland",
            Provincie::Utrecht => "Utrecht",
            Provincie::NoordHolland => "Noord-Holland",
            Provincie::ZuidHolland => "Zuid-Holland",
            Provincie::Zeeland => "Zeeland",
            Provincie::NoordBrabant => "Noord-Brabant",
            Provincie::Limburg => "Limburg",
        }
    }

    /// Parses the exact official name; no other spelling is accepted.
    pub fn from_naam(naam: &str) -> Option<Provincie> {
        Provincie::ALLE.into_iter().find(|p| p.naam() == naam)
    }

    /// For a value that is not an official name: the official name that was
    /// probably meant (other case or spacing, "Friesland", missing accent).
    pub fn suggestie(waarde: &str) -> Option<Provincie> {
        let fold = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| if c == 'â' { 'a' } else { c })
                .flat_map(char::to_lowercase)
                .collect()
        };
        let waarde = fold(waarde);
        if waarde == "friesland" {
            return Some(Provincie::Fryslan);
        }
        Provincie::ALLE
            .into_iter()
            .find(|p| fold(p.naam()) == waarde)
    }
}

impl fmt::Display for Provincie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.naam())
    }
}

/// The error of [`Provincie::from_str`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("`{0}` is not one of the twelve provinces")]
pub struct UnknownProvincie(pub String);

impl FromStr for Provincie {
    type Err = UnknownProvincie;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Provincie::from_naam(s).ok_or_else(|| UnknownProvincie(s.to_owned()))
    }
}

/// Whether `code` is a CBS municipality code: `GM` followed by four digits.
pub fn is_gemeentecode(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 6 && code.starts_with("GM") && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// One municipality (Gemeente) with its population on the peildatum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gemeente {
    /// CBS code, `GM` + four digits.
    pub code: String,
    /// Name in CBS spelling.
    pub naam: String,
    pub provincie: Provincie,
    /// Inhabitants on the peildatum (always > 0).
    pub inwoners: u64,
}

/// The population table of one peildatum (1 January of `peildatum_jaar`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bevolking {
    /// The year of the peildatum; the peildatum itself is 1 January of it.
    pub peildatum_jaar: i32,
    /// The stated national total (checked: equals the sum of `gemeenten`).
    pub totaal: u64,
    /// Where the population figures come from (for the credit "Bron: CBS").
    pub bron: String,
    /// Where the province column comes from.
    pub provincies_bron: String,
    /// Codes whose province was filled in by hand (see `provincies_bron`).
    pub provincies_handmatig: Vec<String>,
    /// The municipalities, in file order.
    pub gemeenten: Vec<Gemeente>,
}

impl Bevolking {
    /// The municipality with this code, if any.
    pub fn gemeente(&self, code: &str) -> Option<&Gemeente> {
        self.gemeenten.iter().find(|g| g.code == code)
    }
}

/// The two file paths of a peildatum in `dir`: (`YYYY-01-01.csv`, `YYYY-01-01.yaml`).
pub fn bevolking_paths(dir: &Path, peildatum_jaar: i32) -> (PathBuf, PathBuf) {
    (
        dir.join(format!("{peildatum_jaar:04}-01-01.csv")),
        dir.join(format!("{peildatum_jaar:04}-01-01.yaml")),
    )
}

/// Loads and checks the population table for 1 January of `peildatum_jaar`
/// from `dir` (see the module documentation for the file format).
///
/// All problems of both files are reported together in
/// [`BevolkingError::Ongeldig`].
pub fn load_bevolking(dir: &Path, peildatum_jaar: i32) -> Result<Bevolking, BevolkingError> {
    let (csv_path, yaml_path) = bevolking_paths(dir, peildatum_jaar);
    let mut missing = Vec::new();
    let mut too_large = Vec::new();
    let mut read = |path: &Path| -> Result<Option<Vec<u8>>, BevolkingError> {
        // Refuse a file far larger than a population table before reading it whole.
        if let Ok(meta) = std::fs::metadata(path)
            && meta.len() > super::yaml::MAX_FILE_BYTES
        {
            too_large.push(BevolkingProblem {
                file: path.to_path_buf(),
                line: None,
                column: None,
                field: None,
                kind: ProblemKind::TooLarge { bytes: meta.len() },
            });
            return Ok(Some(Vec::new()));
        }
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                missing.push(path.to_path_buf());
                Ok(None)
            }
            Err(source) => Err(BevolkingError::Io {
                path: path.to_path_buf(),
                source,
            }),
        }
    };
    let csv_bytes = read(&csv_path)?;
    let yaml_bytes = read(&yaml_path)?;
    let (Some(csv_bytes), Some(yaml_bytes)) = (csv_bytes, yaml_bytes) else {
        return Err(BevolkingError::Ontbreekt {
            peildatum_jaar,
            paths: missing,
        });
    };

    if !too_large.is_empty() {
        return Err(BevolkingError::Ongeldig {
            peildatum_jaar,
            problems: too_large,
        });
    }
    let mut problems = Vec::new();
    let csv_text = decode_utf8(&csv_path, &csv_bytes, &mut problems);
    let yaml_text = decode_utf8(&yaml_path, &yaml_bytes, &mut problems);
    match (csv_text, yaml_text) {
        (Some(csv_text), Some(yaml_text)) => {
            parse_bevolking(peildatum_jaar, &csv_path, csv_text, &yaml_path, yaml_text)
        }
        _ => Err(BevolkingError::Ongeldig {
            peildatum_jaar,
            problems,
        }),
    }
}

/// Checks and combines the already read texts of a population CSV file and
/// its YAML metadata. The paths are only used in problem reports.
/// [`load_bevolking`] is this plus reading the files.
pub fn parse_bevolking(
    peildatum_jaar: i32,
    csv_path: &Path,
    csv_text: &str,
    yaml_path: &Path,
    yaml_text: &str,
) -> Result<Bevolking, BevolkingError> {
    let mut problems = Vec::new();
    let rows = parse_csv(csv_path, csv_text, &mut problems);
    let meta = parse_metadata(yaml_path, yaml_text, &mut problems);

    let totaal = match &meta {
        Some(meta) => check_metadata(peildatum_jaar, yaml_path, meta, &mut problems),
        None => None,
    };
    if let (Some(rows), Some(meta), Some(totaal)) = (&rows, &meta, totaal) {
        cross_check(csv_path, yaml_path, rows, meta, totaal, &mut problems);
    }

    match (rows, meta, totaal) {
        (Some(rows), Some(meta), Some(totaal)) if problems.is_empty() => Ok(Bevolking {
            peildatum_jaar,
            totaal: totaal.totaal_nederland,
            bron: meta.bron.value,
            provincies_bron: meta.provincies_bron.value,
            provincies_handmatig: meta.provincies_handmatig.value,
            gemeenten: rows.gemeenten,
        }),
        _ => Err(BevolkingError::Ongeldig {
            peildatum_jaar,
            problems,
        }),
    }
}

/// Failure to load a population table.
#[derive(Debug, Error, Diagnostic)]
pub enum BevolkingError {
    /// A file of the peildatum does not exist.
    #[error(
        "no population data for peildatum 1 January {peildatum_jaar}: missing {}",
        display_paths(paths)
    )]
    #[diagnostic(
        code(taakstelling::bevolking::ontbreekt),
        help(
            "each peildatum needs YYYY-01-01.csv (gemeentecode,gemeentenaam,provincie,inwoners) \
             and YYYY-01-01.yaml (peildatum, totaal_nederland, aantal_gemeenten, bron, \
             provincies_bron)"
        )
    )]
    Ontbreekt {
        peildatum_jaar: i32,
        paths: Vec<PathBuf>,
    },

    /// A file exists but cannot be read.
    #[error("cannot read {}", path.display())]
    #[diagnostic(code(taakstelling::bevolking::io))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The files were read but are not valid; every problem found is listed.
    #[error(
        "population data for peildatum 1 January {peildatum_jaar} is not valid ({} {}):{}",
        problems.len(),
        if problems.len() == 1 { "problem" } else { "problems" },
        display_problems(problems)
    )]
    #[diagnostic(code(taakstelling::bevolking::ongeldig))]
    Ongeldig {
        peildatum_jaar: i32,
        problems: Vec<BevolkingProblem>,
    },
}

impl BevolkingError {
    /// The individual problems (empty for a missing or unreadable file).
    pub fn problems(&self) -> &[BevolkingProblem] {
        match self {
            BevolkingError::Ongeldig { problems, .. } => problems,
            _ => &[],
        }
    }
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" and ")
}

fn display_problems(problems: &[BevolkingProblem]) -> String {
    problems.iter().map(|p| format!("\n  - {p}")).collect()
}

/// One problem in a population file, with its location.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct BevolkingProblem {
    pub file: PathBuf,
    /// 1-based line, when the problem has one.
    pub line: Option<u64>,
    /// CSV: 1-based column (field) number; YAML: 1-based character column.
    pub column: Option<u64>,
    /// CSV column name or YAML key.
    pub field: Option<String>,
    pub kind: ProblemKind,
}

impl fmt::Display for BevolkingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(column) = self.column {
            write!(f, ", column {column}")?;
        }
        if let Some(field) = &self.field {
            write!(f, " (`{field}`)")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// What is wrong, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProblemKind {
    #[error("the file is not valid UTF-8")]
    NotUtf8,
    #[error("the file is {bytes} bytes, expected at most 1048576 bytes (1 MiB)")]
    TooLarge { bytes: u64 },
    #[error("cannot parse the file: {0}")]
    Syntax(String),
    #[error("expected the header `gemeentecode,gemeentenaam,provincie,inwoners`, found `{found}`")]
    Header { found: String },
    #[error("the file has no municipalities")]
    NoRows,
    #[error("expected 4 fields (gemeentecode,gemeentenaam,provincie,inwoners), found {found}")]
    FieldCount { found: usize },
    #[error("expected a municipality code `GM` followed by four digits, found `{found}`")]
    BadCode { found: String },
    #[error("municipality code {code} appears twice (first on line {first_line})")]
    DuplicateCode { code: String, first_line: u64 },
    #[error("expected a municipality name, found an empty field")]
    EmptyName,
    #[error("expected a name without leading or trailing spaces, found `{found}`")]
    NameWhitespace { found: String },
    #[error(
        "expected one of the twelve provinces (Groningen, Fryslân, Drenthe, Overijssel, \
         Flevoland, Gelderland, Utrecht, Noord-Holland, Zuid-Holland, Zeeland, Noord-Brabant, \
         Limburg), found `{found}`{}",
        suggestion.map(|p| format!("; did you mean `{p}`?")).unwrap_or_default()
    )]
    UnknownProvince {
        found: String,
        suggestion: Option<Provincie>,
    },
    #[error("expected a whole number of inhabitants greater than zero, found `{found}`")]
    NotANumber { found: String },
    #[error("expected a number of inhabitants greater than zero, found 0")]
    Zero,
    #[error("{0}")]
    Yaml(String),
    #[error("expected peildatum {expected} (the file name), found `{found}`")]
    Peildatum { expected: String, found: String },
    #[error("expected a non-empty text")]
    EmptyText,
    #[error("expected a whole number greater than zero (digits only), found `{found}`")]
    NotAWholeNumber { found: String },
    #[error(
        "the stated national total is {stated}, but the municipalities in {csv} add up to {sum} \
         (a difference of {})",
        sum.abs_diff(u128::from(*stated))
    )]
    Total { stated: u64, sum: u128, csv: String },
    #[error("the stated number of municipalities is {stated}, but {csv} has {found}")]
    Count {
        stated: u64,
        found: usize,
        csv: String,
    },
    #[error("{code} is listed as hand-filled but is not a municipality in {csv}")]
    UnknownHandmatig { code: String, csv: String },
}

/// What was read from a CSV file.
struct CsvRows {
    /// The rows without any problem.
    gemeenten: Vec<Gemeente>,
    /// The number of data rows, valid or not.
    rows: usize,
    /// The sum of the inhabitants of all rows, valid or not; `None` when some
    /// row's number could not be read (the national total is then not checked).
    inwoners: Option<u128>,
    /// Every well-formed code that occurs.
    codes: std::collections::BTreeMap<String, u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Metadata {
    peildatum: serde_saphyr::Spanned<String>,
    // Numbers are read as text and parsed here, for a precise error message.
    totaal_nederland: serde_saphyr::Spanned<String>,
    aantal_gemeenten: serde_saphyr::Spanned<String>,
    bron: serde_saphyr::Spanned<String>,
    provincies_bron: serde_saphyr::Spanned<String>,
    #[serde(default = "empty_spanned")]
    provincies_handmatig: serde_saphyr::Spanned<Vec<String>>,
}

fn empty_spanned() -> serde_saphyr::Spanned<Vec<String>> {
    serde_saphyr::Spanned::new(
        Vec::new(),
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

fn decode_utf8<'a>(
    path: &Path,
    bytes: &'a [u8],
    problems: &mut Vec<BevolkingProblem>,
) -> Option<&'a str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64
                + 1;
            problems.push(BevolkingProblem {
                file: path.to_path_buf(),
                line: Some(line),
                column: None,
                field: None,
                kind: ProblemKind::NotUtf8,
            });
            None
        }
    }
}

fn parse_csv(path: &Path, text: &str, problems: &mut Vec<BevolkingProblem>) -> Option<CsvRows> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    if !check_header(path, records.next(), problems) {
        return None;
    }

    let mut read = CsvRows {
        gemeenten: Vec::new(),
        rows: 0,
        inwoners: Some(0),
        codes: std::collections::BTreeMap::new(),
    };
    for record in records {
        read.rows += 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(csv_syntax_problem(path, &e));
                read.inwoners = None;
                // The csv reader cannot resynchronise reliably after a syntax error.
                break;
            }
        };
        if record.len() != COLUMNS.len() {
            problems.push(row_problem(
                path,
                line_of(&record),
                None,
                ProblemKind::FieldCount {
                    found: record.len(),
                },
            ));
            read.inwoners = None;
            continue;
        }
        let count = parse_count(&record[3]);
        read.inwoners = read.inwoners.zip(count).map(|(sum, n)| sum + u128::from(n));
        if let Some(gemeente) = check_row(path, &record, count, &mut read.codes, problems) {
            read.gemeenten.push(gemeente);
        }
    }
    if read.rows == 0 {
        problems.push(row_problem(path, 1, None, ProblemKind::NoRows));
        return None;
    }
    Some(read)
}

/// A problem at `line` of the CSV, in column `column` (0-based) when known.
fn row_problem(
    path: &Path,
    line: u64,
    column: Option<usize>,
    kind: ProblemKind,
) -> BevolkingProblem {
    BevolkingProblem {
        file: path.to_path_buf(),
        line: Some(line),
        column: column.map(|c| c as u64 + 1),
        field: column.map(|c| COLUMNS[c].to_owned()),
        kind,
    }
}

/// Whether the first record is the header [`COLUMNS`]; a missing or wrong one is a problem.
fn check_header(
    path: &Path,
    first: Option<csv::Result<csv::StringRecord>>,
    problems: &mut Vec<BevolkingProblem>,
) -> bool {
    match first {
        None => {
            problems.push(row_problem(path, 1, None, ProblemKind::NoRows));
            false
        }
        Some(Err(e)) => {
            problems.push(csv_syntax_problem(path, &e));
            false
        }
        Some(Ok(header)) if header.iter().ne(COLUMNS) => {
            let found = header.iter().collect::<Vec<_>>().join(",");
            problems.push(row_problem(
                path,
                line_of(&header),
                None,
                ProblemKind::Header { found },
            ));
            false
        }
        Some(Ok(_)) => true,
    }
}

/// Checks one data row of [`COLUMNS`] fields (code, name, province, inhabitants as
/// `count`), recording each well-formed code's first line in `first_lines`. Returns the
/// municipality when the row has no problem.
fn check_row(
    path: &Path,
    record: &csv::StringRecord,
    count: Option<u64>,
    first_lines: &mut std::collections::BTreeMap<String, u64>,
    problems: &mut Vec<BevolkingProblem>,
) -> Option<Gemeente> {
    let line = line_of(record);
    let problem = |column: usize, kind: ProblemKind| row_problem(path, line, Some(column), kind);
    let before = problems.len();

    let code = &record[0];
    if !is_gemeentecode(code) {
        problems.push(problem(
            0,
            ProblemKind::BadCode {
                found: code.to_owned(),
            },
        ));
    } else if let Some(first_line) = first_lines.get(code) {
        problems.push(problem(
            0,
            ProblemKind::DuplicateCode {
                code: code.to_owned(),
                first_line: *first_line,
            },
        ));
    } else {
        first_lines.insert(code.to_owned(), line);
    }

    let naam = &record[1];
    if naam.trim().is_empty() {
        problems.push(problem(1, ProblemKind::EmptyName));
    } else if naam.trim() != naam {
        problems.push(problem(
            1,
            ProblemKind::NameWhitespace {
                found: naam.to_owned(),
            },
        ));
    }

    let provincie = Provincie::from_naam(&record[2]);
    if provincie.is_none() {
        problems.push(problem(
            2,
            ProblemKind::UnknownProvince {
                found: record[2].to_owned(),
                suggestion: Provincie::suggestie(&record[2]),
            },
        ));
    }

    let inwoners = match count {
        Some(0) => {
            problems.push(problem(3, ProblemKind::Zero));
            None
        }
        Some(n) => Some(n),
        None => {
            problems.push(problem(
                3,
                ProblemKind::NotANumber {
                    found: record[3].to_owned(),
                },
            ));
            None
        }
    };

    let (provincie, inwoners) = (provincie?, inwoners?);
    (problems.len() == before).then(|| Gemeente {
        code: code.to_owned(),
        naam: naam.to_owned(),
        provincie,
        inwoners,
    })
}

/// Plain ASCII digits only: no sign, spaces, separators or decimals.
fn parse_count(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn line_of(record: &csv::StringRecord) -> u64 {
    record.position().map_or(0, csv::Position::line)
}

fn csv_syntax_problem(path: &Path, e: &csv::Error) -> BevolkingProblem {
    BevolkingProblem {
        file: path.to_path_buf(),
        line: e.position().map(csv::Position::line),
        column: None,
        field: None,
        kind: ProblemKind::Syntax(e.to_string()),
    }
}

fn parse_metadata(
    path: &Path,
    text: &str,
    problems: &mut Vec<BevolkingProblem>,
) -> Option<Metadata> {
    let bron = super::fout::Bron::new(path, text.to_string());
    match super::yaml::parse_yaml::<Metadata>(&bron) {
        Ok(meta) => Some(meta),
        Err(e) => {
            for fout in e.errors {
                problems.push(BevolkingProblem {
                    file: path.to_path_buf(),
                    line: fout.pos.map(|p| p.line),
                    column: fout.pos.map(|p| p.column),
                    field: Some(fout.field).filter(|f| !f.starts_with('(')),
                    kind: ProblemKind::Yaml(match fout.help {
                        Some(help) if !fout.message.ends_with('?') => {
                            format!("{}; {help}", fout.message)
                        }
                        _ => fout.message,
                    }),
                });
            }
            None
        }
    }
}

/// The checked numbers of the metadata.
#[derive(Clone, Copy)]
struct Totals {
    totaal_nederland: u64,
    aantal_gemeenten: u64,
}

fn yaml_problem(
    yaml_path: &Path,
    loc: &serde_saphyr::Location,
    field: &str,
    kind: ProblemKind,
) -> BevolkingProblem {
    let known = *loc != serde_saphyr::Location::UNKNOWN;
    BevolkingProblem {
        file: yaml_path.to_path_buf(),
        line: known.then(|| loc.line()),
        column: known.then(|| loc.column()),
        field: Some(field.to_owned()),
        kind,
    }
}

/// Checks the metadata on its own; returns its numbers when they are readable.
fn check_metadata(
    peildatum_jaar: i32,
    yaml_path: &Path,
    meta: &Metadata,
    problems: &mut Vec<BevolkingProblem>,
) -> Option<Totals> {
    let expected = format!("{peildatum_jaar:04}-01-01");
    if meta.peildatum.value != expected {
        problems.push(yaml_problem(
            yaml_path,
            &meta.peildatum.referenced,
            "peildatum",
            ProblemKind::Peildatum {
                expected,
                found: meta.peildatum.value.clone(),
            },
        ));
    }
    for (field, value) in [
        ("bron", &meta.bron),
        ("provincies_bron", &meta.provincies_bron),
    ] {
        if value.value.trim().is_empty() {
            problems.push(yaml_problem(
                yaml_path,
                &value.referenced,
                field,
                ProblemKind::EmptyText,
            ));
        }
    }
    let mut number =
        |field: &str, value: &serde_saphyr::Spanned<String>| match parse_count(&value.value) {
            Some(n) if n > 0 => Some(n),
            _ => {
                problems.push(yaml_problem(
                    yaml_path,
                    &value.referenced,
                    field,
                    ProblemKind::NotAWholeNumber {
                        found: value.value.clone(),
                    },
                ));
                None
            }
        };
    let totaal_nederland = number("totaal_nederland", &meta.totaal_nederland);
    let aantal_gemeenten = number("aantal_gemeenten", &meta.aantal_gemeenten);
    Some(Totals {
        totaal_nederland: totaal_nederland?,
        aantal_gemeenten: aantal_gemeenten?,
    })
}

/// Checks the metadata against the rows of the CSV file.
fn cross_check(
    csv_path: &Path,
    yaml_path: &Path,
    rows: &CsvRows,
    meta: &Metadata,
    totals: Totals,
    problems: &mut Vec<BevolkingProblem>,
) {
    let csv_name = csv_path.file_name().map_or_else(
        || csv_path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    if let Some(sum) = rows.inwoners
        && sum != u128::from(totals.totaal_nederland)
    {
        problems.push(yaml_problem(
            yaml_path,
            &meta.totaal_nederland.referenced,
            "totaal_nederland",
            ProblemKind::Total {
                stated: totals.totaal_nederland,
                sum,
                csv: csv_name.clone(),
            },
        ));
    }
    if rows.rows as u64 != totals.aantal_gemeenten {
        problems.push(yaml_problem(
            yaml_path,
            &meta.aantal_gemeenten.referenced,
            "aantal_gemeenten",
            ProblemKind::Count {
                stated: totals.aantal_gemeenten,
                found: rows.rows,
                csv: csv_name.clone(),
            },
        ));
    }
    for code in &meta.provincies_handmatig.value {
        if !rows.codes.contains_key(code) {
            problems.push(yaml_problem(
                yaml_path,
                &meta.provincies_handmatig.referenced,
                "provincies_handmatig",
                ProblemKind::UnknownHandmatig {
                    code: code.clone(),
                    csv: csv_name.clone(),
                },
            ));
        }
    }
}

/// A population table as its two files say it, for [`table_texts`]: the one
/// writer of the format, shared by `taakstelling bevolking import` and
/// `examples/generate_bevolking.rs`, so that the two cannot drift apart.
#[derive(Debug, Clone)]
pub struct TableText<'a> {
    /// Comment lines on top of the YAML file, each without `#` (may be empty).
    pub header: &'a [String],
    pub peildatum_jaar: i32,
    pub totaal_nederland: u64,
    pub bron: &'a str,
    pub provincies_bron: &'a str,
    /// Codes whose province was filled in by hand, each with its name (a comment).
    pub provincies_handmatig: &'a [(String, String)],
    /// The municipalities; written sorted by code.
    pub gemeenten: &'a [Gemeente],
}

/// The texts of `YYYY-01-01.csv` and `YYYY-01-01.yaml`.
pub fn table_texts(t: &TableText) -> (String, String) {
    let mut rijen: Vec<&Gemeente> = t.gemeenten.iter().collect();
    rijen.sort_by(|a, b| a.code.cmp(&b.code));
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing into memory cannot fail.
    let _ = writer.write_record(COLUMNS);
    for g in rijen {
        let _ = writer.write_record([
            g.code.as_str(),
            g.naam.as_str(),
            g.provincie.naam(),
            &g.inwoners.to_string(),
        ]);
    }
    let csv = writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default();

    let mut yaml = String::new();
    for line in t.header {
        yaml.push_str(&format!("# {line}\n"));
    }
    yaml.push_str(&format!("peildatum: {:04}-01-01\n", t.peildatum_jaar));
    yaml.push_str(&format!("totaal_nederland: {}\n", t.totaal_nederland));
    yaml.push_str(&format!("aantal_gemeenten: {}\n", t.gemeenten.len()));
    yaml.push_str(&format!("bron: {}\n", yaml_text(t.bron)));
    yaml.push_str(&format!(
        "provincies_bron: {}\n",
        yaml_text(t.provincies_bron)
    ));
    if t.provincies_handmatig.is_empty() {
        yaml.push_str("provincies_handmatig: []\n");
    } else {
        yaml.push_str("provincies_handmatig:\n");
        for (code, naam) in t.provincies_handmatig {
            yaml.push_str(&format!("  - {code}  # {}\n", single_line(naam)));
        }
    }
    (csv, yaml)
}

/// A double-quoted YAML scalar; control characters become spaces, so that the
/// value stays on its line.
fn yaml_text(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn single_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_table_reads_back_as_written() {
        let gemeenten = vec![
            Gemeente {
                code: "GM0820".into(),
                naam: "Nuenen, Gerwen en Nederwetten".into(),
                provincie: Provincie::NoordBrabant,
                inwoners: 24_231,
            },
            Gemeente {
                code: "GM0014".into(),
                naam: "Groningen".into(),
                provincie: Provincie::Groningen,
                inwoners: 243_768,
            },
        ];
        let handmatig = [("GM0014".to_string(), "Groningen\nx".to_string())];
        let header = ["Bron: CBS. Test.".to_string()];
        let (csv, yaml) = table_texts(&TableText {
            header: &header,
            peildatum_jaar: 2030,
            totaal_nederland: 267_999,
            bron: "CBS \"StatLine\" \\ test",
            provincies_bron: "test",
            provincies_handmatig: &handmatig,
            gemeenten: &gemeenten,
        });
        assert!(csv.starts_with("gemeentecode,gemeentenaam,provincie,inwoners\nGM0014,"));
        assert!(csv.contains("GM0820,\"Nuenen, Gerwen en Nederwetten\",Noord-Brabant,24231\n"));
        assert!(yaml.contains("  - GM0014  # Groningen x\n"), "{yaml}");
        let b = parse_bevolking(
            2030,
            Path::new("2030-01-01.csv"),
            &csv,
            Path::new("2030-01-01.yaml"),
            &yaml,
        )
        .unwrap();
        assert_eq!(b.bron, "CBS \"StatLine\" \\ test");
        assert_eq!(b.gemeenten[0].code, "GM0014");
        assert_eq!(b.gemeenten[1], gemeenten[0]);
        assert_eq!(b.provincies_handmatig, ["GM0014"]);
    }
}
