//! End-to-end: the publication documents of a period (the bekendmaking, the
//! circulaire with Bijlage A and `verdeling.csv`), built by the real binary from the
//! example inputs and from variations of them.

mod common;
use common::{copy_dir, edit, project_with_inputs, repo, run, stderr};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "taakstelling-publicatie-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn build(dir: &Path) {
    let o = run(dir, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn read(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join("output").join(file)).unwrap()
}

/// One row of `verdeling.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rij {
    code: String,
    naam: String,
    provincie: String,
    inwoners: u64,
    taakstelling: u64,
}

/// Reads `verdeling.csv`, checking the format a Dutch spreadsheet needs on the way.
fn verdeling(dir: &Path, periode: &str) -> Vec<Rij> {
    let bytes = fs::read(dir.join("output").join(periode).join("verdeling.csv")).unwrap();
    let text = bytes
        .strip_prefix(BOM)
        .expect("verdeling.csv starts with a UTF-8 byte order mark");
    let text = std::str::from_utf8(text).unwrap();
    assert!(text.ends_with("\r\n"), "records end in CRLF");
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "every line ends in CRLF"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers[..5],
        [
            "gemeentecode",
            "gemeentenaam",
            "provincie",
            "inwoners",
            "taakstelling"
        ]
    );
    // A period with a bijstelling (2025-I) adds the new number and the difference.
    assert!(
        headers.len() == 5
            || headers[5..] == ["taakstelling_na_bijstelling", "verschil_bijstelling"],
        "{headers:?}"
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Rij {
                code: r[0].to_string(),
                naam: r[1].to_string(),
                provincie: r[2].to_string(),
                inwoners: r[3].parse().unwrap(),
                taakstelling: r[4].parse().unwrap(),
            }
        })
        .collect()
}

fn per_code(rijen: &[Rij]) -> BTreeMap<String, Rij> {
    rijen.iter().map(|r| (r.code.clone(), r.clone())).collect()
}

fn totaal(rijen: &[Rij]) -> u64 {
    rijen.iter().map(|r| r.taakstelling).sum()
}

/// A number as the documents write it (`17.870`), read back.
fn getal(cel: &str) -> i64 {
    cel.trim()
        .trim_matches('*')
        .replace('.', "")
        .parse()
        .unwrap_or_else(|_| panic!("{cel:?}"))
}

/// Bijlage A of a circulaire adds up: in every province table the municipalities
/// add up to the province's total row, and the province totals add up to the
/// national total, which is `totaal`. The taakstelling is the last column but the
/// optional ones; here (no optional columns) the third.
fn assert_bijlage_a_sums(circ: &str, totaal: i64) {
    let bijlage = &circ[circ.find("## Bijlage A").expect("Bijlage A")..];
    let mut provincies = 0;
    let mut som_provincies = 0;
    let mut som = 0;
    for regel in bijlage
        .lines()
        .filter(|r| r.starts_with("| ") && !r.starts_with("| ---"))
    {
        let cellen: Vec<&str> = regel.trim_matches('|').split('|').collect();
        if cellen[0].trim() == "Gemeente" || cellen[0].trim() == "Provincie" {
            continue;
        }
        if cellen[0].contains("**Totaal ") {
            assert_eq!(getal(cellen[2]), som, "{regel}");
            som_provincies += som;
            provincies += 1;
            som = 0;
        } else if cellen[0].contains("**Nederland**") {
            assert_eq!(getal(cellen[3]), som_provincies, "{regel}");
            assert_eq!(getal(cellen[3]), totaal);
        } else if cellen.len() == 3 {
            som += getal(cellen[2]);
        }
    }
    assert_eq!(provincies, 12);
}

/// ⌈vg × iG ÷ iN⌉, computed here independently of the engine.
fn art29(vg: u64, ig: u64, in_: u64) -> u64 {
    (u128::from(vg) * u128::from(ig)).div_ceil(u128::from(in_)) as u64
}

/// Every row of the CSV follows the formula with iN the sum of its inhabitants.
fn assert_formula(rijen: &[Rij], vg: u64) {
    let in_: u64 = rijen.iter().map(|r| r.inwoners).sum();
    for r in rijen {
        assert_eq!(r.taakstelling, art29(vg, r.inwoners, in_), "{}", r.naam);
    }
}

