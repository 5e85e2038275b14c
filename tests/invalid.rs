//! The corpus of invalid inputs: each case is a small edit of the reference input
//! `inputs/2025-I.yaml` (or a hostile file of its own), built with the real binary.
//! Every case must exit 1 with its expected message (an insta snapshot of stderr under
//! `tests/snapshots/invalid/`), never panic, and leave the previous `output/` as it was
//! with no temporary folder beside it.
//!
//! The cases are edits rather than copies, so that they keep testing one mistake each
//! when the reference input grows.

mod common;
use common::{files, repo};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_taakstelling");

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "taakstelling-invalid-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("binary runs")
}

fn reference() -> String {
    fs::read_to_string(repo().join("inputs/2025-I.yaml")).unwrap()
}

/// How a case makes its input from the reference.
enum Invoer {
    /// Replace the first occurrence of each `from` by its `to`.
    Edits(&'static [(&'static str, &'static str)]),
    /// A file of its own.
    Bytes(Vec<u8>),
}

struct Case {
    name: &'static str,
    invoer: Invoer,
}

fn edit(name: &'static str, edits: &'static [(&'static str, &'static str)]) -> Case {
    Case {
        name,
        invoer: Invoer::Edits(edits),
    }
}

fn bytes(name: &'static str, b: impl Into<Vec<u8>>) -> Case {
    Case {
        name,
        invoer: Invoer::Bytes(b.into()),
    }
}

/// A billion laughs: ten levels of ten aliases each, 10^10 strings when expanded.
fn alias_bomb() -> String {
    let mut t = reference();
    t.push_str("extra:\n  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(", ");
        t.push_str(&format!("  - &a{i} [{refs}]\n"));
    }
    // The bomb goes first, so that it is read before anything can fail.
    format!("bom: *a9\n{}", t.replace("extra:", "anker:"))
}

/// The text as an editor would save it in Latin-1: `ë` as the single byte 0xEB.
fn latin1(tekst: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(tekst.len());
    for c in tekst.chars() {
        match c {
            'ë' => out.push(0xEB),
            c => out.extend(c.to_string().as_bytes()),
        }
    }
    out
}

fn cases() -> Vec<Case> {
    vec![
        // The publications and the bijstelling.
        edit(
            "ministerie_missing_key",
            &[(
                "  directie: Directie Regie Migratieketen\n  plaats",
                "  plaats",
            )],
        ),
        edit(
            "circulaire_unknown_key",
            &[("  contact: Directie", "  kontakt: Directie")],
        ),
        edit(
            "circulaire_before_bekendmaking",
            &[("  datum: 2024-10-03", "  datum: 2024-09-30")],
        ),
        edit(
            "bijstelling_missing_key",
            &[(
                "  reden: Er zijn minder vergunningen verleend dan verwacht.\n",
                "",
            )],
        ),
        edit(
            "bijstelling_unknown_key",
            &[("    prognose_per_maand: 2350", "    prognose: 2350")],
        ),
        edit(
            "bijstelling_changes_nothing",
            &[("  taakstelling: 15000", "  taakstelling: 17700")],
        ),
        edit(
            "bijstelling_before_publication",
            &[("  datum: 2025-03-03", "  datum: 2024-09-20")],
        ),
        edit(
            "bijstelling_memo_with_a_switch_of_the_period_memo",
            &[(
                "    status: definitief\n  bekendmaking:",
                "    status: definitief\n    toon_buffer: true\n  bekendmaking:",
            )],
        ),
        edit(
            "bijstelling_months_outside_window",
            &[("      - { maand: 2024-10, aantal: 2610 }\n", "")],
        ),
        // Reading and parsing: the field path, what was found, what was expected.
        edit(
            "unknown_key_did_you_mean",
            &[("  prognose_per_maand: 2900", "  prognose_per_maan: 2900")],
        ),
        edit(
            "unknown_key_top_level",
            &[("minister: minister van", "ministre: minister van")],
        ),
        edit(
            "unknown_key_no_suggestion",
            &[(
                "  marge_procent: 5",
                "  marge_procent: 5\n  opmerking: zie bijlage",
            )],
        ),
        edit(
            "two_misspelled_keys",
            &[
                ("minister: minister van", "ministre: minister van"),
                ("  prognose_per_maand: 2900", "  prognose_per_maan: 2900"),
            ],
        ),
        edit(
            "extra_keys_and_meaning_errors_at_once",
            &[
                (
                    "  marge_procent: 5",
                    "  marge_procent: 5\n  opmerking:\n    - zie bijlage\n    - en notitie",
                ),
                (
                    "  illustratief: true\n  maanden:",
                    "  illustratief: true\n  illustratief: true\n  maanden:",
                ),
                (
                    "{ maand: 2023-05, aantal: 2620 }",
                    "{ maand: 2023-05, aantal: -2620 }",
                ),
            ],
        ),
        edit(
            "missing_key",
            &[("minister: minister van Asiel en Migratie\n", "")],
        ),
        edit("missing_nested_key", &[("    tot_en_met: 2024-09\n", "")]),
        edit(
            "percentage_not_a_number",
            &[(
                "inwilligingspercentage: 70.0",
                "inwilligingspercentage: zeventig",
            )],
        ),
        edit(
            "count_not_a_number",
            &[(
                "{ maand: 2023-05, aantal: 2620 }",
                "{ maand: 2023-05, aantal: veel }",
            )],
        ),
        edit(
            "count_with_decimals",
            &[(
                "{ maand: 2023-05, aantal: 2620 }",
                "{ maand: 2023-05, aantal: 2620.5 }",
            )],
        ),
        edit(
            "count_too_large_for_a_number",
            &[(
                "{ maand: 2023-05, aantal: 2620 }",
                "{ maand: 2023-05, aantal: 99999999999999999999999 }",
            )],
        ),
        edit(
            "count_too_large",
            &[(
                "{ maand: 2023-05, aantal: 2620 }",
                "{ maand: 2023-05, aantal: 262000000 }",
            )],
        ),
        edit(
            "boolean_expected",
            &[("illustratief: true", "illustratief: ja")],
        ),
        edit(
            "duplicate_key",
            &[("periode: 2025-I\n", "periode: 2025-I\nperiode: 2025-I\n")],
        ),
        edit(
            "enum_value_misspelled",
            &[("deel_van_maand: begin", "deel_van_maand: begni")],
        ),
        edit(
            "list_expected",
            &[(
                "  realisatie:\n    - { datum: 2023-09-01, plekken: 2150 }\n    - { datum: 2024-03-01, plekken: 2400 }\n    - { datum: 2024-09-01, plekken: 2650 }",
                "  realisatie: 2650",
            )],
        ),
        edit(
            "mapping_expected",
            &[(
                "bekendmaking:\n  datum: 2024-10-01\n  kenmerk: \"2024-0000123456\"",
                "bekendmaking: 2024-10-01",
            )],
        ),
        edit(
            "empty_value",
            &[("minister: minister van Asiel en Migratie", "minister:")],
        ),
        edit(
            "unclosed_brace",
            &[(
                "{ maand: 2023-05, aantal: 2620 }",
                "{ maand: 2023-05, aantal: 2620",
            )],
        ),
        edit(
            "second_document",
            &[("vervolgproces:\n", "---\nvervolgproces:\n")],
        ),
        // Checks of meaning.
        edit(
            "month_missing",
            &[("    - { maand: 2023-05, aantal: 2620 }\n", "")],
        ),
        edit(
            "month_repeated",
            &[(
                "{ maand: 2023-06, aantal: 2750 }",
                "{ maand: 2023-05, aantal: 2750 }",
            )],
        ),
        edit(
            "month_out_of_order",
            &[(
                "{ maand: 2023-06, aantal: 2750 }",
                "{ maand: 2023-02, aantal: 2750 }",
            )],
        ),
        edit(
            "month_invalid",
            &[(
                "{ maand: 2024-03, aantal: 2980 }",
                "{ maand: 2024-13, aantal: 2980 }",
            )],
        ),
        edit(
            "month_after_peilmoment",
            &[(
                "    - { maand: 2024-08, aantal: 2540 }\n",
                "    - { maand: 2024-08, aantal: 2540 }\n    - { maand: 2024-09, aantal: 2500 }\n",
            )],
        ),
        edit(
            "count_negative",
            &[(
                "{ datum: 2025-07-01, plekken: 3000 }",
                "{ datum: 2025-07-01, plekken: -3000 }",
            )],
        ),
        edit(
            "percentage_over_100",
            &[(
                "inwilligingspercentage: 64.0",
                "inwilligingspercentage: 120",
            )],
        ),
        edit(
            "percentage_negative",
            &[("inwilligingspercentage: 12.5", "inwilligingspercentage: -5")],
        ),
        edit(
            "percentage_three_decimals",
            &[(
                "inwilligingspercentage: 33.0",
                "inwilligingspercentage: 33.125",
            )],
        ),
        edit(
            "period_id_invalid",
            &[("periode: 2025-I\n", "periode: 2025-III\n")],
        ),
        edit(
            "period_id_as_path",
            &[("periode: 2025-I\n", "periode: ../../etc/2025-I\n")],
        ),
        edit(
            "period_does_not_match_file_name",
            &[("periode: 2025-I\n", "periode: 2025-II\n")],
        ),
        edit(
            "taakstelling_outside_bandwidth",
            &[("taakstelling: 17700", "taakstelling: 30000")],
        ),
        edit(
            "taakstelling_zero",
            &[("taakstelling: 17700", "taakstelling: 0")],
        ),
        edit(
            "history_period_repeated",
            &[("{ periode: 2017-II,", "{ periode: 2017-I,")],
        ),
        edit(
            "history_adjusted_without_first",
            &[(
                "{ periode: 2024-I, eerst_bekendgemaakt: 18750,",
                "{ periode: 2024-I, na_bijstelling: 18750,",
            )],
        ),
        edit(
            "history_ends_too_early",
            &[(
                "  - { periode: 2024-II, eerst_bekendgemaakt: 17000, status: afgeleid }\n",
                "",
            )],
        ),
        edit(
            "history_includes_this_period",
            &[(
                "  - { periode: 2024-II, eerst_bekendgemaakt: 17000, status: afgeleid }\n",
                "  - { periode: 2024-II, eerst_bekendgemaakt: 17000, status: afgeleid }\n  - { periode: 2025-I, eerst_bekendgemaakt: 17700 }\n",
            )],
        ),
        edit(
            "history_number_missing",
            &[(
                "{ periode: 2023-I, eerst_bekendgemaakt: 21200, status: bron-secundair }",
                "{ periode: 2023-I, status: onbekend }",
            )],
        ),
        edit(
            "date_impossible",
            &[("peilmoment: 2024-09-01", "peilmoment: 2024-02-30")],
        ),
        edit(
            "peilmoment_after_period_start",
            &[("peilmoment: 2024-09-01", "peilmoment: 2025-02-01")],
        ),
        edit(
            "publication_before_peilmoment",
            &[(
                "bekendmaking:\n  datum: 2024-10-01",
                "bekendmaking:\n  datum: 2024-08-01",
            )],
        ),
        edit(
            "dates_out_of_order",
            &[(
                "{ datum: 2025-12-31, plekken: 3500 }",
                "{ datum: 2025-06-30, plekken: 3500 }",
            )],
        ),
        edit(
            "window_reversed",
            &[("    van: 2024-04\n", "    van: 2024-10\n")],
        ),
        edit(
            "window_after_period_start",
            &[("    tot_en_met: 2024-09\n", "    tot_en_met: 2025-02\n")],
        ),
        edit(
            "beginstand_not_1_january",
            &[("    datum: 2024-01-01\n", "    datum: 2024-03-01\n")],
        ),
        edit(
            "empty_text",
            &[("minister: minister van Asiel en Migratie", "minister: \"\"")],
        ),
        edit(
            "empty_list",
            &[(
                "  behoefte:\n    - { datum: 2025-07-01, plekken: 3000 }\n    - { datum: 2025-12-31, plekken: 3500 }",
                "  behoefte: []",
            )],
        ),
        edit(
            "category_repeated",
            &[("naam: Herhaalde aanvragen", "naam: Nareis (MVV)")],
        ),
        edit(
            "several_errors_at_once",
            &[
                (
                    "{ maand: 2023-05, aantal: 2620 }",
                    "{ maand: 2023-05, aantal: -2620 }",
                ),
                (
                    "inwilligingspercentage: 64.0",
                    "inwilligingspercentage: 164.0",
                ),
                (
                    "{ datum: 2025-07-01, plekken: 3000 }",
                    "{ datum: 2025-07-32, plekken: 3000 }",
                ),
                ("  marge_procent: 5", "  marge_procent: 500"),
            ],
        ),
        // Ranges: every number, and every number derived from them that a document shows.
        edit(
            "taakstelling_too_large",
            &[("taakstelling: 17700", "taakstelling: 20000000")],
        ),
        edit(
            "history_number_far_below_zero",
            &[(
                "{ periode: 2024-I, eerst_bekendgemaakt: 18750,",
                "{ periode: 2024-I, eerst_bekendgemaakt: -20000000,",
            )],
        ),
        edit(
            "backlog_smallest_whole_number",
            &[(
                "  achterstanden: []",
                "  achterstanden: [{ gemeente: GM0363, aantal: -9223372036854775808 }]",
            )],
        ),
        edit(
            "backlog_twenty_million",
            &[(
                "  achterstanden: []",
                "  achterstanden: [{ gemeente: GM0363, aantal: 20000000 }]",
            )],
        ),
        edit(
            "backlogs_add_up_past_the_largest_taakstelling",
            &[(
                "  achterstanden: []",
                "  achterstanden:\n    - { gemeente: GM0363, aantal: 6000000 }\n    - { gemeente: GM0014, aantal: 5000000 }",
            )],
        ),
        edit(
            "correction_twenty_million",
            &[(
                "  bevolking_vaststellingen: []",
                "  correctie: { verschil: 20000000, reden: Verrekening }\n  bevolking_vaststellingen: []",
            )],
        ),
        edit(
            "correction_past_the_largest_taakstelling",
            &[(
                "  bevolking_vaststellingen: []",
                "  correctie: { verschil: 9990000, reden: Verrekening }\n  bevolking_vaststellingen: []",
            )],
        ),
        edit(
            "correction_largest_whole_number",
            &[(
                "  bevolking_vaststellingen: []",
                "  correctie: { verschil: 9223372036854775807, reden: Verrekening }\n  bevolking_vaststellingen: []",
            )],
        ),
        edit(
            "agreement_change_too_large",
            &[(
                "  herverdelingen: []",
                "  herverdelingen:\n    - omschrijving: Afspraak\n      mutaties:\n        - { gemeente: GM0362, verschil: 20000000 }\n        - { gemeente: GM0437, verschil: -20000000 }",
            )],
        ),
        edit(
            "art30_population_too_large",
            &[(
                "  bevolking_vaststellingen: []",
                "  bevolking_vaststellingen:\n    - { gemeente: GM0363, inwoners: 1000000000, besluit: Besluit GS }",
            )],
        ),
        // Small cases: a year out of range, odd line ends, characters one cannot see.
        edit(
            "period_year_zero",
            &[("periode: 2025-I\n", "periode: 0000-I\n")],
        ),
        edit(
            "period_with_an_en_dash",
            &[("periode: 2025-I\n", "periode: 2025\u{2013}I\n")],
        ),
        bytes(
            "cr_line_ends_with_a_misspelled_key",
            reference()
                .replacen("  prognose_per_maand: 2900", "  prognose_per_maan: 2900", 1)
                .replace('\n', "\r"),
        ),
        edit(
            "key_with_a_zero_width_space",
            &[("minister: minister van", "minis\u{200B}ter: minister van")],
        ),
        edit(
            "key_with_a_cyrillic_letter",
            &[("minister: minister van", "min\u{0438}ster: minister van")],
        ),
        edit(
            "key_with_a_cyrillic_look_alike",
            &[("periode: 2025-I\n", "peri\u{043E}de: 2025-I\n")],
        ),
        edit(
            "value_with_a_zero_width_space",
            &[("deel_van_maand: begin", "deel_van_maand: beg\u{200B}in")],
        ),
        // Hostile and broken files.
        bytes("empty_file", ""),
        bytes(
            "only_comments",
            "# Nog in te vullen.\n\n# periode: 2025-I\n",
        ),
        bytes("not_utf8", latin1(&reference())),
        bytes("utf16", {
            let mut b = vec![0xFF, 0xFE];
            b.extend(
                "periode: 2025-I\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            );
            b
        }),
        bytes("ten_megabytes", {
            let mut t = reference();
            let regel = "# ".to_string() + &"x".repeat(98) + "\n";
            t.push_str(&regel.repeat(100_000));
            t
        }),
        bytes("alias_bomb", alias_bomb()),
        bytes(
            "deep_nesting",
            format!(
                "periode: {}{}\n",
                "[\n".repeat(100_000),
                "]\n".repeat(100_000)
            ),
        ),
        bytes(
            "a_list_not_a_mapping",
            "- periode: 2025-I\n- peilmoment: 2024-09-01\n",
        ),
        bytes(
            "one_long_line",
            format!("periode: 2025-I\nopmerking: {}\n", "x".repeat(100_000)),
        ),
        bytes(
            "nul_byte",
            reference().replacen("minister van", "minister\0van", 1),
        ),
    ]
}

/// Builds the input of a case in a fresh project with a previous output.
fn project(case: &Case) -> PathBuf {
    let d = tmp(case.name);
    fs::create_dir_all(d.join("inputs")).unwrap();
    common::bevolking(&d.join("inputs"));
    let tekst = match &case.invoer {
        Invoer::Edits(edits) => {
            let mut t = reference();
            for (from, to) in *edits {
                assert!(
                    t.contains(from),
                    "{}: the reference lacks {from:?}",
                    case.name
                );
                t = t.replacen(from, to, 1);
            }
            t.into_bytes()
        }
        Invoer::Bytes(b) => b.clone(),
    };
    fs::write(d.join("inputs/2025-I.yaml"), tekst).unwrap();
    fs::create_dir_all(d.join("output/2025-I")).unwrap();
    fs::write(d.join("output/2025-I/notitie.md"), "vorige uitvoer\n").unwrap();
    fs::write(
        d.join("output/2025-I/notitie.html"),
        "<p>vorige uitvoer</p>\n",
    )
    .unwrap();
    // The manifest an earlier build writes: without it a build refuses the folder (exit 2).
    fs::write(
        d.join("output/.taakstelling-manifest"),
        "# taakstelling manifest 1\n2025-I/notitie.html\n2025-I/notitie.md\n",
    )
    .unwrap();
    d
}

#[test]
fn the_corpus_is_large_enough_and_named_uniquely() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let mut names: Vec<_> = cases.iter().map(|c| c.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "duplicate case names");
}

#[test]
fn every_invalid_input_gives_its_message_exits_1_and_writes_nothing() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/invalid");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for case in cases() {
            let d = project(&case);
            let voor = files(&d.join("output"));
            let start = Instant::now();
            let o = run(&d, &["build"]);
            let duur = start.elapsed();
            let err = String::from_utf8_lossy(&o.stderr).into_owned();
            assert_eq!(o.status.code(), Some(1), "{}: {err}", case.name);
            assert!(!err.contains("panicked"), "{}: {err}", case.name);
            assert!(
                duur < Duration::from_secs(10),
                "{}: took {duur:?}",
                case.name
            );
            assert_eq!(
                files(&d.join("output")),
                voor,
                "{}: output changed",
                case.name
            );
            let naast: Vec<_> = fs::read_dir(&d)
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            assert_eq!(naast.len(), 2, "{}: left behind {naast:?}", case.name);
            insta::assert_snapshot!(case.name, err);
            // `check` reports the same problems.
            let c = run(&d, &["check"]);
            assert_eq!(c.status.code(), Some(1), "{}: check", case.name);
            let _ = fs::remove_dir_all(&d);
        }
    });
}

