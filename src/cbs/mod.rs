//! `taakstelling bevolking import`: CBS's yearly population per municipality into
//! the project's table `inputs/bevolking/YYYY-01-01.csv` and `.yaml`.
//!
//! The import is made whole in memory first ([`prepare`]): the download read
//! ([`download`]), every municipality named by its code, its province from the
//! previous table or from CBS's municipal division table ([`indeling`]), the checks
//! (each municipality once, whole positive numbers, the national total, a plausible
//! number of municipalities), the two texts written by the one writer of the format
//! and read back by the loader. Only then [`write()`] puts them in place: beside the
//! target first, then linked (a new table) or renamed (with `--force`) into place, so
//! a refused or failed import writes nothing.

pub mod download;
pub mod indeling;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

use crate::input::BEVOLKING_FOLDER;
use crate::input::bevolking::{
    Bevolking, BevolkingError, Gemeente, Provincie, TableText, bevolking_paths, load_bevolking,
    parse_bevolking, table_texts,
};
use crate::input::fout::ErrorCollector;
use crate::input::yaml::text_from_bytes;
use crate::input::{Bron, InputError, InputErrors, Pos};
use crate::kalender::{Datum, Helft, Periode};
use crate::nl;
use download::{Download, Format, Regio};
use indeling::Indeling;

/// The largest download read: a filtered CBS download of ~350 municipalities is far
/// smaller; an unfiltered table is refused before it fills memory.
const MAX_DOWNLOAD: u64 = 32 * 1024 * 1024;
const MAX_INDELING_BYTES: u64 = 4 * 1024 * 1024;

/// What the command was asked.
#[derive(Debug, Clone)]
pub struct Options {
    /// The inputs folder; the table goes into its `bevolking/`.
    pub inputs: PathBuf,
    /// The download.
    pub download: PathBuf,
    /// 1 January of the year of the figures.
    pub peildatum: Datum,
    /// CBS's municipal division table of the peildatum, for new municipalities.
    pub indeling: Option<PathBuf>,
    /// The CBS table, when the download does not say it.
    pub table: Option<String>,
    /// The day of the download, when the download does not say it (or to correct it).
    pub downloaded: Option<Datum>,
    /// Replace a table that exists.
    pub force: bool,
}

/// Why an import was refused. Nothing is written.
#[derive(Debug, Error, Diagnostic)]
pub enum ImportError {
    #[error("{0}")]
    #[diagnostic(code(taakstelling::bevolking::gebruik))]
    Usage(String),

    #[error("{0}")]
    #[diagnostic(code(taakstelling::bevolking::intern))]
    Internal(String),

    #[error("cannot read {}: {error}", path.display())]
    #[diagnostic(code(taakstelling::bevolking::lezen))]
    Read { path: PathBuf, error: io::Error },

    #[error("{}: the file is {bytes} bytes, larger than {max} bytes; is it the right file (a download filtered on the municipalities, one period and the totals)?", path.display())]
    #[diagnostic(code(taakstelling::bevolking::te_groot))]
    TooLarge { path: PathBuf, bytes: u64, max: u64 },

    #[error("the import was refused; nothing was written")]
    #[diagnostic(code(taakstelling::bevolking::ongeldig))]
    Invalid {
        #[related]
        errors: Vec<InputErrors>,
    },

    #[error("{}", .missing.join("; "))]
    #[diagnostic(
        code(taakstelling::bevolking::herkomst),
        help(
            "the table records where its figures come from (Bron: CBS, the table, the day of the download); nothing was written"
        )
    )]
    NoProvenance { missing: Vec<String> },

    #[error(
        "the previous population table does not check; fix it first (nothing was written): {error}"
    )]
    #[diagnostic(code(taakstelling::bevolking::vorige))]
    Previous { error: Box<BevolkingError> },

    #[error("{} already exists and differs from this download ({summary}); nothing was written", path.display())]
    #[diagnostic(
        code(taakstelling::bevolking::bestaat),
        help(
            "run the import again with --force to replace it; the command then lists every change"
        )
    )]
    Exists { path: PathBuf, summary: String },

    #[error("refusing to write {}: it is not inside the inputs folder {}", path.display(), inputs.display())]
    #[diagnostic(code(taakstelling::bevolking::buiten))]
    Outside { path: PathBuf, inputs: PathBuf },

    #[error("cannot write {}: {error}", path.display())]
    #[diagnostic(code(taakstelling::bevolking::schrijven))]
    Write { path: PathBuf, error: io::Error },
}

impl ImportError {
    /// The exit code: 2 for wrong usage, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            ImportError::Usage(_) => 2,
            _ => 1,
        }
    }
}

/// How the table on disk compares with the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Existing {
    Absent,
    /// Byte for byte what the import would write.
    Same,
    /// Different: what changed, one line each.
    Different(Vec<String>),
}

