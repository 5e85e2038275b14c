//! End-to-end: the real binary on the example inputs and on variations of them.

mod common;
use common::{edit, files, project_with_inputs, repo, run, stderr, tmp};

use std::fs;

#[test]
fn build_writes_the_memo_of_the_reference_period() {
    let d = project_with_inputs("reference");
    let o = run(&d, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = d.join("output/2025-I");
    let md = fs::read_to_string(out.join("notitie.md")).unwrap();
    let html = fs::read_to_string(out.join("notitie.html")).unwrap();
    for section in [
        "Doel",
        "Taakstelling 2025-I",
        "Algemene aandachtspunten",
        "Capaciteitsbehoefte opvang alleenstaande minderjarige vreemdelingen (amv)",
        "Afspraken evaluatie 2025-I",
        "Evaluatie taakstelling 2024-II",
        "Vervolgproces",
        "Bijlage 1: Berekening van de bandbreedte",
        "Bijlage 6: Rekenverantwoording",
    ] {
        assert!(
            md.contains(&format!("## {section}")),
            "md lacks section {section}"
        );
        assert!(
            html.contains(&format!(">{section}</h2>")),
            "html lacks section {section}"
        );
    }
    insta::assert_snapshot!("notitie_2025_I_md", md);
    insta::assert_snapshot!("notitie_2025_I_html", html);
    // Word beside them: the same title, the subject from the memo header, in Dutch.
    let docx = fs::read(out.join("notitie.docx")).unwrap();
    let parts = taakstelling::document::docx_parts(&docx).unwrap();
    let core = parts
        .iter()
        .find(|(n, _)| n == "docProps/core.xml")
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .unwrap();
    assert!(core.contains("<dc:title>HLRT-notitie taakstelling 2025-I</dc:title>"));
    assert!(
        core.contains("<dc:subject>Taakstelling huisvesting vergunninghouders 2025-I</dc:subject>")
    );
    assert!(core.contains("<dc:language>nl-NL</dc:language>"));
    assert!(html.contains("<title>HLRT-notitie taakstelling 2025-I</title>"));
    // The header block, from the input; 2025-I is final, so no CONCEPT anywhere.
    for veld in [
        "- **Aan:** Leden van de HLRT",
        "- **Van:** Secretariaat HLRT",
        "- **Datum:** 16 september 2024",
        "- **Agendapunt:** 3",
        "- **Kenmerk:** HLRT-2024-09-03",
        "- **Status:** definitief",
    ] {
        assert!(md.contains(veld), "md lacks {veld}");
    }
    assert!(!md.contains("CONCEPT") && !html.contains("CONCEPT"));
    // No tool footer in the body; the version is in the Rekenverantwoording.
    let (body, reken) = md.split_once("## Bijlage 6: Rekenverantwoording").unwrap();
    assert!(!body.contains("Opgesteld met"));
    assert!(reken.contains("opgesteld met taakstelling"));
    for svg in [
        "grafiek-1-bandbreedte.svg",
        "grafiek-2-achterstand.svg",
        "grafiek-3-historie.svg",
        "grafiek-4-amv.svg",
    ] {
        let s = fs::read_to_string(out.join(svg)).unwrap();
        assert!(s.contains("<svg"), "{svg}");
        assert!(md.contains(&format!("]({svg})")), "md does not link {svg}");
    }
}

#[test]
fn the_reference_memo_shows_every_figure_of_the_real_memo() {
    let d = project_with_inputs("figures");
    assert!(run(&d, &["build"]).status.success());
    let md = fs::read_to_string(d.join("output/2025-I/notitie.md")).unwrap();
    for needle in [
        "taakstelling van **17.700**",
        "de onderkant is 17.700 (scenario 1), de bovenkant 23.800 (scenario 2)",
        "prognose van **17.700** inwilligingen",
        "prognose van **23.800** inwilligingen",
        "Met een taakstelling van 38.800 voor 2023 en 35.750 voor 2024 is deze uitstroom onvoldoende om de taakstelling te halen",
        "Voor het derde jaar op rij komt het aantal statushouders dat uit de opvang naar huisvesting uitstroomt naar verwachting uit op circa 30.000",
        "aan het eind van 2024 oploopt naar circa **12.500**",
        "De taakstelling voor 2024-II bedraagt in totaal 17.000 te huisvesten vergunninghouders",
        "geen reden de taakstelling 2024-II bij te stellen",
        "tot 1 juli 2025 bedraagt circa **3.000** plekken",
        "met klem opgeroepen",
        "álle amv",
        "de inzet van ons allen",
        "circa 3.500 plekken op 31 december 2025",
        "begin februari 2025 met de partners gedeeld",
    ] {
        assert!(md.contains(needle), "memo lacks {needle:?}");
    }
}

#[test]
fn one_month_of_grants_changes_scenario_1_everywhere_it_shows() {
    let d = project_with_inputs("one-month");
    let input = d.join("inputs/2025-I.yaml");
    // +600 grants in February 2024 raises scenario 1 from 17.705 to 18.005: 18.000. The chosen
    // number follows, or it would fall outside the new bandwidth.
    edit(
        &input,
        "{ maand: 2024-02, aantal: 2890 }",
        "{ maand: 2024-02, aantal: 3490 }",
    );
    edit(&input, "taakstelling: 17700", "taakstelling: 18000");
    let o = run(&d, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = fs::read_to_string(d.join("output/2025-I/notitie.md")).unwrap();
    let html = fs::read_to_string(d.join("output/2025-I/notitie.html")).unwrap();
    for doc in [&md, &html] {
        assert!(doc.contains("36.010"), "sum of the window");
        assert!(!doc.contains("35.410"), "old sum");
        // The old scenario 1 (and old taakstelling) may only remain where another figure
        // happens to equal it: the evaluation's expectation of 2024-II.
        assert_eq!(
            doc.matches("17.700").count(),
            2,
            "old scenario 1 still shown"
        );
    }
    assert!(md.contains("prognose van **18.000** inwilligingen"));
    assert!(html.contains("prognose van <strong>18.000</strong> inwilligingen"));
    assert!(md.contains("de onderkant is 18.000 (scenario 1), de bovenkant 23.800 (scenario 2)"));
    assert!(md.contains("| Scenario 1 |"));
    let svg = fs::read_to_string(d.join("output/2025-I/grafiek-1-bandbreedte.svg")).unwrap();
    assert!(svg.contains("18.000"), "graph 1 follows scenario 1");
}

#[test]
fn a_misspelled_key_fails_with_file_line_and_field_and_writes_nothing() {
    let d = project_with_inputs("misspelled");
    edit(
        &d.join("inputs/2025-I.yaml"),
        "  prognose_per_maand: 2900",
        "  prognose_per_maan: 2900",
    );
    let o = run(&d, &["build"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("inputs/2025-I.yaml:"), "{err}");
    assert!(err.contains("prognose_per_maan"), "{err}");
    assert!(!d.join("output").exists(), "a failed build wrote output");
}

#[test]
fn a_failed_build_leaves_the_previous_output_intact() {
    let d = project_with_inputs("intact");
    assert!(run(&d, &["build"]).status.success());
    let before = files(&d.join("output"));
    edit(
        &d.join("inputs/2025-I.yaml"),
        "taakstelling: 17700",
        "taakstelling: 99999",
    );
    let o = run(&d, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("besluit.taakstelling"),
        "{}",
        stderr(&o)
    );
    assert_eq!(files(&d.join("output")), before);
    let leftovers: Vec<_> = fs::read_dir(&d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn check_validates_without_writing() {
    let d = project_with_inputs("check");
    let o = run(&d, &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!d.join("output").exists());
}

#[test]
fn one_period_by_name_or_path() {
    let d = project_with_inputs("one");
    assert!(run(&d, &["build", "2025-I"]).status.success());
    assert!(d.join("output/2025-I/notitie.html").exists());
    fs::remove_dir_all(d.join("output")).unwrap();
    assert!(run(&d, &["build", "inputs/2025-I.yaml"]).status.success());
    assert!(d.join("output/2025-I/notitie.md").exists());
}

#[test]
fn wrong_usage_exits_2() {
    let d = tmp("usage");
    assert_eq!(run(&d, &["bouw"]).status.code(), Some(2));
    assert_eq!(run(&d, &["build", "2025-III"]).status.code(), Some(2));
    let help = run(&d, &["build", "--help"]);
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("Exit codes"));
}

#[test]
fn same_inputs_give_the_same_bytes() {
    let a = project_with_inputs("det-a");
    let b = project_with_inputs("det-b");
    assert!(run(&a, &["build"]).status.success());
    assert!(run(&b, &["build"]).status.success());
    assert_eq!(files(&a.join("output")), files(&b.join("output")));
}

/// The committed `output/` must be what a build of the committed inputs gives now.
#[test]
fn committed_output_is_up_to_date() {
    let d = project_with_inputs("committed");
    let o = run(&d, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fresh = files(&d.join("output"));
    let committed = files(&repo().join("output"));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&committed),
        names(&fresh),
        "output/ is stale: run `cargo run --release -- build` and commit it"
    );
    for ((name, c), (_, f)) in committed.iter().zip(&fresh) {
        assert!(
            c == f,
            "output/{name} is stale: run `cargo run --release -- build` and commit it"
        );
    }
}
