//! Chart tests on realistic fixture data: snapshots of every chart's SVG and
//! text, well-formed XML with the accessibility elements, determinism; the
//! label collision check and the legend check on the example periods and on
//! many synthetic ones (property tests); the source line; dashed lines drawn
//! whole.
//!
//! Set `CHARTS_OUT_DIR=/some/dir` to also write the SVGs and an HTML page
//! with all of them there, for looking at them in a browser.

use std::path::PathBuf;

use proptest::prelude::*;
use taakstelling::charts::geometry::{self, Geometry};
use taakstelling::charts::{
    self, AchterstandData, AchterstandRij, AmvData, AmvStand, BandbreedteData, Bron, Chart, Datum,
    Helft, HistorieData, HistoriePeriode, MaandAantal, Periode, Tijdvak,
};

fn bron(onderwerp: &str, tekst: &str, illustratief: bool) -> Bron {
    Bron {
        onderwerp: onderwerp.into(),
        tekst: tekst.into(),
        illustratief,
    }
}

/// Graph 1 of the reference memo (2025-I). The scenarios and the
/// taakstelling are the memo's; the monthly grants are illustrative, chosen
/// so that the last 12 months average 2.950 (× 6 = 17.700, scenario 1).
fn bandbreedte_2025_i() -> BandbreedteData {
    let maanden: [(i32, u32, u64); 18] = [
        (2023, 4, 2_650),
        (2023, 5, 2_900),
        (2023, 6, 3_050),
        (2023, 7, 2_700),
        (2023, 8, 3_150),
        (2023, 9, 3_300),
        (2023, 10, 3_400),
        (2023, 11, 3_250),
        (2023, 12, 2_600),
        (2024, 1, 3_100),
        (2024, 2, 2_750),
        (2024, 3, 2_900),
        (2024, 4, 3_050),
        (2024, 5, 3_200),
        (2024, 6, 2_850),
        (2024, 7, 3_000),
        (2024, 8, 2_900),
        (2024, 9, 2_400),
    ];
    BandbreedteData {
        periode: Periode {
            jaar: 2025,
            helft: Helft::I,
        },
        inwilligingen: maanden
            .iter()
            .map(|&(jaar, maand, aantal)| MaandAantal {
                jaar,
                maand,
                aantal,
            })
            .collect(),
        peilmoment: Datum {
            jaar: 2024,
            maand: 10,
            dag: 1,
        },
        scenario_1: 17_700,
        // The 12 months before the peilmoment: 35.400 grants.
        scenario_1_maanden: 12,
        gemiddelde_per_maand: 2_950,
        scenario_2: 23_800,
        taakstelling: 17_700,
        bronnen: vec![
            bron("de inwilligingen", "IND, maandcijfers inwilligingen", true),
            bron("scenario 2", "IND-productieplan T2 2024, MPP 2024-2", true),
        ],
    }
}

/// Taakstelling per year from the period history (2022: 10.000 + 13.500;
/// 2023: 21.200 + 17.600; 2024: 18.750 + 17.000); outflow and backlog are
/// illustrative, ending at the memo's 12.500 for the end of 2024 (the
/// outflow of its last four months projected).
fn achterstand_2022_2024() -> AchterstandData {
    let rij = |label: &str, ts, uit, eind, proj: u32| AchterstandRij {
        label: String::from(label),
        taakstelling: ts,
        uitstroom: uit,
        uitstroom_geprojecteerde_maanden: proj,
        achterstand_eind: eind,
        geprojecteerd: proj > 0,
    };
    AchterstandData {
        tijdvak: Tijdvak::Jaar,
        rijen: vec![
            rij("2022", 23_500, 24_200, 3_028, 0),
            rij("2023", 38_800, 35_100, 6_728, 0),
            rij("2024", 35_750, 29_978, 12_500, 4),
        ],
        bronnen: vec![
            bron(
                "de taakstelling",
                "persberichten van de Rijksoverheid en nieuwsberichten",
                false,
            ),
            bron("de uitstroom en de achterstand", "COA", true),
        ],
    }
}

fn stand(jaar: i32, maand: u32, dag: u32, plekken: u64) -> AmvStand {
    AmvStand {
        datum: Datum { jaar, maand, dag },
        plekken,
    }
}

/// The memo's amv need (about 3.000 on 1 July 2025, about 3.500 at the end
/// of 2025); the need on the peilmoment and the realised places are
/// illustrative.
fn amv_2025() -> AmvData {
    AmvData {
        peilmoment: Datum {
            jaar: 2025,
            maand: 1,
            dag: 1,
        },
        behoefte: vec![
            stand(2025, 1, 1, 2_800),
            stand(2025, 7, 1, 3_000),
            stand(2025, 12, 31, 3_500),
        ],
        realisatie: vec![
            stand(2024, 1, 1, 1_950),
            stand(2024, 7, 1, 2_150),
            stand(2025, 1, 1, 2_350),
        ],
        bronnen: vec![bron("de plekken", "Nidos", true)],
    }
}

