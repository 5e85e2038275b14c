//! Criterion benchmarks of the document model: parsing one Markdown text and
//! writing it as HTML, CommonMark and Word, on a realistic document (the
//! memo of 2025-I in the Markdown flavour, `tests/fixtures/document/notitie.md`,
//! with its four charts and, as a second bijlage, the 342-row table of the
//! taakstelling per municipality built from `output/2025-I/verdeling.csv`).
//!
//! ```text
//! cargo bench --bench document
//! ```
//!
//! The PNG fallback of a chart is rendered once per build and shared by every
//! document that shows the chart; `png_*` measure that first rendering, the
//! `docx` benchmarks a document whose charts are rendered already.

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use taakstelling::document::{self, Charts, Metadata, Reference};

const CHARTS: [&str; 4] = [
    "grafiek-1-bandbreedte.svg",
    "grafiek-2-achterstand.svg",
    "grafiek-3-historie.svg",
    "grafiek-4-amv.svg",
];

fn charts() -> Charts {
    let mut charts = Charts::new();
    for name in CHARTS {
        let svg = std::fs::read_to_string(format!("output/2025-I/{name}")).expect("chart");
        charts.insert(name, svg).expect("chart name");
    }
    charts
}

/// The memo plus a bijlage with the taakstelling of every municipality.
fn source() -> String {
    let memo = std::fs::read_to_string("tests/fixtures/document/notitie.md").expect("memo");
    let csv = std::fs::read_to_string("output/2025-I/verdeling.csv").expect("verdeling.csv");
    let mut table = String::from(
        "\n## Bijlage: Taakstelling per gemeente\n\nTabel: Taakstelling 2025-I per gemeente\n\n\
         | Gemeente | Code | Provincie | Inwoners | Taakstelling |\n| --- | --- | --- | ---: | ---: |\n",
    );
    let (mut inwoners, mut taakstelling) = (0u64, 0u64);
    for line in csv.trim_start_matches('\u{feff}').lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        let (i, t): (u64, u64) = (f[3].parse().unwrap(), f[4].parse().unwrap());
        inwoners += i;
        taakstelling += t;
        table.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            f[1], f[0], f[2], i, t
        ));
    }
    table.push_str(&format!(
        "| **Nederland** | | | **{inwoners}** | **{taakstelling}** |\n"
    ));
    memo + &table
}

fn main() {
    let src = source();
    let charts = charts();
    let reference = Reference::default();
    let meta = Metadata::new(
        "HLRT-notitie taakstelling 2025-I",
        "Taakstelling huisvesting vergunninghouders",
    );
    let doc = document::parse(&src, &charts).expect("the benchmark document parses");
    // Render the PNGs once, as the first document of a build would.
    document::to_docx(&doc, &reference, &meta).expect("docx");

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(2000))
        .sample_size(30)
        .without_plots()
        .configure_from_args();
    c.bench_function("document/parse", |b| {
        b.iter(|| document::parse(black_box(&src), &charts).unwrap());
    });
    c.bench_function("document/html", |b| {
        b.iter(|| document::to_html(black_box(&doc)));
    });
    c.bench_function("document/markdown", |b| {
        b.iter(|| document::to_markdown(black_box(&doc)));
    });
    c.bench_function("document/docx", |b| {
        b.iter(|| document::to_docx(black_box(&doc), &reference, &meta).unwrap());
    });
    c.bench_function("document/parse_and_all_writers", |b| {
        b.iter(|| {
            let doc = document::parse(black_box(&src), &charts).unwrap();
            (
                document::to_html(&doc),
                document::to_markdown(&doc),
                document::to_docx(&doc, &reference, &meta).unwrap(),
            )
        });
    });
    c.bench_function("document/reference_default", |b| b.iter(Reference::default));
    for name in CHARTS {
        let svg = std::fs::read_to_string(format!("output/2025-I/{name}")).unwrap();
        c.bench_function(&format!("document/png_{name}"), |b| {
            b.iter(|| {
                // A fresh set each time: the PNG is rendered, not taken from the cache.
                let mut one = Charts::new();
                one.insert(name, svg.as_str()).unwrap();
                let doc = document::parse(&format!("![x]({name})\n\nGrafiek: x\n"), &one).unwrap();
                document::to_docx(&doc, &reference, &meta).unwrap()
            });
        });
    }
    c.bench_function("document/render_pngs_all_four", |b| {
        b.iter(|| {
            // Fresh charts: all four PNGs rendered, spread over the cores.
            let fresh = self::charts();
            fresh.render_pngs();
            fresh
        });
    });
    c.final_summary();
}
