//! Drawing primitives that write SVG elements in pixel coordinates, plus the
//! palette, the fonts and an estimate of text widths.
//!
//! The SVG is written here directly rather than through a plotting library's
//! backend: plotters' SVG backend rounds every coordinate to whole pixels and
//! splits a dashed line into many short segments, which made dashed diagonals
//! look stepped. Here a dashed line is one `<polyline>` with
//! `stroke-dasharray`; axis-aligned lines lie on whole pixels and are drawn
//! with `shape-rendering="crispEdges"`, everything else is anti-aliased.
//!
//! Every data mark (bar, line, marker) and every label inside a plot is also
//! recorded in a [`Geometry`], which the charts use to place labels by
//! measuring and the tests use to prove that no label covers a bar, a line or
//! another label.

use std::fmt::Write as _;

use super::geometry::{Geometry, Label, Rect, Segment, Style};
use super::svg::escape;

/// Font list for all chart text. Text widths are estimated for DejaVu Sans,
/// the widest common fallback, so Arial or Helvetica only make text narrower.
pub(crate) const FONT_FAMILY: &str = "Arial, Helvetica, sans-serif";

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// Okabe–Ito colours (safe for the common forms of colour blindness), and
/// the neutrals. Each chart pairs a dark colour with a light one and adds
/// dash patterns or marker shapes, so series stay apart in grey print.
pub(crate) mod palette {
    use super::Colour;
    pub(crate) const BLACK: Colour = Colour(0, 0, 0);
    /// Okabe–Ito orange; light in grey print.
    pub(crate) const ORANGE: Colour = Colour(0xE6, 0x9F, 0x00);
    /// Okabe–Ito sky blue; light in grey print.
    pub(crate) const SKY_BLUE: Colour = Colour(0x56, 0xB4, 0xE9);
    /// Okabe–Ito blue; dark in grey print.
    pub(crate) const BLUE: Colour = Colour(0x00, 0x72, 0xB2);
    /// Okabe–Ito vermillion; mid-dark in grey print.
    pub(crate) const VERMILLION: Colour = Colour(0xD5, 0x5E, 0x00);
    /// Vermillion darkened to 80 % for text: contrast 5.6:1 on white, where
    /// vermillion itself (3.9:1) is too light for small text.
    pub(crate) const VERMILLION_TEXT: Colour = Colour(0xAA, 0x4B, 0x00);
    /// A dark orange for outlines on light orange fills.
    pub(crate) const DARK_ORANGE: Colour = Colour(0x8C, 0x5A, 0x00);
    /// Body text (contrast 17:1 on white).
    pub(crate) const TEXT: Colour = Colour(0x1A, 0x1A, 0x1A);
    /// Secondary text (contrast 7:1 on white).
    pub(crate) const MUTED: Colour = Colour(0x59, 0x59, 0x59);
    /// Axis lines.
    pub(crate) const AXIS: Colour = Colour(0x4D, 0x4D, 0x4D);
    /// Grid lines.
    pub(crate) const GRID: Colour = Colour(0xD9, 0xD9, 0xD9);
    /// Hatching of months without figures.
    pub(crate) const HATCH: Colour = Colour(0xB3, 0xB3, 0xB3);
    /// Background of a highlighted x range (the coming period).
    pub(crate) const SHADE: Colour = Colour(0xEE, 0xEE, 0xEE);
    pub(crate) const WHITE: Colour = Colour(0xFF, 0xFF, 0xFF);
}

/// Font sizes in pixels.
pub(crate) mod size {
    pub(crate) const TITLE: f64 = 18.0;
    pub(crate) const SUBTITLE: f64 = 13.0;
    pub(crate) const BODY: f64 = 13.0;
    pub(crate) const SMALL: f64 = 12.0;
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Font {
    pub size: f64,
    pub bold: bool,
    pub italic: bool,
}

impl Font {
    pub(super) const fn regular(size: f64) -> Font {
        Font {
            size,
            bold: false,
            italic: false,
        }
    }
    pub(super) const fn bold(size: f64) -> Font {
        Font {
            size,
            bold: true,
            italic: false,
        }
    }
    pub(super) const fn italic(size: f64) -> Font {
        Font {
            size,
            bold: false,
            italic: true,
        }
    }

