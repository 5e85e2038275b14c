//! One text, three formats: every document of a build carries the same headings,
//! tables (caption and number of rows) and figures in its HTML, Markdown and Word
//! file. Each format is read by other means than the writer's: the Markdown with
//! pulldown-cmark, the HTML by its tags, the Word file's `word/document.xml` with
//! roxmltree.

mod common;
use common::{project_with_inputs, run, stderr};

use std::fs;
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// What the three formats must agree on.
#[derive(Debug, Default, PartialEq)]
struct Opbouw {
    /// Every heading's text, the title first.
    koppen: Vec<String>,
    /// Every table: its caption and its number of rows, the header row included.
    tabellen: Vec<(String, usize)>,
    /// Every figure: its chart file without extension (`grafiek-1-bandbreedte`).
    figuren: Vec<String>,
}

/// Runs of blanks as one space, trimmed, as a reader sees them.
fn gewoon(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn uit_markdown(md: &str) -> Opbouw {
    let mut o = Opbouw::default();
    let mut tekst = String::new();
    let mut vorige_alinea = String::new();
    let mut rijen = 0;
    for e in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match e {
            Event::Start(Tag::Heading { .. } | Tag::Paragraph) => tekst.clear(),
            Event::End(TagEnd::Heading(_)) => o.koppen.push(gewoon(&tekst)),
            Event::End(TagEnd::Paragraph) => vorige_alinea = gewoon(&tekst),
            Event::Text(t) | Event::Code(t) => tekst.push_str(&t),
            Event::SoftBreak | Event::HardBreak => tekst.push(' '),
            Event::Start(Tag::Table(_)) => rijen = 0,
            Event::Start(Tag::TableHead | Tag::TableRow) => rijen += 1,
            Event::End(TagEnd::Table) => {
                let bijschrift = vorige_alinea
                    .strip_prefix("Tabel: ")
                    .expect("a caption before every table");
                o.tabellen.push((bijschrift.to_string(), rijen));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                o.figuren
                    .push(dest_url.trim_end_matches(".svg").to_string());
            }
            _ => {}
        }
    }
    o
}

/// The text of an HTML fragment: tags left out, character references decoded.
fn html_tekst(html: &str) -> String {
    let mut uit = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => uit.push(c),
            _ => {}
        }
    }
    gewoon(
        &uit.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

/// The parts of `html` between `open` (a tag's start, `<h2`) and `sluit`.
fn tussen<'a>(html: &'a str, open: &str, sluit: &str) -> Vec<&'a str> {
    let mut uit = Vec::new();
    let mut rest = html;
    while let Some(p) = rest.find(open) {
        let na = &rest[p..];
        let Some(e) = na.find(sluit) else { break };
        uit.push(&na[..e]);
        rest = &na[e..];
    }
    uit
}

