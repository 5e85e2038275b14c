//! Chart layout shared by all charts: header (title, subtitle, legend),
//! the source line under the chart, plot frame and scales, the y axis, a
//! two-row x axis, and spreading labels apart.

use super::draw::{Canvas, Colour, Font, H, Marker, MarkerStyle, Stroke, V, palette, size};

/// Outer margin in pixels.
pub(crate) const MARGIN: f64 = 16.0;
/// Gap between tick labels and the plot.
const TICK_GAP: f64 = 8.0;
/// Height of one legend row.
const LEGEND_ROW: f64 = 21.0;
/// Width of a legend swatch.
const SWATCH: f64 = 28.0;

/// What a legend entry looks like: the same fill, stroke, dash and marker as
/// the data mark it stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Swatch {
    /// A filled block, e.g. a bar or a band.
    Block {
        fill: Colour,
        alpha: f64,
        border: Option<Stroke>,
    },
    /// A line sample, a marker, or a line with a marker in the middle.
    Line {
        stroke: Option<Stroke>,
        marker: Option<MarkerStyle>,
    },
    /// A short thick line with a marker, for a value drawn as a tick mark.
    Tick { colour: Colour, marker: Marker },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LegendItem {
    pub swatch: Swatch,
    pub label: String,
}

/// Title, subtitle and legend above the plot.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Header {
    pub title: String,
    pub subtitle: Option<String>,
    /// Legend entries in rows, as the chart groups them. The rows are
    /// aligned in columns when that fits; a row too wide wraps. Build it
    /// from what is drawn: an entry for a mark that is not drawn is wrong.
    pub legend: Vec<Vec<LegendItem>>,
}

/// Gap between legend entries on a row.
const LEGEND_GAP: f64 = 24.0;

const TITLE_FONT: Font = Font::bold(size::TITLE);
const SUBTITLE_FONT: Font = Font::regular(size::SUBTITLE);
const LEGEND_FONT: Font = Font::regular(size::BODY);
/// Tick labels.
pub(crate) const TICK_FONT: Font = Font::regular(size::SMALL);
/// Axis titles.
pub(crate) const AXIS_FONT: Font = Font::regular(size::BODY);
/// Value labels in the plot.
pub(crate) const VALUE_FONT: Font = Font::regular(size::SMALL);
/// The source line.
const SOURCE_FONT: Font = Font::regular(size::SMALL);
/// Height of one line of the source text.
const SOURCE_LINE: f64 = 15.0;
/// At most this many lines of source text; the rest is cut with "…" (the
/// text alternative carries the whole of it).
const SOURCE_MAX_LINES: usize = 3;