    /// Estimated advance width of `text` in pixels (see [`text_width`]).
    pub(super) fn width(&self, text: &str) -> f64 {
        text_width(text, self.size, self.bold)
    }
}

/// Estimated width of `text` in pixels, on the generous side: advance
/// widths of DejaVu Sans (the widest of the usual fallbacks for Arial and
/// Helvetica), 8 % more for bold.
pub(crate) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = text.chars().map(advance_em).sum();
    em * size * if bold { 1.08 } else { 1.0 }
}

/// Advance width of a character in em, DejaVu Sans.
fn advance_em(c: char) -> f64 {
    match c {
        '0'..='9' => 0.636,
        ' ' | '.' | ',' | ':' | ';' | '!' | '\'' | '|' => 0.3179,
        '(' | ')' | '[' | ']' | '/' | '\\' => 0.39,
        '-' => 0.361,
        '–' => 0.5,
        '—' | '%' => 0.95,
        '+' | '=' | '<' | '>' | '−' => 0.838,
        'f' | 't' => 0.392,
        'i' | 'j' | 'l' => 0.278,
        'r' => 0.411,
        's' | 'z' | 'c' => 0.55,
        'm' => 0.974,
        'w' => 0.818,
        'k' | 'v' | 'x' | 'y' => 0.592,
        'a'..='z' | 'ë' | 'é' | 'è' | 'ï' | 'ö' | 'ü' | 'á' => 0.635,
        'I' | 'J' => 0.295,
        'M' => 0.863,
        'W' => 0.989,
        'L' | 'F' => 0.575,
        'A'..='Z' => 0.77,
        _ => 0.8,
    }
}

/// A stroke: colour, width, and an optional dash pattern (dash, gap) in px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub colour: Colour,
    pub width: u32,
    pub dash: Option<(u32, u32)>,
}

impl Stroke {
    pub const fn solid(colour: Colour, width: u32) -> Stroke {
        Stroke {
            colour,
            width,
            dash: None,
        }
    }
    pub const fn dashed(colour: Colour, width: u32, dash: u32, gap: u32) -> Stroke {
        Stroke {
            colour,
            width,
            dash: Some((dash, gap)),
        }
    }
}

/// Marker shapes for points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Diamond,
    /// A ring with a dot in the middle: a target to reach at a date.
    Target,
}

/// A marker as drawn: shape, colour, and filled or white inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkerStyle {
    pub kind: Marker,
    pub colour: Colour,
    pub filled: bool,
}

/// Which end of a text is at the anchor's x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum H {
    Left,
    Center,
    Right,
}

/// Whether the anchor's y is the top, the middle or the bottom of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum V {
    Top,
    Center,
    Bottom,
}

/// A coordinate in the SVG: at most two decimals, no trailing zeros. Written
/// without a temporary string: a chart has thousands of them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct N(pub f64);

impl std::fmt::Display for N {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hundredths = (self.0 * 100.0).round() as i64;
        if hundredths < 0 {
            f.write_str("-")?;
        }
        let h = hundredths.unsigned_abs();
        let (whole, frac) = (h / 100, h % 100);
        if frac == 0 {
            write!(f, "{whole}")
        } else if frac % 10 == 0 {
            write!(f, "{whole}.{}", frac / 10)
        } else {
            write!(f, "{whole}.{frac:02}")
        }
    }
}

/// [`N`] as a string.
#[cfg(test)]
fn num(v: f64) -> String {
    N(v).to_string()
}

/// A drawing surface of fixed size that writes SVG elements into a string
/// and records the geometry of its data marks and labels.
pub(crate) struct Canvas {
    out: String,
    pub width: f64,
    pub height: f64,
    pub geometry: Geometry,
}

/// Draws with `draw` on a white canvas of `width` × `height`; returns the
/// SVG elements (without the root element) and the geometry drawn.
pub(crate) fn render(
    width: u32,
    height: u32,
    draw: impl FnOnce(&mut Canvas) -> Result<(), super::ChartError>,
) -> Result<(String, Geometry), super::ChartError> {
    let mut canvas = Canvas {
        out: String::with_capacity(16 * 1024),
        width: f64::from(width),
        height: f64::from(height),
        geometry: Geometry::default(),
    };
    canvas.rect(
        (0.0, 0.0),
        (canvas.width, canvas.height),
        Some((palette::WHITE, 1.0)),
        None,
    );
    draw(&mut canvas)?;
    Ok((canvas.out, canvas.geometry))
}

/// `x,y x,y ...` for a `points` attribute.
fn push_points(out: &mut String, points: &[(f64, f64)]) {
    for (i, &(x, y)) in points.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{},{}", N(x), N(y));
    }
}

