//! Input schema, loading and validation.
//!
//! A period file is parsed strictly (unknown keys, duplicate keys and wrong
//! types are errors), then its meaning is checked. The result is an [`Invoer`]
//! of plain, valid values: the engine never sees a raw string.

pub mod bevolking;
mod cache;
pub mod characters;
pub mod discover;
pub mod fout;
pub mod open;
pub mod publicaties;
mod samenhang;
pub mod schema;
pub mod tree;
pub mod verdeling;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;

use crate::kalender::{Datum, Maand, Periode};
pub use cache::BevolkingCache;
pub use discover::{
    BEVOLKING_FOLDER, DiscoveryError, discover_by_period, discover_periods, period_of_file_name,
    period_of_path,
};
use fout::ErrorCollector;
pub use fout::{Bron, InputError, InputErrors, Pos};
pub use open::{OpenField, TE_VULLEN, open_fields};
pub use samenhang::{MAX_AANTAL, MAX_INWONERS};
pub use schema::{Deel, NotitieStatus};
use verdeling::VerdelingInput;

/// A valid period input.
#[derive(Debug, Clone)]
pub struct Invoer {
    pub bestand: PathBuf,
    /// The text the input was read from, so that a later finding can show it
    /// without reading the file again (it may have changed since).
    pub bron: Bron,
    pub periode: Periode,
    pub peilmoment: Datum,
    pub minister: String,
    pub notitie: NotitieKop,
    /// The bekendmaking's date: the publication the 13-weeks rule is about.
    pub geplande_publicatie: Datum,
    /// The ministry, the signature, the bekendmaking and the circulaire.
    pub publicaties: publicaties::Publicaties,
    /// An adjustment of the period's number, when there is one.
    pub bijstelling: Option<publicaties::Bijstelling>,
    pub inwilligingen: Reeks,
    pub scenario_1_maanden: i64,
    pub scenario_2: Scenario2,
    pub besluit: Besluit,
    pub buffer_toelichting: String,
    pub historie: Vec<HistorieRegel>,
    pub uitstroom: Uitstroom,
    pub aandachtspunten: Vec<String>,
    pub amv: Amv,
    pub evaluatie: Evaluatie,
    pub afspraken: Afspraken,
    pub vervolgproces: Vec<String>,
    /// The distribution decisions (art. 29 and 30), headline number included.
    pub verdeling: VerdelingInput,
    /// Where some fields stand in the file, so that an engine finding can point there.
    pub posities: BTreeMap<String, Pos>,
}

/// A monthly series: consecutive months, no gaps, no repeats.
#[derive(Debug, Clone)]
pub struct Reeks {
    pub bron: String,
    pub illustratief: bool,
    pub maanden: Vec<(Maand, i64)>,
}

impl Reeks {
    pub fn get(&self, maand: Maand) -> Option<i64> {
        let eerste = self.maanden.first()?.0;
        let i = maand.index() - eerste.index();
        usize::try_from(i)
            .ok()
            .and_then(|i| self.maanden.get(i))
            .map(|m| m.1)
    }

    pub fn laatste_maand(&self) -> Option<Maand> {
        self.maanden.last().map(|m| m.0)
    }
}

#[derive(Debug, Clone)]
pub struct Scenario2 {
    pub productieplan: String,
    pub prognose: String,
    pub illustratief: bool,
    pub categorieen: Vec<Categorie>,
}

#[derive(Debug, Clone)]
pub struct Categorie {
    pub naam: String,
    pub beslissingen: i64,
    /// Grant percentage in hundredths of a percent (62,5 % → 6250), so that sums stay exact.
    pub percentage_honderdsten: i64,
}

#[derive(Debug, Clone)]
pub struct Besluit {
    pub taakstelling: i64,
    pub motivering: String,
    pub reden_buiten_bandbreedte: Option<String>,
}

#[derive(Debug, Clone)]
pub struct HistorieRegel {
    pub periode: Periode,
    pub eerst_bekendgemaakt: Option<i64>,
    pub na_bijstelling: Option<i64>,
    pub status: Option<String>,
}

impl HistorieRegel {
    /// The number in force: after adjustment where there was one.
    pub fn geldend(&self) -> Option<i64> {
        self.na_bijstelling.or(self.eerst_bekendgemaakt)
    }
}

#[derive(Debug, Clone)]
pub struct Uitstroom {
    pub reeks: Reeks,
    pub beginjaar: i32,
    pub beginstand: i64,
}