/// An import made in memory, ready to be written.
#[derive(Debug, Clone)]
pub struct Import {
    pub jaar: i32,
    pub csv_path: PathBuf,
    pub yaml_path: PathBuf,
    pub csv: String,
    pub yaml: String,
    pub bevolking: Bevolking,
    pub format: Format,
    pub file_name: String,
    pub table: String,
    pub downloaded: Datum,
    pub downloaded_from: &'static str,
    /// Whether the download carried the national total (and the sum matched it).
    pub total_from_download: bool,
    pub provisional: bool,
    /// The year of the previous table, when there is one.
    pub previous: Option<(i32, usize)>,
    /// Municipalities new since the previous table: code, name, province.
    pub added: Vec<(String, String, Provincie)>,
    /// Municipalities gone since the previous table: code, name.
    pub removed: Vec<(String, String)>,
    /// Municipalities whose name changed: code, old, new.
    pub renamed: Vec<(String, String, String)>,
    pub provinces_from_previous: usize,
    pub provinces_from_indeling: usize,
    pub existing: Existing,
}

/// The years of the tables in `dir` (`YYYY-01-01.yaml`), sorted.
fn table_years(dir: &Path) -> Vec<i32> {
    let mut years: Vec<i32> = fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let naam = e.file_name().to_string_lossy().into_owned();
                    let jaar = naam.strip_suffix("-01-01.yaml")?;
                    (jaar.len() == 4).then(|| jaar.parse().ok()).flatten()
                })
                .collect()
        })
        .unwrap_or_default();
    years.sort_unstable();
    years
}

