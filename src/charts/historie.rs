//! The national taakstelling per period since 2015-I: as first announced
//! (bars) and after adjustment (marks), unknown periods left as gaps.

use serde::Serialize;

use super::draw::{self, Canvas, Font, H, Marker, Stroke, V, palette, size, text_box_up};
use super::geometry::{Geometry, first_free};
use super::layout::{
    self, BOTTOM_TWO_ROWS, Footer, Frame, Header, LegendItem, MARGIN, Slot, Swatch,
};
use super::{
    BREEDTE, Bron, Chart, ChartError, DataTable, HOOGTE, Periode, bron_line, getal, opsomming,
    with_bron,
};

const CHART: &str = "historie";

/// Input for [`historie`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistorieData {
    /// The periods, oldest first, each at most once. Periods missing between
    /// the first and the last are drawn as unknown.
    pub perioden: Vec<HistoriePeriode>,
    /// Where the numbers come from.
    pub bronnen: Vec<Bron>,
}

/// The national taakstelling of one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HistoriePeriode {
    pub periode: Periode,
    /// The number as first announced; `None` when not known.
    pub eerst_bekendgemaakt: Option<u64>,
    /// The number after a later adjustment; `None` when not adjusted (or
    /// not known).
    pub na_bijstelling: Option<u64>,
}

const BAR_FILL: draw::Colour = palette::SKY_BLUE;
const BAR_BORDER: Stroke = Stroke::solid(palette::BLUE, 1);
const ADJUST: draw::Colour = palette::BLACK;

/// Bars for the taakstelling as first announced, a black mark with a
/// diamond where it was adjusted later, and "onbekend" in the gap of a
/// period whose number is not known.
pub fn historie(data: &HistorieData) -> Result<Chart, ChartError> {
    let (title, body, _) = drawn(data)?;
    let all = all_periods(data);
    let id = "grafiek-historie".to_string();
    let description = with_bron(describe(&all), &data.bronnen);
    Ok(Chart::finish(
        id,
        title,
        description,
        table(&all),
        &body,
        HOOGTE,
    ))
}

/// What [`historie`] draws, as geometry (see [`super::geometry`]).
pub fn geometry(data: &HistorieData) -> Result<Geometry, ChartError> {
    Ok(drawn(data)?.2)
}

fn drawn(data: &HistorieData) -> Result<(String, String, Geometry), ChartError> {
    let (Some(first), Some(last)) = (data.perioden.first(), data.perioden.last()) else {
        return Err(ChartError::Empty {
            chart: CHART,
            what: "no periods",
        });
    };
    for w in data.perioden.windows(2) {
        if w[1].periode <= w[0].periode {
            return Err(ChartError::Order {
                chart: CHART,
                what: "periods",
                value: w[1].periode.to_string(),
            });
        }
    }
    let all = all_periods(data);
    let title = format!(
        "Landelijke taakstelling per halfjaar, {} tot en met {}",
        first.periode, last.periode
    );
    let (body, geometry) = draw::render(BREEDTE, HOOGTE, |c| {
        draw_chart(c, &all, &title, &data.bronnen)
    })?;
    Ok((title, body, geometry))
}

/// Every period from the first to the last, missing ones as unknown.
fn all_periods(data: &HistorieData) -> Vec<HistoriePeriode> {
    let mut out = Vec::new();
    let mut given = data.perioden.iter().peekable();
    let mut p = data.perioden[0].periode;
    let last = data.perioden[data.perioden.len() - 1].periode;
    while p <= last {
        match given.peek() {
            Some(g) if g.periode == p => {
                out.push(**g);
                given.next();
            }
            _ => out.push(HistoriePeriode {
                periode: p,
                eerst_bekendgemaakt: None,
                na_bijstelling: None,
            }),
        }
        p = p.volgende();
    }
    out
}

