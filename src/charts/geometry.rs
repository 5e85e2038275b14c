//! What a chart drew, as geometry: its data marks (bars, line segments,
//! markers), the labels in and beside its plot, its legend and the styles of
//! its data marks.
//!
//! The charts place every label by measuring: a label goes where its
//! estimated box (font size × character widths, see `draw::text_width`)
//! touches no bar, no line segment, no marker and no other label, and is left
//! out when there is no such place (its value is in the chart's data table).
//! [`Geometry::collisions`] is the check behind that, and the tests run it on
//! every chart they draw: the example periods and many synthetic ones.
//!
//! [`Geometry::legend_mismatches`] checks that the legend shows exactly what
//! is drawn: every legend sample has a data mark of the same stroke, dash,
//! fill and marker, and every data mark has its sample in the legend.

pub use super::draw::{Colour, Marker, MarkerStyle, Stroke};
pub use super::layout::Swatch;

/// What each chart draws, from the same data and drawing code as the chart.
pub use super::achterstand::geometry as achterstand;
pub use super::amv::geometry as amv_capaciteit;
pub use super::bandbreedte::geometry as bandbreedte;
pub use super::historie::geometry as historie;

/// A box in pixels: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn from_corners(a: (f64, f64), b: (f64, f64)) -> Rect {
        Rect {
            x0: a.0.min(b.0),
            y0: a.1.min(b.1),
            x1: a.0.max(b.0),
            y1: a.1.max(b.1),
        }
    }

    /// The box grown by `d` on every side.
    pub fn grow(self, d: f64) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }

    /// Whether the two boxes share more than an edge.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    /// Whether `other` lies inside this box.
    pub fn contains(&self, other: &Rect) -> bool {
        other.x0 >= self.x0 - 1e-9
            && other.x1 <= self.x1 + 1e-9
            && other.y0 >= self.y0 - 1e-9
            && other.y1 <= self.y1 + 1e-9
    }
}

/// A straight piece of a drawn line, with the line's width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub a: (f64, f64),
    pub b: (f64, f64),
    pub width: f64,
}

impl Segment {
    /// Whether the stroked segment (its width included) touches the box.
    pub fn crosses(&self, rect: &Rect) -> bool {
        let r = rect.grow(self.width / 2.0);
        // Liang–Barsky: clip the segment to the grown box.
        let (dx, dy) = (self.b.0 - self.a.0, self.b.1 - self.a.1);
        let mut t0: f64 = 0.0;
        let mut t1: f64 = 1.0;
        for (p, q) in [
            (-dx, self.a.0 - r.x0),
            (dx, r.x1 - self.a.0),
            (-dy, self.a.1 - r.y0),
            (dy, r.y1 - self.a.1),
        ] {
            if p.abs() < 1e-12 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 >= t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// A text in or beside a plot, with its estimated box.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub text: String,
    pub rect: Rect,
}

/// The look of a data mark, to compare with the legend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Style {
    /// A bar or a filled area.
    Block {
        fill: Colour,
        alpha: f64,
        border: Option<Stroke>,
    },
    /// A line with its stroke and dash pattern.
    Line(Stroke),
    /// A marker.
    Marker(MarkerStyle),
    /// A value drawn as a short thick line with a marker.
    Tick { colour: Colour, marker: Marker },
}

/// Room a label keeps from everything else, in pixels.
pub const CLEARANCE: f64 = 1.0;

/// Everything a chart drew that matters for its labels and its legend.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Geometry {
    pub bars: Vec<Rect>,
    pub lines: Vec<Segment>,
    pub markers: Vec<Rect>,
    pub labels: Vec<Label>,
    /// The legend samples, in the order shown.
    pub legend: Vec<Swatch>,
    /// The styles of the data marks drawn.
    pub styles: Vec<Style>,
}

impl Geometry {
    /// Whether a label with this box would touch a bar, a line, a marker or
    /// a label already placed.
    pub fn is_free(&self, rect: &Rect) -> bool {
        let r = rect.grow(CLEARANCE);
        !self.bars.iter().any(|b| b.overlaps(&r))
            && !self.markers.iter().any(|m| m.overlaps(&r))
            && !self.lines.iter().any(|s| s.crosses(&r))
            && !self.labels.iter().any(|l| l.rect.overlaps(&r))
    }

