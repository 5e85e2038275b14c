//! One Markdown text per document, parsed once into a small typed model and
//! written as HTML (the body of a page), CommonMark and Word (`.docx`).
//!
//! Every document of a build goes through here: `render::formats` fills a
//! document's template and hands the text to [`parse`].
//!
//! ```
//! use taakstelling::document::{self, Charts, Metadata, Reference};
//!
//! let mut charts = Charts::new();
//! charts.insert(
//!     "grafiek-1.svg",
//!     r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>"#,
//! )?;
//! let doc = document::parse(
//!     "# Notitie\n\n![Een balk](grafiek-1.svg)\n\nGrafiek: Een balk.\n",
//!     &charts,
//! )?;
//! let html = document::to_html(&doc);
//! assert!(html.contains("<figcaption id=\"grafiek-1-bijschrift\"><strong>Grafiek 1.</strong> Een balk.</figcaption>"));
//! let markdown = document::to_markdown(&doc);
//! assert_eq!(markdown, "# Notitie\n\n![Een balk](grafiek-1.svg)\n\nGrafiek 1: Een balk.\n");
//! let docx = document::to_docx(&doc, &Reference::default(), &Metadata::new("Notitie", "Proef"))?;
//! assert!(docx.starts_with(b"PK"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The Markdown flavour
//!
//! CommonMark with GFM tables and heading attributes (`## Doel {#doel .class}`),
//! parsed with `pulldown-cmark`. CommonMark has no syntax for a few things a
//! memo needs; these conventions add them, and each still reads as ordinary
//! Markdown in any viewer:
//!
//! | what | write | notes |
//! | --- | --- | --- |
//! | title | `# HLRT-notitie taakstelling 2025-I` as the first block | the only level-1 heading; sections are `##` to `####` (Word: Heading 1 to 3) |
//! | memo header | a bullet list right after the title whose every item is `**Label:** value` | e.g. `- **Aan:** HLRT`, `- **Datum:** 1 oktober 2024`; HTML `<dl>`, Word a two-column block |
//! | figure | `![alt text](grafiek-1-bandbreedte.svg)` alone in a paragraph, then a paragraph `Grafiek: caption` | only chart files the caller registered; figures are numbered in order; `Grafiek 2: caption` states the number and must match |
//! | table caption | a paragraph `Tabel: caption` right before a GFM table, optionally ending in `{#id .class}` | every table needs one |
//! | row headers | the first column of every table | HTML `<th scope="row">` |
//! | number column | a right-aligned column (`---:`) | HTML `class="getal"`, Word right-aligned |
//! | total row | a row whose every non-empty cell is wholly `**bold**` | HTML `class="totaal"`, Word bold |
//! | page break | `\newpage` alone in a paragraph (as in pandoc) | dropped from the CommonMark output |
//! | bijlage | `## Bijlage: Rekenverantwoording` (or `## Bijlage 1: ...`, number checked) | numbered *Bijlage 1*, *Bijlage 2*, ...; starts on a new page; runs to the next bijlage or the end, so after the first bijlage a `##` heading must be another bijlage |
//!
//! A heading, table or bijlage without `{#id}` gets an id from its text
//! (`## Evaluatie taakstelling` → `evaluatie-taakstelling`, as GitHub makes
//! it, see [`slug`]), a table
//! `tabel-1`, `tabel-2`, ..., a figure `grafiek-1`, `grafiek-2`, ...
//!
//! To write one of these prefixes as plain text, escape its colon
//! (`Tabel\: ...`, `## Bijlage\: ...`) or backslash (`\\newpage`).
//!
//! Every misuse is an error naming its line in the Markdown: a caption
//! without its table or figure, a table or figure without a caption, a wrong
//! figure or bijlage number, an unknown `\command`, an unknown chart file, an
//! image of a chart that does not stand alone, a figure without alt text, a
//! level-1 heading that is not the first block, a heading below level 4 or
//! inside a list or quote, an unknown heading attribute, a malformed or
//! duplicate id, a header list with an item that is not `**Label:** value`,
//! a code block (usually a line indented by four spaces by mistake), a
//! blank table header cell.
//!
//! # Safety
//!
//! The model never holds markup from its source: HTML blocks and inline HTML
//! are kept as literal text, which every writer escapes. A link whose target
//! has a scheme other than `http`, `https` or `mailto`, or that leaves the
//! document's folder by a network path (`//host`), is dropped and its text
//! kept; the scheme is checked after decoding character references and
//! percent-encoding, ignoring case, blanks and control characters. An image
//! that is not one of the registered charts is replaced by its alt text (but
//! a relative `.svg` that is not registered is an error: a misspelt chart).
//! Control characters are replaced by U+FFFD. The chart SVGs come from the
//! caller (the project's own chart module) and are trusted.

mod docx;
mod html;
mod markdown;
mod parse;
mod safety;
mod slug;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

pub use docx::{
    DEFAULT_REFERENCE_DOCX, DocxError, Metadata, PreparedDocx, Reference, ReferenceError,
    docx_parts, prepare_docx, reference_docx_from_dir, to_docx,
};
pub use html::to_html;
pub use markdown::to_markdown;
pub use parse::{ParseError, parse};
pub use slug::slug;