fn stroke_attrs(stroke: Stroke) -> String {
    let mut s = format!(
        " stroke=\"{}\" stroke-width=\"{}\"",
        stroke.colour.hex(),
        stroke.width
    );
    if let Some((dash, gap)) = stroke.dash {
        let _ = write!(s, " stroke-dasharray=\"{dash} {gap}\"");
    }
    s
}

fn axis_aligned(points: &[(f64, f64)]) -> bool {
    points
        .windows(2)
        .all(|w| (w[0].0 - w[1].0).abs() < 1e-9 || (w[0].1 - w[1].1).abs() < 1e-9)
}

/// Axis-aligned lines on whole pixels, so that `crispEdges` draws every one
/// equally thick; other lines as they are (anti-aliased).
fn snapped(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if axis_aligned(points) {
        points
            .iter()
            .map(|&(x, y)| (x.round(), y.round()))
            .collect()
    } else {
        points.to_vec()
    }
}

/// A rectangle's corners on whole pixels (see [`snapped`]).
fn snapped_rect(a: (f64, f64), b: (f64, f64)) -> ((f64, f64), (f64, f64)) {
    ((a.0.round(), a.1.round()), (b.0.round(), b.1.round()))
}

impl Canvas {
    /// Text anchored at `at`: `h` says which end of the text is at x, `v`
    /// whether y is its top, middle or bottom.
    pub(super) fn text(
        &mut self,
        text: &str,
        at: (f64, f64),
        font: Font,
        colour: Colour,
        h: H,
        v: V,
    ) {
        self.text_element(text, at, font, colour, h, v, false);
    }

    /// Text turned a quarter anticlockwise, reading upwards; `h` and `v` as
    /// for [`Canvas::text`], before turning.
    pub(super) fn text_up(
        &mut self,
        text: &str,
        at: (f64, f64),
        font: Font,
        colour: Colour,
        h: H,
        v: V,
    ) {
        self.text_element(text, at, font, colour, h, v, true);
    }

    #[allow(clippy::too_many_arguments)]
    fn text_element(
        &mut self,
        text: &str,
        at: (f64, f64),
        font: Font,
        colour: Colour,
        h: H,
        v: V,
        up: bool,
    ) {
        let anchor = match h {
            H::Left => "start",
            H::Center => "middle",
            H::Right => "end",
        };
        let dy = match v {
            V::Top => " dy=\"0.76em\"",
            V::Center => " dy=\"0.5ex\"",
            V::Bottom => " dy=\"-0.5ex\"",
        };
        let (x, y) = (N(at.0), N(at.1));
        let _ = write!(
            self.out,
            "<text x=\"{x}\" y=\"{y}\"{dy} text-anchor=\"{anchor}\" font-family=\"{FONT_FAMILY}\" \
             font-size=\"{}\" fill=\"{}\"",
            N(font.size),
            colour.hex()
        );
        if font.bold {
            self.out.push_str(" font-weight=\"bold\"");
        }
        if font.italic {
            self.out.push_str(" font-style=\"italic\"");
        }
        if up {
            let _ = write!(self.out, " transform=\"rotate(-90 {x} {y})\"");
        }
        let _ = writeln!(self.out, ">{}</text>", escape(text));
    }

    /// A label inside a plot: drawn, and recorded so that later labels and
    /// the collision check see it.
    pub(super) fn label(
        &mut self,
        text: &str,
        at: (f64, f64),
        font: Font,
        colour: Colour,
        h: H,
        v: V,
    ) {
        let rect = text_box(text, at, font, h, v);
        self.geometry.labels.push(Label {
            text: text.to_string(),
            rect,
        });
        self.text(text, at, font, colour, h, v);
    }

    /// A label reading upwards, recorded like [`Canvas::label`].
    pub(super) fn label_up(
        &mut self,
        text: &str,
        at: (f64, f64),
        font: Font,
        colour: Colour,
        h: H,
        v: V,
    ) {
        let rect = text_box_up(text, at, font, h, v);
        self.geometry.labels.push(Label {
            text: text.to_string(),
            rect,
        });
        self.text_up(text, at, font, colour, h, v);
    }

