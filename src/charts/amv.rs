//! Places for unaccompanied minors (amv): the places realised up to the
//! peilmoment as a line over time, and the places needed as targets at the
//! dates the need was set for.
//!
//! The two series are known at different dates (realised: the past; needed:
//! dates ahead), so the chart does not draw them as two lines over the same
//! dates, which would suggest a comparison at one date. A vertical line marks
//! the peilmoment between them.

use serde::Serialize;

use super::draw::{self, Canvas, Font, H, Marker, MarkerStyle, Stroke, V, palette, text_box};
use super::geometry::{Geometry, Rect, first_free};
use super::layout::{
    self, BOTTOM_ONE_ROW, Footer, Frame, Header, LegendItem, MARGIN, Swatch, TICK_FONT, VALUE_FONT,
};
use super::{
    BREEDTE, Bron, Chart, ChartError, DataTable, Datum, HOOGTE, bron_line, check_date, getal,
    opsomming, with_bron,
};
use crate::nl;

const CHART: &str = "amv_capaciteit";

/// Input for [`amv_capaciteit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmvData {
    /// The peilmoment of the period: realisation is known up to it.
    pub peilmoment: Datum,
    /// Places needed (capaciteitsbehoefte) at the dates they were set for,
    /// oldest first, each date at most once.
    pub behoefte: Vec<AmvStand>,
    /// Places realised at dates, oldest first, each date at most once.
    pub realisatie: Vec<AmvStand>,
    /// Where the figures come from.
    pub bronnen: Vec<Bron>,
}

/// A number of places at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AmvStand {
    pub datum: Datum,
    pub plekken: u64,
}

const REAL: Stroke = Stroke::solid(palette::VERMILLION, 3);
const REAL_POINT: MarkerStyle = MarkerStyle {
    kind: Marker::Square,
    colour: palette::VERMILLION,
    filled: true,
};
const NEED_POINT: MarkerStyle = MarkerStyle {
    kind: Marker::Target,
    colour: palette::BLUE,
    filled: false,
};
const PEIL: Stroke = Stroke::dashed(palette::MUTED, 1, 4, 3);
const LABEL_FONT: Font = Font::bold(VALUE_FONT.size);

fn datum_kort(d: Datum) -> String {
    format!(
        "{} {} {}",
        d.dag,
        nl::MAANDEN_KORT[d.maand as usize - 1],
        d.jaar
    )
}

fn datum_lang(d: Datum) -> String {
    nl::datum(d.jaar, d.maand, d.dag)
}

