//! The Word writer of `document`: a complete, well-formed package with real
//! headings, lists, tables and images, the same bytes for the same input,
//! and the styles and page of a reference document.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use taakstelling::document::{
    self, Charts, Document, DocxError, Metadata, Reference, docx_parts, parse,
    reference_docx_from_dir,
};

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="380" height="230" viewBox="0 0 380 230" role="img"><title>Proef</title><rect width="380" height="230" fill="#fff"/><text x="10" y="50" font-family="Arial, Helvetica, sans-serif" font-size="14" font-weight="bold">Grafiek 17.700</text></svg>"##;

fn charts() -> &'static Charts {
    static CHARTS: LazyLock<Charts> = LazyLock::new(|| {
        let mut c = Charts::new();
        c.insert("grafiek-1.svg", SVG).unwrap();
        c
    });
    &CHARTS
}

const SAMPLE: &str = r#"# Notitie taakstelling 2025-I

- **Aan:** HLRT
- **Datum:** 1 oktober 2024

## Doel

Tekst met **vet**, *nadruk*, `code`, een [koppeling](https://www.rijksoverheid.nl/), [nog eens](https://www.rijksoverheid.nl/) en een [anker](#cijfers) & <tekens>.

1. Eerste
2. Tweede
   - genest

- los

### Grafiek

![Het verloop van de inwilligingen](grafiek-1.svg)

Grafiek: Inwilligingen per maand.

![Nog een keer](grafiek-1.svg)

Grafiek: Dezelfde grafiek.

#### Detail

> Citaat.

## Cijfers {#cijfers}

Tabel: Per provincie

| Provincie | Gemeenten | Taakstelling |
| --- | ---: | ---: |
| Groningen | 10 | 599 |
| **Nederland** | **10** | **599** |

\newpage

## Bijlage: Rekenverantwoording

Tekst.
"#;

fn sample() -> Document {
    parse(SAMPLE, charts()).unwrap()
}

fn meta() -> Metadata {
    Metadata::new(
        "Notitie taakstelling 2025-I",
        "Taakstelling huisvesting vergunninghouders",
    )
}

fn parts(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    docx_parts(bytes).unwrap().into_iter().collect()
}

fn text(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(parts[name].clone()).unwrap_or_else(|_| panic!("{name} is UTF-8"))
}

fn sample_docx() -> Vec<u8> {
    document::to_docx(&sample(), &Reference::default(), &meta()).unwrap()
}

#[test]
fn every_part_is_well_formed_and_typed_and_every_relationship_resolves() {
    let parts = parts(&sample_docx());
    let names: Vec<&str> = parts.keys().map(String::as_str).collect();
    for name in &names {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            roxmltree::Document::parse(&text(&parts, name))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    // Content types: an override or a default for every part.
    let types = text(&parts, "[Content_Types].xml");
    let types = roxmltree::Document::parse(&types).unwrap();
    let defaults: Vec<_> = types
        .descendants()
        .filter(|n| n.has_tag_name("Default"))
        .map(|n| n.attribute("Extension").unwrap().to_string())
        .collect();
    let overrides: Vec<_> = types
        .descendants()
        .filter(|n| n.has_tag_name("Override"))
        .map(|n| n.attribute("PartName").unwrap().to_string())
        .collect();
    for name in names.iter().filter(|n| **n != "[Content_Types].xml") {
        let ext = name.rsplit('.').next().unwrap();
        assert!(
            overrides.contains(&format!("/{name}")) || defaults.iter().any(|d| d == ext),
            "{name} has no content type"
        );
    }
    for part in &overrides {
        assert!(
            parts.contains_key(&part[1..]),
            "override for missing {part}"
        );
    }
    for must in [
        "/word/document.xml",
        "/word/styles.xml",
        "/word/numbering.xml",
        "/word/settings.xml",
        "/word/footer1.xml",
        "/docProps/core.xml",
        "/docProps/app.xml",
    ] {
        assert!(overrides.iter().any(|o| o == must), "{must}");
    }
    // Relationships: every internal target exists, every id used is defined.
    let mut doc_rel_ids = Vec::new();
    for rels in names.iter().filter(|n| n.ends_with(".rels")) {
        let folder = rels
            .strip_suffix(&format!(
                "_rels/{}",
                Path::new(rels).file_name().unwrap().to_str().unwrap()
            ))
            .unwrap();
        let xml = text(&parts, rels);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        for rel in doc.descendants().filter(|n| n.has_tag_name("Relationship")) {
            if *rels == "word/_rels/document.xml.rels" {
                doc_rel_ids.push(rel.attribute("Id").unwrap().to_string());
            }
            if rel.attribute("TargetMode") == Some("External") {
                continue;
            }
            let target = format!("{folder}{}", rel.attribute("Target").unwrap());
            assert!(parts.contains_key(&target), "{rels}: {target} is missing");
        }
    }
    let mut used = Vec::new();
    for part in ["word/document.xml", "word/footer1.xml"] {
        let xml = text(&parts, part);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        for node in doc.descendants() {
            for attr in node.attributes() {
                if attr.namespace()
                    == Some("http://schemas.openxmlformats.org/officeDocument/2006/relationships")
                {
                    used.push(attr.value().to_string());
                }
            }
        }
    }
    assert!(used.len() >= 5, "{used:?}");
    for id in &used {
        assert!(doc_rel_ids.contains(id), "{id} is not defined");
    }
    // Order in the archive: the content types first, as Office writes them.
    assert_eq!(
        docx_parts(&sample_docx()).unwrap()[0].0,
        "[Content_Types].xml"
    );
}

#[test]
fn headings_lists_tables_images_and_footer_are_word_elements() {
    let parts = parts(&sample_docx());
    let doc = text(&parts, "word/document.xml");
    for style in [
        "Title",
        "Heading1",
        "Heading2",
        "Heading3",
        "BodyText",
        "ListNumber",
        "ListBullet",
        "BlockText",
        "Caption",
    ] {
        assert!(
            doc.contains(&format!("<w:pStyle w:val=\"{style}\"/>")),
            "{style}"
        );
    }
    // The bijlage starts on a new page and is numbered; the page break too.
    assert!(doc.contains("<w:pStyle w:val=\"Heading1\"/><w:keepNext/><w:pageBreakBefore/>"));
    assert!(doc.contains("Bijlage 1: </w:t>") || doc.contains("Bijlage 1: Rekenverantwoording"));
    assert!(doc.contains("<w:br w:type=\"page\"/>"));
    // Lists: numbered, nested (level 1), each list its own instance.
    assert!(doc.contains("<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>"));
    assert!(doc.contains("<w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"2\"/></w:numPr>"));
    assert!(doc.contains("<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"3\"/></w:numPr>"));
    let numbering = text(&parts, "word/numbering.xml");
    assert!(numbering.contains("<w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/>"));
    assert!(numbering.contains("<w:num w:numId=\"3\"><w:abstractNumId w:val=\"0\"/></w:num>"));
    // The table: style, a repeated header row, rows that do not split,
    // number columns right-aligned, a bold total row.
    assert!(doc.contains("<w:tblStyle w:val=\"Table\"/>"));
    assert_eq!(doc.matches("<w:tblHeader/>").count(), 1);
    assert_eq!(
        doc.matches("<w:trPr><w:cantSplit/>").count(),
        3 + 2,
        "3 table rows and 2 header rows"
    );
    assert!(doc.contains("<w:jc w:val=\"right\"/></w:pPr><w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">599</w:t>"));
    assert!(doc.contains("<w:tblCaption w:val=\"Per provincie\"/>"));
    // Images: a PNG with the SVG as extension, once per chart, alt text set.
    assert_eq!(doc.matches("<w:drawing>").count(), 2);
    assert_eq!(doc.matches("<asvg:svgBlip").count(), 2);
    assert!(doc.contains("descr=\"Het verloop van de inwilligingen\""));
    assert!(doc.contains("r:embed=\"rIdImg1\"><a:extLst><a:ext uri=\"{96DAC541-7B7A-43D3-8B79-37D633B846F1}\"><asvg:svgBlip xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\" r:embed=\"rIdImg2\"/>"));
    assert!(parts["word/media/grafiek-1.png"].starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(parts["word/media/grafiek-1.svg"], SVG.as_bytes());
    assert_eq!(
        parts
            .keys()
            .filter(|k| k.starts_with("word/media/"))
            .count(),
        2
    );
    // Sized to fit: 380 × 230 px at 9525 EMU per pixel is narrower than the text.
    assert!(doc.contains("<wp:extent cx=\"3619500\" cy=\"2190750\"/>"));
    assert!(doc.contains("Grafiek 1. </w:t>") && doc.contains("Grafiek 2. </w:t>"));
    // Links: one relationship per target, anchors as bookmarks.
    let rels = text(&parts, "word/_rels/document.xml.rels");
    assert_eq!(
        rels.matches("Target=\"https://www.rijksoverheid.nl/\" TargetMode=\"External\"")
            .count(),
        1
    );
    assert_eq!(doc.matches("<w:hyperlink r:id=\"rIdLink1\"").count(), 2);
    assert!(doc.contains("<w:hyperlink w:anchor=\"cijfers\">"));
    assert!(doc.contains("w:name=\"cijfers\"/>"));
    assert!(doc.contains("&amp; &lt;tekens&gt;"));
    // The footer: title and "Pagina X van Y".
    let footer = text(&parts, "word/footer1.xml");
    assert!(footer.contains("Notitie taakstelling 2025-I"));
    assert!(footer.contains("<w:fldSimple w:instr=\" PAGE \">"));
    assert!(footer.contains("<w:fldSimple w:instr=\" NUMPAGES \">"));
    assert!(doc.contains(
        "<w:footerReference w:type=\"default\" r:id=\"rId4\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
    ));
}

#[test]
fn properties_come_from_the_metadata_and_hold_no_clock() {
    let parts = parts(&sample_docx());
    let core = text(&parts, "docProps/core.xml");
    assert!(core.contains("<dc:title>Notitie taakstelling 2025-I</dc:title>"));
    assert!(core.contains("<dc:subject>Taakstelling huisvesting vergunninghouders</dc:subject>"));
    assert!(core.contains("<dc:language>nl-NL</dc:language>"));
    assert!(!core.contains("dcterms:created") && !core.contains("dc:creator"));
    let mut with_date = meta();
    with_date.date = Some("2024-10-01".into());
    with_date.creator = "Secretariaat HLRT".into();
    let dated = parts_of(&document::to_docx(&sample(), &Reference::default(), &with_date).unwrap());
    let core = text(&dated, "docProps/core.xml");
    assert!(core.contains(
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2024-10-01T00:00:00Z</dcterms:created>"
    ));
    assert!(core.contains("<dc:creator>Secretariaat HLRT</dc:creator>"));
    with_date.date = Some("1-10-2024".into());
    assert_eq!(
        document::to_docx(&sample(), &Reference::default(), &with_date),
        Err(DocxError::Date("1-10-2024".into()))
    );
    let app = text(&parts, "docProps/app.xml");
    assert!(app.contains("<Application>taakstelling</Application>"));
}

fn parts_of(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    parts(bytes)
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let first = sample_docx();
    assert_eq!(first, sample_docx());
    // Also with the charts registered anew, so the PNG is rendered again.
    let mut fresh = Charts::new();
    fresh.insert("grafiek-1.svg", SVG).unwrap();
    let doc = parse(SAMPLE, &fresh).unwrap();
    assert_eq!(
        first,
        document::to_docx(&doc, &Reference::default(), &meta()).unwrap()
    );
    // Every entry carries 1 January 1980 as its time.
    let dos_date = 0x21u16.to_le_bytes();
    assert_eq!(&first[10..12], &[0, 0]);
    assert_eq!(&first[12..14], &dos_date);
}

#[test]
fn the_committed_reference_docx_is_built_from_its_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = reference_docx_from_dir(&root.join("templates/reference-docx")).unwrap();
    let committed = std::fs::read(root.join("templates/reference.docx")).unwrap();
    assert!(
        built == committed,
        "templates/reference.docx is stale: run `cargo run --example reference_docx -- templates/reference-docx templates/reference.docx`"
    );
}

/// A copy of the reference sources, changed by `edit`, as a `.docx`.
fn user_reference(name: &str, edit: impl Fn(&Path)) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/reference-docx");
    let dir = common::tmp(name).join("reference");
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        let target = dir.join(entry.path().strip_prefix(&root).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    edit(&dir);
    let bytes = reference_docx_from_dir(&dir).unwrap();
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    bytes
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_users_reference_gives_its_styles_and_page_and_lacking_styles_are_added() {
    let bytes = user_reference("docx-reference", |dir| {
        let styles = dir.join("word/styles.xml");
        // A house style: another title colour, no List Bullet style of its own.
        replace_in(
            &styles,
            "<w:color w:val=\"154273\"/><w:kern w:val=\"28\"/>",
            "<w:color w:val=\"AA0000\"/><w:kern w:val=\"28\"/>",
        );
        let text = std::fs::read_to_string(&styles).unwrap();
        let start = text
            .find("<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\">")
            .unwrap();
        let end = start + text[start..].find("</w:style>").unwrap() + "</w:style>".len();
        std::fs::write(&styles, format!("{}{}", &text[..start], &text[end..])).unwrap();
        // US Letter, other margins.
        replace_in(
            &dir.join("word/document.xml"),
            "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>",
            "<w:pgSz w:w=\"12240\" w:h=\"15840\"/>",
        );
        // A numbering part of its own, whose ids ours must not reuse.
        std::fs::write(
            dir.join("word/numbering.xml"),
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#,
        )
        .unwrap();
    });
    let reference = Reference::from_bytes(&bytes).unwrap();
    let parts = parts(&document::to_docx(&sample(), &reference, &meta()).unwrap());
    let styles = text(&parts, "word/styles.xml");
    assert!(
        styles.contains("<w:color w:val=\"AA0000\"/>"),
        "the user's title"
    );
    assert_eq!(
        styles.matches("w:styleId=\"ListBullet\"").count(),
        1,
        "the default's List Bullet"
    );
    assert!(!styles.contains("<!--"));
    let doc = text(&parts, "word/document.xml");
    assert!(doc.contains("<w:pgSz w:w=\"12240\" w:h=\"15840\"/>"));
    let width = 12240 - 1418 - 1134;
    assert!(text(&parts, "word/footer1.xml").contains(&format!("w:pos=\"{width}\"")));
    let numbering = text(&parts, "word/numbering.xml");
    roxmltree::Document::parse(&numbering).unwrap();
    assert!(numbering.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:abstractNum w:abstractNumId=\"0\">"));
    assert!(
        numbering.contains(
            "<w:abstractNum w:abstractNumId=\"1\"><w:multiLevelType w:val=\"hybridMultilevel\"/>"
        ),
        "ours after the user's"
    );
    assert!(
        numbering
            .find("<w:abstractNum w:abstractNumId=\"2\"")
            .unwrap()
            < numbering.find("<w:num w:numId=\"1\"").unwrap(),
        "every abstract before the first instance"
    );
    assert!(
        numbering.contains("<w:num w:numId=\"2\"><w:abstractNumId w:val=\"2\"/>"),
        "the first list: decimal, after the user's instance"
    );
    assert!(doc.contains("<w:numId w:val=\"2\"/>") && !doc.contains("<w:numId w:val=\"1\"/>"));
}

#[test]
fn a_reference_that_cannot_serve_is_refused_with_a_reason() {
    let not_zip = Reference::from_bytes(b"no zip at all").unwrap_err();
    assert!(
        not_zip.to_string().contains("not a ZIP archive"),
        "{not_zip}"
    );
    let no_styles = user_reference("docx-no-styles", |dir| {
        std::fs::remove_file(dir.join("word/styles.xml")).unwrap();
    });
    let e = Reference::from_bytes(&no_styles).unwrap_err();
    assert!(e.to_string().contains("word/styles.xml is missing"), "{e}");
    let broken = user_reference("docx-broken-styles", |dir| {
        replace_in(&dir.join("word/styles.xml"), "</w:styles>", "</w:stijlen>");
    });
    let e = Reference::from_bytes(&broken).unwrap_err();
    assert!(
        e.to_string()
            .contains("word/styles.xml is not well-formed XML"),
        "{e}"
    );
}

#[test]
fn png_fallbacks_are_rendered_with_the_embedded_font() {
    let parts = parts(&sample_docx());
    let png = &parts["word/media/grafiek-1.png"];
    // The SVG's size in pixels (IHDR width and height), RGB.
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (380, 230));
    assert_eq!(png[25], 2, "colour type RGB");
    // With text drawn the picture differs from one without it.
    let mut plain = Charts::new();
    plain
        .insert("grafiek-1.svg", SVG.replace("Grafiek 17.700", ""))
        .unwrap();
    let doc = parse(SAMPLE, &plain).unwrap();
    let without_text = parts_of(&document::to_docx(&doc, &Reference::default(), &meta()).unwrap());
    assert_ne!(png, &without_text["word/media/grafiek-1.png"]);
}

#[test]
fn pngs_rendered_ahead_and_the_default_reference_read_as_a_users_give_the_same_bytes() {
    let mut fresh = Charts::new();
    fresh.insert("grafiek-1.svg", SVG).unwrap();
    fresh.render_pngs();
    let doc = parse(SAMPLE, &fresh).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(root.join("templates/reference.docx")).unwrap();
    let reference = Reference::from_bytes(&bytes).unwrap();
    assert_eq!(
        document::to_docx(&doc, &reference, &meta()).unwrap(),
        sample_docx()
    );
}
