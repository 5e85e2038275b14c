//! Criterion benchmarks of every stage of a period's build, each on two periods:
//!
//! - `2025-I`: the reference period of `inputs/` (18 months of grants, history since 2015-I);
//! - `2074-II`: the 100th period written by the synthetic generator
//!   (`support/synthetic.rs`), whose series have grown for 50 years (612 months of
//!   grants, 119 periods of history, 100 amv realisations), to show how each stage
//!   grows with the history.
//!
//! ```text
//! cargo bench --bench stages               # everything, a few minutes on 2 cores
//! cargo bench --bench stages -- render     # the stages whose name contains "render"
//! ```
//!
//! Writing files is not measured here (it is the operating system's work); the
//! whole `build` command, writing included, is measured with hyperfine (README).

#[path = "support/synthetic.rs"]
mod synthetic;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::Criterion;
use taakstelling::charts;
use taakstelling::document::Charts;
use taakstelling::engine::bekendmaking::{Bekendmaking, bekendmaking};
use taakstelling::engine::verdeling::peildatum_for_period;
use taakstelling::engine::{self, Uitkomst};
use taakstelling::input::BEVOLKING_FOLDER;
use taakstelling::input::BevolkingCache;
use taakstelling::input::bevolking::{Bevolking, load_bevolking};
use taakstelling::input::{self, Invoer};
use taakstelling::render::context::{
    self, NotitieContext, NotitieGrafieken, PublicatieContext, TemplateContext, VERSIE,
};
use taakstelling::render::{Renderer, verdeling_csv};
use taakstelling::site;
use tera::Context;

/// A period with every intermediate result, so that each stage can be measured alone.
struct Periode {
    naam: String,
    pad: PathBuf,
    inputs: PathBuf,
    invoer: Invoer,
    bevolking: Bevolking,
    uitkomst: Uitkomst,
    bekendmaking: Bekendmaking,
    grafieken: NotitieGrafieken,
    /// The memo's charts for the document parser, their PNGs rendered.
    charts: Charts,
    notitie: Context,
    publicatie: Context,
}

impl Periode {
    fn new(pad: PathBuf, inputs: &Path) -> Periode {
        let b = site::compute_period(&pad, &BevolkingCache::new(inputs))
            .unwrap_or_else(|e| panic!("{}: {e:?}", pad.display()));
        let bevolking = load_bevolking(
            &inputs.join(BEVOLKING_FOLDER),
            peildatum_for_period(b.invoer.periode.jaar),
        )
        .expect("population");
        let grafieken = context::notitie_grafieken(&b.uitkomst).expect("charts");
        let charts = context::document_charts(grafieken.alle()).expect("charts");
        charts.render_pngs();
        let notitie = notitie_context(&b.uitkomst, &b.bekendmaking, &grafieken);
        let pb = &b.invoer.publicaties;
        let publicatie = Context::from_serialize(&PublicatieContext {
            u: &b.uitkomst,
            verdeling: &b.bekendmaking,
            periode_naam: context::periode_naam(b.invoer.periode),
            ministerie: &pb.ministerie,
            ondertekening: &pb.ondertekening,
            bekendmaking: &pb.bekendmaking,
            circulaire: &pb.circulaire,
            versie: VERSIE,
        })
        .expect("context");
        Periode {
            naam: b.invoer.periode.to_string(),
            pad,
            inputs: inputs.to_path_buf(),
            invoer: b.invoer,
            bevolking,
            uitkomst: b.uitkomst,
            bekendmaking: b.bekendmaking,
            grafieken,
            charts,
            notitie,
            publicatie,
        }
    }
}