fn describe(all: &[HistoriePeriode]) -> String {
    let first = all[0].periode;
    let last = all[all.len() - 1].periode;
    let mut text = format!(
        "Landelijke taakstelling per halfjaar van {first} tot en met {last}, zoals eerst \
         bekendgemaakt en, waar die later is bijgesteld, na bijstelling."
    );
    let known: Vec<(Periode, u64)> = all
        .iter()
        .filter_map(|h| {
            h.eerst_bekendgemaakt
                .or(h.na_bijstelling)
                .map(|n| (h.periode, n))
        })
        .collect();
    // Highest and lowest: the first period with that number.
    let hi = known.iter().fold(None::<(Periode, u64)>, |best, &(p, n)| {
        if best.is_none_or(|(_, b)| n > b) {
            Some((p, n))
        } else {
            best
        }
    });
    let lo = known.iter().fold(None::<(Periode, u64)>, |best, &(p, n)| {
        if best.is_none_or(|(_, b)| n < b) {
            Some((p, n))
        } else {
            best
        }
    });
    if let (Some((hp, hn)), Some((lp, ln))) = (hi, lo) {
        text.push_str(&format!(
            " Het hoogst in {hp} ({}), het laagst in {lp} ({}).",
            getal(hn),
            getal(ln)
        ));
    }
    let adjusted: Vec<String> = all
        .iter()
        .filter_map(|h| match (h.eerst_bekendgemaakt, h.na_bijstelling) {
            (Some(a), Some(b)) => Some(format!(
                "{} (van {} naar {})",
                h.periode,
                getal(a),
                getal(b)
            )),
            (None, Some(b)) => Some(format!("{} (naar {})", h.periode, getal(b))),
            _ => None,
        })
        .collect();
    if !adjusted.is_empty() {
        text.push_str(&format!(" Bijgesteld in {}.", opsomming(&adjusted)));
    }
    let unknown: Vec<String> = all
        .iter()
        .filter(|h| h.eerst_bekendgemaakt.is_none() && h.na_bijstelling.is_none())
        .map(|h| h.periode.to_string())
        .collect();
    if !unknown.is_empty() {
        text.push_str(&format!(" Niet bekend: {}.", opsomming(&unknown)));
    }
    if let Some(h) = all.last()
        && let Some(n) = h.na_bijstelling.or(h.eerst_bekendgemaakt)
    {
        text.push_str(&format!(" Laatste periode {}: {}.", h.periode, getal(n)));
    }
    text
}

fn table(all: &[HistoriePeriode]) -> DataTable {
    DataTable {
        headers: vec![
            "Periode".into(),
            "Eerst bekendgemaakt".into(),
            "Na bijstelling".into(),
        ],
        rows: all
            .iter()
            .map(|h| {
                vec![
                    h.periode.to_string(),
                    h.eerst_bekendgemaakt.map_or("onbekend".into(), getal),
                    h.na_bijstelling.map_or(String::new(), getal),
                ]
            })
            .collect(),
    }
}

fn draw_chart(
    c: &mut Canvas,
    all: &[HistoriePeriode],
    title: &str,
    bronnen: &[Bron],
) -> Result<(), ChartError> {
    let header = Header {
        title: title.to_string(),
        subtitle: Some("Aantal te huisvesten vergunninghouders per taakstellingsperiode".into()),
        legend: vec![legend(all)],
    };
    header.draw(c);
    let footer = Footer::new(bron_line(bronnen).as_deref(), c.width);
    footer.draw(c);

    let max = all
        .iter()
        .flat_map(|h| [h.eerst_bekendgemaakt, h.na_bijstelling])
        .flatten()
        .map(|n| n as f64)
        .fold(0.0, f64::max);
    let top = header.bottom(c.width) + 12.0;
    let bottom = c.height - BOTTOM_TWO_ROWS - footer.height();
    let axis = layout::Axis::nice(0.0, max, 8).with_headroom(max, 12.0, bottom - top);
    let n = all.len() as f64;
    let frame = Frame {
        left: Frame::left_for(&axis),
        right: c.width - MARGIN,
        top,
        bottom,
        x_lo: -0.5,
        x_hi: n - 0.5,
        y: axis,
    };
    frame.draw_y_axis(c, "Aantal vergunninghouders");
    draw_bars(c, &frame, all);
    frame.draw_x_baseline(c);
    draw_adjustments(c, &frame, all);
    draw_unknown(c, &frame, all);

    let slots: Vec<Slot> = all
        .iter()
        .enumerate()
        .map(|(i, h)| Slot {
            x: i as f64,
            label: h.periode.helft_label().to_string(),
            group: h.periode.jaar,
            key: h.periode.eerste_maand().maand / 7,
        })
        .collect();
    layout::draw_two_row_x_axis(c, &frame, &slots);
    frame.draw_x_title(c, "Periode (halfjaar I of II)", &footer);
    Ok(())
}

/// The legend, from what will be drawn.
fn legend(all: &[HistoriePeriode]) -> Vec<LegendItem> {
    let mut legend = Vec::new();
    if all.iter().any(|h| h.eerst_bekendgemaakt.is_some()) {
        legend.push(LegendItem {
            swatch: Swatch::Block {
                fill: BAR_FILL,
                alpha: 1.0,
                border: Some(BAR_BORDER),
            },
            label: "Eerst bekendgemaakt".into(),
        });
    }
    if all.iter().any(|h| h.na_bijstelling.is_some()) {
        legend.push(LegendItem {
            swatch: Swatch::Tick {
                colour: ADJUST,
                marker: Marker::Diamond,
            },
            label: "Na bijstelling".into(),
        });
    }
    legend
}

