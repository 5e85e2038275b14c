//! One period through the stages, in memory: load → compute → charts → render.
//! Writing is left to the [`super::Site`], so that nothing is written unless every
//! period succeeded.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::engine::bekendmaking::{Bekendmaking, bereken_met_verdeling};
use crate::engine::bijstelling::Bijstelling;
use crate::engine::verdeling::peildatum_for_period;
use crate::engine::{self, Uitkomst};
use crate::input::bevolking::BevolkingError;
use crate::input::{self, BevolkingCache, InputError, InputErrors, Invoer};
use crate::kalender::Periode;
use crate::output::OutputFile;
use crate::render::context::{
    BijstellingContext, Document, GrafiekLink, Link, NotitieContext, PublicatieContext,
    TemplateContext, VERSIE, document_charts, notitie_grafieken, periode_naam, svg_file,
};
use crate::render::formats::{Source, tera_context};
use crate::render::{RenderError, Renderer, verdeling_csv};

/// Why a period could not be built.
#[derive(Debug, Error, miette::Diagnostic)]
pub enum PeriodError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(#[from] InputErrors),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Render(#[from] RenderError),
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

/// A period loaded and computed: the memo's figures and the distribution.
pub struct Berekening {
    pub invoer: Invoer,
    pub uitkomst: Uitkomst,
    pub bekendmaking: Bekendmaking,
    /// The bijstelling of the period's number, when its input has one.
    pub bijstelling: Option<Bijstelling>,
}

/// A period built in memory: its files and what the index says about it.
pub struct Gebouwd {
    pub periode: Periode,
    pub uitkomst: Uitkomst,
    pub bestanden: Vec<OutputFile>,
    /// The documents written, each in its formats, in the order they were written.
    pub documenten: Vec<Document>,
    /// The chart files, by number.
    pub grafieken: Vec<GrafiekLink>,
    /// The bijstelling of the period's number, which the index shows beside it.
    pub bijstelling: Option<Bijstelling>,
    /// The statements about its figures, as in its memo (the index says them too).
    pub uitspraken: engine::uitspraken::Uitspraken,
}

/// Turns engine findings into input errors that point at the field they concern.
fn bevindingen_als_fouten(invoer: &Invoer, bevindingen: Vec<engine::Bevinding>) -> InputErrors {
    let bron = &invoer.bron;
    InputErrors {
        file: bron.naam.clone(),
        errors: bevindingen
            .into_iter()
            .map(|b| {
                // A finding about one period of the history points at that period's row
                // when the file has one, else at the field.
                let veld = &b.plek.veld;
                let rij = b
                    .plek
                    .periode
                    .and_then(|p| invoer.posities.get(&format!("{veld}[{p}]")));
                let pos = rij.or_else(|| invoer.posities.get(veld)).copied();
                InputError::new(bron, pos, b.plek.veld, b.bericht)
            })
            .collect(),
    }
}

/// Loads and computes one period: everything short of rendering (what `check` does).
///
/// The population comes from `inputs/bevolking/` through `bevolking`, on the peildatum
/// of the period (1 January of the year before, art. 29).
pub fn compute_period(path: &Path, bevolking: &BevolkingCache) -> Result<Berekening, PeriodError> {
    let invoer = input::load(path)?;
    let jaar = peildatum_for_period(invoer.periode.jaar);
    let tabel = bevolking
        .peildatum(jaar)
        .map_err(|bron| PeriodError::Bevolking {
            periode: invoer.periode,
            jaar,
            bron,
        })?;
    let (uitkomst, bekendmaking) =
        bereken_met_verdeling(&invoer, &tabel).map_err(|b| bevindingen_als_fouten(&invoer, b))?;
    let bijstelling = engine::bijstelling::bijstelling(&invoer, &tabel, &bekendmaking)
        .map_err(|b| bevindingen_als_fouten(&invoer, b))?;
    Ok(Berekening {
        invoer,
        uitkomst,
        bekendmaking,
        bijstelling,
    })
}

/// The documents of one period in memory: the memo with its charts, the
/// bekendmaking and the circulaire, each as HTML, Markdown and Word
/// (`PERIOD/notitie.html`, `.md`, `.docx`), and `verdeling.csv`.
pub fn build_period(
    path: &Path,
    bevolking: &BevolkingCache,
    renderer: &Renderer,
) -> Result<Gebouwd, PeriodError> {
    build_period_with_helpers(path, bevolking, renderer, 0)
}

/// [`build_period`] with `helpers` threads that render the charts' PNG fallbacks
/// while this one writes the rest (see [`Renderer::render_folder`]).
fn build_period_with_helpers(
    path: &Path,
    bevolking: &BevolkingCache,
    renderer: &Renderer,
    helpers: usize,
) -> Result<Gebouwd, PeriodError> {
    let Berekening {
        invoer,
        uitkomst,
        bekendmaking,
        bijstelling,
    } = compute_period(path, bevolking)?;
    let grafieken = notitie_grafieken(&uitkomst)?;
    let map = PathBuf::from(invoer.periode.to_string());
    let mut bestanden = Vec::new();
    let mut documenten: Vec<Document> = Vec::new();
    let mut voeg_toe = |naam: &str, formaat: &str, inhoud: Vec<u8>| {
        let bestand = format!("{naam}.{formaat}");
        let link = Link {
            href: format!("{}/{bestand}", invoer.periode),
            formaat: formaat.to_string(),
        };
        match documenten.iter_mut().find(|d| d.naam == naam) {
            Some(d) => d.links.push(link),
            None => documenten.push(Document {
                naam: naam.to_string(),
                links: vec![link],
            }),
        }
        bestanden.push(OutputFile::new(map.join(bestand), inhoud));
    };
    // The memo and the publications in one folder, so that they link to each other
    // in each format and the charts' PNGs are rendered while all of them are written.
    let uitspraken = engine::uitspraken::uitspraken(&uitkomst);
    let notitie = tera_context(&NotitieContext {
        u: &uitkomst,
        s: &uitspraken,
        verdeling: &bekendmaking,
        grafieken: &grafieken,
        versie: VERSIE,
    })?;
    let p = &invoer.publicaties;
    let publicatie = tera_context(&PublicatieContext {
        u: &uitkomst,
        verdeling: &bekendmaking,
        periode_naam: periode_naam(invoer.periode),
        ministerie: &p.ministerie,
        ondertekening: &p.ondertekening,
        bekendmaking: &p.bekendmaking,
        circulaire: &p.circulaire,
        versie: VERSIE,
    })?;
    let bijstelling_context = bijstelling
        .as_ref()
        .map(|b| {
            tera_context(&BijstellingContext {
                u: &uitkomst,
                verdeling: &bekendmaking,
                bijstelling: b,
                periode_naam: periode_naam(invoer.periode),
                ministerie: &p.ministerie,
                ondertekening: &p.ondertekening,
                bekendmaking: &p.bekendmaking,
                versie: VERSIE,
            })
        })
        .transpose()?;
    let mut sources: Vec<Source<'_>> = NotitieContext::DOCUMENTEN
        .iter()
        .map(|name| Source {
            name,
            context: &notitie,
            formats: NotitieContext::FORMATEN,
        })
        .chain(PublicatieContext::DOCUMENTEN.iter().map(|name| Source {
            name,
            context: &publicatie,
            formats: PublicatieContext::FORMATEN,
        }))
        .collect();
    if let Some(context) = &bijstelling_context {
        sources.extend(BijstellingContext::DOCUMENTEN.iter().map(|name| Source {
            name,
            context,
            formats: BijstellingContext::FORMATEN,
        }));
    }
    let charts = document_charts(grafieken.alle())?;
    for (naam, formaat, inhoud) in renderer.render_folder(&sources, &charts, helpers)? {
        voeg_toe(&naam, formaat.extension(), inhoud);
    }
    voeg_toe(
        verdeling_csv::NAAM,
        verdeling_csv::FORMAAT,
        verdeling_csv::verdeling_csv(&bekendmaking, bijstelling.as_ref()),
    );
    let mut links = Vec::new();
    for g in grafieken.alle() {
        bestanden.push(OutputFile::new(map.join(&g.bestand), svg_file(&g.svg)));
        links.push(GrafiekLink {
            nummer: g.nummer,
            naam: g.naam.to_string(),
            href: format!("{}/{}", invoer.periode, g.bestand),
        });
    }
    Ok(Gebouwd {
        periode: invoer.periode,
        uitkomst,
        bestanden,
        documenten,
        grafieken: links,
        bijstelling,
        uitspraken,
    })
}

/// Builds every period in `paths` (see [`build_period`]), reading each population
/// table once, and returns the results in the order of `paths`.
///
/// Periods are independent, so they are built on as many threads as the machine
/// offers (`std::thread::available_parallelism`, which respects CPU affinity and
/// cgroup quotas), at most one per period; each thread takes the next unbuilt
/// period. The results do not depend on the number of threads: each period's
/// documents are built the same way and returned in order.
pub fn build_periods(
    paths: &[PathBuf],
    inputs: &Path,
    renderer: &Renderer,
) -> Vec<Result<Gebouwd, PeriodError>> {
    let bevolking = BevolkingCache::new(inputs);
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let threads = cores.min(paths.len());
    if threads <= 1 {
        // One period alone: a helper per core draws the charts' PNG fallbacks, the
        // critical path, while this thread writes the rest beside them (one helper
        // fewer leaves a core idle whenever this thread waits for the last chart).
        let helpers = cores;
        return paths
            .iter()
            .map(|p| build_period_with_helpers(p, &bevolking, renderer, helpers))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<Gebouwd, PeriodError>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut own = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(p) = paths.get(i) else { break };
                        own.push((i, build_period(p, &bevolking, renderer)));
                    }
                    own
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}
