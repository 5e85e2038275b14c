//! Graph 1 of the memo: monthly grants and the bandwidth of the scenarios
//! for the coming period, with the chosen taakstelling.

use serde::Serialize;

use super::draw::{self, Canvas, Font, H, Stroke, V, palette, size};
use super::layout::{self, BOTTOM_TWO_ROWS, Frame, Header, LegendItem, MARGIN, Slot, Swatch};
use super::{
    BREEDTE, Chart, ChartError, DataTable, HOOGTE, MaandAantal, Periode, check_month, getal,
    per_maand,
};
use crate::kalender::Maand;
use crate::nl;

const CHART: &str = "bandbreedte";

/// Input for [`bandbreedte`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BandbreedteData {
    /// The coming period, e.g. 2025-I.
    pub periode: Periode,
    /// Grants (inwilligingen) per month before the peilmoment, oldest first,
    /// each month at most once, all before the period starts. Months in
    /// between that are missing are drawn as empty.
    pub inwilligingen: Vec<MaandAantal>,
    /// Scenario 1 for the whole period (average over its window × 6).
    pub scenario_1: u64,
    /// How many months before the peilmoment scenario 1 averages (its window).
    pub scenario_1_maanden: u32,
    /// The engine's average grants per month over that window, for the text.
    pub gemiddelde_per_maand: u64,
    /// Scenario 2 for the whole period (production plan × grant rates).
    pub scenario_2: u64,
    /// The chosen taakstelling for the period.
    pub taakstelling: u64,
}

const BARS: draw::Colour = palette::SKY_BLUE;
/// A darker edge gives the light bars 3:1 contrast with the background.
const BARS_BORDER: Stroke = Stroke::solid(palette::BLUE, 1);
const BAND: draw::Colour = palette::ORANGE;
const BAND_ALPHA: f64 = 0.28;
const S1: Stroke = Stroke::dashed(palette::VERMILLION, 3, 9, 5);
const S2: Stroke = Stroke::dashed(palette::BLUE, 3, 3, 4);
const TS: Stroke = Stroke::solid(palette::BLACK, 4);

/// Graph 1: grants per month over the last months and, for the coming
/// period, scenario 1 and 2 as monthly paces (period total / 6) with the
/// band between them shaded and the chosen taakstelling marked.
pub fn bandbreedte(data: &BandbreedteData) -> Result<Chart, ChartError> {
    validate(data)?;
    let periode = data.periode;
    let title = format!("Bandbreedte taakstelling {periode}");
    let id = format!("grafiek-bandbreedte-{}", periode.to_string().to_lowercase());
    let description = describe(data);
    let table = table(data);
    let raw = draw::render(BREEDTE, HOOGTE, |c| draw_chart(c, data, &title))?;
    Ok(Chart::klaar(id, title, description, table, &raw))
}

fn validate(data: &BandbreedteData) -> Result<(), ChartError> {
    let start = data.periode.eerste_maand().index();
    let mut previous = None;
    for m in &data.inwilligingen {
        check_month(CHART, m.jaar, m.maand)?;
        let i = Maand {
            jaar: m.jaar,
            maand: m.maand,
        }
        .index();
        if previous.is_some_and(|p| i <= p) || i >= start {
            return Err(ChartError::Order {
                chart: CHART,
                what: "grant months (all before the period)",
                value: format!("{}-{:02}", m.jaar, m.maand),
            });
        }
        previous = Some(i);
    }
    Ok(())
}

/// Month at a month index.
fn month_at(index: i64) -> (i32, u32) {
    (index.div_euclid(12) as i32, index.rem_euclid(12) as u32 + 1)
}

fn period_months(periode: Periode) -> String {
    let first = periode.eerste_maand().maand;
    let last = first + Periode::MAANDEN - 1;
    format!(
        "{} tot en met {} {}",
        nl::MAANDEN[first as usize - 1],
        nl::MAANDEN[last as usize - 1],
        periode.jaar
    )
}

fn with_pace(total: u64) -> String {
    format!("{} ({} per maand)", getal(total), getal(per_maand(total)))
}