/// The places realised up to the peilmoment as a line, the places needed as
/// targets at their dates, a vertical line at the peilmoment, and the
/// sources under it.
pub fn amv_capaciteit(data: &AmvData) -> Result<Chart, ChartError> {
    let (title, body, _) = drawn(data)?;
    let id = "grafiek-amv".to_string();
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

/// What [`amv_capaciteit`] draws, as geometry (see [`super::geometry`]).
pub fn geometry(data: &AmvData) -> Result<Geometry, ChartError> {
    Ok(drawn(data)?.2)
}

fn drawn(data: &AmvData) -> Result<(String, String, Geometry), ChartError> {
    if data.behoefte.is_empty() && data.realisatie.is_empty() {
        return Err(ChartError::Empty {
            chart: CHART,
            what: "no dates",
        });
    }
    check_date(CHART, data.peilmoment)?;
    for (what, reeks) in [
        ("need dates", &data.behoefte),
        ("realised dates", &data.realisatie),
    ] {
        for (i, p) in reeks.iter().enumerate() {
            check_date(CHART, p.datum)?;
            if i > 0 && reeks[i - 1].datum >= p.datum {
                return Err(ChartError::Order {
                    chart: CHART,
                    what,
                    value: datum_lang(p.datum),
                });
            }
        }
    }
    let title = "Capaciteitsbehoefte opvang amv".to_string();
    let (body, geometry) = draw::render(BREEDTE, HOOGTE, |c| draw_chart(c, data, &title))?;
    Ok((title, body, geometry))
}

fn standen(reeks: &[AmvStand]) -> String {
    let items: Vec<String> = reeks
        .iter()
        .map(|s| format!("{} op {}", getal(s.plekken), datum_lang(s.datum)))
        .collect();
    opsomming(&items)
}

fn describe(data: &AmvData) -> String {
    let peil = datum_lang(data.peilmoment);
    let mut text = String::from(
        "Plekken in de opvang voor alleenstaande minderjarige vreemdelingen (amv) met een \
         verblijfsvergunning.",
    );
    if !data.realisatie.is_empty() {
        text.push_str(&format!(
            " Als lijn de gerealiseerde plekken tot het peilmoment ({peil}): {}.",
            standen(&data.realisatie)
        ));
    }
    if !data.behoefte.is_empty() {
        text.push_str(&format!(
            " Als doel de benodigde plekken op de datum waarvoor de behoefte is vastgesteld: {}.",
            standen(&data.behoefte)
        ));
    }
    text.push_str(&format!(
        " Een verticale lijn markeert het peilmoment ({peil})."
    ));
    let mut beide = false;
    for b in &data.behoefte {
        if let Some(r) = data.realisatie.iter().find(|r| r.datum == b.datum) {
            beide = true;
            text.push_str(&format!(
                " Op {} zijn beide bekend: {} plekken gerealiseerd, {} benodigd.",
                datum_lang(b.datum),
                getal(r.plekken),
                getal(b.plekken)
            ));
        }
    }
    if !beide && !data.behoefte.is_empty() && !data.realisatie.is_empty() {
        text.push_str(
            " Realisatie en behoefte zijn niet op dezelfde datum bekend; de grafiek zet ze \
             daarom niet per datum tegenover elkaar.",
        );
    }
    text
}

fn table(data: &AmvData) -> DataTable {
    let mut dates: Vec<Datum> = data
        .behoefte
        .iter()
        .chain(&data.realisatie)
        .map(|s| s.datum)
        .collect();
    dates.sort();
    dates.dedup();
    DataTable {
        headers: vec![
            "Datum".into(),
            "Benodigde plekken".into(),
            "Gerealiseerde plekken".into(),
        ],
        rows: dates
            .iter()
            .map(|&d| {
                let need = data.behoefte.iter().find(|s| s.datum == d);
                let real = data.realisatie.iter().find(|s| s.datum == d);
                vec![
                    datum_lang(d),
                    need.map_or(String::new(), |s| getal(s.plekken)),
                    match real {
                        Some(s) => getal(s.plekken),
                        None if d > data.peilmoment => "nog niet bekend".into(),
                        None => "onbekend".into(),
                    },
                ]
            })
            .collect(),
    }
}

fn legend(data: &AmvData) -> Vec<LegendItem> {
    let mut legend = Vec::new();
    if !data.realisatie.is_empty() {
        legend.push(LegendItem {
            swatch: Swatch::Line {
                stroke: (data.realisatie.len() > 1).then_some(REAL),
                marker: Some(REAL_POINT),
            },
            label: "Gerealiseerde plekken".into(),
        });
    }
    if !data.behoefte.is_empty() {
        legend.push(LegendItem {
            swatch: Swatch::Line {
                stroke: None,
                marker: Some(NEED_POINT),
            },
            label: "Benodigde plekken op de vastgestelde datum".into(),
        });
    }
    legend
}

fn draw_chart(c: &mut Canvas, data: &AmvData, title: &str) -> Result<(), ChartError> {
    let header = Header {
        title: title.to_string(),
        subtitle: Some(
            "Plekken voor amv met een verblijfsvergunning: gerealiseerd tot het peilmoment, \
             benodigd op de vastgestelde data"
                .to_string(),
        ),
        legend: vec![legend(data)],
    };
    header.draw(c);
    let footer = Footer::new(bron_line(&data.bronnen).as_deref(), c.width);
    footer.draw(c);

    let frame = plot_frame(c, data, &header, &footer);
    frame.draw_y_axis(c, "Aantal plekken");
    frame.draw_x_baseline(c);
    draw_peilmoment(c, &frame, data.peilmoment);
    let (need, real) = draw_points(c, &frame, data);
    draw_values(c, &frame, data, &need, &real);
    draw_dates(c, &frame, data);
    frame.draw_x_title(c, "Datum", &footer);
    Ok(())
}

/// A date's place on the x axis: its day number.
fn day(d: Datum) -> f64 {
    d.dagnummer() as f64
}

/// The plot between header and footer: every date (and the peilmoment) with some
/// room on either side, the places from 0 with room above for the labels.
fn plot_frame(c: &Canvas, data: &AmvData, header: &Header, footer: &Footer) -> Frame {
    let all_days: Vec<f64> = data
        .behoefte
        .iter()
        .chain(&data.realisatie)
        .map(|s| day(s.datum))
        .chain([day(data.peilmoment)])
        .collect();
    let d0 = all_days.iter().copied().fold(f64::INFINITY, f64::min);
    let d1 = all_days.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = ((d1 - d0) * 0.07).max(30.0);
    let max = data
        .behoefte
        .iter()
        .chain(&data.realisatie)
        .map(|s| s.plekken as f64)
        .fold(0.0, f64::max);
    let top = header.bottom(c.width) + 12.0;
    let bottom = c.height - BOTTOM_ONE_ROW - footer.height();
    let axis = layout::Axis::nice(0.0, max, 8).with_headroom(max, 30.0, bottom - top);
    Frame {
        left: Frame::left_for(&axis),
        right: c.width - MARGIN,
        top,
        bottom,
        x_lo: d0 - pad,
        x_hi: d1 + pad,
        y: axis,
    }
}

/// The peilmoment: a vertical line with its name at the top.
fn draw_peilmoment(c: &mut Canvas, frame: &Frame, peilmoment: Datum) {
    let px = frame.x(day(peilmoment));
    c.leader(&[(px, frame.top), (px, frame.bottom)], PEIL);
    let peil_font = Font::regular(draw::size::SMALL);
    let spots = [
        ((px + 5.0, frame.top + 2.0), H::Left),
        ((px - 5.0, frame.top + 2.0), H::Right),
    ];
    let boxes: Vec<Rect> = spots
        .iter()
        .map(|&(at, h)| text_box("peilmoment", at, peil_font, h, V::Top))
        .collect();
    if let Some(found) = first_free(&c.geometry, &frame.rect(), &boxes) {
        let (at, h) = spots[found];
        c.label("peilmoment", at, peil_font, palette::MUTED, h, V::Top);
    }
}

/// Points on the canvas.
type Points = Vec<(f64, f64)>;

/// Needed: a target at each date. Realised: a line over time, on top. Returns the
/// points of both.
fn draw_points(c: &mut Canvas, frame: &Frame, data: &AmvData) -> (Points, Points) {
    let need: Points = data
        .behoefte
        .iter()
        .map(|s| (frame.x(day(s.datum)), frame.y(s.plekken as f64)))
        .collect();
    for &p in &need {
        c.marker(NEED_POINT, p, 13.0);
    }
    let real: Points = data
        .realisatie
        .iter()
        .map(|s| (frame.x(day(s.datum)), frame.y(s.plekken as f64)))
        .collect();
    c.series(&real, REAL);
    for &p in &real {
        c.marker(REAL_POINT, p, 10.0);
    }
    (need, real)
}

/// Value labels where they are free: the needs first (the figures the memo is
/// about), then the realised places from the latest back.
fn draw_values(
    c: &mut Canvas,
    frame: &Frame,
    data: &AmvData,
    need: &[(f64, f64)],
    real: &[(f64, f64)],
) {
    let mut labels: Vec<(u64, (f64, f64), draw::Colour)> = data
        .behoefte
        .iter()
        .zip(need)
        .map(|(s, &p)| (s.plekken, p, palette::BLUE))
        .collect();
    labels.extend(
        data.realisatie
            .iter()
            .zip(real)
            .rev()
            .map(|(s, &p)| (s.plekken, p, palette::VERMILLION_TEXT)),
    );
    let bounds = frame.rect();
    for (value, (x, y), colour) in labels {
        let text = getal(value);
        let d = 10.0;
        let spots = [
            ((x, y - d), H::Center, V::Bottom),
            ((x, y + d), H::Center, V::Top),
            ((x + d, y), H::Left, V::Center),
            ((x - d, y), H::Right, V::Center),
            ((x + d - 3.0, y - d + 3.0), H::Left, V::Bottom),
            ((x - d + 3.0, y - d + 3.0), H::Right, V::Bottom),
        ];
        let boxes: Vec<Rect> = spots
            .iter()
            .map(|&(at, h, v)| text_box(&text, at, LABEL_FONT, h, v))
            .collect();
        if let Some(found) = first_free(&c.geometry, &bounds, &boxes) {
            let (at, h, v) = spots[found];
            c.label(&text, at, LABEL_FONT, colour, h, v);
        }
    }
}

/// Date labels under the points and the peilmoment, left out where they would
/// touch the previous one.
fn draw_dates(c: &mut Canvas, frame: &Frame, data: &AmvData) {
    let mut dates: Vec<Datum> = data
        .behoefte
        .iter()
        .chain(&data.realisatie)
        .map(|s| s.datum)
        .chain([data.peilmoment])
        .collect();
    dates.sort();
    dates.dedup();
    let mut last_right = f64::NEG_INFINITY;
    for d in dates {
        let text = datum_kort(d);
        let w = TICK_FONT.width(&text);
        let x = frame.x(day(d));
        let xc = x.clamp(MARGIN + w / 2.0, c.width - MARGIN - w / 2.0);
        let b = text_box(
            &text,
            (xc, frame.bottom + 8.0),
            TICK_FONT,
            H::Center,
            V::Top,
        );
        c.path(
            &[(x, frame.bottom), (x, frame.bottom + 5.0)],
            Stroke::solid(palette::AXIS, 1),
        );
        if b.x0 >= last_right + 8.0 {
            c.text(
                &text,
                (xc, frame.bottom + 8.0),
                TICK_FONT,
                palette::TEXT,
                H::Center,
                V::Top,
            );
            last_right = b.x1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stand(jaar: i32, maand: u32, dag: u32, plekken: u64) -> AmvStand {
        AmvStand {
            datum: Datum { jaar, maand, dag },
            plekken,
        }
    }

    fn data() -> AmvData {
        AmvData {
            peilmoment: Datum {
                jaar: 2024,
                maand: 9,
                dag: 1,
            },
            behoefte: vec![stand(2025, 7, 1, 3_000), stand(2025, 12, 31, 3_500)],
            realisatie: vec![stand(2024, 3, 1, 2_450), stand(2024, 9, 1, 2_650)],
            bronnen: vec![Bron {
                onderwerp: "de plekken".into(),
                tekst: "Nidos".into(),
                illustratief: true,
            }],
        }
    }

    #[test]
    fn description_and_table() {
        let chart = amv_capaciteit(&data()).unwrap();
        assert!(chart.description.contains(
            "Als lijn de gerealiseerde plekken tot het peilmoment (1 september 2024): \
             2.450 op 1 maart 2024 en 2.650 op 1 september 2024."
        ));
        assert!(chart.description.contains(
            "Als doel de benodigde plekken op de datum waarvoor de behoefte is vastgesteld: \
             3.000 op 1 juli 2025 en 3.500 op 31 december 2025."
        ));
        assert!(chart.description.contains("niet op dezelfde datum bekend"));
        assert!(
            chart
                .description
                .ends_with("Bron: Nidos (illustratieve waarden).")
        );
        assert_eq!(chart.table.headers[0], "Datum");
        assert_eq!(chart.table.rows[0], ["1 maart 2024", "", "2.450"]);
        assert_eq!(
            chart.table.rows[2],
            ["1 juli 2025", "3.000", "nog niet bekend"]
        );
        for text in [
            "1 jul 2025",
            "31 dec 2025",
            ">3.500<",
            ">peilmoment<",
            "Gerealiseerde plekken",
        ] {
            assert!(chart.svg.contains(text), "missing {text}");
        }
    }

    #[test]
    fn needs_are_targets_not_a_line() {
        let g = geometry(&data()).unwrap();
        // One realised line of one segment, the peilmoment line; the needs
        // have no line between them.
        assert_eq!(g.lines.len(), 2);
        assert!(g.collisions().is_empty(), "{:?}", g.collisions());
        assert!(
            g.legend_mismatches().is_empty(),
            "{:?}",
            g.legend_mismatches()
        );
    }

    #[test]
    fn both_known_at_one_date_is_said() {
        let mut d = data();
        d.realisatie.push(stand(2025, 7, 1, 2_900));
        let chart = amv_capaciteit(&d).unwrap();
        assert!(chart.description.contains(
            "Op 1 juli 2025 zijn beide bekend: 2.900 plekken gerealiseerd, 3.000 benodigd."
        ));
        assert!(!chart.description.contains("niet op dezelfde datum"));
    }

    #[test]
    fn without_realisation_no_second_series() {
        let mut d = data();
        d.realisatie.clear();
        let chart = amv_capaciteit(&d).unwrap();
        assert!(!chart.svg.contains("Gerealiseerde plekken"));
        let g = geometry(&d).unwrap();
        assert!(
            g.legend_mismatches().is_empty(),
            "{:?}",
            g.legend_mismatches()
        );
    }

    #[test]
    fn a_single_date_is_fine() {
        let d = AmvData {
            peilmoment: Datum {
                jaar: 2025,
                maand: 1,
                dag: 1,
            },
            behoefte: vec![stand(2025, 7, 1, 3_000)],
            realisatie: vec![],
            bronnen: vec![],
        };
        assert!(amv_capaciteit(&d).is_ok());
    }

    #[test]
    fn bad_dates_are_errors() {
        let mut d = data();
        d.behoefte.swap(0, 1);
        assert!(matches!(amv_capaciteit(&d), Err(ChartError::Order { .. })));
        let mut d = data();
        d.realisatie[0].datum.dag = 31;
        d.realisatie[0].datum.maand = 6;
        assert!(matches!(
            amv_capaciteit(&d),
            Err(ChartError::Invalid { .. })
        ));
        let mut d = data();
        d.behoefte.clear();
        d.realisatie.clear();
        assert!(matches!(amv_capaciteit(&d), Err(ChartError::Empty { .. })));
    }
}
