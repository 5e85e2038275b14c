//! Model → Word (`.docx`, WordprocessingML), written directly: no converter
//! at run time, the same input gives the same bytes.

mod png;
mod reference;
mod zip;

use std::collections::BTreeMap;
use std::fmt::Write;

pub(super) use png::{Png, render_png};
pub use reference::{DEFAULT_REFERENCE_DOCX, Reference, ReferenceError, reference_docx_from_dir};

use super::{
    Align, Block, ChartRef, Document, Figure, Inline, List, Table, bijlage_label, figure_label,
    plain_text,
};

/// Document properties (`docProps/core.xml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    pub title: String,
    pub subject: String,
    /// Empty: no author written.
    pub creator: String,
    /// BCP 47, `nl-NL` by default.
    pub language: String,
    /// `YYYY-MM-DD`, written as the creation and modification date; `None`
    /// writes no date at all, so that the bytes do not depend on the clock.
    pub date: Option<String>,
}

impl Metadata {
    pub fn new(title: impl Into<String>, subject: impl Into<String>) -> Self {
        Metadata {
            title: title.into(),
            subject: subject.into(),
            creator: String::new(),
            language: "nl-NL".to_string(),
            date: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    #[error("chart {chart} cannot be rendered as PNG: {message}")]
    Chart { chart: String, message: String },
    #[error("the date {0:?} is not YYYY-MM-DD")]
    Date(String),
}

const NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#
);
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// One list level's indent, in twips (1 cm).
const LIST_INDENT: u32 = 567;
const EMU_PER_TWIP: u64 = 635;
const EMU_PER_PX: f64 = 9525.0;

/// Writes the document as a `.docx` with the reference's styles and layout.
pub fn to_docx(
    doc: &Document,
    reference: &Reference,
    meta: &Metadata,
) -> Result<Vec<u8>, DocxError> {
    prepare_docx(doc, reference, meta)?.finish()
}

/// [`to_docx`] up to the charts' PNG fallbacks, which [`PreparedDocx::finish`]
/// adds: a build writes the rest of the package while other threads draw them.
pub fn prepare_docx(
    doc: &Document,
    reference: &Reference,
    meta: &Metadata,
) -> Result<PreparedDocx, DocxError> {
    if let Some(date) = &meta.date {
        let ok = date.len() == 10
            && date.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !ok {
            return Err(DocxError::Date(date.clone()));
        }
    }
    let mut w = Writer {
        reference,
        body: String::with_capacity(64 * 1024),
        rels: Vec::new(),
        hyperlinks: BTreeMap::new(),
        media: Vec::new(),
        pngs: Vec::new(),
        lists: Vec::new(),
        num_base: numbering_bases(reference.numbering.as_deref()).1,
        images: BTreeMap::new(),
        bookmark: 0,
        drawing: 0,
    };
    w.document(doc)?;

    // Fixed relationships first, then images and links in order of use.
    let mut rels = vec![
        rel("rId1", "styles", "styles.xml", false),
        rel("rId2", "numbering", "numbering.xml", false),
        rel("rId3", "settings", "settings.xml", false),
        rel("rId4", "footer", "footer1.xml", false),
    ];
    if reference.font_table.is_some() {
        rels.push(rel("rId5", "fontTable", "fontTable.xml", false));
    }
    if reference.theme.is_some() {
        rels.push(rel("rId6", "theme", "theme/theme1.xml", false));
    }
    rels.extend(w.rels.iter().cloned());

    let document = format!(
        "{XML_DECL}<w:document {NS}><w:body>{}<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>{}</w:sectPr></w:body></w:document>",
        w.body, reference.section
    );
    let numbering = numbering(reference.numbering.as_deref(), &w.lists);
    let footer = footer(&meta.title, reference.text_width);
    let content_types = content_types(reference);
    let doc_rels = format!(
        "{XML_DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{}</Relationships>",
        rels.concat()
    );

    // The parts in a fixed order; the charts' PNGs come last (`PreparedDocx::finish`).
    let core = core_properties(meta);
    let app = format!(
        "{XML_DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>taakstelling</Application></Properties>"
    );
    let mut zip = zip::Writer::new();
    zip.add("[Content_Types].xml", content_types.as_bytes(), true);
    zip.add("_rels/.rels", ROOT_RELS.as_bytes(), true);
    zip.add("docProps/core.xml", core.as_bytes(), true);
    zip.add("docProps/app.xml", app.as_bytes(), true);
    zip.add("word/document.xml", document.as_bytes(), true);
    zip.add("word/_rels/document.xml.rels", doc_rels.as_bytes(), true);
    zip.add("word/styles.xml", reference.styles.as_bytes(), true);
    zip.add("word/numbering.xml", numbering.as_bytes(), true);
    zip.add("word/settings.xml", reference.settings.as_bytes(), true);
    if let Some(fonts) = &reference.font_table {
        zip.add("word/fontTable.xml", fonts.as_bytes(), true);
    }
    if let Some(theme) = &reference.theme {
        zip.add("word/theme/theme1.xml", theme.as_bytes(), true);
    }
    zip.add("word/footer1.xml", footer.as_bytes(), true);
    for m in &w.media {
        zip.add(&m.name, &m.data, true);
    }
    Ok(PreparedDocx { zip, pngs: w.pngs })
}

/// The parts of a `.docx` (any ZIP archive), by name, for checks and tests.
pub fn docx_parts(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    zip::read(bytes)
}

const ROOT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
    "</Relationships>"
);

