//! The Markdown flavour of `document`: its conventions, every error, and the
//! safety of the model (no markup, no hostile links, no foreign images).

use std::sync::LazyLock;

use taakstelling::document::{
    self, Align, Block, Charts, Document, Inline, Metadata, Reference, docx_parts, parse,
};

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100"><rect width="200" height="100" fill="#fff"/></svg>"##;

/// One set for every test, so that the chart's PNG is rendered once.
fn charts() -> &'static Charts {
    static CHARTS: LazyLock<Charts> = LazyLock::new(|| {
        let mut c = Charts::new();
        c.insert("grafiek-1.svg", SVG).unwrap();
        c.insert("grafiek-2.svg", SVG).unwrap();
        c
    });
    &CHARTS
}

fn ok(src: &str) -> Document {
    parse(src, charts()).unwrap_or_else(|e| panic!("{src:?}: {e}"))
}

fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

#[test]
fn title_header_sections_and_bijlagen() {
    let doc = ok(
        "# Notitie 2025-I\n\n- **Aan:** HLRT\n- **Datum:** 1 oktober 2024\n\n## Doel {#doel-x .kern}\n\nTekst.\n\n### Sub\n\n## Bijlage: Rekenverantwoording\n\nUitleg.\n\n### Bronnen\n\n## Bijlage 2: Begrippen {#begrippen}\n\nWoorden.\n",
    );
    assert_eq!(doc.title, Some(vec![text("Notitie 2025-I")]));
    assert_eq!(doc.title_text(), "Notitie 2025-I");
    assert_eq!(doc.header.len(), 2);
    assert_eq!(doc.header[0].label, "Aan");
    assert_eq!(doc.header[1].value, vec![text("1 oktober 2024")]);
    let Block::Heading(h) = &doc.blocks[0] else {
        panic!("{:?}", doc.blocks[0])
    };
    assert_eq!(
        (h.level, h.id.value.as_str(), h.id.given),
        (2, "doel-x", true)
    );
    assert_eq!(h.classes, vec!["kern"]);
    let Block::Heading(sub) = &doc.blocks[2] else {
        panic!()
    };
    assert_eq!(
        (sub.level, sub.id.value.as_str(), sub.id.given),
        (3, "sub", false)
    );
    assert_eq!(doc.bijlagen.len(), 2);
    let b = &doc.bijlagen[0];
    assert_eq!((b.number, b.id.value.as_str()), (1, "rekenverantwoording"));
    assert_eq!(b.title, vec![text("Rekenverantwoording")]);
    assert_eq!(
        b.blocks.len(),
        2,
        "the text and the level-3 heading belong to the bijlage"
    );
    assert_eq!(doc.bijlagen[1].id.value, "begrippen");
}

#[test]
fn a_list_after_the_title_that_is_no_header_stays_a_list() {
    let doc = ok("# T\n\n- een\n- twee\n");
    assert!(doc.header.is_empty());
    assert!(matches!(&doc.blocks[0], Block::List(l) if l.items.len() == 2 && l.tight));
}

#[test]
fn figures_are_numbered_with_alt_text_and_caption() {
    let doc = ok(
        "![Het verloop](grafiek-1.svg)\n\nGrafiek: Inwilligingen per maand.\n\n![Nog een](grafiek-2.svg)\n\nGrafiek 2: Tweede.\n\nGrafiek 3 toont iets: gewone tekst.\n",
    );
    let figures: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Figure(f) => Some(f),
            _ => None,
        })
        .collect();
    assert_eq!(figures.len(), 2);
    assert_eq!(figures[0].number, 1);
    assert_eq!(figures[0].id.value, "grafiek-1");
    assert_eq!(figures[0].alt, "Het verloop");
    assert_eq!(figures[0].chart.name(), "grafiek-1.svg");
    assert_eq!(figures[0].caption, vec![text("Inwilligingen per maand.")]);
    assert_eq!(figures[1].number, 2);
    assert_eq!(figures[1].caption, vec![text("Tweede.")]);
    assert!(
        matches!(&doc.blocks[2], Block::Paragraph(p) if p == &vec![text("Grafiek 3 toont iets: gewone tekst.")])
    );
}