/// A file with carriage returns alone as line ends (old Mac files) reads as any
/// other: the same documents as with line feeds, and `new` starts the next period
/// from it as from any file.
#[test]
fn cr_line_ends_read_like_line_feeds() {
    let mut uitvoer = Vec::new();
    let mut volgende = Vec::new();
    for (naam, tekst) in [("lf", reference()), ("cr", reference().replace('\n', "\r"))] {
        let d = tmp(&format!("regeleinden-{naam}"));
        fs::create_dir_all(d.join("inputs")).unwrap();
        common::bevolking(&d.join("inputs"));
        fs::write(d.join("inputs/2025-I.yaml"), tekst).unwrap();
        for args in [&["build"][..], &["new", "2025-II"]] {
            let o = run(&d, args);
            assert!(
                o.status.success(),
                "{naam} {args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        uitvoer.push(files(&d.join("output")));
        volgende.push(fs::read(d.join("inputs/2025-II.yaml")).unwrap());
        let _ = fs::remove_dir_all(&d);
    }
    assert!(uitvoer[0] == uitvoer[1], "the documents differ");
    assert!(volgende[0] == volgende[1], "the next period's files differ");
}

/// The population files (CBS table and its metadata) are checked by their own loader;
/// its messages belong to the corpus too. The period build does not read them yet.
#[test]
fn invalid_population_files_give_their_messages() {
    use taakstelling::input::bevolking::parse_bevolking;
    const HEADER: &str = "gemeentecode,gemeentenaam,provincie,inwoners\n";
    const META: &str = "peildatum: 2024-01-01\ntotaal_nederland: 60\naantal_gemeenten: 3\nbron: CBS\nprovincies_bron: test\n";
    let cases: [(&str, String, String); 5] = [
        (
            "bevolking_duplicate_code",
            format!("{HEADER}GM0001,Aa,Utrecht,10\nGM0002,Bb,Fryslân,20\nGM0001,Cc,Zeeland,30\n"),
            META.to_string(),
        ),
        (
            "bevolking_not_a_number",
            format!(
                "{HEADER}GM0001,Aa,Utrecht,10\nGM0002,Bb,Fryslân,twintig\nGM0003,Cc,Zeeland,30\n"
            ),
            META.to_string(),
        ),
        (
            "bevolking_total_does_not_match",
            format!("{HEADER}GM0001,Aa,Utrecht,10\nGM0002,Bb,Fryslân,20\nGM0003,Cc,Zeeland,31\n"),
            META.to_string(),
        ),
        (
            "bevolking_unknown_province",
            format!("{HEADER}GM0001,Aa,Utrecht,10\nGM0002,Bb,Friesland,20\nGM0003,Cc,Zeeland,30\n"),
            META.to_string(),
        ),
        (
            "bevolking_metadata_key_misspelled",
            format!("{HEADER}GM0001,Aa,Utrecht,10\nGM0002,Bb,Fryslân,20\nGM0003,Cc,Zeeland,30\n"),
            META.replace("totaal_nederland", "totaal_nederlnd"),
        ),
    ];
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/invalid");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, csv, yaml) in cases {
            let e = parse_bevolking(
                2024,
                Path::new("inputs/bevolking/2024-01-01.csv"),
                &csv,
                Path::new("inputs/bevolking/2024-01-01.yaml"),
                &yaml,
            )
            .expect_err(name);
            insta::assert_snapshot!(name, e.to_string());
        }
    });
}