/// Reads a file whole, refusing one larger than `max`, as UTF-8 text.
fn read_text(path: &Path, max: u64) -> Result<Result<Bron, InputErrors>, ImportError> {
    let read_error = |error| ImportError::Read {
        path: path.to_path_buf(),
        error,
    };
    let file = fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > max {
        let bytes = fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            bytes,
            max,
        });
    }
    Ok(text_from_bytes(path, bytes).map(|t| Bron::new(path, t)))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A name as the project's tables write it: StatLine's ` (gemeente)` (which tells
/// Groningen, Utrecht and 's-Gravenhage from their provinces) dropped.
fn table_name(naam: &str) -> &str {
    naam.trim()
        .strip_suffix(" (gemeente)")
        .unwrap_or(naam.trim())
}

fn without_addition(naam: &str) -> &str {
    match naam.rsplit_once(" (") {
        Some((core, rest)) if rest.ends_with(')') => core,
        _ => naam,
    }
}

/// The number of municipalities that is plausible one year after `n`: mergers take
/// away at most a tenth (2019: 380 → 355), and splits are rare.
fn plausible_range(n: usize) -> (usize, usize) {
    (n - n / 10, n + n / 50)
}

/// Reads, checks and prepares the import; writes nothing.
pub fn prepare(o: &Options) -> Result<Import, ImportError> {
    check_peildatum(o.peildatum)?;
    let jaar = o.peildatum.jaar;
    let dir = o.inputs.join(BEVOLKING_FOLDER);
    let (csv_path, yaml_path) = bevolking_paths(&dir, jaar);
    let naam = file_name(&o.download);
    let Files {
        source,
        download,
        indeling,
    } = read_files(o, &naam, jaar)?;
    let provenance = provenance(o, &download, &naam)?;
    let previous = previous_table(&dir, jaar)?;
    let checked = check_rows(
        jaar,
        &source,
        &download,
        previous.as_ref(),
        indeling.as_ref().map(|(b, i)| (b, i)),
    )?;
    let (csv, yaml) = import_texts(o, &download, &provenance, &checked, previous.as_ref(), jaar);
    // Read back by the loader, as every build will read it.
    let bevolking = parse_bevolking(jaar, &csv_path, &csv, &yaml_path, &yaml).map_err(|error| {
        ImportError::Internal(format!(
            "the table made from {naam} does not read back ({error}); nothing was written; please report this"
        ))
    })?;

    let existing = compare_with_disk(&csv_path, &yaml_path, &csv, &yaml, &bevolking, jaar);
    if let (Existing::Different(lines), false) = (&existing, o.force) {
        return Err(ImportError::Exists {
            path: csv_path,
            summary: summary(lines),
        });
    }

    let (added, removed, renamed) = match &previous {
        Some(v) => diff_with_previous(v, &bevolking),
        None => Default::default(),
    };
    Ok(Import {
        jaar,
        csv_path,
        yaml_path,
        csv,
        yaml,
        bevolking,
        format: download.format,
        file_name: naam,
        table: provenance.table,
        downloaded: provenance.downloaded,
        downloaded_from: provenance.downloaded_from,
        total_from_download: download.totaal.is_some(),
        provisional: download.provisional,
        previous: previous
            .as_ref()
            .map(|v| (v.peildatum_jaar, v.gemeenten.len())),
        added,
        removed,
        renamed,
        provinces_from_previous: checked.gemeenten.len() - checked.from_indeling.len(),
        provinces_from_indeling: checked.from_indeling.len(),
        existing,
    })
}

fn check_peildatum(peildatum: Datum) -> Result<(), ImportError> {
    if (peildatum.maand, peildatum.dag) != (1, 1) {
        return Err(ImportError::Usage(format!(
            "--peildatum {} is not 1 January: CBS counts the population on 1 January \
             (Huisvestingswet 2014 art. 29), such as {}-01-01",
            peildatum, peildatum.jaar
        )));
    }
    Ok(())
}

/// The files of an import, read.
struct Files {
    /// The download's text.
    source: Bron,
    download: Download,
    /// The division file's text and what it says, when given.
    indeling: Option<(Bron, Indeling)>,
}

/// Reads the download (named `naam`) and the division file, when given; the
/// problems of both are reported together.
fn read_files(o: &Options, naam: &str, jaar: i32) -> Result<Files, ImportError> {
    let mut errors = Vec::new();
    let download_source = match read_text(&o.download, MAX_DOWNLOAD)? {
        Ok(b) => Some(b),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let download = download_source
        .as_ref()
        .and_then(|b| match download::read(b, naam, jaar) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(e);
                None
            }
        });
    let indeling = match &o.indeling {
        None => None,
        Some(path) => match read_text(path, MAX_INDELING_BYTES)? {
            Err(e) => {
                errors.push(e);
                None
            }
            Ok(source) => match indeling::read(&source) {
                Ok(i) => Some((source, i)),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        },
    };
    match (download_source, download) {
        (Some(source), Some(download)) if errors.is_empty() => Ok(Files {
            source,
            download,
            indeling,
        }),
        _ => Err(ImportError::Invalid { errors }),
    }
}

/// Where the figures come from, as the table records it.
struct Provenance {
    /// The CBS table, such as `03759ned`.
    table: String,
    downloaded: Datum,
    /// Where the day of the download came from: `--downloaded` or the download.
    downloaded_from: &'static str,
}

/// Where the figures come from: the download, else the options.
fn provenance(o: &Options, download: &Download, naam: &str) -> Result<Provenance, ImportError> {
    let table = o.table.clone().or_else(|| download.table.clone());
    let (downloaded, downloaded_from) = match (o.downloaded, download.downloaded) {
        (Some(d), _) => (Some(d), "--downloaded"),
        (None, Some(d)) => (Some(d), "the download"),
        (None, None) => (None, ""),
    };
    let mut missing = Vec::new();
    if table.is_none() {
        missing.push(format!(
            "{naam} does not say which CBS table its figures come from: give it with --table (such as 03759ned)"
        ));
    }
    if downloaded.is_none() {
        missing.push(format!(
            "{naam} does not say when it was downloaded: give the day with --downloaded YYYY-MM-DD"
        ));
    }
    let (Some(table), Some(downloaded)) = (table, downloaded) else {
        return Err(ImportError::NoProvenance { missing });
    };
    if !table
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        || table.is_empty()
    {
        return Err(ImportError::Usage(format!(
            "--table {table:?}: expected a CBS table id such as 03759ned"
        )));
    }
    Ok(Provenance {
        table,
        downloaded,
        downloaded_from,
    })
}

/// The latest table before `jaar`: provinces, names, and what to compare with.
fn previous_table(dir: &Path, jaar: i32) -> Result<Option<Bevolking>, ImportError> {
    match table_years(dir).into_iter().rfind(|&j| j < jaar) {
        Some(j) => Ok(Some(load_bevolking(dir, j).map_err(|error| {
            ImportError::Previous {
                error: Box::new(error),
            }
        })?)),
        None => Ok(None),
    }
}

/// The CSV and YAML texts of the table, by the one writer of the format.
fn import_texts(
    o: &Options,
    download: &Download,
    provenance: &Provenance,
    checked: &Checked,
    previous: Option<&Bevolking>,
    jaar: i32,
) -> (String, String) {
    let naam = file_name(&o.download);
    let (table, downloaded) = (&provenance.table, provenance.downloaded);
    let indeling_file = o.indeling.as_deref().map(file_name);
    let mut bron_text = format!(
        "Bron: CBS, table {table}, population on 1 January {jaar}, municipal division of 1 January \
         {jaar}; downloaded on {downloaded} as {naam} ({})",
        download.format.naam()
    );
    if download.provisional {
        bron_text.push_str("; CBS marks the figures provisional");
    }
    let provincies_bron = match (previous, checked.from_indeling.is_empty()) {
        (Some(v), true) => format!(
            "By gemeentecode from {:04}-01-01.csv (the previous table).",
            v.peildatum_jaar
        ),
        (Some(v), false) => format!(
            "By gemeentecode from {:04}-01-01.csv (the previous table); {} from CBS's municipal \
             division table {}.",
            v.peildatum_jaar,
            checked.from_indeling.join(", "),
            indeling_file.as_deref().unwrap_or_default()
        ),
        (None, _) => format!(
            "From CBS's municipal division table {}.",
            indeling_file.as_deref().unwrap_or_default()
        ),
    };
    let header = [
        format!(
            "Bron: CBS. Imported by `taakstelling bevolking import` from {naam}; do not edit by hand."
        ),
        format!(
            "CBS table {table}, downloaded on {downloaded}. To replace it, import a new download with --force."
        ),
    ];
    table_texts(&TableText {
        header: &header,
        peildatum_jaar: jaar,
        totaal_nederland: checked.totaal,
        bron: &bron_text,
        provincies_bron: &provincies_bron,
        provincies_handmatig: &[],
        gemeenten: &checked.gemeenten,
    })
}

/// The municipalities of an import, checked.
struct Checked {
    gemeenten: Vec<Gemeente>,
    totaal: u64,
    /// Codes whose province came from the division table.
    from_indeling: Vec<String>,
}

/// A row of the download with the municipality named by its code.
struct CodedRow {
    code: String,
    naam: Option<String>,
    inwoners: u64,
    pos: Option<Pos>,
}

/// Names the municipalities of the download by code, gives each its name and
/// province, and checks the whole; every problem is reported at once.
fn check_rows(
    jaar: i32,
    source: &Bron,
    download: &Download,
    previous: Option<&Bevolking>,
    indeling: Option<(&Bron, &Indeling)>,
) -> Result<Checked, ImportError> {
    let mut f = ErrorCollector::new(source);
    let previous_text = previous.map_or_else(
        || "there is no earlier table in inputs/bevolking".to_string(),
        |v| format!("the table of 1 January {}", v.peildatum_jaar),
    );
    let names = CodesByName::new(previous, indeling.map(|(_, i)| i));
    let coded = rows_by_code(download, &names, &mut f, &previous_text, jaar);
    let first_row_of = check_each_once(&coded, &mut f);
    let som: u128 = coded.iter().map(|r| u128::from(r.inwoners)).sum();
    check_national_total(download, som, &mut f);
    if let Some(v) = previous {
        check_plausible_count(v, first_row_of.len(), jaar, &mut f);
    }

    let mut indeling_errors = indeling.map(|(b, _)| ErrorCollector::new(b));
    let named = names_and_provinces(
        &coded,
        previous,
        indeling.map(|(_, i)| i),
        indeling_errors.as_mut(),
        &previous_text,
    );
    if !named.without_province.is_empty() {
        f.errors.push(no_province_error(
            source,
            &named.without_province,
            &previous_text,
            jaar,
        ));
    }
    if let (Some((_, i)), Some(fi)) = (indeling, indeling_errors.as_mut()) {
        check_division_matches(i, &first_row_of, jaar, fi);
    }

    let mut errors = Vec::new();
    if let Err(e) = f.into_result(()) {
        errors.push(e);
    }
    if let Some(Err(e)) = indeling_errors.map(|fi| fi.into_result(())) {
        errors.push(e);
    }
    if !errors.is_empty() {
        return Err(ImportError::Invalid { errors });
    }
    let totaal = download.totaal.map_or(som as u64, |(t, _)| t);
    Ok(Checked {
        gemeenten: named.gemeenten,
        totaal,
        from_indeling: named.from_indeling,
    })
}

/// Names → codes, for a StatLine export that names municipalities only: by the
/// whole name (lower case), and by the name without its addition in brackets.
struct CodesByName<'a> {
    by_name: BTreeMap<String, BTreeSet<&'a str>>,
    by_core: BTreeMap<String, BTreeSet<&'a str>>,
}