#[test]
fn tables_have_caption_alignment_row_headers_and_total_rows() {
    let doc = ok(
        "Tabel: Per provincie {#per-provincie .doorlopend}\n\n| Provincie | Gemeenten | Opmerking |\n| --- | ---: | :---: |\n| Groningen | 10 | *geen* |\n| Fryslân | 18 |\n| **Nederland** | **28** | |\n\nTabel: Tweede\n\n| a | b |\n| --- | --- |\n| **x** | y |\n",
    );
    let Block::Table(t) = &doc.blocks[0] else {
        panic!("{:?}", doc.blocks)
    };
    assert_eq!(t.id.value, "per-provincie");
    assert!(t.id.given);
    assert_eq!(t.classes, vec!["doorlopend"]);
    assert_eq!(t.caption, vec![text("Per provincie")]);
    assert_eq!(t.columns, vec![Align::None, Align::Right, Align::Center]);
    assert_eq!(t.header[1], vec![text("Gemeenten")]);
    assert_eq!(t.rows.len(), 3);
    assert_eq!(t.rows[1].cells.len(), 3, "short rows are padded");
    assert!(!t.rows[0].total);
    assert!(t.rows[2].total);
    assert_eq!(
        t.rows[2].cells[0],
        vec![text("Nederland")],
        "bold is the total row's, not the cell's"
    );
    let Block::Table(t2) = &doc.blocks[1] else {
        panic!()
    };
    assert_eq!(t2.id.value, "tabel-2");
    assert!(!t2.id.given);
    assert!(
        !t2.rows[0].total,
        "one bold cell beside plain text is no total row"
    );
}

#[test]
fn page_breaks_rules_quotes_and_inlines() {
    let doc = ok(
        "Een *nadruk*, **vet**, `code`, [link](https://example.org \"titel\")  \nregel\nzacht.\n\n\\newpage\n\n---\n\n> Geciteerd\n\n1. een\n2. twee\n   - genest\n",
    );
    let Block::Paragraph(p) = &doc.blocks[0] else {
        panic!()
    };
    assert!(p.contains(&Inline::Emphasis(vec![text("nadruk")])));
    assert!(p.contains(&Inline::Strong(vec![text("vet")])));
    assert!(p.contains(&Inline::Code("code".into())));
    assert!(p.contains(&Inline::Link {
        dest: "https://example.org".into(),
        title: "titel".into(),
        content: vec![text("link")]
    }));
    assert!(p.contains(&Inline::HardBreak));
    assert!(p.contains(&Inline::SoftBreak));
    assert_eq!(doc.blocks[1], Block::PageBreak);
    assert_eq!(doc.blocks[2], Block::Rule);
    assert!(matches!(&doc.blocks[3], Block::Quote(q) if q.len() == 1));
    let Block::List(l) = &doc.blocks[4] else {
        panic!()
    };
    assert_eq!(l.start, Some(1));
    assert!(matches!(&l.items[1][1], Block::List(inner) if inner.start.is_none()));
}

/// In a tight list item the text of an escaped backslash starts after the escape,
/// so `\\a` there once read as the unknown command `\a`.
#[test]
fn an_escaped_backslash_in_a_list_item_is_text() {
    let doc = ok("- \\\\a\n- \\\\newpage\n");
    let Block::List(l) = &doc.blocks[0] else {
        panic!("{:?}", doc.blocks)
    };
    assert_eq!(l.items[0][0], Block::Paragraph(vec![text("\\a")]));
    assert_eq!(l.items[1][0], Block::Paragraph(vec![text("\\newpage")]));
}

#[test]
fn escaped_conventions_are_plain_text() {
    let doc = ok(
        "Tabel\\: geen bijschrift.\n\nGrafiek\\: ook niet.\n\n\\\\newpage\n\n## Bijlage\\: gewoon een kop\n",
    );
    assert_eq!(
        doc.blocks[0],
        Block::Paragraph(vec![text("Tabel: geen bijschrift.")])
    );
    assert_eq!(
        doc.blocks[1],
        Block::Paragraph(vec![text("Grafiek: ook niet.")])
    );
    assert_eq!(doc.blocks[2], Block::Paragraph(vec![text("\\newpage")]));
    assert!(
        matches!(&doc.blocks[3], Block::Heading(h) if h.content == vec![text("Bijlage: gewoon een kop")])
    );
    assert!(doc.bijlagen.is_empty());
}

#[test]
fn ids_are_unique_and_given_ids_win() {
    let doc = ok("## Doel\n\n## Doel\n\n## Anders {#doel-2}\n");
    let ids: Vec<_> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Heading(h) => h.id.value.clone(),
            _ => panic!(),
        })
        .collect();
    assert_eq!(ids, ["doel", "doel-3", "doel-2"]);
}

