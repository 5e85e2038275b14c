//! End-to-end tests of `taakstelling bevolking import` on the real binary, each in a
//! temporary copy of the inputs. The fixtures in tests/fixtures/cbs/ are TEST DATA:
//! the population of 1 January 2024 from inputs/bevolking/2024-01-01.csv, labelled
//! 2025, in CBS's layouts (see the README there). Variants made here (a merger, a
//! wrong total) are written only into the temporary folders.

mod common;
use common::{files, project_with_inputs, repo, run, stderr};

use std::fs;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/cbs").join(name)
}

const STATLINE: &str = "testdata_statline_03759ned_14032025_101500.csv";
const V3: &str = "testdata_odata_v3_03759ned.json";
const V4: &str = "testdata_odata_v4_03759ned.json";
const PLAIN: &str = "testdata_gemeenten.csv";
const INDELING: &str = "testdata_gemeenten-alfabetisch.csv";

fn import(d: &Path, file: &Path, extra: &[&str]) -> std::process::Output {
    let file = file.to_string_lossy().into_owned();
    let mut args = vec![
        "bevolking",
        "import",
        file.as_str(),
        "--peildatum",
        "2025-01-01",
    ];
    args.extend_from_slice(extra);
    run(d, &args)
}

fn tabel(d: &Path) -> (String, String) {
    (
        fs::read_to_string(d.join("inputs/bevolking/2025-01-01.csv")).unwrap(),
        fs::read_to_string(d.join("inputs/bevolking/2025-01-01.yaml")).unwrap(),
    )
}