impl Header {
    /// Legend lines as drawn: for each line its entries and their x.
    fn legend_rows(&self, width: f64) -> Vec<Vec<(&LegendItem, f64)>> {
        let item_w = |item: &LegendItem| SWATCH + 7.0 + LEGEND_FONT.width(&item.label);
        let right = width - MARGIN;
        // Columns: an entry followed by another on its row sets its
        // column's width; a row's last entry only needs room for itself.
        let columns = self.legend.iter().map(Vec::len).max().unwrap_or(0);
        let col_w: Vec<f64> = (0..columns)
            .map(|j| {
                self.legend
                    .iter()
                    .filter(|row| row.len() > j + 1)
                    .map(|row| item_w(&row[j]))
                    .fold(0.0, f64::max)
            })
            .collect();
        let fits = self.legend.iter().filter(|r| !r.is_empty()).all(|row| {
            let before: f64 = col_w[..row.len() - 1].iter().map(|w| w + LEGEND_GAP).sum();
            MARGIN + before + item_w(&row[row.len() - 1]) <= right
        });
        let mut lines = Vec::new();
        if fits {
            for row in self.legend.iter().filter(|r| !r.is_empty()) {
                let mut x = MARGIN;
                let mut line = Vec::new();
                for (item, w) in row.iter().zip(&col_w) {
                    line.push((item, x));
                    x += w + LEGEND_GAP;
                }
                lines.push(line);
            }
            return lines;
        }
        for row in self.legend.iter().filter(|r| !r.is_empty()) {
            let mut line: Vec<(&LegendItem, f64)> = Vec::new();
            let mut x = MARGIN;
            for item in row {
                let w = item_w(item);
                if x + w > right && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    x = MARGIN;
                }
                line.push((item, x));
                x += w + LEGEND_GAP;
            }
            lines.push(line);
        }
        lines
    }

    /// Y of the first pixel below the header.
    pub(super) fn bottom(&self, width: f64) -> f64 {
        let mut y = MARGIN + size::TITLE;
        if self.subtitle.is_some() {
            y += 6.0 + size::SUBTITLE;
        }
        let rows = self.legend_rows(width).len();
        if rows > 0 {
            y += 10.0 + rows as f64 * LEGEND_ROW;
        }
        y
    }

    /// Draws the header and records the legend samples for the legend check.
    pub(super) fn draw(&self, c: &mut Canvas) {
        c.text(
            &self.title,
            (MARGIN, MARGIN),
            TITLE_FONT,
            palette::TEXT,
            H::Left,
            V::Top,
        );
        let mut y = MARGIN + size::TITLE;
        if let Some(sub) = &self.subtitle {
            y += 6.0;
            c.text(
                sub,
                (MARGIN, y),
                SUBTITLE_FONT,
                palette::MUTED,
                H::Left,
                V::Top,
            );
            y += size::SUBTITLE;
        }
        y += 10.0;
        for row in self.legend_rows(c.width) {
            let mid = y + LEGEND_ROW / 2.0;
            for (item, x) in row {
                c.geometry.legend.push(item.swatch);
                draw_swatch(c, item.swatch, x, mid);
                c.text(
                    &item.label,
                    (x + SWATCH + 7.0, mid),
                    LEGEND_FONT,
                    palette::TEXT,
                    H::Left,
                    V::Center,
                );
            }
            y += LEGEND_ROW;
        }
    }
}

fn draw_swatch(c: &mut Canvas, swatch: Swatch, x: f64, mid: f64) {
    match swatch {
        Swatch::Block {
            fill,
            alpha,
            border,
        } => c.rect(
            (x + 4.0, mid - 7.0),
            (x + SWATCH - 4.0, mid + 7.0),
            Some((fill, alpha)),
            border,
        ),
        Swatch::Line { stroke, marker } => {
            if let Some(stroke) = stroke {
                c.path(&[(x, mid), (x + SWATCH, mid)], stroke);
            }
            if let Some(style) = marker {
                c.marker_shape(style, (x + SWATCH / 2.0, mid), 9.0);
            }
        }
        Swatch::Tick { colour, marker } => {
            c.path(
                &[(x + 3.0, mid), (x + SWATCH - 3.0, mid)],
                Stroke::solid(colour, 3),
            );
            c.marker_shape(
                MarkerStyle {
                    kind: marker,
                    colour,
                    filled: true,
                },
                (x + SWATCH / 2.0, mid),
                9.0,
            );
        }
    }
}

/// The source line ("Bron: ...") at the foot of the chart, wrapped to the
/// chart's width.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Footer {
    pub lines: Vec<String>,
}

