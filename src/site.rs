//! The index of all periods: `output/index.html` and `output/index.md`.
//!
//! The periods newest first, each with its headline figures (from the engine's
//! [`Uitkomst`]) and links to every document its build produced, and the
//! history chart of the newest period (its history holds all earlier periods;
//! the newest period's own number is added to it).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use tera::Context;

use crate::build::{self, BuildError, Gebouwd, Grafiek};
use crate::charts;
use crate::document::Charts;
use crate::engine::Uitkomst;
use crate::kalender::Helft;
use crate::output::Bestand;
use crate::render::Renderer;
use crate::render::formats::{Format, Source};

/// The file of the history chart beside the index.
pub const HISTORIE_BESTAND: &str = "grafiek-historie.svg";

/// One format of a document: a link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Relative to the index: `2025-I/notitie.html`.
    pub href: String,
    /// The file extension: `html`, `md`, `csv`, `svg`.
    pub formaat: String,
}

/// A document of a period in every format it was written in.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The file name without extension (`notitie`); the templates name it.
    pub naam: String,
    pub links: Vec<Link>,
}

/// A chart file of a period.
#[derive(Debug, Clone, Serialize)]
pub struct GrafiekLink {
    pub nummer: u32,
    /// The part after the number: `bandbreedte`.
    pub naam: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexPeriode {
    pub u: Uitkomst,
    pub documenten: Vec<Document>,
    pub grafieken: Vec<GrafiekLink>,
}

/// `grafiek-3-historie.svg` → (3, `historie`).
fn grafiek_naam(bestand: &str) -> Option<(u32, String)> {
    let rest = bestand.strip_prefix("grafiek-")?.strip_suffix(".svg")?;
    let (n, naam) = rest.split_once('-')?;
    Some((n.parse().ok()?, naam.to_string()))
}

/// The documents and charts a period's build produced, in the order it produced them.
fn documenten(g: &Gebouwd) -> (Vec<Document>, Vec<GrafiekLink>) {
    let mut docs: Vec<Document> = Vec::new();
    let mut grafieken = Vec::new();
    for b in &g.bestanden {
        let href = b
            .pad
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bestand = b
            .pad
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some((nummer, naam)) = grafiek_naam(&bestand) {
            grafieken.push(GrafiekLink { nummer, naam, href });
            continue;
        }
        let pad = Path::new(&bestand);
        let naam = pad
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let formaat = pad
            .extension()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let link = Link { href, formaat };
        match docs.iter_mut().find(|d| d.naam == naam) {
            Some(d) => d.links.push(link),
            None => docs.push(Document {
                naam,
                links: vec![link],
            }),
        }
    }
    grafieken.sort_by_key(|g| g.nummer);
    (docs, grafieken)
}

/// The history chart of the index: the newest period's history with its own number added.
fn historie_grafiek(nieuwste: &Uitkomst) -> Result<Grafiek, BuildError> {
    let mut data = build::historie_data(nieuwste);
    let p = crate::kalender::Periode::parse(&nieuwste.periode.id)
        .expect("the engine writes valid period ids");
    data.perioden.push(charts::HistoriePeriode {
        periode: charts::Periode {
            jaar: p.jaar,
            helft: match p.helft {
                Helft::I => charts::Helft::I,
                Helft::II => charts::Helft::II,
            },
        },
        eerst_bekendgemaakt: u64::try_from(nieuwste.taakstelling.aantal).ok(),
        na_bijstelling: None,
    });
    let eerste = data
        .perioden
        .first()
        .map(|h| h.periode.to_string())
        .unwrap_or_default();
    let chart = charts::historie(&data).map_err(|e| BuildError::Chart {
        name: "historie (index)".into(),
        message: e.to_string(),
    })?;
    Ok(Grafiek {
        nummer: 1,
        bestand: HISTORIE_BESTAND.to_string(),
        titel: chart.title,
        bijschrift: format!(
            "De landelijke taakstelling per periode van {eerste} tot en met {}, zoals eerst bekendgemaakt en na bijstelling.",
            nieuwste.periode.id
        ),
        beschrijving: chart.description,
        svg: chart.svg,
        tabel: chart.table,
    })
}

/// The index files (`index.html`, `index.md` and the history chart) for the periods built.
/// The periods may come in any order; the index shows the newest first.
pub fn bouw_index(gebouwd: &[&Gebouwd], renderer: &Renderer) -> Result<Vec<Bestand>, BuildError> {
    // One entry per period; a later duplicate (a file named on the command line) wins.
    let per_periode: BTreeMap<_, &Gebouwd> = gebouwd.iter().map(|g| (g.periode, *g)).collect();
    let perioden: Vec<IndexPeriode> = per_periode
        .values()
        .rev()
        .map(|g| {
            let (documenten, grafieken) = documenten(g);
            IndexPeriode {
                u: g.uitkomst.clone(),
                documenten,
                grafieken,
            }
        })
        .collect();
    let Some(nieuwste) = perioden.first() else {
        return Ok(Vec::new());
    };
    let historie = historie_grafiek(&nieuwste.u)?;
    let mut context = Context::new();
    context.insert("perioden", &perioden);
    context.insert("historie", &historie);
    context.insert("versie", env!("CARGO_PKG_VERSION"));
    let mut charts = Charts::new();
    charts
        .insert(HISTORIE_BESTAND, historie.svg.clone())
        .map_err(|e| BuildError::Chart {
            name: HISTORIE_BESTAND.into(),
            message: e.to_string(),
        })?;
    let source = Source {
        name: "index",
        context: &context,
    };
    let mut bestanden: Vec<Bestand> = renderer
        .render_folder(&[source], &charts, &[Format::Html, Format::Markdown], 0)?
        .into_iter()
        .map(|(naam, inhoud)| Bestand::new(naam, inhoud))
        .collect();
    bestanden.push(Bestand::new(
        HISTORIE_BESTAND,
        build::svg_bestand(&historie.svg),
    ));
    Ok(bestanden)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_chart_file_names() {
        assert_eq!(
            grafiek_naam("grafiek-3-historie.svg"),
            Some((3, "historie".to_string()))
        );
        assert_eq!(grafiek_naam("notitie.html"), None);
        assert_eq!(grafiek_naam("grafiek-x-y.svg"), None);
    }
}
