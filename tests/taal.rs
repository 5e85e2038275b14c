//! Language rules over every generated document: the errors a policy advisor found in
//! the memos (issue 15) never come back, for the example periods and for many
//! variations of them (counts of 0, 1, 2, 20 and 21 months, rising and falling
//! backlogs, a taakstelling at either end of and outside the bandwidth, concept and
//! definitief, the optional figures shown) and the synthetic periods of the benchmarks.
//!
//! The rules are data ([`REGELS`]): a pattern, where it applies, how a match is
//! judged, and why it is wrong. Add a rule by adding a row. A few rules need the
//! document's structure or its figures and are functions below the table.

mod common;
#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::fs;
use std::path::{Path, PathBuf};

use common::{copy_dir, repo, run, stderr, tmp};
use regex::Regex;

/// Where a rule looks.
#[derive(Clone, Copy)]
enum Bereik {
    /// Running text: not headings, captions, table rows, images or the header list.
    Proza,
    /// Every line, tables included.
    Alles,
}

/// How a match is judged.
#[derive(Clone, Copy)]
enum Controle {
    /// Every match is an error.
    Fout,
    /// Group 1 is a figure after "circa": it must be rounded (a multiple of 100
    /// from 1.000 on, of 10 below).
    Afgerond,
    /// Group 1 is a year described in the past tense: it must be over at the
    /// document's peilmoment.
    Voorbij,
    /// A match that lacks this text is an error.
    Mist(&'static str),
}

struct Regel {
    naam: &'static str,
    patroon: &'static str,
    bereik: Bereik,
    controle: Controle,
    reden: &'static str,
}

/// The rules. Patterns are Rust regexes, case-sensitive unless they say `(?i)`.
const REGELS: &[Regel] = &[
    Regel {
        naam: "enkelvoud-meervoud",
        patroon: r"\b1 (?:maanden|perioden|jaren|weken|plekken|gemeenten|afspraken|inwilligingen)\b",
        bereik: Bereik::Alles,
        controle: Controle::Fout,
        reden: "one takes the singular: \"1 maand\", never \"1 maanden\"",
    },
    Regel {
        naam: "meervoud-enkelvoud",
        patroon: r"\b(?:0|[2-9]|[1-9]\d+) (?:maand|periode)\b",
        bereik: Bereik::Alles,
        controle: Controle::Fout,
        reden: "more than one takes the plural: \"2 maanden\"",
    },
    Regel {
        naam: "overige-getal",
        patroon: r"\boverige \d+ maand",
        bereik: Bereik::Alles,
        controle: Controle::Fout,
        reden: "\"de overige maand\" or \"de overige vijf maanden\", never \"de overige 1 maand\"",
    },
    Regel {
        naam: "haakjes-meervoud",
        patroon: r"\w\((?:en|n|s)\)",
        bereik: Bereik::Alles,
        controle: Controle::Fout,
        reden: "no \"maand(en)\": the engine knows the count, so the text agrees with it",
    },
    Regel {
        naam: "telwoord-in-lopende-tekst",
        patroon: r"\b(?:[Ii]n|[Vv]an|[Vv]oor) (?:[1-9]|1\d|20) (?:perioden?|maanden?|jaren?)\b",
        bereik: Bereik::Proza,
        controle: Controle::Fout,
        reden: "a small count in running text is a word: \"in vijf maanden\", \"van één periode\"",
    },
    Regel {
        naam: "circa-onafgerond",
        patroon: r"(?i)\b(?:circa|ca\.|ongeveer|zo'n) (?:\*\*)?(\d{1,3}(?:\.\d{3})*)\b",
        bereik: Bereik::Alles,
        controle: Controle::Afgerond,
        reden: "\"circa\" goes with a rounded figure only: \"circa 2.500\", never \"circa 2.503\"",
    },
    Regel {
        naam: "negatieve-achterstand",
        patroon: r"(?i)\bachterstand\b[^.]*?(?:circa|op|naar) (?:\*\*)?-\d",
        bereik: Bereik::Proza,
        controle: Controle::Fout,
        reden: "a negative backlog is an advance (voorsprong): say so, without a minus sign",
    },
    Regel {
        naam: "uitstroom-uit-op",
        patroon: r"\b(?:kwam|komt) (?:de uitstroom|zij)\b[^.]*?\bop circa\b",
        bereik: Bereik::Proza,
        controle: Controle::Mist("uit op circa"),
        reden: "the outflow \"komt uit op\" a figure: \"kwam de uitstroom ... op circa\" misses \"uit\"",
    },
    Regel {
        naam: "verleden-tijd-in-lopend-jaar",
        patroon: r"\b[Ii]n (\d{4}) (?:kwam|was|bedroeg|lag)\b",
        bereik: Bereik::Proza,
        controle: Controle::Voorbij,
        reden: "a year still running at the peilmoment is described in the present or future",
    },
    Regel {
        naam: "bedroeg-lopend-jaar",
        patroon: r"\bbedroeg\b(?:[^.]|\.\d)*\b(?:in|voor) (\d{4})\b",
        bereik: Bereik::Proza,
        controle: Controle::Voorbij,
        reden: "a year still running at the peilmoment is described in the present or future",
    },
    Regel {
        naam: "stijf",
        patroon: r"(?i)\b(?:vooruitkijkend|het geldende aantal \(na bijstelling|die termijn wordt (?:niet )?gehaald|de twaalf maanden achter scenario|ligt op de (?:onder|boven)kant|de oproep dringend)",
        bereik: Bereik::Alles,
        controle: Controle::Fout,
        reden: "a stiff phrase the schrijfwijzer names; say it plainly",
    },
    Regel {
        naam: "procent-in-proza",
        patroon: r"\d %",
        bereik: Bereik::Proza,
        controle: Controle::Fout,
        reden: "in running text \"5 procent\"; \"5 %\" only in tables",
    },
    Regel {
        naam: "geen-gereedschap",
        patroon: r"Opgesteld met taakstelling",
        bereik: Bereik::Proza,
        controle: Controle::Fout,
        reden: "no tool footer: provenance belongs in the Rekenverantwoording",
    },
    Regel {
        naam: "dubbele-spatie",
        patroon: r"\S  +\S",
        bereik: Bereik::Proza,
        controle: Controle::Fout,
        reden: "one space between words",
    },
    Regel {
        naam: "spatie-voor-leesteken",
        patroon: r"\w [,.;:](?:\s|$)",
        bereik: Bereik::Proza,
        controle: Controle::Fout,
        reden: "no space before a punctuation mark (usually an empty value in a sentence)",
    },
];

/// Proper names that may follow a colon with a capital.
const NAMEN: &[&str] = &[
    "Nidos",
    "COA",
    "IND",
    "CBS",
    "DRM",
    "HLRT",
    "LRT",
    "MPP",
    "MVV",
    "BAA",
    "Gedeputeerde",
    "Staatscourant",
    "Huisvestingswet",
    "Nederland",
    "Rijksoverheid",
];

/// One generated document: its path under the output and its text.
struct Document {
    pad: String,
    tekst: String,
    /// The peilmoment of its period (year, month, day); `None` for the index.
    peilmoment: Option<(i32, u32, u32)>,
}

/// A line that is running text.
fn is_proza(regel: &str) -> bool {
    let r = regel.trim_start_matches("> ").trim();
    !(r.is_empty()
        || r.starts_with('#')
        || r.starts_with('|')
        || r.starts_with("![")
        || r.starts_with("Tabel:")
        || r.starts_with("Grafiek ")
        || r.starts_with("- **")
        || r.starts_with("**"))
}

fn jaar_voorbij(jaar: i32, peil: (i32, u32, u32)) -> bool {
    peil.0 > jaar
}

fn afgerond(getal: &str) -> bool {
    let n: i64 = getal.replace('.', "").parse().unwrap_or(0);
    if n >= 1000 { n % 100 == 0 } else { n % 10 == 0 }
}

/// Every rule of the table over one document.
fn pas_regels_toe(doc: &Document, fouten: &mut Vec<String>) {
    let regels: Vec<(&Regel, Regex)> = REGELS
        .iter()
        .map(|r| (r, Regex::new(r.patroon).expect(r.naam)))
        .collect();
    for (nr, regel) in doc.tekst.lines().enumerate() {
        for (r, re) in &regels {
            if matches!(r.bereik, Bereik::Proza) && !is_proza(regel) {
                continue;
            }
            for c in re.captures_iter(regel) {
                let fout = match r.controle {
                    Controle::Fout => true,
                    Controle::Afgerond => !afgerond(&c[1]),
                    Controle::Mist(tekst) => !c[0].contains(tekst),
                    Controle::Voorbij => match doc.peilmoment {
                        Some(peil) => !jaar_voorbij(c[1].parse().unwrap(), peil),
                        None => false,
                    },
                };
                if fout {
                    fouten.push(format!(
                        "{}:{}: [{}] {:?}: {}",
                        doc.pad,
                        nr + 1,
                        r.naam,
                        &c[0],
                        r.reden
                    ));
                }
            }
        }
    }
}

/// The paragraphs of running text (list items each on their own).
fn alineas(tekst: &str) -> Vec<(usize, String)> {
    let mut uit = Vec::new();
    let mut huidig = String::new();
    let mut begin = 0;
    for (nr, regel) in tekst.lines().enumerate() {
        let nieuw_item = regel.starts_with("- ") || regel.starts_with("> - ");
        if regel.trim().is_empty() || nieuw_item || !is_proza(regel) {
            if !huidig.is_empty() {
                uit.push((begin, std::mem::take(&mut huidig)));
            }
            if !nieuw_item || !is_proza(regel) {
                continue;
            }
        }
        if huidig.is_empty() {
            begin = nr + 1;
        } else {
            huidig.push(' ');
        }
        huidig.push_str(regel.trim());
    }
    if !huidig.is_empty() {
        uit.push((begin, huidig));
    }
    uit
}

/// The first word of every municipality's name in the project's CBS tables: a list
/// after a colon may start with one ("artikel 29, tweede lid: Amsterdam +10").
fn gemeentenamen() -> &'static std::collections::BTreeSet<String> {
    static NAMEN: std::sync::OnceLock<std::collections::BTreeSet<String>> =
        std::sync::OnceLock::new();
    NAMEN.get_or_init(|| {
        let mut namen = std::collections::BTreeSet::new();
        for e in fs::read_dir(repo().join("inputs/bevolking")).unwrap() {
            let pad = e.unwrap().path();
            if pad.extension().is_some_and(|x| x == "csv") {
                let tekst = fs::read_to_string(&pad).unwrap();
                for regel in tekst.lines().skip(1) {
                    let naam = regel.split(',').nth(1).unwrap_or("");
                    if let Some(woord) = naam.split([' ', '-']).next() {
                        namen.insert(woord.to_string());
                    }
                }
            }
        }
        assert!(namen.len() > 300, "municipality names: {}", namen.len());
        namen
    })
}