impl<'a> CodesByName<'a> {
    fn new(previous: Option<&'a Bevolking>, indeling: Option<&'a Indeling>) -> Self {
        let mut by_name: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        let mut by_core: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for g in previous.map_or(&[][..], |v| &v.gemeenten[..]) {
            by_name
                .entry(g.naam.to_lowercase())
                .or_default()
                .insert(&g.code);
        }
        if let Some(i) = indeling {
            for (code, g) in &i.gemeenten {
                by_name
                    .entry(g.naam.to_lowercase())
                    .or_default()
                    .insert(code);
                by_core
                    .entry(without_addition(&g.naam).to_lowercase())
                    .or_default()
                    .insert(code);
            }
        }
        CodesByName { by_name, by_core }
    }

    /// The codes a name (as the table writes it) could be.
    fn codes(&self, n: &str) -> Option<Vec<&'a str>> {
        self.by_name
            .get(&n.to_lowercase())
            .or_else(|| self.by_core.get(&without_addition(n).to_lowercase()))
            .map(|k| k.iter().copied().collect())
    }
}

/// Every row of the download with its municipality code; a name that is no
/// municipality, or could be more than one, is a problem.
fn rows_by_code(
    download: &Download,
    names: &CodesByName,
    f: &mut ErrorCollector,
    previous_text: &str,
    jaar: i32,
) -> Vec<CodedRow> {
    let mut coded = Vec::new();
    for row in &download.rows {
        let (code, naam) = match &row.regio {
            Regio::Code(c) => (c.clone(), row.naam.clone()),
            Regio::Naam(n) => {
                let n = table_name(n);
                match names.codes(n) {
                    Some(k) if k.len() == 1 => (k[0].to_string(), Some(n.to_string())),
                    Some(k) => {
                        f.push(
                            row.pos,
                            "Regio's",
                            format!(
                                "`{n}` could be any of {}: download the table with region codes",
                                k.join(", ")
                            ),
                        );
                        continue;
                    }
                    None => {
                        f.push(
                            row.pos,
                            "Regio's",
                            format!(
                                "`{n}` is not a municipality of {previous_text} nor of the division file: \
                                 a municipality new on 1 January {jaar} needs CBS's municipal division table \
                                 (--indeling), or download the table with region codes (GM0363)"
                            ),
                        );
                        continue;
                    }
                }
            }
        };
        coded.push(CodedRow {
            code,
            naam,
            inwoners: row.inwoners,
            pos: row.pos,
        });
    }
    coded
}