#[derive(Debug, Clone)]
pub struct Amv {
    pub organisatie: String,
    pub illustratief: bool,
    pub behoefte: Vec<(Datum, i64)>,
    pub realisatie: Vec<(Datum, i64)>,
}

#[derive(Debug, Clone)]
pub struct Evaluatie {
    pub aanleiding: Option<String>,
    pub van: Maand,
    pub tot_en_met: Maand,
    pub prognose_per_maand: i64,
    pub marge_procent: i64,
}

/// A memo's header block (see [`schema::NotitieKop`]); the documents show it as it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NotitieKop {
    pub aan: String,
    pub van: String,
    pub datum: Datum,
    pub agendapunt: Option<String>,
    pub kenmerk: Option<String>,
    pub status: NotitieStatus,
    /// Whether the memo shows the buffer as a figure.
    pub toon_buffer: bool,
    /// Whether the memo shows the evaluation's margin as a figure.
    pub toon_evaluatiemarge: bool,
}

#[derive(Debug, Clone)]
pub struct Afspraken {
    pub delen_in: Maand,
    pub deel: Deel,
}

/// Reads, parses and validates one period file.
pub fn load(path: &Path) -> Result<Invoer, InputErrors> {
    load_as(path, Vorige::Lezen)
}

fn load_as(path: &Path, modus: Vorige) -> Result<Invoer, InputErrors> {
    parse_as(path, yaml::read_file(path)?, modus)
}

/// Parses and validates the text of a period file (and its history row of the
/// period before against that period's input beside it, when there is one).
pub fn parse(path: &Path, tekst: String) -> Result<Invoer, InputErrors> {
    parse_as(path, tekst, Vorige::Lezen)
}

fn parse_as(path: &Path, tekst: String, modus: Vorige) -> Result<Invoer, InputErrors> {
    let bron = Bron::new(path, tekst);
    if let Some(open) = open_field_errors(&bron) {
        return Err(open);
    }
    let (raw, errors) = yaml::parse_yaml_all::<schema::PeriodeInput>(&bron);
    let mut f = ErrorCollector::new(&bron);
    f.errors = errors;
    let Some(raw) = raw else {
        return Err(f.into_result(()).unwrap_err());
    };
    let invoer = valideer(path, raw, &mut f, modus);
    f.into_result(invoer)
}

/// A file started by `taakstelling new` that still has values marked `TE_VULLEN`:
/// every open field, one line each (no snippets: the list is the point).
fn open_field_errors(bron: &Bron) -> Option<InputErrors> {
    let open = open_fields(&bron.tekst);
    if open.is_empty() {
        return None;
    }
    let mut f = ErrorCollector::new(bron);
    for o in open {
        let pos = Pos {
            line: o.line as u64,
            column: o.column as u64,
            offset: o.offset,
            len: o.len,
        };
        let mut e = InputError::new(bron, Some(pos), o.path.clone(), o.message());
        e.span = None;
        f.errors.push(e);
    }
    f.into_result(()).err()
}

fn periode(f: &mut ErrorCollector, v: &Spanned<String>, field: &str) -> Option<Periode> {
    let bericht = match Periode::parse_met_reden(&v.value) {
        Ok(p) => return Some(p),
        Err(None) => format!(
            "found {:?}{} expected a period such as 2025-I or 2025-II",
            v.value,
            uitleg(&v.value)
        ),
        Err(Some(jaar)) => format!(
            "found {:?}, expected a period from {}-I to {}-II: the year {jaar:04} is not one a taakstelling can have",
            v.value,
            Periode::JAREN.start(),
            Periode::JAREN.end()
        ),
    };
    f.at(&v.referenced, field, bericht);
    None
}

/// `", which holds U+2013 EN DASH …;"` for a value that must be ASCII and is not,
/// else `","`: what follows "found {value}" before "expected".
fn uitleg(waarde: &str) -> String {
    characters::explain(waarde)
        .map(|u| format!(", which {u};"))
        .unwrap_or_else(|| ",".to_string())
}

fn datum(f: &mut ErrorCollector, v: &Spanned<String>, field: &str) -> Option<Datum> {
    let d = Datum::parse(&v.value);
    if d.is_none() {
        f.at(
            &v.referenced,
            field,
            format!(
                "found {:?}{} expected a date as YYYY-MM-DD (for example 2025-07-01)",
                v.value,
                uitleg(&v.value)
            ),
        );
    }
    d
}

