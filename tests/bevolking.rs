//! Tests of the population loader: the committed CBS data, and one test per
//! kind of bad file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use taakstelling::input::bevolking::{
    Bevolking, BevolkingError, ProblemKind, Provincie, load_bevolking, parse_bevolking,
};

const HEADER: &str = "gemeentecode,gemeentenaam,provincie,inwoners\n";
const ROWS: &str = "GM0001,Aa,Utrecht,10\nGM0002,Bb,Fryslân,20\n";
const META: &str = "peildatum: 2024-01-01\ntotaal_nederland: 30\naantal_gemeenten: 2\n\
                    bron: CBS\nprovincies_bron: test\n";

fn inputs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/bevolking")
}

fn fixtures(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bevolking")
        .join(name)
}

fn parse(csv: &str, yaml: &str) -> Result<Bevolking, BevolkingError> {
    parse_bevolking(
        2024,
        Path::new("b/2024-01-01.csv"),
        csv,
        Path::new("b/2024-01-01.yaml"),
        yaml,
    )
}

/// The problems of a bad file, one display line each.
fn problems(csv: &str, yaml: &str) -> Vec<String> {
    match parse(csv, yaml) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e.problems().iter().map(ToString::to_string).collect(),
    }
}

// ---- the committed data --------------------------------------------------

#[test]
fn committed_data_loads_for_every_year_with_the_cbs_totals() {
    // National totals and numbers of municipalities as stated in SOURCES.md.
    let expected: [(i32, u64); 13] = [
        (2012, 16_730_348),
        (2013, 16_779_575),
        (2014, 16_829_289),
        (2015, 16_900_726),
        (2016, 16_979_120),
        (2017, 17_081_507),
        (2018, 17_181_084),
        (2019, 17_282_163),
        (2020, 17_407_585),
        (2021, 17_475_415),
        (2022, 17_590_672),
        (2023, 17_811_291),
        (2024, 17_942_942),
    ];
    for (year, total) in expected {
        let b = load_bevolking(&inputs(), year).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.peildatum_jaar, year);
        assert_eq!(b.totaal, total, "{year}");
        assert_eq!(b.gemeenten.iter().map(|g| g.inwoners).sum::<u64>(), total);
        assert!(b.bron.contains("CBS"));
    }
    assert_eq!(
        load_bevolking(&inputs(), 2022).unwrap().gemeenten.len(),
        345
    );
    assert_eq!(
        load_bevolking(&inputs(), 2023).unwrap().gemeenten.len(),
        342
    );
    assert_eq!(
        load_bevolking(&inputs(), 2012).unwrap().gemeenten.len(),
        415
    );
}

#[test]
fn committed_2024_data_has_the_2024_division_per_province() {
    let b = load_bevolking(&inputs(), 2024).unwrap();
    assert_eq!(b.gemeenten.len(), 342);
    assert!(b.provincies_handmatig.is_empty());
    let mut per_provincie = BTreeMap::new();
    for g in &b.gemeenten {
        *per_provincie.entry(g.provincie).or_insert(0) += 1;
    }
    let counts: Vec<(Provincie, i32)> = per_provincie.into_iter().collect();
    assert_eq!(
        counts,
        vec![
            (Provincie::Groningen, 10),
            (Provincie::Fryslan, 18),
            (Provincie::Drenthe, 12),
            (Provincie::Overijssel, 25),
            (Provincie::Flevoland, 6),
            (Provincie::Gelderland, 51),
            (Provincie::Utrecht, 26),
            (Provincie::NoordHolland, 44),
            (Provincie::ZuidHolland, 50),
            (Provincie::Zeeland, 13),
            (Provincie::NoordBrabant, 56),
            (Provincie::Limburg, 31),
        ]
    );
    let amsterdam = b.gemeente("GM0363").unwrap();
    assert_eq!(amsterdam.naam, "Amsterdam");
    assert_eq!(amsterdam.inwoners, 931_298);
}