/// shared/data/taakstelling_landelijk.csv, 2015-I to 2026-I.
fn historie_2015_2026() -> HistorieData {
    let rows: [(i32, Helft, Option<u64>, Option<u64>); 23] = [
        (2015, Helft::I, Some(14_000), None),
        (2015, Helft::II, Some(14_900), None),
        (2016, Helft::I, Some(20_000), None),
        (2016, Helft::II, Some(23_000), None),
        (2017, Helft::I, Some(13_000), None),
        (2017, Helft::II, Some(10_000), None),
        (2018, Helft::I, Some(13_000), None),
        (2018, Helft::II, Some(8_000), Some(11_000)),
        (2019, Helft::I, Some(8_000), Some(6_000)),
        (2019, Helft::II, Some(6_000), None),
        (2020, Helft::I, Some(5_500), None),
        (2020, Helft::II, Some(6_500), None),
        (2021, Helft::I, None, None),
        (2021, Helft::II, Some(13_500), Some(11_000)),
        (2022, Helft::I, Some(10_000), None),
        (2022, Helft::II, Some(13_500), None),
        (2023, Helft::I, Some(21_200), None),
        (2023, Helft::II, Some(27_300), Some(17_600)),
        (2024, Helft::I, Some(18_750), None),
        (2024, Helft::II, Some(17_000), None),
        (2025, Helft::I, Some(17_700), Some(15_000)),
        (2025, Helft::II, Some(13_000), None),
        (2026, Helft::I, Some(15_000), None),
    ];
    HistorieData {
        perioden: rows
            .iter()
            .map(|&(jaar, helft, a, b)| HistoriePeriode {
                periode: Periode { jaar, helft },
                eerst_bekendgemaakt: a,
                na_bijstelling: b,
            })
            .collect(),
        bronnen: vec![bron(
            "de taakstelling",
            "persberichten van de Rijksoverheid en nieuwsberichten",
            false,
        )],
    }
}

fn all_charts() -> Vec<Chart> {
    vec![
        charts::bandbreedte(&bandbreedte_2025_i()).unwrap(),
        charts::achterstand(&achterstand_2022_2024()).unwrap(),
        charts::amv_capaciteit(&amv_2025()).unwrap(),
        charts::historie(&historie_2015_2026()).unwrap(),
    ]
}

/// Title, description and table of a chart as reviewable text.
fn text_of(chart: &Chart) -> String {
    format!(
        "id: {}\ntitle: {}\n\ndescription:\n{}\n\ntable:\n{}",
        chart.id,
        chart.title,
        chart.description,
        chart.table.to_markdown()
    )
}

#[test]
fn bandbreedte_snapshot() {
    let chart = charts::bandbreedte(&bandbreedte_2025_i()).unwrap();
    insta::assert_snapshot!("bandbreedte_text", text_of(&chart));
    insta::assert_snapshot!("bandbreedte_svg", chart.svg);
}

#[test]
fn achterstand_snapshot() {
    let chart = charts::achterstand(&achterstand_2022_2024()).unwrap();
    insta::assert_snapshot!("achterstand_text", text_of(&chart));
    insta::assert_snapshot!("achterstand_svg", chart.svg);
}

#[test]
fn amv_snapshot() {
    let chart = charts::amv_capaciteit(&amv_2025()).unwrap();
    insta::assert_snapshot!("amv_text", text_of(&chart));
    insta::assert_snapshot!("amv_svg", chart.svg);
}

#[test]
fn historie_snapshot() {
    let chart = charts::historie(&historie_2015_2026()).unwrap();
    insta::assert_snapshot!("historie_text", text_of(&chart));
    insta::assert_snapshot!("historie_svg", chart.svg);
}

/// Checks that `svg` is well-formed XML whose root is an accessible image:
/// role="img", a viewBox, `<title>` and `<desc>` as the first two children,
/// both named by aria-labelledby, and no XML declaration.
fn assert_accessible_svg(chart: &Chart) {
    let svg = &chart.svg;
    assert!(svg.starts_with("<svg "), "{}: no XML declaration", chart.id);
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("{}: not well-formed XML: {e}", chart.id));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("role"), Some("img"));
    let (w, h) = (
        root.attribute("width").unwrap(),
        root.attribute("height").unwrap(),
    );
    assert_eq!(w, "760");
    assert_eq!(
        root.attribute("viewBox"),
        Some(format!("0 0 {w} {h}").as_str())
    );
    assert!(root.attribute("style").unwrap().contains("max-width:100%"));
    let children: Vec<_> = root
        .children()
        .filter(roxmltree::Node::is_element)
        .collect();
    assert_eq!(children[0].tag_name().name(), "title");
    assert_eq!(children[1].tag_name().name(), "desc");
    assert_eq!(children[0].text(), Some(chart.title.as_str()));
    assert_eq!(children[1].text(), Some(chart.description.as_str()));
    let labelled_by: Vec<&str> = root
        .attribute("aria-labelledby")
        .unwrap()
        .split(' ')
        .collect();
    assert_eq!(
        labelled_by,
        [
            children[0].attribute("id").unwrap(),
            children[1].attribute("id").unwrap()
        ]
    );
    // Every text element has a font and a position; none is empty.
    for t in root.descendants().filter(|n| n.has_tag_name("text")) {
        assert!(t.attribute("font-family").is_some());
        assert!(t.attribute("font-size").unwrap().parse::<f64>().is_ok());
        assert!(!t.text().unwrap_or("").trim().is_empty());
    }
}