/// Every misuse of a convention: (source, line, part of the message).
const ERRORS: &[(&str, usize, &str)] = &[
    (
        "Tekst.\n\nTabel: x\n\nTekst.\n",
        3,
        "must stand right before its table",
    ),
    ("Tabel: x\n", 1, "must stand right before its table"),
    (
        "Tekst.\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n",
        3,
        "a table needs a caption",
    ),
    (
        "Tabel 2: x\n\n| a |\n| --- |\n| 1 |\n",
        1,
        "tables are not numbered",
    ),
    (
        "Tabel:\n\n| a |\n| --- |\n| 1 |\n",
        1,
        "the table caption is empty",
    ),
    (
        "Tabel: x {y}\n\n| a |\n| --- |\n| 1 |\n",
        1,
        "unknown table attribute `y`",
    ),
    (
        "Tabel: x {#1a}\n\n| a |\n| --- |\n| 1 |\n",
        1,
        "unknown table attribute `#1a`",
    ),
    (
        "Tabel: x {}\n\n| a |\n| --- |\n| 1 |\n",
        1,
        "an empty attribute block",
    ),
    (
        "Tabel: x {#a&#233;}\n\n| a |\n| --- |\n| 1 |\n",
        1,
        "unknown table attribute",
    ),
    (
        "Tabel: x\n\n| a |  |\n| --- | --- |\n| 1 | 2 |\n",
        3,
        "column 2 of the table has no header text",
    ),
    (
        "![Iets](grafiek-1.svg)\n\nTekst.\n",
        1,
        "needs a caption: a paragraph `Grafiek: ...`",
    ),
    ("![Iets](grafiek-1.svg)\n", 1, "needs a caption"),
    ("Tekst.\n\nGrafiek: los\n", 3, "must follow a chart image"),
    (
        "![Iets](grafiek-1.svg)\n\nGrafiek 2: x\n",
        3,
        "this is grafiek 1, but the caption says 2",
    ),
    (
        "![Iets](grafiek-1.svg)\n\nGrafiek:\n",
        3,
        "the caption is empty",
    ),
    ("![](grafiek-1.svg)\n\nGrafiek: x\n", 1, "needs alt text"),
    (
        "Zie\n![Iets](grafiek-1.svg) hier.\n",
        2,
        "must stand alone in its paragraph",
    ),
    (
        "![Iets](grafiek-9.svg)\n\nGrafiek: x\n",
        1,
        "unknown chart file `grafiek-9.svg`",
    ),
    (
        "Tekst met ![x](map/plaatje.SVG) erin.\n",
        1,
        "unknown chart file",
    ),
    (
        "Tekst.\n\n\\pagebreak\n",
        3,
        "unknown command `\\pagebreak`",
    ),
    ("- een\n\n  \\newpage\n", 3, "must stand at the top level"),
    ("Tekst.\n\n# Tweede titel\n", 3, "must come first"),
    (
        "# T {#t}\n",
        1,
        "the title (level-1 heading) takes no attributes",
    ),
    ("##### Diep\n", 1, "headings go down to level 4"),
    ("- ## kop in lijst\n", 1, "may not stand inside a list"),
    (
        "> ## kop in citaat\n",
        1,
        "may not stand inside a list or block quote",
    ),
    (
        "## Kop {lang=nl}\n",
        1,
        "unknown heading attribute `lang=nl`",
    ),
    ("## Kop {#1}\n", 1, "id `1` must be a letter"),
    ("## Kop {.1x}\n", 1, "class `1x` must be a letter"),
    (
        "## A {#x}\n\nTekst.\n\n## B {#x}\n",
        5,
        "id `x` is given twice",
    ),
    (
        "Tabel: x {#dubbel}\n\n| a |\n| --- |\n| 1 |\n\n## B {#dubbel}\n",
        7,
        "id `dubbel` is given twice",
    ),
    (
        "# T\n\n- **Aan:** HLRT\n- gewoon\n",
        4,
        "every item of the memo header",
    ),
    (
        "# T\n\n- **Aan:**\n",
        3,
        "memo header field `Aan` has no value",
    ),
    (
        "Tekst.\n\n    code door inspringen\n",
        3,
        "code blocks are not supported",
    ),
    ("```\ncode\n```\n", 1, "code blocks are not supported"),
    (
        "## Bijlage: A\n\nTekst.\n\n## Gewone kop\n",
        5,
        "after a bijlage, a level-2 heading",
    ),
    (
        "## Bijlage 2: A\n",
        1,
        "this is bijlage 1, but the heading says 2",
    ),
    ("## Bijlage:\n", 1, "a bijlage needs a title"),
];

#[test]
fn every_misuse_is_an_error_with_its_line() {
    for (src, line, message) in ERRORS {
        match parse(src, charts()) {
            Ok(doc) => panic!("{src:?} parsed: {doc:?}"),
            Err(e) => {
                assert!(
                    e.message.contains(message),
                    "{src:?}: expected {message:?}, got {:?}",
                    e.message
                );
                assert_eq!(e.line, *line, "{src:?}: {}", e.message);
                assert!(e.to_string().starts_with(&format!("line {line}: ")));
            }
        }
    }
}

