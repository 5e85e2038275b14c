//! `taakstelling new PERIOD`: start the input file of a period from the latest
//! period before it, and the `TE_VULLEN` markers that keep such a file from
//! building until it is filled in.
//!
//! The new file is made by editing the *text* of the previous file, not by
//! writing its data out again: the comments, the layout, the quoting and any
//! section this module does not know about stay exactly as the secretariat left
//! them. Only these places change:
//!
//! - `periode` becomes the new period; the dates and months that belong to the
//!   period move forward by six months per half-year (peilmoment, planned
//!   publication, the evaluation window, the month the evaluation is shared, the
//!   dates of the amv need);
//! - the history gets a row for the previous period with its taakstelling (and a
//!   row to fill in for every period skipped); the monthly series of grants and
//!   outflow get the months up to the new peilmoment, the amv realisation a row
//!   at the new peilmoment; the grant series drops as many of its oldest months,
//!   so it keeps its length;
//! - once a year the backlog's starting point (`uitstroom.beginstand`) moves to 1
//!   January of the year the memo looks back on, with the backlog the previous
//!   period computed for that day as the value to confirm, and the outflow months
//!   the memo no longer shows are dropped;
//! - the figures that are new every period are replaced by [`TE_VULLEN`], and
//!   the texts that are new every period get [`TE_VULLEN`] in front of last
//!   period's text, as a starting point;
//! - period names in comments follow the period, and a short note on top says
//!   where the file came from.
//!
//! Everything else (minister, categories, caveats, next steps, sources, the
//! buffer text) is kept. [`crate::input::open_fields`] finds the markers; input validation
//! refuses a file that still has one, naming every open field with its line.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_saphyr::granit_parser::ScalarStyle;
use thiserror::Error;

use crate::engine::Achterstand;
use crate::input::Invoer;
use crate::input::tree::{self, Content, Node};
use crate::input::{BevolkingCache, DiscoveryError, OpenField, TE_VULLEN, open_fields};
use crate::kalender::{Datum, Helft, Maand, Periode};
use crate::nl;
use crate::site::{PeriodError, compute_period};

/// The first words of the note that `new` puts on top of a file.
const NOTE_START: &str = "# Started from ";

/// A new period file, made in memory.
#[derive(Debug, Clone)]
pub struct NieuwePeriode {
    pub periode: Periode,
    /// The file it was started from.
    pub source: PathBuf,
    /// Where it goes: `inputs/2026-I.yaml`.
    pub path: PathBuf,
    pub text: String,
    /// What moved or was added, one line each, for the command's report.
    pub changes: Vec<String>,
    /// What must be filled in.
    pub open: Vec<OpenField>,
    /// Texts carried over that name the previous periods: worth a look.
    pub to_review: Vec<String>,
}

/// Why a new period could not be started.
#[derive(Debug, Error, miette::Diagnostic)]
pub enum NewError {
    #[error("{}: the file already exists; `new` never overwrites a file (edit it, or remove it first)", .0.display())]
    Exists(PathBuf),
    #[error("no period file before {periode} in {}: `new` starts from the latest earlier period (such as {previous}.yaml)", inputs.display())]
    NoPrevious {
        periode: Periode,
        previous: Periode,
        inputs: PathBuf,
    },
    #[error("cannot start {periode} from {}: that file does not check; fix it first", previous.display())]
    PreviousInvalid {
        periode: Periode,
        previous: PathBuf,
        error: Box<PeriodError>,
    },
    #[error("cannot start {periode} from {}: {message}", previous.display())]
    Shape {
        periode: Periode,
        previous: PathBuf,
        message: String,
    },
    #[error("cannot read the inputs folder {}: {error}", path.display())]
    Read { path: PathBuf, error: io::Error },
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    #[error("cannot write {}: {error}", path.display())]
    Write { path: PathBuf, error: io::Error },
}

/// Half-years since year 0, so that periods can be subtracted.
fn half_years(p: Periode) -> i64 {
    i64::from(p.jaar) * 2 + i64::from(p.helft == Helft::II)
}