impl Footer {
    /// The footer for `text` (none when `None`), wrapped at spaces to fit
    /// between the margins of a chart `width` wide.
    pub(super) fn new(text: Option<&str>, width: f64) -> Footer {
        let Some(text) = text else {
            return Footer { lines: Vec::new() };
        };
        let room = width - 2.0 * MARGIN;
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            // Lines past the last shown are not needed.
            if lines.len() > SOURCE_MAX_LINES {
                break;
            }
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if SOURCE_FONT.width(&candidate) <= room || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            }
            // A word wider than the line is cut into pieces that fit.
            while SOURCE_FONT.width(&line) > room && lines.len() <= SOURCE_MAX_LINES {
                let mut cut = String::new();
                let mut rest = String::new();
                for ch in line.chars() {
                    if rest.is_empty() && SOURCE_FONT.width(&format!("{cut}{ch}")) <= room {
                        cut.push(ch);
                    } else {
                        rest.push(ch);
                    }
                }
                if cut.is_empty() {
                    break;
                }
                lines.push(cut);
                line = rest;
            }
        }
        if !line.is_empty() && lines.len() <= SOURCE_MAX_LINES {
            lines.push(line);
        }
        if lines.len() > SOURCE_MAX_LINES {
            lines.truncate(SOURCE_MAX_LINES);
            let last = lines.last_mut().expect("three lines");
            while !last.is_empty() && SOURCE_FONT.width(&format!("{last} …")) > room {
                last.pop();
            }
            last.push_str(" …");
        }
        Footer { lines }
    }

    /// Height the footer takes above the bottom margin.
    pub(super) fn height(&self) -> f64 {
        if self.lines.is_empty() {
            0.0
        } else {
            6.0 + self.lines.len() as f64 * SOURCE_LINE
        }
    }

    pub(super) fn draw(&self, c: &mut Canvas) {
        let mut y = c.height - MARGIN - self.lines.len() as f64 * SOURCE_LINE + 2.0;
        for line in &self.lines {
            c.text(
                line,
                (MARGIN, y),
                SOURCE_FONT,
                palette::MUTED,
                H::Left,
                V::Top,
            );
            y += SOURCE_LINE;
        }
    }
}

/// A value axis with round ticks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
}

impl Axis {
    /// The smallest axis from a multiple of a round step (1, 2, 2,5 or 5
    /// times a power of ten; whole numbers only) at or below `min` (and at
    /// most 0) to one at or above `max`, with at most `max_intervals`
    /// intervals.
    pub(super) fn nice(min: f64, max: f64, max_intervals: usize) -> Axis {
        let min = min.min(0.0);
        let max = max.max(min + 1.0);
        let mut best = None;
        'outer: for exp in 0..19 {
            let p = 10f64.powi(exp);
            for m in [1.0, 2.0, 2.5, 5.0] {
                let step = m * p;
                if step < 1.0 || (m == 2.5 && exp == 0) {
                    continue;
                }
                let lo = (min / step).floor() * step;
                let hi = (max / step).ceil() * step;
                if ((hi - lo) / step).round() as usize <= max_intervals {
                    best = Some(Axis { lo, hi, step });
                    break 'outer;
                }
            }
        }
        best.unwrap_or(Axis {
            lo: min,
            hi: max,
            step: max - min,
        })
    }

    pub(super) fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as i64;
        (0..=n).map(|i| self.lo + i as f64 * self.step).collect()
    }

    /// Extends the axis by whole steps until `value` has at least
    /// `room_px` pixels above it on a plot `height_px` high.
    pub(super) fn with_headroom(mut self, value: f64, room_px: f64, height_px: f64) -> Axis {
        for _ in 0..4 {
            let px_per_unit = height_px / (self.hi - self.lo);
            if (self.hi - value) * px_per_unit >= room_px {
                break;
            }
            self.hi += self.step;
        }
        self
    }

    /// Widest tick label, in pixels.
    pub(super) fn label_width(&self) -> f64 {
        self.ticks()
            .iter()
            .map(|t| TICK_FONT.width(&crate::nl::getal(*t as i64)))
            .fold(0.0, f64::max)
    }
}

/// The plot rectangle in pixels and the data ranges it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Frame {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub x_lo: f64,
    pub x_hi: f64,
    pub y: Axis,
}

impl Frame {
    /// Left edge of the plot for a y axis with these ticks: room for the
    /// axis title and the widest tick label.
    pub(super) fn left_for(axis: &Axis) -> f64 {
        MARGIN + size::BODY + 10.0 + axis.label_width() + TICK_GAP
    }