#[test]
fn chart_names_must_be_plain_svg_file_names() {
    let mut c = Charts::new();
    for bad in [
        "../x.svg",
        "x.png",
        "map/x.svg",
        ".svg",
        "-x.svg",
        "x y.svg",
    ] {
        assert!(c.insert(bad, SVG).is_err(), "{bad}");
    }
    assert!(c.insert("grafiek-1_a.b.svg", SVG).is_ok());
}

// ---------------------------------------------------------------- safety

/// Hostile targets, in the disguises a browser would still follow.
const HOSTILE: &[&str] = &[
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#X6a;&#x61;vascript:alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "java&#x09;script:alert(1)",
    "java&Tab;script:alert(1)",
    "%6Aavascript:alert(1)",
    "jav%61script:alert(1)",
    "javascript%3aalert(1)",
    "%256Aavascript:alert(1)",
    "&#37;6Aavascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBSCRIPT:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DaTa:text/html,<script>alert(1)</script>",
    "&#100;ata:text/html,x",
    "file:///etc/passwd",
    "//evil.example/x",
    r"\\\\evil.example\\x",
    r"/\\evil.example",
];

/// Every place a link can stand.
fn positions(link: &str) -> Vec<String> {
    vec![
        format!("Tekst {link} tekst.\n"),
        format!("## Kop {link}\n"),
        format!("# T\n\n- **Aan:** {link}\n"),
        format!("- item {link}\n"),
        format!("> citaat {link}\n"),
        format!("Tabel: bijschrift {link}\n\n| a | b |\n| --- | --- |\n| {link} | 1 |\n"),
        format!("![Alt](grafiek-1.svg)\n\nGrafiek: bijschrift {link}\n"),
        format!("## Bijlage: titel {link}\n"),
        format!("**vet {link}** en *{link}*\n"),
    ]
}

fn links(doc: &Document) -> Vec<String> {
    fn inl(list: &[Inline], out: &mut Vec<String>) {
        for i in list {
            match i {
                Inline::Link { dest, content, .. } => {
                    out.push(dest.clone());
                    inl(content, out);
                }
                Inline::Strong(c) | Inline::Emphasis(c) => inl(c, out),
                _ => {}
            }
        }
    }
    fn blocks(list: &[Block], out: &mut Vec<String>) {
        for b in list {
            match b {
                Block::Heading(h) => inl(&h.content, out),
                Block::Paragraph(p) => inl(p, out),
                Block::List(l) => l.items.iter().for_each(|i| blocks(i, out)),
                Block::Table(t) => {
                    inl(&t.caption, out);
                    t.header.iter().for_each(|c| inl(c, out));
                    t.rows
                        .iter()
                        .flat_map(|r| &r.cells)
                        .for_each(|c| inl(c, out));
                }
                Block::Figure(f) => inl(&f.caption, out),
                Block::Quote(q) => blocks(q, out),
                Block::PageBreak | Block::Rule => {}
            }
        }
    }
    let mut out = Vec::new();
    doc.header.iter().for_each(|f| inl(&f.value, &mut out));
    blocks(&doc.blocks, &mut out);
    for b in &doc.bijlagen {
        inl(&b.title, &mut out);
        blocks(&b.blocks, &mut out);
    }
    out
}

/// The three outputs, with the Word document's XML parts as text.
fn outputs(doc: &Document) -> [String; 3] {
    let docx = document::to_docx(doc, &Reference::default(), &Metadata::new("T", "S")).unwrap();
    let xml: String = docx_parts(&docx)
        .unwrap()
        .into_iter()
        .filter(|(n, _)| n.ends_with(".xml") || n.ends_with(".rels"))
        .map(|(_, d)| String::from_utf8(d).unwrap())
        .collect();
    [document::to_html(doc), document::to_markdown(doc), xml]
}

#[test]
fn hostile_links_are_dropped_in_every_position_and_disguise() {
    for target in HOSTILE {
        for form in [
            format!("[klik]({target})"),
            format!("[klik](<{target}>)"),
            format!("[klik][ref]\n\n[ref]: <{target}>\n"),
            format!("![klik]({target})"),
        ] {
            for src in positions(&form) {
                let Ok(doc) = parse(&src, charts()) else {
                    continue; // e.g. a second `[ref]:` definition in a header list
                };
                assert!(
                    links(&doc).is_empty(),
                    "{src:?} kept a link: {:?}",
                    links(&doc)
                );
                let [html, md, xml] = outputs(&doc);
                assert!(!html.contains("href"), "{src:?}: {html}");
                let again = parse(&md, charts()).unwrap();
                assert!(links(&again).is_empty(), "{src:?}: {md}");
                assert!(!xml.contains("TargetMode=\"External\""), "{src:?}");
                assert!(
                    html.contains("klik") || !src.contains("klik]"),
                    "{src:?}: the link text is kept"
                );
            }
        }
    }
}