/// Rules over whole paragraphs: no capital after a colon but for a name, no paragraph
/// ending on a colon, one term per meaning within a paragraph.
fn alinea_regels(doc: &Document, fouten: &mut Vec<String>) {
    let hoofdletter = Regex::new(r": (\p{Lu}[\p{L}-]*)").unwrap();
    for (nr, a) in alineas(&doc.tekst) {
        for c in hoofdletter.captures_iter(&a) {
            let woord = &c[1];
            let naam = NAMEN.contains(&woord)
                || gemeentenamen().contains(woord)
                || woord.chars().filter(|ch| ch.is_uppercase()).count() > 1;
            if !naam {
                fouten.push(format!(
                    "{}:{nr}: [hoofdletter-na-dubbele-punt] {:?}: after a colon a lower-case letter, unless a name follows",
                    doc.pad, &c[0]
                ));
            }
        }
        if a.trim_end().ends_with(':') && !AANHEF_VAN_BESLUIT.contains(&a.trim()) {
            fouten.push(format!(
                "{}:{nr}: [alinea-eindigt-op-dubbele-punt] {a:?}: a paragraph never ends on a colon",
                doc.pad
            ));
        }
        if a.contains("statushouders") && a.contains("vergunninghouders") {
            fouten.push(format!(
                "{}:{nr}: [een-term] {a:?}: statushouders and vergunninghouders in one paragraph",
                doc.pad
            ));
        }
    }
}