/// miette wraps long messages: the report with its continuation lines joined.
fn plat(o: &std::process::Output) -> String {
    stderr(o)
        .lines()
        .map(|l| {
            l.trim_start()
                .trim_start_matches('|')
                .trim_start_matches('x')
                .trim()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn imports_each_layout_as_the_table_it_was_made_from() {
    let origineel = fs::read_to_string(repo().join("inputs/bevolking/2024-01-01.csv")).unwrap();
    for (naam, extra, formaat, datum) in [
        (
            STATLINE,
            &[][..],
            "StatLine CSV export",
            "2025-03-14 (from the download)",
        ),
        (
            V3,
            &["--downloaded", "2025-03-15"][..],
            "OData v3",
            "2025-03-15 (from --downloaded)",
        ),
        (
            V4,
            &["--downloaded", "2025-03-16"][..],
            "OData v4",
            "2025-03-16 (from --downloaded)",
        ),
        (
            PLAIN,
            &["--downloaded", "2025-03-17", "--table", "03759ned"][..],
            "plain CSV",
            "2025-03-17 (from --downloaded)",
        ),
    ] {
        let d = project_with_inputs(&format!("import-{formaat}").replace(' ', "-"));
        let o = import(&d, &fixture(naam), extra);
        assert!(o.status.success(), "{naam}: {}", stderr(&o));
        let report = stderr(&o);
        for verwacht in [
            formaat,
            "CBS table 03759ned",
            datum,
            "342 municipalities, 17.942.942 inhabitants on 1 January 2025",
            "no municipality is new or gone",
            "provinces: 342 from 2024-01-01.csv, 0 from the division file",
            "wrote inputs/bevolking/2025-01-01.csv",
            "the periods 2026-I and 2026-II use this table",
            "Gedeputeerde Staten may set its population (art. 30)",
            "verdeling.bevolking_vaststellingen",
        ] {
            assert!(
                report.contains(verwacht),
                "{naam}: lacks {verwacht:?}:\n{report}"
            );
        }
        assert_eq!(
            report.contains("equal to the national total in the download"),
            naam != PLAIN,
            "{report}"
        );
        // The same municipalities, names, provinces and figures, byte for byte.
        let (csv, yaml) = tabel(&d);
        assert_eq!(csv, origineel, "{naam}");
        for verwacht in [
            "# Bron: CBS. Imported by `taakstelling bevolking import` from ",
            "peildatum: 2025-01-01\n",
            "totaal_nederland: 17942942\n",
            "aantal_gemeenten: 342\n",
            "bron: \"Bron: CBS, table 03759ned, population on 1 January 2025",
            &format!("downloaded on {}", &datum[..10]),
            "provincies_bron: \"By gemeentecode from 2024-01-01.csv (the previous table).\"",
        ] {
            assert!(
                yaml.contains(verwacht),
                "{naam}: lacks {verwacht:?}:\n{yaml}"
            );
        }
        // The loader (as every build) reads it, and `check` passes.
        assert!(run(&d, &["check"]).status.success());
        let rest: Vec<String> = fs::read_dir(d.join("inputs/bevolking"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(rest.is_empty(), "temporary files left: {rest:?}");
    }
}

/// The plain fixture with GM0888 Beek (L.) and GM0971 Stein (L.) merged into a new
/// GM1999 (their sum), and the division file to go with it.
fn fusie(d: &Path) -> (PathBuf, PathBuf) {
    let tekst = fs::read_to_string(fixture(PLAIN)).unwrap();
    let mut som = 0u64;
    let mut regels: Vec<String> = Vec::new();
    for r in tekst.lines() {
        if r.starts_with("GM0888;") || r.starts_with("GM0971;") {
            som += r.rsplit(';').next().unwrap().parse::<u64>().unwrap();
        } else {
            regels.push(r.to_string());
        }
    }
    regels.push(format!("GM1999;Testgemeente;{som}"));
    let download = d.join("fusie.csv");
    fs::write(&download, regels.join("\n") + "\n").unwrap();

    let tekst = fs::read_to_string(fixture(INDELING)).unwrap();
    let mut regels: Vec<String> = tekst
        .lines()
        .filter(|r| !r.contains(";GM0888;") && !r.contains(";GM0971;"))
        .map(str::to_string)
        .collect();
    regels.push("1999;GM1999;Testgemeente;31;PV31;Limburg".to_string());
    let indeling = d.join("indeling.csv");
    fs::write(&indeling, regels.join("\n") + "\n").unwrap();
    (download, indeling)
}

const HERKOMST: [&str; 4] = ["--table", "03759ned", "--downloaded", "2025-03-14"];

#[test]
fn a_merger_takes_the_new_province_from_the_division_file() {
    let d = project_with_inputs("import-fusie");
    let (download, indeling) = fusie(&d);
    let indeling = indeling.to_string_lossy().into_owned();
    let mut extra = HERKOMST.to_vec();
    extra.extend(["--indeling", indeling.as_str()]);
    let o = import(&d, &download, &extra);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = stderr(&o);
    for verwacht in [
        "341 municipalities, 17.942.942 inhabitants",
        "new (1): GM1999 Testgemeente (Limburg)",
        "gone (2): GM0888 Beek (L.), GM0971 Stein (L.)",
        "provinces: 340 from 2024-01-01.csv, 1 from the division file",
    ] {
        assert!(report.contains(verwacht), "lacks {verwacht:?}:\n{report}");
    }
    let (csv, yaml) = tabel(&d);
    assert!(
        csv.contains("\nGM1999,Testgemeente,Limburg,40959\n"),
        "{csv}"
    );
    assert!(!csv.contains("GM0888") && !csv.contains("GM0971"));
    assert!(
        yaml.contains("GM1999 from CBS's municipal division table indeling.csv."),
        "{yaml}"
    );
    assert!(run(&d, &["check"]).status.success());
}

#[test]
fn a_new_municipality_without_a_province_is_refused_naming_every_code() {
    let d = project_with_inputs("import-zonder-provincie");
    let (download, _) = fusie(&d);
    // A second new code, so that the error must list both.
    let tekst = fs::read_to_string(&download).unwrap();
    fs::write(
        &download,
        tekst.replace("GM0014;Groningen;", "GM1998;Groningen-Test;"),
    )
    .unwrap();
    let before = files(&d.join("inputs"));
    let o = import(&d, &download, &HERKOMST);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = plat(&o);
    for verwacht in [
        "no province for 2 municipalities not in the table of 1 January 2024",
        "GM1998 Groningen-Test (line 3)",
        "GM1999 Testgemeente (line 343)",
        "--indeling FILE",
        "gemeenten-alfabetisch-2025",
        "nothing was written",
    ] {
        assert!(
            err.contains(verwacht),
            "lacks {verwacht:?}:\n{}",
            stderr(&o)
        );
    }
    assert!(stderr(&o).contains("fusie.csv:3:1"), "{}", stderr(&o));
    assert_eq!(
        files(&d.join("inputs")),
        before,
        "a refused import writes nothing"
    );
}

#[test]
fn a_total_that_does_not_match_is_refused_at_its_line() {
    let d = project_with_inputs("import-totaal");
    let tekst = fs::read_to_string(fixture(V3)).unwrap();
    let download = d.join("03759ned.json");
    fs::write(
        &download,
        tekst.replacen(
            "\"BevolkingOp1Januari_1\":17942942",
            "\"BevolkingOp1Januari_1\":17942952",
            1,
        ),
    )
    .unwrap();
    let before = files(&d.join("inputs"));
    let o = import(&d, &download, &["--downloaded", "2025-03-14"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = plat(&o);
    assert!(
        err.contains("the municipalities add up to 17942942, but the national total in the download is 17942952 (a difference of 10)"),
        "{}",
        stderr(&o)
    );
    // The NL01 row is line 2; the column is where its figure's key is.
    assert!(
        stderr(&o).contains("03759ned.json:2:118: Nederland:"),
        "{}",
        stderr(&o)
    );
    assert_eq!(files(&d.join("inputs")), before);

    // A download without its date or table says what to give; a wrong peildatum is usage.
    let o = import(&d, &fixture(PLAIN), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        plat(&o).contains("--table") && plat(&o).contains("--downloaded"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &d,
        &["bevolking", "import", V3, "--peildatum", "2025-07-01"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(files(&d.join("inputs")), before);
}

#[test]
fn a_second_import_of_the_same_date_needs_force_and_shows_what_changed() {
    let d = project_with_inputs("import-tweede");
    let extra = ["--downloaded", "2025-03-14"];
    assert!(import(&d, &fixture(V3), &extra).status.success());
    let eerste = files(&d.join("inputs"));

    // The same download again: nothing to do.
    let o = import(&d, &fixture(V3), &extra);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("unchanged"), "{}", stderr(&o));
    assert_eq!(files(&d.join("inputs")), eerste);

    // Other figures: refused without --force, the table untouched.
    let gewijzigd = d.join("03759ned_nieuw.json");
    let tekst = fs::read_to_string(fixture(V3)).unwrap();
    let tekst = tekst
        .replacen(
            "\"BevolkingOp1Januari_1\":17942942",
            "\"BevolkingOp1Januari_1\":17942944",
            1,
        )
        .replacen(
            "\"BevolkingOp1Januari_1\":931298",
            "\"BevolkingOp1Januari_1\":931300",
            1,
        );
    fs::write(&gewijzigd, tekst).unwrap();
    let o = import(&d, &gewijzigd, &extra);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = plat(&o);
    assert!(err.contains("already exists and differs"), "{err}");
    assert!(
        err.contains("1 municipality changed, total: 17.942.942 → 17.942.944"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(files(&d.join("inputs")), eerste, "refused: nothing written");

    // With --force: replaced, every change listed.
    let mut met_force = extra.to_vec();
    met_force.push("--force");
    let o = import(&d, &gewijzigd, &met_force);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = stderr(&o);
    for verwacht in [
        "replaced inputs/bevolking/2025-01-01.csv",
        "GM0363 Amsterdam: 931.298 → 931.300 (+2)",
        "total: 17.942.942 → 17.942.944",
        "bron: ",
    ] {
        assert!(report.contains(verwacht), "lacks {verwacht:?}:\n{report}");
    }
    let (csv, _) = tabel(&d);
    assert!(csv.contains("GM0363,Amsterdam,Noord-Holland,931300\n"));
    assert!(run(&d, &["check"]).status.success());
}

/// Fills in every TE_VULLEN of a file `new` made from `vorige`: last period's values
/// (the comment after the marker), plain figures for new months, texts as they were.
fn fill_in(path: &Path, vorige: &str) {
    let text = fs::read_to_string(path).unwrap();
    let text = text
        .replace(&format!("TE_VULLEN  # {vorige}: "), "")
        .replace("aantal: TE_VULLEN", "aantal: 2450")
        .replace("plekken: TE_VULLEN", "plekken: 3200")
        .replace("TE_VULLEN ", "");
    assert!(!text.contains("TE_VULLEN"), "left open:\n{text}");
    fs::write(path, text).unwrap();
}

#[test]
fn the_periods_of_the_following_year_build_with_the_imported_table() {
    let d = project_with_inputs("import-volgend-jaar");
    // 2026-I starts from 2025-II; without the population of 1 January 2025 it cannot build.
    let o = run(&d, &["new", "2026-I"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("uitstroom.beginstand"),
        "2026-I looks back on 2025, where the backlog of 2025-II already starts"
    );
    fill_in(&d.join("inputs/2026-I.yaml"), "2025-II");
    let o = run(&d, &["check", "2026-I"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("2025-01-01"), "{}", stderr(&o));

    let o = import(&d, &fixture(V3), &["--downloaded", "2025-03-14"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&d, &["build", "--output", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let verdeling = fs::read_to_string(d.join("out/2026-I/verdeling.csv")).unwrap();
    assert_eq!(
        verdeling.lines().count(),
        343,
        "a header and 342 municipalities"
    );
    let stcrt = fs::read_to_string(d.join("out/2026-I/circulaire.md")).unwrap();
    assert!(stcrt.contains("1 januari 2025"), "the peildatum of 2026-I");

    // 2026-II: the yearly step of the backlog, to 1 January 2026 as 2026-I computed it.
    let o = run(&d, &["new", "2026-II"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("uitstroom.beginstand: 2025-01-01 (12480) → 2026-01-01"),
        "{}",
        stderr(&o)
    );
    let tekst = fs::read_to_string(d.join("inputs/2026-II.yaml")).unwrap();
    assert!(tekst.contains("    datum: 2026-01-01\n    achterstand: TE_VULLEN  # 2026-I: "));
    assert!(
        tekst.contains("    achterstand: TE_VULLEN  # 2026-I: 11680\n  maanden:\n    - { maand: 2025-01, aantal: 2260 }\n"),
        "the outflow from 2025 on:\n{tekst}"
    );
    fill_in(&d.join("inputs/2026-II.yaml"), "2026-I");
    let o = run(&d, &["build", "--output", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let memo = fs::read_to_string(d.join("out/2026-II/notitie.md")).unwrap();
    assert!(
        memo.contains("1 januari 2026"),
        "the backlog from 1 January 2026"
    );
    assert!(d.join("out/2026-II/verdeling.csv").is_file());
}