fn rel(id: &str, kind: &str, target: &str, external: bool) -> String {
    let mut s = format!("<Relationship Id=\"{id}\" Type=\"{REL}/{kind}\" Target=\"");
    escape(target, &mut s);
    s.push('"');
    if external {
        s.push_str(" TargetMode=\"External\"");
    }
    s.push_str("/>");
    s
}

fn content_types(reference: &Reference) -> String {
    let mut s = format!(
        "{XML_DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Default Extension=\"png\" ContentType=\"image/png\"/>\
<Default Extension=\"svg\" ContentType=\"image/svg+xml\"/>"
    );
    let mut part = |name: &str, kind: &str| {
        let _ = write!(s, "<Override PartName=\"{name}\" ContentType=\"{kind}\"/>");
    };
    const WML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    part("/word/document.xml", &format!("{WML}.document.main+xml"));
    part("/word/styles.xml", &format!("{WML}.styles+xml"));
    part("/word/numbering.xml", &format!("{WML}.numbering+xml"));
    part("/word/settings.xml", &format!("{WML}.settings+xml"));
    part("/word/footer1.xml", &format!("{WML}.footer+xml"));
    if reference.font_table.is_some() {
        part("/word/fontTable.xml", &format!("{WML}.fontTable+xml"));
    }
    if reference.theme.is_some() {
        part(
            "/word/theme/theme1.xml",
            "application/vnd.openxmlformats-officedocument.theme+xml",
        );
    }
    part(
        "/docProps/core.xml",
        "application/vnd.openxmlformats-package.core-properties+xml",
    );
    part(
        "/docProps/app.xml",
        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    );
    s.push_str("</Types>");
    s
}

fn core_properties(meta: &Metadata) -> String {
    let mut s = format!(
        "{XML_DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
    );
    let mut element = |tag: &str, value: &str| {
        if !value.is_empty() {
            let _ = write!(s, "<{tag}>");
            escape(value, &mut s);
            let _ = write!(s, "</{tag}>");
        }
    };
    element("dc:title", &meta.title);
    element("dc:subject", &meta.subject);
    element("dc:creator", &meta.creator);
    element("dc:language", &meta.language);
    if let Some(date) = &meta.date {
        for tag in ["dcterms:created", "dcterms:modified"] {
            let _ = write!(
                s,
                "<{tag} xsi:type=\"dcterms:W3CDTF\">{date}T00:00:00Z</{tag}>"
            );
        }
    }
    s.push_str("</cp:coreProperties>");
    s
}