    /// Whether a line through `points` of this width would keep clear of
    /// every label placed so far.
    pub fn line_is_free(&self, points: &[(f64, f64)], width: f64) -> bool {
        points.windows(2).all(|w| {
            let s = Segment {
                a: w[0],
                b: w[1],
                width,
            };
            !self
                .labels
                .iter()
                .any(|l| s.crosses(&l.rect.grow(CLEARANCE)))
        })
    }

    /// Every label that touches a bar, a line segment, a marker or another
    /// label, described; empty when the chart is clean.
    pub fn collisions(&self) -> Vec<String> {
        let mut found = Vec::new();
        for (i, label) in self.labels.iter().enumerate() {
            let r = label.rect.grow(CLEARANCE);
            for (j, b) in self.bars.iter().enumerate() {
                if b.overlaps(&r) {
                    found.push(format!("label {:?} covers bar {j} {b:?}", label.text));
                }
            }
            for (j, m) in self.markers.iter().enumerate() {
                if m.overlaps(&r) {
                    found.push(format!("label {:?} covers marker {j} {m:?}", label.text));
                }
            }
            for (j, s) in self.lines.iter().enumerate() {
                if s.crosses(&r) {
                    found.push(format!(
                        "line segment {j} {s:?} runs through label {:?}",
                        label.text
                    ));
                }
            }
            for other in &self.labels[i + 1..] {
                if other.rect.overlaps(&label.rect) {
                    found.push(format!(
                        "labels {:?} and {:?} overlap",
                        label.text, other.text
                    ));
                }
            }
        }
        found
    }

    /// Legend samples without a data mark of that look, and data marks whose
    /// look has no legend sample; empty when the legend shows what is drawn.
    pub fn legend_mismatches(&self) -> Vec<String> {
        let mut found = Vec::new();
        let drawn = |s: &Style| self.styles.contains(s);
        for swatch in &self.legend {
            match *swatch {
                Swatch::Block {
                    fill,
                    alpha,
                    border,
                } => {
                    if !drawn(&Style::Block {
                        fill,
                        alpha,
                        border,
                    }) {
                        found.push(format!("legend block {swatch:?} is not drawn"));
                    }
                }
                Swatch::Line { stroke, marker } => {
                    if stroke.is_some_and(|s| !drawn(&Style::Line(s))) {
                        found.push(format!("legend line {stroke:?} is not drawn"));
                    }
                    if marker.is_some_and(|m| !drawn(&Style::Marker(m))) {
                        found.push(format!("legend marker {marker:?} is not drawn"));
                    }
                }
                Swatch::Tick { colour, marker } => {
                    if !drawn(&Style::Tick { colour, marker }) {
                        found.push(format!("legend tick {swatch:?} is not drawn"));
                    }
                }
            }
        }
        for style in &self.styles {
            let shown = self.legend.iter().any(|swatch| match (*swatch, *style) {
                (
                    Swatch::Block {
                        fill,
                        alpha,
                        border,
                    },
                    Style::Block {
                        fill: f,
                        alpha: a,
                        border: b,
                    },
                ) => fill == f && alpha == a && border == b,
                (Swatch::Line { stroke, .. }, Style::Line(s)) => stroke == Some(s),
                (Swatch::Line { marker, .. }, Style::Marker(m)) => marker == Some(m),
                (
                    Swatch::Tick { colour, marker },
                    Style::Tick {
                        colour: c,
                        marker: k,
                    },
                ) => colour == c && marker == k,
                _ => false,
            });
            if !shown {
                found.push(format!("{style:?} is drawn but not in the legend"));
            }
        }
        found
    }
}

