//! Text fields are data, never markup or templates: HTML or script in an input is
//! escaped or sanitised in every document, and template syntax is printed literally.
//!
//! The Markdown documents are checked the way a reader meets them: every generated
//! `.md` is parsed with pulldown-cmark (every extension on), and no link or image may
//! point anywhere but `http:`, `https:`, `mailto:` or a relative path, and no HTML node
//! may appear. Every `.docx` is read back (its `word/document.xml` and relationships):
//! no hyperlink elsewhere, no field code or foreign element, and the same text as its
//! Markdown twin. Which fields are poisoned comes from the schema itself (see
//! [`every_schema_key_is_in_the_poisoned_input`]), so a new field cannot be forgotten.

mod common;
use common::{names, repo};

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_json::{Value, json};
use taakstelling::input::schema::PeriodeInput;

const BIN: &str = env!("CARGO_BIN_EXE_taakstelling");

/// Markup, script and template syntax in one text.
const AANVAL: &str = r#"<script>alert("x")</script> <img src=x onerror=alert(1)> {{ u.periode.id }} {% if true %}ja{% endif %} {# c #} [klik](javascript:alert(1)) </p></section>"#;

fn project(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "taakstelling-vijandig-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(d.join("inputs")).unwrap();
    common::bevolking(&d.join("inputs"));
    d
}

/// The reference input with `AANVAL` in the text fields, written by hand as YAML.
fn project_met_aanval(name: &str) -> PathBuf {
    let d = project(name);
    let mut t = fs::read_to_string(repo().join("inputs/2025-I.yaml")).unwrap();
    // A single-quoted YAML scalar holds the text as it is ('' is a quote).
    let q = format!("'{}'", AANVAL.replace('\'', "''"));
    for (from, to) in [
        (
            "minister: minister van Asiel en Migratie",
            format!("minister: {q}"),
        ),
        (
            "  productieplan: IND-productieplan T2 2024",
            format!("  productieplan: {q}"),
        ),
        ("  prognose: MPP 2024-2", format!("  prognose: {q}")),
        (
            "    - naam: Herhaalde aanvragen",
            format!("    - naam: {q}"),
        ),
        (
            "  bron: IND, maandcijfers inwilligingen",
            format!("  bron: {q}"),
        ),
        ("  organisatie: Nidos", format!("  organisatie: {q}")),
        ("status: afgeleid }", format!("status: {q} }}")),
        (
            "  motivering: >-\n",
            format!("  motivering: {q}\n  oud: >-\n"),
        ),
        ("aandachtspunten:\n", format!("aandachtspunten:\n  - {q}\n")),
        ("vervolgproces:\n", format!("vervolgproces:\n  - {q}\n")),
        (
            "  aanleiding: >-\n",
            format!("  aanleiding: {q}\n  oud: >-\n"),
        ),
        (
            "buffer_toelichting: >-\n",
            format!("buffer_toelichting: {q}\noud: >-\n"),
        ),
    ] {
        assert!(t.contains(from), "{from:?}");
        t = t.replacen(from, &to, 1);
    }
    // The replaced multi-line texts were moved under `oud:`; drop those blocks.
    let mut uit = String::new();
    let mut overslaan = None;
    for regel in t.lines() {
        let inspring = regel.len() - regel.trim_start().len();
        if let Some(n) = overslaan {
            if inspring > n || regel.trim().is_empty() && inspring > 0 {
                continue;
            }
            overslaan = None;
        }
        if regel.trim_start().starts_with("oud: >-") {
            overslaan = Some(inspring);
            continue;
        }
        uit.push_str(regel);
        uit.push('\n');
    }
    fs::write(d.join("inputs/2025-I.yaml"), uit).unwrap();
    d
}

