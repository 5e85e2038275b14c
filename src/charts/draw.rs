//! Drawing primitives on plotters' SVG backend, in pixel coordinates, plus
//! the palette, the fonts and an estimate of text widths.
//!
//! All layout is done here in pixels rather than through plotters' chart
//! builder: plotters cannot measure text without font files, and we need
//! exact control over where every label goes so that nothing overlaps or is
//! clipped.

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{
    FontDesc, FontFamily, FontStyle, FontTransform, RGBAColor, RGBColor, ShapeStyle,
};

use super::ChartError;

/// Font list for all chart text. Text widths are estimated for DejaVu Sans,
/// the widest common fallback, so Arial or Helvetica only make text narrower.
pub(crate) const FONT_FAMILY: &str = "Arial, Helvetica, sans-serif";

/// plotters-svg writes `font-size` as the given size divided by 1.24; we
/// pass pixel sizes multiplied by this and clean the figure up afterwards
/// (see `svg::finish`).
const PLOTTERS_FONT_SCALE: f64 = 1.24;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    fn rgb(self) -> RGBColor {
        RGBColor(self.0, self.1, self.2)
    }
    fn rgba(self, alpha: f64) -> RGBAColor {
        RGBAColor(self.0, self.1, self.2, alpha)
    }
}

/// Okabe–Ito colours (safe for the common forms of colour blindness), and
/// the neutrals. Each chart pairs a dark colour with a light one and adds
/// dash patterns or marker shapes, so series stay apart in grey print.
pub(crate) mod palette {
    use super::Colour;
    pub const BLACK: Colour = Colour(0, 0, 0);
    /// Okabe–Ito orange; light in grey print.
    pub const ORANGE: Colour = Colour(0xE6, 0x9F, 0x00);
    /// Okabe–Ito sky blue; light in grey print.
    pub const SKY_BLUE: Colour = Colour(0x56, 0xB4, 0xE9);
    /// Okabe–Ito blue; dark in grey print.
    pub const BLUE: Colour = Colour(0x00, 0x72, 0xB2);
    /// Okabe–Ito vermillion; mid-dark in grey print.
    pub const VERMILLION: Colour = Colour(0xD5, 0x5E, 0x00);
    /// Vermillion darkened to 80 % for text: contrast 5.6:1 on white, where
    /// vermillion itself (3.9:1) is too light for small text.
    pub const VERMILLION_TEXT: Colour = Colour(0xAA, 0x4B, 0x00);
    /// A dark orange for outlines on light orange fills.
    pub const DARK_ORANGE: Colour = Colour(0x8C, 0x5A, 0x00);
    /// Body text (contrast 17:1 on white).
    pub const TEXT: Colour = Colour(0x1A, 0x1A, 0x1A);
    /// Secondary text (contrast 7:1 on white).
    pub const MUTED: Colour = Colour(0x59, 0x59, 0x59);
    /// Axis lines.
    pub const AXIS: Colour = Colour(0x4D, 0x4D, 0x4D);
    /// Grid lines.
    pub const GRID: Colour = Colour(0xD9, 0xD9, 0xD9);
    /// Background of a highlighted x range (the coming period).
    pub const SHADE: Colour = Colour(0xEE, 0xEE, 0xEE);
    pub const WHITE: Colour = Colour(0xFF, 0xFF, 0xFF);
}

/// Font sizes in pixels.
pub(crate) mod size {
    pub const TITLE: f64 = 18.0;
    pub const SUBTITLE: f64 = 13.0;
    pub const BODY: f64 = 13.0;
    pub const SMALL: f64 = 12.0;
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Font {
    pub size: f64,
    pub bold: bool,
    pub italic: bool,
}

impl Font {
    pub const fn regular(size: f64) -> Font {
        Font {
            size,
            bold: false,
            italic: false,
        }
    }
    pub const fn bold(size: f64) -> Font {
        Font {
            size,
            bold: true,
            italic: false,
        }
    }
    pub const fn italic(size: f64) -> Font {
        Font {
            size,
            bold: false,
            italic: true,
        }
    }