fn maand(f: &mut ErrorCollector, v: &Spanned<String>, field: &str) -> Option<Maand> {
    let m = Maand::parse(&v.value);
    if m.is_none() {
        f.at(
            &v.referenced,
            field,
            format!(
                "found {:?}{} expected a month as YYYY-MM (for example 2024-09)",
                v.value,
                uitleg(&v.value)
            ),
        );
    }
    m
}

fn aantal(f: &mut ErrorCollector, v: &Spanned<i64>, field: &str) -> i64 {
    samenhang::bereik(f, v, field, samenhang::TELLING, "count");
    v.value
}

/// A text that must say something; returns it.
fn tekst(f: &mut ErrorCollector, v: &Spanned<String>, field: &str) -> String {
    if v.value.trim().is_empty() {
        f.at(&v.referenced, field, "found an empty text, expected a text");
    }
    v.value.clone()
}

/// A series of consecutive months: each month once, in order, none missing.
fn reeks(
    f: &mut ErrorCollector,
    maanden: &Spanned<Vec<schema::MaandAantal>>,
    field: &str,
    posities: &mut BTreeMap<String, Pos>,
) -> Vec<(Maand, i64)> {
    let mut out: Vec<(Maand, i64)> = Vec::with_capacity(maanden.value.len());
    if maanden.value.is_empty() {
        f.at(
            &maanden.referenced,
            field,
            "found no months, expected at least one month",
        );
    }
    let mut laatste: Option<Maand> = None;
    for (i, m) in maanden.value.iter().enumerate() {
        let veld = format!("{field}[{i}]");
        let n = aantal(f, &m.aantal, &format!("{veld}.aantal"));
        let Some(maand) = maand(f, &m.maand, &format!("{veld}.maand")) else {
            continue;
        };
        if let Some(p) = Pos::of(&m.maand.referenced) {
            posities.entry(field.to_string()).or_insert(p);
        }
        if let Some(vorige) = laatste {
            let verwacht = vorige.plus(1);
            if maand != verwacht {
                let wat = if maand.index() == vorige.index() {
                    "repeats the month before it"
                } else if maand < vorige {
                    "is out of order"
                } else {
                    "leaves a gap"
                };
                f.at(
                    &m.maand.referenced,
                    format!("{veld}.maand"),
                    format!("found {maand}, which {wat}; expected {verwacht}"),
                );
            }
        }
        // A repeated or earlier month is reported once; the next is compared with the
        // last month in order, so that one mistake gives one error.
        if laatste.is_none_or(|v| maand > v) {
            laatste = Some(maand);
        }
        out.push((maand, n));
    }
    out
}

/// How a period file treats the input of the period before it, beside it in the
/// same folder (the file that period's history row describes).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Vorige {
    /// Read it when this file's history leaves its row out (the row is taken from
    /// it) or gives the row (the row must agree with it): a period file loaded for
    /// itself.
    Lezen,
    /// Read it only for a row left out: the earlier file read for a later one, so
    /// that a folder of periods is not read back to the first one each time.
    AlleenVoorOntbrekendeRij,
}

/// The previous period's history row against that period's own input beside this
/// file. When the history stops one period short, the row is taken from there (the
/// number first published and, after a bijstelling, the new one, so that nobody
/// types them in again); when the row is given, it must agree with that input (an
/// error at the row names the other file). `None` when no row is taken: the history
/// is complete, or there is no such file, or it does not load (the history check
/// then reports a missing row; the file's own build reports its errors).
fn vorige_invoer(
    f: &mut ErrorCollector,
    path: &Path,
    rows: &[schema::HistorieRegel],
    vorige: Periode,
    modus: Vorige,
) -> Option<HistorieRegel> {
    let laatste = Periode::parse(&rows.last()?.periode.value)?;
    let ontbreekt = laatste.volgende() == vorige;
    let gegeven = rows
        .iter()
        .find(|r| Periode::parse(&r.periode.value) == Some(vorige));
    if !ontbreekt && (gegeven.is_none() || modus == Vorige::AlleenVoorOntbrekendeRij) {
        return None;
    }
    let map = path.parent()?;
    let pad = ["yaml", "yml"]
        .iter()
        .map(|ext| map.join(format!("{vorige}.{ext}")))
        .find(|p| p.is_file())?;
    let eerder = load_as(&pad, Vorige::AlleenVoorOntbrekendeRij).ok()?;
    let (geldend, bron) = match &eerder.bijstelling {
        Some(b) => (b.taakstelling, "bijstelling.taakstelling"),
        None => (eerder.besluit.taakstelling, "besluit.taakstelling"),
    };
    let Some(rij) = gegeven else {
        return Some(HistorieRegel {
            periode: vorige,
            eerst_bekendgemaakt: Some(eerder.besluit.taakstelling),
            na_bijstelling: eerder.bijstelling.as_ref().map(|b| b.taakstelling),
            status: Some(format!("invoer-{vorige}")),
        });
    };
    let (waarde, veld) = match (&rij.na_bijstelling, &rij.eerst_bekendgemaakt) {
        (Some(n), _) => (Some(n), "na_bijstelling"),
        (None, Some(n)) => (Some(n), "eerst_bekendgemaakt"),
        (None, None) => (None, "eerst_bekendgemaakt"),
    };
    if waarde.map(|w| w.value) != Some(geldend) {
        let gevonden = waarde.map_or("no number".to_string(), |w| w.value.to_string());
        let plek = waarde.map_or(&rij.periode.referenced, |w| &w.referenced);
        f.at(
            plek,
            format!("historie[{vorige}].{veld}"),
            format!(
                "found {gevonden} as the number in force for {vorige}, but {} has {bron} {geldend}: the row must agree with that period's input",
                pad.display(),
            ),
        );
    }
    None
}

