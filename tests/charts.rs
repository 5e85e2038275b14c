//! Chart tests on realistic fixture data: snapshots of every chart's SVG and
//! text, well-formed XML with the accessibility elements, determinism.
//!
//! Set `CHARTS_OUT_DIR=/some/dir` to also write the SVGs and an HTML page
//! with all of them there, for looking at them in a browser.

use taakstelling::charts::{
    self, AchterstandData, AchterstandRij, AmvData, AmvPunt, BandbreedteData, Chart, Datum, Helft,
    HistorieData, HistoriePeriode, MaandAantal, Periode, Tijdvak,
};

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
        scenario_1: 17_700,
        // The 12 months before the peilmoment: 35.400 grants.
        scenario_1_maanden: 12,
        gemiddelde_per_maand: 2_950,
        scenario_2: 23_800,
        taakstelling: 17_700,
    }
}

/// Taakstelling per year from the period history (2022: 10.000 + 13.500;
/// 2023: 21.200 + 17.600; 2024: 18.750 + 17.000); outflow and backlog are
/// illustrative, ending at the memo's 12.500 for the end of 2024.
fn achterstand_2022_2024() -> AchterstandData {
    let rij = |label: &str, ts, uit, eind, proj| AchterstandRij {
        label: String::from(label),
        taakstelling: ts,
        uitstroom: uit,
        uitstroom_geprojecteerd: proj,
        achterstand_eind: eind,
        geprojecteerd: proj,
    };
    AchterstandData {
        tijdvak: Tijdvak::Jaar,
        rijen: vec![
            rij("2022", 23_500, 24_200, 3_028, false),
            rij("2023", 38_800, 35_100, 6_728, false),
            rij("2024", 35_750, 29_978, 12_500, true),
        ],
    }
}

/// The memo's amv need (about 3.000 on 1 July 2025, about 3.500 at the end
/// of 2025); the earlier dates and the realised places are illustrative.
fn amv_2025() -> AmvData {
    let punt = |jaar, maand, dag, benodigd, gerealiseerd| AmvPunt {
        datum: Datum { jaar, maand, dag },
        benodigd: Some(benodigd),
        gerealiseerd,
    };
    AmvData {
        punten: vec![
            punt(2024, 1, 1, 2_300, Some(1_950)),
            punt(2024, 7, 1, 2_600, Some(2_150)),
            punt(2025, 1, 1, 2_800, Some(2_350)),
            punt(2025, 7, 1, 3_000, None),
            punt(2025, 12, 31, 3_500, None),
        ],
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
    assert_eq!(root.attribute("viewBox"), Some("0 0 760 460"));
    assert!(root.attribute("style").unwrap().contains("max-width:100%"));
    let children: Vec<_> = root.children().filter(|n| n.is_element()).collect();
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
            "Capaciteitsbehoefte opvang amv|Gerealiseerde plekken|onbekend|{}",
            chart.svg
        )
    );
}

#[test]
fn write_files_for_visual_check() {
    let Some(dir) = std::env::var_os("CHARTS_OUT_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut page = String::from(
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Grafieken</title>\
         <style>body{font-family:Arial,sans-serif;margin:20px;max-width:800px}</style></head><body>\n",
    );
    for (i, chart) in edge_cases().iter().enumerate() {
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
    let mut out = Vec::new();
    // Taakstelling inside the band, three years of history.
    let mut d = bandbreedte_2025_i();
    d.taakstelling = 20_600;
    d.periode = Periode {
        jaar: 2025,
        helft: Helft::II,
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
    out.push(charts::bandbreedte(&d).unwrap());
    // Exactly 12 months, scenario 2 below scenario 1, taakstelling above both.
    let mut d = bandbreedte_2025_i();
    d.inwilligingen.drain(..6);
    d.scenario_2 = 15_100;
    d.taakstelling = 25_000;
    out.push(charts::bandbreedte(&d).unwrap());
    // Eight periods, an advance, long labels.
    let rijen = (0..8)
        .map(|i| AchterstandRij {
            label: format!("{}-{}", 2021 + i / 2, if i % 2 == 0 { "I" } else { "II" }),
            taakstelling: 10_000 + i as u64 * 1_500,
            uitstroom: 12_500 + i as u64 * 500,
            uitstroom_geprojecteerd: i == 7,
            achterstand_eind: -2_500 + i * 900,
            geprojecteerd: i == 7,
        })
        .collect();
    out.push(
        charts::achterstand(&AchterstandData {
            tijdvak: Tijdvak::Periode,
            rijen,
        })
        .unwrap(),
    );
    // Amv: close dates, realised above needed once, no realisation at the end.
    out.push(
        charts::amv_capaciteit(&AmvData {
            punten: vec![
                AmvPunt {
                    datum: Datum {
                        jaar: 2025,
                        maand: 6,
                        dag: 1,
                    },
                    benodigd: Some(2_900),
                    gerealiseerd: Some(3_050),
                },
                AmvPunt {
                    datum: Datum {
                        jaar: 2025,
                        maand: 7,
                        dag: 1,
                    },
                    benodigd: Some(3_000),
                    gerealiseerd: None,
                },
                AmvPunt {
                    datum: Datum {
                        jaar: 2025,
                        maand: 12,
                        dag: 31,
                    },
                    benodigd: Some(3_500),
                    gerealiseerd: None,
                },
            ],
        })
        .unwrap(),
    );
    // Sixteen periods, the last three projected: labels thinned.
    let rijen = (0..16)
        .map(|i| AchterstandRij {
            label: format!("{}-{}", 2018 + i / 2, if i % 2 == 0 { "I" } else { "II" }),
            taakstelling: 9_000 + i as u64 * 700,
            uitstroom: 8_500 + i as u64 * 600,
            uitstroom_geprojecteerd: i >= 13,
            achterstand_eind: 500 + i * 450,
            geprojecteerd: i >= 13,
        })
        .collect();
    out.push(
        charts::achterstand(&AchterstandData {
            tijdvak: Tijdvak::Periode,
            rijen,
        })
        .unwrap(),
    );
    // Ten years of monthly history: month labels give way to the years.
    let mut d = bandbreedte_2025_i();
    d.inwilligingen = (0..120)
        .map(|i| MaandAantal {
            jaar: 2014 + i / 12,
            maand: (i % 12) as u32 + 1,
            aantal: 1_000 + (i as u64 * 211) % 3_000,
        })
        .collect();
    out.push(charts::bandbreedte(&d).unwrap());
    // Historie starting with a II period, unknown at the end.
    let mut h = historie_2015_2026();
    h.perioden.remove(0);
    h.perioden.last_mut().unwrap().eerst_bekendgemaakt = None;
    out.push(charts::historie(&h).unwrap());
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
    // Sixteen periods: some backlog labels are left out, never the last.
    let achterstand = &cases[4].svg;
    assert!(achterstand.contains(">7.250<"));
    assert!(!achterstand.contains(">6.800<"));
    assert!(achterstand.contains(">2025-II<"));
    assert!(!achterstand.contains(">2025-I<"));
    // Ten years of months: month labels only at January; the period's year
    // keeps its label.
    let bandbreedte = &cases[5].svg;
    assert!(bandbreedte.contains(">2025<"));
    assert!(!bandbreedte.contains(">jul<"));
}
