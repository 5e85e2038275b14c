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
const KOPNOTITIE: &str = "# Started from ";

/// A new period file, made in memory.
#[derive(Debug, Clone)]
pub struct NieuwePeriode {
    pub periode: Periode,
    /// The file it was started from.
    pub vorige: PathBuf,
    /// Where it goes: `inputs/2026-I.yaml`.
    pub doel: PathBuf,
    pub tekst: String,
    /// What moved or was added, one line each, for the command's report.
    pub gewijzigd: Vec<String>,
    /// What must be filled in.
    pub open: Vec<OpenField>,
    /// Texts carried over that name the previous periods: worth a look.
    pub nakijken: Vec<String>,
}

/// Why a new period could not be started.
#[derive(Debug, Error, miette::Diagnostic)]
pub enum NewError {
    #[error("{}: the file already exists; `new` never overwrites a file (edit it, or remove it first)", .0.display())]
    Bestaat(PathBuf),
    #[error("no period file before {periode} in {}: `new` starts from the latest earlier period (such as {vorige}.yaml)", inputs.display())]
    GeenVorige {
        periode: Periode,
        vorige: Periode,
        inputs: PathBuf,
    },
    #[error("cannot start {periode} from {}: that file does not check; fix it first", vorige.display())]
    VorigeOngeldig {
        periode: Periode,
        vorige: PathBuf,
        fout: Box<PeriodError>,
    },
    #[error("cannot start {periode} from {}: {bericht}", vorige.display())]
    Vorm {
        periode: Periode,
        vorige: PathBuf,
        bericht: String,
    },
    #[error("cannot read the inputs folder {}: {bron}", pad.display())]
    Lezen { pad: PathBuf, bron: io::Error },
    #[error(transparent)]
    Perioden(#[from] DiscoveryError),
    #[error("cannot write {}: {bron}", pad.display())]
    Schrijven { pad: PathBuf, bron: io::Error },
}

/// Half-years since year 0, so that periods can be subtracted.
fn halfjaren(p: Periode) -> i64 {
    i64::from(p.jaar) * 2 + i64::from(p.helft == Helft::II)
}

/// Starts `periode` from the latest period file before it in `inputs`, in memory.
pub fn prepare(inputs: &Path, periode: Periode) -> Result<NieuwePeriode, NewError> {
    let doel = inputs.join(format!("{periode}.yaml"));
    // `2026-I.yml` is that period's file too: a second file would be refused as a duplicate.
    if let Some(bestaand) = [doel.clone(), doel.with_extension("yml")]
        .into_iter()
        .find(|p| p.exists())
    {
        return Err(NewError::Bestaat(bestaand));
    }
    let gevonden = crate::input::discover_periods(inputs)?;
    let vorige_pad = gevonden
        .into_iter()
        .rfind(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .and_then(Periode::parse)
                .is_some_and(|p| p < periode)
        })
        .ok_or(NewError::GeenVorige {
            periode,
            vorige: periode.vorige(),
            inputs: inputs.to_path_buf(),
        })?;
    let berekend = compute_period(&vorige_pad, &BevolkingCache::new(inputs)).map_err(|fout| {
        NewError::VorigeOngeldig {
            periode,
            vorige: vorige_pad.clone(),
            fout: Box::new(fout),
        }
    })?;
    let (invoer, achterstand) = (berekend.invoer, berekend.uitkomst.achterstand);
    // The text the period was read from (not the file again, which may have changed
    // since), with its line ends as the loader reads them (a lone CR is a line end).
    let tekst = invoer.bron.tekst.to_string();
    let vorm = |bericht: String| NewError::Vorm {
        periode,
        vorige: vorige_pad.clone(),
        bericht,
    };
    let naam = vorige_pad
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (tekst, gewijzigd, nakijken) =
        volgende_tekst(&tekst, &naam, &invoer, &achterstand, periode).map_err(vorm)?;
    let open = open_fields(&tekst);
    Ok(NieuwePeriode {
        periode,
        vorige: vorige_pad,
        doel,
        tekst,
        gewijzigd,
        open,
        nakijken,
    })
}