/// Validates a parsed period file section by section; every problem is added to `f`.
fn valideer(
    path: &Path,
    raw: schema::PeriodeInput,
    f: &mut ErrorCollector,
    modus: Vorige,
) -> Invoer {
    let mut posities = posities(&raw);
    let (periode_id, periode_ok) = periode_en_bestandsnaam(f, &raw.periode, path);
    // Checks against the period are made only when it is valid and matches the file
    // name: otherwise it is not known which period is meant.
    let periode_id = periode_id.unwrap_or(Periode {
        jaar: 2000,
        helft: crate::kalender::Helft::I,
    });
    let (peilmoment, geplande_publicatie) = data(f, &raw, periode_id, periode_ok);
    let uit_map = periode_ok.and_then(|p| vorige_invoer(f, path, &raw.historie, p.vorige(), modus));
    samenhang::controleer(f, &raw, periode_ok, peilmoment, uit_map.is_some());
    let minister = tekst(f, &raw.minister, "minister");
    let notitie = notitie(f, &raw, peilmoment, geplande_publicatie, periode_id);
    let publicaties =
        publicaties::publicaties(f, &raw, geplande_publicatie, periode_id.begindatum());
    let inwilligingen = Reeks {
        maanden: reeks(
            f,
            &raw.inwilligingen.maanden,
            "inwilligingen.maanden",
            &mut posities,
        ),
        bron: raw.inwilligingen.bron,
        illustratief: raw.inwilligingen.illustratief,
    };
    let scenario_1_maanden = scenario_1(f, &raw.scenario_1.maanden);
    let scenario_2 = scenario_2(f, raw.scenario_2);
    let (besluit, taakstelling_geldig) = besluit(f, &raw.besluit);
    let buffer_toelichting = tekst(f, &raw.buffer_toelichting, "buffer_toelichting");
    let verdeling = verdeling::verdeling(
        f,
        &raw.verdeling,
        taakstelling_geldig.then_some(besluit.taakstelling),
        &mut posities,
    );
    let mut historie = historie(f, &raw.historie, periode_ok);
    historie.extend(uit_map);
    let bijstelling = raw.bijstelling.as_ref().map(|b| {
        publicaties::bijstelling(
            f,
            b,
            periode_ok,
            taakstelling_geldig.then_some(besluit.taakstelling),
            geplande_publicatie,
            &mut posities,
        )
    });
    let uitstroom = uitstroom(f, raw.uitstroom, &mut posities);
    let aandachtspunten = teksten(f, &raw.aandachtspunten, "aandachtspunten");
    let vervolgproces = teksten(f, &raw.vervolgproces, "vervolgproces");
    let amv = amv(f, raw.amv);
    let evaluatie = evaluatie(f, &raw.evaluatie_vorige_periode);
    let afspraken = afspraken(
        f,
        &raw.afspraken_evaluatie,
        peilmoment,
        periode_ok.map(|_| periode_id),
    );
    Invoer {
        bestand: path.to_path_buf(),
        bron: f.source.clone(),
        periode: periode_id,
        peilmoment: peilmoment.unwrap_or(periode_id.begindatum()),
        minister,
        notitie,
        geplande_publicatie: geplande_publicatie.unwrap_or(periode_id.begindatum()),
        publicaties,
        bijstelling,
        inwilligingen,
        scenario_1_maanden,
        scenario_2,
        besluit,
        buffer_toelichting,
        historie,
        uitstroom,
        aandachtspunten,
        amv,
        evaluatie,
        afspraken: Afspraken {
            delen_in: afspraken.unwrap_or(periode_id.eerste_maand()),
            deel: raw.afspraken_evaluatie.deel_van_maand,
        },
        vervolgproces,
        verdeling,
        posities,
    }
}