fn uit_html(html: &str) -> Opbouw {
    let main = &html[html.find("<main").expect("a main element")..];
    let mut o = Opbouw::default();
    // Headings in document order: the first `<hN` of each level, repeatedly.
    let mut rest = main;
    while let Some(p) = (1..=4)
        .filter_map(|n| rest.find(&format!("<h{n}")).map(|p| (p, n)))
        .min()
    {
        let (p, n) = p;
        let na = &rest[p..];
        let e = na.find(&format!("</h{n}>")).expect("closed heading");
        o.koppen.push(html_tekst(&na[..e]));
        rest = &na[e..];
    }
    for tabel in tussen(main, "<table", "</table>") {
        let bijschrift = tussen(tabel, "<caption", "</caption>");
        o.tabellen.push((
            html_tekst(bijschrift.first().expect("a caption")),
            tabel.matches("<tr").count(),
        ));
    }
    for figuur in tussen(main, "<figure", "</figure>") {
        let id = figuur
            .split("id=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("a figure id");
        o.figuren.push(id.to_string());
    }
    o
}

fn uit_word(docx: &[u8]) -> Opbouw {
    let parts = taakstelling::document::docx_parts(docx).unwrap();
    let deel = |naam: &str| {
        let (_, d) = parts.iter().find(|(n, _)| n == naam).unwrap();
        String::from_utf8(d.clone()).unwrap()
    };
    let rels = deel("word/_rels/document.xml.rels");
    let rels = roxmltree::Document::parse(&rels).unwrap();
    let doel = |id: &str| {
        rels.descendants()
            .find(|n| n.attribute("Id") == Some(id))
            .and_then(|n| n.attribute("Target"))
            .unwrap()
            .to_string()
    };
    let xml = deel("word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let tekst = |n: roxmltree::Node<'_, '_>| {
        gewoon(
            &n.descendants()
                .filter(|t| t.has_tag_name("t"))
                .filter_map(|t| t.text())
                .collect::<String>(),
        )
    };
    let stijl = |p: roxmltree::Node<'_, '_>| {
        p.descendants()
            .find(|n| n.has_tag_name("pStyle"))
            .and_then(|n| n.attributes().find(|a| a.name() == "val"))
            .map(|a| a.value().to_string())
            .unwrap_or_default()
    };
    let mut o = Opbouw::default();
    let body = doc.descendants().find(|n| n.has_tag_name("body")).unwrap();
    let mut bijschrift = String::new();
    for n in body.children().filter(roxmltree::Node::is_element) {
        if n.has_tag_name("p") {
            let s = stijl(n);
            if s == "Title" || s.starts_with("Heading") {
                o.koppen.push(tekst(n));
            }
            if s == "Caption" {
                bijschrift = tekst(n);
            }
            for blip in n.descendants().filter(|b| b.has_tag_name("blip")) {
                let id = blip.attributes().find(|a| a.name() == "embed").unwrap();
                let png = doel(id.value());
                let naam = png.trim_start_matches("media/").trim_end_matches(".png");
                o.figuren.push(naam.to_string());
            }
        }
        // The tables of the text; the memo header is a table without a style.
        if n.has_tag_name("tbl") && n.descendants().any(|s| s.has_tag_name("tblStyle")) {
            let rijen = n.children().filter(|r| r.has_tag_name("tr")).count();
            o.tabellen.push((std::mem::take(&mut bijschrift), rijen));
        }
    }
    o
}

#[test]
fn every_format_of_a_document_has_the_same_headings_tables_and_figures() {
    let d = project_with_inputs("formaten");
    let o = run(&d, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = d.join("output");
    let mut gezien = 0;
    for map in ["2025-I", "2025-II", "."] {
        for naam in [
            "notitie",
            "bekendmaking",
            "circulaire",
            "bijstelling-notitie",
            "bijstelling-bekendmaking",
            "bijstelling-circulaire",
            "index",
        ] {
            let pad = out.join(map).join(naam);
            let md_pad = pad.with_extension("md");
            if !md_pad.is_file() {
                continue;
            }
            let md = uit_markdown(&fs::read_to_string(&md_pad).unwrap());
            let html = uit_html(&fs::read_to_string(pad.with_extension("html")).unwrap());
            let wat = format!("{map}/{naam}");
            assert!(md.koppen.len() >= 2, "{wat}: {md:?}");
            // The bekendmaking's legal form has no table.
            assert!(
                naam.ends_with("bekendmaking") || !md.tabellen.is_empty(),
                "{wat}: {md:?}"
            );
            // The HTML figure's id is its number: `grafiek-1` for the first chart.
            let html_figuren: Vec<String> = (1..=md.figuren.len())
                .map(|n| format!("grafiek-{n}"))
                .collect();
            assert_eq!(html.figuren, html_figuren, "{wat}: figures in HTML");
            assert_eq!(
                (&html.koppen, &html.tabellen),
                (&md.koppen, &md.tabellen),
                "{wat}: HTML and Markdown"
            );
            let docx = pad.with_extension("docx");
            if naam == "index" {
                assert!(!docx.exists(), "the index has no Word file");
            } else {
                let word = uit_word(&fs::read(&docx).unwrap());
                assert_eq!(word, md, "{wat}: Word and Markdown");
            }
            gezien += 1;
        }
    }
    assert_eq!(
        gezien, 10,
        "three documents per period, the three of 2025-I's bijstelling and the index"
    );
    assert!(Path::new(&out.join("2025-I/grafiek-1-bandbreedte.svg")).is_file());
}