    /// Estimated advance width of `text` in pixels (see [`text_width`]).
    pub fn width(&self, text: &str) -> f64 {
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
pub(crate) struct Stroke {
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

/// Marker shapes for points on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    Diamond,
}

/// Horizontal and vertical text anchoring.
pub(crate) use plotters::style::text_anchor::{HPos as H, VPos as V};

fn px(v: f64) -> i32 {
    v.round() as i32
}

fn pt((x, y): (f64, f64)) -> (i32, i32) {
    (px(x), px(y))
}

fn draw_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// A drawing surface of fixed size, backed by an SVG string.
pub(crate) struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
    pub width: f64,
    pub height: f64,
}

/// Draws with `draw` on a white canvas of `width` × `height` and returns
/// the raw SVG from plotters.
pub(crate) fn render(
    width: u32,
    height: u32,
    draw: impl FnOnce(&mut Canvas<'_>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut buf = String::new();
    {
        let area = SVGBackend::with_string(&mut buf, (width, height)).into_drawing_area();
        let mut canvas = Canvas {
            area,
            width: f64::from(width),
            height: f64::from(height),
        };
        canvas.rect(
            (0.0, 0.0),
            (canvas.width, canvas.height),
            Some((palette::WHITE, 1.0)),
            None,
        )?;
        draw(&mut canvas)?;
        canvas.area.present().map_err(draw_err)?;
    }
    Ok(buf)
}

impl Canvas<'_> {
    fn font_desc(font: Font) -> FontDesc<'static> {
        let style = if font.bold {
            FontStyle::Bold
        } else if font.italic {
            FontStyle::Italic
        } else {
            FontStyle::Normal
        };
        FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            font.size * PLOTTERS_FONT_SCALE,
            style,
        )
    }

    /// Text anchored at (x, y): `h` says which end of the text is at x,
    /// `v` whether y is its top, middle or bottom.
    pub fn text(
        &mut self,
        text: &str,
        at: (f64, f64),
        font: Font,
        colour: Colour,
        h: HPos,
        v: VPos,
    ) -> Result<(), ChartError> {
        let rgb = colour.rgb();
        let style = Self::font_desc(font).color(&rgb).pos(Pos::new(h, v));
        self.area
            .draw(&Text::new(text, pt(at), style))
            .map_err(draw_err)
    }

    /// Text turned a quarter anticlockwise, reading upwards, centred on
    /// (x, y) along its length; `v` as in [`Canvas::text`], before turning.
    pub fn text_up(
        &mut self,
        text: &str,
        at: (f64, f64),
        font: Font,
        colour: Colour,
        h: HPos,
        v: VPos,
    ) -> Result<(), ChartError> {
        let rgb = colour.rgb();
        let style = Self::font_desc(font)
            .color(&rgb)
            .pos(Pos::new(h, v))
            .transform(FontTransform::Rotate270);
        self.area
            .draw(&Text::new(text, pt(at), style))
            .map_err(draw_err)
    }

    /// A line through `points`, solid or dashed.
    pub fn path(&mut self, points: &[(f64, f64)], stroke: Stroke) -> Result<(), ChartError> {
        if points.len() < 2 {
            return Ok(());
        }
        let pts: Vec<(i32, i32)> = points.iter().copied().map(pt).collect();
        let style = ShapeStyle::from(stroke.colour.rgb()).stroke_width(stroke.width);
        match stroke.dash {
            None => self.area.draw(&PathElement::new(pts, style)),
            Some((dash, gap)) => {
                self.area
                    .draw(&DashedPathElement::new(pts, dash as i32, gap as i32, style))
            }
        }
        .map_err(draw_err)
    }