/// The memo's header: its date lies between the peilmoment (the memo uses the
/// figures up to it) and the planned publication (the HLRT decides before the
/// number is published).
fn notitie(
    f: &mut ErrorCollector,
    raw: &schema::PeriodeInput,
    peilmoment: Option<Datum>,
    geplande_publicatie: Option<Datum>,
    periode: Periode,
) -> NotitieKop {
    let tijdvak = Tijdvak {
        vanaf: peilmoment.map(|d| (d, "the peilmoment")),
        tot_en_met: geplande_publicatie.map(|d| (d, "the bekendmaking (bekendmaking.datum)")),
    };
    notitie_kop(
        f,
        &raw.notitie,
        "notitie",
        &tijdvak,
        periode.begindatum(),
        true,
    )
}

/// Scenario 1 averages 1 to 60 months.
fn scenario_1(f: &mut ErrorCollector, s1: &Spanned<i64>) -> i64 {
    if !(1..=60).contains(&s1.value) {
        f.at(
            &s1.referenced,
            "scenario_1.maanden",
            format!(
                "found {}, expected a number of months from 1 to 60",
                s1.value
            ),
        );
    }
    s1.value
}

/// The dates a memo's date must lie between, each with what it is ("the peilmoment").
pub(crate) struct Tijdvak<'a> {
    pub(crate) vanaf: Option<(Datum, &'a str)>,
    pub(crate) tot_en_met: Option<(Datum, &'a str)>,
}

/// A memo's header block; `veld` is where it stands (`notitie`). `standaard` stands in
/// for an invalid date, in a file that is refused anyway. `schakelaars`: whether the
/// memo has a buffer and a margin to show (the period's memo, not the bijstelling's).
pub(crate) fn notitie_kop(
    f: &mut ErrorCollector,
    raw: &schema::NotitieKop,
    veld: &str,
    tijdvak: &Tijdvak<'_>,
    standaard: Datum,
    schakelaars: bool,
) -> NotitieKop {
    let optioneel = |f: &mut ErrorCollector, v: &Option<Spanned<String>>, naam: &str| {
        v.as_ref().map(|v| tekst(f, v, &format!("{veld}.{naam}")))
    };
    let datum_veld = format!("{veld}.datum");
    let d = datum(f, &raw.datum, &datum_veld);
    if let Some(d) = d {
        if let Some((vanaf, wat)) = tijdvak.vanaf
            && d < vanaf
        {
            let bericht = format!("found {d}, expected a date on or after {wat} ({vanaf})");
            f.at(&raw.datum.referenced, &datum_veld, bericht);
        }
        if let Some((tot, wat)) = tijdvak.tot_en_met
            && d > tot
        {
            let bericht = format!("found {d}, expected a date on or before {wat} ({tot})");
            f.at(&raw.datum.referenced, &datum_veld, bericht);
        }
    }
    let schakelaar = |f: &mut ErrorCollector, v: &Option<Spanned<bool>>, naam: &str| {
        let v = v.as_ref()?;
        if !schakelaars {
            let bericht = "found a switch of the period's memo, expected it only under `notitie`: \
                           this memo shows neither the buffer nor the evaluation's margin";
            f.at(&v.referenced, format!("{veld}.{naam}"), bericht);
        }
        Some(v.value)
    };
    NotitieKop {
        toon_buffer: schakelaar(f, &raw.toon_buffer, "toon_buffer").unwrap_or(false),
        toon_evaluatiemarge: schakelaar(f, &raw.toon_evaluatiemarge, "toon_evaluatiemarge")
            .unwrap_or(false),
        aan: tekst(f, &raw.aan, &format!("{veld}.aan")),
        van: tekst(f, &raw.van, &format!("{veld}.van")),
        datum: d.unwrap_or(standaard),
        agendapunt: optioneel(f, &raw.agendapunt, "agendapunt"),
        kenmerk: optioneel(f, &raw.kenmerk, "kenmerk"),
        status: raw.status,
    }
}

/// Where the fields stand that engine findings point at.
fn posities(raw: &schema::PeriodeInput) -> BTreeMap<String, Pos> {
    let mut posities = BTreeMap::new();
    let mut pos = |veld: &str, loc: &serde_saphyr::Location| {
        if let Some(p) = Pos::of(loc) {
            posities.insert(veld.to_string(), p);
        }
    };
    pos("periode", &raw.periode.referenced);
    pos("peilmoment", &raw.peilmoment.referenced);
    pos("besluit.taakstelling", &raw.besluit.taakstelling.referenced);
    pos("bekendmaking.datum", &raw.bekendmaking.datum.referenced);
    pos(
        "evaluatie_vorige_periode.venster.van",
        &raw.evaluatie_vorige_periode.venster.van.referenced,
    );
    pos(
        "uitstroom.beginstand.datum",
        &raw.uitstroom.beginstand.datum.referenced,
    );
    pos("scenario_1.maanden", &raw.scenario_1.maanden.referenced);
    if let Some(eerste) = raw.historie.first() {
        pos("historie", &eerste.periode.referenced);
    }
    // Each row by its period (`historie[2023-I]`), for findings about one period.
    for r in &raw.historie {
        pos(
            &format!("historie[{}]", r.periode.value),
            &r.periode.referenced,
        );
    }
    posities
}

/// The period, and whether it matches the file name (`Some` only then).
fn periode_en_bestandsnaam(
    f: &mut ErrorCollector,
    v: &Spanned<String>,
    path: &Path,
) -> (Option<Periode>, Option<Periode>) {
    let periode_id = periode(f, v, "periode");
    let mut periode_ok = periode_id;
    if let Some(p) = periode_id {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem != p.to_string() {
            f.at(
                &v.referenced,
                "periode",
                format!(
                    "found {p} in a file named {stem:?}, expected the file to be named {p}.yaml"
                ),
            );
            periode_ok = None;
        }
    }
    (periode_id, periode_ok)
}

/// The peilmoment (before the period) and the planned publication (not before it).
fn data(
    f: &mut ErrorCollector,
    raw: &schema::PeriodeInput,
    periode_id: Periode,
    periode_ok: Option<Periode>,
) -> (Option<Datum>, Option<Datum>) {
    let peilmoment = datum(f, &raw.peilmoment, "peilmoment");
    if let Some(d) = peilmoment
        && periode_ok.is_some()
        && d >= periode_id.begindatum()
    {
        f.at(
            &raw.peilmoment.referenced,
            "peilmoment",
            format!(
                "found {d}, expected a date before the period starts ({})",
                periode_id.begindatum()
            ),
        );
    }
    let geplande_publicatie = datum(f, &raw.bekendmaking.datum, "bekendmaking.datum");
    if let (Some(pm), Some(gp)) = (peilmoment, geplande_publicatie)
        && gp < pm
    {
        f.at(
            &raw.bekendmaking.datum.referenced,
            "bekendmaking.datum",
            format!("found {gp}, expected a date on or after the peilmoment ({pm})"),
        );
    }
    (peilmoment, geplande_publicatie)
}

/// Scenario 2: at least one category, each with a name, a count and a percentage
/// with at most two decimals.
fn scenario_2(f: &mut ErrorCollector, raw: schema::Scenario2) -> Scenario2 {
    if raw.categorieen.value.is_empty() {
        f.at(
            &raw.categorieen.referenced,
            "scenario_2.categorieen",
            "found no categories, expected at least one",
        );
    }
    let categorieen = raw
        .categorieen
        .value
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let veld = format!("scenario_2.categorieen[{i}]");
            let naam = tekst(f, &c.naam, &format!("{veld}.naam"));
            let beslissingen = aantal(f, &c.beslissingen, &format!("{veld}.beslissingen"));
            let pct = c.inwilligingspercentage.value;
            let honderdsten = (pct * 100.0).round();
            if !(0.0..=100.0).contains(&pct) || !pct.is_finite() {
                f.at(
                    &c.inwilligingspercentage.referenced,
                    format!("{veld}.inwilligingspercentage"),
                    format!("found {pct}, expected a percentage from 0 to 100"),
                );
            } else if (pct * 100.0 - honderdsten).abs() > 1e-6 {
                f.at(
                    &c.inwilligingspercentage.referenced,
                    format!("{veld}.inwilligingspercentage"),
                    format!("found {pct}, expected a percentage with at most two decimals"),
                );
            }
            Categorie {
                naam,
                beslissingen,
                percentage_honderdsten: honderdsten as i64,
            }
        })
        .collect();
    Scenario2 {
        productieplan: raw.productieplan,
        prognose: raw.prognose,
        illustratief: raw.illustratief,
        categorieen,
    }
}