    pub(super) fn x(&self, v: f64) -> f64 {
        self.left + (v - self.x_lo) / (self.x_hi - self.x_lo) * (self.right - self.left)
    }

    pub(super) fn y(&self, v: f64) -> f64 {
        self.bottom - (v - self.y.lo) / (self.y.hi - self.y.lo) * (self.bottom - self.top)
    }

    pub(super) fn width(&self) -> f64 {
        self.right - self.left
    }

    /// The plot as a box, for keeping labels inside it.
    pub(super) fn rect(&self) -> super::geometry::Rect {
        super::geometry::Rect {
            x0: self.left,
            y0: self.top,
            x1: self.right,
            y1: self.bottom,
        }
    }

    /// Grid lines and tick labels (Dutch numbers). The zero line is drawn
    /// darker.
    pub(super) fn draw_y_ticks(&self, c: &mut Canvas) {
        for t in self.y.ticks() {
            let y = self.y(t);
            let line = if t == 0.0 {
                Stroke::solid(palette::AXIS, 1)
            } else {
                Stroke::solid(palette::GRID, 1)
            };
            c.path(&[(self.left, y), (self.right, y)], line);
            c.text(
                &crate::nl::getal(t as i64),
                (self.left - TICK_GAP, y),
                TICK_FONT,
                palette::TEXT,
                H::Right,
                V::Center,
            );
        }
    }

    /// [`Frame::draw_y_ticks`] and the axis title, turned upwards along the
    /// left edge.
    pub(super) fn draw_y_axis(&self, c: &mut Canvas, title: &str) {
        self.draw_y_ticks(c);
        draw_y_title(c, title, self.top, self.bottom);
    }

    /// The bottom axis line (when the axis does not start at zero, the zero
    /// line is drawn by [`Frame::draw_y_axis`] instead).
    pub(super) fn draw_x_baseline(&self, c: &mut Canvas) {
        c.path(
            &[(self.left, self.bottom), (self.right, self.bottom)],
            Stroke::solid(palette::AXIS, 1),
        );
    }

    /// The x axis title, centred under the plot, above the source line.
    pub(super) fn draw_x_title(&self, c: &mut Canvas, title: &str, footer: &Footer) {
        c.text(
            title,
            (
                (self.left + self.right) / 2.0,
                c.height - MARGIN - footer.height(),
            ),
            AXIS_FONT,
            palette::TEXT,
            H::Center,
            V::Bottom,
        );
    }
}

/// A y axis title, turned upwards along the left edge, centred between `top`
/// and `bottom`.
pub(crate) fn draw_y_title(c: &mut Canvas, title: &str, top: f64, bottom: f64) {
    c.text_up(
        title,
        (MARGIN, (top + bottom) / 2.0),
        AXIS_FONT,
        palette::TEXT,
        H::Center,
        V::Top,
    );
}

/// Space below the plot for a two-row x axis and the x axis title.
pub(crate) const BOTTOM_TWO_ROWS: f64 = 78.0;
/// Space below the plot for a one-row x axis and the x axis title.
pub(crate) const BOTTOM_ONE_ROW: f64 = 58.0;

/// One slot on a categorical x axis: its centre in data units, its label,
/// its group (e.g. the year) and a key used to thin out labels when they do
/// not fit (labels are shown where `key` is a multiple of the step).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Slot {
    pub x: f64,
    pub label: String,
    pub group: i32,
    pub key: u32,
}