/// A parsed document: title, memo header, body and bijlagen.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub title: Option<Vec<Inline>>,
    pub header: Vec<Field>,
    pub blocks: Vec<Block>,
    pub bijlagen: Vec<Bijlage>,
}

/// One `**Label:** value` line of the memo header.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Without the colon.
    pub label: String,
    pub value: Vec<Inline>,
}

/// An appendix: always starts on a new page, numbered from 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Bijlage {
    pub number: usize,
    pub id: Id,
    pub classes: Vec<String>,
    /// The title without the "Bijlage N:" prefix.
    pub title: Vec<Inline>,
    pub blocks: Vec<Block>,
}

/// An element id; `given` when the source wrote it, so that the Markdown
/// writer writes back exactly the ids it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id {
    pub value: String,
    pub given: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(Heading),
    Paragraph(Vec<Inline>),
    List(List),
    Table(Table),
    Figure(Figure),
    Quote(Vec<Block>),
    PageBreak,
    Rule,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// The Markdown level, 2 to 4 (the title is level 1).
    pub level: u8,
    pub id: Id,
    pub classes: Vec<String>,
    pub content: Vec<Inline>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// The first number of an ordered list; `None` for a bullet list.
    pub start: Option<u64>,
    /// No blank lines between the items (HTML without `<p>` in the items).
    pub tight: bool,
    pub items: Vec<Vec<Block>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// No alignment written (`---`): left.
    None,
    Left,
    Center,
    /// A number column.
    Right,
}

/// A table; its first column holds the row headers.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub id: Id,
    pub classes: Vec<String>,
    pub caption: Vec<Inline>,
    pub columns: Vec<Align>,
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// As many cells as the table has columns (GFM pads and cuts).
    pub cells: Vec<Vec<Inline>>,
    /// A total row: written bold, `class="totaal"` in HTML.
    pub total: bool,
}

/// A chart with its caption, numbered "Grafiek N".
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub number: usize,
    pub id: Id,
    pub chart: ChartRef,
    /// The text alternative: the image's alt text.
    pub alt: String,
    /// Without the "Grafiek N." prefix.
    pub caption: Vec<Inline>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Code(String),
    /// Only `http`, `https`, `mailto` or a relative target (see the module docs).
    Link {
        dest: String,
        title: String,
        content: Vec<Inline>,
    },
    SoftBreak,
    HardBreak,
}

/// The charts a document may show, by file name (`grafiek-1-bandbreedte.svg`),
/// with their SVG text. One set can serve every document of a build: a chart's
/// PNG (for Word) is rendered once, the first time a document needs it.
#[derive(Debug, Clone, Default)]
pub struct Charts {
    map: BTreeMap<String, ChartRef>,
}

/// A shared, registered chart.
#[derive(Clone)]
pub struct ChartRef(Arc<Chart>);

struct Chart {
    name: String,
    svg: String,
    png: OnceLock<Result<docx::Png, String>>,
}

/// A chart name that is not a plain `*.svg` file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "chart file name {0:?} must be a plain file name ending in .svg (letters, digits, '.', '-', '_')"
)]
pub struct ChartNameError(pub String);

impl Charts {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a chart; a second chart of the same name replaces the first.
    pub fn insert(
        &mut self,
        name: impl Into<String>,
        svg: impl Into<String>,
    ) -> Result<(), ChartNameError> {
        let name = name.into();
        if !valid_chart_name(&name) {
            return Err(ChartNameError(name));
        }
        let chart = Chart {
            name: name.clone(),
            svg: svg.into(),
            png: OnceLock::new(),
        };
        self.map.insert(name, ChartRef(Arc::new(chart)));
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&ChartRef> {
        self.map.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    /// Renders the PNG fallback of every chart now, spread over the cores,
    /// instead of one after the other as the Word documents need them.
    pub fn render_pngs(&self) {
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(self.map.len());
        let queue = PngQueue::default();
        if threads <= 1 {
            self.render_pngs_from(&queue);
            return;
        }
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| self.render_pngs_from(&queue));
            }
        });
    }

    /// Renders the PNG fallbacks that no other thread sharing `queue` has taken,
    /// one chart at a time, in name order. Threads that share a queue render
    /// every chart once between them; a chart another thread is still rendering
    /// is waited for by whoever needs it (see [`to_docx`]).
    pub fn render_pngs_from(&self, queue: &PngQueue) {
        while let Some(chart) = self.map.values().nth(
            queue
                .next
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        ) {
            drop(chart.png());
        }
    }
}

/// The charts whose PNG is still to be rendered, shared by the threads that
/// render them (see [`Charts::render_pngs_from`]).
#[derive(Debug, Default)]
pub struct PngQueue {
    next: std::sync::atomic::AtomicUsize,
}

impl PngQueue {
    /// No thread takes another chart from the queue (a chart being rendered is
    /// finished); one that needs a PNG later renders it itself.
    pub fn stop(&self) {
        self.next
            .store(usize::MAX / 2, std::sync::atomic::Ordering::Relaxed);
    }
}

