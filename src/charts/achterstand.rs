//! Taakstelling against outflow per year (or period) as grouped bars in an
//! upper panel, and the backlog at the end of each as a line in a lower
//! panel; projected parts are drawn lighter and dashed.
//!
//! Two panels, because the two are different things: the bars are flows
//! within a year or period, the line is a stock at its end. On one axis the
//! line ran through the bars' value labels and its own labels covered bars.

use serde::Serialize;

use super::draw::{self, Canvas, Font, H, Marker, MarkerStyle, Stroke, V, palette, text_box};
use super::geometry::{Geometry, Rect, first_free};
use super::layout::{
    self, BOTTOM_TWO_ROWS, Footer, Frame, Header, LegendItem, MARGIN, Swatch, TICK_FONT, VALUE_FONT,
};
use super::{BREEDTE, Bron, Chart, ChartError, DataTable, bron_line, getal, with_bron};
use crate::nl;

const CHART: &str = "achterstand";

/// Height of this chart: two panels need more room than one.
pub const HOOGTE_ACHTERSTAND: u32 = 560;

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
    /// Months in one row.
    pub fn maanden(self) -> u32 {
        match self {
            Tijdvak::Jaar => 12,
            Tijdvak::Periode => 6,
        }
    }
}

/// Input for [`achterstand`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AchterstandData {
    pub tijdvak: Tijdvak,
    /// The years or periods, oldest first.
    pub rijen: Vec<AchterstandRij>,
    /// Where the taakstelling and the outflow come from.
    pub bronnen: Vec<Bron>,
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
    /// How many of the row's months of outflow are projected: 0 when all
    /// are realised, all of them (6 or 12) when none is.
    pub uitstroom_geprojecteerde_maanden: u32,
    /// Backlog at the end; negative is an advance (voorsprong).
    pub achterstand_eind: i64,
    /// Whether the backlog at the end is a projection (its outflow, or an
    /// earlier row's, is partly projected).
    pub geprojecteerd: bool,
}

/// How much of a row's outflow is projected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Raming {
    Geen,
    Deels,
    Geheel,
}

impl AchterstandRij {
    fn raming(&self, tv: Tijdvak) -> Raming {
        match self.uitstroom_geprojecteerde_maanden {
            0 => Raming::Geen,
            n if n >= tv.maanden() => Raming::Geheel,
            _ => Raming::Deels,
        }
    }
}

const TS_FILL: draw::Colour = palette::BLUE;
const UIT_FILL: draw::Colour = palette::ORANGE;
/// A darker edge gives the light bars 3:1 contrast with the background.
const UIT_BORDER: Stroke = Stroke::solid(palette::DARK_ORANGE, 1);
const UIT_PROJ_ALPHA: f64 = 0.35;
const UIT_PROJ_BORDER: Stroke = Stroke::dashed(palette::DARK_ORANGE, 2, 5, 3);
const LINE: Stroke = Stroke::solid(palette::BLACK, 3);
const LINE_PROJ: Stroke = Stroke::dashed(palette::BLACK, 3, 7, 5);
const POINT: MarkerStyle = MarkerStyle {
    kind: Marker::Circle,
    colour: palette::BLACK,
    filled: true,
};
const POINT_PROJ: MarkerStyle = MarkerStyle {
    kind: Marker::Circle,
    colour: palette::BLACK,
    filled: false,
};
const POINT_SIZE: f64 = 11.0;
const LINE_LABEL_FONT: Font = Font::bold(VALUE_FONT.size);

/// Taakstelling vs outflow per year or period as grouped bars (upper panel),
/// and the backlog at the end of each as a line (lower panel), projected
/// parts lighter and dashed; a source line under it.
pub fn achterstand(data: &AchterstandData) -> Result<Chart, ChartError> {
    let (title, body, _) = drawn(data)?;
    let id = "grafiek-achterstand".to_string();
    let description = with_bron(describe(data), &data.bronnen);
    Ok(Chart::finish(
        id,
        title,
        description,
        table(data),
        &body,
        HOOGTE_ACHTERSTAND,
    ))
}

/// What [`achterstand`] draws, as geometry (see [`super::geometry`]).
pub fn geometry(data: &AchterstandData) -> Result<Geometry, ChartError> {
    Ok(drawn(data)?.2)
}

