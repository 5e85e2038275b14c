//! The reference document: a `.docx` whose styles and page layout the Word
//! output takes, like pandoc's `--reference-doc`.

use std::path::Path;
use std::sync::OnceLock;

use super::zip;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The default reference document, built from `templates/reference-docx/`.
pub const DEFAULT_REFERENCE_DOCX: &[u8] = include_bytes!("../../../templates/reference.docx");

/// The style ids the writer uses; a reference that lacks one gets the default's.
pub(super) const STYLE_IDS: [&str; 15] = [
    "Normal",
    "DefaultParagraphFont",
    "TableNormal",
    "Title",
    "Heading1",
    "Heading2",
    "Heading3",
    "BodyText",
    "ListBullet",
    "ListNumber",
    "BlockText",
    "Caption",
    "Footer",
    "Hyperlink",
    "VerbatimChar",
];
/// The table style.
pub(super) const TABLE_STYLE: &str = "Table";

/// A reference document that cannot serve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("reference document: {0}")]
pub struct ReferenceError(pub String);

/// The parts of a reference document that the output uses.
#[derive(Debug, Clone)]
pub struct Reference {
    /// `word/styles.xml`, with every style of [`STYLE_IDS`] present.
    pub(super) styles: String,
    pub(super) settings: String,
    pub(super) font_table: Option<String>,
    pub(super) theme: Option<String>,
    pub(super) numbering: Option<String>,
    /// The children of the last section's properties, other than headers,
    /// footers and a different first page.
    pub(super) section: String,
    /// Text width in twentieths of a point.
    pub(super) text_width: u32,
}

impl Default for Reference {
    /// The default reference document (`templates/reference.docx`).
    fn default() -> Self {
        static DEFAULT_REFERENCE: OnceLock<Reference> = OnceLock::new();
        DEFAULT_REFERENCE
            .get_or_init(|| {
                Reference::read(DEFAULT_REFERENCE_DOCX, None)
                    .expect("the default reference document is valid")
            })
            .clone()
    }
}

impl Reference {
    /// Reads a user's reference document (a `.docx` saved by Word or
    /// LibreOffice). Styles it lacks are taken from the default.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ReferenceError> {
        let fallback = Reference::default();
        Reference::read(bytes, Some(&fallback.styles))
    }

    fn read(bytes: &[u8], fallback_styles: Option<&str>) -> Result<Self, ReferenceError> {
        let files = zip::read(bytes).map_err(ReferenceError)?;
        let part = |name: &str| -> Result<Option<String>, ReferenceError> {
            match files.iter().find(|(n, _)| n == name) {
                None => Ok(None),
                Some((_, data)) => {
                    let text = String::from_utf8(data.clone())
                        .map_err(|_| ReferenceError(format!("{name} is not UTF-8")))?;
                    let doc = roxmltree::Document::parse(&text).map_err(|e| {
                        ReferenceError(format!("{name} is not well-formed XML: {e}"))
                    })?;
                    // Comments around the root (the sources' notes) stay out of the output.
                    let mut clean = text.clone();
                    let comments: Vec<_> = doc
                        .root()
                        .children()
                        .filter(roxmltree::Node::is_comment)
                        .map(|n| n.range())
                        .collect();
                    for range in comments.into_iter().rev() {
                        let end = range.end + usize::from(clean[range.end..].starts_with('\n'));
                        clean.replace_range(range.start..end, "");
                    }
                    Ok(Some(clean))
                }
            }
        };
        let mut styles = part("word/styles.xml")?
            .ok_or_else(|| ReferenceError("word/styles.xml is missing".into()))?;
        if let Some(fallback) = fallback_styles {
            styles = add_missing_styles(&styles, fallback)?;
        } else {
            let missing = missing_styles(&styles)?;
            if !missing.is_empty() {
                return Err(ReferenceError(format!(
                    "styles missing: {}",
                    missing.join(", ")
                )));
            }
        }
        let document = part("word/document.xml")?;
        let (section, text_width) = section(document.as_deref())?;
        let settings = match part("word/settings.xml")? {
            Some(s) => strip_elements(&s, &["attachedTemplate", "docVars", "rsids", "mailMerge"])?,
            None => DEFAULT_SETTINGS.to_string(),
        };
        Ok(Reference {
            styles,
            settings,
            font_table: part("word/fontTable.xml")?,
            theme: part("word/theme/theme1.xml")?,
            numbering: part("word/numbering.xml")?,
            section,
            text_width,
        })
    }
}

const DEFAULT_SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="709"/></w:settings>"#;

fn is_w(node: &roxmltree::Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(W)
}

fn style_ids(doc: &roxmltree::Document<'_>) -> Vec<String> {
    doc.root_element()
        .children()
        .filter(|n| is_w(n, "style"))
        .filter_map(|n| n.attribute((W, "styleId")).map(str::to_string))
        .collect()
}