fn valid_chart_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".svg") else {
        return false;
    };
    !stem.is_empty()
        && stem.starts_with(|c: char| c.is_ascii_alphanumeric())
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

impl ChartRef {
    pub fn name(&self) -> &str {
        &self.0.name
    }

    pub fn svg(&self) -> &str {
        &self.0.svg
    }

    /// The chart's size in CSS pixels, as its root element gives it (`width` and
    /// `height`, or else the `viewBox`): the size of its PNG fallback, and of the
    /// picture in Word.
    pub(crate) fn size(&self) -> Result<(f32, f32), String> {
        let doc = roxmltree::Document::parse(&self.0.svg).map_err(|e| e.to_string())?;
        let root = doc.root_element();
        let length = |name: &str| {
            root.attribute(name)
                .map(|v| v.trim().trim_end_matches("px"))
                .and_then(|v| v.parse::<f32>().ok())
        };
        let view_box: Option<Vec<f32>> = root.attribute("viewBox").map(|v| {
            v.split(|c: char| c.is_whitespace() || c == ',')
                .filter(|p| !p.is_empty())
                .filter_map(|p| p.parse().ok())
                .collect()
        });
        let from_view_box = |i: usize| view_box.as_ref().filter(|v| v.len() == 4).map(|v| v[i]);
        match (
            length("width").or_else(|| from_view_box(2)),
            length("height").or_else(|| from_view_box(3)),
        ) {
            (Some(w), Some(h)) if w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite() => {
                Ok((w, h))
            }
            _ => Err("the SVG gives no size in pixels (width and height, or a viewBox)".into()),
        }
    }

    /// The PNG fallback for Word, rendered once per chart.
    pub(crate) fn png(&self) -> Result<&docx::Png, String> {
        self.0
            .png
            .get_or_init(|| docx::render_png(&self.0.svg))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Two references are equal when they name the same chart.
impl PartialEq for ChartRef {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name
    }
}

impl fmt::Debug for ChartRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChartRef({:?})", self.0.name)
    }
}

impl Document {
    /// The title as plain text (for `<title>` and the Word properties).
    pub fn title_text(&self) -> String {
        self.title.as_deref().map(plain_text).unwrap_or_default()
    }

    /// The value of the header field `label` as plain text, if there is one.
    pub fn header_text(&self, label: &str) -> Option<String> {
        self.header
            .iter()
            .find(|f| f.label == label)
            .map(|f| plain_text(&f.value))
    }

    /// Replaces the target of every link for which `f` returns a new one: one
    /// text links to `staatscourant.md`, its HTML to `staatscourant.html`. The
    /// caller keeps the targets allowed (see the module docs).
    pub fn rewrite_links(&mut self, f: &mut dyn FnMut(&str) -> Option<String>) {
        if let Some(title) = &mut self.title {
            rewrite_inlines(title, f);
        }
        for field in &mut self.header {
            rewrite_inlines(&mut field.value, f);
        }
        rewrite_blocks(&mut self.blocks, f);
        for b in &mut self.bijlagen {
            rewrite_inlines(&mut b.title, f);
            rewrite_blocks(&mut b.blocks, f);
        }
    }
}

fn rewrite_blocks(blocks: &mut [Block], f: &mut dyn FnMut(&str) -> Option<String>) {
    for block in blocks {
        match block {
            Block::Heading(h) => rewrite_inlines(&mut h.content, f),
            Block::Paragraph(content) => rewrite_inlines(content, f),
            Block::List(list) => {
                for item in &mut list.items {
                    rewrite_blocks(item, f);
                }
            }
            Block::Table(t) => {
                rewrite_inlines(&mut t.caption, f);
                for cell in t
                    .header
                    .iter_mut()
                    .chain(t.rows.iter_mut().flat_map(|r| r.cells.iter_mut()))
                {
                    rewrite_inlines(cell, f);
                }
            }
            Block::Figure(figure) => rewrite_inlines(&mut figure.caption, f),
            Block::Quote(inner) => rewrite_blocks(inner, f),
            Block::PageBreak | Block::Rule => {}
        }
    }
}

fn rewrite_inlines(inlines: &mut [Inline], f: &mut dyn FnMut(&str) -> Option<String>) {
    for inline in inlines {
        match inline {
            Inline::Link { dest, content, .. } => {
                if let Some(new) = f(dest) {
                    *dest = new;
                }
                rewrite_inlines(content, f);
            }
            Inline::Strong(c) | Inline::Emphasis(c) => rewrite_inlines(c, f),
            Inline::Text(_) | Inline::Code(_) | Inline::SoftBreak | Inline::HardBreak => {}
        }
    }
}

/// The text of inlines without markup; breaks become spaces.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Link { content: c, .. } => {
                push_plain(c, out);
            }
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
        }
    }
}

/// The label before a bijlage's title: "Bijlage 1".
pub fn bijlage_label(number: usize) -> String {
    format!("Bijlage {number}")
}

/// The label before a figure's caption: "Grafiek 1".
pub fn figure_label(number: usize) -> String {
    format!("Grafiek {number}")
}