    /// A rectangle between two corners, filled with a colour at an opacity
    /// and/or outlined.
    pub fn rect(
        &mut self,
        a: (f64, f64),
        b: (f64, f64),
        fill: Option<(Colour, f64)>,
        border: Option<Stroke>,
    ) -> Result<(), ChartError> {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        if let Some((colour, alpha)) = fill {
            let style = if alpha >= 1.0 {
                ShapeStyle::from(colour.rgb()).filled()
            } else {
                ShapeStyle::from(colour.rgba(alpha)).filled()
            };
            self.area
                .draw(&Rectangle::new([pt((x0, y0)), pt((x1, y1))], style))
                .map_err(draw_err)?;
        }
        if let Some(stroke) = border {
            self.path(&[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)], stroke)?;
        }
        Ok(())
    }

    /// A filled polygon.
    pub fn polygon(
        &mut self,
        points: &[(f64, f64)],
        colour: Colour,
        alpha: f64,
    ) -> Result<(), ChartError> {
        let pts: Vec<(i32, i32)> = points.iter().copied().map(pt).collect();
        let style = ShapeStyle::from(colour.rgba(alpha)).filled();
        self.area.draw(&Polygon::new(pts, style)).map_err(draw_err)
    }

    /// A point marker of about `size` px across. Hollow markers are white
    /// inside with a 2 px outline, so they stand out on lines and bars.
    pub fn marker(
        &mut self,
        kind: Marker,
        at: (f64, f64),
        size: f64,
        colour: Colour,
        filled: bool,
    ) -> Result<(), ChartError> {
        let r = size / 2.0;
        let (x, y) = at;
        if kind == Marker::Circle {
            let centre = pt(at);
            let radius = px(r);
            let rgb = colour.rgb();
            return if filled {
                self.area
                    .draw(&Circle::new(centre, radius, ShapeStyle::from(rgb).filled()))
                    .map_err(draw_err)
            } else {
                self.area
                    .draw(&Circle::new(
                        centre,
                        radius,
                        ShapeStyle::from(palette::WHITE.rgb()).filled(),
                    ))
                    .map_err(draw_err)?;
                self.area
                    .draw(&Circle::new(
                        centre,
                        radius,
                        ShapeStyle::from(rgb).stroke_width(2),
                    ))
                    .map_err(draw_err)
            };
        }
        let outline: Vec<(f64, f64)> = if kind == Marker::Square {
            let r = r * 0.9;
            vec![
                (x - r, y - r),
                (x + r, y - r),
                (x + r, y + r),
                (x - r, y + r),
                (x - r, y - r),
            ]
        } else {
            let r = r * 1.25;
            vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y), (x, y - r)]
        };
        if filled {
            self.polygon(&outline, colour, 1.0)
        } else {
            self.polygon(&outline, palette::WHITE, 1.0)?;
            self.path(&outline, Stroke::solid(colour, 2))
        }
    }

    /// A white box behind a text label, so it stays readable over lines
    /// and bars. `at`, `h` and `v` as for the text itself.
    pub fn label_backdrop(
        &mut self,
        text: &str,
        at: (f64, f64),
        font: Font,
        h: HPos,
        v: VPos,
    ) -> Result<(), ChartError> {
        let (x0, y0, x1, y1) = text_box(text, at, font, h, v);
        self.rect(
            (x0 - 3.0, y0 - 1.0),
            (x1 + 3.0, y1 + 1.0),
            Some((palette::WHITE, 0.85)),
            None,
        )
    }
}

/// Estimated box (x0, y0, x1, y1) of a horizontal text.
pub(crate) fn text_box(
    text: &str,
    at: (f64, f64),
    font: Font,
    h: HPos,
    v: VPos,
) -> (f64, f64, f64, f64) {
    let w = font.width(text);
    let x0 = match h {
        HPos::Left => at.0,
        HPos::Center => at.0 - w / 2.0,
        HPos::Right => at.0 - w,
    };
    // Cap height plus descenders is about 0.95 em; centre is at x-height / 2.
    let hgt = font.size * 0.95;
    let y0 = match v {
        VPos::Top => at.1,
        VPos::Center => at.1 - hgt / 2.0,
        VPos::Bottom => at.1 - hgt,
    };
    (x0, y0, x0 + w, y0 + hgt)
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
    fn render_produces_an_svg_with_text_escaped() {
        let svg = render(100, 50, |c| {
            c.text(
                "a < b & c",
                (10.0, 10.0),
                Font::regular(size::BODY),
                palette::TEXT,
                H::Left,
                V::Top,
            )
        })
        .unwrap();
        assert!(svg.contains("a &lt; b &amp; c"), "{svg}");
        assert!(svg.starts_with("<svg"));
    }
}