fn run(d: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(d)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn build(d: &Path) {
    let o = run(d, &["build"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A Markdown document as a reader's renderer sees it.
#[derive(Default)]
struct Lezing {
    /// The destination of every link and image.
    links: Vec<String>,
    /// Every raw HTML node, block or inline.
    html: Vec<String>,
    /// The text a reader reads (text and code).
    tekst: String,
}

fn lees_markdown(md: &str) -> Lezing {
    let mut l = Lezing::default();
    // Every extension pulldown-cmark has, so that no dialect's syntax goes unseen;
    // smart punctuation only changes quotes and dashes.
    let opties = Options::all() - Options::ENABLE_SMART_PUNCTUATION;
    for e in Parser::new_ext(md, opties) {
        match e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                l.links.push(dest_url.to_string());
            }
            Event::Html(h) | Event::InlineHtml(h) => l.html.push(h.to_string()),
            Event::Text(t) | Event::Code(t) => l.tekst.push_str(&t),
            Event::SoftBreak | Event::HardBreak => l.tekst.push(' '),
            _ => {}
        }
    }
    l
}

/// Percent-escapes and HTML character references decoded, as a careless consumer
/// of a link might do before following it.
fn ontsleutel(s: &str) -> String {
    let b = s.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(h) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(h, 16)
        {
            bytes.push(v);
            i += 3;
            continue;
        }
        bytes.push(b[i]);
        i += 1;
    }
    let s = String::from_utf8_lossy(&bytes).into_owned();
    let mut uit = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(p) = rest.find('&') {
        uit.push_str(&rest[..p]);
        rest = &rest[p..];
        let eind = rest.find(';').filter(|&e| e <= 12);
        let teken = eind.and_then(|e| {
            let naam = &rest[1..e];
            let code = if let Some(hex) = naam.strip_prefix("#x").or(naam.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(dec) = naam.strip_prefix('#') {
                dec.parse().ok()
            } else {
                [
                    ("colon", ':'),
                    ("tab", '\t'),
                    ("newline", '\n'),
                    ("amp", '&'),
                    ("sol", '/'),
                    ("lpar", '('),
                    ("rpar", ')'),
                    ("lt", '<'),
                    ("gt", '>'),
                ]
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(naam))
                .map(|(_, c)| *c as u32)
            };
            code.and_then(char::from_u32).map(|c| (c, e))
        });
        match teken {
            Some((c, e)) => {
                uit.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                uit.push('&');
                rest = &rest[1..];
            }
        }
    }
    uit.push_str(rest);
    uit
}

/// The scheme of a link destination after any layer of encoding is undone, or
/// `None` for a relative reference.
fn schema(dest: &str) -> Option<String> {
    let mut d = dest.to_string();
    for _ in 0..3 {
        d = ontsleutel(&d);
    }
    let d: String = d
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let (kop, _) = d.split_once(':')?;
    let geldig = kop.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && kop
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    geldig.then(|| kop.to_ascii_lowercase())
}

/// Every Markdown document under `out`: no HTML node, links only to safe places;
/// every HTML page without script or handler; every Word file as [`docx_is_veilig`]
/// says, with the text of its Markdown twin. Returns the text a reader reads of each
/// Markdown document.
fn markdown_is_veilig(out: &Path, wat: &str) -> BTreeMap<String, String> {
    let mut teksten = BTreeMap::new();
    let mut word = BTreeMap::new();
    for e in walkdir::WalkDir::new(out).sort_by_file_name() {
        let e = e.unwrap();
        let p = e.path();
        let naam = p.strip_prefix(out).unwrap().display().to_string();
        if p.extension().is_some_and(|x| x == "md") {
            let md = fs::read_to_string(p).unwrap();
            let l = lees_markdown(&md);
            assert!(
                l.html.is_empty(),
                "{wat}: {naam} has HTML: {:?}",
                &l.html[..l.html.len().min(3)]
            );
            for dest in &l.links {
                let s = schema(dest);
                assert!(
                    s.is_none() || matches!(s.as_deref(), Some("http" | "https" | "mailto")),
                    "{wat}: {naam} links to {dest:?}"
                );
            }
            teksten.insert(naam, l.tekst);
        } else if p.extension().is_some_and(|x| x == "html") {
            html_is_veilig(&fs::read_to_string(p).unwrap(), &format!("{wat}: {naam}"));
        } else if p.extension().is_some_and(|x| x == "docx") {
            word.insert(naam.clone(), docx_is_veilig(p, &format!("{wat}: {naam}")));
        }
    }
    assert!(teksten.len() >= 4, "{wat}: {teksten:?}");
    // Every Word file shows what its Markdown twin shows: the same markers (the order
    // differs only where a chart's text alternative stands).
    let documenten: Vec<&String> = teksten.keys().filter(|n| *n != "index.md").collect();
    assert_eq!(word.len(), documenten.len(), "{wat}: {:?}", word.keys());
    for (naam, tekst) in &word {
        let md = &teksten[&naam.replace(".docx", ".md")];
        let (mut w, mut m) = (merken(tekst), merken(md));
        w.sort_unstable();
        m.sort_unstable();
        assert_eq!(w, m, "{wat}: {naam}");
    }
    teksten
}

/// The markers (see [`merk`]) in a text, in order.
fn merken(tekst: &str) -> Vec<&str> {
    tekst
        .match_indices("MERK")
        .filter_map(|(i, _)| {
            let eind = tekst[i..].find('Z')?;
            let m = &tekst[i..i + eind + 1];
            m[4..m.len() - 1]
                .chars()
                .all(|c| c.is_ascii_digit() || c == 'X')
                .then_some(m)
        })
        .collect()
}

/// A Word file: every part well-formed XML, only the writer's own vocabulary in the
/// document (no field code, no element of another kind), every link to a safe place.
/// Returns the text a reader reads.
fn docx_is_veilig(pad: &Path, wat: &str) -> String {
    let parts = taakstelling::document::docx_parts(&fs::read(pad).unwrap())
        .unwrap_or_else(|e| panic!("{wat}: {e}"));
    let deel = |naam: &str| -> String {
        let (_, data) = parts
            .iter()
            .find(|(n, _)| n == naam)
            .unwrap_or_else(|| panic!("{wat}: no {naam}"));
        String::from_utf8(data.clone()).unwrap()
    };
    for (naam, data) in &parts {
        if naam.ends_with(".xml") || naam.ends_with(".rels") {
            let t = std::str::from_utf8(data).unwrap();
            roxmltree::Document::parse(t).unwrap_or_else(|e| panic!("{wat}: {naam}: {e}"));
        }
    }
    let rels = deel("word/_rels/document.xml.rels");
    let rels = roxmltree::Document::parse(&rels).unwrap();
    for r in rels
        .descendants()
        .filter(|n| n.has_tag_name("Relationship"))
    {
        let doel = r.attribute("Target").unwrap();
        if r.attribute("TargetMode") == Some("External") {
            let s = schema(doel);
            assert!(
                s.is_none() || matches!(s.as_deref(), Some("http" | "https" | "mailto")),
                "{wat}: a hyperlink to {doel:?}"
            );
            assert!(!doel.starts_with("//"), "{wat}: a hyperlink to {doel:?}");
        } else {
            assert!(
                !doel.contains(':') && !doel.contains(".."),
                "{wat}: a part outside the package: {doel:?}"
            );
        }
    }
    let xml = deel("word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let mut tekst = String::new();
    for n in doc.descendants().filter(roxmltree::Node::is_element) {
        let ns = n.tag_name().namespace().unwrap_or("");
        let naam = n.tag_name().name();
        assert!(
            [
                "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
                "http://schemas.openxmlformats.org/drawingml/2006/main",
                "http://schemas.openxmlformats.org/drawingml/2006/picture",
                "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
            ]
            .contains(&ns),
            "{wat}: an element {naam} in {ns:?}"
        );
        assert!(
            ![
                "fldSimple",
                "instrText",
                "fldChar",
                "object",
                "altChunk",
                "embed"
            ]
            .contains(&naam),
            "{wat}: a {naam} in the document"
        );
        if naam == "t" {
            tekst.push_str(n.text().unwrap_or(""));
        }
        // A chart's text alternative, which the Markdown has as the image's alt text.
        if naam == "docPr" {
            tekst.push_str(n.attribute("descr").unwrap_or(""));
        }
    }
    tekst
}

/// Every tag of an HTML document: no script, image or frame, no event handler, no
/// link to a script. Text can hold none of these: its `<` is written `&lt;`.
fn html_is_veilig(html: &str, wat: &str) {
    let mut rest = html;
    while let Some(p) = rest.find('<') {
        let eind = rest[p..].find('>').map_or(rest.len(), |e| p + e);
        let tag = rest[p + 1..eind].to_ascii_lowercase();
        let naam: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        assert!(
            ![
                "script", "img", "iframe", "object", "embed", "form", "base", "meta"
            ]
            .contains(&naam.as_str())
                || (naam == "meta" && !tag.contains("http-equiv")),
            "{wat}: <{tag}>"
        );
        for attribuut in tag.split_whitespace().skip(1) {
            assert!(
                !(attribuut.starts_with("on") && attribuut.contains('=')),
                "{wat}: <{tag}>"
            );
        }
        for schema in ["javascript:", "vbscript:", "data:text"] {
            assert!(!tag.contains(schema), "{wat}: <{tag}>");
        }
        rest = &rest[eind..];
    }
}

#[test]
fn markup_and_template_syntax_in_inputs_come_out_literally() {
    let d = project_met_aanval("tekst");
    build(&d);
    let out = d.join("output/2025-I");
    let html = fs::read_to_string(out.join("notitie.html")).unwrap();
    let md = lees_markdown(&fs::read_to_string(out.join("notitie.md")).unwrap()).tekst;

    for (naam, doc) in [("html", &html), ("md", &md)] {
        if naam == "html" {
            assert!(
                !doc.contains("<script"),
                "{naam}: a script element got through"
            );
            assert!(!doc.contains("<img"), "{naam}: an img element got through");
            assert!(
                !doc.contains("href=\"javascript"),
                "{naam}: a javascript link got through"
            );
        }
        // Template syntax is printed, never evaluated: the text is still there.
        assert!(
            doc.contains("{{ u.periode.id }}"),
            "{naam}: {{{{ }}}} was evaluated"
        );
        assert!(
            doc.contains("{% if true %}ja{% endif %}"),
            "{naam}: {{% %}} was evaluated"
        );
        assert!(
            doc.contains("{# c #}"),
            "{naam}: a Tera comment was dropped"
        );
        assert!(doc.contains("alert"), "{naam}: the text itself is lost");
    }
    // What the Markdown reader reads is the text as written, markup included.
    assert!(md.contains("<script>alert(\"x\")</script>"), "{md}");
    assert!(md.contains("[klik](javascript:alert(1))"), "{md}");
    markdown_is_veilig(&d.join("output"), "AANVAL");
    // The markup that closes elements is escaped, so the document keeps its structure.
    assert_eq!(
        html.matches("<section").count(),
        html.matches("</section>").count()
    );
    assert!(
        html.contains("&lt;script&gt;"),
        "HTML escapes plain text fields"
    );

    // Charts take text from the inputs too; they stay well-formed XML without script.
    for e in fs::read_dir(&out).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "svg") {
            let svg = fs::read_to_string(&p).unwrap();
            let doc = roxmltree::Document::parse(&svg)
                .unwrap_or_else(|err| panic!("{}: {err}", p.display()));
            assert!(
                doc.descendants().all(|n| n.tag_name().name() != "script"),
                "{}",
                p.display()
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Every text field of the schema, in every document.

/// The reference period with every optional part filled in, as a JSON value (JSON
/// is YAML, so it is written back as the input file as it is).
fn volledig() -> Value {
    let t = fs::read_to_string(repo().join("inputs/2025-I.yaml")).unwrap();
    let mut v: Value = serde_saphyr::from_str(&t).unwrap();
    v["besluit"]["reden_buiten_bandbreedte"] = json!("Geen reden nodig");
    v["verdeling"]["correctie"] = json!({ "verschil": -200, "reden": "Verrekening 2024-II" });
    v["verdeling"]["bevolking_vaststellingen"] = json!([{
        "gemeente": "GM1999",
        "naam": "Lekstroom",
        "provincie": "Utrecht",
        "inwoners": 117000,
        "vervangt": ["GM0321", "GM0356"],
        "besluit": "Besluit GS Utrecht van 1 juli 2024"
    }]);
    v["verdeling"]["herverdelingen"] = json!([{
        "omschrijving": "Afspraak Amstelveen en Ouder-Amstel",
        "mutaties": [
            { "gemeente": "GM0362", "verschil": 5 },
            { "gemeente": "GM0437", "verschil": -5 }
        ]
    }]);
    v["verdeling"]["achterstanden"] = json!([
        { "gemeente": "GM0363", "aantal": 120 },
        { "gemeente": "GM0014", "aantal": -2 }
    ]);
    v
}

/// The shape of a path: list indices left out (`historie[].status`).
fn vorm(pad: &str, sleutel: &str) -> String {
    if pad.is_empty() {
        sleutel.to_string()
    } else if sleutel.is_empty() {
        format!("{pad}[]")
    } else {
        format!("{pad}.{sleutel}")
    }
}

/// Calls `f` with the shape of every mapping and a mutable reference to it.
fn mappings(
    v: &mut Value,
    pad: &str,
    f: &mut dyn FnMut(&str, &mut serde_json::Map<String, Value>),
) {
    match v {
        Value::Object(m) => {
            f(pad, m);
            for (k, w) in m.iter_mut() {
                mappings(w, &vorm(pad, k), f);
            }
        }
        Value::Array(a) => {
            for w in a {
                mappings(w, &vorm(pad, ""), f);
            }
        }
        _ => {}
    }
}

/// Calls `f` with the shape of every text value and a mutable reference to it.
fn teksten(v: &mut Value, pad: &str, f: &mut dyn FnMut(&str, &mut String)) {
    match v {
        Value::String(s) => f(pad, s),
        Value::Object(m) => {
            for (k, w) in m.iter_mut() {
                teksten(w, &vorm(pad, k), f);
            }
        }
        Value::Array(a) => {
            for w in a {
                teksten(w, &vorm(pad, ""), f);
            }
        }
        _ => {}
    }
}

/// The keys the schema accepts in a mapping, from the schema's own error for a key it
/// does not know (`deny_unknown_fields` lists the expected ones).
fn sleutels_van_schema(v: &Value, vormpad: &str) -> Vec<&'static str> {
    let mut v = v.clone();
    let mut gedaan = false;
    mappings(&mut v, "", &mut |p, m| {
        if p == vormpad && !gedaan {
            m.insert("zz_onbekend".into(), json!(1));
            gedaan = true;
        }
    });
    let tekst = serde_json::to_string(&v).unwrap();
    let mut e = serde_saphyr::from_str::<PeriodeInput>(&tekst).expect_err(vormpad);
    loop {
        e = match e {
            serde_saphyr::Error::WithSnippet { error, .. } => *error,
            serde_saphyr::Error::SerdeUnknownField {
                field, expected, ..
            } => {
                assert_eq!(field, "zz_onbekend", "{vormpad}");
                return expected;
            }
            other => panic!("{vormpad}: {other}"),
        };
    }
}

/// Keys the schema shares with another place but that validation refuses here: the
/// bijstelling's memo has the period memo's header type, and no buffer or margin to
/// show (`tests/invalid.rs` covers the refusal).
const ALLEEN_ELDERS: &[&str] = &[
    "bijstelling.notitie.toon_buffer",
    "bijstelling.notitie.toon_evaluatiemarge",
];

/// Every key of the schema appears in [`volledig`], so poisoning its texts reaches
/// every text field there is; a field added to the schema fails here until the test
/// input fills it in.
#[test]
fn every_schema_key_is_in_the_poisoned_input() {
    let mut v = volledig();
    let mut aanwezig: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    mappings(&mut v, "", &mut |p, m| {
        aanwezig
            .entry(p.to_string())
            .or_default()
            .extend(m.keys().cloned());
    });
    assert!(aanwezig.len() > 20, "{aanwezig:?}");
    for (p, keys) in &aanwezig {
        let schema: BTreeSet<String> = sleutels_van_schema(&v, p)
            .into_iter()
            .map(String::from)
            .collect();
        let ontbreekt: Vec<_> = schema
            .difference(keys)
            .filter(|k| !ALLEEN_ELDERS.contains(&format!("{p}.{k}").as_str()))
            .collect();
        assert!(
            ontbreekt.is_empty(),
            "the schema has {ontbreekt:?} under `{p}`, which volledig() does not fill in"
        );
    }
}

/// Text fields whose values are checked against a format (a date, a period, a code,
/// one of a list): anything else is refused, so markup never gets in.
const FORMATEN: &[&str] = &[
    "periode",
    "peilmoment",
    "bekendmaking.datum",
    "circulaire.datum",
    "bijstelling.datum",
    "bijstelling.evaluatie.venster.van",
    "bijstelling.evaluatie.venster.tot_en_met",
    "bijstelling.evaluatie.maanden[].maand",
    "bijstelling.notitie.datum",
    "bijstelling.notitie.status",
    "bijstelling.bekendmaking.datum",
    "bijstelling.circulaire.datum",
    "notitie.datum",
    "notitie.status",
    "inwilligingen.maanden[].maand",
    "historie[].periode",
    "uitstroom.beginstand.datum",
    "uitstroom.maanden[].maand",
    "amv.behoefte[].datum",
    "amv.realisatie[].datum",
    "evaluatie_vorige_periode.venster.van",
    "evaluatie_vorige_periode.venster.tot_en_met",
    "afspraken_evaluatie.delen_in",
    "afspraken_evaluatie.deel_van_maand",
    "verdeling.bevolking_vaststellingen[].gemeente",
    "verdeling.bevolking_vaststellingen[].provincie",
    "verdeling.bevolking_vaststellingen[].vervangt[]",
    "verdeling.herverdelingen[].mutaties[].gemeente",
    "verdeling.achterstanden[].gemeente",
];

/// Free texts that no document shows.
const NIET_GETOOND: &[&str] = &[
    // The certainty of a history row, kept for the secretariat.
    "historie[].status",
];

/// Every attack on a Markdown reader we know of, in one text; `{m}` is replaced by a
/// marker that says which field (and which occurrence) it came from.
const GIF: &str = "{m} <script>alert(1)</script> <img src=x onerror=alert(1)> \
[a](javascript:alert(1)) [b](&#106;avascript:alert(1)) [c](JaVaScRiPt:alert(1)) \
[d](%6Aavascript:alert(1)) [e](java&#x09;script:alert(1)) [f](<javascript:alert(1)>) \
[g](javascript&colon;alert(1)) <javascript:alert(1)> <JAVASCRIPT:alert(1)> \
![i](javascript:alert(1)) ![j](https://elders.example/x.png) [k][ref] ![l][ref] [ref] \
<a href=\"javascript:alert(1)\">m</a> `<script>`{=html} [n](https://e.example){onclick=alert(1)} \
$\\href{javascript:alert(1)}{o}$ &lt;script&gt; <!-- p --> data:text/html,<script>x</script> javascript:alert(1)
[ref]: javascript:alert(1)

<div onclick=\"alert(1)\">blok</div>

# kop {#id onclick=alert(1)}
- lijst
1986. jaar
> citaat
| a | b |
|---|---|
    inspring
```
omheind
```
:::
---
=====";

/// The marker of field number `i`, occurrence `j`.
fn merk(i: usize, j: usize) -> String {
    format!("MERK{i}X{j}Z")
}

fn schrijf(d: &Path, v: &Value) {
    fs::write(
        d.join("inputs/2025-I.yaml"),
        serde_json::to_string_pretty(v).unwrap(),
    )
    .unwrap();
    let _ = fs::remove_dir_all(d.join("output"));
}

/// Poisons one text field at a time (every occurrence), builds with the real binary,
/// and reads every document: a format field is refused, a text field comes out as
/// text, and no Markdown document holds HTML or a link to a script.
#[test]
fn every_text_field_is_harmless_in_every_document() {
    let d = project("schema");
    let basis = volledig();
    // The test input itself builds.
    schrijf(&d, &basis);
    build(&d);

    let mut velden: Vec<String> = Vec::new();
    teksten(&mut basis.clone(), "", &mut |p, _| {
        if !velden.iter().any(|v| v == p) {
            velden.push(p.to_string());
        }
    });
    assert!(velden.len() > 30, "{velden:?}");
    for bekend in FORMATEN.iter().chain(NIET_GETOOND) {
        assert!(velden.iter().any(|v| v == bekend), "{bekend} is no field");
    }

    for (i, veld) in velden.iter().enumerate() {
        let mut v = basis.clone();
        let mut j = 0;
        teksten(&mut v, "", &mut |p, s| {
            if p == veld {
                *s = GIF.replace("{m}", &merk(i, j));
                j += 1;
            }
        });
        schrijf(&d, &v);
        let o = run(&d, &["build"]);
        let err = String::from_utf8_lossy(&o.stderr);
        if FORMATEN.contains(&veld.as_str()) {
            assert_eq!(o.status.code(), Some(1), "{veld}: {err}");
            assert!(!d.join("output").exists(), "{veld}: wrote output");
            continue;
        }
        assert!(
            o.status.success(),
            "{veld} with markup does not build: {err}"
        );
        let gelezen = markdown_is_veilig(&d.join("output"), veld);
        let getoond = gelezen.values().any(|t| t.contains(&merk(i, 0)));
        if NIET_GETOOND.contains(&veld.as_str()) {
            assert!(
                !getoond,
                "{veld} is shown after all: remove it from NIET_GETOOND"
            );
        } else {
            assert!(getoond, "{veld}: its text is in no Markdown document");
            // The text reads as written, markup and all.
            assert!(
                gelezen
                    .values()
                    .any(|t| t.contains("<script>alert(1)</script>")),
                "{veld}"
            );
        }
    }
    let _ = fs::remove_dir_all(&d);
}

/// All text fields poisoned at once, so that one field's link definition meets
/// another field's reference; and the municipality names of the population table,
/// which reach the Staatscourant tables.
#[test]
fn texts_together_and_population_names_are_harmless() {
    let d = project("samen");
    let mut v = volledig();
    let mut n = 0;
    teksten(&mut v, "", &mut |p, s| {
        if !FORMATEN.contains(&p) {
            *s = GIF.replace("{m}", &merk(999, n));
            n += 1;
        }
    });
    schrijf(&d, &v);
    let csv = d.join("inputs/bevolking/2024-01-01.csv");
    let tabel = fs::read_to_string(&csv).unwrap();
    let naam = GIF
        .replace("{m}", "Amsterdam")
        .replace(['\n', '\r'], " ")
        .replace('"', "\"\"");
    fs::write(
        &csv,
        tabel.replacen(",Amsterdam,", &format!(",\"{naam}\","), 1),
    )
    .unwrap();
    build(&d);
    let gelezen = markdown_is_veilig(&d.join("output"), "all at once");
    let staatscourant = &gelezen["2025-I/circulaire.md"];
    assert!(staatscourant.contains("Amsterdam <script>alert(1)</script>"));
    assert!(gelezen.values().any(|t| t.contains(&merk(999, 0))));
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn nothing_is_written_outside_the_output_folder() {
    let d = std::env::temp_dir().join(format!("taakstelling-paden-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    let werk = d.join("werk");
    fs::create_dir_all(werk.join("inputs")).unwrap();
    common::bevolking(&werk.join("inputs"));
    fs::create_dir_all(d.join("elders")).unwrap();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    fs::copy(
        repo.join("inputs/2025-I.yaml"),
        d.join("elders/2025-I.yaml"),
    )
    .unwrap();
    fs::copy(
        repo.join("inputs/2025-I.yaml"),
        werk.join("inputs/2025-I.yaml"),
    )
    .unwrap();

    // A period file from elsewhere is built into output/PERIOD, nowhere else.
    let o = run(&werk, &["build", "../elders/2025-I.yaml"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(names(&werk), ["inputs", "output"]);
    assert_eq!(
        names(&werk.join("output")),
        [
            ".taakstelling-manifest",
            "2025-I",
            "grafiek-historie.svg",
            "index.html",
            "index.md"
        ]
    );
    assert_eq!(names(&d.join("elders")), ["2025-I.yaml"]);
    assert_eq!(names(&d), ["elders", "werk"]);

    // An output folder whose replacement would delete inputs or the project is refused.
    for bad in ["inputs", ".", "..", "inputs/.."] {
        let o = run(&werk, &["build", "--output", bad]);
        assert_eq!(o.status.code(), Some(2), "--output {bad}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("refusing to use"), "--output {bad}: {err}");
    }
    assert_eq!(names(&werk.join("inputs")), ["2025-I.yaml", "bevolking"]);
    assert_eq!(names(&d), ["elders", "werk"]);
}