/// "Title ⇥ Pagina X van Y", the page numbers as fields.
fn footer(title: &str, text_width: u32) -> String {
    let mut s = format!(
        "{XML_DECL}<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:tabs><w:tab w:val=\"right\" w:pos=\"{text_width}\"/></w:tabs></w:pPr>"
    );
    if !title.is_empty() {
        s.push_str("<w:r><w:t xml:space=\"preserve\">");
        escape(title, &mut s);
        s.push_str("</w:t></w:r>");
    }
    s.push_str(
        "<w:r><w:tab/><w:t xml:space=\"preserve\">Pagina </w:t></w:r>\
<w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>\
<w:r><w:t xml:space=\"preserve\"> van </w:t></w:r>\
<w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>",
    );
    s
}

/// The first free abstract numbering id and the highest numbering instance
/// id of the reference's numbering part.
fn numbering_bases(reference: Option<&str>) -> (u32, u32) {
    let (mut abstract_base, mut num_base) = (0u32, 0u32);
    if let Some(text) = reference
        && let Ok(doc) = roxmltree::Document::parse(text)
    {
        for node in doc
            .root_element()
            .children()
            .filter(roxmltree::Node::is_element)
        {
            let id = |attr| {
                node.attributes()
                    .find(|a| a.name() == attr)
                    .and_then(|a| a.value().parse::<u32>().ok())
                    .unwrap_or(0)
            };
            match node.tag_name().name() {
                "abstractNum" => abstract_base = abstract_base.max(id("abstractNumId") + 1),
                "num" => num_base = num_base.max(id("numId")),
                _ => {}
            }
        }
    }
    (abstract_base, num_base)
}

/// The reference's numbering (if any) plus one bullet and one decimal
/// scheme and one instance per list, so that every ordered list counts
/// from its own start.
fn numbering(reference: Option<&str>, lists: &[ListDef]) -> String {
    let (abstract_base, num_base) = numbering_bases(reference);
    let bullet = abstract_base;
    let decimal = abstract_base + 1;
    let mut abstracts = String::new();
    for (id, ordered) in [(bullet, false), (decimal, true)] {
        let _ = write!(
            abstracts,
            "<w:abstractNum w:abstractNumId=\"{id}\"><w:multiLevelType w:val=\"hybridMultilevel\"/>"
        );
        for level in 0..9u32 {
            let (fmt, text) = if ordered {
                ("decimal", format!("%{}.", level + 1))
            } else {
                ("bullet", ["•", "–", "▪"][level as usize % 3].to_string())
            };
            let left = LIST_INDENT * (level + 1);
            let _ = write!(
                abstracts,
                "<w:lvl w:ilvl=\"{level}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{left}\" w:hanging=\"340\"/></w:pPr></w:lvl>"
            );
        }
        abstracts.push_str("</w:abstractNum>");
    }
    let mut nums = String::new();
    for (i, list) in lists.iter().enumerate() {
        let id = num_base + 1 + i as u32;
        let abstract_id = if list.start.is_some() {
            decimal
        } else {
            bullet
        };
        let _ = write!(
            nums,
            "<w:num w:numId=\"{id}\"><w:abstractNumId w:val=\"{abstract_id}\"/>"
        );
        if let Some(start) = list.start {
            let _ = write!(
                nums,
                "<w:lvlOverride w:ilvl=\"{}\"><w:startOverride w:val=\"{start}\"/></w:lvlOverride>",
                list.level
            );
        }
        nums.push_str("</w:num>");
    }
    match reference {
        Some(text) if roxmltree::Document::parse(text).is_ok() => {
            // Abstract definitions must come before the first instance.
            let doc = roxmltree::Document::parse(text).expect("checked");
            let first_num = doc
                .root_element()
                .children()
                .find(|n| n.is_element() && n.tag_name().name() == "num")
                .map(|n| n.range().start);
            let end = text.rfind("</w:numbering>").unwrap_or(text.len());
            let split = first_num.unwrap_or(end);
            format!(
                "{}{}{}{}{}",
                &text[..split],
                abstracts,
                &text[split..end],
                nums,
                &text[end..]
            )
        }
        _ => format!("{XML_DECL}<w:numbering {NS}>{abstracts}{nums}</w:numbering>"),
    }
}