/// Draws a two-row x axis: slot labels under the plot and, below them, each
/// group's label (the year) centred under its slots, with separators between
/// groups. Slot labels are thinned to every 2nd, 3rd, ... when they would
/// touch; a group label that would touch the next one is left out.
pub(crate) fn draw_two_row_x_axis(c: &mut Canvas, frame: &Frame, slots: &[Slot]) {
    if slots.is_empty() {
        return;
    }
    let slot_px = if slots.len() > 1 {
        (frame.x(slots[1].x) - frame.x(slots[0].x)).abs()
    } else {
        frame.width()
    };
    let widest = slots
        .iter()
        .map(|s| TICK_FONT.width(&s.label))
        .fold(0.0, f64::max);
    // When even every 12th label would touch, the group row alone says it.
    let step = [1u32, 2, 3, 4, 6, 12]
        .into_iter()
        .find(|&k| f64::from(k) * slot_px >= widest + 6.0);
    let row1 = frame.bottom + 6.0;
    let row2 = frame.bottom + 26.0;
    for s in slots
        .iter()
        .filter(|s| step.is_some_and(|k| s.key.is_multiple_of(k)))
    {
        c.text(
            &s.label,
            (frame.x(s.x), row1),
            TICK_FONT,
            palette::TEXT,
            H::Center,
            V::Top,
        );
    }
    // Groups: consecutive runs of slots with the same group.
    let mut runs: Vec<(i32, f64, f64)> = Vec::new();
    for s in slots {
        let x = frame.x(s.x);
        match runs.last_mut() {
            Some((g, _, end)) if *g == s.group => *end = x,
            _ => runs.push((s.group, x, x)),
        }
    }
    // Group labels: decided from the right, so that the latest group (the
    // coming period) keeps its label when two would touch.
    let mut keep = vec![false; runs.len()];
    let mut next_left = f64::INFINITY;
    for (i, &(group, start, end)) in runs.iter().enumerate().rev() {
        let w = AXIS_FONT.width(&group.to_string());
        let centre = (start + end) / 2.0;
        if centre + w / 2.0 <= next_left - 6.0
            && centre - w / 2.0 >= 0.0
            && centre + w / 2.0 <= c.width
        {
            keep[i] = true;
            next_left = centre - w / 2.0;
        }
    }
    for (i, &(group, start, end)) in runs.iter().enumerate() {
        if keep[i] {
            c.text(
                &group.to_string(),
                ((start + end) / 2.0, row2),
                AXIS_FONT,
                palette::TEXT,
                H::Center,
                V::Top,
            );
        }
        if i > 0 {
            let x = start - slot_px / 2.0;
            c.path(
                &[(x, frame.bottom), (x, frame.bottom + 22.0)],
                Stroke::solid(palette::GRID, 1),
            );
        }
    }
}