/// Every municipality once. Returns each code with the place of its first row.
fn check_each_once<'a>(
    coded: &'a [CodedRow],
    f: &mut ErrorCollector,
) -> BTreeMap<&'a str, Option<Pos>> {
    let mut first_row_of: BTreeMap<&str, Option<Pos>> = BTreeMap::new();
    for r in coded {
        if let Some(p) = first_row_of.get(r.code.as_str()) {
            f.push(
                r.pos,
                "(row)",
                format!(
                    "municipality {} appears twice{}",
                    r.code,
                    p.map(|p| format!(" (first on line {})", p.line))
                        .unwrap_or_default()
                ),
            );
        } else {
            first_row_of.insert(&r.code, r.pos);
        }
    }
    first_row_of
}

/// The national total, when the download carries it.
fn check_national_total(download: &Download, som: u128, f: &mut ErrorCollector) {
    if let Some((totaal, pos)) = download.totaal
        && som != u128::from(totaal)
    {
        f.push(
            pos,
            "Nederland",
            format!(
                "the municipalities add up to {som}, but the national total in the download is {totaal} \
                 (a difference of {}): is a municipality missing, counted twice, or of another date?",
                som.abs_diff(u128::from(totaal))
            ),
        );
    }
}

/// A plausible number of municipalities (`n`) after the previous table.
fn check_plausible_count(previous: &Bevolking, n: usize, jaar: i32, f: &mut ErrorCollector) {
    let (low, high) = plausible_range(previous.gemeenten.len());
    if n < low || n > high {
        f.push(
            None,
            "(file)",
            format!(
                "the download has {n} municipalities for 1 January {jaar}, the table of 1 January {} \
                 has {}: expected {low} to {high}. Is the download complete (every municipality, \
                 the totals of every other dimension)?",
                previous.peildatum_jaar,
                previous.gemeenten.len()
            ),
        );
    }
}

/// The municipalities with their names and provinces, and those without.
struct Named {
    gemeenten: Vec<Gemeente>,
    /// Codes whose province came from the division table.
    from_indeling: Vec<String>,
    /// Municipalities without a province: code (and name), place.
    without_province: Vec<(String, Option<Pos>)>,
}

/// Names and provinces: from the previous table, for a new code from the division.
/// A province that the division contradicts is a problem of the division file.
fn names_and_provinces(
    coded: &[CodedRow],
    previous: Option<&Bevolking>,
    indeling: Option<&Indeling>,
    mut indeling_errors: Option<&mut ErrorCollector>,
    previous_text: &str,
) -> Named {
    let mut named = Named {
        gemeenten: Vec::new(),
        from_indeling: Vec::new(),
        without_province: Vec::new(),
    };
    let mut done = BTreeSet::new();
    for r in coded {
        if !done.insert(r.code.as_str()) {
            continue;
        }
        let old = previous.and_then(|v| v.gemeente(&r.code));
        let from_division = indeling.and_then(|i| i.gemeenten.get(&r.code));
        if let (Some(o), Some(d), Some(fi)) = (old, from_division, indeling_errors.as_deref_mut())
            && o.provincie != d.provincie
        {
            fi.push(
                d.pos,
                "Provincienaam",
                format!(
                    "{} {} is in {} in the division file, but in {} in {previous_text}: a municipality \
                     that changes province gets a new code; check which file is right",
                    r.code, d.naam, d.provincie, o.provincie
                ),
            );
        }
        let naam = r
            .naam
            .clone()
            .or_else(|| old.map(|o| o.naam.clone()))
            .or_else(|| from_division.map(|d| d.naam.clone()));
        let provincie = match (old, from_division) {
            (Some(o), _) => Some(o.provincie),
            (None, Some(d)) => {
                named.from_indeling.push(r.code.clone());
                Some(d.provincie)
            }
            (None, None) => None,
        };
        match (naam, provincie) {
            (Some(naam), Some(provincie)) => named.gemeenten.push(Gemeente {
                code: r.code.clone(),
                naam,
                provincie,
                inwoners: r.inwoners,
            }),
            (naam, _) => named.without_province.push((
                format!(
                    "{}{}",
                    r.code,
                    naam.map(|n| format!(" {n}")).unwrap_or_default()
                ),
                r.pos,
            )),
        }
    }
    named
}

