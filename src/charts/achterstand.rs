//! Taakstelling against realised outflow per year (or period) as grouped
//! bars, and the backlog at the end of each as a line; projected parts are
//! drawn lighter and dashed.

use serde::Serialize;

use super::draw::{self, Canvas, H, Marker, Stroke, V, palette, text_box};
use super::layout::{
    self, BOTTOM_TWO_ROWS, Frame, Header, LegendItem, MARGIN, Swatch, TICK_FONT, VALUE_FONT,
};
use super::{BREEDTE, Chart, ChartError, DataTable, HOOGTE, getal};
use crate::nl;

const CHART: &str = "achterstand";

/// What one row of [`AchterstandData`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tijdvak {
    /// A calendar year (two periods).
    Jaar,
    /// A half-year period.
    Periode,
}

impl Tijdvak {
    fn woord(self) -> &'static str {
        match self {
            Tijdvak::Jaar => "jaar",
            Tijdvak::Periode => "periode",
        }
    }
    fn eind(self) -> &'static str {
        match self {
            Tijdvak::Jaar => "aan het eind van het jaar",
            Tijdvak::Periode => "aan het eind van de periode",
        }
    }
}

/// Input for [`achterstand`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AchterstandData {
    /// Whether the rows are years or periods.
    pub tijdvak: Tijdvak,
    /// The rows, oldest first.
    pub rijen: Vec<AchterstandRij>,
}

/// One year or period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AchterstandRij {
    /// `2023`, or `2024-II`.
    pub label: String,
    /// Taakstelling of the year (sum of its periods) or period.
    pub taakstelling: u64,
    /// Outflow from reception to housing (uitstroom).
    pub uitstroom: u64,
    /// Whether the outflow includes projected months.
    pub uitstroom_geprojecteerd: bool,
    /// Backlog at the end; negative is an advance (voorsprong).
    pub achterstand_eind: i64,
    /// Whether the backlog at the end is a projection.
    pub geprojecteerd: bool,
}

const TS_FILL: draw::Colour = palette::BLUE;
const UIT_FILL: draw::Colour = palette::ORANGE;
/// A darker edge gives the light bars 3:1 contrast with the background.
const UIT_BORDER: Stroke = Stroke::solid(palette::DARK_ORANGE, 1);
const UIT_PROJ_ALPHA: f64 = 0.35;
const UIT_PROJ_BORDER: Stroke = Stroke::dashed(palette::DARK_ORANGE, 2, 5, 3);
const LINE: Stroke = Stroke::solid(palette::BLACK, 3);
const LINE_PROJ: Stroke = Stroke::dashed(palette::BLACK, 3, 7, 5);

/// Taakstelling vs realised outflow per year or period as grouped bars, and
/// the backlog at the end of each as a line, projected parts lighter and
/// dashed.
pub fn achterstand(data: &AchterstandData) -> Result<Chart, ChartError> {
    if data.rijen.is_empty() {
        return Err(ChartError::Empty {
            chart: CHART,
            what: "no years or periods",
        });
    }
    let tv = data.tijdvak;
    let title = format!("Taakstelling, uitstroom en achterstand per {}", tv.woord());
    let id = "grafiek-achterstand".to_string();
    let description = describe(data);
    let table = table(data);
    let raw = draw::render(BREEDTE, HOOGTE, |c| draw_chart(c, data, &title))?;
    Ok(Chart::klaar(id, title, description, table, &raw))
}

fn achterstand_tekst(n: i64) -> String {
    if n < 0 {
        format!("voorsprong {}", nl::getal(-n))
    } else {
        format!("achterstand {}", nl::getal(n))
    }
}

fn describe(data: &AchterstandData) -> String {
    let tv = data.tijdvak;
    let mut text = format!(
        "Taakstelling en uitstroom naar huisvesting per {}, en de achterstand op de \
         taakstelling {}.",
        tv.woord(),
        tv.eind()
    );
    for r in &data.rijen {
        text.push_str(&format!(
            " {}: taakstelling {}, uitstroom {}{}, {}{}.",
            r.label,
            getal(r.taakstelling),
            getal(r.uitstroom),
            if r.uitstroom_geprojecteerd {
                " (deels geprojecteerd)"
            } else {
                ""
            },
            achterstand_tekst(r.achterstand_eind),
            if r.geprojecteerd {
                " (geprojecteerd)"
            } else {
                ""
            },
        ));
    }
    text
}