#[test]
fn both_periods_get_the_bekendmaking_the_circulaire_and_the_csv() {
    let d = project_with_inputs("documents");
    build(&d);
    for periode in ["2025-I", "2025-II"] {
        for file in [
            "bekendmaking.html",
            "bekendmaking.md",
            "bekendmaking.docx",
            "circulaire.html",
            "circulaire.md",
            "circulaire.docx",
            "verdeling.csv",
        ] {
            assert!(
                d.join("output").join(periode).join(file).is_file(),
                "{periode}/{file}"
            );
        }
    }

    let eerste = verdeling(&d, "2025-I");
    assert_eq!(eerste.len(), 342);
    assert_eq!(per_code(&eerste).len(), 342, "codes are unique");
    let amsterdam = &per_code(&eerste)["GM0363"];
    assert_eq!(
        (amsterdam.naam.as_str(), amsterdam.provincie.as_str()),
        ("Amsterdam", "Noord-Holland")
    );
    assert_eq!(amsterdam.taakstelling, 919);
    assert_eq!(totaal(&eerste), 17_870);
    assert_eq!(eerste.iter().map(|r| r.inwoners).sum::<u64>(), 17_942_942);
    assert_formula(&eerste, 17_700);
    assert!(
        eerste.iter().any(|r| r.naam == "Súdwest-Fryslân"),
        "UTF-8 names"
    );

    let tweede = verdeling(&d, "2025-II");
    assert_eq!(tweede.len(), 342);
    assert_eq!(totaal(&tweede), 13_164);
    assert_formula(&tweede, 13_000);

    let bk = read(&d, "2025-I/bekendmaking.md");
    for needle in [
        "# Bekendmaking taakstelling huisvesting vergunninghouders eerste helft van 2025",
        "- **Datum:** 1 oktober 2024",
        "- **Kenmerk:** 2024-0000123456",
        "De Minister van Asiel en Migratie,",
        "Gelet op artikel 29, eerste lid, onder a, van de Huisvestingswet 2014;",
        "Maakt bekend:",
        "moeten huisvesten, bedraagt 17.700 personen.",
        "Den Haag, 1 oktober 2024",
        "M.H.M. Faber-van de Klashorst",
        "## Toelichting",
        "van september 2023 tot en met augustus 2024 leidt tot 17.700 inwilligingen",
        "leidt tot 23.800",
        "aan de onderkant van de bandbreedte die deze twee ramingen vormen",
        "een achterstand op een eerdere taakstelling vervalt niet",
        "aantal inwoners van Nederland op 1 januari 2024",
    ] {
        assert!(bk.contains(needle), "bekendmaking.md lacks {needle:?}");
    }
    // The legal form: no municipal table, no formula, no worked example, no
    // paraphrase of articles 28 to 30.
    for absent in [
        "|",
        "⌈",
        "Amsterdam",
        "artikelen 28 tot en met 30",
        "Tabel:",
    ] {
        assert!(!bk.contains(absent), "bekendmaking.md has {absent:?}");
    }

    let circ = read(&d, "2025-I/circulaire.md");
    for needle in [
        "- **Aan:** de colleges van burgemeester en wethouders",
        "- **In afschrift aan:** de Commissarissen van de Koning en Gedeputeerde Staten van alle provincies",
        "- **Kenmerk:** 2024-0000123457",
        "Geacht college,",
        "tezamen 17.700 vergunninghouders huisvesten",
        "op 1 oktober 2024 bekendgemaakt in de Staatscourant",
        "van september 2023 tot en met augustus 2024",
        "Een achterstand op de taakstelling van een eerdere periode blijft bestaan",
        "begin februari 2025 gedeeld",
        "voor de periode 2025-II",
        "Hoogachtend,",
        "## Bijlage A. Taakstelling per gemeente, eerste helft van 2025",
        "| Amsterdam | 931.298 | 919 |",
        "| **Totaal Noord-Holland** | **2.976.487** | **2.958** |",
        "| **Nederland** | **342** | **17.942.942** | **17.870** |",
        "[verdeling.csv](verdeling.csv)",
    ] {
        assert!(circ.contains(needle), "circulaire.md lacks {needle:?}");
    }
    // One voice: the minister writes, and never sends the colleges elsewhere for their number.
    for absent in ["staatscourant.md", "Geachte dames en heren"] {
        assert!(!circ.contains(absent), "circulaire.md has {absent:?}");
    }
    assert_eq!(
        circ.matches("\n### ").count(),
        13,
        "a table per province and the totals"
    );
    assert_bijlage_a_sums(&circ, 17_870);
    assert_bijlage_a_sums(&read(&d, "2025-II/circulaire.md"), 13_164);
    let circ_html = read(&d, "2025-I/circulaire.html");
    assert!(circ_html.contains("<h3 id=\"noord-holland\">Noord-Holland</h3>"));
    assert!(circ_html.contains("<a href=\"#fryslân\">Fryslân</a>"));
    assert_eq!(
        circ_html.matches("class=\"pagina-einde\"").count(),
        1,
        "Bijlage A starts on a new page, and no page per province"
    );

    let memo = read(&d, "2025-I/notitie.md");
    assert!(memo.contains("## Bijlage 5: Verdeling over de gemeenten"));
    assert!(memo.contains("samen **17.870** vergunninghouders toegewezen, 170 meer"));
    assert!(memo.contains("bijlage A bij de [circulaire](circulaire.md)"));
    assert!(
        memo.contains("| Verdeling over de gemeenten |"),
        "appendix line"
    );
    let memo_html = read(&d, "2025-I/notitie.html");
    assert!(memo_html.contains("<a href=\"verdeling.csv\">verdeling.csv</a>"));
    assert!(memo_html.contains("<a href=\"circulaire.html\">circulaire</a>"));

    let memo2 = read(&d, "2025-II/notitie.md");
    assert!(memo2.contains("is de taakstelling 2025-I verlaagd van 17.700 naar 15.000"));
    assert!(memo2.contains("wat de bijstelling bevestigt"));
    assert!(memo2.contains("samen **13.164** vergunninghouders"));

    insta::assert_snapshot!("bekendmaking_2025_I_md", bk);
    insta::assert_snapshot!(
        "bekendmaking_2025_II_md",
        read(&d, "2025-II/bekendmaking.md")
    );
    insta::assert_snapshot!("circulaire_2025_I_md", circ);
    insta::assert_snapshot!("circulaire_2025_I_html", circ_html);
    insta::assert_snapshot!("circulaire_2025_II_md", read(&d, "2025-II/circulaire.md"));
    insta::assert_snapshot!("notitie_2025_II_md", memo2);
    // The CSV as text (byte order mark and CRLF are checked above).
    let csv = fs::read(d.join("output/2025-I/verdeling.csv")).unwrap();
    insta::assert_snapshot!(
        "verdeling_2025_I_csv",
        String::from_utf8(csv[BOM.len()..].to_vec())
            .unwrap()
            .replace("\r\n", "\n")
    );
}