/// Starts `periode` from the latest period file before it in `inputs`, in memory.
pub fn prepare(inputs: &Path, periode: Periode) -> Result<NieuwePeriode, NewError> {
    let target = inputs.join(format!("{periode}.yaml"));
    // `2026-I.yml` is that period's file too: a second file would be refused as a duplicate.
    if let Some(existing) = [target.clone(), target.with_extension("yml")]
        .into_iter()
        .find(|p| p.exists())
    {
        return Err(NewError::Exists(existing));
    }
    let found = crate::input::discover_periods(inputs)?;
    let previous_path = found
        .into_iter()
        .rfind(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .and_then(Periode::parse)
                .is_some_and(|p| p < periode)
        })
        .ok_or(NewError::NoPrevious {
            periode,
            previous: periode.vorige(),
            inputs: inputs.to_path_buf(),
        })?;
    let computed =
        compute_period(&previous_path, &BevolkingCache::new(inputs)).map_err(|error| {
            NewError::PreviousInvalid {
                periode,
                previous: previous_path.clone(),
                error: Box::new(error),
            }
        })?;
    let (invoer, achterstand) = (computed.invoer, computed.uitkomst.achterstand);
    // The text the period was read from (not the file again, which may have changed
    // since), with its line ends as the loader reads them (a lone CR is a line end).
    let text = invoer.bron.tekst.to_string();
    let shape = |message: String| NewError::Shape {
        periode,
        previous: previous_path.clone(),
        message,
    };
    let name = previous_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (text, changes, to_review) =
        next_text(&text, &name, &invoer, &achterstand, periode).map_err(shape)?;
    let open = open_fields(&text);
    Ok(NieuwePeriode {
        periode,
        source: previous_path,
        path: target,
        text,
        changes,
        open,
        to_review,
    })
}

/// Writes the new file; never overwrites one that exists, even one that appeared meanwhile.
pub fn write(n: &NieuwePeriode) -> Result<(), NewError> {
    let fail = |error: io::Error| {
        if error.kind() == io::ErrorKind::AlreadyExists {
            NewError::Exists(n.path.clone())
        } else {
            NewError::Write {
                path: n.path.clone(),
                error,
            }
        }
    };
    let name = n
        .path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Write beside the target, then link it into place: the link fails when the
    // target exists, and the file never appears half written.
    let temp = n
        .path
        .with_file_name(format!(".{name}.nieuw-{}", std::process::id()));
    fs::write(&temp, &n.text).map_err(fail)?;
    let linked = fs::hard_link(&temp, &n.path);
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(fail(e)),
        // A file system without hard links: create the file exclusively instead.
        Err(_) => {
            use std::io::Write;
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&n.path)
                .map_err(fail)?;
            f.write_all(n.text.as_bytes()).map_err(fail)
        }
    }
}

/// Text edits: (start, end, replacement), applied from the back.
#[derive(Default)]
struct Edits(Vec<(usize, usize, String)>);

impl Edits {
    fn replace(&mut self, start: usize, end: usize, text: impl Into<String>) {
        self.0.push((start, end, text.into()));
    }