/// The index of the first of `boxes` that lies inside `bounds` and is free
/// in `geometry` (see [`Geometry::is_free`]).
pub(crate) fn first_free(geometry: &Geometry, bounds: &Rect, boxes: &[Rect]) -> Option<usize> {
    boxes
        .iter()
        .position(|r| bounds.contains(r) && geometry.is_free(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        Rect { x0, y0, x1, y1 }
    }

    #[test]
    fn segments_cross_boxes_they_pass_through() {
        let b = rect(10.0, 10.0, 20.0, 20.0);
        let through = Segment {
            a: (0.0, 0.0),
            b: (30.0, 30.0),
            width: 1.0,
        };
        assert!(through.crosses(&b));
        let above = Segment {
            a: (0.0, 5.0),
            b: (30.0, 5.0),
            width: 1.0,
        };
        assert!(!above.crosses(&b));
        // Its width counts: 3 px wide, 1 px above the box.
        let close = Segment {
            a: (0.0, 9.0),
            b: (30.0, 9.0),
            width: 3.0,
        };
        assert!(close.crosses(&b));
        // Ends short of the box.
        let short = Segment {
            a: (0.0, 15.0),
            b: (8.0, 15.0),
            width: 1.0,
        };
        assert!(!short.crosses(&b));
        // Inside the box entirely.
        let inside = Segment {
            a: (12.0, 12.0),
            b: (14.0, 13.0),
            width: 1.0,
        };
        assert!(inside.crosses(&b));
        // A diagonal that passes the corner.
        let corner = Segment {
            a: (0.0, 8.0),
            b: (8.0, 0.0),
            width: 1.0,
        };
        assert!(!corner.crosses(&b));
        // A vertical line through the box.
        let vertical = Segment {
            a: (15.0, 0.0),
            b: (15.0, 30.0),
            width: 1.0,
        };
        assert!(vertical.crosses(&b));
    }

    #[test]
    fn collisions_name_what_touches() {
        let mut g = Geometry::default();
        g.bars.push(rect(0.0, 50.0, 10.0, 100.0));
        g.lines.push(Segment {
            a: (0.0, 30.0),
            b: (100.0, 30.0),
            width: 2.0,
        });
        g.labels.push(Label {
            text: "vrij".into(),
            rect: rect(20.0, 5.0, 40.0, 15.0),
        });
        assert!(g.collisions().is_empty());
        g.labels.push(Label {
            text: "op staaf".into(),
            rect: rect(5.0, 40.0, 25.0, 52.0),
        });
        g.labels.push(Label {
            text: "op lijn".into(),
            rect: rect(50.0, 25.0, 70.0, 35.0),
        });
        g.labels.push(Label {
            text: "op label".into(),
            rect: rect(30.0, 10.0, 45.0, 20.0),
        });
        let c = g.collisions();
        assert_eq!(c.len(), 3, "{c:?}");
        assert!(
            c.iter()
                .any(|m| m.contains("op staaf") && m.contains("bar"))
        );
        assert!(
            c.iter()
                .any(|m| m.contains("op lijn") && m.contains("line"))
        );
        assert!(
            c.iter()
                .any(|m| m.contains("vrij") && m.contains("op label"))
        );
    }

    #[test]
    fn first_free_skips_taken_and_outside_places() {
        let mut g = Geometry::default();
        g.bars.push(rect(0.0, 0.0, 10.0, 10.0));
        let bounds = rect(0.0, 0.0, 100.0, 100.0);
        let boxes = [
            rect(5.0, 5.0, 15.0, 15.0),
            rect(-5.0, 20.0, 5.0, 30.0),
            rect(20.0, 20.0, 30.0, 30.0),
        ];
        assert_eq!(first_free(&g, &bounds, &boxes), Some(2));
        assert!(first_free(&g, &bounds, &boxes[..2]).is_none());
    }

    #[test]
    fn the_legend_must_match_what_is_drawn() {
        use super::super::draw::palette;
        let solid = Stroke::solid(palette::BLACK, 3);
        let dashed = Stroke::dashed(palette::BLACK, 3, 7, 5);
        let mut g = Geometry::default();
        g.styles.push(Style::Line(dashed));
        g.legend.push(Swatch::Line {
            stroke: Some(dashed),
            marker: None,
        });
        assert!(g.legend_mismatches().is_empty());
        g.legend.push(Swatch::Line {
            stroke: Some(solid),
            marker: None,
        });
        assert_eq!(g.legend_mismatches().len(), 1);
        g.legend.pop();
        g.styles.push(Style::Marker(MarkerStyle {
            kind: Marker::Circle,
            colour: palette::BLACK,
            filled: false,
        }));
        assert_eq!(g.legend_mismatches().len(), 1);
    }
}