fn stages(c: &mut Criterion, perioden: &[Periode]) {
    let renderer = Renderer::new(None).expect("templates");
    c.bench_function("templates_compile", |b| {
        b.iter(|| Renderer::new(black_box(None)).expect("templates"));
    });

    let mut g = c.benchmark_group("load_period");
    for p in perioden {
        g.bench_function(&p.naam, |b| b.iter(|| input::load(black_box(&p.pad))));
    }
    g.finish();

    let mut g = c.benchmark_group("load_population");
    for p in perioden {
        let dir = p.inputs.join(BEVOLKING_FOLDER);
        let jaar = p.bevolking.peildatum_jaar;
        g.bench_function(&p.naam, |b| {
            b.iter(|| load_bevolking(black_box(&dir), jaar).expect("population"));
        });
    }
    g.finish();

    let mut g = c.benchmark_group("engine");
    for p in perioden {
        g.bench_function(&p.naam, |b| {
            b.iter(|| engine::bereken(black_box(&p.invoer)));
        });
    }
    g.finish();

    let mut g = c.benchmark_group("distribution");
    for p in perioden {
        g.bench_function(&p.naam, |b| {
            b.iter(|| bekendmaking(black_box(&p.invoer), black_box(&p.bevolking)));
        });
    }
    g.finish();

    let mut g = c.benchmark_group("chart_bandbreedte");
    for p in perioden {
        let data = context::bandbreedte_data(&p.uitkomst);
        g.bench_function(&p.naam, |b| {
            b.iter(|| charts::bandbreedte(black_box(&data)));
        });
    }
    g.finish();
    let mut g = c.benchmark_group("chart_achterstand");
    for p in perioden {
        let data = context::achterstand_data(&p.uitkomst);
        g.bench_function(&p.naam, |b| {
            b.iter(|| charts::achterstand(black_box(&data)));
        });
    }
    g.finish();
    let mut g = c.benchmark_group("chart_historie");
    for p in perioden {
        let data = context::historie_data(&p.uitkomst);
        g.bench_function(&p.naam, |b| b.iter(|| charts::historie(black_box(&data))));
    }
    g.finish();
    let mut g = c.benchmark_group("chart_amv");
    for p in perioden {
        let data = context::amv_data(&p.uitkomst);
        g.bench_function(&p.naam, |b| {
            b.iter(|| charts::amv_capaciteit(black_box(&data)));
        });
    }
    g.finish();

    let mut g = c.benchmark_group("template_context");
    for p in perioden {
        g.bench_function(&p.naam, |b| {
            b.iter(|| notitie_context(&p.uitkomst, &p.bekendmaking, &p.grafieken));
        });
    }
    g.finish();

    // Each document: its template filled in and parsed once, then each format
    // written from the model (Word with its charts' PNGs already rendered).
    let documenten = NotitieContext::DOCUMENTEN
        .iter()
        .map(|d| (*d, true))
        .chain(PublicatieContext::DOCUMENTEN.iter().map(|d| (*d, false)));
    let naast: Vec<&str> = NotitieContext::DOCUMENTEN
        .iter()
        .chain(PublicatieContext::DOCUMENTEN)
        .copied()
        .collect();
    for (naam, notitie) in documenten {
        let mut g = c.benchmark_group(format!("fill_{naam}"));
        for p in perioden {
            let context = if notitie { &p.notitie } else { &p.publicatie };
            g.bench_function(&p.naam, |b| {
                b.iter(|| {
                    renderer
                        .fill(naam, black_box(context), &p.charts, &naast)
                        .expect("fill")
                });
            });
        }
        g.finish();
        for format in NotitieContext::FORMATEN {
            let mut g = c.benchmark_group(format!("write_{naam}.{}", format.extension()));
            for p in perioden {
                let context = if notitie { &p.notitie } else { &p.publicatie };
                let mut filled = renderer
                    .fill(naam, context, &p.charts, &naast)
                    .expect("fill");
                g.bench_function(&p.naam, |b| {
                    b.iter(|| renderer.write(&mut filled, *format).expect("write"));
                });
            }
            g.finish();
        }
    }
    // The PNG fallback of each chart, rendered once per build for Word.
    for nummer in 0..4 {
        let mut g = c.benchmark_group(format!(
            "png_{}",
            perioden[0].grafieken.alle()[nummer].bestand
        ));
        for p in perioden {
            let grafiek = p.grafieken.alle()[nummer];
            g.bench_function(&p.naam, |b| {
                b.iter(|| {
                    let charts = context::document_charts([grafiek]).expect("chart");
                    charts.render_pngs();
                    charts
                });
            });
        }
        g.finish();
    }
    let mut g = c.benchmark_group(format!("render_{}", verdeling_csv::BESTAND));
    for p in perioden {
        g.bench_function(&p.naam, |b| {
            b.iter(|| verdeling_csv::verdeling_csv(black_box(&p.bekendmaking), None));
        });
    }
    g.finish();

    // The whole document set of one period, as `build` makes it (without writing):
    // read and check the input and the population table, compute, draw, render.
    let mut g = c.benchmark_group("period_document_set");
    for p in perioden {
        g.bench_function(&p.naam, |b| {
            b.iter(|| {
                let bevolking = BevolkingCache::new(&p.inputs);
                site::build_period(black_box(&p.pad), &bevolking, &renderer).expect("build")
            });
        });
    }
    g.finish();
}

fn main() {
    let synthetisch = std::env::temp_dir().join(format!(
        "taakstelling-bench-synthetisch-{}",
        std::process::id()
    ));
    let paden = synthetic::write(&synthetic::Options {
        perioden: 100,
        out: synthetisch.clone(),
        inputs: PathBuf::from("inputs"),
        seed: 2025,
        venster_jaren: None,
    })
    .expect("synthetic inputs");
    let perioden = [
        Periode::new(PathBuf::from("inputs/2025-I.yaml"), Path::new("inputs")),
        Periode::new(paden.last().expect("100 periods").clone(), &synthetisch),
    ];

    // Short runs: every stage takes micro- to milliseconds, so 1.5 seconds give
    // enough samples, and the whole suite (35 benchmarks) stays around two minutes
    // on 2 cores. No plots: drawing them takes longer than some measurements.
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(30)
        .without_plots()
        .configure_from_args();
    stages(&mut c, &perioden);
    c.final_summary();
    let _ = std::fs::remove_dir_all(&synthetisch);
}

/// The memo's template context as the build makes it: the typed context in Tera's values.
fn notitie_context(u: &Uitkomst, b: &Bekendmaking, grafieken: &NotitieGrafieken) -> Context {
    Context::from_serialize(&NotitieContext {
        u,
        s: &engine::uitspraken::uitspraken(u),
        verdeling: b,
        grafieken,
        versie: VERSIE,
    })
    .expect("context")
}