    fn apply(mut self, text: &str) -> String {
        self.0.sort_by_key(|b| std::cmp::Reverse((b.0, b.1)));
        let mut out = text.to_string();
        let mut limit = usize::MAX;
        for (start, end, nieuw) in self.0 {
            debug_assert!(end <= limit, "overlapping edits");
            out.replace_range(start..end, &nieuw);
            limit = start;
        }
        out
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset just after the line that `offset` lies on (or `offset` itself when it
/// is already at a line start).
fn after_line(text: &str, offset: usize) -> usize {
    if offset > 0 && text.as_bytes()[offset - 1] == b'\n' {
        return offset;
    }
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// Replaces a scalar's value, keeping its quoting.
fn replace_value(b: &mut Edits, k: &Node, value: &str) {
    let text = match &k.content {
        Content::Scalar {
            style: ScalarStyle::SingleQuoted,
            ..
        } => format!("'{value}'"),
        Content::Scalar {
            style: ScalarStyle::DoubleQuoted,
            ..
        } => format!("\"{value}\""),
        _ => value.to_string(),
    };
    b.replace(k.start.offset, k.end.offset, text);
}

/// A date `maanden` months later; the last day of a month stays the last day.
fn shift_datum(d: Datum, maanden: i64) -> Datum {
    let m = d.maand().plus(maanden);
    let last = m.laatste_dag();
    if d == d.maand().laatste_dag() || d.dag > last.dag {
        last
    } else {
        Datum {
            jaar: m.jaar,
            maand: m.maand,
            dag: d.dag,
        }
    }
}

/// Period ids in a text (`2025-I`, `2025-II`), as (start, end, period).
fn perioden_in(text: &str) -> Vec<(usize, usize, Periode)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 6 <= b.len() {
        let free_before = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if free_before && b[i..i + 4].iter().all(u8::is_ascii_digit) && b[i + 4] == b'-' {
            let mut j = i + 5;
            while j < b.len() && b[j] == b'I' {
                j += 1;
            }
            let free_after = j == b.len() || !b[j].is_ascii_alphanumeric();
            if free_after && let Some(p) = Periode::parse(&text[i..j]) {
                out.push((i, j, p));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

struct Context<'a> {
    text: &'a str,
    root: Node,
    edits: Edits,
    changes: Vec<String>,
    /// Paths of values this module changed: not to be listed for review.
    edited: BTreeSet<String>,
    previous_id: String,
}

impl Context<'_> {
    fn node(&self, path: &str) -> Result<&Node, String> {
        self.root
            .find(path)
            .ok_or_else(|| format!("expected the field {path}"))
    }

    fn scalar(&self, path: &str) -> Result<(Node, String), String> {
        let k = self.node(path)?;
        let v = k
            .scalar()
            .ok_or_else(|| format!("{path}: expected a single value"))?;
        Ok((k.clone(), v.to_string()))
    }

    fn shift_datum(&mut self, path: &str, maanden: i64) -> Result<(), String> {
        let (k, v) = self.scalar(path)?;
        let d = Datum::parse(&v).ok_or_else(|| format!("{path}: expected a date"))?;
        let n = shift_datum(d, maanden);
        replace_value(&mut self.edits, &k, &n.to_string());
        self.changes.push(format!("{path}: {d} → {n}"));
        self.edited.insert(path.to_string());
        Ok(())
    }

    /// A new period's memo is a draft, and its agenda item and reference are new.
    fn new_notitie(&mut self) -> Result<(), String> {
        let (k, old) = self.scalar("notitie.status")?;
        if old != "concept" {
            replace_value(&mut self.edits, &k, "concept");
            self.changes
                .push(format!("notitie.status: {old} → concept"));
        }
        self.edited.insert("notitie.status".into());
        for path in ["notitie.agendapunt", "notitie.kenmerk"] {
            if self.root.find(path).is_some() {
                self.open_figure(path)?;
            }
        }
        Ok(())
    }

    fn shift_maand(&mut self, path: &str, maanden: i64) -> Result<(), String> {
        let (k, v) = self.scalar(path)?;
        let m = Maand::parse(&v).ok_or_else(|| format!("{path}: expected a month"))?;
        let n = m.plus(maanden);
        replace_value(&mut self.edits, &k, &n.to_string());
        self.changes.push(format!("{path}: {m} → {n}"));
        self.edited.insert(path.to_string());
        Ok(())
    }

    /// A figure that is new every period: the value becomes TE_VULLEN, with last
    /// period's value in a comment when the value ends its line.
    fn open_figure(&mut self, path: &str) -> Result<(), String> {
        let (k, _) = self.scalar(path)?;
        let old = &self.text[k.start.offset..k.end.offset];
        let rest_of_line = &self.text[k.end.offset..after_line(self.text, k.end.offset)];
        let nieuw = if rest_of_line.trim().is_empty() {
            format!("{TE_VULLEN}  # {}: {old}", self.previous_id)
        } else {
            TE_VULLEN.to_string()
        };
        self.edits.replace(k.start.offset, k.end.offset, nieuw);
        self.edited.insert(path.to_string());
        Ok(())
    }

    /// A text that is new every period: TE_VULLEN goes in front of last period's text.
    fn open_text(&mut self, path: &str) -> Result<(), String> {
        let Some(k) = self.root.find(path).cloned() else {
            return Ok(()); // an optional text that is not there
        };
        let Content::Scalar { style, .. } = k.content else {
            return Err(format!("{path}: expected a text"));
        };
        let start = match style {
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => k.start.offset + 1,
            _ => k.start.offset,
        };
        self.edits.replace(start, start, format!("{TE_VULLEN} "));
        self.edited.insert(path.to_string());
        Ok(())
    }

    /// Appends rows to a block list, in the style of its last row.
    fn append_rows(&mut self, path: &str, rows: &[Vec<(&str, String)>]) -> Result<(), String> {
        if rows.is_empty() {
            return Ok(());
        }
        let sequence = self.node(path)?;
        let last = match &sequence.content {
            Content::Sequence { flow: false, items } if !items.is_empty() => {
                items[items.len() - 1].clone()
            }
            _ => {
                return Err(format!(
                    "{path}: expected a list of rows, each on its own line starting with `- `"
                ));
            }
        };
        let begin = line_start(self.text, last.start.offset);
        let prefix = &self.text[begin..last.start.offset];
        if prefix.trim() != "-" {
            return Err(format!(
                "{path}: expected each row on its own line starting with `- `"
            ));
        }
        let indent = " ".repeat(prefix.chars().count());
        let mut added = String::new();
        let at = after_line(self.text, last.end.offset);
        if at == self.text.len() && !self.text.ends_with('\n') {
            added.push('\n');
        }
        for row in rows {
            match &last.content {
                Content::Map { flow: true, .. } => {
                    let fields: Vec<String> =
                        row.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    added.push_str(&format!("{prefix}{{ {} }}\n", fields.join(", ")));
                }
                Content::Map { flow: false, .. } => {
                    for (i, (k, v)) in row.iter().enumerate() {
                        let lead = if i == 0 { prefix } else { &indent };
                        added.push_str(&format!("{lead}{k}: {v}\n"));
                    }
                }
                _ => return Err(format!("{path}: expected rows with named fields")),
            }
        }
        self.edits.replace(at, at, added);
        self.edited.insert(path.to_string());
        Ok(())
    }

    /// Removes the first `n` rows of a block list.
    fn remove_first(&mut self, path: &str, n: usize) -> Result<(), String> {
        if n == 0 {
            return Ok(());
        }
        let items = self
            .node(path)?
            .items()
            .ok_or_else(|| format!("{path}: expected a list"))?;
        if n >= items.len() {
            return Ok(());
        }
        let start = line_start(self.text, items[0].start.offset);
        let end = line_start(self.text, items[n].start.offset);
        self.edits.replace(start, end, "");
        Ok(())
    }

    /// The yearly step of the backlog: the memo looks back on the year of the last
    /// month before the peilmoment (`jaar`), from 1 January of that year. When the
    /// previous file starts earlier, the start moves to that 1 January, with the
    /// backlog the previous period computed for it as the value to confirm (in a
    /// comment, the field itself [`TE_VULLEN`]), and the outflow months before the
    /// year before it (the memo compares the outflow of two years) are dropped.
    fn move_beginstand(
        &mut self,
        vorige: &Invoer,
        achterstand: &Achterstand,
        jaar: i32,
        nieuw: Periode,
    ) -> Result<(), String> {
        let old = vorige.uitstroom.beginjaar;
        if jaar <= old {
            return Ok(());
        }
        let datum = Datum {
            jaar,
            maand: 1,
            dag: 1,
        };
        // The backlog at the start of `jaar`: the start of its first period, or the
        // end of the last year the previous period computed.
        let first = Periode {
            jaar,
            helft: Helft::I,
        };
        let computed = achterstand
            .perioden
            .iter()
            .find(|p| p.periode == first)
            .map(|p| p.begin)
            .or((achterstand.eindjaar + 1 == jaar).then_some(achterstand.eindstand));

        let (datum_node, _) = self.scalar("uitstroom.beginstand.datum")?;
        let (stand_node, old_stand) = self.scalar("uitstroom.beginstand.achterstand")?;
        replace_value(&mut self.edits, &datum_node, &datum.to_string());
        let rest = &self.text[stand_node.end.offset..after_line(self.text, stand_node.end.offset)];
        let value = match computed {
            Some(n) if rest.trim().is_empty() => {
                format!("{TE_VULLEN}  # {}: {n}", self.previous_id)
            }
            _ => TE_VULLEN.to_string(),
        };
        self.edits
            .replace(stand_node.start.offset, stand_node.end.offset, value);
        let begin = line_start(self.text, datum_node.start.offset);
        let indent: String = self.text[begin..]
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        let explanation = match computed {
            Some(n) => format!(
                "{indent}# `taakstelling new {nieuw}` moved the start to {datum}; {} computed\n\
                 {indent}# a backlog of {n} on that day (its outflow partly projected): confirm it.\n",
                self.previous_id
            ),
            None => format!(
                "{indent}# `taakstelling new {nieuw}` moved the start to {datum}; {} did not compute\n\
                 {indent}# the backlog on that day: fill it in.\n",
                self.previous_id
            ),
        };
        self.edits.replace(begin, begin, explanation);
        self.edited.insert("uitstroom.beginstand.datum".into());
        self.edited
            .insert("uitstroom.beginstand.achterstand".into());
        self.changes.push(match computed {
            Some(n) => format!(
                "uitstroom.beginstand: {old}-01-01 ({old_stand}) → {datum}, the backlog {} computed for that day ({}) to confirm",
                self.previous_id,
                nl::getal(n)
            ),
            None => format!(
                "uitstroom.beginstand: {old}-01-01 ({old_stand}) → {datum}, its backlog to fill in"
            ),
        });
        self.drop_old_uitstroom_months(vorige, jaar)
    }

    /// Drops the outflow months before the year before `jaar`: the memo compares
    /// the outflow of two years.
    fn drop_old_uitstroom_months(&mut self, vorige: &Invoer, jaar: i32) -> Result<(), String> {
        let from = Maand {
            jaar: jaar - 1,
            maand: 1,
        };
        let dropped = vorige
            .uitstroom
            .reeks
            .maanden
            .iter()
            .filter(|(m, _)| *m < from)
            .count();
        if dropped > 0 && dropped < vorige.uitstroom.reeks.maanden.len() {
            self.remove_first("uitstroom.maanden", dropped)?;
            self.changes.push(format!(
                "uitstroom.maanden: dropped the {dropped} months before {from} (the memo shows the outflow from {} on)",
                jaar - 1
            ));
        }
        Ok(())
    }

    /// Extends a monthly series up to `until` with months to fill in; drops as many of the
    /// oldest months when `keep_length`.
    fn extend_maanden(
        &mut self,
        path: &str,
        last: Maand,
        until: Maand,
        keep_length: bool,
    ) -> Result<(), String> {
        let nieuw: Vec<Maand> = (1..=until.index() - last.index())
            .map(|i| last.plus(i))
            .collect();
        if nieuw.is_empty() {
            return Ok(());
        }
        let rows: Vec<Vec<(&str, String)>> = nieuw
            .iter()
            .map(|m| vec![("maand", m.to_string()), ("aantal", TE_VULLEN.to_string())])
            .collect();
        self.append_rows(path, &rows)?;
        if keep_length {
            self.remove_first(path, nieuw.len())?;
        }
        let (first, last) = (nieuw[0], nieuw[nieuw.len() - 1]);
        self.changes.push(if keep_length {
            format!(
                "{path}: added {first} to {last} to fill in, dropped the {} oldest months",
                nieuw.len()
            )
        } else {
            format!("{path}: added {first} to {last} to fill in")
        });
        Ok(())
    }
}

/// The text of the period `nieuw`, made from the text of the previous period file.
/// Returns the text, what changed and what to review.
fn next_text(
    text: &str,
    file_name: &str,
    vorige: &Invoer,
    achterstand: &Achterstand,
    nieuw: Periode,
) -> Result<(String, Vec<String>, Vec<String>), String> {
    let root = tree::parse(text).map_err(|e| e.0)?;
    let p = vorige.periode;
    let steps = half_years(nieuw) - half_years(p);
    let maanden = 6 * steps;
    let mut c = Context {
        text,
        root,
        edits: Edits::default(),
        changes: Vec::new(),
        edited: BTreeSet::new(),
        previous_id: p.to_string(),
    };

    c.set_periode(p, nieuw)?;
    c.move_dates(vorige, maanden)?;
    c.open_new_figures(vorige)?;
    c.open_verdeling(vorige)?;
    c.extend_historie(vorige, nieuw)?;
    c.extend_series(vorige, achterstand, nieuw, maanden)?;
    let note_end = c.follow_periods_in_comments(p, steps);
    c.replace_note(note_end, file_name, nieuw, maanden);

    let mut changes = std::mem::take(&mut c.changes);
    let out = drop_bijstelling(&c.edits.apply(text), &mut changes)?;
    let new_root = tree::parse(&out).map_err(|e| {
        format!(
            "the new text is not valid YAML ({}); please report this",
            e.0
        )
    })?;
    let to_review = texts_to_review(&new_root, &c.edited, p);
    Ok((out, changes, to_review))
}

/// A bijstelling belongs to its own period: the section, with the comment lines
/// right above it, is not carried over (its number went into the history). Done on
/// the edited text, so that it never overlaps the edits of the comments.
fn drop_bijstelling(text: &str, changes: &mut Vec<String>) -> Result<String, String> {
    let root = tree::parse(text).map_err(|e| e.0)?;
    let Some(node) = root.find("bijstelling") else {
        return Ok(text.to_string());
    };
    let Some(key) = text[..node.start.offset].rfind("\nbijstelling:") else {
        return Ok(text.to_string());
    };
    let mut start = key + 1;
    while start > 0 {
        let vorige = line_start(text, start - 1);
        if !text[vorige..start].starts_with('#') {
            break;
        }
        start = vorige;
    }
    let end = after_line(text, node.end.offset);
    changes.push("bijstelling: not carried over (it belongs to the previous period)".into());
    if end == text.len() {
        // The last section: the file ends with the one before it.
        return Ok(format!("{}\n", text[..start].trim_end()));
    }
    Ok(format!("{}{}", &text[..start], &text[end..]))
}

/// The steps of [`next_text`], in the order they record their changes.
impl Context<'_> {
    fn set_periode(&mut self, p: Periode, nieuw: Periode) -> Result<(), String> {
        let (periode, _) = self.scalar("periode")?;
        replace_value(&mut self.edits, &periode, &nieuw.to_string());
        self.edited.insert("periode".into());
        self.changes.push(format!("periode: {p} → {nieuw}"));
        Ok(())
    }

    /// The dates and months that belong to the period move forward (the memo's too,
    /// and the memo becomes a draft); the amv need moves its dates, its figures are new.
    fn move_dates(&mut self, vorige: &Invoer, maanden: i64) -> Result<(), String> {
        for path in [
            "peilmoment",
            "bekendmaking.datum",
            "circulaire.datum",
            "notitie.datum",
        ] {
            self.shift_datum(path, maanden)?;
        }
        self.new_notitie()?;
        // A publication's number belongs to one publication.
        for path in ["bekendmaking.kenmerk", "circulaire.kenmerk"] {
            self.open_figure(path)?;
        }
        for path in [
            "evaluatie_vorige_periode.venster.van",
            "evaluatie_vorige_periode.venster.tot_en_met",
            "afspraken_evaluatie.delen_in",
        ] {
            self.shift_maand(path, maanden)?;
        }
        for i in 0..vorige.amv.behoefte.len() {
            self.shift_datum(&format!("amv.behoefte[{i}].datum"), maanden)?;
            self.open_figure(&format!("amv.behoefte[{i}].plekken"))?;
        }
        Ok(())
    }

    /// The decision, its texts and the scenario-2 figures are new every period.
    fn open_new_figures(&mut self, vorige: &Invoer) -> Result<(), String> {
        self.open_figure("besluit.taakstelling")?;
        for path in [
            "besluit.motivering",
            "besluit.reden_buiten_bandbreedte",
            "scenario_2.productieplan",
            "scenario_2.prognose",
            "evaluatie_vorige_periode.aanleiding",
        ] {
            self.open_text(path)?;
        }
        for i in 0..vorige.scenario_2.categorieen.len() {
            self.open_figure(&format!("scenario_2.categorieen[{i}].beslissingen"))?;
            self.open_figure(&format!(
                "scenario_2.categorieen[{i}].inwilligingspercentage"
            ))?;
        }
        self.open_figure("evaluatie_vorige_periode.prognose_per_maand")
    }

    /// The distribution decisions belong to one period: a correction of the number
    /// distributed, an agreement between municipalities (art. 29 lid 2) or a
    /// municipality's backlog must be stated anew, never carried over silently.
    fn open_verdeling(&mut self, vorige: &Invoer) -> Result<(), String> {
        let v = &vorige.verdeling;
        if v.correctie.is_some() {
            self.open_figure("verdeling.correctie.verschil")?;
        }
        for (i, h) in v.herverdelingen.iter().enumerate() {
            for j in 0..h.mutaties.len() {
                self.open_figure(&format!(
                    "verdeling.herverdelingen[{i}].mutaties[{j}].verschil"
                ))?;
            }
        }
        for i in 0..v.achterstanden.len() {
            self.open_figure(&format!("verdeling.achterstanden[{i}].aantal"))?;
        }
        Ok(())
    }

    /// The history up to the period before the new one: the previous period with
    /// its taakstelling, a row to fill in for every period skipped.
    fn extend_historie(&mut self, vorige: &Invoer, nieuw: Periode) -> Result<(), String> {
        let p = vorige.periode;
        let last_historie = vorige
            .historie
            .last()
            .map(|h| h.periode)
            .ok_or("historie: expected at least one row")?;
        let mut rows = Vec::new();
        let mut q = last_historie.volgende();
        while q < nieuw {
            if q == p {
                let mut row = vec![
                    ("periode", q.to_string()),
                    (
                        "eerst_bekendgemaakt",
                        vorige.besluit.taakstelling.to_string(),
                    ),
                ];
                // The number in force after a bijstelling comes from the previous
                // input too; the bijstelling itself stays with its period.
                if let Some(b) = &vorige.bijstelling {
                    row.push(("na_bijstelling", b.taakstelling.to_string()));
                    self.changes.push(format!(
                        "historie: added {p} with its taakstelling {} and its bijstelling to {}",
                        nl::getal(vorige.besluit.taakstelling),
                        nl::getal(b.taakstelling)
                    ));
                } else {
                    self.changes.push(format!(
                        "historie: added {p} with its taakstelling {}",
                        nl::getal(vorige.besluit.taakstelling)
                    ));
                }
                row.push(("status", format!("invoer-{p}")));
                rows.push(row);
            } else {
                rows.push(vec![
                    ("periode", q.to_string()),
                    ("eerst_bekendgemaakt", TE_VULLEN.to_string()),
                ]);
                self.changes.push(format!("historie: added {q} to fill in"));
            }
            q = q.volgende();
        }
        self.append_rows("historie", &rows)
    }

    /// The monthly series up to the month before the new peilmoment, the backlog's
    /// yearly step and the amv realisation at the new peilmoment.
    fn extend_series(
        &mut self,
        vorige: &Invoer,
        achterstand: &Achterstand,
        nieuw: Periode,
        maanden: i64,
    ) -> Result<(), String> {
        let peilmoment = shift_datum(vorige.peilmoment, maanden);
        let until = peilmoment.maand().plus(-1);
        if let Some(last) = vorige.inwilligingen.laatste_maand() {
            self.extend_maanden("inwilligingen.maanden", last, until, true)?;
        }
        if let Some(last) = vorige.uitstroom.reeks.laatste_maand() {
            self.extend_maanden("uitstroom.maanden", last, until, false)?;
        }
        self.move_beginstand(vorige, achterstand, until.jaar, nieuw)?;
        if let Some(&(last, _)) = vorige.amv.realisatie.last()
            && last < peilmoment
        {
            self.append_rows(
                "amv.realisatie",
                &[vec![
                    ("datum", peilmoment.to_string()),
                    ("plekken", TE_VULLEN.to_string()),
                ]],
            )?;
            self.changes
                .push(format!("amv.realisatie: added {peilmoment} to fill in"));
        }
        Ok(())
    }

    /// Period names in comments follow the period `steps` half-years on (not in the
    /// note an earlier `new` left on top: it is replaced). Returns where that note ends.
    fn follow_periods_in_comments(&mut self, p: Periode, steps: i64) -> usize {
        let moved = |q: Periode| -> Option<Periode> {
            let i = half_years(q) - half_years(p);
            (i == 0 || i == -1).then(|| {
                let mut r = q;
                for _ in 0..steps {
                    r = r.volgende();
                }
                r
            })
        };
        let text = self.text;
        let note_end = if text.starts_with(NOTE_START) {
            text.find("\n\n").map_or(0, |i| i + 2)
        } else {
            0
        };
        for (start, end) in tree::comments(text) {
            if start < note_end {
                continue;
            }
            for (s, e, q) in perioden_in(&text[start..end]) {
                if let Some(r) = moved(q) {
                    self.edits.replace(start + s, start + e, r.to_string());
                }
            }
        }
        note_end
    }

    /// A note on top, replacing the one an earlier `new` left (which ends at `note_end`).
    fn replace_note(&mut self, note_end: usize, file_name: &str, nieuw: Periode, maanden: i64) {
        let note = format!(
            "{NOTE_START}{file_name} by `taakstelling new {nieuw}`: dates moved\n\
             # forward {maanden} months and the history extended. Every {TE_VULLEN} marks a figure or\n\
             # text to fill in for {nieuw}; `taakstelling check {nieuw}` lists those still open.\n\
             # Remove this note once none is left.\n\n"
        );
        self.edits.replace(0, note_end, note);
    }
}

/// Texts kept as they were that name the previous period or the one before it:
/// worth a look.
fn texts_to_review(root: &Node, edited: &BTreeSet<String>, p: Periode) -> Vec<String> {
    let old = [p.vorige(), p];
    let mut to_review = Vec::new();
    for s in root.scalars() {
        let v = s.scalar().unwrap_or_default();
        if edited.contains(&s.path)
            || s.path.starts_with("historie")
            || v.contains(TE_VULLEN)
            || !v.contains(' ')
        {
            continue;
        }
        let named: BTreeSet<String> = perioden_in(v)
            .into_iter()
            .filter(|(_, _, q)| old.contains(q))
            .map(|(_, _, q)| q.to_string())
            .collect();
        if !named.is_empty() {
            to_review.push(format!(
                "{} (line {}) names {}",
                s.path,
                s.start.line,
                named.into_iter().collect::<Vec<_>>().join(" and ")
            ));
        }
    }
    to_review
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_dates_and_keeps_month_ends() {
        let d = |s| Datum::parse(s).unwrap();
        assert_eq!(shift_datum(d("2024-09-01"), 6), d("2025-03-01"));
        assert_eq!(shift_datum(d("2025-12-31"), 6), d("2026-06-30"));
        assert_eq!(shift_datum(d("2025-06-30"), 6), d("2025-12-31"));
        assert_eq!(shift_datum(d("2024-08-29"), 6), d("2025-02-28"));
        assert_eq!(shift_datum(d("2024-08-15"), 12), d("2025-08-15"));
    }

    #[test]
    fn finds_period_ids_in_text() {
        let ids: Vec<String> = perioden_in("sinds 2024-II en 2025-I, niet 2025-III of x2025-I")
            .into_iter()
            .map(|(_, _, p)| p.to_string())
            .collect();
        assert_eq!(ids, ["2024-II", "2025-I"]);
    }
}