/// One error for all municipalities without a province, with how to give them one.
fn no_province_error(
    source: &Bron,
    without_province: &[(String, Option<Pos>)],
    previous_text: &str,
    jaar: i32,
) -> InputError {
    let listed: Vec<String> = without_province
        .iter()
        .map(|(c, p)| match p {
            Some(p) => format!("{c} (line {})", p.line),
            None => c.clone(),
        })
        .collect();
    InputError::new(
        source,
        without_province[0].1,
        "(provinces)",
        format!(
            "no province for {} municipalit{} not in {previous_text}: {}",
            without_province.len(),
            if without_province.len() == 1 {
                "y"
            } else {
                "ies"
            },
            listed.join(", ")
        ),
    )
    .with_help(format!(
        "a municipality new on 1 January {jaar} (a merger) takes its province from CBS's \
         municipal division table of that date: download gemeenten-alfabetisch-{jaar} from \
         cbs.nl (Gemeentelijke indeling op 1 januari {jaar}), save it as CSV and give it with \
         --indeling FILE"
    ))
}

/// The division must be of the same day: the same municipalities as the download
/// (`first_row_of`: its codes).
fn check_division_matches(
    i: &Indeling,
    first_row_of: &BTreeMap<&str, Option<Pos>>,
    jaar: i32,
    fi: &mut ErrorCollector,
) {
    let codes: BTreeSet<&str> = first_row_of.keys().copied().collect();
    let extra: Vec<&str> = i
        .gemeenten
        .keys()
        .map(String::as_str)
        .filter(|c| !codes.contains(c))
        .collect();
    let missing_codes: Vec<&str> = codes
        .iter()
        .copied()
        .filter(|c| !i.gemeenten.contains_key(*c))
        .collect();
    if extra.is_empty() && missing_codes.is_empty() {
        return;
    }
    let listed = |v: &[&str]| {
        let mut s = v.iter().take(10).copied().collect::<Vec<_>>().join(", ");
        if v.len() > 10 {
            s.push_str(&format!(" and {} more", v.len() - 10));
        }
        s
    };
    let mut parts = Vec::new();
    if !extra.is_empty() {
        parts.push(format!(
            "it lists {} municipalities the download lacks ({})",
            extra.len(),
            listed(&extra)
        ));
    }
    if !missing_codes.is_empty() {
        parts.push(format!(
            "it lacks {} of the download ({})",
            missing_codes.len(),
            listed(&missing_codes)
        ));
    }
    fi.push(
        None,
        "(file)",
        format!(
            "the division does not match the download: {}; expected the municipal division \
             of 1 January {jaar}",
            parts.join(", and ")
        ),
    );
}

type Differences = (
    Vec<(String, String, Provincie)>,
    Vec<(String, String)>,
    Vec<(String, String, String)>,
);

fn diff_with_previous(previous: &Bevolking, imported: &Bevolking) -> Differences {
    let old: BTreeMap<&str, &Gemeente> = previous
        .gemeenten
        .iter()
        .map(|g| (g.code.as_str(), g))
        .collect();
    let now_by_code: BTreeMap<&str, &Gemeente> = imported
        .gemeenten
        .iter()
        .map(|g| (g.code.as_str(), g))
        .collect();
    let added = now_by_code
        .iter()
        .filter(|(c, _)| !old.contains_key(*c))
        .map(|(c, g)| (c.to_string(), g.naam.clone(), g.provincie))
        .collect();
    let removed_codes = old
        .iter()
        .filter(|(c, _)| !now_by_code.contains_key(*c))
        .map(|(c, g)| (c.to_string(), g.naam.clone()))
        .collect();
    let renamed = now_by_code
        .iter()
        .filter_map(|(c, g)| {
            let o = old.get(c)?;
            (o.naam != g.naam).then(|| (c.to_string(), o.naam.clone(), g.naam.clone()))
        })
        .collect();
    (added, removed_codes, renamed)
}