/// Writes the new file; never overwrites one that exists, even one that appeared meanwhile.
pub fn write(n: &NieuwePeriode) -> Result<(), NewError> {
    let fout = |bron: io::Error| {
        if bron.kind() == io::ErrorKind::AlreadyExists {
            NewError::Bestaat(n.doel.clone())
        } else {
            NewError::Schrijven {
                pad: n.doel.clone(),
                bron,
            }
        }
    };
    let naam = n
        .doel
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Write beside the target, then link it into place: the link fails when the
    // target exists, and the file never appears half written.
    let tijdelijk = n
        .doel
        .with_file_name(format!(".{naam}.nieuw-{}", std::process::id()));
    fs::write(&tijdelijk, &n.tekst).map_err(fout)?;
    let gelinkt = fs::hard_link(&tijdelijk, &n.doel);
    let _ = fs::remove_file(&tijdelijk);
    match gelinkt {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(fout(e)),
        // A file system without hard links: create the file exclusively instead.
        Err(_) => {
            use std::io::Write;
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&n.doel)
                .map_err(fout)?;
            f.write_all(n.tekst.as_bytes()).map_err(fout)
        }
    }
}

/// Text edits: (start, end, replacement), applied from the back.
#[derive(Default)]
struct Bewerkingen(Vec<(usize, usize, String)>);

impl Bewerkingen {
    fn vervang(&mut self, start: usize, eind: usize, tekst: impl Into<String>) {
        self.0.push((start, eind, tekst.into()));
    }

    fn pas_toe(mut self, tekst: &str) -> String {
        self.0.sort_by_key(|b| std::cmp::Reverse((b.0, b.1)));
        let mut out = tekst.to_string();
        let mut grens = usize::MAX;
        for (start, eind, nieuw) in self.0 {
            debug_assert!(eind <= grens, "overlapping edits");
            out.replace_range(start..eind, &nieuw);
            grens = start;
        }
        out
    }
}

