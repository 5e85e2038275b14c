//! End-to-end tests of the half-yearly workflow on the real binary: the index of all
//! periods, `new` (a next period that does not build until it is filled in),
//! partial builds, and `templates export` with `--templates`.

mod common;
use common::{copy_dir, files, repo, run, stderr, tmp};

use std::fs;
use std::path::{Path, PathBuf};

/// A project with the example inputs of 2025-I only (and the data beside them), so
/// that the tests know which period comes next whatever other example periods exist.
fn project_2025_i(name: &str) -> PathBuf {
    let d = tmp(name);
    copy_dir(&repo().join("inputs"), &d.join("inputs"));
    for e in fs::read_dir(d.join("inputs")).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if (n.ends_with("-I.yaml") || n.ends_with("-II.yaml")) && n != "2025-I.yaml" {
            fs::remove_file(e.path()).unwrap();
        }
    }
    d
}

/// Fills in every TE_VULLEN of a file that `new 2025-II` made from 2025-I, by text
/// replacement, as a secretary would: the new taakstelling, and for the rest last
/// period's values (the comment after the marker) or plain figures.
fn fill_in(path: &Path, taakstelling: i64) {
    let text = fs::read_to_string(path).unwrap();
    let text = text
        .replace(
            "taakstelling: TE_VULLEN  # 2025-I: 17700",
            &format!("taakstelling: {taakstelling}"),
        )
        .replace("TE_VULLEN  # 2025-I: ", "")
        .replace("aantal: TE_VULLEN", "aantal: 2950")
        .replace("plekken: TE_VULLEN", "plekken: 3200")
        .replace("TE_VULLEN ", "");
    assert!(!text.contains("TE_VULLEN"), "left open:\n{text}");
    fs::write(path, text).unwrap();
}