/// Compares the table on disk (if any) with the import.
fn compare_with_disk(
    csv_path: &Path,
    yaml_path: &Path,
    csv: &str,
    yaml: &str,
    imported: &Bevolking,
    jaar: i32,
) -> Existing {
    let (old_csv, old_yaml) = (fs::read(csv_path).ok(), fs::read(yaml_path).ok());
    if old_csv.is_none() && old_yaml.is_none() {
        return Existing::Absent;
    }
    if old_csv.as_deref() == Some(csv.as_bytes()) && old_yaml.as_deref() == Some(yaml.as_bytes()) {
        return Existing::Same;
    }
    let dir = csv_path.parent().unwrap_or(Path::new("."));
    let old = match load_bevolking(dir, jaar) {
        Ok(b) => b,
        Err(e) => {
            return Existing::Different(vec![format!(
                "the table on disk does not check ({}); it is replaced whole",
                e.to_string().lines().next().unwrap_or_default()
            )]);
        }
    };
    let mut lines = gemeente_changes(&old, imported);
    if old.totaal != imported.totaal {
        lines.push(format!(
            "total: {} → {}",
            nl::getal(old.totaal as i64),
            nl::getal(imported.totaal as i64)
        ));
    }
    if old.gemeenten.len() != imported.gemeenten.len() {
        lines.push(format!(
            "municipalities: {} → {}",
            old.gemeenten.len(),
            imported.gemeenten.len()
        ));
    }
    if old.bron != imported.bron {
        lines.push(format!("bron: \"{}\" → \"{}\"", old.bron, imported.bron));
    }
    if old.provincies_bron != imported.provincies_bron {
        lines.push(format!(
            "provincies_bron: \"{}\" → \"{}\"",
            old.provincies_bron, imported.provincies_bron
        ));
    }
    if lines.is_empty() {
        lines.push("the same figures; only the layout of the files differs".to_string());
    }
    Existing::Different(lines)
}

/// What changed per municipality between the table on disk and the import, one line each.
fn gemeente_changes(old: &Bevolking, imported: &Bevolking) -> Vec<String> {
    let mut lines = Vec::new();
    let old_by_code: BTreeMap<&str, &Gemeente> =
        old.gemeenten.iter().map(|g| (g.code.as_str(), g)).collect();
    let new_by_code: BTreeMap<&str, &Gemeente> = imported
        .gemeenten
        .iter()
        .map(|g| (g.code.as_str(), g))
        .collect();
    let codes: BTreeSet<&str> = old_by_code
        .keys()
        .chain(new_by_code.keys())
        .copied()
        .collect();
    for c in codes {
        match (old_by_code.get(c), new_by_code.get(c)) {
            (Some(o), Some(n)) => {
                if o.inwoners != n.inwoners {
                    let d = i128::from(n.inwoners) - i128::from(o.inwoners);
                    lines.push(format!(
                        "{c} {}: {} → {} ({}{})",
                        n.naam,
                        nl::getal(o.inwoners as i64),
                        nl::getal(n.inwoners as i64),
                        if d > 0 { "+" } else { "−" },
                        nl::getal(d.unsigned_abs() as i64)
                    ));
                }
                if o.naam != n.naam {
                    lines.push(format!("{c}: name {} → {}", o.naam, n.naam));
                }
                if o.provincie != n.provincie {
                    lines.push(format!(
                        "{c} {}: province {} → {}",
                        n.naam, o.provincie, n.provincie
                    ));
                }
            }
            (None, Some(n)) => lines.push(format!(
                "{c} {}: added, {} ({})",
                n.naam,
                nl::getal(n.inwoners as i64),
                n.provincie
            )),
            (Some(o), None) => lines.push(format!(
                "{c} {}: removed (was {})",
                o.naam,
                nl::getal(o.inwoners as i64)
            )),
            (None, None) => {}
        }
    }
    lines
}

fn summary(lines: &[String]) -> String {
    let gemeenten = lines.iter().filter(|r| r.starts_with("GM")).count();
    let totaal = lines.iter().find(|r| r.starts_with("total:"));
    match (gemeenten, totaal) {
        (0, None) if lines.iter().any(|r| r.starts_with("bron:")) => {
            "the same figures, another download: its recorded source (bron) differs".to_string()
        }
        (0, None) => lines.first().cloned().unwrap_or_default(),
        (n, t) => format!(
            "{n} municipalit{} changed{}",
            if n == 1 { "y" } else { "ies" },
            t.map(|t| format!(", {t}")).unwrap_or_default()
        ),
    }
}

