//! The pipeline of one period: load → compute → charts → render, in memory.
//! Writing is left to [`crate::output`], so that nothing is written unless every
//! period succeeded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;
use tera::Context;
use thiserror::Error;

use crate::charts;
use crate::document::Charts;
use crate::engine::bekendmaking::{Bekendmaking, bereken_met_verdeling};
use crate::engine::verdeling::peildatum_for_period;
use crate::engine::{self, Uitkomst};
use crate::input::bevolking::{Bevolking, BevolkingError, load_bevolking};
use crate::input::{self, InputError, InputErrors, Invoer};
use crate::kalender::{Datum, Maand, Periode};
use crate::output::Bestand;
use crate::render::formats::{Format, Source};
use crate::render::{RenderError, Renderer, verdeling_csv};

/// Why a period could not be built.
#[derive(Debug, Error, miette::Diagnostic)]
pub enum BuildError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(#[from] InputErrors),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Render(#[from] RenderError),
    #[error("chart {name}: {message}")]
    Chart { name: String, message: String },
    #[error(
        "period {periode}: the distribution over the municipalities needs the population on \
         1 January {jaar} (Huisvestingswet 2014 art. 29)"
    )]
    Bevolking {
        periode: Periode,
        jaar: i32,
        #[diagnostic_source]
        bron: BevolkingError,
    },
}

/// The folder of the population tables, inside the inputs folder.
pub const BEVOLKING_MAP: &str = "bevolking";

/// A period loaded and computed: the memo's figures and the distribution.
pub struct Berekening {
    pub invoer: Invoer,
    pub uitkomst: Uitkomst,
    pub bekendmaking: Bekendmaking,
}

/// A period built in memory.
pub struct Gebouwd {
    pub periode: Periode,
    pub uitkomst: Uitkomst,
    pub bestanden: Vec<Bestand>,
}

/// Why the period files in the inputs folder could not be listed.
#[derive(Debug, Error)]
pub enum PeriodenFout {
    #[error("cannot read the inputs folder {}: {bron}", map.display())]
    Map { map: PathBuf, bron: std::io::Error },
    #[error(
        "two files for period {periode}: {} and {}; a period is exactly one file, so keep one",
        a.display(),
        b.display()
    )]
    Dubbel {
        periode: Periode,
        a: PathBuf,
        b: PathBuf,
    },
    #[error("cannot read the period file {}: {bron}", pad.display())]
    Bestand { pad: PathBuf, bron: std::io::Error },
}

impl PeriodenFout {
    /// The inputs folder does not exist (a build of files named on the command line
    /// needs none).
    pub fn map_ontbreekt(&self) -> bool {
        matches!(self, PeriodenFout::Map { bron, .. } if bron.kind() == std::io::ErrorKind::NotFound)
    }
}

/// The period file a name in the inputs folder stands for: `YYYY-I.yaml`, `YYYY-II.yml`.
pub fn periode_van_bestand(naam: &str) -> Option<Periode> {
    let stam = naam
        .strip_suffix(".yaml")
        .or_else(|| naam.strip_suffix(".yml"))?;
    Periode::parse(stam)
}

/// Every period file in `inputs`, in period order: `YYYY-I.yaml` or `.yml` (such as
/// `2025-II.yml`) at the top of the folder, never in a subfolder (`bevolking/` holds the
/// population tables, an `archief/` folder old inputs). Other files are not periods and
/// are skipped. A period file that is a symbolic link is read like any file; two files
/// for one period, or a period file that cannot be read (a broken link, a folder), are
/// errors: a build that skipped it would remove that period's output.
pub fn vind_perioden(inputs: &Path) -> Result<Vec<PathBuf>, PeriodenFout> {
    let map_fout = |bron| PeriodenFout::Map {
        map: inputs.to_path_buf(),
        bron,
    };
    let mut found: BTreeMap<Periode, PathBuf> = BTreeMap::new();
    let mut entries: Vec<_> = std::fs::read_dir(inputs)
        .map_err(map_fout)?
        .collect::<Result<_, _>>()
        .map_err(map_fout)?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let Some(p) = entry.file_name().to_str().and_then(periode_van_bestand) else {
            continue;
        };
        let path = entry.path();
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => {}
            Ok(_) => {
                return Err(PeriodenFout::Bestand {
                    pad: path,
                    bron: std::io::Error::other("it is named like a period file but is not a file"),
                });
            }
            Err(bron) => return Err(PeriodenFout::Bestand { pad: path, bron }),
        }
        if let Some(a) = found.insert(p, path.clone()) {
            return Err(PeriodenFout::Dubbel {
                periode: p,
                a,
                b: path,
            });
        }
    }
    Ok(found.into_values().collect())
}