#[test]
fn autolinks_with_hostile_schemes_are_dropped() {
    let doc = ok("<javascript:alert(1)> <https://example.org> <iemand@example.org>\n");
    assert_eq!(
        links(&doc),
        ["https://example.org", "mailto:iemand@example.org"]
    );
}

#[test]
fn good_links_stay_in_every_position() {
    for target in [
        "https://www.rijksoverheid.nl/a?b=c#d",
        "mailto:x@example.org",
        "staatscourant.html",
        "#doel",
        "verdeling.csv",
    ] {
        for src in positions(&format!("[klik]({target})")) {
            let doc = ok(&src);
            let found = links(&doc);
            assert!(
                !found.is_empty() && found.iter().all(|l| l == target),
                "{src:?}: {found:?}"
            );
        }
    }
}

#[test]
fn raw_html_is_text_in_every_writer() {
    let src = "<script>alert(1)</script>\n\nTekst <b onclick=\"x()\">vet</b> <!-- c -->.\n\n<div>\n<p>blok</p>\n</div>\n";
    let doc = ok(src);
    assert_eq!(
        doc.blocks[0],
        Block::Paragraph(vec![text("<script>alert(1)</script>")])
    );
    assert_eq!(
        doc.blocks[1],
        Block::Paragraph(vec![text("Tekst <b onclick=\"x()\">vet</b> <!-- c -->.")])
    );
    let [html, md, xml] = outputs(&doc);
    for tag in ["<script", "<b ", "<div", "<p>blok", "<!--"] {
        assert!(!html.contains(tag), "{tag} in {html}");
        assert!(
            !md.replace(&format!("\\{tag}"), "").contains(tag),
            "{tag} in {md}"
        );
        assert!(!xml.contains(tag), "{tag} in the Word XML");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
    assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn foreign_images_become_their_alt_text() {
    let doc = ok(
        "Zie ![een foto](https://example.org/foto.png) en ![x](data:image/png;base64,AAAA).\n\n![alleen](plaatje.png)\n",
    );
    assert_eq!(
        doc.blocks[0],
        Block::Paragraph(vec![text("Zie een foto en x.")])
    );
    assert_eq!(doc.blocks[1], Block::Paragraph(vec![text("alleen")]));
    let [html, md, xml] = outputs(&doc);
    assert!(!html.contains("<img") && !md.contains("![") && !xml.contains("r:embed"));
}

#[test]
fn control_characters_become_replacement_characters() {
    let doc = ok("a\u{1}b\u{7f}c\n");
    assert_eq!(
        doc.blocks[0],
        Block::Paragraph(vec![text("a\u{FFFD}b\u{FFFD}c")])
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Whatever the text, parsing answers (a model or an error with a line
    /// in the text) and every writer takes the model: nothing panics.
    #[test]
    fn any_text_parses_or_fails_cleanly(
        pieces in proptest::collection::vec(proptest::sample::select(vec![
            "-", "#", "*", "_", "`", "[", "]", "(", ")", "<", ">", "!", "|", "{", "}", ":", ".",
            "\\", "&", ";", "/", " ", "  ", "\n", "\n\n", "\t", "    ", "1", "2.", "a", "é", "x y",
            "Tabel: ", "Grafiek: ", "Grafiek 1: ", "## Bijlage: ", "# ", "## ", "#### ", "- ", "> ",
            "1. ", "\\newpage", "![a](grafiek-1.svg)", "![](grafiek-1.svg)", "[l](javascript:x)",
            "&#106;", "&#58;", "{#id}", "{.c}", "| a | b |\n| --- | ---: |\n", "| **T** | 1 |\n",
            "<div>", "<!--", "-->", "```", "~~~", "***", "---", "===", "- **Aan:** ",
        ]), 0..60)
    ) {
        let src: String = pieces.concat();
        match parse(&src, charts()) {
            Ok(doc) => {
                let _ = outputs(&doc);
            }
            Err(e) => {
                proptest::prop_assert!(
                    e.line >= 1 && e.line <= src.matches('\n').count() + 1,
                    "{:?}", e
                );
            }
        }
    }
}