/// The `href`s of an HTML text.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn new_period_is_refused_until_filled_in_and_then_builds_into_the_index() {
    let d = project_2025_i("new");
    let o = run(&d, &["new", "2025-II"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = d.join("inputs/2025-II.yaml");
    let text = fs::read_to_string(&file).unwrap();

    // Dates moved forward, history carried, texts and comments kept.
    for expected in [
        "periode: 2025-II",
        "peilmoment: 2025-03-01",
        "bekendmaking:\n  datum: 2025-04-01\n  kenmerk: TE_VULLEN",
        "delen_in: 2025-08",
        "van: 2024-10",
        "tot_en_met: 2025-03",
        "- { periode: 2025-I, eerst_bekendgemaakt: 17700, na_bijstelling: 15000, status: invoer-2025-I }",
        "- { maand: 2025-02, aantal: TE_VULLEN }",
        "- { datum: 2026-01-01, plekken: TE_VULLEN }",
        "taakstelling: TE_VULLEN  # 2025-I: 17700",
        // The yearly step of the backlog: from 1 January 2025, as 2025-I computed it.
        "    datum: 2025-01-01\n    achterstand: TE_VULLEN  # 2025-I: 12470\n",
        "    - { maand: 2024-01, aantal: 2380 }",
        "minister: minister van Asiel en Migratie",
        "naam: Nareis (MVV)",
        "# Reference moment: scenario 1 averages the whole months before it;",
        "# Interim evaluation of the previous period (2025-I)",
        "# Taakstelling huisvesting vergunninghouders: invoer voor de periode 2025-II.",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}:\n{text}");
    }
    assert!(
        !text.contains("\nbijstelling:") && !text.contains("2025-0000100001"),
        "the bijstelling of 2025-I is not carried over"
    );
    assert!(
        !text.contains("{ maand: 2023-03, aantal: 2410 }"),
        "the grant series keeps its length"
    );
    assert!(text.contains("{ maand: 2023-09, aantal: 2910 }"));
    assert!(
        !text.contains("{ maand: 2023-12, aantal: 2590 }"),
        "the outflow before 2024 is no longer shown"
    );
    // The new memo is a draft, dated six months on, with its agenda item and reference open.
    assert!(text.contains("  datum: 2025-03-16\n"), "memo date moved");
    assert!(text.contains("  status: concept\n"), "memo status");
    assert!(text.contains("  agendapunt: TE_VULLEN"), "agenda item open");
    let report = stderr(&o);
    assert!(report.contains("still to be filled in (34)"), "{report}");
    assert!(
        report.contains("uitstroom.beginstand: 2024-01-01 (6750) → 2025-01-01"),
        "{report}"
    );
    assert!(report.contains("aandachtspunten[2]"), "{report}");

    // `check` and `build` refuse it, naming every open field with its line.
    let open_lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("TE_VULLEN") && !l.trim_start().starts_with('#'))
        .map(|(i, _)| i + 1)
        .collect();
    let o = run(&d, &["check", "2025-II"]);
    assert_eq!(o.status.code(), Some(1));
    // miette wraps long messages: join the continuation lines.
    let err = stderr(&o).replace("\n  | ", " ");
    assert_eq!(
        err.matches("still to be filled in").count(),
        open_lines.len(),
        "{err}"
    );
    assert!(
        err.contains(&format!("{} error(s)", open_lines.len())),
        "{err}"
    );
    for line in &open_lines {
        assert!(
            err.contains(&format!("2025-II.yaml:{line}:")),
            "line {line}: {err}"
        );
    }
    let taakstelling_line = text
        .lines()
        .position(|l| l.contains("taakstelling: TE_VULLEN"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(
            "2025-II.yaml:{taakstelling_line}:17: besluit.taakstelling: still to be filled in"
        )),
        "{err}"
    );
    for field in [
        "scenario_2.categorieen[0].beslissingen",
        "scenario_2.categorieen[3].inwilligingspercentage",
        "inwilligingen.maanden[17].aantal",
        "uitstroom.maanden[13].aantal",
        "uitstroom.beginstand.achterstand",
        "amv.realisatie[3].plekken",
        "evaluatie_vorige_periode.prognose_per_maand",
        "besluit.motivering",
    ] {
        assert!(
            err.contains(&format!("{field}: still to be filled in")),
            "{field}: {err}"
        );
    }
    let o = run(&d, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!d.join("output").exists(), "a refused build writes nothing");

    // Never overwrites.
    let o = run(&d, &["new", "2025-II"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&file).unwrap(), text);

    // Filled in, it builds, and the index lists both periods, newest first.
    fill_in(&file, 18_100);
    let o = run(&d, &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&d, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let memo = fs::read_to_string(d.join("output/2025-II/notitie.html")).unwrap();
    assert!(memo.contains("18.100"));

    let index = fs::read_to_string(d.join("output/index.html")).unwrap();
    let (nieuw, oud) = (
        index.find("<h2 id=\"taakstelling-2025-ii\">").unwrap(),
        index.find("<h2 id=\"taakstelling-2025-i\">").unwrap(),
    );
    assert!(nieuw < oud, "newest first");
    for figure in [
        "18.100",
        "17.700",
        "17.700 tot 23.800",
        "12.500 (eind 2024)",
    ] {
        assert!(index.contains(figure), "index lacks {figure}");
    }
    // The history chart: the newest period's history plus its own number.
    assert!(index.contains("Landelijke taakstelling per halfjaar, 2015-I tot en met 2025-II"));
    assert!(d.join("output/grafiek-historie.svg").is_file());
    let md = fs::read_to_string(d.join("output/index.md")).unwrap();
    assert!(
        md.contains("| [2025-II](#taakstelling-2025-ii) | 18.100 |"),
        "{md}"
    );
    assert!(
        md.find("## Taakstelling 2025-II").unwrap() < md.find("## Taakstelling 2025-I\n").unwrap()
    );

    // Every document of every period is linked, and every link points at a file.
    let links: Vec<String> = hrefs(&index)
        .into_iter()
        .filter(|h| !h.starts_with('#'))
        .collect();
    for l in &links {
        assert!(d.join("output").join(l).is_file(), "dead link {l}");
    }
    for period in ["2025-I", "2025-II"] {
        for (rel, _) in files(&d.join("output").join(period)) {
            let href = format!("{period}/{rel}");
            assert!(links.contains(&href), "index.html lacks a link to {href}");
            assert!(
                md.contains(&format!("]({href})")),
                "index.md lacks a link to {href}"
            );
        }
    }
}