    /// A line through `points`, solid or dashed, as one element. Not a data
    /// mark: grid, axes, brackets, leader lines, legend samples.
    pub(super) fn path(&mut self, points: &[(f64, f64)], stroke: Stroke) {
        if points.len() < 2 {
            return;
        }
        let crisp = axis_aligned(points);
        self.out.push_str("<polyline points=\"");
        push_points(&mut self.out, &snapped(points));
        let _ = write!(self.out, "\" fill=\"none\"{}", stroke_attrs(stroke));
        if crisp {
            self.out.push_str(" shape-rendering=\"crispEdges\"");
        } else {
            self.out.push_str(" stroke-linejoin=\"round\"");
        }
        self.out.push_str("/>\n");
    }

    /// A leader line from a series to its label: drawn like [`Canvas::path`]
    /// and recorded as a line the labels must keep clear of.
    pub(super) fn leader(&mut self, points: &[(f64, f64)], stroke: Stroke) {
        self.record_segments(points, stroke);
        self.path(points, stroke);
    }

    /// A data series line: drawn, recorded as segments labels must keep
    /// clear of, and its style recorded for the legend check.
    pub(super) fn series(&mut self, points: &[(f64, f64)], stroke: Stroke) {
        if points.len() < 2 {
            return;
        }
        self.record_segments(points, stroke);
        self.geometry.styles.push(Style::Line(stroke));
        self.path(points, stroke);
    }

    fn record_segments(&mut self, points: &[(f64, f64)], stroke: Stroke) {
        for w in snapped(points).windows(2) {
            self.geometry.lines.push(Segment {
                a: w[0],
                b: w[1],
                width: f64::from(stroke.width),
            });
        }
    }