fn regelbegin(tekst: &str, offset: usize) -> usize {
    tekst[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset just after the line that `offset` lies on (or `offset` itself when it
/// is already at a line start).
fn na_regel(tekst: &str, offset: usize) -> usize {
    if offset > 0 && tekst.as_bytes()[offset - 1] == b'\n' {
        return offset;
    }
    tekst[offset..]
        .find('\n')
        .map_or(tekst.len(), |i| offset + i + 1)
}

/// Replaces a scalar's value, keeping its quoting.
fn vervang_waarde(b: &mut Bewerkingen, k: &Node, waarde: &str) {
    let tekst = match &k.content {
        Content::Scalar {
            style: ScalarStyle::SingleQuoted,
            ..
        } => format!("'{waarde}'"),
        Content::Scalar {
            style: ScalarStyle::DoubleQuoted,
            ..
        } => format!("\"{waarde}\""),
        _ => waarde.to_string(),
    };
    b.vervang(k.start.offset, k.end.offset, tekst);
}

/// A date `maanden` months later; the last day of a month stays the last day.
fn schuif_datum(d: Datum, maanden: i64) -> Datum {
    let m = d.maand().plus(maanden);
    let laatste = m.laatste_dag();
    if d == d.maand().laatste_dag() || d.dag > laatste.dag {
        laatste
    } else {
        Datum {
            jaar: m.jaar,
            maand: m.maand,
            dag: d.dag,
        }
    }
}

/// Period ids in a text (`2025-I`, `2025-II`), as (start, end, period).
fn perioden_in(tekst: &str) -> Vec<(usize, usize, Periode)> {
    let b = tekst.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 6 <= b.len() {
        let los_voor = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if los_voor && b[i..i + 4].iter().all(u8::is_ascii_digit) && b[i + 4] == b'-' {
            let mut j = i + 5;
            while j < b.len() && b[j] == b'I' {
                j += 1;
            }
            let los_na = j == b.len() || !b[j].is_ascii_alphanumeric();
            if los_na && let Some(p) = Periode::parse(&tekst[i..j]) {
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
    tekst: &'a str,
    root: Node,
    b: Bewerkingen,
    gewijzigd: Vec<String>,
    /// Paths of values this module changed: not to be listed for review.
    bewerkt: BTreeSet<String>,
    vorige_id: String,
}

impl Context<'_> {
    fn knoop(&self, pad: &str) -> Result<&Node, String> {
        self.root
            .find(pad)
            .ok_or_else(|| format!("expected the field {pad}"))
    }

    fn scalar(&self, pad: &str) -> Result<(Node, String), String> {
        let k = self.knoop(pad)?;
        let v = k
            .scalar()
            .ok_or_else(|| format!("{pad}: expected a single value"))?;
        Ok((k.clone(), v.to_string()))
    }

    fn schuif_datum(&mut self, pad: &str, maanden: i64) -> Result<(), String> {
        let (k, v) = self.scalar(pad)?;
        let d = Datum::parse(&v).ok_or_else(|| format!("{pad}: expected a date"))?;
        let n = schuif_datum(d, maanden);
        vervang_waarde(&mut self.b, &k, &n.to_string());
        self.gewijzigd.push(format!("{pad}: {d} → {n}"));
        self.bewerkt.insert(pad.to_string());
        Ok(())
    }

    /// A new period's memo is a draft, and its agenda item and reference are new.
    fn nieuwe_notitie(&mut self) -> Result<(), String> {
        let (k, oud) = self.scalar("notitie.status")?;
        if oud != "concept" {
            vervang_waarde(&mut self.b, &k, "concept");
            self.gewijzigd
                .push(format!("notitie.status: {oud} → concept"));
        }
        self.bewerkt.insert("notitie.status".into());
        for pad in ["notitie.agendapunt", "notitie.kenmerk"] {
            if self.root.find(pad).is_some() {
                self.open_getal(pad)?;
            }
        }
        Ok(())
    }

    fn schuif_maand(&mut self, pad: &str, maanden: i64) -> Result<(), String> {
        let (k, v) = self.scalar(pad)?;
        let m = Maand::parse(&v).ok_or_else(|| format!("{pad}: expected a month"))?;
        let n = m.plus(maanden);
        vervang_waarde(&mut self.b, &k, &n.to_string());
        self.gewijzigd.push(format!("{pad}: {m} → {n}"));
        self.bewerkt.insert(pad.to_string());
        Ok(())
    }

    /// A figure that is new every period: the value becomes TE_VULLEN, with last
    /// period's value in a comment when the value ends its line.
    fn open_getal(&mut self, pad: &str) -> Result<(), String> {
        let (k, _) = self.scalar(pad)?;
        let oud = &self.tekst[k.start.offset..k.end.offset];
        let rest_van_regel = &self.tekst[k.end.offset..na_regel(self.tekst, k.end.offset)];
        let nieuw = if rest_van_regel.trim().is_empty() {
            format!("{TE_VULLEN}  # {}: {oud}", self.vorige_id)
        } else {
            TE_VULLEN.to_string()
        };
        self.b.vervang(k.start.offset, k.end.offset, nieuw);
        self.bewerkt.insert(pad.to_string());
        Ok(())
    }

    /// A text that is new every period: TE_VULLEN goes in front of last period's text.
    fn open_tekst(&mut self, pad: &str) -> Result<(), String> {
        let Some(k) = self.root.find(pad).cloned() else {
            return Ok(()); // an optional text that is not there
        };
        let Content::Scalar { style, .. } = k.content else {
            return Err(format!("{pad}: expected a text"));
        };
        let start = match style {
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => k.start.offset + 1,
            _ => k.start.offset,
        };
        self.b.vervang(start, start, format!("{TE_VULLEN} "));
        self.bewerkt.insert(pad.to_string());
        Ok(())
    }

    /// Appends rows to a block list, in the style of its last row.
    fn voeg_toe(&mut self, pad: &str, rijen: &[Vec<(&str, String)>]) -> Result<(), String> {
        if rijen.is_empty() {
            return Ok(());
        }
        let reeks = self.knoop(pad)?;
        let laatste = match &reeks.content {
            Content::Sequence { flow: false, items } if !items.is_empty() => {
                items[items.len() - 1].clone()
            }
            _ => {
                return Err(format!(
                    "{pad}: expected a list of rows, each on its own line starting with `- `"
                ));
            }
        };
        let begin = regelbegin(self.tekst, laatste.start.offset);
        let voorvoegsel = &self.tekst[begin..laatste.start.offset];
        if voorvoegsel.trim() != "-" {
            return Err(format!(
                "{pad}: expected each row on its own line starting with `- `"
            ));
        }
        let inspringing = " ".repeat(voorvoegsel.chars().count());
        let mut nieuw = String::new();
        let op = na_regel(self.tekst, laatste.end.offset);
        if op == self.tekst.len() && !self.tekst.ends_with('\n') {
            nieuw.push('\n');
        }
        for rij in rijen {
            match &laatste.content {
                Content::Map { flow: true, .. } => {
                    let velden: Vec<String> =
                        rij.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    nieuw.push_str(&format!("{voorvoegsel}{{ {} }}\n", velden.join(", ")));
                }
                Content::Map { flow: false, .. } => {
                    for (i, (k, v)) in rij.iter().enumerate() {
                        let voor = if i == 0 { voorvoegsel } else { &inspringing };
                        nieuw.push_str(&format!("{voor}{k}: {v}\n"));
                    }
                }
                _ => return Err(format!("{pad}: expected rows with named fields")),
            }
        }
        self.b.vervang(op, op, nieuw);
        self.bewerkt.insert(pad.to_string());
        Ok(())
    }

    /// Removes the first `n` rows of a block list.
    fn verwijder_eerste(&mut self, pad: &str, n: usize) -> Result<(), String> {
        if n == 0 {
            return Ok(());
        }
        let items = self
            .knoop(pad)?
            .items()
            .ok_or_else(|| format!("{pad}: expected a list"))?;
        if n >= items.len() {
            return Ok(());
        }
        let start = regelbegin(self.tekst, items[0].start.offset);
        let eind = regelbegin(self.tekst, items[n].start.offset);
        self.b.vervang(start, eind, "");
        Ok(())
    }

    /// The yearly step of the backlog: the memo looks back on the year of the last
    /// month before the peilmoment (`jaar`), from 1 January of that year. When the
    /// previous file starts earlier, the start moves to that 1 January, with the
    /// backlog the previous period computed for it as the value to confirm (in a
    /// comment, the field itself [`TE_VULLEN`]), and the outflow months before the
    /// year before it (the memo compares the outflow of two years) are dropped.
    fn verschuif_beginstand(
        &mut self,
        vorige: &Invoer,
        achterstand: &Achterstand,
        jaar: i32,
        nieuw: Periode,
    ) -> Result<(), String> {
        let oud = vorige.uitstroom.beginjaar;
        if jaar <= oud {
            return Ok(());
        }
        let datum = Datum {
            jaar,
            maand: 1,
            dag: 1,
        };
        // The backlog at the start of `jaar`: the start of its first period, or the
        // end of the last year the previous period computed.
        let eerste = Periode {
            jaar,
            helft: Helft::I,
        };
        let berekend = achterstand
            .perioden
            .iter()
            .find(|p| p.periode == eerste)
            .map(|p| p.begin)
            .or((achterstand.eindjaar + 1 == jaar).then_some(achterstand.eindstand));

        let (k_datum, _) = self.scalar("uitstroom.beginstand.datum")?;
        let (k_stand, oude_stand) = self.scalar("uitstroom.beginstand.achterstand")?;
        vervang_waarde(&mut self.b, &k_datum, &datum.to_string());
        let rest = &self.tekst[k_stand.end.offset..na_regel(self.tekst, k_stand.end.offset)];
        let waarde = match berekend {
            Some(n) if rest.trim().is_empty() => format!("{TE_VULLEN}  # {}: {n}", self.vorige_id),
            _ => TE_VULLEN.to_string(),
        };
        self.b
            .vervang(k_stand.start.offset, k_stand.end.offset, waarde);
        let begin = regelbegin(self.tekst, k_datum.start.offset);
        let inspringing: String = self.tekst[begin..]
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        let uitleg = match berekend {
            Some(n) => format!(
                "{inspringing}# `taakstelling new {nieuw}` moved the start to {datum}; {} computed\n\
                 {inspringing}# a backlog of {n} on that day (its outflow partly projected): confirm it.\n",
                self.vorige_id
            ),
            None => format!(
                "{inspringing}# `taakstelling new {nieuw}` moved the start to {datum}; {} did not compute\n\
                 {inspringing}# the backlog on that day: fill it in.\n",
                self.vorige_id
            ),
        };
        self.b.vervang(begin, begin, uitleg);
        self.bewerkt.insert("uitstroom.beginstand.datum".into());
        self.bewerkt
            .insert("uitstroom.beginstand.achterstand".into());
        self.gewijzigd.push(match berekend {
            Some(n) => format!(
                "uitstroom.beginstand: {oud}-01-01 ({oude_stand}) → {datum}, the backlog {} computed for that day ({}) to confirm",
                self.vorige_id,
                nl::getal(n)
            ),
            None => format!(
                "uitstroom.beginstand: {oud}-01-01 ({oude_stand}) → {datum}, its backlog to fill in"
            ),
        });

        let vanaf = Maand {
            jaar: jaar - 1,
            maand: 1,
        };
        let weg = vorige
            .uitstroom
            .reeks
            .maanden
            .iter()
            .filter(|(m, _)| *m < vanaf)
            .count();
        if weg > 0 && weg < vorige.uitstroom.reeks.maanden.len() {
            self.verwijder_eerste("uitstroom.maanden", weg)?;
            self.gewijzigd.push(format!(
                "uitstroom.maanden: dropped the {weg} months before {vanaf} (the memo shows the outflow from {} on)",
                jaar - 1
            ));
        }
        Ok(())
    }

    /// Extends a monthly series up to `tot` with months to fill in; drops as many of the
    /// oldest months when `houd_lengte`.
    fn maanden_tot(
        &mut self,
        pad: &str,
        laatste: Maand,
        tot: Maand,
        houd_lengte: bool,
    ) -> Result<(), String> {
        let nieuw: Vec<Maand> = (1..=tot.index() - laatste.index())
            .map(|i| laatste.plus(i))
            .collect();
        if nieuw.is_empty() {
            return Ok(());
        }
        let rijen: Vec<Vec<(&str, String)>> = nieuw
            .iter()
            .map(|m| vec![("maand", m.to_string()), ("aantal", TE_VULLEN.to_string())])
            .collect();
        self.voeg_toe(pad, &rijen)?;
        if houd_lengte {
            self.verwijder_eerste(pad, nieuw.len())?;
        }
        let (eerste, laatste) = (nieuw[0], nieuw[nieuw.len() - 1]);
        self.gewijzigd.push(if houd_lengte {
            format!(
                "{pad}: added {eerste} to {laatste} to fill in, dropped the {} oldest months",
                nieuw.len()
            )
        } else {
            format!("{pad}: added {eerste} to {laatste} to fill in")
        });
        Ok(())
    }
}

/// The text of the period `nieuw`, made from the text of the previous period file.
/// Returns the text, what changed and what to review.
fn volgende_tekst(
    tekst: &str,
    bestandsnaam: &str,
    vorige: &Invoer,
    achterstand: &Achterstand,
    nieuw: Periode,
) -> Result<(String, Vec<String>, Vec<String>), String> {
    let root = tree::parse(tekst).map_err(|e| e.0)?;
    let p = vorige.periode;
    let k = halfjaren(nieuw) - halfjaren(p);
    let maanden = 6 * k;
    let mut c = Context {
        tekst,
        root,
        b: Bewerkingen::default(),
        gewijzigd: Vec::new(),
        bewerkt: BTreeSet::new(),
        vorige_id: p.to_string(),
    };

    let (periode, _) = c.scalar("periode")?;
    vervang_waarde(&mut c.b, &periode, &nieuw.to_string());
    c.bewerkt.insert("periode".into());
    c.gewijzigd.push(format!("periode: {p} → {nieuw}"));

    for pad in ["peilmoment", "publicatie.geplande_datum", "notitie.datum"] {
        c.schuif_datum(pad, maanden)?;
    }
    c.nieuwe_notitie()?;
    for pad in [
        "evaluatie_vorige_periode.venster.van",
        "evaluatie_vorige_periode.venster.tot_en_met",
        "afspraken_evaluatie.delen_in",
    ] {
        c.schuif_maand(pad, maanden)?;
    }
    for i in 0..vorige.amv.behoefte.len() {
        c.schuif_datum(&format!("amv.behoefte[{i}].datum"), maanden)?;
        c.open_getal(&format!("amv.behoefte[{i}].plekken"))?;
    }

    c.open_getal("besluit.taakstelling")?;
    for pad in [
        "besluit.motivering",
        "besluit.reden_buiten_bandbreedte",
        "scenario_2.productieplan",
        "scenario_2.prognose",
        "evaluatie_vorige_periode.aanleiding",
    ] {
        c.open_tekst(pad)?;
    }
    for i in 0..vorige.scenario_2.categorieen.len() {
        c.open_getal(&format!("scenario_2.categorieen[{i}].beslissingen"))?;
        c.open_getal(&format!(
            "scenario_2.categorieen[{i}].inwilligingspercentage"
        ))?;
    }
    c.open_getal("evaluatie_vorige_periode.prognose_per_maand")?;

    // The distribution decisions belong to one period: a correction of the number
    // distributed, an agreement between municipalities (art. 29 lid 2) or a
    // municipality's backlog must be stated anew, never carried over silently.
    let v = &vorige.verdeling;
    if v.correctie.is_some() {
        c.open_getal("verdeling.correctie.verschil")?;
    }
    for (i, h) in v.herverdelingen.iter().enumerate() {
        for j in 0..h.mutaties.len() {
            c.open_getal(&format!(
                "verdeling.herverdelingen[{i}].mutaties[{j}].verschil"
            ))?;
        }
    }
    for i in 0..v.achterstanden.len() {
        c.open_getal(&format!("verdeling.achterstanden[{i}].aantal"))?;
    }

    // The history up to the period before the new one.
    let laatste_historie = vorige
        .historie
        .last()
        .map(|h| h.periode)
        .ok_or("historie: expected at least one row")?;
    let mut rijen = Vec::new();
    let mut q = laatste_historie.volgende();
    while q < nieuw {
        if q == p {
            rijen.push(vec![
                ("periode", q.to_string()),
                (
                    "eerst_bekendgemaakt",
                    vorige.besluit.taakstelling.to_string(),
                ),
                ("status", format!("invoer-{p}")),
            ]);
            c.gewijzigd.push(format!(
                "historie: added {p} with its taakstelling {}",
                nl::getal(vorige.besluit.taakstelling)
            ));
        } else {
            rijen.push(vec![
                ("periode", q.to_string()),
                ("eerst_bekendgemaakt", TE_VULLEN.to_string()),
            ]);
            c.gewijzigd.push(format!("historie: added {q} to fill in"));
        }
        q = q.volgende();
    }
    c.voeg_toe("historie", &rijen)?;

    // Monthly series up to the month before the new peilmoment.
    let peilmoment = schuif_datum(vorige.peilmoment, maanden);
    let tot = peilmoment.maand().plus(-1);
    if let Some(laatste) = vorige.inwilligingen.laatste_maand() {
        c.maanden_tot("inwilligingen.maanden", laatste, tot, true)?;
    }
    if let Some(laatste) = vorige.uitstroom.reeks.laatste_maand() {
        c.maanden_tot("uitstroom.maanden", laatste, tot, false)?;
    }
    c.verschuif_beginstand(vorige, achterstand, tot.jaar, nieuw)?;
    if let Some(&(laatste, _)) = vorige.amv.realisatie.last()
        && laatste < peilmoment
    {
        c.voeg_toe(
            "amv.realisatie",
            &[vec![
                ("datum", peilmoment.to_string()),
                ("plekken", TE_VULLEN.to_string()),
            ]],
        )?;
        c.gewijzigd
            .push(format!("amv.realisatie: added {peilmoment} to fill in"));
    }

    // Period names in comments follow the period (not in the note an earlier `new`
    // left on top: it is replaced below).
    let naar = |q: Periode| -> Option<Periode> {
        let i = halfjaren(q) - halfjaren(p);
        (i == 0 || i == -1).then(|| {
            let mut r = q;
            for _ in 0..k {
                r = r.volgende();
            }
            r
        })
    };
    let (kop_start, kop_eind) = if tekst.starts_with(KOPNOTITIE) {
        (0, tekst.find("\n\n").map_or(0, |i| i + 2))
    } else {
        (0, 0)
    };
    for (start, eind) in tree::comments(tekst) {
        if start < kop_eind {
            continue;
        }
        for (s, e, q) in perioden_in(&tekst[start..eind]) {
            if let Some(r) = naar(q) {
                c.b.vervang(start + s, start + e, r.to_string());
            }
        }
    }

    // A note on top, replacing the one an earlier `new` left.
    let kop = format!(
        "{KOPNOTITIE}{bestandsnaam} by `taakstelling new {nieuw}`: dates moved\n\
         # forward {maanden} months and the history extended. Every {TE_VULLEN} marks a figure or\n\
         # text to fill in for {nieuw}; `taakstelling check {nieuw}` lists those still open.\n\
         # Remove this note once none is left.\n\n"
    );
    c.b.vervang(kop_start, kop_eind, kop);

    let gewijzigd = std::mem::take(&mut c.gewijzigd);
    let uit = c.b.pas_toe(tekst);
    let nieuw_root = tree::parse(&uit).map_err(|e| {
        format!(
            "the new text is not valid YAML ({}); please report this",
            e.0
        )
    })?;

    // Texts kept as they were that name the previous periods: worth a look.
    let oud = [p.vorige(), p];
    let mut nakijken = Vec::new();
    for s in nieuw_root.scalars() {
        let v = s.scalar().unwrap_or_default();
        if c.bewerkt.contains(&s.path)
            || s.path.starts_with("historie")
            || v.contains(TE_VULLEN)
            || !v.contains(' ')
        {
            continue;
        }
        let genoemd: BTreeSet<String> = perioden_in(v)
            .into_iter()
            .filter(|(_, _, q)| oud.contains(q))
            .map(|(_, _, q)| q.to_string())
            .collect();
        if !genoemd.is_empty() {
            nakijken.push(format!(
                "{} (line {}) names {}",
                s.path,
                s.start.line,
                genoemd.into_iter().collect::<Vec<_>>().join(" and ")
            ));
        }
    }
    Ok((uit, gewijzigd, nakijken))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_dates_and_keeps_month_ends() {
        let d = |s| Datum::parse(s).unwrap();
        assert_eq!(schuif_datum(d("2024-09-01"), 6), d("2025-03-01"));
        assert_eq!(schuif_datum(d("2025-12-31"), 6), d("2026-06-30"));
        assert_eq!(schuif_datum(d("2025-06-30"), 6), d("2025-12-31"));
        assert_eq!(schuif_datum(d("2024-08-29"), 6), d("2025-02-28"));
        assert_eq!(schuif_datum(d("2024-08-15"), 12), d("2025-08-15"));
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