#[test]
fn a_different_national_number_changes_every_row_by_the_formula() {
    let d = project_with_inputs("vg");
    build(&d);
    let voor = verdeling(&d, "2025-I");
    // 17.800 still lies within the bandwidth 17.700 to 23.800.
    edit(
        &d.join("inputs/2025-I.yaml"),
        "taakstelling: 17700",
        "taakstelling: 17800",
    );
    build(&d);
    let na = verdeling(&d, "2025-I");
    assert_formula(&na, 17_800);
    let in_: u64 = na.iter().map(|r| r.inwoners).sum();
    let mut gewijzigd = 0;
    for (v, n) in voor.iter().zip(&na) {
        assert_eq!(
            (&v.code, v.inwoners),
            (&n.code, n.inwoners),
            "same rows, same order"
        );
        let verwacht = art29(17_800, n.inwoners, in_) != art29(17_700, v.inwoners, in_);
        assert_eq!(v.taakstelling != n.taakstelling, verwacht, "{}", n.naam);
        gewijzigd += usize::from(verwacht);
    }
    assert!(
        gewijzigd > 50,
        "100 more people to distribute change many rows"
    );
    let som = totaal(&na);
    assert!((17_800..17_800 + 342).contains(&som));
    let circ = read(&d, "2025-I/circulaire.md");
    assert!(circ.contains(&format!("**{}.{:03}**", som / 1000, som % 1000)));
    assert_bijlage_a_sums(&circ, i64::try_from(som).unwrap());
    let bk = read(&d, "2025-I/bekendmaking.md");
    assert!(bk.contains("bedraagt 17.800 personen"));
    assert!(
        !bk.contains("17.700 personen"),
        "the old number is gone from the bekendmaking"
    );
}

/// Edits the population of one municipality in the population table.
fn set_inwoners(d: &Path, code: &str, from: u64, to: u64) {
    let csv = d.join("inputs/bevolking/2024-01-01.csv");
    let text = fs::read_to_string(&csv).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(code))
        .unwrap()
        .to_string();
    assert!(line.ends_with(&format!(",{from}")), "{line}");
    let new = format!("{}{to}", &line[..line.len() - from.to_string().len()]);
    edit(&csv, &line, &new);
}