/// Turns engine findings into input errors that point at the field they concern.
fn bevindingen_als_fouten(invoer: &Invoer, bevindingen: Vec<engine::Bevinding>) -> InputErrors {
    let bron = &invoer.bron;
    InputErrors {
        file: bron.naam.clone(),
        errors: bevindingen
            .into_iter()
            .map(|b| {
                // A finding about the history points at the row of the period it names.
                let rij = b
                    .bericht
                    .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
                    .filter(|w| Periode::parse(w).is_some())
                    .find_map(|w| invoer.posities.get(&format!("{}[{w}]", b.veld)));
                let pos = rij.or_else(|| invoer.posities.get(&b.veld)).copied();
                InputError::new(bron, pos, b.veld, b.bericht)
            })
            .collect(),
    }
}

/// Loads and computes one period: everything short of rendering (used by `check`).
///
/// The population comes from `inputs/bevolking/`, on the peildatum of the period
/// (1 January of the year before, art. 29).
pub fn bereken_periode(path: &Path, inputs: &Path) -> Result<Berekening, BuildError> {
    bereken_periode_met(path, &Bevolkingen::new(inputs))
}

/// [`bereken_periode`] with the population tables of `bevolkingen`, so that the
/// periods of one build read each table once.
pub fn bereken_periode_met(
    path: &Path,
    bevolkingen: &Bevolkingen,
) -> Result<Berekening, BuildError> {
    let invoer = input::load(path)?;
    let jaar = peildatum_for_period(invoer.periode.jaar);
    let bevolking = bevolkingen
        .peildatum(jaar)
        .map_err(|bron| BuildError::Bevolking {
            periode: invoer.periode,
            jaar,
            bron,
        })?;
    let (uitkomst, bekendmaking) = bereken_met_verdeling(&invoer, &bevolking)
        .map_err(|b| bevindingen_als_fouten(&invoer, b))?;
    Ok(Berekening {
        invoer,
        uitkomst,
        bekendmaking,
    })
}

/// The population tables of one build, each read and checked once.
///
/// Both periods of a year use the same peildatum (1 January of the year before,
/// art. 29), so without this a build of every period would read each table twice.
/// The cache lives as long as the value: make one per build, so that a later build
/// (a rebuild on save) sees edited tables. Shared between threads: the first
/// period to need a table reads it while others needing it wait.
pub struct Bevolkingen {
    map: PathBuf,
    tabellen: Mutex<BTreeMap<i32, Arc<Tabel>>>,
}

/// One peildatum's table once it is read; the lock is held while reading it.
type Tabel = Mutex<Option<Arc<Bevolking>>>;

impl Bevolkingen {
    /// The tables in `inputs/bevolking/`.
    pub fn new(inputs: &Path) -> Self {
        Bevolkingen {
            map: inputs.join(BEVOLKING_MAP),
            tabellen: Mutex::new(BTreeMap::new()),
        }
    }

    /// The table of 1 January `jaar`. A table that fails to load is not kept, so every
    /// period that needs it reports the error itself.
    pub fn peildatum(&self, jaar: i32) -> Result<Arc<Bevolking>, BevolkingError> {
        let cel = Arc::clone(
            self.tabellen
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(jaar)
                .or_default(),
        );
        let mut tabel = cel.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(b) = tabel.as_ref() {
            return Ok(Arc::clone(b));
        }
        let b = Arc::new(load_bevolking(&self.map, jaar)?);
        *tabel = Some(Arc::clone(&b));
        Ok(b)
    }
}

