//! Graph 1 of the memo: monthly grants, the months scenario 1 averages, and
//! the bandwidth of the scenarios for the coming period with the chosen
//! taakstelling. Months without figures are hatched, so they do not read as
//! zero.

use serde::Serialize;

use super::draw::{self, Canvas, Font, H, Stroke, V, palette, size, text_box, text_box_up};
use super::geometry::{Geometry, Rect, first_free};
use super::layout::{
    self, BOTTOM_TWO_ROWS, Footer, Frame, Header, LegendItem, MARGIN, Slot, Swatch,
};
use super::{
    BREEDTE, Bron, Chart, ChartError, DataTable, Datum, HOOGTE, MaandAantal, Periode, bron_line,
    check_date, check_month, getal, per_maand, with_bron,
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
    /// between that are missing are drawn as empty (hatched).
    pub inwilligingen: Vec<MaandAantal>,
    /// The peilmoment: scenario 1 averages the whole months before it.
    pub peilmoment: Datum,
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
    /// Where the grants and scenario 2 come from.
    pub bronnen: Vec<Bron>,
}

const BARS: draw::Colour = palette::SKY_BLUE;
/// A darker edge gives the light bars 3:1 contrast with the background.
const BARS_BORDER: Stroke = Stroke::solid(palette::BLUE, 1);
const BAND: draw::Colour = palette::ORANGE;
const BAND_ALPHA: f64 = 0.28;
const S1: Stroke = Stroke::dashed(palette::VERMILLION, 3, 9, 5);
const S2: Stroke = Stroke::dashed(palette::BLUE, 3, 3, 4);
const TS: Stroke = Stroke::solid(palette::BLACK, 4);

/// Graph 1: grants per month over the last months with the months scenario
/// 1 averages marked, and for the coming period scenario 1 and 2 as monthly
/// paces (period total / 6) with the band between them shaded and the
/// chosen taakstelling marked; months without figures hatched; the sources
/// under it.
pub fn bandbreedte(data: &BandbreedteData) -> Result<Chart, ChartError> {
    let (title, body, _) = drawn(data)?;
    let periode = data.periode;
    let id = format!("grafiek-bandbreedte-{}", periode.to_string().to_lowercase());
    let description = with_bron(describe(data), &data.bronnen);
    Ok(Chart::finish(
        id,
        title,
        description,
        table(data),
        &body,
        HOOGTE,
    ))
}

/// What [`bandbreedte`] draws, as geometry (see [`super::geometry`]).
pub fn geometry(data: &BandbreedteData) -> Result<Geometry, ChartError> {
    Ok(drawn(data)?.2)
}

fn drawn(data: &BandbreedteData) -> Result<(String, String, Geometry), ChartError> {
    validate(data)?;
    let title = format!("Bandbreedte taakstelling {}", data.periode);
    let (body, geometry) = draw::render(BREEDTE, HOOGTE, |c| draw_chart(c, data, &title))?;
    Ok((title, body, geometry))
}