impl Import {
    /// The command's report, one line each.
    pub fn report_lines(&self) -> Vec<String> {
        let b = &self.bevolking;
        let mut v = vec![format!(
            "read {}: {}, CBS table {}, downloaded on {} (from {})",
            self.file_name,
            self.format.naam(),
            self.table,
            self.downloaded,
            self.downloaded_from
        )];
        v.push(format!(
            "  {} municipalities, {} inhabitants on 1 January {}: {}",
            b.gemeenten.len(),
            nl::getal(b.totaal as i64),
            self.jaar,
            if self.total_from_download {
                "equal to the national total in the download"
            } else {
                "the download has no national total, so the sum is the total"
            }
        ));
        if self.provisional {
            v.push("  CBS marks these figures provisional (*)".to_string());
        }
        match self.previous {
            Some((j, n)) => {
                v.push(format!(
                    "  compared with 1 January {j} ({n} municipalities):"
                ));
                if self.added.is_empty() && self.removed.is_empty() {
                    v.push("    no municipality is new or gone".to_string());
                }
                if !self.added.is_empty() {
                    v.push(format!(
                        "    new ({}): {}",
                        self.added.len(),
                        self.added
                            .iter()
                            .map(|(c, n, p)| format!("{c} {n} ({p})"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                if !self.removed.is_empty() {
                    v.push(format!(
                        "    gone ({}): {}",
                        self.removed.len(),
                        self.removed
                            .iter()
                            .map(|(c, n)| format!("{c} {n}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                for (c, o, n) in &self.renamed {
                    v.push(format!("    renamed: {c} {o} → {n}"));
                }
                v.push(format!(
                    "  provinces: {} from {j:04}-01-01.csv, {} from the division file",
                    self.provinces_from_previous, self.provinces_from_indeling
                ));
            }
            None => v.push(format!(
                "  no earlier table in inputs/bevolking: all {} provinces from the division file",
                self.provinces_from_indeling
            )),
        }
        v
    }

    /// What to keep in mind for the periods that use the table (art. 29 and 30).
    pub fn art30(&self) -> String {
        let next_year = self.jaar + 1;
        let (p1, p2) = (
            Periode {
                jaar: next_year,
                helft: Helft::I,
            },
            Periode {
                jaar: next_year,
                helft: Helft::II,
            },
        );
        format!(
            "the periods {p1} and {p2} use this table (Huisvestingswet 2014 art. 29). A municipality \
             merged on 1 January {next_year} is not in it: Gedeputeerde Staten may set its population \
             (art. 30); put that in verdeling.bevolking_vaststellingen of those periods"
        )
    }
}

/// A path beside `target` for a file being written: `.NAME.nieuw-PID`.
fn temp_path(target: &Path) -> PathBuf {
    target.with_file_name(format!(
        ".{}.nieuw-{}",
        file_name(target),
        std::process::id()
    ))
}

/// Puts the import in place. Without `force` a table that exists is never
/// overwritten (not even one that appeared since [`prepare`]).
pub fn write(i: &Import, inputs: &Path, force: bool) -> Result<(), ImportError> {
    if i.existing == Existing::Same {
        return Ok(());
    }
    let error = |path: &Path| {
        let path = path.to_path_buf();
        move |error: io::Error| ImportError::Write { path, error }
    };
    let dir = i.csv_path.parent().unwrap_or(Path::new("."));
    if !inputs.is_dir() {
        return Err(ImportError::Write {
            path: inputs.to_path_buf(),
            error: io::Error::new(io::ErrorKind::NotFound, "the inputs folder does not exist"),
        });
    }
    if !dir.exists() {
        fs::create_dir(dir).map_err(error(dir))?;
    }
    // Never outside the inputs folder, not even through a symbolic link.
    let (real_inputs, real_dir) = (
        inputs.canonicalize().map_err(error(inputs))?,
        dir.canonicalize().map_err(error(dir))?,
    );
    if !real_dir.starts_with(&real_inputs) || real_dir == real_inputs {
        return Err(ImportError::Outside {
            path: dir.to_path_buf(),
            inputs: inputs.to_path_buf(),
        });
    }
    let pairs = [(&i.csv_path, &i.csv), (&i.yaml_path, &i.yaml)];
    let temp_paths: Vec<PathBuf> = pairs.iter().map(|(p, _)| temp_path(p)).collect();
    let clean_up = || {
        for t in &temp_paths {
            let _ = fs::remove_file(t);
        }
    };
    for ((target, text), t) in pairs.iter().zip(&temp_paths) {
        if let Err(e) = fs::write(t, text.as_bytes()) {
            clean_up();
            return Err(error(target)(e));
        }
    }
    let mut placed: Vec<&PathBuf> = Vec::new();
    for ((target, text), t) in pairs.iter().zip(&temp_paths) {
        let r = if force {
            fs::rename(t, target)
        } else {
            link_new(t, target, text)
        };
        if let Err(e) = r {
            // Undo what this import put in place (only files it created itself).
            if !force {
                for p in &placed {
                    let _ = fs::remove_file(p);
                }
            }
            clean_up();
            return Err(if e.kind() == io::ErrorKind::AlreadyExists {
                ImportError::Exists {
                    path: target.to_path_buf(),
                    summary: "it appeared while the import ran".to_string(),
                }
            } else {
                error(target)(e)
            });
        }
        placed.push(target);
    }
    clean_up();
    Ok(())
}

/// Links a written file into place; fails when the target exists.
fn link_new(temp_path: &Path, target: &Path, text: &str) -> io::Result<()> {
    match fs::hard_link(temp_path, target) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        // A file system without hard links: create the file exclusively instead.
        Err(_) => {
            use std::io::Write;
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(target)?;
            f.write_all(text.as_bytes()).inspect_err(|_| {
                // Only the file this import just created.
                let _ = fs::remove_file(target);
            })
        }
    }
}

#[cfg(test)]
mod tests;