/// The minister's decision, and whether its number lies in range (the distribution
/// needs a valid one).
fn besluit(f: &mut ErrorCollector, raw: &schema::Besluit) -> (Besluit, bool) {
    let t = &raw.taakstelling;
    let geldig = samenhang::bereik(
        f,
        t,
        "besluit.taakstelling",
        samenhang::POSITIEF,
        "number of people",
    );
    let besluit = Besluit {
        taakstelling: t.value,
        motivering: tekst(f, &raw.motivering, "besluit.motivering"),
        reden_buiten_bandbreedte: raw
            .reden_buiten_bandbreedte
            .as_ref()
            .map(|r| tekst(f, r, "besluit.reden_buiten_bandbreedte")),
    };
    (besluit, geldig)
}

/// The outflow: a series from January, and the backlog on 1 January of a year.
fn uitstroom(
    f: &mut ErrorCollector,
    raw: schema::Uitstroom,
    posities: &mut BTreeMap<String, Pos>,
) -> Uitstroom {
    let beginstand_datum = datum(f, &raw.beginstand.datum, "uitstroom.beginstand.datum");
    let beginjaar = match beginstand_datum {
        Some(d) if d.maand == 1 && d.dag == 1 => d.jaar,
        Some(d) => {
            f.at(
                &raw.beginstand.datum.referenced,
                "uitstroom.beginstand.datum",
                format!("found {d}, expected 1 January of a year (YYYY-01-01)"),
            );
            d.jaar
        }
        None => 0,
    };
    let maanden = reeks(f, &raw.maanden, "uitstroom.maanden", posities);
    if let Some(&(eerste, _)) = maanden.first()
        && eerste.maand != 1
    {
        f.push(
            posities.get("uitstroom.maanden").copied(),
            "uitstroom.maanden[0].maand",
            format!("found {eerste}, expected the series to start in January"),
        );
    }
    Uitstroom {
        reeks: Reeks {
            bron: raw.bron,
            illustratief: raw.illustratief,
            maanden,
        },
        beginjaar,
        beginstand: raw.beginstand.achterstand.value,
    }
}