#[test]
fn every_chart_is_well_formed_and_accessible() {
    for chart in all_charts() {
        assert_accessible_svg(&chart);
    }
}

#[test]
fn ids_are_unique_across_the_charts_of_a_document() {
    let mut ids = Vec::new();
    for chart in all_charts() {
        let doc = roxmltree::Document::parse(&chart.svg).unwrap();
        ids.extend(
            doc.descendants()
                .filter_map(|n| n.attribute("id"))
                .map(String::from),
        );
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids: {ids:?}");
    assert_eq!(count, 8);
}

#[test]
fn rendering_twice_gives_the_same_bytes() {
    let a = all_charts();
    let b = all_charts();
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.svg.as_bytes(), y.svg.as_bytes(), "{}", x.id);
        assert_eq!(x, y);
    }
}

#[test]
fn markup_in_labels_is_escaped() {
    let mut data = achterstand_2022_2024();
    data.rijen[0].label = "<b>2022</b> & \"x\"".into();
    let chart = charts::achterstand(&data).unwrap();
    assert_accessible_svg(&chart);
    assert!(!chart.svg.contains("<b>"));
    assert!(chart.svg.contains("&lt;b&gt;2022&lt;/b&gt; &amp;"));
}

#[test]
fn charts_serialise_for_templates() {
    let chart = charts::amv_capaciteit(&amv_2025()).unwrap();
    let mut ctx = tera::Context::new();
    ctx.insert("chart", &chart);
    let out = tera::Tera::one_off(
        "{{ chart.title }}|{{ chart.table.headers[2] }}|{{ chart.table.rows[3][2] }}|{{ chart.svg | safe }}",
        &ctx,
        true,
    )
    .unwrap();
    assert_eq!(
        out,
        format!(
            "Capaciteitsbehoefte opvang amv|Gerealiseerde plekken|nog niet bekend|{}",
            chart.svg
        )
    );
}

#[test]
fn write_files_for_visual_check() {
    let Some(dir) = std::env::var_os("CHARTS_OUT_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut page = String::from(
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Grafieken</title>\
         <style>body{font-family:Arial,sans-serif;margin:20px;max-width:800px}</style></head><body>\n",
    );
    for (i, chart) in edge_cases().iter().enumerate() {
        std::fs::write(dir.join(format!("extra-{i}.svg")), &chart.svg).unwrap();
        std::fs::write(
            dir.join(format!("extra-{i}.html")),
            format!(
                "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{i}</title>\
                 <style>body{{margin:0}}</style></head><body>\n{}</body></html>\n",
                chart.svg
            ),
        )
        .unwrap();
    }
    for chart in all_charts() {
        std::fs::write(dir.join(format!("{}.svg", chart.id)), &chart.svg).unwrap();
        std::fs::write(
            dir.join(format!("{}.html", chart.id)),
            format!(
                "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{}</title>\
                 <style>body{{margin:0}}</style></head><body>\n{}</body></html>\n",
                chart.id, chart.svg
            ),
        )
        .unwrap();
        page.push_str(&format!("<figure>{}</figure>\n", chart.svg));
    }
    page.push_str("</body></html>\n");
    std::fs::write(dir.join("alle.html"), page).unwrap();
}

/// Unusual but valid inputs, to look at (see `write_files_for_visual_check`)
/// and to check that they render well-formed.
fn edge_cases() -> Vec<Chart> {
    edge_case_data()
        .into_iter()
        .map(|d| match d {
            Data::Bandbreedte(d) => charts::bandbreedte(&d).unwrap(),
            Data::Achterstand(d) => charts::achterstand(&d).unwrap(),
            Data::Amv(d) => charts::amv_capaciteit(&d).unwrap(),
            Data::Historie(d) => charts::historie(&d).unwrap(),
        })
        .collect()
}

/// The data of any chart, to run the same checks over all of them.
#[derive(Debug, Clone)]
enum Data {
    Bandbreedte(BandbreedteData),
    Achterstand(AchterstandData),
    Amv(AmvData),
    Historie(HistorieData),
}