fn drawn(data: &AchterstandData) -> Result<(String, String, Geometry), ChartError> {
    if data.rijen.is_empty() {
        return Err(ChartError::Empty {
            chart: CHART,
            what: "no years or periods",
        });
    }
    let tv = data.tijdvak;
    for r in &data.rijen {
        if r.uitstroom_geprojecteerde_maanden > tv.maanden() {
            return Err(ChartError::Invalid {
                chart: CHART,
                what: "projected months",
                value: format!("{}: {}", r.label, r.uitstroom_geprojecteerde_maanden),
            });
        }
    }
    let title = format!("Taakstelling, uitstroom en achterstand per {}", tv.woord());
    let (body, geometry) =
        draw::render(BREEDTE, HOOGTE_ACHTERSTAND, |c| draw_chart(c, data, &title))?;
    Ok((title, body, geometry))
}

fn achterstand_tekst(n: i64) -> String {
    if n < 0 {
        format!("voorsprong {}", nl::getal(-n))
    } else {
        format!("achterstand {}", nl::getal(n))
    }
}

fn raming_tekst(r: Raming) -> &'static str {
    match r {
        Raming::Geen => "",
        Raming::Deels => " (deels geprojecteerd)",
        Raming::Geheel => " (geprojecteerd)",
    }
}