fn table(data: &AchterstandData) -> DataTable {
    let rows = data
        .rijen
        .iter()
        .map(|r| {
            let mut uit = getal(r.uitstroom);
            if r.uitstroom_geprojecteerd {
                uit.push_str(" (deels geprojecteerd)");
            }
            let mut eind = nl::getal(r.achterstand_eind);
            match (r.achterstand_eind < 0, r.geprojecteerd) {
                (true, true) => eind.push_str(" (voorsprong, geprojecteerd)"),
                (true, false) => eind.push_str(" (voorsprong)"),
                (false, true) => eind.push_str(" (geprojecteerd)"),
                (false, false) => {}
            }
            vec![r.label.clone(), getal(r.taakstelling), uit, eind]
        })
        .collect();
    let eind = match data.tijdvak {
        Tijdvak::Jaar => "Achterstand eind jaar",
        Tijdvak::Periode => "Achterstand eind periode",
    };
    DataTable {
        headers: vec![
            match data.tijdvak {
                Tijdvak::Jaar => "Jaar".into(),
                Tijdvak::Periode => "Periode".into(),
            },
            "Taakstelling".into(),
            "Uitstroom".into(),
            eind.into(),
        ],
        rows,
    }
}

fn draw_chart(c: &mut Canvas<'_>, data: &AchterstandData, title: &str) -> Result<(), ChartError> {
    let tv = data.tijdvak;
    let rows = &data.rijen;
    let any_uit_proj = rows.iter().any(|r| r.uitstroom_geprojecteerd);
    let any_proj = rows.iter().any(|r| r.geprojecteerd);

    let mut bars = vec![
        LegendItem {
            swatch: Swatch::Block {
                fill: TS_FILL,
                alpha: 1.0,
                border: None,
            },
            label: "Taakstelling".into(),
        },
        LegendItem {
            swatch: Swatch::Block {
                fill: UIT_FILL,
                alpha: 1.0,
                border: Some(UIT_BORDER),
            },
            label: "Uitstroom naar huisvesting".into(),
        },
    ];
    if any_uit_proj {
        bars.push(LegendItem {
            swatch: Swatch::Block {
                fill: UIT_FILL,
                alpha: UIT_PROJ_ALPHA,
                border: Some(UIT_PROJ_BORDER),
            },
            label: "Uitstroom, deels geprojecteerd".into(),
        });
    }
    let mut lines = vec![LegendItem {
        swatch: Swatch::Line {
            stroke: LINE,
            marker: Some((Marker::Circle, true)),
        },
        label: format!("Achterstand {}", tv.eind()),
    }];
    if any_proj {
        lines.push(LegendItem {
            swatch: Swatch::Line {
                stroke: LINE_PROJ,
                marker: Some((Marker::Circle, false)),
            },
            label: "Achterstand, geprojecteerd".into(),
        });
    }
    let legend = vec![bars, lines];
    let header = Header {
        title: title.to_string(),
        subtitle: (any_proj || any_uit_proj).then(|| {
            "Lichter en gestreept: prognose op basis van het huidige huisvestingstempo".to_string()
        }),
        legend,
    };
    header.draw(c)?;

    let bar_max = rows
        .iter()
        .map(|r| r.taakstelling.max(r.uitstroom) as f64)
        .fold(0.0, f64::max);
    let line_max = rows
        .iter()
        .map(|r| r.achterstand_eind as f64)
        .fold(0.0, f64::max);
    let line_min = rows
        .iter()
        .map(|r| r.achterstand_eind as f64)
        .fold(0.0, f64::min);
    let top = header.bottom(c.width) + 12.0;
    let bottom = c.height - BOTTOM_TWO_ROWS;
    let mut axis = layout::Axis::nice(line_min, bar_max.max(line_max), 10)
        .with_headroom(bar_max, 20.0, bottom - top)
        .with_headroom(line_max, 26.0, bottom - top);
    // Room below a negative backlog for its label.
    if line_min < 0.0 {
        let px = (bottom - top) / (axis.hi - axis.lo);
        if (line_min - axis.lo) * px < 26.0 {
            axis.lo -= axis.step;
        }
    }
    let n = rows.len() as f64;
    let frame = Frame {
        left: Frame::left_for(&axis),
        right: c.width - MARGIN,
        top,
        bottom,
        x_lo: -0.5,
        x_hi: n - 0.5,
        y: axis,
    };
    frame.draw_y_axis(c, "Aantal personen")?;

    let slot_px = frame.width() / n;
    let bar_w = (slot_px * 0.34).min(84.0);
    let value_w = rows
        .iter()
        .map(|r| VALUE_FONT.width(&getal(r.taakstelling.max(r.uitstroom))))
        .fold(0.0, f64::max);
    let show_values = bar_w >= value_w + 2.0;
    let mut label_boxes = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let cx = frame.x(i as f64);
        let y0 = frame.y(0.0);
        let yt = frame.y(r.taakstelling as f64);
        let yu = frame.y(r.uitstroom as f64);
        c.rect(
            (cx - 2.0 - bar_w, y0),
            (cx - 2.0, yt),
            Some((TS_FILL, 1.0)),
            None,
        )?;
        if r.uitstroom_geprojecteerd {
            c.rect(
                (cx + 2.0, y0),
                (cx + 2.0 + bar_w, yu),
                Some((UIT_FILL, UIT_PROJ_ALPHA)),
                Some(UIT_PROJ_BORDER),
            )?;
        } else {
            c.rect(
                (cx + 2.0, y0),
                (cx + 2.0 + bar_w, yu),
                Some((UIT_FILL, 1.0)),
                Some(UIT_BORDER),
            )?;
        }
        if show_values {
            for (value, x, y) in [
                (r.taakstelling, cx - 2.0 - bar_w / 2.0, yt),
                (r.uitstroom, cx + 2.0 + bar_w / 2.0, yu),
            ] {
                let text = getal(value);
                let at = (x, y - 4.0);
                label_boxes.push(text_box(&text, at, VALUE_FONT, H::Center, V::Bottom));
                c.text(&text, at, VALUE_FONT, palette::TEXT, H::Center, V::Bottom)?;
            }
        }
    }
    frame.draw_x_baseline(c)?;
    if frame.y.lo < 0.0 {
        // Keep the zero line on top of the bars' feet.
        c.path(
            &[(frame.left, frame.y(0.0)), (frame.right, frame.y(0.0))],
            Stroke::solid(palette::AXIS, 1),
        )?;
    }

    // The backlog line.
    let points: Vec<(f64, f64)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (frame.x(i as f64), frame.y(r.achterstand_eind as f64)))
        .collect();
    for i in 1..points.len() {
        let stroke = if rows[i].geprojecteerd || rows[i - 1].geprojecteerd {
            LINE_PROJ
        } else {
            LINE
        };
        c.path(&[points[i - 1], points[i]], stroke)?;
    }
    for (r, &p) in rows.iter().zip(&points) {
        c.marker(Marker::Circle, p, 11.0, palette::BLACK, !r.geprojecteerd)?;
    }
    let mut line_boxes: Vec<(f64, f64, f64, f64)> = Vec::new();
    // From the right: the latest figure matters most.
    for (r, &(x, y)) in rows.iter().zip(&points).rev() {
        let text = nl::getal(r.achterstand_eind);
        let font = draw::Font::bold(VALUE_FONT.size);
        let above = ((x, y - 9.0), V::Bottom);
        let below = ((x, y + 9.0), V::Top);
        let fits = |(at, v): ((f64, f64), V)| {
            let b = text_box(&text, at, font, H::Center, v);
            b.1 >= frame.top
                && b.3 <= frame.bottom
                && !label_boxes.iter().any(|l| layout::overlaps(*l, b))
        };
        let (at, v) = if r.achterstand_eind < 0 {
            if fits(below) { below } else { above }
        } else if fits(above) {
            above
        } else {
            below
        };
        // With many rows, a label that would cover a later one is left
        // out (the figures are in the description and the table).
        let b = text_box(&text, at, font, H::Center, v);
        let b = (b.0 - 3.0, b.1, b.2 + 3.0, b.3);
        if line_boxes.iter().any(|l| layout::overlaps(*l, b)) {
            continue;
        }
        line_boxes.push(b);
        c.label_backdrop(&text, at, font, H::Center, v)?;
        c.text(&text, at, font, palette::BLACK, H::Center, v)?;
    }

    // X axis: the labels, and "(deels prognose)" under projected ones.
    // Labels too wide for their slot are thinned out, keeping the last.
    let widest = rows
        .iter()
        .map(|r| layout::AXIS_FONT.width(&r.label))
        .fold(0.0, f64::max);
    let step = ((widest + 8.0) / slot_px).ceil().max(1.0) as usize;
    let mut last_right = f64::NEG_INFINITY;
    for (i, r) in rows.iter().enumerate() {
        let x = frame.x(i as f64);
        if !(rows.len() - 1 - i).is_multiple_of(step) {
            continue;
        }
        c.text(
            &r.label,
            (x, frame.bottom + 6.0),
            layout::AXIS_FONT,
            palette::TEXT,
            H::Center,
            V::Top,
        )?;
        if r.geprojecteerd || r.uitstroom_geprojecteerd {
            let text = "(deels prognose)";
            let w = TICK_FONT.width(text);
            let x = x.clamp(MARGIN + w / 2.0, c.width - MARGIN - w / 2.0);
            if x - w / 2.0 < last_right + 6.0 {
                continue;
            }
            last_right = x + w / 2.0;
            c.text(
                text,
                (x, frame.bottom + 25.0),
                TICK_FONT,
                palette::MUTED,
                H::Center,
                V::Top,
            )?;
        }
    }
    frame.draw_x_title(
        c,
        match tv {
            Tijdvak::Jaar => "Jaar",
            Tijdvak::Periode => "Periode",
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rij(label: &str, ts: u64, uit: u64, eind: i64, proj: bool) -> AchterstandRij {
        AchterstandRij {
            label: label.into(),
            taakstelling: ts,
            uitstroom: uit,
            uitstroom_geprojecteerd: proj,
            achterstand_eind: eind,
            geprojecteerd: proj,
        }
    }

    fn data() -> AchterstandData {
        AchterstandData {
            tijdvak: Tijdvak::Jaar,
            rijen: vec![
                rij("2023", 38_800, 30_400, 6_728, false),
                rij("2024", 35_750, 29_978, 12_500, true),
            ],
        }
    }

    #[test]
    fn description_and_table_carry_the_figures() {
        let chart = achterstand(&data()).unwrap();
        assert_eq!(
            chart.title,
            "Taakstelling, uitstroom en achterstand per jaar"
        );
        assert!(chart.description.contains(
            "2024: taakstelling 35.750, uitstroom 29.978 (deels geprojecteerd), \
             achterstand 12.500 (geprojecteerd)."
        ));
        assert_eq!(
            chart.table.rows[1],
            [
                "2024",
                "35.750",
                "29.978 (deels geprojecteerd)",
                "12.500 (geprojecteerd)"
            ]
        );
        for text in [
            "38.800",
            "12.500",
            "Achterstand, geprojecteerd",
            "(deels prognose)",
        ] {
            assert!(chart.svg.contains(text), "missing {text}");
        }
    }

    #[test]
    fn negative_backlog_is_an_advance() {
        let mut d = data();
        d.rijen[0].achterstand_eind = -1_672;
        let chart = achterstand(&d).unwrap();
        assert!(chart.description.contains("voorsprong 1.672"));
        assert_eq!(chart.table.rows[0][3], "-1.672 (voorsprong)");
        assert!(chart.svg.contains(">-1.672<"));
    }

    #[test]
    fn without_projection_no_projection_legend() {
        let mut d = data();
        d.rijen[1] = rij("2024", 35_750, 29_978, 12_500, false);
        let chart = achterstand(&d).unwrap();
        assert!(!chart.svg.contains("geprojecteerd"));
        assert!(!chart.svg.contains("prognose"));
    }

    #[test]
    fn periods_instead_of_years() {
        let mut d = data();
        d.tijdvak = Tijdvak::Periode;
        let chart = achterstand(&d).unwrap();
        assert_eq!(
            chart.title,
            "Taakstelling, uitstroom en achterstand per periode"
        );
        assert_eq!(chart.table.headers[0], "Periode");
    }

    #[test]
    fn empty_is_an_error() {
        let d = AchterstandData {
            tijdvak: Tijdvak::Jaar,
            rijen: vec![],
        };
        assert!(matches!(achterstand(&d), Err(ChartError::Empty { .. })));
    }
}