#[test]
fn committed_older_data_lists_the_hand_filled_provinces() {
    let b = load_bevolking(&inputs(), 2018).unwrap();
    // Leerdam was in Zuid-Holland before it merged into Vijfheerenlanden (Utrecht).
    let leerdam = b.gemeente("GM0545").unwrap();
    assert_eq!(leerdam.provincie, Provincie::ZuidHolland);
    assert!(b.provincies_handmatig.contains(&"GM0545".to_owned()));
    let vianen = b.gemeente("GM0620").unwrap();
    assert_eq!(vianen.provincie, Provincie::Utrecht);
    // Codes that still exist in 2024 are not hand-filled.
    assert!(!b.provincies_handmatig.contains(&"GM0363".to_owned()));
    let b = load_bevolking(&inputs(), 2022).unwrap();
    assert_eq!(
        b.provincies_handmatig,
        ["GM0457", "GM0501", "GM0530", "GM0614"]
    );
}

// ---- fixtures through load_bevolking --------------------------------------

#[test]
fn valid_fixture_loads_in_file_order() {
    let b = load_bevolking(&fixtures("geldig"), 2024).unwrap();
    assert_eq!(b.totaal, 1_328_107);
    let codes: Vec<&str> = b.gemeenten.iter().map(|g| g.code.as_str()).collect();
    assert_eq!(codes, ["GM0014", "GM0080", "GM0363", "GM0820"]);
    assert_eq!(b.gemeenten[3].naam, "Nuenen, Gerwen en Nederwetten");
    assert_eq!(b.gemeenten[1].provincie, Provincie::Fryslan);
}

#[test]
fn bad_fixture_reports_every_problem_at_once() {
    let err = load_bevolking(&fixtures("fout"), 2024).unwrap_err();
    let dir = fixtures("fout");
    let csv = dir.join("2024-01-01.csv").display().to_string();
    let yaml = dir.join("2024-01-01.yaml").display().to_string();
    let expected = format!(
        "population data for peildatum 1 January 2024 is not valid (8 problems):\n  \
         - {csv}, line 3, column 1 (`gemeentecode`): expected a municipality code `GM` followed by four digits, found `GM080`\n  \
         - {csv}, line 4, column 4 (`inwoners`): expected a whole number of inhabitants greater than zero, found `931.298`\n  \
         - {csv}, line 5, column 1 (`gemeentecode`): municipality code GM0014 appears twice (first on line 2)\n  \
         - {csv}, line 5, column 2 (`gemeentenaam`): expected a municipality name, found an empty field\n  \
         - {csv}, line 5, column 3 (`provincie`): expected one of the twelve provinces (Groningen, Fryslân, Drenthe, Overijssel, Flevoland, Gelderland, Utrecht, Noord-Holland, Zuid-Holland, Zeeland, Noord-Brabant, Limburg), found `Friesland`; did you mean `Fryslân`?\n  \
         - {csv}, line 5, column 4 (`inwoners`): expected a number of inhabitants greater than zero, found 0\n  \
         - {csv}, line 6: expected 4 fields (gemeentecode,gemeentenaam,provincie,inwoners), found 3\n  \
         - {yaml}, line 2, column 12 (`peildatum`): expected peildatum 2024-01-01 (the file name), found `2023-01-01`"
    );
    assert_eq!(err.to_string(), expected);
    assert_eq!(
        err.code().map(|c| c.to_string()).as_deref(),
        Some("taakstelling::bevolking::ongeldig")
    );
}

#[test]
fn missing_files_are_named() {
    let err = load_bevolking(&fixtures("geldig"), 1999).unwrap_err();
    let dir = fixtures("geldig");
    assert!(matches!(
        err,
        BevolkingError::Ontbreekt {
            peildatum_jaar: 1999,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        format!(
            "no population data for peildatum 1 January 1999: missing {} and {}",
            dir.join("1999-01-01.csv").display(),
            dir.join("1999-01-01.yaml").display()
        )
    );

    let err = load_bevolking(&fixtures("zonder_yaml"), 2024).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "no population data for peildatum 1 January 2024: missing {}",
            fixtures("zonder_yaml").join("2024-01-01.yaml").display()
        )
    );
}