/// A list of texts, each saying something.
fn teksten(f: &mut ErrorCollector, raw: &[Spanned<String>], veld: &str) -> Vec<String> {
    raw.iter()
        .enumerate()
        .map(|(i, a)| tekst(f, a, &format!("{veld}[{i}]")))
        .collect()
}

/// The amv places: needed (at least one date) and realised.
fn amv(f: &mut ErrorCollector, raw: schema::Amv) -> Amv {
    let organisatie = tekst(f, &raw.organisatie, "amv.organisatie");
    if raw.behoefte.value.is_empty() {
        f.at(
            &raw.behoefte.referenced,
            "amv.behoefte",
            "found no dates, expected at least one",
        );
    }
    Amv {
        behoefte: standen(f, &raw.behoefte.value, "amv.behoefte"),
        realisatie: standen(f, &raw.realisatie, "amv.realisatie"),
        organisatie,
        illustratief: raw.illustratief,
    }
}

/// The evaluation of the previous period: a window of at most 12 months, a forecast
/// and a margin.
fn evaluatie(f: &mut ErrorCollector, ev: &schema::EvaluatieVorigePeriode) -> Evaluatie {
    let van = maand(f, &ev.venster.van, "evaluatie_vorige_periode.venster.van");
    let tot = maand(
        f,
        &ev.venster.tot_en_met,
        "evaluatie_vorige_periode.venster.tot_en_met",
    );
    if let (Some(v), Some(t)) = (van, tot)
        && !(0..12).contains(&(t.index() - v.index()))
    {
        f.at(
            &ev.venster.tot_en_met.referenced,
            "evaluatie_vorige_periode.venster.tot_en_met",
            format!("found {t}, expected a month from {v} up to 11 months later"),
        );
    }
    let prognose = aantal(
        f,
        &ev.prognose_per_maand,
        "evaluatie_vorige_periode.prognose_per_maand",
    );
    if !(0..=100).contains(&ev.marge_procent.value) {
        f.at(
            &ev.marge_procent.referenced,
            "evaluatie_vorige_periode.marge_procent",
            format!(
                "found {}, expected a percentage from 0 to 100",
                ev.marge_procent.value
            ),
        );
    }
    Evaluatie {
        aanleiding: ev.aanleiding.clone(),
        van: van.unwrap_or(Maand { jaar: 0, maand: 1 }),
        tot_en_met: tot.unwrap_or(Maand { jaar: 0, maand: 1 }),
        prognose_per_maand: prognose,
        marge_procent: ev.marge_procent.value,
    }
}