impl Data {
    fn geometry(&self) -> Geometry {
        match self {
            Data::Bandbreedte(d) => geometry::bandbreedte(d).unwrap(),
            Data::Achterstand(d) => geometry::achterstand(d).unwrap(),
            Data::Amv(d) => geometry::amv_capaciteit(d).unwrap(),
            Data::Historie(d) => geometry::historie(d).unwrap(),
        }
    }
    fn chart(&self) -> Chart {
        match self {
            Data::Bandbreedte(d) => charts::bandbreedte(d).unwrap(),
            Data::Achterstand(d) => charts::achterstand(d).unwrap(),
            Data::Amv(d) => charts::amv_capaciteit(d).unwrap(),
            Data::Historie(d) => charts::historie(d).unwrap(),
        }
    }
}

fn edge_case_data() -> Vec<Data> {
    let mut out = Vec::new();
    // Taakstelling inside the band, three years of history.
    let mut d = bandbreedte_2025_i();
    d.taakstelling = 20_600;
    d.periode = Periode {
        jaar: 2025,
        helft: Helft::II,
    };
    d.peilmoment = Datum {
        jaar: 2025,
        maand: 1,
        dag: 1,
    };
    let mut maanden = Vec::new();
    for i in 0..36 {
        let (jaar, maand) = (2022 + i / 12, (i % 12) as u32 + 1);
        maanden.push(MaandAantal {
            jaar,
            maand,
            aantal: 2_000 + (i as u64 * 137) % 1_900,
        });
    }
    d.inwilligingen = maanden;
    out.push(Data::Bandbreedte(d));
    // Exactly 12 months, scenario 2 below scenario 1, taakstelling above both.
    let mut d = bandbreedte_2025_i();
    d.inwilligingen.drain(..6);
    d.scenario_2 = 15_100;
    d.taakstelling = 25_000;
    out.push(Data::Bandbreedte(d));
    // Eight periods, an advance, long labels.
    let rijen = (0..8)
        .map(|i| AchterstandRij {
            label: format!("{}-{}", 2021 + i / 2, if i % 2 == 0 { "I" } else { "II" }),
            taakstelling: 10_000 + i as u64 * 1_500,
            uitstroom: 12_500 + i as u64 * 500,
            uitstroom_geprojecteerde_maanden: if i == 7 { 2 } else { 0 },
            achterstand_eind: -2_500 + i * 900,
            geprojecteerd: i == 7,
        })
        .collect();
    out.push(Data::Achterstand(AchterstandData {
        tijdvak: Tijdvak::Periode,
        rijen,
        bronnen: achterstand_2022_2024().bronnen,
    }));
    // Amv: close dates, realised above needed once, no realisation at the end.
    out.push(Data::Amv(AmvData {
        peilmoment: Datum {
            jaar: 2025,
            maand: 6,
            dag: 1,
        },
        behoefte: vec![
            stand(2025, 6, 1, 2_900),
            stand(2025, 7, 1, 3_000),
            stand(2025, 12, 31, 3_500),
        ],
        realisatie: vec![stand(2025, 6, 1, 3_050)],
        bronnen: vec![],
    }));
    // Sixteen periods, the last three projected: labels thinned.
    let rijen = (0..16)
        .map(|i| AchterstandRij {
            label: format!("{}-{}", 2018 + i / 2, if i % 2 == 0 { "I" } else { "II" }),
            taakstelling: 9_000 + i as u64 * 700,
            uitstroom: 8_500 + i as u64 * 600,
            uitstroom_geprojecteerde_maanden: match i {
                13 => 3,
                14 | 15 => 6,
                _ => 0,
            },
            achterstand_eind: 500 + i * 450,
            geprojecteerd: i >= 13,
        })
        .collect();
    out.push(Data::Achterstand(AchterstandData {
        tijdvak: Tijdvak::Periode,
        rijen,
        bronnen: vec![],
    }));
    // Ten years of monthly history: month labels give way to the years.
    let mut d = bandbreedte_2025_i();
    d.inwilligingen = (0..120)
        .map(|i| MaandAantal {
            jaar: 2014 + i / 12,
            maand: (i % 12) as u32 + 1,
            aantal: 1_000 + (i as u64 * 211) % 3_000,
        })
        .collect();
    d.peilmoment = Datum {
        jaar: 2024,
        maand: 1,
        dag: 1,
    };
    out.push(Data::Bandbreedte(d));
    // Historie starting with a II period, unknown at the end.
    let mut h = historie_2015_2026();
    h.perioden.remove(0);
    h.perioden.last_mut().unwrap().eerst_bekendgemaakt = None;
    out.push(Data::Historie(h));
    // One period with huge numbers and an advance; many with tiny ones.
    let rij = |label: &str, ts, uit, eind, proj| AchterstandRij {
        label: label.into(),
        taakstelling: ts,
        uitstroom: uit,
        uitstroom_geprojecteerde_maanden: proj,
        achterstand_eind: eind,
        geprojecteerd: proj > 0,
    };
    out.push(Data::Achterstand(AchterstandData {
        tijdvak: Tijdvak::Periode,
        rijen: vec![rij("2031-I", 87_000_000, 91_500_000, -4_500_000, 6)],
        bronnen: vec![],
    }));
    out.push(Data::Achterstand(AchterstandData {
        tijdvak: Tijdvak::Jaar,
        rijen: (0..12)
            .map(|i| rij(&(2020 + i).to_string(), i as u64 % 4, 3, 2 - i % 5, 0))
            .collect(),
        bronnen: vec![],
    }));
    // A gap in the grants and a long hostile source text.
    let mut d = bandbreedte_2025_i();
    d.inwilligingen
        .retain(|m| !(m.jaar == 2024 && (3..=5).contains(&m.maand)));
    d.bronnen = vec![bron(
        "de inwilligingen",
        &format!(
            "<script>alert(1)</script> & {}",
            "heel lange bronvermelding ".repeat(12)
        ),
        false,
    )];
    out.push(Data::Bandbreedte(d));
    out
}