fn describe(data: &BandbreedteData) -> String {
    let p = data.periode;
    let (lo, hi) = (
        data.scenario_1.min(data.scenario_2),
        data.scenario_1.max(data.scenario_2),
    );
    let ts = data.taakstelling;
    let plaats = if ts < lo {
        "onder de bandbreedte".to_string()
    } else if ts > hi {
        "boven de bandbreedte".to_string()
    } else if lo == hi {
        "gelijk aan beide scenario's".to_string()
    } else if ts == lo {
        format!(
            "gelijk aan de onderkant van de bandbreedte ({})",
            if data.scenario_1 == lo {
                "scenario 1"
            } else {
                "scenario 2"
            }
        )
    } else if ts == hi {
        format!(
            "gelijk aan de bovenkant van de bandbreedte ({})",
            if data.scenario_1 == hi {
                "scenario 1"
            } else {
                "scenario 2"
            }
        )
    } else {
        "binnen de bandbreedte".to_string()
    };
    let mut text = format!(
        "Bandbreedte taakstelling {p} ({}): scenario 1 {}, scenario 2 {}; \
         gekozen taakstelling {}, {plaats}.",
        period_months(p),
        with_pace(data.scenario_1),
        with_pace(data.scenario_2),
        with_pace(ts),
    );
    let months = &data.inwilligingen;
    if let (Some(first), Some(last)) = (months.first(), months.last()) {
        let n = data.scenario_1_maanden;
        let min = months.iter().min_by_key(|m| m.aantal).expect("not empty");
        let max = months
            .iter()
            .rev()
            .max_by_key(|m| m.aantal)
            .expect("not empty");
        text.push_str(&format!(
            " Daarvoor het aantal inwilligingen per maand van {} tot en met {}: \
             gemiddeld {} per maand over de laatste {} {}, het laagst in {} ({}) \
             en het hoogst in {} ({}).",
            nl::maand(first.jaar, first.maand),
            nl::maand(last.jaar, last.maand),
            getal(data.gemiddelde_per_maand),
            n,
            if n == 1 { "maand" } else { "maanden" },
            nl::maand(min.jaar, min.maand),
            getal(min.aantal),
            nl::maand(max.jaar, max.maand),
            getal(max.aantal),
        ));
    }
    text
}

fn table(data: &BandbreedteData) -> DataTable {
    let p = data.periode;
    let mut rows: Vec<Vec<String>> = data
        .inwilligingen
        .iter()
        .map(|m| {
            vec![
                nl::maand(m.jaar, m.maand),
                getal(m.aantal),
                String::new(),
                String::new(),
                String::new(),
            ]
        })
        .collect();
    rows.push(vec![
        format!("{p} ({}), totaal", period_months(p)),
        String::new(),
        getal(data.scenario_1),
        getal(data.scenario_2),
        getal(data.taakstelling),
    ]);
    rows.push(vec![
        format!("{p}, gemiddeld per maand"),
        String::new(),
        getal(per_maand(data.scenario_1)),
        getal(per_maand(data.scenario_2)),
        getal(per_maand(data.taakstelling)),
    ]);
    DataTable {
        headers: vec![
            "Maand of periode".into(),
            "Inwilligingen".into(),
            "Scenario 1".into(),
            "Scenario 2".into(),
            "Taakstelling".into(),
        ],
        rows,
    }
}