/// The month the interim evaluation is shared: between the peilmoment and the end of
/// the period (checked when both are known).
fn afspraken(
    f: &mut ErrorCollector,
    ae: &schema::AfsprakenEvaluatie,
    peilmoment: Option<Datum>,
    periode: Option<Periode>,
) -> Option<Maand> {
    let delen_in = maand(f, &ae.delen_in, "afspraken_evaluatie.delen_in");
    if let (Some(m), Some(pm), Some(p)) = (delen_in, peilmoment, periode)
        && (m < pm.maand() || m > p.eerste_maand().plus(5))
    {
        f.at(
            &ae.delen_in.referenced,
            "afspraken_evaluatie.delen_in",
            format!(
                "found {m}, expected a month between the peilmoment ({}) and the end of the period ({})",
                pm.maand(),
                p.eerste_maand().plus(5)
            ),
        );
    }
    delen_in
}

/// The national history: consecutive periods before this one, each number positive.
fn historie(
    f: &mut ErrorCollector,
    rows: &[schema::HistorieRegel],
    huidige: Option<Periode>,
) -> Vec<HistorieRegel> {
    let mut out: Vec<HistorieRegel> = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let veld = format!("historie[{i}]");
        let Some(p) = periode(f, &r.periode, &format!("{veld}.periode")) else {
            continue;
        };
        if let Some(huidige) = huidige
            && p >= huidige
        {
            f.at(
                &r.periode.referenced,
                format!("{veld}.periode"),
                format!("found {p}, expected only periods before {huidige}"),
            );
        }
        if let Some(vorige) = out.last()
            && p != vorige.periode.volgende()
        {
            let wat = if p == vorige.periode {
                format!("found {p} again")
            } else {
                format!("found {p} after {}", vorige.periode)
            };
            f.at(
                &r.periode.referenced,
                format!("{veld}.periode"),
                format!(
                    "{wat}, expected {} (one row per period, in order)",
                    vorige.periode.volgende()
                ),
            );
        }
        for (naam, v) in [
            ("eerst_bekendgemaakt", &r.eerst_bekendgemaakt),
            ("na_bijstelling", &r.na_bijstelling),
        ] {
            if let Some(v) = v {
                samenhang::bereik(
                    f,
                    v,
                    &format!("{veld}.{naam}"),
                    samenhang::POSITIEF,
                    "number of people",
                );
            }
        }
        if let (None, Some(n)) = (&r.eerst_bekendgemaakt, &r.na_bijstelling) {
            f.at(
                &n.referenced,
                format!("{veld}.na_bijstelling"),
                "found an adjusted number without a first announced one, expected eerst_bekendgemaakt too",
            );
        }
        out.push(HistorieRegel {
            periode: p,
            eerst_bekendgemaakt: r.eerst_bekendgemaakt.as_ref().map(|v| v.value),
            na_bijstelling: r.na_bijstelling.as_ref().map(|v| v.value),
            status: r.status.clone(),
        });
    }
    out
}

/// Dated counts in ascending date order.
fn standen(f: &mut ErrorCollector, rows: &[schema::AmvStand], field: &str) -> Vec<(Datum, i64)> {
    let mut out: Vec<(Datum, i64)> = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let veld = format!("{field}[{i}]");
        let n = aantal(f, &r.plekken, &format!("{veld}.plekken"));
        let Some(d) = datum(f, &r.datum, &format!("{veld}.datum")) else {
            continue;
        };
        if let Some(&(vorige, _)) = out.last()
            && d <= vorige
        {
            f.at(
                &r.datum.referenced,
                format!("{veld}.datum"),
                format!("found {d}, expected a date after {vorige} (dates in ascending order)"),
            );
        }
        out.push((d, n));
    }
    out
}