/// "deels geprojecteerd" only for a period with realised months: the memo's period
/// tables and the Rekenverantwoording name the period before it.
fn projectie_regel(doc: &Document, fouten: &mut Vec<String>) {
    let Some(peil) = doc.peilmoment else {
        return;
    };
    let re = Regex::new(r"(\d{4})-(I{1,2})\b[^;\n]*?\((deels )?geprojecteerd\)").unwrap();
    for (nr, regel) in doc.tekst.lines().enumerate() {
        for c in re.captures_iter(regel) {
            let jaar: i32 = c[1].parse().unwrap();
            let begin_maand = if &c[2] == "I" { 1 } else { 7 };
            // The outflow is realised up to the month before the peilmoment at most.
            let begin = (jaar, begin_maand);
            let eind = (jaar, begin_maand + 5);
            let peil_m = (peil.0, peil.1);
            let deels = c.get(3).is_some();
            if deels && peil_m <= begin {
                fouten.push(format!(
                    "{}:{}: [deels-geprojecteerd] {:?}: no month of {}-{} is realised at the peilmoment",
                    doc.pad,
                    nr + 1,
                    &c[0],
                    &c[1],
                    &c[2]
                ));
            }
            if peil_m > eind && !deels {
                // Wholly before the peilmoment: may be realised or partly projected
                // (outflow can lag), never wholly projected.
                fouten.push(format!(
                    "{}:{}: [geprojecteerd] {:?}: {}-{} lies before the peilmoment",
                    doc.pad,
                    nr + 1,
                    &c[0],
                    &c[1],
                    &c[2]
                ));
            }
        }
    }
}

