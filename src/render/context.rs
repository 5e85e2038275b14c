//! The template contract: one typed context per kind of document.
//!
//! | context | templates | variables |
//! | --- | --- | --- |
//! | [`NotitieContext`] | `notitie.md` (the HLRT-notitie) | `u`, `s`, `verdeling`, `grafieken`, `versie` |
//! | [`PublicatieContext`] | `bekendmaking.md`, `circulaire.md` | `u`, `verdeling`, `periode_naam`, `ministerie`, `ondertekening`, `bekendmaking`, `circulaire`, `versie` |
//! | [`BijstellingContext`] | `bijstelling-notitie.md`, `bijstelling-bekendmaking.md`, `bijstelling-circulaire.md` | `u`, `verdeling`, `bijstelling`, `periode_naam`, `ministerie`, `ondertekening`, `bekendmaking`, `versie` |
//! | [`IndexContext`] | `index.md` | `perioden` (each `u`, `s`, `documenten`, `grafieken`, `bijstelling`), `historie`, `versie` |
//!
//! Each template is one document in every format (see [`super::formats`]): the
//! partials it includes see the same variables, and the page shell `pagina.html`
//! gets `titel` and `inhoud` (the document's title and body).
//!
//! `u` is the engine's [`Uitkomst`], `verdeling` its [`Bekendmaking`]; calendar
//! values serialise as `kalender` says (a period as its id, the document's own
//! periods with their dates, a date or month as `{iso, nl}`). The README lists
//! every variable and filter; a template that names a variable not listed fails
//! to render (Tera 2), so an override can only use what is promised here.

use serde::Serialize;

use super::RenderError;
use super::formats::Format;
use crate::charts;
use crate::document::Charts;
use crate::engine::bekendmaking::Bekendmaking;
use crate::engine::bijstelling::Bijstelling;
use crate::engine::{self, Uitkomst};
use crate::input::publicaties::{BekendmakingKop, CirculaireKop, Ministerie, Ondertekening};
use crate::kalender::{Helft, Periode};

/// The version of the tool, shown in every document's footer.
pub const VERSIE: &str = env!("CARGO_PKG_VERSION");

/// A context with the documents it fills, in the order their files are written.
pub trait TemplateContext: Serialize {
    /// The documents: `notitie` is filled from the template `notitie.md`.
    const DOCUMENTEN: &'static [&'static str];
    /// The formats each document is written in, in the order of its files.
    const FORMATEN: &'static [Format];
}

/// The formats of a period's documents.
const PERIODE_FORMATEN: &[Format] = &[Format::Html, Format::Markdown, Format::Word];

/// The HLRT-notitie.
#[derive(Serialize)]
pub struct NotitieContext<'a> {
    pub u: &'a Uitkomst,
    /// The statements about the figures ([`engine::uitspraken`]).
    pub s: &'a engine::uitspraken::Uitspraken,
    pub verdeling: &'a Bekendmaking,
    pub grafieken: &'a NotitieGrafieken,
    pub versie: &'static str,
}

impl TemplateContext for NotitieContext<'_> {
    const DOCUMENTEN: &'static [&'static str] = &["notitie"];
    const FORMATEN: &'static [Format] = PERIODE_FORMATEN;
}

/// The publication documents: the bekendmaking in the Staatscourant and the
/// circulaire to the colleges with its Bijlage A.
#[derive(Serialize)]
pub struct PublicatieContext<'a> {
    pub u: &'a Uitkomst,
    pub verdeling: &'a Bekendmaking,
    /// "eerste helft van 2025", as the publications name the period.
    pub periode_naam: String,
    pub ministerie: &'a Ministerie,
    pub ondertekening: &'a Ondertekening,
    pub bekendmaking: &'a BekendmakingKop,
    pub circulaire: &'a CirculaireKop,
    pub versie: &'static str,
}

impl TemplateContext for PublicatieContext<'_> {
    const DOCUMENTEN: &'static [&'static str] = &["bekendmaking", "circulaire"];
    const FORMATEN: &'static [Format] = PERIODE_FORMATEN;
}