fn describe(data: &AchterstandData) -> String {
    let tv = data.tijdvak;
    let mut text = format!(
        "Boven: taakstelling en uitstroom naar huisvesting per {}, als staven. Onder: de \
         achterstand op de taakstelling {}, als lijn. Geprojecteerde waarden (met het huidige \
         huisvestingstempo) zijn lichter en gestreept.",
        tv.woord(),
        tv.eind()
    );
    for r in &data.rijen {
        text.push_str(&format!(
            " {}: taakstelling {}, uitstroom {}{}, {}{}.",
            r.label,
            getal(r.taakstelling),
            getal(r.uitstroom),
            raming_tekst(r.raming(tv)),
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
    let tv = data.tijdvak;
    let rows = data
        .rijen
        .iter()
        .map(|r| {
            let uit = format!("{}{}", getal(r.uitstroom), raming_tekst(r.raming(tv)));
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
    let eind = match tv {
        Tijdvak::Jaar => "Achterstand eind jaar",
        Tijdvak::Periode => "Achterstand eind periode",
    };
    DataTable {
        headers: vec![
            match tv {
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

/// The stroke of the line from row `i − 1` to row `i`.
fn segment_stroke(rows: &[AchterstandRij], i: usize) -> Stroke {
    if rows[i].geprojecteerd || rows[i - 1].geprojecteerd {
        LINE_PROJ
    } else {
        LINE
    }
}

/// The legend, from what will be drawn.
fn legend(data: &AchterstandData) -> Vec<Vec<LegendItem>> {
    let tv = data.tijdvak;
    let rows = &data.rijen;
    let mut bars = vec![LegendItem {
        swatch: Swatch::Block {
            fill: TS_FILL,
            alpha: 1.0,
            border: None,
        },
        label: "Taakstelling".into(),
    }];
    let ramingen: Vec<Raming> = rows.iter().map(|r| r.raming(tv)).collect();
    if ramingen.contains(&Raming::Geen) {
        bars.push(LegendItem {
            swatch: Swatch::Block {
                fill: UIT_FILL,
                alpha: 1.0,
                border: Some(UIT_BORDER),
            },
            label: "Uitstroom naar huisvesting".into(),
        });
    }
    let deels = ramingen.contains(&Raming::Deels);
    let geheel = ramingen.contains(&Raming::Geheel);
    if deels || geheel {
        bars.push(LegendItem {
            swatch: Swatch::Block {
                fill: UIT_FILL,
                alpha: UIT_PROJ_ALPHA,
                border: Some(UIT_PROJ_BORDER),
            },
            label: match (deels, geheel) {
                (true, false) => "Uitstroom, deels geprojecteerd",
                (false, true) => "Uitstroom, geprojecteerd",
                _ => "Uitstroom, (deels) geprojecteerd",
            }
            .into(),
        });
    }
    let strokes: Vec<Stroke> = (1..rows.len()).map(|i| segment_stroke(rows, i)).collect();
    let mut lines = Vec::new();
    let solid = strokes.contains(&LINE);
    let filled = rows.iter().any(|r| !r.geprojecteerd);
    if solid || filled {
        lines.push(LegendItem {
            swatch: Swatch::Line {
                stroke: solid.then_some(LINE),
                marker: filled.then_some(POINT),
            },
            label: format!("Achterstand {}", tv.eind()),
        });
    }
    let dashed = strokes.contains(&LINE_PROJ);
    let hollow = rows.iter().any(|r| r.geprojecteerd);
    if dashed || hollow {
        lines.push(LegendItem {
            swatch: Swatch::Line {
                stroke: dashed.then_some(LINE_PROJ),
                marker: hollow.then_some(POINT_PROJ),
            },
            label: if solid || filled {
                "Achterstand, geprojecteerd".to_string()
            } else {
                format!("Achterstand {}, geprojecteerd", tv.eind())
            },
        });
    }
    vec![bars, lines]
}

fn draw_chart(c: &mut Canvas, data: &AchterstandData, title: &str) -> Result<(), ChartError> {
    let tv = data.tijdvak;
    let rows = &data.rijen;
    let any_proj = rows
        .iter()
        .any(|r| r.geprojecteerd || r.uitstroom_geprojecteerde_maanden > 0);
    let header = Header {
        title: title.to_string(),
        subtitle: any_proj.then(|| {
            "Lichter en gestreept: geprojecteerd met het huidige huisvestingstempo".to_string()
        }),
        legend: legend(data),
    };
    header.draw(c);
    let footer = Footer::new(bron_line(&data.bronnen).as_deref(), c.width);
    footer.draw(c);

    let (frame_a, frame_b) = panels(c, rows, &header, &footer);
    draw_panel_titles_and_y_axes(c, tv, &frame_a, &frame_b);
    draw_bars(c, data, &frame_a);
    let points = draw_backlog_line(c, rows, &frame_b);
    draw_backlog_values(c, rows, &points, &frame_b);
    draw_x_axis(c, data, &frame_b);
    frame_b.draw_x_title(
        c,
        match tv {
            Tijdvak::Jaar => "Jaar",
            Tijdvak::Periode => "Periode",
        },
        &footer,
    );
    Ok(())
}

/// Room above every panel for its title.
const PANEL_TITLE: f64 = 20.0;

/// The two panels between header and footer: the bars above (three fifths of the
/// room), the backlog line below; one left edge for both.
fn panels(c: &Canvas, rows: &[AchterstandRij], header: &Header, footer: &Footer) -> (Frame, Frame) {
    let gap = 16.0;
    let top = header.bottom(c.width) + 10.0;
    let bottom = c.height - BOTTOM_TWO_ROWS - footer.height();
    let room = (bottom - top - 2.0 * PANEL_TITLE - gap).max(60.0);
    let a_top = top + PANEL_TITLE;
    let a_bottom = a_top + room * 0.6;
    let b_top = a_bottom + gap + PANEL_TITLE;
    let b_bottom = bottom;

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
    let axis_a = layout::Axis::nice(0.0, bar_max, 6).with_headroom(bar_max, 20.0, a_bottom - a_top);
    let mut axis_b =
        layout::Axis::nice(line_min, line_max, 4).with_headroom(line_max, 24.0, b_bottom - b_top);
    // Room below a negative backlog for its label.
    for _ in 0..4 {
        let px = (b_bottom - b_top) / (axis_b.hi - axis_b.lo);
        if line_min < 0.0 && (line_min - axis_b.lo) * px < 24.0 {
            axis_b.lo -= axis_b.step;
        } else {
            break;
        }
    }
    let n = rows.len() as f64;
    let left = Frame::left_for(&axis_a).max(Frame::left_for(&axis_b));
    let frame_a = Frame {
        left,
        right: c.width - MARGIN,
        top: a_top,
        bottom: a_bottom,
        x_lo: -0.5,
        x_hi: n - 0.5,
        y: axis_a,
    };
    let frame_b = Frame {
        top: b_top,
        bottom: b_bottom,
        y: axis_b,
        ..frame_a
    };
    (frame_a, frame_b)
}

fn draw_panel_titles_and_y_axes(c: &mut Canvas, tv: Tijdvak, frame_a: &Frame, frame_b: &Frame) {
    let left = frame_a.left;
    let panel_font = Font::bold(draw::size::SMALL);
    c.text(
        &format!("Taakstelling en uitstroom per {}", tv.woord()),
        (left, frame_a.top - 6.0),
        panel_font,
        palette::TEXT,
        H::Left,
        V::Bottom,
    );
    c.text(
        &format!("Achterstand op de taakstelling {}", tv.eind()),
        (left, frame_b.top - 6.0),
        panel_font,
        palette::TEXT,
        H::Left,
        V::Bottom,
    );
    frame_a.draw_y_ticks(c);
    frame_b.draw_y_ticks(c);
    layout::draw_y_title(c, "Aantal personen", frame_a.top, frame_b.bottom);
}

/// The width of one row's slot in pixels.
fn slot_px(frame: &Frame, rows: &[AchterstandRij]) -> f64 {
    frame.width() / rows.len() as f64
}

/// Upper panel: the bars, then their values where they fit.
fn draw_bars(c: &mut Canvas, data: &AchterstandData, frame_a: &Frame) {
    let bar_w = (slot_px(frame_a, &data.rijen) * 0.34).min(84.0);
    let mut value_labels: Vec<(String, f64, f64)> = Vec::new();
    for (i, r) in data.rijen.iter().enumerate() {
        let cx = frame_a.x(i as f64);
        let y0 = frame_a.y(0.0);
        let yt = frame_a.y(r.taakstelling as f64);
        let yu = frame_a.y(r.uitstroom as f64);
        c.bar((cx - 2.0 - bar_w, y0), (cx - 2.0, yt), (TS_FILL, 1.0), None);
        if r.raming(data.tijdvak) == Raming::Geen {
            c.bar(
                (cx + 2.0, y0),
                (cx + 2.0 + bar_w, yu),
                (UIT_FILL, 1.0),
                Some(UIT_BORDER),
            );
        } else {
            c.bar(
                (cx + 2.0, y0),
                (cx + 2.0 + bar_w, yu),
                (UIT_FILL, UIT_PROJ_ALPHA),
                Some(UIT_PROJ_BORDER),
            );
        }
        value_labels.push((getal(r.taakstelling), cx - 2.0 - bar_w / 2.0, yt));
        value_labels.push((getal(r.uitstroom), cx + 2.0 + bar_w / 2.0, yu));
    }
    frame_a.draw_x_baseline(c);
    // Values only when they fit over their bars; each where it is free.
    let value_w = value_labels
        .iter()
        .map(|(t, _, _)| VALUE_FONT.width(t))
        .fold(0.0, f64::max);
    if bar_w >= value_w + 2.0 {
        let bounds = frame_a.rect();
        for (text, x, y) in value_labels {
            let at = (x, y - 4.0);
            let b = text_box(&text, at, VALUE_FONT, H::Center, V::Bottom);
            if first_free(&c.geometry, &bounds, &[b]).is_some() {
                c.label(&text, at, VALUE_FONT, palette::TEXT, H::Center, V::Bottom);
            }
        }
    }
}

/// Lower panel: the backlog line with its markers. Returns the points.
fn draw_backlog_line(c: &mut Canvas, rows: &[AchterstandRij], frame_b: &Frame) -> Vec<(f64, f64)> {
    frame_b.draw_x_baseline(c);
    let points: Vec<(f64, f64)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (frame_b.x(i as f64), frame_b.y(r.achterstand_eind as f64)))
        .collect();
    // Consecutive segments of the same stroke as one line, so a dash
    // pattern runs on through the points.
    let mut start = 0;
    for i in 1..points.len() {
        let stroke = segment_stroke(rows, i);
        let next_differs = i + 1 >= points.len() || segment_stroke(rows, i + 1) != stroke;
        if next_differs {
            c.series(&points[start..=i], stroke);
            start = i;
        }
    }
    for (r, &p) in rows.iter().zip(&points) {
        let style = if r.geprojecteerd { POINT_PROJ } else { POINT };
        c.marker(style, p, POINT_SIZE);
    }
    points
}

/// The backlog's values at its points, each where it is free, from the right:
/// the latest figure matters most.
fn draw_backlog_values(
    c: &mut Canvas,
    rows: &[AchterstandRij],
    points: &[(f64, f64)],
    frame_b: &Frame,
) {
    let bounds = frame_b.rect();
    for (r, &(x, y)) in rows.iter().zip(points).rev() {
        let text = nl::getal(r.achterstand_eind);
        let d = POINT_SIZE / 2.0 + 3.0;
        let mut spots = [
            ((x, y - d), H::Center, V::Bottom),
            ((x, y + d), H::Center, V::Top),
            ((x + d, y - d + 2.0), H::Left, V::Bottom),
            ((x - d, y - d + 2.0), H::Right, V::Bottom),
            ((x + d, y + d - 2.0), H::Left, V::Top),
            ((x - d, y + d - 2.0), H::Right, V::Top),
            ((x + d + 2.0, y), H::Left, V::Center),
            ((x - d - 2.0, y), H::Right, V::Center),
        ];
        if r.achterstand_eind < 0 {
            spots.swap(0, 1);
        }
        let boxes: Vec<Rect> = spots
            .iter()
            .map(|&(at, h, v)| text_box(&text, at, LINE_LABEL_FONT, h, v))
            .collect();
        if let Some(found) = first_free(&c.geometry, &bounds, &boxes) {
            let (at, h, v) = spots[found];
            c.label(&text, at, LINE_LABEL_FONT, palette::BLACK, h, v);
        }
    }
}

/// X axis: the labels, and under them how much is projected. Labels too wide for
/// their slot are thinned out, keeping the last.
fn draw_x_axis(c: &mut Canvas, data: &AchterstandData, frame_b: &Frame) {
    let rows = &data.rijen;
    let widest = rows
        .iter()
        .map(|r| layout::AXIS_FONT.width(&r.label))
        .fold(0.0, f64::max);
    let step = ((widest + 8.0) / slot_px(frame_b, rows)).ceil().max(1.0) as usize;
    let mut last_right = f64::NEG_INFINITY;
    for (i, r) in rows.iter().enumerate() {
        let x = frame_b.x(i as f64);
        if !(rows.len() - 1 - i).is_multiple_of(step) {
            continue;
        }
        c.text(
            &r.label,
            (x, frame_b.bottom + 6.0),
            layout::AXIS_FONT,
            palette::TEXT,
            H::Center,
            V::Top,
        );
        let note = match r.raming(data.tijdvak) {
            Raming::Geen if r.geprojecteerd => "(achterstand geprojecteerd)",
            Raming::Geen => continue,
            Raming::Deels => "(deels geprojecteerd)",
            Raming::Geheel => "(geprojecteerd)",
        };
        let w = TICK_FONT.width(note);
        let x = x.clamp(MARGIN + w / 2.0, c.width - MARGIN - w / 2.0);
        if x - w / 2.0 < last_right + 6.0 {
            continue;
        }
        last_right = x + w / 2.0;
        c.text(
            note,
            (x, frame_b.bottom + 25.0),
            TICK_FONT,
            palette::MUTED,
            H::Center,
            V::Top,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rij(label: &str, ts: u64, uit: u64, eind: i64, proj: u32) -> AchterstandRij {
        AchterstandRij {
            label: label.into(),
            taakstelling: ts,
            uitstroom: uit,
            uitstroom_geprojecteerde_maanden: proj,
            achterstand_eind: eind,
            geprojecteerd: proj > 0,
        }
    }

    fn data() -> AchterstandData {
        AchterstandData {
            tijdvak: Tijdvak::Jaar,
            rijen: vec![
                rij("2023", 38_800, 30_400, 6_728, 0),
                rij("2024", 35_750, 29_978, 12_500, 4),
            ],
            bronnen: vec![Bron {
                onderwerp: "de uitstroom".into(),
                tekst: "COA".into(),
                illustratief: false,
            }],
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
        assert!(chart.description.ends_with(" Bron: COA."));
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
            "(deels geprojecteerd)",
            ">Bron: COA.<",
        ] {
            assert!(chart.svg.contains(text), "missing {text}");
        }
    }

    #[test]
    fn fully_projected_rows_say_so() {
        let mut d = data();
        d.tijdvak = Tijdvak::Periode;
        d.rijen[1].uitstroom_geprojecteerde_maanden = 6;
        let chart = achterstand(&d).unwrap();
        assert!(
            chart
                .description
                .contains("uitstroom 29.978 (geprojecteerd),")
        );
        assert!(chart.svg.contains(">Uitstroom, geprojecteerd<"));
        assert!(!chart.svg.contains("deels"));
        d.rijen[1].uitstroom_geprojecteerde_maanden = 7;
        assert!(matches!(achterstand(&d), Err(ChartError::Invalid { .. })));
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
        d.rijen[1] = rij("2024", 35_750, 29_978, 12_500, 0);
        let chart = achterstand(&d).unwrap();
        assert!(!chart.svg.contains("geprojecteerd"));
        assert!(!chart.svg.contains("stroke-dasharray"));
    }

    #[test]
    fn all_projected_shows_only_the_projected_legend() {
        let d = AchterstandData {
            tijdvak: Tijdvak::Periode,
            rijen: vec![
                rij("2025-I", 15_000, 13_500, 13_980, 4),
                rij("2025-II", 13_000, 13_500, 13_480, 6),
            ],
            bronnen: vec![],
        };
        let g = geometry(&d).unwrap();
        assert!(
            g.legend_mismatches().is_empty(),
            "{:?}",
            g.legend_mismatches()
        );
        assert!(g.collisions().is_empty(), "{:?}", g.collisions());
        let chart = achterstand(&d).unwrap();
        assert!(!chart.svg.contains(">Uitstroom naar huisvesting<"));
        assert!(
            !chart
                .svg
                .contains(">Achterstand aan het eind van de periode<")
        );
        assert!(
            chart
                .svg
                .contains(">Achterstand aan het eind van de periode, geprojecteerd<")
        );
        // Without sources there is no source line.
        assert!(!chart.svg.contains("Bron:"));
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
            bronnen: vec![],
        };
        assert!(matches!(achterstand(&d), Err(ChartError::Empty { .. })));
    }
}