    /// A rectangle between two corners, filled with a colour at an opacity
    /// and/or outlined. Not a data mark.
    pub(super) fn rect(
        &mut self,
        a: (f64, f64),
        b: (f64, f64),
        fill: Option<(Colour, f64)>,
        border: Option<Stroke>,
    ) {
        let (a, b) = snapped_rect(a, b);
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
            N(x0),
            N(y0),
            N(x1 - x0),
            N(y1 - y0)
        );
        match fill {
            Some((colour, alpha)) => {
                let _ = write!(self.out, " fill=\"{}\"", colour.hex());
                if alpha < 1.0 {
                    let _ = write!(self.out, " fill-opacity=\"{}\"", N(alpha));
                }
            }
            None => self.out.push_str(" fill=\"none\""),
        }
        if let Some(stroke) = border {
            self.out.push_str(&stroke_attrs(stroke));
        }
        // On whole pixels but anti-aliased: a chart is mostly shown scaled,
        // where `crispEdges` would draw some edges thicker than others.
        self.out.push_str("/>\n");
    }

    /// A bar: a data rectangle that labels must keep clear of.
    pub(super) fn bar(
        &mut self,
        a: (f64, f64),
        b: (f64, f64),
        fill: (Colour, f64),
        border: Option<Stroke>,
    ) {
        let (a, b) = snapped_rect(a, b);
        self.geometry.bars.push(Rect::from_corners(a, b));
        self.geometry.styles.push(Style::Block {
            fill: fill.0,
            alpha: fill.1,
            border,
        });
        self.rect(a, b, Some(fill), border);
    }

    /// A filled polygon.
    pub(super) fn polygon(&mut self, points: &[(f64, f64)], colour: Colour, alpha: f64) {
        self.out.push_str("<polygon points=\"");
        push_points(&mut self.out, points);
        let _ = write!(self.out, "\" fill=\"{}\"", colour.hex());
        if alpha < 1.0 {
            let _ = write!(self.out, " fill-opacity=\"{}\"", N(alpha));
        }
        self.out.push_str("/>\n");
    }

    /// A filled area that is a data mark (a band between two values) but
    /// not an obstacle for labels: its style is recorded for the legend.
    pub(super) fn area(&mut self, points: &[(f64, f64)], colour: Colour, alpha: f64) {
        self.geometry.styles.push(Style::Block {
            fill: colour,
            alpha,
            border: None,
        });
        self.polygon(points, colour, alpha);
    }

    /// Diagonal hatching inside a rectangle, with a light fill under it:
    /// an x range without figures.
    pub(super) fn hatch(&mut self, a: (f64, f64), b: (f64, f64), spacing: f64) {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        self.rect((x0, y0), (x1, y1), Some((palette::WHITE, 1.0)), None);
        // Lines x + y = c rise to the right on screen (y grows downwards);
        // each is clipped to the rectangle.
        let mut d = String::new();
        let mut c = x0 + y0 + spacing;
        while c < x1 + y1 {
            // Points on x + y = c inside the box.
            let start = (c - y1).max(x0);
            let end = (c - y0).min(x1);
            if end > start {
                let _ = write!(
                    d,
                    "M{},{}L{},{}",
                    N(start),
                    N(c - start),
                    N(end),
                    N(c - end)
                );
            }
            c += spacing;
        }
        if !d.is_empty() {
            let _ = writeln!(
                self.out,
                "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/>",
                palette::HATCH.hex()
            );
        }
    }

    /// A point marker of about `size` px across, drawn and recorded as a data
    /// mark. Hollow markers are white inside with a 2 px outline, so they
    /// stand out on lines and bars.
    pub(super) fn marker(&mut self, style: MarkerStyle, at: (f64, f64), size: f64) {
        self.geometry.markers.push(marker_box(style.kind, at, size));
        self.geometry.styles.push(Style::Marker(style));
        self.marker_shape(style, at, size);
    }

    /// A marker drawn only (a legend sample).
    pub(super) fn marker_shape(&mut self, style: MarkerStyle, at: (f64, f64), size: f64) {
        let MarkerStyle {
            kind,
            colour,
            filled,
        } = style;
        let r = size / 2.0;
        let (x, y) = at;
        match kind {
            Marker::Circle => {
                let _ = write!(
                    self.out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"",
                    N(x),
                    N(y),
                    N(r)
                );
                if filled {
                    let _ = writeln!(self.out, " fill=\"{}\"/>", colour.hex());
                } else {
                    let _ = writeln!(
                        self.out,
                        " fill=\"#FFFFFF\" stroke=\"{}\" stroke-width=\"2\"/>",
                        colour.hex()
                    );
                }
            }
            Marker::Target => {
                let _ = writeln!(
                    self.out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#FFFFFF\" stroke=\"{}\" stroke-width=\"2.5\"/>",
                    N(x),
                    N(y),
                    N(r),
                    colour.hex()
                );
                let _ = writeln!(
                    self.out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>",
                    N(x),
                    N(y),
                    N(r * 0.4),
                    colour.hex()
                );
            }
            Marker::Square | Marker::Diamond => {
                let outline: Vec<(f64, f64)> = if kind == Marker::Square {
                    let r = r * 0.9;
                    vec![
                        (x - r, y - r),
                        (x + r, y - r),
                        (x + r, y + r),
                        (x - r, y + r),
                    ]
                } else {
                    let r = r * 1.25;
                    vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
                };
                self.out.push_str("<polygon points=\"");
                push_points(&mut self.out, &outline);
                if filled {
                    let _ = writeln!(self.out, "\" fill=\"{}\"/>", colour.hex());
                } else {
                    let _ = writeln!(
                        self.out,
                        "\" fill=\"#FFFFFF\" stroke=\"{}\" stroke-width=\"2\" stroke-linejoin=\"round\"/>",
                        colour.hex()
                    );
                }
            }
        }
    }

    /// A short thick line with a marker on it, for a value drawn as a tick
    /// mark (recorded as a data mark and as a line for the labels).
    pub(super) fn tick(
        &mut self,
        from: (f64, f64),
        to: (f64, f64),
        colour: Colour,
        marker: Marker,
    ) {
        let stroke = Stroke::solid(colour, 3);
        self.record_segments(&[from, to], stroke);
        self.geometry.styles.push(Style::Tick { colour, marker });
        self.path(&[from, to], stroke);
        let mid = ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0);
        let style = MarkerStyle {
            kind: marker,
            colour,
            filled: true,
        };
        self.geometry.markers.push(marker_box(marker, mid, 9.0));
        self.marker_shape(style, mid, 9.0);
    }
}

/// The box a marker of `size` covers.
fn marker_box(kind: Marker, at: (f64, f64), size: f64) -> Rect {
    let r = match kind {
        Marker::Diamond => size / 2.0 * 1.25,
        Marker::Target => size / 2.0 + 1.25,
        _ => size / 2.0 + 1.0,
    };
    Rect {
        x0: at.0 - r,
        y0: at.1 - r,
        x1: at.0 + r,
        y1: at.1 + r,
    }
}