/// The documents of a bijstelling: the memo to the HLRT with the proposal, the
/// bekendmaking of the new number and the circulaire with the new Bijlage A.
#[derive(Serialize)]
pub struct BijstellingContext<'a> {
    pub u: &'a Uitkomst,
    /// The distribution as first published.
    pub verdeling: &'a Bekendmaking,
    pub bijstelling: &'a Bijstelling,
    pub periode_naam: String,
    pub ministerie: &'a Ministerie,
    pub ondertekening: &'a Ondertekening,
    /// The period's first bekendmaking, which the bijstelling changes.
    pub bekendmaking: &'a BekendmakingKop,
    pub versie: &'static str,
}

impl TemplateContext for BijstellingContext<'_> {
    const DOCUMENTEN: &'static [&'static str] = &[
        "bijstelling-notitie",
        "bijstelling-bekendmaking",
        "bijstelling-circulaire",
    ];
    const FORMATEN: &'static [Format] = PERIODE_FORMATEN;
}

/// "eerste helft van 2025": a period as the publications name it.
pub fn periode_naam(p: Periode) -> String {
    let helft = match p.helft {
        Helft::I => "eerste",
        Helft::II => "tweede",
    };
    format!("{helft} helft van {}", p.jaar)
}

/// The index of all periods.
#[derive(Serialize)]
pub struct IndexContext<'a> {
    /// Newest first.
    pub perioden: Vec<IndexPeriode<'a>>,
    /// The history chart of the newest period, with its own number added.
    pub historie: &'a Grafiek,
    pub versie: &'static str,
}

/// The index is read on screen: no Word file.
impl TemplateContext for IndexContext<'_> {
    const DOCUMENTEN: &'static [&'static str] = &["index"];
    const FORMATEN: &'static [Format] = &[Format::Html, Format::Markdown];
}

/// One period of the index.
#[derive(Serialize)]
pub struct IndexPeriode<'a> {
    pub u: &'a Uitkomst,
    /// The statements about its figures, as in its memo.
    pub s: &'a engine::uitspraken::Uitspraken,
    pub documenten: &'a [Document],
    pub grafieken: &'a [GrafiekLink],
    /// The bijstelling of its number, when there is one: the index shows both numbers.
    pub bijstelling: Option<&'a Bijstelling>,
}

/// A document of a period in every format it was written in.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// `notitie`, `bekendmaking`, `circulaire`, `verdeling`, and with a bijstelling
    /// `bijstelling-notitie`, `bijstelling-bekendmaking`, `bijstelling-circulaire`.
    pub naam: String,
    pub links: Vec<Link>,
}

/// One format of a document: a link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Relative to the index: `2025-I/notitie.html`.
    pub href: String,
    /// `html`, `md`, `docx`, `csv`.
    pub formaat: String,
}

/// A chart file of a period.
#[derive(Debug, Clone, Serialize)]
pub struct GrafiekLink {
    pub nummer: usize,
    /// `bandbreedte`, `achterstand`, `historie`, `amv`.
    pub naam: String,
    pub href: String,
}

/// A chart as the templates use it: numbered in document order, with its file name.
#[derive(Debug, Clone, Serialize)]
pub struct Grafiek {
    pub nummer: usize,
    /// The kind of chart: `bandbreedte`, `achterstand`, `historie`, `amv`.
    pub naam: &'static str,
    /// The file beside the document: `grafiek-1-bandbreedte.svg`.
    pub bestand: String,
    pub titel: String,
    pub bijschrift: String,
    pub beschrijving: String,
    pub svg: String,
    pub tabel: charts::DataTable,
}

/// The memo's charts.
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

/// The charts a document may show, by file name (`![...](grafiek-1-bandbreedte.svg)`).
pub fn document_charts<'a>(
    grafieken: impl IntoIterator<Item = &'a Grafiek>,
) -> Result<Charts, RenderError> {
    let mut charts = Charts::new();
    for g in grafieken {
        charts
            .insert(g.bestand.clone(), g.svg.clone())
            .map_err(|e| RenderError::Chart {
                name: g.bestand.clone(),
                message: e.to_string(),
            })?;
    }
    Ok(charts)
}