struct ListDef {
    start: Option<u64>,
    level: usize,
}

struct Media {
    name: String,
    data: Vec<u8>,
}

/// A `.docx` written up to the PNG fallbacks of its charts: every other part
/// is made and compressed, so that what is left ([`PreparedDocx::finish`]) is to
/// wait for the PNGs and store them.
pub struct PreparedDocx {
    zip: zip::Writer,
    /// The PNG part of each chart, in the order of first use.
    pngs: Vec<(String, ChartRef)>,
}

impl PreparedDocx {
    /// The package, with the charts' PNGs (drawn now where no other thread has).
    pub fn finish(self) -> Result<Vec<u8>, DocxError> {
        let PreparedDocx { mut zip, pngs } = self;
        for (name, chart) in &pngs {
            let png = chart.png().map_err(|message| DocxError::Chart {
                chart: chart.name().to_string(),
                message,
            })?;
            zip.add(name, &png.bytes, false);
        }
        Ok(zip.finish())
    }
}

struct Writer<'a> {
    reference: &'a Reference,
    body: String,
    rels: Vec<String>,
    /// External link target → relationship id.
    hyperlinks: BTreeMap<String, String>,
    media: Vec<Media>,
    /// The PNG part of each chart, added when the package is finished.
    pngs: Vec<(String, ChartRef)>,
    lists: Vec<ListDef>,
    /// The reference's highest numbering instance id.
    num_base: u32,
    /// Chart name → the relationship ids of its PNG and SVG.
    images: BTreeMap<String, (String, String)>,
    bookmark: usize,
    drawing: usize,
}

/// Run formatting.
#[derive(Clone, Copy, Default)]
struct Run {
    bold: bool,
    italic: bool,
    code: bool,
    link: bool,
}

/// Paragraph properties, written in the schema's order.
#[derive(Default)]
struct Para<'s> {
    style: &'s str,
    keep_next: bool,
    /// Not kept with the next paragraph, whatever the style says.
    loose: bool,
    page_break_before: bool,
    num: Option<(usize, usize)>,
    no_num: bool,
    indent: Option<u32>,
    tight: bool,
    align: Option<&'static str>,
}

impl Para<'_> {
    fn write(&self, out: &mut String) {
        out.push_str("<w:p><w:pPr>");
        if !self.style.is_empty() {
            let _ = write!(out, "<w:pStyle w:val=\"{}\"/>", self.style);
        }
        if self.keep_next {
            out.push_str("<w:keepNext/>");
        } else if self.loose {
            out.push_str("<w:keepNext w:val=\"0\"/>");
        }
        if self.page_break_before {
            out.push_str("<w:pageBreakBefore/>");
        }
        if let Some((level, id)) = self.num {
            let _ = write!(
                out,
                "<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{id}\"/></w:numPr>"
            );
        } else if self.no_num {
            out.push_str("<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"0\"/></w:numPr>");
        }
        if self.tight {
            out.push_str("<w:spacing w:before=\"0\" w:after=\"0\"/>");
        }
        if let Some(left) = self.indent {
            let _ = write!(out, "<w:ind w:left=\"{left}\"/>");
        }
        if let Some(align) = self.align {
            let _ = write!(out, "<w:jc w:val=\"{align}\"/>");
        }
        out.push_str("</w:pPr>");
    }
}