#[test]
fn edge_cases_are_well_formed() {
    for chart in edge_cases() {
        assert_accessible_svg(&chart);
    }
}

#[test]
fn crowded_labels_give_way_but_the_latest_stays() {
    let cases = edge_cases();
    // 36 months: the shaded period is too narrow for "Periode 2025-II".
    assert!(cases[0].svg.contains(">2025-II<"));
    assert!(!cases[0].svg.contains(">Periode 2025-II<"));
    // Sixteen periods: bar values do not fit and are left out; the latest
    // backlog figure stays.
    let achterstand = &cases[4].svg;
    assert!(achterstand.contains(">7.250<"));
    assert!(achterstand.contains(">2025-II<"));
    assert!(!achterstand.contains(">2025-I<"));
    // Ten years of months: month labels only at January; the period's year
    // keeps its label.
    let bandbreedte = &cases[5].svg;
    assert!(bandbreedte.contains(">2025<"));
    assert!(!bandbreedte.contains(">jul<"));
}

/// No label touches a bar, a line, a marker or another label, and the legend
/// shows exactly the looks of the marks drawn.
fn assert_clean(name: &str, g: &Geometry) {
    let c = g.collisions();
    assert!(c.is_empty(), "{name}: {c:#?}");
    let l = g.legend_mismatches();
    assert!(l.is_empty(), "{name}: {l:#?}");
}

/// The same check written out here, against the boxes themselves: every
/// label's box against every bar, every line segment and every other label.
fn assert_no_overlap(name: &str, g: &Geometry) {
    for (i, label) in g.labels.iter().enumerate() {
        let r = label.rect;
        for b in &g.bars {
            let apart = r.x1 <= b.x0 || b.x1 <= r.x0 || r.y1 <= b.y0 || b.y1 <= r.y0;
            assert!(apart, "{name}: label {:?} on bar {b:?}", label.text);
        }
        for s in &g.lines {
            // Sample the segment densely; every sample keeps half the line's
            // width away from the box.
            for k in 0..=200 {
                let t = f64::from(k) / 200.0;
                let (x, y) = (s.a.0 + t * (s.b.0 - s.a.0), s.a.1 + t * (s.b.1 - s.a.1));
                let dx = (r.x0 - x).max(x - r.x1).max(0.0);
                let dy = (r.y0 - y).max(y - r.y1).max(0.0);
                assert!(
                    dx.hypot(dy) >= s.width / 2.0,
                    "{name}: line {s:?} through label {:?}",
                    label.text
                );
            }
        }
        for other in &g.labels[i + 1..] {
            let o = other.rect;
            let apart = r.x1 <= o.x0 || o.x1 <= r.x0 || r.y1 <= o.y0 || o.y1 <= r.y0;
            assert!(
                apart,
                "{name}: labels {:?} and {:?}",
                label.text, other.text
            );
        }
    }
}

/// Every label in the geometry is a text in the SVG.
fn assert_labels_drawn(name: &str, g: &Geometry, svg: &str) {
    for label in &g.labels {
        let escaped = label.text.replace('&', "&amp;").replace('<', "&lt;");
        assert!(
            svg.contains(&format!(">{escaped}</text>")),
            "{name}: label {:?} not in the SVG",
            label.text
        );
    }
}

fn check_all(name: &str, data: &Data) {
    let g = data.geometry();
    assert_clean(name, &g);
    assert_no_overlap(name, &g);
    let chart = data.chart();
    assert_labels_drawn(name, &g, &chart.svg);
    assert_lines_whole(name, &chart.svg);
}