#[test]
fn moving_inhabitants_between_two_municipalities_changes_only_their_rows() {
    let d = project_with_inputs("move");
    build(&d);
    let voor = verdeling(&d, "2025-I");
    // Amsterdam −2.000, Diemen +2.000: the national total and every other share stay.
    set_inwoners(&d, "GM0363", 931_298, 929_298);
    set_inwoners(&d, "GM0384", 32_977, 34_977);
    build(&d);
    let na = verdeling(&d, "2025-I");
    assert_formula(&na, 17_700);
    let gewijzigd: Vec<(&str, u64, u64)> = voor
        .iter()
        .zip(&na)
        .filter(|(v, n)| v != n)
        .map(|(v, n)| (n.naam.as_str(), v.taakstelling, n.taakstelling))
        .collect();
    assert_eq!(gewijzigd, [("Amsterdam", 919, 917), ("Diemen", 33, 35)]);
}

#[test]
fn a_larger_population_changes_its_row_and_the_rows_the_formula_says() {
    let d = project_with_inputs("grow");
    build(&d);
    let voor = verdeling(&d, "2025-I");
    let memo_voor = read(&d, "2025-I/notitie.md");
    set_inwoners(&d, "GM0088", 972, 1_972);
    edit(
        &d.join("inputs/bevolking/2024-01-01.yaml"),
        "totaal_nederland: 17942942",
        "totaal_nederland: 17943942",
    );
    build(&d);
    let na = verdeling(&d, "2025-I");
    assert_formula(&na, 17_700);
    let schier = &per_code(&na)["GM0088"];
    assert_eq!(
        (schier.inwoners, schier.taakstelling),
        (1_972, 2),
        "Schiermonnikoog: ⌈17.700 × 1.972 ÷ 17.943.942⌉ = 2"
    );
    for (v, n) in voor.iter().zip(&na) {
        let verwacht =
            art29(17_700, n.inwoners, 17_943_942) != art29(17_700, v.inwoners, 17_942_942);
        assert_eq!(v.taakstelling != n.taakstelling, verwacht, "{}", n.naam);
    }
    let memo = read(&d, "2025-I/notitie.md");
    assert!(memo.contains("| **Nederland** | **342** | **17.943.942** |"));
    assert_ne!(memo, memo_voor);
    // The memo's other figures do not depend on the population.
    let zonder_verdeling =
        |m: &str| m[..m.find("## Bijlage 5: Verdeling over de gemeenten").unwrap()].to_string();
    assert_eq!(zonder_verdeling(&memo), zonder_verdeling(&memo_voor));
}

#[test]
fn a_distribution_error_names_the_line_and_field_and_writes_nothing() {
    let d = project_with_inputs("unknown-code");
    let input = d.join("inputs/2025-I.yaml");
    edit(
        &input,
        "  herverdelingen: []",
        "  herverdelingen:\n    - omschrijving: Afspraak\n      mutaties:\n        - { gemeente: GM0362, verschil: 5 }\n        - { gemeente: GM9999, verschil: -5 }",
    );
    let text = fs::read_to_string(&input).unwrap();
    let line = text.lines().position(|l| l.contains("GM9999")).unwrap() + 1;
    let o = run(&d, &["build"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("inputs/2025-I.yaml:{line}:23")),
        "{err}"
    );
    assert!(
        err.contains("verdeling.herverdelingen[0].mutaties[1].gemeente"),
        "{err}"
    );
    assert!(err.contains("GM9999 is not a municipality"), "{err}");
    assert!(!d.join("output").exists());
    // `check` finds it too.
    assert_eq!(run(&d, &["check"]).status.code(), Some(1));
}

#[test]
fn missing_population_data_is_an_error_that_names_the_file() {
    let d = project_with_inputs("no-population");
    fs::remove_file(d.join("inputs/bevolking/2024-01-01.csv")).unwrap();
    let o = run(&d, &["build", "2025-II"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("period 2025-II"), "{err}");
    assert!(err.contains("1 January 2024"), "{err}");
    assert!(err.contains("2024-01-01.csv"), "{err}");
    assert!(!d.join("output").exists());
}

#[test]
fn the_population_is_read_from_the_inputs_folder_given() {
    let d = tmp("inputs-flag");
    copy_dir(&repo().join("inputs"), &d.join("elders"));
    let o = run(&d, &["build", "--inputs", "elders", "2025-I"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(totaal(&verdeling(&d, "2025-I")), 17_870);
}
