//! Places needed for unaccompanied minors (amv) at dates, and the places
//! realised where known.

use serde::Serialize;

use super::draw::{self, Canvas, Font, H, Marker, Stroke, V, palette, text_box};
use super::layout::{
    self, BOTTOM_ONE_ROW, Frame, Header, LegendItem, MARGIN, Swatch, TICK_FONT, VALUE_FONT,
};
use super::{BREEDTE, Chart, ChartError, DataTable, Datum, HOOGTE, check_date, getal};
use crate::nl;

const CHART: &str = "amv_capaciteit";

/// Input for [`amv_capaciteit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmvData {
    /// The dates, oldest first, each at most once.
    pub punten: Vec<AmvPunt>,
}

/// Places at one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AmvPunt {
    pub datum: Datum,
    /// Places needed (capaciteitsbehoefte).
    /// Places needed (capaciteitsbehoefte), where set for this date.
    pub benodigd: Option<u64>,
    /// Places realised, where known.
    pub gerealiseerd: Option<u64>,
}

const NEED: Stroke = Stroke::solid(palette::BLUE, 3);
const REAL: Stroke = Stroke::solid(palette::VERMILLION, 2);

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

/// Places needed at each date as a line with markers, and places realised
/// where known as a second line with other markers (broken where unknown).
pub fn amv_capaciteit(data: &AmvData) -> Result<Chart, ChartError> {
    if data.punten.is_empty() {
        return Err(ChartError::Empty {
            chart: CHART,
            what: "no dates",
        });
    }
    for (i, p) in data.punten.iter().enumerate() {
        check_date(CHART, p.datum)?;
        if i > 0 && data.punten[i - 1].datum >= p.datum {
            return Err(ChartError::Order {
                chart: CHART,
                what: "dates",
                value: datum_lang(p.datum),
            });
        }
    }
    let title = "Capaciteitsbehoefte opvang amv".to_string();
    let id = "grafiek-amv".to_string();
    let description = describe(data);
    let table = table(data);
    let raw = draw::render(BREEDTE, HOOGTE, |c| draw_chart(c, data, &title))?;
    Ok(Chart::klaar(id, title, description, table, &raw))
}

fn describe(data: &AmvData) -> String {
    let mut text = String::from(
        "Benodigde plekken in de opvang voor alleenstaande minderjarige vreemdelingen (amv) \
         met een vergunning per peildatum, en de gerealiseerde plekken waar bekend.",
    );
    for p in &data.punten {
        text.push_str(&format!(
            " {}: {}, {}.",
            datum_lang(p.datum),
            p.benodigd
                .map_or("behoefte niet vastgesteld".to_string(), |b| format!(
                    "{} benodigd",
                    getal(b)
                )),
            match p.gerealiseerd {
                Some(r) => format!("{} gerealiseerd", getal(r)),
                None => "realisatie niet bekend".to_string(),
            }
        ));
    }
    text
}

fn table(data: &AmvData) -> DataTable {
    DataTable {
        headers: vec![
            "Peildatum".into(),
            "Benodigde plekken".into(),
            "Gerealiseerde plekken".into(),
        ],
        rows: data
            .punten
            .iter()
            .map(|p| {
                vec![
                    datum_lang(p.datum),
                    p.benodigd.map_or("onbekend".into(), getal),
                    p.gerealiseerd.map_or("onbekend".into(), getal),
                ]
            })
            .collect(),
    }
}