#[test]
fn new_refuses_without_an_earlier_period_and_fills_a_gap_in_the_history() {
    let d = project_2025_i("new-edges");
    let o = run(&d, &["new", "2024-II"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no period file before 2024-II"),
        "{}",
        stderr(&o)
    );
    assert!(!d.join("inputs/2024-II.yaml").exists());

    let o = run(&d, &["new", "2026-I"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = fs::read_to_string(d.join("inputs/2026-I.yaml")).unwrap();
    assert!(text.contains("peilmoment: 2025-09-01"), "moved 12 months");
    assert!(
        text.contains(
            "- { periode: 2025-I, eerst_bekendgemaakt: 17700, na_bijstelling: 15000, status: invoer-2025-I }"
        )
    );
    assert!(text.contains("- { periode: 2025-II, eerst_bekendgemaakt: TE_VULLEN }"));
    let o = run(&d, &["check", "2026-I"]);
    assert!(
        stderr(&o)
            .replace("\n  | ", " ")
            .contains("historie[21].eerst_bekendgemaakt: still to be filled in"),
        "{}",
        stderr(&o)
    );

    let o = run(&d, &["new", "2026"]);
    assert_eq!(o.status.code(), Some(2), "not a period: wrong usage");
}

#[test]
fn building_some_periods_rewrites_the_index_as_a_full_build_would() {
    let d = project_2025_i("partial");
    assert!(run(&d, &["new", "2025-II"]).status.success());
    fill_in(&d.join("inputs/2025-II.yaml"), 18_100);
    let o = run(&d, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before_2025_i = files(&d.join("output/2025-I"));

    let file = d.join("inputs/2025-II.yaml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replace("taakstelling: 18100", "taakstelling: 18300"),
    )
    .unwrap();
    // A file of the user's in the output: a partial build refuses too, naming it.
    let eigen = d.join("output/2025-I/eigen.txt");
    fs::write(&eigen, "x").unwrap();
    let o = run(&d, &["build", "2025-II"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("2025-I/eigen.txt"), "{}", stderr(&o));
    assert_eq!(fs::read(&eigen).unwrap(), b"x");
    fs::remove_file(&eigen).unwrap();

    let inode = |p: &Path| {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(p).unwrap().ino()
    };
    let notitie_2025_i = d.join("output/2025-I/notitie.html");
    let inode_before = inode(&notitie_2025_i);
    let o = run(&d, &["build", "2025-II"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index = fs::read_to_string(d.join("output/index.html")).unwrap();
    assert!(
        index.contains("18.300") && !index.contains("18.100"),
        "index is current"
    );
    // The other period's files are kept (linked into the new output), not written again.
    assert_eq!(
        inode(&notitie_2025_i),
        inode_before,
        "other period untouched"
    );

    // Byte for byte what a full build writes.
    let o = run(&d, &["build", "--output", "full"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files(&d.join("output")), files(&d.join("full")));
    assert_eq!(files(&d.join("output/2025-I")), before_2025_i);

    // The index needs every period: a period still open stops a partial build too.
    assert!(run(&d, &["new", "2026-I"]).status.success());
    let o = run(&d, &["build", "2025-II"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("every period must build"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn templates_export_starts_an_override_folder_that_overrides_file_by_file() {
    let d = project_2025_i("templates");
    let o = run(&d, &["templates", "export", "tpl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut exported: Vec<String> = fs::read_dir(d.join("tpl"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    exported.sort();
    // Every file; `reference-docx/` holds the sources `reference.docx` is built from.
    let mut shipped: Vec<String> = fs::read_dir(repo().join("templates"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    shipped.sort();
    assert_eq!(exported, shipped, "every template, as shipped");
    assert!(shipped.contains(&"reference.docx".to_string()));
    for name in &shipped {
        assert_eq!(
            fs::read(d.join("tpl").join(name)).unwrap(),
            fs::read(repo().join("templates").join(name)).unwrap()
        );
    }

    // Never overwrites without --force; writes nothing then.
    fs::write(d.join("tpl/notitie.md"), "mine").unwrap();
    let o = run(&d, &["templates", "export", "tpl"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(d.join("tpl/notitie.md")).unwrap(),
        "mine"
    );
    let o = run(&d, &["templates", "export", "tpl", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_ne!(
        fs::read_to_string(d.join("tpl/notitie.md")).unwrap(),
        "mine"
    );

    // Keep one changed file: it changes its document; the others stay embedded.
    for name in &shipped {
        if name != "notitie.md" {
            fs::remove_file(d.join("tpl").join(name)).unwrap();
        }
    }
    let own = fs::read_to_string(d.join("tpl/notitie.md")).unwrap();
    fs::write(
        d.join("tpl/notitie.md"),
        own.replacen(
            "\n## Doel\n",
            "\nEigen alinea: {{ u.taakstelling.aantal | getal }}.\n\n## Doel\n",
            1,
        ),
    )
    .unwrap();
    assert!(run(&d, &["build", "--output", "plain"]).status.success());
    let o = run(&d, &["--templates", "tpl", "build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The one text changes every format of its document.
    let md = fs::read_to_string(d.join("output/2025-I/notitie.md")).unwrap();
    assert!(
        md.contains("\n\nEigen alinea: 17.700.\n\n## Doel\n"),
        "{md}"
    );
    let html = fs::read_to_string(d.join("output/2025-I/notitie.html")).unwrap();
    assert!(html.contains("<p>Eigen alinea: 17.700.</p>"));
    let docx = fs::read(d.join("output/2025-I/notitie.docx")).unwrap();
    assert!(part(&docx, "word/document.xml").contains(">Eigen alinea: 17.700.<"));
    for same in [
        "2025-I/bekendmaking.html",
        "2025-I/circulaire.docx",
        "index.html",
        "index.md",
        "2025-I/grafiek-1-bandbreedte.svg",
    ] {
        assert_eq!(
            fs::read(d.join("output").join(same)).unwrap(),
            fs::read(d.join("plain").join(same)).unwrap(),
            "{same} should come from the embedded template"
        );
    }

    // A reference document of one's own styles every Word file.
    let bron = d.join("reference-bron");
    copy_dir(&repo().join("templates/reference-docx"), &bron);
    let styles = bron.join("word/styles.xml");
    let tekst = fs::read_to_string(&styles).unwrap();
    assert!(tekst.contains("w:ascii=\"Calibri\""));
    fs::write(&styles, tekst.replace("Calibri", "Verdana")).unwrap();
    fs::write(
        d.join("tpl/reference.docx"),
        taakstelling::document::reference_docx_from_dir(&bron).unwrap(),
    )
    .unwrap();
    let o = run(&d, &["--templates", "tpl", "build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for doc in ["notitie", "bekendmaking", "circulaire"] {
        let docx = fs::read(d.join(format!("output/2025-I/{doc}.docx"))).unwrap();
        let styles = part(&docx, "word/styles.xml");
        assert!(styles.contains("w:ascii=\"Verdana\"") && !styles.contains("Calibri"));
    }
    assert_eq!(
        fs::read(d.join("output/2025-I/notitie.html")).unwrap(),
        html.as_bytes(),
        "only Word uses the reference document"
    );

    // One that is not a Word document fails the build, naming it, and writes nothing.
    fs::write(d.join("tpl/reference.docx"), "geen zip").unwrap();
    let before = files(&d.join("output"));
    let o = run(&d, &["--templates", "tpl", "build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("reference.docx"), "{}", stderr(&o));
    assert_eq!(files(&d.join("output")), before);
    fs::remove_file(d.join("tpl/reference.docx")).unwrap();

    // A broken override fails the build and writes nothing.
    fs::write(d.join("tpl/notitie.md"), "{{ bestaat_niet | getal }}").unwrap();
    let before = files(&d.join("output"));
    let o = run(&d, &["--templates", "tpl", "build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("notitie.md"), "{}", stderr(&o));
    assert_eq!(files(&d.join("output")), before);
}

/// The text of one part of a Word file.
fn part(docx: &[u8], name: &str) -> String {
    let parts = taakstelling::document::docx_parts(docx).unwrap();
    let (_, data) = parts.iter().find(|(n, _)| n == name).unwrap();
    String::from_utf8(data.clone()).unwrap()
}

#[test]
fn new_does_not_carry_distribution_decisions_over_silently() {
    let d = project_2025_i("verdeling-besluiten");
    let vorige = d.join("inputs/2025-I.yaml");
    let tekst = fs::read_to_string(&vorige).unwrap();
    let tekst = tekst
        .replacen(
            "  herverdelingen: []",
            "  herverdelingen:\n    - omschrijving: Amsterdam draagt vijf plaatsen over aan Diemen.\n      mutaties:\n        - { gemeente: GM0363, verschil: -5 }\n        - { gemeente: GM0384, verschil: 5 }",
            1,
        )
        .replacen(
            "  achterstanden: []",
            "  achterstanden:\n    - { gemeente: GM0363, aantal: 120 }",
            1,
        );
    fs::write(&vorige, tekst).unwrap();
    assert!(run(&d, &["check", "2025-I"]).status.success());

    let o = run(&d, &["new", "2025-II"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&d, &["check", "2025-II"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for veld in [
        "verdeling.herverdelingen[0].mutaties[0].verschil",
        "verdeling.herverdelingen[0].mutaties[1].verschil",
        "verdeling.achterstanden[0].aantal",
    ] {
        assert!(err.contains(veld), "{veld} is not reported open:\n{err}");
    }
}