/// The fixed words of a decision's form that stand alone and end on a colon, as
/// every bekendmaking in the Staatscourant has them (Aanwijzingen voor de
/// regelgeving): the operative part follows on its own line.
const AANHEF_VAN_BESLUIT: &[&str] = &["Maakt bekend:", "Besluit:"];

fn controleer(docs: &[Document]) -> Vec<String> {
    let mut fouten = Vec::new();
    for d in docs {
        pas_regels_toe(d, &mut fouten);
        alinea_regels(d, &mut fouten);
        projectie_regel(d, &mut fouten);
    }
    fouten
}

fn peilmoment_van(invoer: &str) -> Option<(i32, u32, u32)> {
    let re = Regex::new(r"(?m)^peilmoment: (\d{4})-(\d{2})-(\d{2})").unwrap();
    let c = re.captures(invoer)?;
    Some((c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?))
}

/// Every Markdown document of a build, with its period's peilmoment.
fn documenten(project: &Path) -> Vec<Document> {
    let mut uit = Vec::new();
    for e in walkdir::WalkDir::new(project.join("output")).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let pad = e
            .path()
            .strip_prefix(project)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let periode = e
            .path()
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n != "output");
        let peilmoment = periode.and_then(|p| {
            fs::read_to_string(project.join("inputs").join(format!("{p}.yaml")))
                .ok()
                .and_then(|t| peilmoment_van(&t))
        });
        uit.push(Document {
            pad,
            tekst: fs::read_to_string(e.path()).unwrap(),
            peilmoment,
        });
    }
    uit
}

fn bouw(project: &Path) {
    let o = run(project, &["build"]);
    assert!(o.status.success(), "{}: {}", project.display(), stderr(&o));
}

/// A project with only `2025-I.yaml` (edited by `wijzig`) and the population.
fn variant(naam: &str, wijzig: &dyn Fn(String) -> String) -> PathBuf {
    let d = tmp(&format!("taal-{naam}"));
    common::bevolking(&d.join("inputs"));
    let tekst = fs::read_to_string(repo().join("inputs/2025-I.yaml")).unwrap();
    fs::write(d.join("inputs/2025-I.yaml"), wijzig(tekst)).unwrap();
    d
}

fn vervang(tekst: String, van: &str, naar: &str) -> String {
    assert!(tekst.contains(van), "the reference input lacks {van:?}");
    tekst.replacen(van, naar, 1)
}

/// The taakstelling at `t`, with a reason when it lies outside the bandwidth.
fn taakstelling(tekst: String, t: i64, buiten: bool) -> String {
    let reden = if buiten {
        "\n  reden_buiten_bandbreedte: Zo blijft er ruimte voor de achterstand van de vorige periode."
    } else {
        ""
    };
    vervang(
        tekst,
        "  taakstelling: 17700\n",
        &format!("  taakstelling: {t}{reden}\n"),
    )
}

/// Grants for three more months before the series, so that scenario 1 can average
/// up to 21 months.
fn langere_reeks(tekst: String) -> String {
    vervang(
        tekst,
        "    - { maand: 2023-03, aantal: 2410 }\n",
        "    - { maand: 2022-12, aantal: 2300 }\n    - { maand: 2023-01, aantal: 2350 }\n    - { maand: 2023-02, aantal: 2330 }\n    - { maand: 2023-03, aantal: 2410 }\n",
    )
}

fn scenario_1(maanden: u32) -> impl Fn(String) -> String {
    move |t| {
        let t = langere_reeks(t);
        let t = vervang(
            t,
            "scenario_1:\n  maanden: 12",
            &format!("scenario_1:\n  maanden: {maanden}"),
        );
        // Keep the taakstelling in the bandwidth: within 13.000 to 23.800 whatever
        // scenario 1 gives, with a reason when it falls outside.
        taakstelling(t, 17_700, true)
    }
}