fn grafiek(
    nummer: usize,
    naam: &'static str,
    bijschrift: String,
    chart: Result<charts::Chart, charts::ChartError>,
) -> Result<Grafiek, RenderError> {
    let chart = chart.map_err(|e| RenderError::Chart {
        name: naam.to_string(),
        message: e.to_string(),
    })?;
    Ok(Grafiek {
        nummer,
        naam,
        bestand: format!("grafiek-{nummer}-{naam}.svg"),
        titel: chart.title,
        bijschrift,
        beschrijving: chart.description,
        svg: chart.svg,
        tabel: chart.table,
    })
}

/// A count the input guarantees to be zero or more.
fn aantal(n: i64) -> u64 {
    u64::try_from(n).expect("counts are validated as zero or more")
}

/// The data of graph 1, from the engine's figures.
pub fn bandbreedte_data(u: &Uitkomst) -> charts::BandbreedteData {
    charts::BandbreedteData {
        periode: u.periode,
        inwilligingen: u
            .inwilligingen
            .iter()
            .map(|m| charts::MaandAantal {
                jaar: m.maand.jaar,
                maand: m.maand.maand,
                aantal: aantal(m.aantal),
            })
            .collect(),
        peilmoment: u.peilmoment,
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

/// The data of the backlog chart, from the engine's figures. A period's outflow is
/// projected for its months after the last realised one; its backlog at the end is
/// projected from the first such period on.
pub fn achterstand_data(u: &Uitkomst) -> charts::AchterstandData {
    let laatste = u.achterstand.laatste_gerealiseerde_maand;
    let mut geprojecteerd = false;
    charts::AchterstandData {
        tijdvak: charts::Tijdvak::Periode,
        rijen: u
            .achterstand
            .perioden
            .iter()
            .map(|p| {
                let geraamd = p.periode.maanden().filter(|m| *m > laatste).count();
                geprojecteerd |= p.geprojecteerd;
                charts::AchterstandRij {
                    label: p.periode.to_string(),
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
                periode: h.periode,
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

/// The data of the amv chart, from the engine's figures.
pub fn amv_data(u: &Uitkomst) -> charts::AmvData {
    let standen = |reeks: &[engine::AmvStand]| {
        reeks
            .iter()
            .map(|s| charts::AmvStand {
                datum: s.datum,
                plekken: aantal(s.plekken),
            })
            .collect()
    };
    charts::AmvData {
        peilmoment: u.peilmoment,
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
pub fn notitie_grafieken(u: &Uitkomst) -> Result<NotitieGrafieken, RenderError> {
    let id = u.periode;
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

/// The file of the index's history chart, beside the index.
pub const HISTORIE_BESTAND: &str = "grafiek-historie.svg";

/// The history chart of the index: the newest period's history with its own number added.
pub fn index_historie(nieuwste: &Uitkomst) -> Result<Grafiek, RenderError> {
    let mut data = historie_data(nieuwste);
    data.perioden.push(charts::HistoriePeriode {
        periode: nieuwste.periode,
        eerst_bekendgemaakt: u64::try_from(nieuwste.taakstelling.aantal).ok(),
        na_bijstelling: None,
    });
    let eerste: Periode = data
        .perioden
        .first()
        .map_or(nieuwste.periode, |h| h.periode);
    let chart = charts::historie(&data).map_err(|e| RenderError::Chart {
        name: "historie (index)".into(),
        message: e.to_string(),
    })?;
    Ok(Grafiek {
        nummer: 1,
        naam: "historie",
        bestand: HISTORIE_BESTAND.to_string(),
        titel: chart.title,
        bijschrift: format!(
            "De landelijke taakstelling per periode van {eerste} tot en met {}, zoals eerst bekendgemaakt en na bijstelling.",
            nieuwste.periode
        ),
        beschrijving: chart.description,
        svg: chart.svg,
        tabel: chart.table,
    })
}

/// A standalone SVG file: the inline SVG with the XML declaration it needs.
pub fn svg_file(svg: &str) -> String {
    let mut s = String::with_capacity(svg.len() + 64);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(svg);
    if !svg.ends_with('\n') {
        s.push('\n');
    }
    s
}