impl Writer<'_> {
    fn document(&mut self, doc: &Document) -> Result<(), DocxError> {
        if let Some(title) = &doc.title {
            Para {
                style: "Title",
                ..Para::default()
            }
            .write(&mut self.body);
            self.inlines(title, Run::default());
            self.body.push_str("</w:p>");
        }
        if !doc.header.is_empty() {
            self.header(doc);
        }
        self.blocks(&doc.blocks, &Context::default())?;
        for b in &doc.bijlagen {
            Para {
                style: "Heading1",
                keep_next: true,
                page_break_before: true,
                ..Para::default()
            }
            .write(&mut self.body);
            self.bookmark_start(&b.id.value);
            let mut title = vec![Inline::Text(format!("{}: ", bijlage_label(b.number)))];
            title.extend(b.title.iter().cloned());
            self.inlines(&title, Run::default());
            self.bookmark_end();
            self.body.push_str("</w:p>");
            self.blocks(&b.blocks, &Context::default())?;
        }
        Ok(())
    }

    /// The memo header: a table without borders, labels bold.
    fn header(&mut self, doc: &Document) {
        let width = self.reference.text_width;
        let label = width / 4;
        let value = width - label;
        let _ = write!(
            self.body,
            "<w:tbl><w:tblPr><w:tblW w:w=\"{width}\" w:type=\"dxa\"/><w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"{label}\"/><w:gridCol w:w=\"{value}\"/></w:tblGrid>"
        );
        for field in &doc.header {
            let _ = write!(
                self.body,
                "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w=\"{label}\" w:type=\"dxa\"/></w:tcPr>"
            );
            Para {
                tight: true,
                ..Para::default()
            }
            .write(&mut self.body);
            self.inlines(
                &[Inline::Text(field.label.clone())],
                Run {
                    bold: true,
                    ..Run::default()
                },
            );
            let _ = write!(
                self.body,
                "</w:p></w:tc><w:tc><w:tcPr><w:tcW w:w=\"{value}\" w:type=\"dxa\"/></w:tcPr>"
            );
            Para {
                tight: true,
                ..Para::default()
            }
            .write(&mut self.body);
            self.inlines(&field.value, Run::default());
            self.body.push_str("</w:p></w:tc></w:tr>");
        }
        self.body.push_str("</w:tbl>");
        // Space between the header and the text, and Word needs a paragraph
        // between two tables.
        Para {
            style: "BodyText",
            ..Para::default()
        }
        .write(&mut self.body);
        self.body.push_str("</w:p>");
    }

    fn bookmark_start(&mut self, id: &str) {
        let _ = write!(
            self.body,
            "<w:bookmarkStart w:id=\"{}\" w:name=\"{}\"/>",
            self.bookmark,
            bookmark_name(id)
        );
    }

    fn bookmark_end(&mut self) {
        let _ = write!(self.body, "<w:bookmarkEnd w:id=\"{}\"/>", self.bookmark);
        self.bookmark += 1;
    }

    fn blocks(&mut self, blocks: &[Block], ctx: &Context) -> Result<(), DocxError> {
        for block in blocks {
            self.block(block, ctx)?;
        }
        Ok(())
    }

    fn block(&mut self, block: &Block, ctx: &Context) -> Result<(), DocxError> {
        match block {
            Block::Heading(h) => {
                let style = ["Heading1", "Heading2", "Heading3"][(h.level as usize - 2).min(2)];
                Para {
                    style,
                    keep_next: true,
                    ..Para::default()
                }
                .write(&mut self.body);
                self.bookmark_start(&h.id.value);
                self.inlines(&h.content, Run::default());
                self.bookmark_end();
                self.body.push_str("</w:p>");
            }
            Block::Paragraph(content) => {
                self.paragraph(ctx).write(&mut self.body);
                self.inlines(content, Run::default());
                self.body.push_str("</w:p>");
            }
            Block::List(list) => self.list(list, ctx)?,
            Block::Table(table) => self.table(table),
            Block::Figure(figure) => self.figure(figure, ctx)?,
            Block::Quote(inner) => {
                let ctx = Context {
                    quote: true,
                    ..ctx.clone()
                };
                self.blocks(inner, &ctx)?;
            }
            Block::PageBreak => self
                .body
                .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"),
            Block::Rule => self.body.push_str(
                "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"B4B4B4\"/></w:pBdr></w:pPr></w:p>",
            ),
        }
        Ok(())
    }

    /// The properties of a paragraph of text where it stands.
    fn paragraph(&self, ctx: &Context) -> Para<'static> {
        match &ctx.list {
            Some(item) => Para {
                style: item.style,
                no_num: true,
                indent: Some(LIST_INDENT * (item.level as u32 + 1)),
                ..Para::default()
            },
            None if ctx.quote => Para {
                style: "BlockText",
                ..Para::default()
            },
            None => Para {
                style: "BodyText",
                ..Para::default()
            },
        }
    }

    fn list(&mut self, list: &List, ctx: &Context) -> Result<(), DocxError> {
        let level = ctx.list.as_ref().map_or(0, |l| l.level + 1);
        self.lists.push(ListDef {
            start: list.start,
            level,
        });
        let num_id = self.num_base as usize + self.lists.len();
        let style = if list.start.is_some() {
            "ListNumber"
        } else {
            "ListBullet"
        };
        let item_ctx = Context {
            list: Some(ListContext { style, level }),
            quote: ctx.quote,
        };
        for item in &list.items {
            let mut rest = item.as_slice();
            // The item's first paragraph carries the number or bullet.
            if let Some(Block::Paragraph(content)) = item.first() {
                Para {
                    style,
                    num: Some((level, num_id)),
                    ..Para::default()
                }
                .write(&mut self.body);
                self.inlines(content, Run::default());
                self.body.push_str("</w:p>");
                rest = &item[1..];
            } else {
                Para {
                    style,
                    num: Some((level, num_id)),
                    ..Para::default()
                }
                .write(&mut self.body);
                self.body.push_str("</w:p>");
            }
            self.blocks(rest, &item_ctx)?;
        }
        Ok(())
    }

    fn table(&mut self, t: &Table) {
        Para {
            style: "Caption",
            keep_next: true,
            ..Para::default()
        }
        .write(&mut self.body);
        self.bookmark_start(&t.id.value);
        self.inlines(&t.caption, Run::default());
        self.bookmark_end();
        self.body.push_str("</w:p>");

        let widths = column_widths(t, self.reference.text_width);
        self.body.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"Table\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/><w:tblCaption w:val=\"");
        escape(&plain_text(&t.caption), &mut self.body);
        self.body.push_str("\"/></w:tblPr><w:tblGrid>");
        for w in &widths {
            let _ = write!(self.body, "<w:gridCol w:w=\"{w}\"/>");
        }
        self.body.push_str("</w:tblGrid>");
        self.row(&t.header, &t.columns, &widths, true, false);
        for row in &t.rows {
            self.row(&row.cells, &t.columns, &widths, false, row.total);
        }
        self.body.push_str("</w:tbl>");
        // Space after the table (and Word needs a paragraph between two tables).
        self.body
            .push_str("<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\"/></w:pPr></w:p>");
    }

    fn row(
        &mut self,
        cells: &[Vec<Inline>],
        columns: &[Align],
        widths: &[u32],
        header: bool,
        total: bool,
    ) {
        self.body.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if header {
            self.body.push_str("<w:tblHeader/>");
        }
        self.body.push_str("</w:trPr>");
        for ((cell, align), width) in cells.iter().zip(columns).zip(widths) {
            let _ = write!(
                self.body,
                "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>"
            );
            if total {
                self.body
                    .push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F3F6F9\"/>");
            }
            self.body.push_str("</w:tcPr>");
            Para {
                tight: true,
                align: match align {
                    Align::Right => Some("right"),
                    Align::Center => Some("center"),
                    Align::None | Align::Left => None,
                },
                ..Para::default()
            }
            .write(&mut self.body);
            self.inlines(
                cell,
                Run {
                    bold: header || total,
                    ..Run::default()
                },
            );
            self.body.push_str("</w:p></w:tc>");
        }
        self.body.push_str("</w:tr>");
    }

    fn figure(&mut self, f: &Figure, ctx: &Context) -> Result<(), DocxError> {
        // The size of the SVG: its PNG fallback is drawn at that size later, when
        // the package is finished (see `PreparedDocx`).
        let (width, height) = f.chart.size().map_err(|message| DocxError::Chart {
            chart: f.chart.name().to_string(),
            message,
        })?;
        let name = f.chart.name();
        let stem = name.strip_suffix(".svg").unwrap_or(name);
        let svg_part = format!("media/{name}");
        let png_part = format!("media/{stem}.png");
        // One copy of each chart per document, however often it is shown.
        let (png_rel, svg_rel) = match self.images.get(name) {
            Some(ids) => ids.clone(),
            None => {
                let n = self.images.len() * 2;
                let ids = (format!("rIdImg{}", n + 1), format!("rIdImg{}", n + 2));
                self.rels.push(rel(&ids.0, "image", &png_part, false));
                self.rels.push(rel(&ids.1, "image", &svg_part, false));
                self.pngs
                    .push((format!("word/{png_part}"), f.chart.clone()));
                self.media.push(Media {
                    name: format!("word/{svg_part}"),
                    data: f.chart.svg().as_bytes().to_vec(),
                });
                self.images.insert(name.to_string(), ids.clone());
                ids
            }
        };
        let indent = ctx
            .list
            .as_ref()
            .map_or(0, |l| LIST_INDENT * (l.level as u32 + 1));
        let max_width = u64::from(self.reference.text_width.saturating_sub(indent)) * EMU_PER_TWIP;
        let natural = (f64::from(width) * EMU_PER_PX) as u64;
        let cx = natural.min(max_width).max(1);
        let cy = ((cx as f64) * f64::from(height) / f64::from(width).max(1.0)) as u64;
        self.drawing += 1;
        let id = self.drawing;
        Para {
            style: "BodyText",
            keep_next: true,
            indent: (indent > 0).then_some(indent),
            ..Para::default()
        }
        .write(&mut self.body);
        self.bookmark_start(&f.id.value);
        let mut alt = String::new();
        escape(&f.alt, &mut alt);
        let _ = write!(
            self.body,
            "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>\
<wp:docPr id=\"{id}\" name=\"{label}\" descr=\"{alt}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"{stem}.png\" descr=\"{alt}\"/><pic:cNvPicPr/></pic:nvPicPr>\
<pic:blipFill><a:blip r:embed=\"{png_rel}\"><a:extLst><a:ext uri=\"{{96DAC541-7B7A-43D3-8B79-37D633B846F1}}\"><asvg:svgBlip xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\" r:embed=\"{svg_rel}\"/></a:ext></a:extLst></a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
            label = figure_label(f.number),
        );
        self.bookmark_end();
        self.body.push_str("</w:p>");
        // The Caption style keeps a table's caption with its table; a figure's
        // caption follows its figure, and what comes next may go to the next page.
        Para {
            style: "Caption",
            loose: true,
            indent: (indent > 0).then_some(indent),
            ..Para::default()
        }
        .write(&mut self.body);
        let mut caption = vec![Inline::Text(format!("{}. ", figure_label(f.number)))];
        caption.extend(f.caption.iter().cloned());
        self.inlines(&caption, Run::default());
        self.body.push_str("</w:p>");
        Ok(())
    }

    fn inlines(&mut self, inlines: &[Inline], run: Run) {
        for inline in inlines {
            match inline {
                Inline::Text(t) => self.text(t, run),
                Inline::Strong(c) => self.inlines(c, Run { bold: true, ..run }),
                Inline::Emphasis(c) => self.inlines(
                    c,
                    Run {
                        italic: true,
                        ..run
                    },
                ),
                Inline::Code(t) => self.text(t, Run { code: true, ..run }),
                Inline::Link { dest, content, .. } => {
                    if let Some(anchor) = dest.strip_prefix('#') {
                        let _ = write!(
                            self.body,
                            "<w:hyperlink w:anchor=\"{}\">",
                            bookmark_name(anchor)
                        );
                    } else {
                        // A place in another document (`staatscourant.docx#groningen`)
                        // links to that document: the standard ignores `w:anchor`
                        // when `r:id` names a target, so the place cannot be kept.
                        let target = match dest.split_once('#') {
                            Some((file, _)) if is_relative(file) => file,
                            _ => dest.as_str(),
                        };
                        let next = format!("rIdLink{}", self.hyperlinks.len() + 1);
                        let id = self
                            .hyperlinks
                            .entry(target.to_string())
                            .or_insert_with(|| next.clone())
                            .clone();
                        if id == next {
                            self.rels.push(rel(&id, "hyperlink", target, true));
                        }
                        let _ = write!(self.body, "<w:hyperlink r:id=\"{id}\" w:history=\"1\">");
                    }
                    self.inlines(content, Run { link: true, ..run });
                    self.body.push_str("</w:hyperlink>");
                }
                Inline::SoftBreak => self.text(" ", run),
                Inline::HardBreak => {
                    self.run_start(run);
                    self.body.push_str("<w:br/></w:r>");
                }
            }
        }
    }

    fn run_start(&mut self, run: Run) {
        self.body.push_str("<w:r>");
        if run.bold || run.italic || run.code || run.link {
            self.body.push_str("<w:rPr>");
            if run.code {
                self.body.push_str("<w:rStyle w:val=\"VerbatimChar\"/>");
            } else if run.link {
                self.body.push_str("<w:rStyle w:val=\"Hyperlink\"/>");
            }
            if run.bold {
                self.body.push_str("<w:b/><w:bCs/>");
            }
            if run.italic {
                self.body.push_str("<w:i/><w:iCs/>");
            }
            self.body.push_str("</w:rPr>");
        }
    }

    fn text(&mut self, text: &str, run: Run) {
        if text.is_empty() {
            return;
        }
        self.run_start(run);
        for (i, part) in text.split('\t').enumerate() {
            if i > 0 {
                self.body.push_str("<w:tab/>");
            }
            if !part.is_empty() {
                self.body.push_str("<w:t xml:space=\"preserve\">");
                escape(part, &mut self.body);
                self.body.push_str("</w:t>");
            }
        }
        self.body.push_str("</w:r>");
    }
}