fn venster(van: &str, tot: &str) -> impl Fn(String) -> String {
    let (van, tot) = (van.to_string(), tot.to_string());
    move |t| {
        vervang(
            t,
            "    van: 2024-04\n    tot_en_met: 2024-09",
            &format!("    van: {van}\n    tot_en_met: {tot}"),
        )
    }
}

/// The outflow of 2024 realised up to `tot` (a month of 2024) only.
fn uitstroom_tot(tot: u32) -> impl Fn(String) -> String {
    move |mut t| {
        for m in (tot + 1)..=8 {
            let re =
                Regex::new(&format!(r"    - \{{ maand: 2024-{m:02}, aantal: \d+ \}}\n")).unwrap();
            // The outflow months come after the grants: replace the last match.
            let laatste = re.find_iter(&t).last().map(|m| m.range()).unwrap();
            t.replace_range(laatste, "");
        }
        t
    }
}

/// A backlog that falls: the outflow of 2024 well above the taakstelling (the grants
/// of those months have other figures, so each replacement hits the outflow).
fn dalende_achterstand(mut t: String) -> String {
    for (m, oud) in [
        (1, 2380),
        (2, 2450),
        (3, 2560),
        (4, 2490),
        (5, 2610),
        (6, 2470),
        (7, 2520),
        (8, 2540),
    ] {
        t = vervang(
            t,
            &format!("{{ maand: 2024-{m:02}, aantal: {oud} }}"),
            &format!("{{ maand: 2024-{m:02}, aantal: {} }}", oud + 1500),
        );
    }
    t
}

#[test]
fn the_rules_catch_the_errors_of_issue_15() {
    // Each rule fires on the sentence that was wrong, so a rule that can never fail
    // is found here.
    let fout = |tekst: &str, peil: Option<(i32, u32, u32)>| {
        controleer(&[Document {
            pad: "proef.md".into(),
            tekst: tekst.into(),
            peilmoment: peil,
        }])
    };
    let peil = Some((2024, 9, 1));
    for zin in [
        "Voor de overige 1 maand worden 2.900 inwilligingen per maand verwacht.",
        "De prognose (1 maanden × 2.900) telt mee.",
        "Van 1 periode is het aantal niet bekend.",
        "Van oktober tot en met maart zijn in 5 maanden 12.250 inwilligingen gerealiseerd.",
        "In 4 perioden is de taakstelling bijgesteld.",
        "Bij het huidige huisvestingstempo van circa 2.503 per maand loopt zij op.",
        "Zo'n buffer is wenselijk: Vooraf is niet bekend hoeveel personen een inwilliging krijgen.",
        "Zo'n buffer is wenselijk:",
        "In 2023 kwam de uitstroom van statushouders uit de opvang naar huisvesting op circa 30.000.",
        "De taakstelling bedroeg 38.800 in 2023 en 35.750 in 2024.",
        "Dat aantal ligt op de onderkant van de bandbreedte.",
        "Vooruitkijkend werkt Nidos toe naar 3.500 plekken.",
        "Daarom is de oproep dringend om plekken te behouden.",
        "De statushouders in de opvang zijn vergunninghouders.",
        "| 2025-II | 13.000 | 13.500 (deels geprojecteerd) | 13.480 (geprojecteerd) |",
        "Er is een marge van 5 % afgesproken.",
        "Opgesteld met taakstelling 0.1.0 uit de invoer.",
        "Het aantal maand(en) is bekend.",
        "De achterstand daalt naar circa **-5.500** aan het eind van 2024.",
    ] {
        assert!(!fout(zin, peil).is_empty(), "no rule catches {zin:?}");
    }
    for zin in [
        "Voor de overige maand worden 2.900 inwilligingen verwacht.",
        "In 2023 kwam de uitstroom uit op circa 30.000; de achterstand loopt op naar circa 12.500.",
        "Bron: CBS. Capaciteit amv: Nidos en haar partners.",
        "| 2025-I | 15.000 | 13.500 (deels geprojecteerd) | 13.980 (geprojecteerd) |",
        "Er is een marge van 5 procent afgesproken.",
        "In vijf maanden zijn 12.250 inwilligingen gerealiseerd.",
    ] {
        let f = fout(&format!("{zin}\n"), Some((2025, 3, 1)));
        assert!(f.is_empty(), "{zin:?} is right but {f:?}");
    }
}