/// The number first announced, as bars.
fn draw_bars(c: &mut Canvas, frame: &Frame, all: &[HistoriePeriode]) {
    let half = 0.32;
    for (i, h) in all.iter().enumerate() {
        let x = i as f64;
        if let Some(a) = h.eerst_bekendgemaakt {
            c.bar(
                (frame.x(x - half), frame.y(0.0)),
                (frame.x(x + half), frame.y(a as f64)),
                (BAR_FILL, 1.0),
                Some(BAR_BORDER),
            );
        }
    }
}

/// The number after adjustment, as a mark across the slot, with a dashed line up
/// from the bar when it rose.
fn draw_adjustments(c: &mut Canvas, frame: &Frame, all: &[HistoriePeriode]) {
    for (i, h) in all.iter().enumerate() {
        let x = i as f64;
        if let Some(b) = h.na_bijstelling {
            let y = frame.y(b as f64);
            if let Some(a) = h.eerst_bekendgemaakt.filter(|&a| a < b) {
                c.leader(
                    &[(frame.x(x), frame.y(a as f64)), (frame.x(x), y)],
                    Stroke::dashed(ADJUST, 1, 3, 2),
                );
            }
            c.tick(
                (frame.x(x - 0.42), y),
                (frame.x(x + 0.42), y),
                ADJUST,
                Marker::Diamond,
            );
        }
    }
}

/// "onbekend" in the gap of a period without a number, reading upwards.
fn draw_unknown(c: &mut Canvas, frame: &Frame, all: &[HistoriePeriode]) {
    let unknown_font = Font::italic(size::SMALL);
    for (i, h) in all.iter().enumerate() {
        if h.eerst_bekendgemaakt.is_none() && h.na_bijstelling.is_none() {
            let at = (frame.x(i as f64), frame.bottom - 6.0);
            let rect = text_box_up("onbekend", at, unknown_font, H::Left, V::Center);
            if first_free(&c.geometry, &frame.rect(), &[rect]).is_some() {
                c.label_up(
                    "onbekend",
                    at,
                    unknown_font,
                    palette::MUTED,
                    H::Left,
                    V::Center,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Helft;
    use super::*;

    fn hp(jaar: i32, helft: Helft, a: Option<u64>, b: Option<u64>) -> HistoriePeriode {
        HistoriePeriode {
            periode: Periode { jaar, helft },
            eerst_bekendgemaakt: a,
            na_bijstelling: b,
        }
    }

    fn data() -> HistorieData {
        HistorieData {
            perioden: vec![
                hp(2020, Helft::II, Some(6_500), None),
                hp(2021, Helft::I, None, None),
                hp(2021, Helft::II, Some(13_500), Some(11_000)),
                // 2022-I missing from the input: drawn as unknown.
                hp(2022, Helft::II, Some(13_500), None),
            ],
            bronnen: vec![Bron {
                onderwerp: "de taakstelling".into(),
                tekst: "Rijksoverheid & nieuwsberichten".into(),
                illustratief: false,
            }],
        }
    }

    #[test]
    fn unknown_periods_are_gaps_not_zero() {
        let chart = historie(&data()).unwrap();
        assert_eq!(chart.table.rows.len(), 5);
        assert_eq!(chart.table.rows[1], ["2021-I", "onbekend", ""]);
        assert_eq!(chart.table.rows[3], ["2022-I", "onbekend", ""]);
        assert_eq!(chart.svg.matches(">onbekend<").count(), 2);
        assert!(chart.description.contains("Niet bekend: 2021-I en 2022-I."));
    }

    #[test]
    fn adjustments_are_described() {
        let chart = historie(&data()).unwrap();
        assert_eq!(
            chart.title,
            "Landelijke taakstelling per halfjaar, 2020-II tot en met 2022-II"
        );
        assert!(
            chart
                .description
                .contains("Bijgesteld in 2021-II (van 13.500 naar 11.000).")
        );
        assert!(
            chart
                .description
                .contains("Het hoogst in 2021-II (13.500), het laagst in 2020-II (6.500).")
        );
        assert!(
            chart.description.ends_with(
                "Laatste periode 2022-II: 13.500. Bron: Rijksoverheid & nieuwsberichten."
            )
        );
        assert!(
            chart
                .svg
                .contains(">Bron: Rijksoverheid &amp; nieuwsberichten.<")
        );
        let g = geometry(&data()).unwrap();
        assert!(g.collisions().is_empty(), "{:?}", g.collisions());
        assert!(
            g.legend_mismatches().is_empty(),
            "{:?}",
            g.legend_mismatches()
        );
        assert_eq!(chart.table.rows[2], ["2021-II", "13.500", "11.000"]);
        assert!(chart.svg.contains("Na bijstelling"));
    }

    #[test]
    fn order_is_checked() {
        let mut d = data();
        d.perioden.swap(0, 1);
        assert!(matches!(historie(&d), Err(ChartError::Order { .. })));
        assert!(matches!(
            historie(&HistorieData {
                perioden: vec![],
                bronnen: vec![]
            }),
            Err(ChartError::Empty { .. })
        ));
    }
}