fn draw_chart(c: &mut Canvas<'_>, data: &AmvData, title: &str) -> Result<(), ChartError> {
    let punten = &data.punten;
    let any_real = punten.iter().any(|p| p.gerealiseerd.is_some());
    let mut legend = vec![LegendItem {
        swatch: Swatch::Line {
            stroke: NEED,
            marker: Some((Marker::Circle, true)),
        },
        label: "Benodigde plekken".into(),
    }];
    if any_real {
        legend.push(LegendItem {
            swatch: Swatch::Line {
                stroke: REAL,
                marker: Some((Marker::Square, true)),
            },
            label: "Gerealiseerde plekken".into(),
        });
    }
    let header = Header {
        title: title.to_string(),
        subtitle: Some(if any_real {
            "Plekken voor amv met een vergunning (Nidos) per peildatum; realisatie waar bekend"
                .to_string()
        } else {
            "Plekken voor amv met een vergunning (Nidos) per peildatum; realisatie nog niet bekend"
                .to_string()
        }),
        legend: vec![legend],
    };
    header.draw(c)?;

    let days: Vec<f64> = punten.iter().map(|p| p.datum.dagnummer() as f64).collect();
    let (d0, d1) = (days[0], days[days.len() - 1]);
    let pad = ((d1 - d0) * 0.07).max(30.0);
    let max = punten
        .iter()
        .map(|p| p.benodigd.unwrap_or(0).max(p.gerealiseerd.unwrap_or(0)) as f64)
        .fold(0.0, f64::max);
    let top = header.bottom(c.width) + 12.0;
    let bottom = c.height - BOTTOM_ONE_ROW;
    let axis = layout::Axis::nice(0.0, max, 8).with_headroom(max, 26.0, bottom - top);
    let frame = Frame {
        left: Frame::left_for(&axis),
        right: c.width - MARGIN,
        top,
        bottom,
        x_lo: d0 - pad,
        x_hi: d1 + pad,
        y: axis,
    };
    frame.draw_y_axis(c, "Aantal plekken")?;
    frame.draw_x_baseline(c)?;

    // Lines: needed throughout, realised in runs of known values.
    let need: Vec<(f64, f64)> = punten
        .iter()
        .zip(&days)
        .filter_map(|(p, &d)| p.benodigd.map(|b| (frame.x(d), frame.y(b as f64))))
        .collect();
    c.path(&need, NEED)?;
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (p, &d) in punten.iter().zip(&days) {
        match p.gerealiseerd {
            Some(r) => run.push((frame.x(d), frame.y(r as f64))),
            None => {
                c.path(&run, REAL)?;
                run.clear();
            }
        }
    }
    c.path(&run, REAL)?;

    // Markers, then value labels: the higher value above its marker, the
    // lower one below.
    let font = Font::bold(VALUE_FONT.size);
    for (p, &d) in punten.iter().zip(&days) {
        let x = frame.x(d);
        if let Some(b) = p.benodigd {
            c.marker(
                Marker::Circle,
                (x, frame.y(b as f64)),
                10.0,
                NEED.colour,
                true,
            )?;
        }
        if let Some(r) = p.gerealiseerd {
            c.marker(
                Marker::Square,
                (x, frame.y(r as f64)),
                10.0,
                REAL.colour,
                true,
            )?;
        }
    }
    for (p, &d) in punten.iter().zip(&days) {
        let x = frame.x(d);
        let need_above = match (p.benodigd, p.gerealiseerd) {
            (Some(b), Some(r)) => r <= b,
            _ => true,
        };
        let mut labels: Vec<(u64, draw::Colour, bool)> = p
            .benodigd
            .map(|b| (b, NEED.colour, need_above))
            .into_iter()
            .collect();
        if let Some(r) = p.gerealiseerd {
            labels.push((r, palette::TEXT, !need_above || p.benodigd.is_none()));
        }
        for (value, colour, above) in labels {
            let y = frame.y(value as f64);
            let text = getal(value);
            let (at, v) = if above {
                ((x, y - 10.0), V::Bottom)
            } else {
                ((x, y + 10.0), V::Top)
            };
            // Keep labels inside the plot horizontally.
            let w = font.width(&text);
            let at = (
                at.0.clamp(frame.left + w / 2.0 + 3.0, frame.right - w / 2.0 - 3.0),
                at.1,
            );
            c.label_backdrop(&text, at, font, H::Center, v)?;
            c.text(&text, at, font, colour, H::Center, v)?;
        }
    }

    // Date labels under their points, left out where they would touch the
    // previous one.
    let mut last_right = f64::NEG_INFINITY;
    for (p, &d) in punten.iter().zip(&days) {
        let text = datum_kort(p.datum);
        let w = TICK_FONT.width(&text);
        let x = frame
            .x(d)
            .clamp(MARGIN + w / 2.0, c.width - MARGIN - w / 2.0);
        let b = text_box(&text, (x, frame.bottom + 8.0), TICK_FONT, H::Center, V::Top);
        c.path(
            &[(frame.x(d), frame.bottom), (frame.x(d), frame.bottom + 5.0)],
            Stroke::solid(palette::AXIS, 1),
        )?;
        if b.0 >= last_right + 8.0 {
            c.text(
                &text,
                (x, frame.bottom + 8.0),
                TICK_FONT,
                palette::TEXT,
                H::Center,
                V::Top,
            )?;
            last_right = b.2;
        }
    }
    frame.draw_x_title(c, "Peildatum")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn punt(jaar: i32, maand: u32, dag: u32, benodigd: u64, real: Option<u64>) -> AmvPunt {
        AmvPunt {
            datum: Datum { jaar, maand, dag },
            benodigd: Some(benodigd),
            gerealiseerd: real,
        }
    }

    #[test]
    fn description_and_table() {
        let d = AmvData {
            punten: vec![
                punt(2025, 1, 1, 2_800, Some(2_400)),
                punt(2025, 7, 1, 3_000, None),
                punt(2025, 12, 31, 3_500, None),
            ],
        };
        let chart = amv_capaciteit(&d).unwrap();
        assert!(
            chart
                .description
                .contains("1 januari 2025: 2.800 benodigd, 2.400 gerealiseerd.")
        );
        assert!(
            chart
                .description
                .contains("1 juli 2025: 3.000 benodigd, realisatie niet bekend.")
        );
        assert!(
            chart
                .description
                .contains("31 december 2025: 3.500 benodigd")
        );
        assert_eq!(chart.table.rows[1], ["1 juli 2025", "3.000", "onbekend"]);
        for text in [
            "1 jul 2025",
            "31 dec 2025",
            "3.500",
            "Gerealiseerde plekken",
        ] {
            assert!(chart.svg.contains(text), "missing {text}");
        }
    }

    #[test]
    fn without_realisation_no_second_series() {
        let d = AmvData {
            punten: vec![
                punt(2025, 7, 1, 3_000, None),
                punt(2025, 12, 31, 3_500, None),
            ],
        };
        let chart = amv_capaciteit(&d).unwrap();
        assert!(!chart.svg.contains("Gerealiseerde plekken"));
        assert!(chart.svg.contains("realisatie nog niet bekend"));
    }

    #[test]
    fn a_single_date_is_fine() {
        let d = AmvData {
            punten: vec![punt(2025, 7, 1, 3_000, Some(2_500))],
        };
        assert!(amv_capaciteit(&d).is_ok());
    }

    #[test]
    fn bad_dates_are_errors() {
        let d = AmvData {
            punten: vec![punt(2025, 7, 1, 1, None), punt(2025, 1, 1, 1, None)],
        };
        assert!(matches!(amv_capaciteit(&d), Err(ChartError::Order { .. })));
        let d = AmvData {
            punten: vec![punt(2025, 6, 31, 1, None)],
        };
        assert!(matches!(
            amv_capaciteit(&d),
            Err(ChartError::Invalid { .. })
        ));
        let d = AmvData { punten: vec![] };
        assert!(matches!(amv_capaciteit(&d), Err(ChartError::Empty { .. })));
    }
}