/// Spreads labels that want to sit at the given y positions so that their
/// centres are at least `gap` apart, staying within `lo..=hi` where
/// possible. Returns the new positions in the input order.
pub(crate) fn spread(wanted: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|&a, &b| wanted[a].total_cmp(&wanted[b]).then(a.cmp(&b)));
    let mut pos: Vec<f64> = order.iter().map(|&i| wanted[i].clamp(lo, hi)).collect();
    // Several passes: push apart downwards, then pull back up from the end.
    for _ in 0..wanted.len().max(1) {
        for k in 1..pos.len() {
            if pos[k] - pos[k - 1] < gap {
                let mid = (pos[k] + pos[k - 1]) / 2.0;
                pos[k - 1] = mid - gap / 2.0;
                pos[k] = mid + gap / 2.0;
            }
        }
        if let Some(first) = pos.first_mut() {
            *first = first.max(lo);
        }
        for k in 1..pos.len() {
            pos[k] = pos[k].max(pos[k - 1] + gap);
        }
        if let Some(last) = pos.last_mut() {
            *last = last.min(hi);
        }
        for k in (0..pos.len().saturating_sub(1)).rev() {
            pos[k] = pos[k].min(pos[k + 1] - gap);
        }
    }
    let mut out = vec![0.0; wanted.len()];
    for (k, &i) in order.iter().enumerate() {
        out[i] = pos[k];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_axis_picks_round_steps() {
        let a = Axis::nice(0.0, 3_967.0, 8);
        assert_eq!((a.lo, a.hi, a.step), (0.0, 4_000.0, 500.0));
        let a = Axis::nice(-1_672.0, 38_800.0, 10);
        assert_eq!((a.lo, a.hi, a.step), (-5_000.0, 40_000.0, 5_000.0));
        let a = Axis::nice(0.0, 3.0, 8);
        assert_eq!((a.lo, a.hi, a.step), (0.0, 3.0, 1.0));
        let a = Axis::nice(0.0, 0.0, 8);
        assert_eq!((a.lo, a.hi, a.step), (0.0, 1.0, 1.0));
        let a = Axis::nice(0.0, 27_300.0, 7);
        assert_eq!((a.lo, a.hi, a.step), (0.0, 30_000.0, 5_000.0));
        assert_eq!(a.ticks().len(), 7);
    }

    #[test]
    fn headroom_adds_steps() {
        let a = Axis::nice(0.0, 4_000.0, 8).with_headroom(4_000.0, 20.0, 300.0);
        assert_eq!(a.hi, 4_500.0);
    }

    #[test]
    fn the_source_line_wraps_and_is_cut_after_three_lines() {
        assert_eq!(Footer::new(None, 760.0).height(), 0.0);
        let short = Footer::new(Some("Bron: Nidos."), 760.0);
        assert_eq!(short.lines, ["Bron: Nidos."]);
        let room = 760.0 - 2.0 * MARGIN;
        let long = "Bron: ".to_string() + &"heel lange bronvermelding ".repeat(8);
        let f = Footer::new(Some(long.trim()), 760.0);
        assert_eq!(f.lines.len(), 2);
        assert!(f.lines.iter().all(|l| SOURCE_FONT.width(l) <= room));
        assert_eq!(f.lines.join(" "), long.trim());
        let longer = "Bron: ".to_string() + &"woord ".repeat(200);
        let f = Footer::new(Some(longer.trim()), 760.0);
        assert_eq!(f.lines.len(), SOURCE_MAX_LINES);
        assert!(f.lines[2].ends_with(" …"));
        assert!(f.lines.iter().all(|l| SOURCE_FONT.width(l) <= room));
        // A word wider than the line is cut.
        let f = Footer::new(Some(&"x".repeat(300)), 760.0);
        assert!(f.lines.len() > 1);
        assert!(f.lines.iter().all(|l| SOURCE_FONT.width(l) <= room));
        // A huge one is cut after the lines shown, not all of it.
        let f = Footer::new(Some(&"x".repeat(60_000)), 760.0);
        assert_eq!(f.lines.len(), SOURCE_MAX_LINES);
        assert!(f.lines[2].ends_with(" …"));
    }

    #[test]
    fn legend_columns_follow_entries_that_have_a_neighbour() {
        let item = |label: &str| LegendItem {
            swatch: Swatch::Line {
                stroke: Some(Stroke::solid(palette::BLACK, 1)),
                marker: None,
            },
            label: label.into(),
        };
        let header = Header {
            title: "t".into(),
            subtitle: None,
            legend: vec![
                vec![item("A"), item("B")],
                vec![item("Een heel lange laatste ingang zonder buur")],
            ],
        };
        let rows = header.legend_rows(760.0);
        // B sits right after A: the long entry alone on its row does not
        // widen the first column.
        assert!(rows[0][1].1 < MARGIN + SWATCH + 7.0 + LEGEND_FONT.width("A") + LEGEND_GAP + 1.0);
    }

    #[test]
    fn spread_keeps_order_and_gap() {
        let out = spread(&[100.0, 100.0, 200.0], 16.0, 0.0, 300.0);
        assert!((out[1] - out[0]).abs() >= 16.0 - 1e-9);
        assert!(out[2] >= 200.0 - 1e-9);
        let out = spread(&[295.0, 298.0], 16.0, 0.0, 300.0);
        assert!(out[1] <= 300.0 && out[1] - out[0] >= 16.0 - 1e-9, "{out:?}");
        let out = spread(&[50.0, 10.0], 16.0, 0.0, 300.0);
        assert_eq!(out, vec![50.0, 10.0]);
    }
}