fn geen_fouten(projecten: &[PathBuf]) {
    let mut fouten = Vec::new();
    let mut aantal = 0;
    for p in projecten {
        let docs = documenten(p);
        assert!(!docs.is_empty(), "{}: no documents", p.display());
        aantal += docs.len();
        fouten.extend(controleer(&docs));
    }
    assert!(aantal > 0);
    assert!(
        fouten.is_empty(),
        "{} language error(s) in {aantal} documents:\n{}",
        fouten.len(),
        fouten.join("\n")
    );
    for p in projecten {
        let _ = fs::remove_dir_all(p);
    }
}

#[test]
fn the_example_periods_follow_the_rules() {
    let d = tmp("taal-voorbeelden");
    copy_dir(&repo().join("inputs"), &d.join("inputs"));
    bouw(&d);
    geen_fouten(&[d]);
}

#[test]
fn variations_of_the_reference_period_follow_the_rules() {
    type Wijziging = Box<dyn Fn(String) -> String>;
    let varianten: Vec<(&str, Wijziging)> = vec![
        ("s1-1", Box::new(scenario_1(1))),
        ("s1-2", Box::new(scenario_1(2))),
        ("s1-20", Box::new(scenario_1(20))),
        ("s1-21", Box::new(scenario_1(21))),
        ("venster-0", Box::new(venster("2024-09", "2024-12"))),
        ("venster-1", Box::new(venster("2024-08", "2024-12"))),
        ("venster-2", Box::new(venster("2024-07", "2024-12"))),
        ("venster-6", Box::new(venster("2024-03", "2024-08"))),
        ("uitstroom-1", Box::new(uitstroom_tot(1))),
        ("uitstroom-2", Box::new(uitstroom_tot(2))),
        ("dalend", Box::new(dalende_achterstand)),
        (
            "voorsprong",
            Box::new(|t| {
                let t = dalende_achterstand(t);
                vervang(t, "achterstand: 6750", "achterstand: -500")
            }),
        ),
        ("bovenkant", Box::new(|t| taakstelling(t, 23_800, false))),
        ("binnen", Box::new(|t| taakstelling(t, 20_000, false))),
        ("onder", Box::new(|t| taakstelling(t, 16_000, true))),
        ("boven", Box::new(|t| taakstelling(t, 25_000, true))),
        (
            "concept-en-cijfers",
            Box::new(|t| {
                let t = vervang(t, "status: definitief", "status: concept");
                let t = vervang(t, "toon_buffer: false", "toon_buffer: true");
                vervang(t, "toon_evaluatiemarge: false", "toon_evaluatiemarge: true")
            }),
        ),
        (
            "historie",
            Box::new(|t| {
                // Two periods unknown (2015-II and 2020-II), one adjusted (2023-II).
                let t = vervang(
                    t,
                    "{ periode: 2020-II, eerst_bekendgemaakt: 6500, status",
                    "{ periode: 2020-II, status",
                );
                vervang(
                    t,
                    "eerst_bekendgemaakt: 8000, na_bijstelling: 6000",
                    "eerst_bekendgemaakt: 8000",
                )
            }),
        ),
        (
            "laat",
            Box::new(|t| {
                let t = vervang(
                    t,
                    "bekendmaking:\n  datum: 2024-10-01",
                    "bekendmaking:\n  datum: 2024-10-20",
                );
                let t = vervang(
                    t,
                    "circulaire:\n  datum: 2024-10-03",
                    "circulaire:\n  datum: 2024-10-22",
                );
                vervang(t, "  agendapunt: \"3\"\n", "")
            }),
        ),
    ];
    let mut projecten = Vec::new();
    for (naam, wijzig) in &varianten {
        let d = variant(naam, wijzig.as_ref());
        bouw(&d);
        projecten.push(d);
    }
    geen_fouten(&projecten);
}

#[test]
fn synthetic_periods_follow_the_rules() {
    let d = tmp("taal-synthetisch");
    synthetic::write(&synthetic::Options {
        perioden: 6,
        out: d.join("inputs"),
        inputs: repo().join("inputs"),
        seed: 11,
        venster_jaren: None,
    })
    .unwrap_or_else(|e| panic!("generator: {e}"));
    bouw(&d);
    let n = documenten(&d)
        .iter()
        .filter(|x| x.pad.ends_with("/notitie.md"))
        .count();
    assert_eq!(n, 6, "a memo per period");
    geen_fouten(&[d]);
}