/// A chart as the templates use it: numbered in document order, with its file name.
#[derive(Debug, Clone, Serialize)]
pub struct Grafiek {
    pub nummer: usize,
    pub bestand: String,
    pub titel: String,
    pub bijschrift: String,
    pub beschrijving: String,
    pub svg: String,
    pub tabel: charts::DataTable,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotitieGrafieken {
    pub bandbreedte: Grafiek,
    pub achterstand: Grafiek,
    pub historie: Grafiek,
    pub amv: Grafiek,
}

impl NotitieGrafieken {
    /// In document order.
    pub fn alle(&self) -> [&Grafiek; 4] {
        [
            &self.bandbreedte,
            &self.achterstand,
            &self.historie,
            &self.amv,
        ]
    }
}

fn grafiek(
    nummer: usize,
    naam: &str,
    bijschrift: String,
    chart: Result<charts::Chart, charts::ChartError>,
) -> Result<Grafiek, BuildError> {
    let chart = chart.map_err(|e| BuildError::Chart {
        name: naam.to_string(),
        message: e.to_string(),
    })?;
    Ok(Grafiek {
        nummer,
        bestand: format!("grafiek-{nummer}-{naam}.svg"),
        titel: chart.title,
        bijschrift,
        beschrijving: chart.description,
        svg: chart.svg,
        tabel: chart.table,
    })
}

fn chart_periode(id: &str) -> Periode {
    Periode::parse(id).expect("the engine writes valid period ids")
}

fn chart_datum(d: &engine::DatumInfo) -> Datum {
    Datum::parse(&d.iso).expect("the engine writes valid dates")
}

fn aantal(n: i64) -> u64 {
    u64::try_from(n).expect("counts are validated as zero or more")
}

/// The data of its chart, from the engine's figures.
pub fn bandbreedte_data(u: &Uitkomst) -> charts::BandbreedteData {
    charts::BandbreedteData {
        periode: chart_periode(&u.periode.id),
        inwilligingen: u
            .inwilligingen
            .iter()
            .map(|m| charts::MaandAantal {
                jaar: m.jaar,
                maand: m.maandnummer,
                aantal: aantal(m.aantal),
            })
            .collect(),
        peilmoment: chart_datum(&u.peilmoment),
        scenario_1: aantal(u.scenario_1.uitkomst),
        scenario_1_maanden: u32::try_from(u.scenario_1.aantal_maanden)
            .expect("validated as 1 to 60 months"),
        gemiddelde_per_maand: aantal(u.scenario_1.gemiddelde_per_maand),
        scenario_2: aantal(u.scenario_2.uitkomst),
        taakstelling: aantal(u.taakstelling.aantal),
        bronnen: vec![
            charts::Bron {
                onderwerp: "de inwilligingen".into(),
                tekst: u.scenario_1.bron.clone(),
                illustratief: u.scenario_1.illustratief,
            },
            charts::Bron {
                onderwerp: "scenario 2".into(),
                tekst: format!("{}, {}", u.scenario_2.productieplan, u.scenario_2.prognose),
                illustratief: u.scenario_2.illustratief,
            },
        ],
    }
}

/// The data of its chart, from the engine's figures. A period's outflow is
/// projected for its months after the last realised one; its backlog at the
/// end is projected from the first such period on.
pub fn achterstand_data(u: &Uitkomst) -> charts::AchterstandData {
    let laatste = Maand::parse(&u.achterstand.laatste_gerealiseerde_maand)
        .expect("the engine writes valid months");
    let mut geprojecteerd = false;
    charts::AchterstandData {
        tijdvak: charts::Tijdvak::Periode,
        rijen: u
            .achterstand
            .perioden
            .iter()
            .map(|p| {
                let geraamd = chart_periode(&p.periode)
                    .maanden()
                    .filter(|m| *m > laatste)
                    .count();
                geprojecteerd |= p.geprojecteerd;
                charts::AchterstandRij {
                    label: p.periode.clone(),
                    taakstelling: aantal(p.taakstelling),
                    uitstroom: aantal(p.uitstroom),
                    uitstroom_geprojecteerde_maanden: u32::try_from(geraamd)
                        .expect("at most six months"),
                    achterstand_eind: p.eind,
                    geprojecteerd,
                }
            })
            .collect(),
        bronnen: vec![
            charts::Bron {
                onderwerp: "de taakstelling".into(),
                tekst: engine::HISTORIE_BRON.into(),
                illustratief: false,
            },
            charts::Bron {
                onderwerp: "de uitstroom en de achterstand".into(),
                tekst: u.achterstand.bron.clone(),
                illustratief: u.achterstand.illustratief,
            },
        ],
    }
}

/// The history chart's data: the national taakstelling per period before `u`'s period.
pub fn historie_data(u: &Uitkomst) -> charts::HistorieData {
    charts::HistorieData {
        perioden: u
            .historie
            .iter()
            .map(|h| charts::HistoriePeriode {
                periode: chart_periode(&h.periode),
                eerst_bekendgemaakt: h.eerst_bekendgemaakt.map(aantal),
                na_bijstelling: h.na_bijstelling.map(aantal),
            })
            .collect(),
        bronnen: vec![charts::Bron {
            onderwerp: "de taakstelling".into(),
            tekst: engine::HISTORIE_BRON.into(),
            illustratief: false,
        }],
    }
}

/// The data of its chart, from the engine's figures.
pub fn amv_data(u: &Uitkomst) -> charts::AmvData {
    let standen = |reeks: &[engine::AmvStand]| {
        reeks
            .iter()
            .map(|s| charts::AmvStand {
                datum: chart_datum(&s.datum),
                plekken: aantal(s.plekken),
            })
            .collect()
    };
    charts::AmvData {
        peilmoment: chart_datum(&u.peilmoment),
        behoefte: standen(&u.amv.behoefte),
        realisatie: standen(&u.amv.realisatie),
        bronnen: vec![charts::Bron {
            onderwerp: "de plekken".into(),
            tekst: u.amv.organisatie.clone(),
            illustratief: u.amv.illustratief,
        }],
    }
}

/// The memo's charts, numbered in the order the memo shows them.
pub fn notitie_grafieken(u: &Uitkomst) -> Result<NotitieGrafieken, BuildError> {
    let id = &u.periode.id;
    Ok(NotitieGrafieken {
        bandbreedte: grafiek(
            1,
            "bandbreedte",
            format!(
                "Inwilligingen per maand, met de maanden waarover scenario 1 het gemiddelde neemt, en de bandbreedte voor {id}: scenario 1 en scenario 2, met de gekozen taakstelling."
            ),
            charts::bandbreedte(&bandbreedte_data(u)),
        )?,
        achterstand: grafiek(
            2,
            "achterstand",
            format!(
                "Taakstelling en uitstroom naar huisvesting per periode, en de achterstand aan het eind van elke periode tot eind {}.",
                u.achterstand.eindjaar
            ),
            charts::achterstand(&achterstand_data(u)),
        )?,
        historie: grafiek(
            3,
            "historie",
            format!(
                "De landelijke taakstelling per periode van {} tot en met {}, zoals eerst bekendgemaakt en na bijstelling.",
                u.historie_samenvatting.eerste_periode, u.historie_samenvatting.laatste_periode
            ),
            charts::historie(&historie_data(u)),
        )?,
        amv: grafiek(
            4,
            "amv",
            format!(
                "Gerealiseerde plekken voor amv bij {} tot het peilmoment, en de benodigde plekken op de data waarvoor de behoefte is vastgesteld.",
                u.amv.organisatie
            ),
            charts::amv_capaciteit(&amv_data(u)),
        )?,
    })
}

/// The documents of a period, each from its Markdown template, each written as
/// HTML, Markdown and Word (besides them: the charts and the CSV).
pub const DOCUMENTEN: [&str; 3] = ["notitie", "staatscourant", "taakstellingsbrief"];

/// The formats of every document of a period.
pub const FORMATEN: [Format; 3] = [Format::Html, Format::Markdown, Format::Word];

/// Builds the documents of one period in memory: `PERIOD/notitie.html` and `.md`
/// with the charts, the Staatscourant draft, the taakstellingsbrief and `verdeling.csv`.
/// `inputs` is the inputs folder, which holds the population tables.
pub fn bouw_periode(
    path: &Path,
    inputs: &Path,
    renderer: &Renderer,
) -> Result<Gebouwd, BuildError> {
    bouw_periode_met(path, &Bevolkingen::new(inputs), renderer)
}

/// Builds every period in `paths` (see [`bouw_periode`]), reading each population
/// table once, and returns the results in the order of `paths`.
///
/// Periods are independent, so they are built on as many threads as the machine
/// offers (`std::thread::available_parallelism`, which respects CPU affinity and
/// cgroup quotas), at most one per period; each thread takes the next unbuilt
/// period. The results do not depend on the number of threads: each period's
/// documents are built the same way and returned in order.
pub fn bouw_perioden(
    paths: &[PathBuf],
    inputs: &Path,
    renderer: &Renderer,
) -> Vec<Result<Gebouwd, BuildError>> {
    let bevolkingen = Bevolkingen::new(inputs);
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let threads = cores.min(paths.len());
    if threads <= 1 {
        // Cores that no period uses render the charts' PNG fallbacks.
        let helpers = cores.saturating_sub(1);
        return paths
            .iter()
            .map(|p| bouw_periode_met_hulp(p, &bevolkingen, renderer, helpers))
            .collect();
    }
    let volgende = std::sync::atomic::AtomicUsize::new(0);
    let mut klaar: Vec<(usize, Result<Gebouwd, BuildError>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut eigen = Vec::new();
                    loop {
                        let i = volgende.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(p) = paths.get(i) else { break };
                        eigen.push((i, bouw_periode_met(p, &bevolkingen, renderer)));
                    }
                    eigen
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    klaar.sort_by_key(|(i, _)| *i);
    klaar.into_iter().map(|(_, r)| r).collect()
}

/// The template context of a period's documents.
pub fn context(
    uitkomst: &Uitkomst,
    bekendmaking: &Bekendmaking,
    grafieken: &NotitieGrafieken,
) -> Context {
    let mut context = Context::new();
    context.insert("u", uitkomst);
    context.insert("verdeling", bekendmaking);
    context.insert("grafieken", grafieken);
    context.insert("versie", env!("CARGO_PKG_VERSION"));
    context
}

/// [`bouw_periode`] with the population tables of `bevolkingen`.
pub fn bouw_periode_met(
    path: &Path,
    bevolkingen: &Bevolkingen,
    renderer: &Renderer,
) -> Result<Gebouwd, BuildError> {
    bouw_periode_met_hulp(path, bevolkingen, renderer, 0)
}

/// The charts of the memo, by file name, for the document parser and the Word writer.
pub fn document_grafieken(grafieken: &NotitieGrafieken) -> Result<Charts, BuildError> {
    let mut charts = Charts::new();
    for g in grafieken.alle() {
        charts
            .insert(g.bestand.clone(), g.svg.clone())
            .map_err(|e| BuildError::Chart {
                name: g.bestand.clone(),
                message: e.to_string(),
            })?;
    }
    Ok(charts)
}

/// [`bouw_periode_met`] with `helpers` threads that render the charts' PNG
/// fallbacks while this one renders the rest (see [`Renderer::render_folder`]).
fn bouw_periode_met_hulp(
    path: &Path,
    bevolkingen: &Bevolkingen,
    renderer: &Renderer,
    helpers: usize,
) -> Result<Gebouwd, BuildError> {
    let Berekening {
        invoer,
        uitkomst,
        bekendmaking,
    } = bereken_periode_met(path, bevolkingen)?;
    let grafieken = notitie_grafieken(&uitkomst)?;
    let context = context(&uitkomst, &bekendmaking, &grafieken);
    let map = PathBuf::from(invoer.periode.to_string());
    let charts = document_grafieken(&grafieken)?;
    let bronnen: Vec<Source<'_>> = DOCUMENTEN
        .iter()
        .map(|name| Source {
            name,
            context: &context,
        })
        .collect();
    let mut bestanden: Vec<Bestand> = renderer
        .render_folder(&bronnen, &charts, &FORMATEN, helpers)?
        .into_iter()
        .map(|(naam, inhoud)| Bestand::new(map.join(naam), inhoud))
        .collect();
    bestanden.push(Bestand::new(
        map.join(verdeling_csv::BESTAND),
        verdeling_csv::verdeling_csv(&bekendmaking),
    ));
    for g in grafieken.alle() {
        bestanden.push(Bestand::new(map.join(&g.bestand), svg_bestand(&g.svg)));
    }
    Ok(Gebouwd {
        periode: invoer.periode,
        uitkomst,
        bestanden,
    })
}

/// A standalone SVG file: the inline SVG with the XML declaration and namespace it needs.
pub fn svg_bestand(svg: &str) -> String {
    let mut s = String::with_capacity(svg.len() + 64);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(svg);
    if !svg.ends_with('\n') {
        s.push('\n');
    }
    s
}
