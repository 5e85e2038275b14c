//! Text fields are data, never markup or templates: HTML or script in an input is
//! escaped or sanitised in every document, and template syntax is printed literally.

mod common;
use common::names;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

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
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut t = fs::read_to_string(repo.join("inputs/2025-I.yaml")).unwrap();
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

fn build(d: &Path) {
    let o = Command::new(BIN)
        .arg("build")
        .current_dir(d)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn markup_and_template_syntax_in_inputs_come_out_literally() {
    let d = project("tekst");
    build(&d);
    let out = d.join("output/2025-I");
    let html = fs::read_to_string(out.join("notitie.html")).unwrap();
    let md = fs::read_to_string(out.join("notitie.md")).unwrap();

    for (naam, doc) in [("html", &html), ("md", &md)] {
        assert!(
            !doc.contains("<script"),
            "{naam}: a script element got through"
        );
        assert!(!doc.contains("<img"), "{naam}: an img element got through");
        assert!(
            !doc.contains("href=\"javascript"),
            "{naam}: a javascript link got through"
        );
        if naam == "md" {
            assert!(
                !doc.contains("](javascript:"),
                "md: a javascript link got through"
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
    // The markup that closes elements is escaped, so the document keeps its structure.
    assert_eq!(
        html.matches("<section").count(),
        html.matches("</section>").count()
    );
    assert!(
        html.contains("&lt;script&gt;"),
        "HTML escapes plain text fields"
    );
    assert!(
        md.contains("&lt;script&gt;"),
        "Markdown writes < and > as entities"
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

fn run(d: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(d)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
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
        ["2025-I", "grafiek-historie.svg", "index.html", "index.md"]
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