/// A line is drawn as one element: no two polylines of the same stroke
/// continue one another (as a dashed line split into dashes would).
fn assert_lines_whole(name: &str, svg: &str) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let lines: Vec<(String, Vec<&str>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .map(|n| {
            let style = ["stroke", "stroke-width", "stroke-dasharray"]
                .iter()
                .map(|a| n.attribute(*a).unwrap_or(""))
                .collect::<Vec<_>>()
                .join("|");
            (style, n.attribute("points").unwrap().split(' ').collect())
        })
        .collect();
    for w in lines.windows(2) {
        let ((sa, pa), (sb, pb)) = (&w[0], &w[1]);
        if sa == sb && !sa.ends_with('|') {
            assert_ne!(pa.last(), pb.first(), "{name}: a dashed line in pieces");
        }
    }
}

#[test]
fn fixtures_and_edge_cases_have_free_labels_and_true_legends() {
    let fixtures = [
        Data::Bandbreedte(bandbreedte_2025_i()),
        Data::Achterstand(achterstand_2022_2024()),
        Data::Amv(amv_2025()),
        Data::Historie(historie_2015_2026()),
    ];
    for (i, d) in fixtures.iter().chain(&edge_case_data()).enumerate() {
        check_all(&format!("case {i}"), d);
    }
}

/// The example periods, through the engine as a build computes them.
fn example(periode: &str) -> taakstelling::engine::Uitkomst {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let inputs = repo.join("inputs");
    taakstelling::site::compute_period(
        &inputs.join(format!("{periode}.yaml")),
        &taakstelling::input::BevolkingCache::new(&inputs),
    )
    .unwrap_or_else(|e| panic!("{periode}: {e}"))
    .uitkomst
}

#[test]
fn example_periods_have_free_labels_and_true_legends() {
    use taakstelling::render::context;
    for periode in ["2025-I", "2025-II"] {
        let u = example(periode);
        let all = [
            Data::Bandbreedte(context::bandbreedte_data(&u)),
            Data::Achterstand(context::achterstand_data(&u)),
            Data::Amv(context::amv_data(&u)),
            Data::Historie(context::historie_data(&u)),
        ];
        for d in &all {
            check_all(periode, d);
        }
    }
}

#[test]
fn graph_2_of_2025_ii_shows_its_figures_without_covering_anything() {
    let u = example("2025-II");
    let data = taakstelling::render::context::achterstand_data(&u);
    // Both periods' outflow is (partly) projected, so every backlog is.
    assert_eq!(data.rijen[0].uitstroom_geprojecteerde_maanden, 4);
    assert_eq!(data.rijen[1].uitstroom_geprojecteerde_maanden, 6);
    let g = geometry::achterstand(&data).unwrap();
    let texts: Vec<&str> = g.labels.iter().map(|l| l.text.as_str()).collect();
    for figure in ["15.000", "13.500", "13.000", "13.980", "13.480"] {
        assert!(texts.contains(&figure), "{figure} left out: {texts:?}");
    }
    let chart = charts::achterstand(&data).unwrap();
    // Only what is drawn is in the legend: nothing realised.
    assert!(!chart.svg.contains(">Uitstroom naar huisvesting<"));
    assert!(chart.svg.contains(">Uitstroom, (deels) geprojecteerd<"));
    assert!(
        !chart
            .svg
            .contains(">Achterstand aan het eind van de periode<")
    );
    assert!(chart.svg.contains(">(deels geprojecteerd)<"));
    assert!(chart.svg.contains(">(geprojecteerd)<"));
    // The backlog line is one dashed polyline through both points.
    let doc = roxmltree::Document::parse(&chart.svg).unwrap();
    let dashed: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-dasharray") == Some("7 5"))
        .collect();
    assert_eq!(dashed.len(), 2, "the legend sample and the line");
    assert_eq!(dashed[1].attribute("points").unwrap().split(' ').count(), 2);
}