fn validate(data: &BandbreedteData) -> Result<(), ChartError> {
    check_date(CHART, data.peilmoment)?;
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

/// Where the chosen taakstelling lies in the bandwidth, in words.
fn position_in_band(data: &BandbreedteData) -> String {
    let (lo, hi) = (
        data.scenario_1.min(data.scenario_2),
        data.scenario_1.max(data.scenario_2),
    );
    let ts = data.taakstelling;
    if ts < lo {
        "onder de bandbreedte".to_string()
    } else if ts > hi {
        "boven de bandbreedte".to_string()
    } else if lo == hi {
        "gelijk aan beide scenario's".to_string()
    } else if ts == lo {
        format!(
            "aan de onderkant van de bandbreedte ({})",
            if data.scenario_1 == lo {
                "scenario 1"
            } else {
                "scenario 2"
            }
        )
    } else if ts == hi {
        format!(
            "aan de bovenkant van de bandbreedte ({})",
            if data.scenario_1 == hi {
                "scenario 1"
            } else {
                "scenario 2"
            }
        )
    } else {
        "binnen de bandbreedte".to_string()
    }
}

fn describe(data: &BandbreedteData) -> String {
    let p = data.periode;
    let ts = data.taakstelling;
    let plaats = position_in_band(data);
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
        let min = months.iter().min_by_key(|m| m.aantal).expect("not empty");
        let max = months
            .iter()
            .rev()
            .max_by_key(|m| m.aantal)
            .expect("not empty");
        text.push_str(&format!(
            " Daarvoor staven met het aantal inwilligingen per maand van {} tot en met {}, \
             het laagst in {} ({}) en het hoogst in {} ({}).",
            nl::maand(first.jaar, first.maand),
            nl::maand(last.jaar, last.maand),
            nl::maand(min.jaar, min.maand),
            getal(min.aantal),
            nl::maand(max.jaar, max.maand),
            getal(max.aantal),
        ));
        let (w0, w1) = window(data);
        let n = data.scenario_1_maanden;
        text.push_str(&format!(
            " Een haak boven de staven markeert {} waarover scenario 1 het gemiddelde neemt \
             ({}): gemiddeld {} per maand.",
            if n == 1 { "de maand" } else { "de maanden" },
            month_range(w0, w1),
            getal(data.gemiddelde_per_maand),
        ));
        let start = p.eerste_maand().index();
        let first_i = Maand {
            jaar: first.jaar,
            maand: first.maand,
        }
        .index();
        let peil = data.peilmoment.maand().index();
        for (a, b) in empty_runs(data, first_i, start) {
            text.push_str(&format!(
                " Van {} {} cijfers; {} gearceerd.",
                month_range(a, b),
                if a >= peil {
                    "zijn er nog geen"
                } else {
                    "zijn er geen"
                },
                if a == b {
                    "die maand is"
                } else {
                    "die maanden zijn"
                }
            ));
        }
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

/// Runs of months between the first grant month and the period without a
/// figure: (first index, last index), both inclusive.
fn empty_runs(data: &BandbreedteData, first: i64, start: i64) -> Vec<(i64, i64)> {
    let have: std::collections::BTreeSet<i64> = data
        .inwilligingen
        .iter()
        .map(|m| {
            Maand {
                jaar: m.jaar,
                maand: m.maand,
            }
            .index()
        })
        .collect();
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for i in first..start {
        if have.contains(&i) {
            continue;
        }
        match runs.last_mut() {
            Some((_, end)) if *end == i - 1 => *end = i,
            _ => runs.push((i, i)),
        }
    }
    runs
}

/// The months scenario 1 averages: the `scenario_1_maanden` whole months
/// before the peilmoment (first and last index, inclusive).
fn window(data: &BandbreedteData) -> (i64, i64) {
    let last = data.peilmoment.maand().index() - 1;
    (last + 1 - i64::from(data.scenario_1_maanden.max(1)), last)
}

/// "september 2024" or "september 2024 tot en met december 2024".
fn month_range(first: i64, last: i64) -> String {
    let (j0, m0) = month_at(first);
    let (j1, m1) = month_at(last);
    if first == last {
        nl::maand(j0, m0)
    } else {
        format!("{} tot en met {}", nl::maand(j0, m0), nl::maand(j1, m1))
    }
}

fn window_label_texts(n: u32) -> Vec<String> {
    let mut out = Vec::new();
    if n == 1 {
        out.push("Scenario 1: deze maand".to_string());
    } else {
        out.push(format!("Scenario 1: gemiddelde van deze {n} maanden"));
        out.push(format!("Scenario 1: {n} maanden"));
    }
    out.push("Scenario 1".to_string());
    out
}

fn legend(data: &BandbreedteData) -> Vec<Vec<LegendItem>> {
    let p = data.periode;
    let mut first = Vec::new();
    if !data.inwilligingen.is_empty() {
        first.push(LegendItem {
            swatch: Swatch::Block {
                fill: BARS,
                alpha: 1.0,
                border: Some(BARS_BORDER),
            },
            label: "Inwilligingen per maand".into(),
        });
    }
    first.push(LegendItem {
        swatch: Swatch::Line {
            stroke: Some(TS),
            marker: None,
        },
        label: format!("Taakstelling {p}: {}", with_pace(data.taakstelling)),
    });
    let mut legend = vec![
        first,
        vec![
            LegendItem {
                swatch: Swatch::Line {
                    stroke: Some(S1),
                    marker: None,
                },
                label: format!("Scenario 1: {}", with_pace(data.scenario_1)),
            },
            LegendItem {
                swatch: Swatch::Line {
                    stroke: Some(S2),
                    marker: None,
                },
                label: format!("Scenario 2: {}", with_pace(data.scenario_2)),
            },
        ],
    ];
    if per_maand(data.scenario_1) != per_maand(data.scenario_2) {
        legend.push(vec![LegendItem {
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
        }]);
    }
    legend
}

/// The direct labels right of the plot, top to bottom when the lines are apart.
const LINE_NAMES: [&str; 3] = ["Scenario 2", "Scenario 1", "Taakstelling"];

/// Where the chart's months and paces lie. Slot i is the month `first + i`,
/// centred on x = i.
struct Plot {
    frame: Frame,
    /// Month index of the first grant month (the period's first month when there is none).
    first: i64,
    /// Month index of the period's first month.
    start: i64,
    /// Month index just after the period.
    end: i64,
    /// Monthly paces of scenario 1, scenario 2 and the taakstelling.
    s1: f64,
    s2: f64,
    ts: f64,
}

impl Plot {
    fn new(c: &Canvas, data: &BandbreedteData, header: &Header, footer: &Footer) -> Plot {
        let start = data.periode.eerste_maand().index();
        let first = data.inwilligingen.first().map_or(start, maand_index);
        let end = start + i64::from(Periode::MAANDEN);
        let n = (end - first) as f64;
        let (s1, s2, ts) = (
            per_maand(data.scenario_1) as f64,
            per_maand(data.scenario_2) as f64,
            per_maand(data.taakstelling) as f64,
        );
        let label_font = Font::bold(size::SMALL);
        let label_w = LINE_NAMES
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
        let bottom = c.height - BOTTOM_TWO_ROWS - footer.height();
        // Room above the highest bar for the scenario 1 bracket and its label.
        let axis = layout::Axis::nice(0.0, max, 8).with_headroom(max, 32.0, bottom - top);
        let frame = Frame {
            left: Frame::left_for(&axis),
            right: c.width - MARGIN - label_w - 14.0,
            top,
            bottom,
            x_lo: -0.5,
            x_hi: n - 0.5,
            y: axis,
        };
        Plot {
            frame,
            first,
            start,
            end,
            s1,
            s2,
            ts,
        }
    }

    fn slot(&self, index: i64) -> f64 {
        (index - self.first) as f64
    }

    /// The coming period's left and right edge, in slots.
    fn period(&self) -> (f64, f64) {
        (self.slot(self.start) - 0.5, self.slot(self.end) - 0.5)
    }
}

/// A grant month's month index.
fn maand_index(m: &MaandAantal) -> i64 {
    Maand {
        jaar: m.jaar,
        maand: m.maand,
    }
    .index()
}

fn draw_chart(c: &mut Canvas, data: &BandbreedteData, title: &str) -> Result<(), ChartError> {
    let p = data.periode;
    let header = Header {
        title: title.to_string(),
        subtitle: Some(format!(
            "Inwilligingen per maand; voor {p} de scenario's en de taakstelling als gemiddelde per maand"
        )),
        legend: legend(data),
    };
    header.draw(c);
    let footer = Footer::new(bron_line(&data.bronnen).as_deref(), c.width);
    footer.draw(c);
    let plot = Plot::new(c, data, &header, &footer);

    let runs = empty_runs(data, plot.first, plot.start);
    let hatched = draw_background(c, &plot, &runs);
    draw_bars(c, &plot, data);
    draw_band_and_lines(c, &plot);
    draw_line_labels(c, &plot);
    draw_period_label(c, &plot, p);
    draw_window_bracket(c, &plot, data, &hatched);
    draw_empty_labels(c, &plot, data, &runs, &hatched);

    let slots: Vec<Slot> = (0..(plot.end - plot.first))
        .map(|i| {
            let (jaar, maand) = month_at(plot.first + i);
            Slot {
                x: i as f64,
                label: nl::MAANDEN_KORT[maand as usize - 1].to_string(),
                group: jaar,
                key: maand - 1,
            }
        })
        .collect();
    layout::draw_two_row_x_axis(c, &plot.frame, &slots);
    plot.frame.draw_x_title(c, "Maand", &footer);
    Ok(())
}

/// The coming period shaded, the months without figures hatched (so that they do
/// not read as zero), and the y axis. Returns the hatched boxes, one per run.
fn draw_background(c: &mut Canvas, plot: &Plot, runs: &[(i64, i64)]) -> Vec<Rect> {
    let frame = &plot.frame;
    let (p_lo, p_hi) = plot.period();
    c.rect(
        (frame.x(p_lo), frame.top),
        (frame.x(p_hi), frame.bottom),
        Some((palette::SHADE, 1.0)),
        None,
    );
    let hatched: Vec<Rect> = runs
        .iter()
        .map(|&(a, b)| Rect {
            x0: frame.x(plot.slot(a) - 0.5),
            y0: frame.top,
            x1: frame.x(plot.slot(b) + 0.5),
            y1: frame.bottom,
        })
        .collect();
    for h in &hatched {
        c.hatch((h.x0, h.y0), (h.x1, h.y1), 7.0);
    }
    frame.draw_y_axis(c, "Aantal inwilligingen per maand");
    hatched
}

/// The grants per month as bars.
fn draw_bars(c: &mut Canvas, plot: &Plot, data: &BandbreedteData) {
    let frame = &plot.frame;
    let half_bar = 0.34;
    for m in &data.inwilligingen {
        let x = plot.slot(maand_index(m));
        c.bar(
            (frame.x(x - half_bar), frame.y(0.0)),
            (frame.x(x + half_bar), frame.y(m.aantal as f64)),
            (BARS, 1.0),
            Some(BARS_BORDER),
        );
    }
}

/// The band between the scenarios and the three lines over the period.
fn draw_band_and_lines(c: &mut Canvas, plot: &Plot) {
    let frame = &plot.frame;
    let (p_lo, p_hi) = plot.period();
    let (x0, x1) = (frame.x(p_lo), frame.x(p_hi));
    let (s1, s2, ts) = (plot.s1, plot.s2, plot.ts);
    let (lo, hi) = (s1.min(s2), s1.max(s2));
    if lo < hi {
        c.area(
            &[
                (x0, frame.y(lo)),
                (x1, frame.y(lo)),
                (x1, frame.y(hi)),
                (x0, frame.y(hi)),
            ],
            BAND,
            BAND_ALPHA,
        );
    }
    // Taakstelling first: the dashed scenario lines stay visible on top of
    // it when it equals one of them.
    c.series(&[(x0, frame.y(ts)), (x1, frame.y(ts))], TS);
    c.series(&[(x0, frame.y(s1)), (x1, frame.y(s1))], S1);
    c.series(&[(x0, frame.y(s2)), (x1, frame.y(s2))], S2);
    frame.draw_x_baseline(c);
}

/// Direct labels right of the plot, spread apart, with leader lines where they
/// had to move.
fn draw_line_labels(c: &mut Canvas, plot: &Plot) {
    let frame = &plot.frame;
    let label_font = Font::bold(size::SMALL);
    let wanted = [frame.y(plot.s2), frame.y(plot.s1), frame.y(plot.ts)];
    let colours = [S2.colour, S1.colour, TS.colour];
    // Text needs 4.5:1 on white: the scenario 1 label is drawn darker than its line.
    let text_colours = [S2.colour, palette::VERMILLION_TEXT, TS.colour];
    let placed = layout::spread(&wanted, 16.0, frame.top + 6.0, frame.bottom - 6.0);
    let lx = frame.right + 12.0;
    for i in 0..3 {
        if (placed[i] - wanted[i]).abs() > 1.0 {
            c.leader(
                &[(frame.right, wanted[i]), (lx - 4.0, placed[i])],
                Stroke::solid(colours[i], 1),
            );
        }
    }
    for i in 0..3 {
        c.label(
            LINE_NAMES[i],
            (lx, placed[i]),
            label_font,
            text_colours[i],
            H::Left,
            V::Center,
        );
    }
}

/// "Periode 2025-I" over the shaded months, or just "2025-I" when the region is
/// narrow; left out when neither is free.
fn draw_period_label(c: &mut Canvas, plot: &Plot, p: Periode) {
    let frame = &plot.frame;
    let (p_lo, p_hi) = plot.period();
    let region_font = Font::bold(size::SMALL);
    let centre = (frame.x(p_lo) + frame.x(p_hi)) / 2.0;
    let region = Rect {
        x0: frame.x(p_lo),
        y0: frame.top,
        x1: frame.x(p_hi),
        y1: frame.bottom,
    };
    let texts = [format!("Periode {p}"), p.to_string()];
    let boxes: Vec<Rect> = texts
        .iter()
        .map(|t| text_box(t, (centre, frame.top + 5.0), region_font, H::Center, V::Top))
        .collect();
    if let Some(found) = first_free(&c.geometry, &region.grow(-3.0), &boxes) {
        c.label(
            &texts[found],
            (centre, frame.top + 5.0),
            region_font,
            palette::TEXT,
            H::Center,
            V::Top,
        );
    }
}

/// The months scenario 1 averages: a bracket over their bars with a label, the
/// longest label that fits where it is free (never over the hatching of months
/// without figures).
fn draw_window_bracket(c: &mut Canvas, plot: &Plot, data: &BandbreedteData, hatched: &[Rect]) {
    let frame = &plot.frame;
    let (w0, w1) = window(data);
    let (w0, w1) = (w0.max(plot.first), w1.min(plot.start - 1));
    if w0 > w1 {
        return;
    }
    let bx0 = frame.x(plot.slot(w0) - 0.5) + 2.0;
    let bx1 = frame.x(plot.slot(w1) + 0.5) - 2.0;
    // The top of the highest bar near [xa, xb].
    let bar_top = |xa: f64, xb: f64| {
        data.inwilligingen
            .iter()
            .filter(|m| {
                let x = frame.x(plot.slot(maand_index(m)));
                x + 12.0 >= xa && x - 12.0 <= xb
            })
            .map(|m| frame.y(m.aantal as f64))
            .fold(frame.bottom, f64::min)
    };
    let font = Font::bold(size::SMALL);
    let bounds = frame.rect();
    for text in window_label_texts(data.scenario_1_maanden) {
        let w = font.width(&text);
        // Centred over the bracket, or ending or starting with it.
        let centres = [
            ((bx0 + bx1) / 2.0).clamp(frame.left + w / 2.0 + 2.0, frame.right - w / 2.0 - 2.0),
            bx1 - w / 2.0,
            bx0 + w / 2.0,
        ];
        for cx in centres {
            let y = bar_top(bx0.min(cx - w / 2.0), bx1.max(cx + w / 2.0)) - 8.0;
            let at = (cx, y - 4.0);
            let b = text_box(&text, at, font, H::Center, V::Bottom);
            if hatched.iter().any(|h| h.overlaps(&b)) {
                continue;
            }
            let bracket = [(bx0, y + 5.0), (bx0, y), (bx1, y), (bx1, y + 5.0)];
            let bracket_free = c.geometry.line_is_free(&bracket, 2.0) && y > frame.top + 2.0;
            if bracket_free && first_free(&c.geometry, &bounds, &[b]).is_some() {
                c.leader(&bracket, Stroke::solid(palette::VERMILLION, 2));
                c.label(
                    &text,
                    at,
                    font,
                    palette::VERMILLION_TEXT,
                    H::Center,
                    V::Bottom,
                );
                return;
            }
        }
    }
}

/// Labels of the months without figures, reading upwards from the foot of the plot.
fn draw_empty_labels(
    c: &mut Canvas,
    plot: &Plot,
    data: &BandbreedteData,
    runs: &[(i64, i64)],
    hatched: &[Rect],
) {
    let peil = data.peilmoment.maand().index();
    let empty_font = Font::italic(size::SMALL);
    for (&(a, _), band) in runs.iter().zip(hatched) {
        let text = if a >= peil {
            "nog geen cijfers"
        } else {
            "geen cijfers"
        };
        let at = ((band.x0 + band.x1) / 2.0, plot.frame.bottom - 6.0);
        let rect = text_box_up(text, at, empty_font, H::Left, V::Center);
        if first_free(&c.geometry, band, &[rect]).is_some() {
            c.rect(
                (rect.x0 - 2.0, rect.y0 - 3.0),
                (rect.x1 + 2.0, rect.y1 + 3.0),
                Some((palette::WHITE, 1.0)),
                None,
            );
            c.label_up(text, at, empty_font, palette::MUTED, H::Left, V::Center);
        }
    }
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
            peilmoment: Datum {
                jaar: 2024,
                maand: 10,
                dag: 1,
            },
            scenario_1_maanden: 2,
            gemiddelde_per_maand: 2_950,
            scenario_1: 17_700,
            scenario_2: 23_800,
            taakstelling: 17_700,
            bronnen: vec![Bron {
                onderwerp: "de inwilligingen".into(),
                tekst: "IND".into(),
                illustratief: true,
            }],
        }
    }

    #[test]
    fn description_names_the_key_figures() {
        let chart = bandbreedte(&data()).unwrap();
        assert_eq!(chart.title, "Bandbreedte taakstelling 2025-I");
        assert!(chart.description.starts_with(
            "Bandbreedte taakstelling 2025-I (januari tot en met juni 2025): \
             scenario 1 17.700 (2.950 per maand), scenario 2 23.800 (3.967 per maand); \
             gekozen taakstelling 17.700 (2.950 per maand), aan de onderkant \
             van de bandbreedte (scenario 1)."
        ));
        assert!(
            chart
                .description
                .contains("van augustus 2024 tot en met september 2024")
        );
        assert!(chart.description.contains(
            "Een haak boven de staven markeert de maanden waarover scenario 1 het gemiddelde \
             neemt (augustus 2024 tot en met september 2024): gemiddeld 2.950 per maand."
        ));
        assert!(chart.description.contains(
            "Van oktober 2024 tot en met december 2024 zijn er nog geen cijfers; die maanden \
             zijn gearceerd."
        ));
        assert!(
            chart
                .description
                .ends_with("Bron: IND (illustratieve waarden).")
        );
    }

    #[test]
    fn the_window_of_scenario_1_is_marked_and_empty_months_are_hatched() {
        let chart = bandbreedte(&data()).unwrap();
        // Two narrow months: the shortest label, clear of the hatching (and
        // the direct label of the scenario 1 line).
        assert_eq!(chart.svg.matches(">Scenario 1<").count(), 2);
        assert!(chart.svg.contains(">nog geen cijfers<"));
        assert_eq!(
            chart.svg.matches("<path d=\"M").count(),
            1,
            "one hatched band"
        );
        // No bar for a month without figures: two months, two bars (plus the
        // legend's sample).
        let g = geometry(&data()).unwrap();
        assert_eq!(g.bars.len(), 2);
        assert!(g.collisions().is_empty(), "{:?}", g.collisions());
        assert!(
            g.legend_mismatches().is_empty(),
            "{:?}",
            g.legend_mismatches()
        );
        // A gap inside the series is hatched too, and named as such.
        let mut d = data();
        d.inwilligingen.insert(
            0,
            MaandAantal {
                jaar: 2024,
                maand: 5,
                aantal: 2_700,
            },
        );
        let chart = bandbreedte(&d).unwrap();
        assert!(chart.svg.contains(">geen cijfers<"));
        assert!(chart.description.contains(
            "Van juni 2024 tot en met juli 2024 zijn er geen cijfers; die maanden zijn gearceerd."
        ));
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
        assert!(!chart.svg.contains("Inwilligingen per maand<"));
        assert_eq!(chart.table.rows.len(), 2);
        let g = geometry(&d).unwrap();
        assert!(
            g.legend_mismatches().is_empty(),
            "{:?}",
            g.legend_mismatches()
        );
    }

    #[test]
    fn equal_scenarios_draw_no_band() {
        let mut d = data();
        d.scenario_2 = 17_700;
        let chart = bandbreedte(&d).unwrap();
        assert!(!chart.svg.contains("Bandbreedte 2025-I:"));
        let g = geometry(&d).unwrap();
        assert!(
            g.legend_mismatches().is_empty(),
            "{:?}",
            g.legend_mismatches()
        );
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