fn draw_chart(c: &mut Canvas<'_>, data: &BandbreedteData, title: &str) -> Result<(), ChartError> {
    let p = data.periode;
    let start = p.eerste_maand().index();
    let first = data.inwilligingen.first().map_or(start, |m| {
        Maand {
            jaar: m.jaar,
            maand: m.maand,
        }
        .index()
    });
    let end = start + i64::from(Periode::MAANDEN); // exclusive
    let n = (end - first) as f64;
    // Slot i is the month `first + i`, centred on x = i.
    let slot = |jaar: i32, maand: u32| (Maand { jaar, maand }.index() - first) as f64;
    let p_lo = (start - first) as f64 - 0.5;
    let p_hi = n - 0.5;

    let (s1, s2, ts) = (
        per_maand(data.scenario_1) as f64,
        per_maand(data.scenario_2) as f64,
        per_maand(data.taakstelling) as f64,
    );

    let header = Header {
        title: title.to_string(),
        subtitle: Some(format!(
            "Inwilligingen per maand; voor {p} de scenario's en de taakstelling als gemiddelde per maand"
        )),
        legend: vec![
            vec![
                LegendItem {
                    swatch: Swatch::Block {
                        fill: BARS,
                        alpha: 1.0,
                        border: Some(BARS_BORDER),
                    },
                    label: "Inwilligingen per maand".into(),
                },
                LegendItem {
                    swatch: Swatch::Line {
                        stroke: TS,
                        marker: None,
                    },
                    label: format!("Taakstelling {p}: {}", with_pace(data.taakstelling)),
                },
            ],
            vec![
                LegendItem {
                    swatch: Swatch::Line {
                        stroke: S1,
                        marker: None,
                    },
                    label: format!("Scenario 1: {}", with_pace(data.scenario_1)),
                },
                LegendItem {
                    swatch: Swatch::Line {
                        stroke: S2,
                        marker: None,
                    },
                    label: format!("Scenario 2: {}", with_pace(data.scenario_2)),
                },
            ],
            vec![LegendItem {
                swatch: Swatch::Block {
                    fill: BAND,
                    alpha: BAND_ALPHA,
                    border: None,
                },
                label: format!(
                    "Bandbreedte {p}: {} tot {}",
                    getal(data.scenario_1.min(data.scenario_2)),
                    getal(data.scenario_1.max(data.scenario_2))
                ),
            }],
        ],
    };
    header.draw(c)?;

    // Direct labels right of the plot, one per line.
    let names = ["Scenario 2", "Scenario 1", "Taakstelling"];
    let label_font = Font::bold(size::SMALL);
    let label_w = names
        .iter()
        .map(|s| label_font.width(s))
        .fold(0.0, f64::max);

    let max = data
        .inwilligingen
        .iter()
        .map(|m| m.aantal as f64)
        .chain([s1, s2, ts])
        .fold(0.0, f64::max);
    let top = header.bottom(c.width) + 12.0;
    let bottom = c.height - BOTTOM_TWO_ROWS;
    let axis = layout::Axis::nice(0.0, max, 8).with_headroom(max, 26.0, bottom - top);
    let frame = Frame {
        left: Frame::left_for(&axis),
        right: c.width - MARGIN - label_w - 14.0,
        top,
        bottom,
        x_lo: -0.5,
        x_hi: n - 0.5,
        y: axis,
    };

    // The coming period: shaded background with its name at the top.
    c.rect(
        (frame.x(p_lo), frame.top),
        (frame.x(p_hi), frame.bottom),
        Some((palette::SHADE, 1.0)),
        None,
    )?;
    frame.draw_y_axis(c, "Aantal inwilligingen per maand")?;
    // "Periode 2025-I" over the shaded months, or just "2025-I" when the
    // region is narrow.
    let region_font = Font::bold(size::SMALL);
    let long = format!("Periode {p}");
    let region_label = if region_font.width(&long) + 6.0 <= frame.x(p_hi) - frame.x(p_lo) {
        long
    } else {
        p.to_string()
    };
    let w = region_font.width(&region_label);
    c.text(
        &region_label,
        (
            ((frame.x(p_lo) + frame.x(p_hi)) / 2.0).min(frame.right - w / 2.0),
            frame.top + 5.0,
        ),
        region_font,
        palette::TEXT,
        H::Center,
        V::Top,
    )?;

    // History as bars.
    let half_bar = 0.34;
    for m in &data.inwilligingen {
        let x = slot(m.jaar, m.maand);
        c.rect(
            (frame.x(x - half_bar), frame.y(0.0)),
            (frame.x(x + half_bar), frame.y(m.aantal as f64)),
            Some((BARS, 1.0)),
            Some(BARS_BORDER),
        )?;
    }

    // The band and the lines over the period.
    let (x0, x1) = (frame.x(p_lo), frame.x(p_hi));
    let (lo, hi) = (s1.min(s2), s1.max(s2));
    c.polygon(
        &[
            (x0, frame.y(lo)),
            (x1, frame.y(lo)),
            (x1, frame.y(hi)),
            (x0, frame.y(hi)),
        ],
        BAND,
        BAND_ALPHA,
    )?;
    // Taakstelling first: the dashed scenario lines stay visible on top of
    // it when it equals one of them.
    c.path(&[(x0, frame.y(ts)), (x1, frame.y(ts))], TS)?;
    c.path(&[(x0, frame.y(s1)), (x1, frame.y(s1))], S1)?;
    c.path(&[(x0, frame.y(s2)), (x1, frame.y(s2))], S2)?;
    frame.draw_x_baseline(c)?;

    let wanted = [frame.y(s2), frame.y(s1), frame.y(ts)];
    let colours = [S2.colour, S1.colour, TS.colour];
    // Text needs 4.5:1 on white: the scenario 1 label is drawn darker than its line.
    let text_colours = [S2.colour, palette::VERMILLION_TEXT, TS.colour];
    let placed = layout::spread(&wanted, 16.0, frame.top + 6.0, frame.bottom - 6.0);
    let lx = frame.right + 12.0;
    for i in 0..3 {
        if (placed[i] - wanted[i]).abs() > 1.0 {
            c.path(
                &[(frame.right, wanted[i]), (lx - 3.0, placed[i])],
                Stroke::solid(colours[i], 1),
            )?;
        }
        c.text(
            names[i],
            (lx, placed[i]),
            label_font,
            text_colours[i],
            H::Left,
            V::Center,
        )?;
    }

    let slots: Vec<Slot> = (0..(end - first))
        .map(|i| {
            let (jaar, maand) = month_at(first + i);
            Slot {
                x: i as f64,
                label: nl::MAANDEN_KORT[maand as usize - 1].to_string(),
                group: jaar,
                key: maand - 1,
            }
        })
        .collect();
    layout::draw_two_row_x_axis(c, &frame, &slots)?;
    frame.draw_x_title(c, "Maand")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::Helft;
    use super::*;

    fn data() -> BandbreedteData {
        BandbreedteData {
            periode: Periode {
                jaar: 2025,
                helft: Helft::I,
            },
            inwilligingen: vec![
                MaandAantal {
                    jaar: 2024,
                    maand: 8,
                    aantal: 3_100,
                },
                MaandAantal {
                    jaar: 2024,
                    maand: 9,
                    aantal: 2_800,
                },
            ],
            scenario_1_maanden: 2,
            gemiddelde_per_maand: 2_950,
            scenario_1: 17_700,
            scenario_2: 23_800,
            taakstelling: 17_700,
        }
    }

    #[test]
    fn description_names_the_key_figures() {
        let chart = bandbreedte(&data()).unwrap();
        assert_eq!(chart.title, "Bandbreedte taakstelling 2025-I");
        assert!(chart.description.starts_with(
            "Bandbreedte taakstelling 2025-I (januari tot en met juni 2025): \
             scenario 1 17.700 (2.950 per maand), scenario 2 23.800 (3.967 per maand); \
             gekozen taakstelling 17.700 (2.950 per maand), gelijk aan de onderkant \
             van de bandbreedte (scenario 1)."
        ));
        assert!(
            chart
                .description
                .contains("van augustus 2024 tot en met september 2024")
        );
        assert!(
            chart
                .description
                .contains("gemiddeld 2.950 per maand over de laatste 2 maanden")
        );
    }

    #[test]
    fn svg_shows_the_labels() {
        let chart = bandbreedte(&data()).unwrap();
        for text in [
            "Taakstelling 2025-I: 17.700 (2.950 per maand)",
            "Scenario 2: 23.800 (3.967 per maand)",
            "Bandbreedte 2025-I: 17.700 tot 23.800",
            "Periode 2025-I",
            "Aantal inwilligingen per maand",
            ">aug<",
            ">jun<",
            ">2024<",
            ">2025<",
        ] {
            assert!(chart.svg.contains(text), "missing {text}");
        }
    }

    #[test]
    fn table_has_months_and_period_rows() {
        let t = bandbreedte(&data()).unwrap().table;
        assert_eq!(t.headers.len(), 5);
        assert_eq!(t.rows[0], ["augustus 2024", "3.100", "", "", ""]);
        assert_eq!(
            t.rows[2],
            [
                "2025-I (januari tot en met juni 2025), totaal",
                "",
                "17.700",
                "23.800",
                "17.700"
            ]
        );
        assert_eq!(t.rows[3][2..], ["2.950", "3.967", "2.950"]);
    }

    #[test]
    fn taakstelling_outside_or_inside_the_band_is_described() {
        let mut d = data();
        d.taakstelling = 20_000;
        assert!(
            bandbreedte(&d)
                .unwrap()
                .description
                .contains("binnen de bandbreedte")
        );
        d.taakstelling = 30_000;
        assert!(
            bandbreedte(&d)
                .unwrap()
                .description
                .contains("boven de bandbreedte")
        );
    }

    #[test]
    fn without_history_only_the_period_is_drawn() {
        let mut d = data();
        d.inwilligingen.clear();
        let chart = bandbreedte(&d).unwrap();
        assert!(!chart.description.contains("Daarvoor"));
        assert_eq!(chart.table.rows.len(), 2);
    }

    #[test]
    fn months_must_be_valid_increasing_and_before_the_period() {
        let mut d = data();
        d.inwilligingen[1].maand = 13;
        assert!(matches!(bandbreedte(&d), Err(ChartError::Invalid { .. })));
        let mut d = data();
        d.inwilligingen.swap(0, 1);
        assert!(matches!(bandbreedte(&d), Err(ChartError::Order { .. })));
        let mut d = data();
        d.inwilligingen[1] = MaandAantal {
            jaar: 2025,
            maand: 1,
            aantal: 1,
        };
        assert!(matches!(bandbreedte(&d), Err(ChartError::Order { .. })));
    }
}