#[test]
fn every_chart_names_its_sources_once_marked() {
    for periode in ["2025-I", "2025-II"] {
        let u = example(periode);
        let charts = [
            charts::bandbreedte(&taakstelling::render::context::bandbreedte_data(&u)).unwrap(),
            charts::achterstand(&taakstelling::render::context::achterstand_data(&u)).unwrap(),
            charts::amv_capaciteit(&taakstelling::render::context::amv_data(&u)).unwrap(),
            charts::historie(&taakstelling::render::context::historie_data(&u)).unwrap(),
        ];
        for chart in &charts {
            let doc = roxmltree::Document::parse(&chart.svg).unwrap();
            // The source line: the muted text lines at the left margin
            // from "Bron: " on.
            let source: String = doc
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .skip_while(|n| !n.text().unwrap_or("").starts_with("Bron: "))
                .take_while(|n| {
                    n.attribute("x") == Some("16") && n.attribute("fill") == Some("#595959")
                })
                .filter_map(|n| n.text())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(!source.is_empty(), "{periode} {}: no source line", chart.id);
            assert!(source.len() > "Bron: ".len() + 2, "{source}");
            assert!(
                source.matches("illustratieve waarden").count() <= 1,
                "{periode} {}: {source}",
                chart.id
            );
            // The text alternative carries the same line.
            assert!(chart.description.ends_with(&source), "{source}");
        }
        let bandbreedte = &charts[0].description;
        assert!(bandbreedte.contains("Bron: IND, maandcijfers inwilligingen; IND-productieplan"));
        assert!(bandbreedte.ends_with("(illustratieve waarden)."));
        assert!(charts[1].description.ends_with(
            "Bron: persberichten van de Rijksoverheid en nieuwsberichten; COA, uitstroom naar \
             huisvesting per maand (illustratieve waarden voor de uitstroom en de achterstand)."
        ));
        assert!(
            charts[2]
                .description
                .ends_with("Bron: Nidos (illustratieve waarden).")
        );
        assert!(
            charts[3]
                .description
                .ends_with("Bron: persberichten van de Rijksoverheid en nieuwsberichten.")
        );
    }
}

#[test]
fn graph_1_marks_the_window_of_scenario_1_and_leaves_empty_months_empty() {
    let u = example("2025-I");
    let data = taakstelling::render::context::bandbreedte_data(&u);
    let chart = charts::bandbreedte(&data).unwrap();
    assert!(
        chart
            .svg
            .contains(">Scenario 1: gemiddelde van deze 12 maanden<")
    );
    assert!(chart.svg.contains(">nog geen cijfers<"));
    assert!(chart.description.contains(
        "Een haak boven de staven markeert de maanden waarover scenario 1 het gemiddelde neemt \
         (september 2023 tot en met augustus 2024)"
    ));
    assert!(chart.description.contains(
        "Van september 2024 tot en met december 2024 zijn er nog geen cijfers; die maanden zijn \
         gearceerd."
    ));
    // One bar per month with a figure, none for the months without.
    let g = geometry::bandbreedte(&data).unwrap();
    assert_eq!(g.bars.len(), data.inwilligingen.len());
}

#[test]
fn graph_4_does_not_pair_unlike_dates() {
    let u = example("2025-II");
    let data = taakstelling::render::context::amv_data(&u);
    assert!(data.realisatie.iter().all(|r| r.datum <= data.peilmoment));
    assert!(data.behoefte.iter().all(|b| b.datum > data.peilmoment));
    let chart = charts::amv_capaciteit(&data).unwrap();
    assert!(chart.description.contains("niet op dezelfde datum bekend"));
    let g = geometry::amv_capaciteit(&data).unwrap();
    // The realised line and the peilmoment line; no line through the needs.
    assert_eq!(g.lines.len(), data.realisatie.len() - 1 + 1);
}

// Synthetic data for the property tests.

/// A backlog course: rising, falling, flat or anything.
#[derive(Debug, Clone, Copy)]
enum Course {
    Rising,
    Falling,
    Flat,
    Any,
}

fn scale() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(10u64),
        Just(1_000),
        Just(20_000),
        Just(5_000_000),
        Just(90_000_000)
    ]
}

fn achterstand_data() -> impl Strategy<Value = AchterstandData> {
    (
        1usize..=20,
        scale(),
        prop_oneof![
            Just(Course::Rising),
            Just(Course::Falling),
            Just(Course::Flat),
            Just(Course::Any)
        ],
        any::<bool>(),
        proptest::collection::vec((0u64..=1000, 0u64..=1000, -1000i64..=1000), 20),
        0usize..=20,
    )
        .prop_map(|(n, scale, course, jaar, raw, projected_from)| {
            let tijdvak = if jaar {
                Tijdvak::Jaar
            } else {
                Tijdvak::Periode
            };
            let mut eind = (scale as i64) / 2;
            let rijen = (0..n)
                .map(|i| {
                    let (a, b, c) = raw[i];
                    let step = (c.abs() * scale as i64) / 1000;
                    eind = match course {
                        Course::Rising => eind + step,
                        Course::Falling => eind - step,
                        Course::Flat => eind,
                        Course::Any => (c * scale as i64) / 1000,
                    };
                    let proj = if i >= projected_from {
                        if i == projected_from {
                            1 + (a as u32 % tijdvak.maanden())
                        } else {
                            tijdvak.maanden()
                        }
                    } else {
                        0
                    };
                    AchterstandRij {
                        label: format!("{}-{}", 2020 + i / 2, if i % 2 == 0 { "I" } else { "II" }),
                        taakstelling: a * scale / 1000,
                        uitstroom: b * scale / 1000,
                        uitstroom_geprojecteerde_maanden: proj.min(tijdvak.maanden()),
                        achterstand_eind: eind,
                        geprojecteerd: i >= projected_from,
                    }
                })
                .collect();
            AchterstandData {
                tijdvak,
                rijen,
                bronnen: vec![bron("de uitstroom", "COA", i64::from(jaar) == 1)],
            }
        })
}