fn missing_styles(styles: &str) -> Result<Vec<&'static str>, ReferenceError> {
    let doc = parse(styles, "word/styles.xml")?;
    let ids = style_ids(&doc);
    Ok(STYLE_IDS
        .iter()
        .chain([&TABLE_STYLE])
        .filter(|id| !ids.iter().any(|i| i == *id))
        .copied()
        .collect())
}

fn parse<'a>(text: &'a str, name: &str) -> Result<roxmltree::Document<'a>, ReferenceError> {
    roxmltree::Document::parse(text)
        .map_err(|e| ReferenceError(format!("{name} is not well-formed XML: {e}")))
}

/// The user's styles plus the default's definition of every style they lack.
fn add_missing_styles(styles: &str, fallback: &str) -> Result<String, ReferenceError> {
    let missing = missing_styles(styles)?;
    if missing.is_empty() {
        return Ok(styles.to_string());
    }
    let doc = parse(styles, "word/styles.xml")?;
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(W) || root.lookup_prefix(W) != Some("w") {
        return Err(ReferenceError(
            "word/styles.xml must use the prefix w: for WordprocessingML, as Word and LibreOffice write it".into(),
        ));
    }
    let fallback_doc = parse(fallback, "default styles")?;
    let mut insert = String::new();
    for node in fallback_doc
        .root_element()
        .children()
        .filter(|n| is_w(n, "style"))
    {
        if node
            .attribute((W, "styleId"))
            .is_some_and(|id| missing.contains(&id))
        {
            insert.push_str(&fallback[node.range()]);
            insert.push('\n');
        }
    }
    let end = styles
        .rfind("</w:styles>")
        .ok_or_else(|| ReferenceError("word/styles.xml has no closing </w:styles>".into()))?;
    Ok(format!("{}{}{}", &styles[..end], insert, &styles[end..]))
}

/// Removes elements (by local name) under the root, such as a settings
/// part's link to the template it was made from.
fn strip_elements(text: &str, names: &[&str]) -> Result<String, ReferenceError> {
    let doc = parse(text, "word/settings.xml")?;
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for node in doc.root_element().children() {
        if names.iter().any(|n| is_w(&node, n)) {
            let range = node.range();
            out.push_str(&text[at..range.start]);
            at = range.end;
        }
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// The page layout of the reference's last section and its text width.
fn section(document: Option<&str>) -> Result<(String, u32), ReferenceError> {
    const A4: (&str, u32) = (
        r#"<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1304" w:right="1134" w:bottom="1304" w:left="1418" w:header="709" w:footer="567" w:gutter="0"/>"#,
        11906 - 1418 - 1134,
    );
    let Some(text) = document else {
        return Ok((A4.0.to_string(), A4.1));
    };
    let doc = parse(text, "word/document.xml")?;
    let Some(sect) = doc.descendants().rfind(|n| is_w(n, "sectPr")) else {
        return Ok((A4.0.to_string(), A4.1));
    };
    let mut section = String::new();
    let (mut width, mut left, mut right) = (None, 0i64, 0i64);
    for child in sect.children().filter(roxmltree::Node::is_element) {
        if ["headerReference", "footerReference", "titlePg"]
            .iter()
            .any(|n| is_w(&child, n))
        {
            continue;
        }
        if is_w(&child, "pgSz") {
            width = child
                .attribute((W, "w"))
                .and_then(|v| v.parse::<i64>().ok());
        }
        if is_w(&child, "pgMar") {
            let get = |name| {
                child
                    .attribute((W, name))
                    .and_then(|v: &str| v.parse::<i64>().ok())
            };
            left = get("left").unwrap_or(0);
            right = get("right").unwrap_or(0);
            let gutter = get("gutter").unwrap_or(0);
            left += gutter;
        }
        section.push_str(&text[child.range()]);
    }
    let width = width.unwrap_or(11906) - left - right;
    if width < 1440 {
        return Err(ReferenceError(format!(
            "the page leaves {width} twips (under an inch) between the margins"
        )));
    }
    Ok((section, width as u32))
}

/// Builds a reference document from a folder of its parts (as in
/// `templates/reference-docx/`): `[Content_Types].xml` first, the rest by name.
pub fn reference_docx_from_dir(dir: &Path) -> std::io::Result<Vec<u8>> {
    let mut names = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("below the folder")
                .to_string_lossy()
                .replace('\\', "/");
            names.push(rel);
        }
    }
    names.sort_by_key(|n| (n != "[Content_Types].xml", n.clone()));
    let data: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(dir.join(n)))
        .collect::<Result<_, _>>()?;
    let entries: Vec<zip::Entry<'_>> = names
        .iter()
        .zip(&data)
        .map(|(name, data)| zip::Entry {
            name,
            data,
            deflate: true,
        })
        .collect();
    Ok(zip::write(&entries))
}