/// A scratch directory of its own for a test (removed at the start of the test).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "taakstelling-bevolking-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn invalid_utf8_is_reported_with_its_line() {
    let dir = scratch("utf8");
    let mut csv = format!("{HEADER}{ROWS}").into_bytes();
    csv.extend_from_slice(b"GM0003,F\xE2ne,Utrecht,5\n");
    std::fs::write(dir.join("2024-01-01.csv"), csv).unwrap();
    std::fs::write(dir.join("2024-01-01.yaml"), META).unwrap();
    let err = load_bevolking(&dir, 2024).unwrap_err();
    assert_eq!(
        err.problems()[0].to_string(),
        format!(
            "{}, line 4: the file is not valid UTF-8",
            dir.join("2024-01-01.csv").display()
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = scratch("bom");
    std::fs::write(
        dir.join("2024-01-01.csv"),
        format!("\u{feff}{HEADER}{ROWS}"),
    )
    .unwrap();
    std::fs::write(dir.join("2024-01-01.yaml"), META).unwrap();
    assert_eq!(load_bevolking(&dir, 2024).unwrap().gemeenten.len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- one kind of bad CSV file at a time -------------------------------------

#[test]
fn minimal_valid_input_parses() {
    let b = parse(&format!("{HEADER}{ROWS}"), META).unwrap();
    assert_eq!(b.totaal, 30);
    assert_eq!(b.bron, "CBS");
    assert_eq!(b.gemeenten[1].provincie, Provincie::Fryslan);
}

#[test]
fn wrong_header() {
    assert_eq!(
        problems(&format!("code,naam,provincie,inwoners\n{ROWS}"), META),
        [
            "b/2024-01-01.csv, line 1: expected the header `gemeentecode,gemeentenaam,provincie,inwoners`, found `code,naam,provincie,inwoners`"
        ]
    );
}

#[test]
fn empty_file_and_header_only() {
    assert_eq!(
        problems("", META),
        ["b/2024-01-01.csv, line 1: the file has no municipalities"]
    );
    assert_eq!(
        problems(HEADER, META),
        ["b/2024-01-01.csv, line 1: the file has no municipalities"]
    );
}

#[test]
fn bad_code() {
    for bad in ["GM01", "gm0001", "GM00011", "0001", "GM 001", "GMabcd"] {
        let csv = format!("{HEADER}{bad},Aa,Utrecht,10\nGM0002,Bb,Fryslân,20\n");
        assert_eq!(
            problems(&csv, META),
            [format!(
                "b/2024-01-01.csv, line 2, column 1 (`gemeentecode`): expected a municipality code `GM` followed by four digits, found `{bad}`"
            )]
        );
    }
}

#[test]
fn duplicate_code() {
    let csv = format!("{HEADER}GM0001,Aa,Utrecht,10\nGM0001,Bb,Fryslân,20\n");
    assert_eq!(
        problems(&csv, META),
        [
            "b/2024-01-01.csv, line 3, column 1 (`gemeentecode`): municipality code GM0001 appears twice (first on line 2)"
        ]
    );
}

#[test]
fn empty_or_padded_name() {
    let csv = format!("{HEADER}GM0001,,Utrecht,10\nGM0002, Bb,Fryslân,20\n");
    assert_eq!(
        problems(&csv, META),
        [
            "b/2024-01-01.csv, line 2, column 2 (`gemeentenaam`): expected a municipality name, found an empty field",
            "b/2024-01-01.csv, line 3, column 2 (`gemeentenaam`): expected a name without leading or trailing spaces, found ` Bb`",
        ]
    );
}

#[test]
fn unknown_province() {
    let csv = format!("{HEADER}GM0001,Aa,Utrecht,10\nGM0002,Bb,Fryslan,20\n");
    assert_eq!(
        problems(&csv, META),
        [
            "b/2024-01-01.csv, line 3, column 3 (`provincie`): expected one of the twelve provinces (Groningen, Fryslân, Drenthe, Overijssel, Flevoland, Gelderland, Utrecht, Noord-Holland, Zuid-Holland, Zeeland, Noord-Brabant, Limburg), found `Fryslan`; did you mean `Fryslân`?"
        ]
    );
    let csv = format!("{HEADER}GM0001,Aa,Utrecht,10\nGM0002,Bb,Holland,20\n");
    assert_eq!(
        problems(&csv, META),
        [
            "b/2024-01-01.csv, line 3, column 3 (`provincie`): expected one of the twelve provinces (Groningen, Fryslân, Drenthe, Overijssel, Flevoland, Gelderland, Utrecht, Noord-Holland, Zuid-Holland, Zeeland, Noord-Brabant, Limburg), found `Holland`"
        ]
    );
    let csv = format!("{HEADER}GM0001,Aa,,10\nGM0002,Bb,Fryslân,20\n");
    assert!(problems(&csv, META)[0].ends_with("Limburg), found ``"));
}

#[test]
fn inhabitants_not_a_number_names_file_line_and_column() {
    for bad in [
        "2O",
        "-10",
        "+10",
        "10.5",
        "1.000",
        " 10",
        "",
        "99999999999999999999",
    ] {
        let csv = format!("{HEADER}GM0001,Aa,Utrecht,{bad}\nGM0002,Bb,Fryslân,20\n");
        // The sum is unknown, so the national total is not checked.
        assert_eq!(
            problems(&csv, META),
            [format!(
                "b/2024-01-01.csv, line 2, column 4 (`inwoners`): expected a whole number of inhabitants greater than zero, found `{bad}`"
            )],
            "{bad:?}"
        );
    }
}

#[test]
fn inhabitants_zero() {
    let csv = format!("{HEADER}GM0001,Aa,Utrecht,0\nGM0002,Bb,Fryslân,30\n");
    assert_eq!(
        problems(&csv, META),
        [
            "b/2024-01-01.csv, line 2, column 4 (`inwoners`): expected a number of inhabitants greater than zero, found 0"
        ]
    );
}

#[test]
fn wrong_number_of_fields() {
    let csv = format!("{HEADER}GM0001,Aa,Utrecht,10,extra\nGM0002,Bb,Fryslân,20\n");
    assert_eq!(
        problems(&csv, META),
        [
            "b/2024-01-01.csv, line 2: expected 4 fields (gemeentecode,gemeentenaam,provincie,inwoners), found 5"
        ]
    );
}

// ---- the metadata -------------------------------------------------------------

#[test]
fn stated_total_differs_from_the_sum() {
    let yaml = META.replace("totaal_nederland: 30", "totaal_nederland: 31");
    let err = parse(&format!("{HEADER}{ROWS}"), &yaml).unwrap_err();
    assert_eq!(
        err.problems()[0].kind,
        ProblemKind::Total {
            stated: 31,
            sum: 30,
            csv: "2024-01-01.csv".to_owned()
        }
    );
    assert_eq!(
        problems(&format!("{HEADER}{ROWS}"), &yaml),
        [
            "b/2024-01-01.yaml, line 2, column 19 (`totaal_nederland`): the stated national total is 31, but the municipalities in 2024-01-01.csv add up to 30 (a difference of 1)"
        ]
    );
}

#[test]
fn total_is_checked_even_when_other_fields_of_a_row_are_bad() {
    let yaml = META.replace("totaal_nederland: 30", "totaal_nederland: 40");
    let csv = format!("{HEADER}GM01,Aa,Utrecht,10\nGM0002,Bb,Fryslân,20\n");
    assert_eq!(problems(&csv, &yaml).len(), 2);
}

#[test]
fn stated_count_differs() {
    let yaml = META.replace("aantal_gemeenten: 2", "aantal_gemeenten: 3");
    assert_eq!(
        problems(&format!("{HEADER}{ROWS}"), &yaml),
        [
            "b/2024-01-01.yaml, line 3, column 19 (`aantal_gemeenten`): the stated number of municipalities is 3, but 2024-01-01.csv has 2"
        ]
    );
}

#[test]
fn peildatum_must_match_the_requested_year() {
    let yaml = META.replace("2024-01-01", "2024-07-01");
    assert_eq!(
        problems(&format!("{HEADER}{ROWS}"), &yaml),
        [
            "b/2024-01-01.yaml, line 1, column 12 (`peildatum`): expected peildatum 2024-01-01 (the file name), found `2024-07-01`"
        ]
    );
}

#[test]
fn total_not_a_number() {
    let yaml = META.replace("totaal_nederland: 30", "totaal_nederland: 17.942.942");
    assert_eq!(
        problems(&format!("{HEADER}{ROWS}"), &yaml),
        [
            "b/2024-01-01.yaml, line 2, column 19 (`totaal_nederland`): expected a whole number greater than zero (digits only), found `17.942.942`"
        ]
    );
}

#[test]
fn empty_source_text() {
    let yaml = META.replace("bron: CBS", "bron: \"  \"");
    assert_eq!(
        problems(&format!("{HEADER}{ROWS}"), &yaml),
        ["b/2024-01-01.yaml, line 4, column 7 (`bron`): expected a non-empty text"]
    );
}

#[test]
fn unknown_yaml_key() {
    let yaml = format!("{META}totaal: 30\n");
    assert_eq!(
        problems(&format!("{HEADER}{ROWS}"), &yaml),
        [
            "b/2024-01-01.yaml, line 6, column 1 (`totaal`): unknown key `totaal`, not a key at the top level of the file; the keys here are `peildatum`, `totaal_nederland`, `aantal_gemeenten`, `bron`, `provincies_bron`, `provincies_handmatig`"
        ]
    );
}

#[test]
fn duplicate_yaml_key() {
    let yaml = format!("{META}bron: CBS\n");
    assert_eq!(
        problems(&format!("{HEADER}{ROWS}"), &yaml),
        [
            "b/2024-01-01.yaml, line 6, column 1 (`bron`): the key `bron` appears twice here, expected each key once"
        ]
    );
}

#[test]
fn missing_yaml_key() {
    let yaml = META.replace("provincies_bron: test\n", "");
    let p = problems(&format!("{HEADER}{ROWS}"), &yaml);
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with("b/2024-01-01.yaml")
            && p[0].ends_with(
                "the key `provincies_bron` is missing, expected it at the top level of the file"
            ),
        "{}",
        p[0]
    );
}

#[test]
fn hand_filled_code_must_exist() {
    let yaml = format!("{META}provincies_handmatig: [GM0001, GM0009]\n");
    assert_eq!(
        problems(&format!("{HEADER}{ROWS}"), &yaml),
        [
            "b/2024-01-01.yaml, line 6, column 23 (`provincies_handmatig`): GM0009 is listed as hand-filled but is not a municipality in 2024-01-01.csv"
        ]
    );
}

#[test]
fn problems_of_both_files_are_reported_together() {
    let csv = format!("{HEADER}GM0001,Aa,Utrecht,x\nGM0002,Bb,Fryslân,20\n");
    let yaml = META.replace("bron: CBS", "bron: ''");
    assert_eq!(
        problems(&csv, &yaml),
        [
            "b/2024-01-01.csv, line 2, column 4 (`inwoners`): expected a whole number of inhabitants greater than zero, found `x`",
            "b/2024-01-01.yaml, line 4, column 7 (`bron`): expected a non-empty text",
        ]
    );
}

// ---- Provincie --------------------------------------------------------------

#[test]
fn provinces_parse_by_official_name_and_sort_in_the_fixed_order() {
    let names: Vec<&str> = Provincie::ALLE.iter().map(|p| p.naam()).collect();
    assert_eq!(
        names,
        [
            "Groningen",
            "Fryslân",
            "Drenthe",
            "Overijssel",
            "Flevoland",
            "Gelderland",
            "Utrecht",
            "Noord-Holland",
            "Zuid-Holland",
            "Zeeland",
            "Noord-Brabant",
            "Limburg"
        ]
    );
    let mut sorted = Provincie::ALLE;
    sorted.sort();
    assert_eq!(sorted, Provincie::ALLE);
    for p in Provincie::ALLE {
        assert_eq!(p.naam().parse::<Provincie>(), Ok(p));
    }
    assert!("Friesland".parse::<Provincie>().is_err());
    assert_eq!(
        Provincie::suggestie("noord holland"),
        Some(Provincie::NoordHolland)
    );
}