fn bandbreedte_data() -> impl Strategy<Value = BandbreedteData> {
    (
        0usize..=60,
        scale(),
        proptest::collection::vec(0u64..=1000, 60),
        proptest::collection::vec(any::<bool>(), 60),
        (1u32..=24, 0u64..=1000, 0u64..=1000, 0u64..=1000, 0i64..=6),
        any::<bool>(),
    )
        .prop_map(
            |(n, scale, values, keep, (window, s1, s2, ts, lag), tweede)| {
                let periode = Periode {
                    jaar: 2030,
                    helft: if tweede { Helft::II } else { Helft::I },
                };
                let start = periode.eerste_maand().index();
                // The months before the period, ending `lag` months before it;
                // about one in eight left out.
                let last = start - 1 - lag;
                let inwilligingen: Vec<MaandAantal> = (0..n)
                    .rev()
                    .map(|k| last - k as i64)
                    .filter(|&i| keep[(i.rem_euclid(60)) as usize] || i % 8 != 0)
                    .map(|i| MaandAantal {
                        jaar: i.div_euclid(12) as i32,
                        maand: i.rem_euclid(12) as u32 + 1,
                        aantal: values[i.rem_euclid(60) as usize] * scale / 1000,
                    })
                    .collect();
                let peil = last + 1;
                BandbreedteData {
                    periode,
                    inwilligingen,
                    peilmoment: Datum {
                        jaar: peil.div_euclid(12) as i32,
                        maand: peil.rem_euclid(12) as u32 + 1,
                        dag: 1,
                    },
                    scenario_1: s1 * scale * 6 / 1000,
                    scenario_1_maanden: window,
                    gemiddelde_per_maand: s1 * scale / 1000,
                    scenario_2: s2 * scale * 6 / 1000,
                    taakstelling: ts * scale * 6 / 1000,
                    bronnen: vec![bron("de inwilligingen", "IND", true)],
                }
            },
        )
}

fn amv_data() -> impl Strategy<Value = AmvData> {
    (
        proptest::collection::btree_set(0i64..2_000, 0..8),
        proptest::collection::btree_set(0i64..2_000, 0..5),
        proptest::collection::vec(0u64..=1000, 13),
        scale(),
        0i64..2_000,
    )
        .prop_filter("a date to draw", |(r, b, ..)| {
            !r.is_empty() || !b.is_empty()
        })
        .prop_map(|(real, need, values, scale, peil)| {
            let base = Datum {
                jaar: 2024,
                maand: 1,
                dag: 1,
            };
            let stand = |(k, &d): (usize, &i64)| AmvStand {
                datum: base.plus_dagen(d),
                plekken: values[k % 13] * scale / 1000,
            };
            AmvData {
                peilmoment: base.plus_dagen(peil),
                realisatie: real.iter().enumerate().map(stand).collect(),
                behoefte: need
                    .iter()
                    .enumerate()
                    .map(|(k, d)| stand((k + 5, d)))
                    .collect(),
                bronnen: vec![bron("de plekken", "Nidos", false)],
            }
        })
}

fn historie_data() -> impl Strategy<Value = HistorieData> {
    (
        1usize..=40,
        scale(),
        proptest::collection::vec((0u64..=1000, 0u64..=1000, 0u8..4), 40),
    )
        .prop_map(|(n, scale, raw)| {
            let mut p = Periode {
                jaar: 2010,
                helft: Helft::I,
            };
            let mut perioden = Vec::new();
            for &(a, b, kind) in raw.iter().take(n) {
                perioden.push(HistoriePeriode {
                    periode: p,
                    eerst_bekendgemaakt: (kind != 0).then_some(a * scale / 1000),
                    na_bijstelling: (kind == 3).then_some(b * scale / 1000),
                });
                p = p.volgende();
            }
            HistorieData {
                perioden,
                bronnen: vec![],
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn graph_2_labels_never_cover_bars_lines_or_labels(d in achterstand_data()) {
        check_all("achterstand", &Data::Achterstand(d));
    }

    #[test]
    fn graph_1_labels_never_cover_bars_lines_or_labels(d in bandbreedte_data()) {
        check_all("bandbreedte", &Data::Bandbreedte(d));
    }

    #[test]
    fn graph_4_labels_never_cover_markers_lines_or_labels(d in amv_data()) {
        check_all("amv", &Data::Amv(d));
    }

    #[test]
    fn graph_3_labels_never_cover_bars_or_labels(d in historie_data()) {
        check_all("historie", &Data::Historie(d));
    }
}