#[derive(Clone, Default)]
struct Context {
    list: Option<ListContext>,
    quote: bool,
}

#[derive(Clone)]
struct ListContext {
    style: &'static str,
    level: usize,
}

/// Column widths in twips: by the longest text in each column (long texts
/// wrap), at least a sixth of an even share.
fn column_widths(t: &Table, total: u32) -> Vec<u32> {
    let n = t.columns.len().max(1);
    let mut weights: Vec<f64> = vec![1.0; n];
    let rows = std::iter::once(&t.header).chain(t.rows.iter().map(|r| &r.cells));
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(n) {
            let text = plain_text(cell);
            let len = text.chars().count() as f64;
            let word = text
                .split_whitespace()
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0) as f64;
            // Long texts wrap, but not inside a word: beyond 30 characters
            // a text counts for a third, up to 60, and at least its longest word.
            let wrapped = if len <= 30.0 {
                len
            } else {
                (30.0 + (len - 30.0) / 3.0).min(60.0)
            };
            weights[i] = weights[i].max(wrapped).max(word * 1.2 + 3.0);
        }
    }
    let sum: f64 = weights.iter().sum();
    let floor = f64::from(total) / n as f64 / 6.0;
    let mut widths: Vec<u32> = weights
        .iter()
        .map(|w| (f64::from(total) * w / sum).max(floor) as u32)
        .collect();
    let used: u32 = widths.iter().sum();
    if used > total {
        let scale = f64::from(total) / f64::from(used);
        for w in &mut widths {
            *w = (f64::from(*w) * scale) as u32;
        }
    }
    widths
}

/// A link target without a scheme: a file beside the document.
fn is_relative(target: &str) -> bool {
    !target.is_empty() && !target.split(['/', '?']).next().unwrap_or("").contains(':')
}

/// A Word bookmark name: a letter first, letters, digits and `_`, at most 40.
fn bookmark_name(id: &str) -> String {
    let mut name: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert(0, 'b');
    }
    name.truncate(40);
    name
}

/// Escapes XML text and attribute values; characters XML 1.0 forbids are dropped.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}