/// Estimated box of a horizontal text.
pub(crate) fn text_box(text: &str, at: (f64, f64), font: Font, h: H, v: V) -> Rect {
    let w = font.width(text);
    let x0 = match h {
        H::Left => at.0,
        H::Center => at.0 - w / 2.0,
        H::Right => at.0 - w,
    };
    // Cap height plus descenders is about 0.95 em; centre is at x-height / 2.
    let hgt = font.size * 0.95;
    let y0 = match v {
        V::Top => at.1,
        V::Center => at.1 - hgt / 2.0,
        V::Bottom => at.1 - hgt,
    };
    Rect {
        x0,
        y0,
        x1: x0 + w,
        y1: y0 + hgt,
    }
}

/// Estimated box of a text reading upwards (see [`Canvas::text_up`]).
pub(crate) fn text_box_up(text: &str, at: (f64, f64), font: Font, h: H, v: V) -> Rect {
    // Before turning: the box around (0, 0); turning by −90° maps (dx, dy)
    // to (dy, −dx).
    let b = text_box(text, (0.0, 0.0), font, h, v);
    Rect {
        x0: at.0 + b.y0,
        x1: at.0 + b.y1,
        y0: at.1 - b.x1,
        y1: at.1 - b.x0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_generous_for_digits_and_text() {
        // "17.700" in DejaVu Sans at 13 px is about 45 px.
        let w = text_width("17.700", 13.0, false);
        assert!((44.0..48.0).contains(&w), "{w}");
        assert!(text_width("Taakstelling", 13.0, true) > text_width("Taakstelling", 13.0, false));
        assert_eq!(text_width("", 13.0, false), 0.0);
    }

    #[test]
    fn render_escapes_text_and_writes_short_numbers() {
        let (svg, _) = render(100, 50, |c| {
            c.text(
                "a < b & c",
                (10.0, 10.333),
                Font::regular(size::BODY),
                palette::TEXT,
                H::Left,
                V::Top,
            );
            Ok(())
        })
        .unwrap();
        assert!(svg.contains(">a &lt; b &amp; c</text>"), "{svg}");
        assert!(svg.contains("x=\"10\" y=\"10.33\""), "{svg}");
        assert!(svg.starts_with("<rect"));
    }

    #[test]
    fn a_dashed_line_is_one_element_with_a_dash_array() {
        let (svg, _) = render(100, 100, |c| {
            c.path(
                &[(0.0, 0.0), (50.0, 33.3), (100.0, 40.0)],
                Stroke::dashed(palette::BLACK, 3, 7, 5),
            );
            Ok(())
        })
        .unwrap();
        assert_eq!(svg.matches("<polyline").count(), 1, "{svg}");
        assert!(svg.contains("points=\"0,0 50,33.3 100,40\""), "{svg}");
        assert!(svg.contains("stroke-dasharray=\"7 5\""), "{svg}");
        // A diagonal is anti-aliased, not snapped to pixels.
        let line = svg.lines().find(|l| l.starts_with("<polyline")).unwrap();
        assert!(!line.contains("crispEdges"), "{line}");
    }

    #[test]
    fn axis_aligned_lines_are_crisp() {
        let (svg, _) = render(100, 100, |c| {
            c.path(
                &[(0.0, 10.0), (100.0, 10.0)],
                Stroke::solid(palette::GRID, 1),
            );
            Ok(())
        })
        .unwrap();
        assert!(svg.contains("shape-rendering=\"crispEdges\"/>"), "{svg}");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(13.000000000000002), "13");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(10.4999), "10.5");
        assert_eq!(num(-0.001), "0");
    }

    #[test]
    fn hatching_stays_inside_its_box() {
        let (svg, _) = render(100, 100, |c| {
            c.hatch((10.0, 20.0), (40.0, 80.0), 6.0);
            Ok(())
        })
        .unwrap();
        let d = svg.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
        for part in d.split(['M', 'L']).filter(|p| !p.is_empty()) {
            let (x, y) = part.split_once(',').unwrap();
            let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
            assert!(
                (10.0..=40.0).contains(&x) && (20.0..=80.0).contains(&y),
                "{x},{y}"
            );
        }
    }

    #[test]
    fn upward_text_box_is_tall_and_narrow() {
        let font = Font::regular(12.0);
        let b = text_box_up(
            "nog geen cijfers",
            (100.0, 200.0),
            font,
            H::Center,
            V::Center,
        );
        assert!(b.y1 - b.y0 > 3.0 * (b.x1 - b.x0));
        assert!((b.x0 + b.x1) / 2.0 - 100.0 < 1e-9);
        assert!(((b.y0 + b.y1) / 2.0 - 200.0).abs() < 1e-9);
    }
}
