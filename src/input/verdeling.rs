//! The `verdeling` section of a period file (the distribution decisions of
//! Huisvestingswet 2014 art. 29 and 30), validated into a [`VerdelingInput`],
//! the input of the distribution engine (`engine::verdeling`).
//!
//! Everything that can be checked without the population table is checked here,
//! with the place in the file: codes, counts, texts, duplicates, and that an
//! agreement between municipalities keeps the sum. What needs the population
//! (is a code a municipality of the peildatum?) is checked by the engine; its
//! findings point back into the file through [`super::Invoer::posities`], which
//! this module fills for every field of the section.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_saphyr::{Location, Spanned};

use super::bevolking::{Provincie, is_gemeentecode};
use super::fout::{Fouten, Pos};
use super::samenhang::{MAX_AANTAL, MAX_INWONERS, VERSCHIL, bereik};
use super::schema;

/// Everything the distribution needs besides the population table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerdelingInput {
    /// The national taakstelling as announced (the headline number).
    pub landelijke_taakstelling: u64,
    /// When the number distributed differs from the headline number.
    pub correctie: Option<Correctie>,
    /// Art. 30: populations set by Gedeputeerde Staten for merged municipalities.
    pub bevolking_vaststellingen: Vec<BevolkingVaststelling>,
    /// Art. 29 lid 2: agreements between municipalities to redistribute.
    pub herverdelingen: Vec<Herverdeling>,
    /// Backlog (positive) or advance (negative) per municipality from the
    /// previous period. When empty there is no backlog column; otherwise a
    /// municipality that is not listed has 0.
    pub achterstanden: Vec<Achterstand>,
}

/// The number distributed is the headline number plus `verschil`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correctie {
    /// Distributed minus headline; not 0.
    pub verschil: i64,
    /// Why the numbers differ (shown in the documents); not empty.
    pub reden: String,
}

/// Art. 30: the population Gedeputeerde Staten set for a municipality merged on
/// 1 January of the taakstelling year.
///
/// The municipality `code` takes the place of the municipalities in `vervangt`
/// and, if `code` itself is in the population table (a municipality that
/// absorbed others and kept its code), of that row too. With an empty
/// `vervangt` and an existing `code` this simply replaces its population.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BevolkingVaststelling {
    /// The code of the merged municipality.
    pub code: String,
    /// Required when `code` is not in the population table; otherwise the
    /// table's name is used unless given.
    pub naam: Option<String>,
    /// As `naam`.
    pub provincie: Option<Provincie>,
    /// The population set by Gedeputeerde Staten; greater than 0.
    pub inwoners: u64,
    /// The codes (in the population table) of the municipalities merged into `code`.
    pub vervangt: Vec<String>,
    /// The decision of Gedeputeerde Staten (reference, date); not empty.
    pub reden: String,
}

/// Art. 29 lid 2: an agreement between two or more municipalities to shift
/// numbers between them. The `verschil`s must add up to zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Herverdeling {
    /// What was agreed, by whom and when; not empty.
    pub omschrijving: String,
    pub mutaties: Vec<Mutatie>,
}

/// One municipality's change in a [`Herverdeling`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mutatie {
    pub code: String,
    /// Added to the municipality's taakstelling (negative: taken off).
    pub verschil: i64,
}

/// A municipality's backlog (positive) or advance (negative) from the previous
/// period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Achterstand {
    pub code: String,
    pub aantal: i64,
}

/// Records where a field stands, for engine findings about it.
fn onthoud(posities: &mut BTreeMap<String, Pos>, veld: &str, loc: &Location) {
    if let Some(p) = Pos::of(loc) {
        posities.insert(veld.to_string(), p);
    }
}

fn gemeentecode(f: &mut Fouten, v: &Spanned<String>, veld: &str) -> bool {
    let ok = is_gemeentecode(&v.value);
    if !ok {
        f.at(
            &v.referenced,
            veld,
            format!(
                "found {:?}{} expected a CBS municipality code: GM followed by four digits (for example GM0363)",
                v.value,
                super::tekens::uitleg(&v.value)
                    .map(|u| format!(", which {u};"))
                    .unwrap_or_else(|| ",".to_string())
            ),
        );
    }
    ok
}

fn tekst(f: &mut Fouten, v: &Spanned<String>, veld: &str, verwacht: &str) {
    if v.value.trim().is_empty() {
        f.at(
            &v.referenced,
            veld,
            format!("found an empty text, expected {verwacht}"),
        );
    }
}

/// Validates the `verdeling` section; `taakstelling` is `besluit.taakstelling`
/// (the headline number) when it is valid itself.
pub(super) fn verdeling(
    f: &mut Fouten,
    raw: &schema::Verdeling,
    taakstelling: Option<i64>,
    posities: &mut BTreeMap<String, Pos>,
) -> VerdelingInput {
    let correctie = raw
        .correctie
        .as_ref()
        .map(|c| correctie(f, c, taakstelling, posities));
    // The number distributed, when it is known to be valid.
    let vg = match (&correctie, taakstelling) {
        (None, t) => t,
        (Some((c, true)), Some(t)) => Some(t + c.verschil),
        _ => None,
    };
    VerdelingInput {
        landelijke_taakstelling: taakstelling
            .and_then(|t| u64::try_from(t).ok())
            .unwrap_or(0),
        correctie: correctie.map(|(c, _)| c),
        bevolking_vaststellingen: vaststellingen(f, &raw.bevolking_vaststellingen, posities),
        herverdelingen: herverdelingen(f, &raw.herverdelingen, posities),
        achterstanden: achterstanden(f, &raw.achterstanden, vg, posities),
    }
}

/// The correction, and whether the number it leaves to distribute is valid.
fn correctie(
    f: &mut Fouten,
    c: &schema::Correctie,
    taakstelling: Option<i64>,
    posities: &mut BTreeMap<String, Pos>,
) -> (Correctie, bool) {
    const VELD: &str = "verdeling.correctie";
    onthoud(
        posities,
        &format!("{VELD}.verschil"),
        &c.verschil.referenced,
    );
    onthoud(posities, &format!("{VELD}.reden"), &c.reden.referenced);
    let verschil = c.verschil.value;
    let veld = format!("{VELD}.verschil");
    let mut geldig = false;
    if verschil == 0 {
        f.at(
            &c.verschil.referenced,
            &veld,
            "found 0, expected a correction other than 0 (without a correction, leave `correctie` out)",
        );
    } else if bereik(f, &c.verschil, &veld, VERSCHIL, "correction (either way)")
        && let Some(t) = taakstelling
    {
        // Both within ±MAX_AANTAL: the sum cannot overflow.
        let vg = t + verschil;
        if vg <= 0 {
            f.at(
                &c.verschil.referenced,
                &veld,
                format!(
                    "found {verschil}, which leaves {vg} to distribute from the taakstelling of {t}; expected a correction that leaves a positive number"
                ),
            );
        } else if vg > MAX_AANTAL {
            f.at(
                &c.verschil.referenced,
                &veld,
                format!(
                    "found {verschil}, which makes the number distributed {vg} (the taakstelling of {t} plus {verschil}); expected a correction that leaves at most {MAX_AANTAL}, the largest taakstelling accepted (is a digit too many?)"
                ),
            );
        } else {
            geldig = true;
        }
    }
    tekst(
        f,
        &c.reden,
        &format!("{VELD}.reden"),
        "the reason why the number distributed differs from the taakstelling",
    );
    (
        Correctie {
            verschil,
            reden: c.reden.value.clone(),
        },
        geldig,
    )
}

fn vaststellingen(
    f: &mut Fouten,
    rows: &[schema::BevolkingVaststelling],
    posities: &mut BTreeMap<String, Pos>,
) -> Vec<BevolkingVaststelling> {
    let mut eerder: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, v) in rows.iter().enumerate() {
        let veld = format!("verdeling.bevolking_vaststellingen[{i}]");
        let gemeente_loc = &v.gemeente.referenced;
        onthoud(posities, &format!("{veld}.gemeente"), gemeente_loc);
        onthoud(
            posities,
            &format!("{veld}.inwoners"),
            &v.inwoners.referenced,
        );
        onthoud(posities, &format!("{veld}.besluit"), &v.besluit.referenced);
        // A missing name or province is reported at the municipality's code.
        onthoud(
            posities,
            &format!("{veld}.naam"),
            v.naam.as_ref().map_or(gemeente_loc, |n| &n.referenced),
        );
        onthoud(
            posities,
            &format!("{veld}.provincie"),
            v.provincie.as_ref().map_or(gemeente_loc, |p| &p.referenced),
        );

        if gemeentecode(f, &v.gemeente, &format!("{veld}.gemeente"))
            && let Some(j) = eerder.insert(&v.gemeente.value, i)
        {
            f.at(
                gemeente_loc,
                format!("{veld}.gemeente"),
                format!(
                    "found {} again (also in verdeling.bevolking_vaststellingen[{j}]), expected each municipality once",
                    v.gemeente.value
                ),
            );
        }
        if let Some(naam) = &v.naam {
            let eerste = naam.value.chars().next();
            if naam.value.trim().is_empty() {
                tekst(
                    f,
                    naam,
                    &format!("{veld}.naam"),
                    "the name of the merged municipality",
                );
            } else if naam.value.trim() != naam.value
                || !eerste.is_some_and(|c| c.is_alphabetic() || c == '\'')
            {
                f.at(
                    &naam.referenced,
                    format!("{veld}.naam"),
                    format!(
                        "found {:?}, expected a municipality name that starts with a letter or an apostrophe, without surrounding spaces",
                        naam.value
                    ),
                );
            }
        }
        let provincie = v.provincie.as_ref().and_then(|p| {
            let found = Provincie::from_naam(&p.value);
            if found.is_none() {
                let hint = Provincie::suggestie(&p.value)
                    .map(|s| format!("; did you mean {:?}?", s.naam()))
                    .unwrap_or_default();
                f.at(
                    &p.referenced,
                    format!("{veld}.provincie"),
                    format!(
                        "found {:?}, expected one of the twelve provinces as officially written (Groningen, Fryslân, Drenthe, Overijssel, Flevoland, Gelderland, Utrecht, Noord-Holland, Zuid-Holland, Zeeland, Noord-Brabant, Limburg){hint}",
                        p.value
                    ),
                );
            }
            found
        });
        bereik(
            f,
            &v.inwoners,
            &format!("{veld}.inwoners"),
            (1, MAX_INWONERS),
            "number of inhabitants set by Gedeputeerde Staten",
        );
        let mut gezien = BTreeSet::new();
        for (j, r) in v.vervangt.iter().enumerate() {
            let rveld = format!("{veld}.vervangt[{j}]");
            onthoud(posities, &rveld, &r.referenced);
            if gemeentecode(f, r, &rveld) && !gezien.insert(r.value.as_str()) {
                f.at(
                    &r.referenced,
                    rveld,
                    format!(
                        "found {} twice, expected each merged municipality once",
                        r.value
                    ),
                );
            }
        }
        tekst(
            f,
            &v.besluit,
            &format!("{veld}.besluit"),
            "the decision of Gedeputeerde Staten (reference and date)",
        );
        out.push(BevolkingVaststelling {
            code: v.gemeente.value.clone(),
            naam: v.naam.as_ref().map(|n| n.value.clone()),
            provincie,
            inwoners: u64::try_from(v.inwoners.value).unwrap_or(0),
            vervangt: v.vervangt.iter().map(|r| r.value.clone()).collect(),
            reden: v.besluit.value.clone(),
        });
    }
    out
}

fn herverdelingen(
    f: &mut Fouten,
    rows: &[schema::Herverdeling],
    posities: &mut BTreeMap<String, Pos>,
) -> Vec<Herverdeling> {
    let mut out = Vec::with_capacity(rows.len());
    for (i, h) in rows.iter().enumerate() {
        let veld = format!("verdeling.herverdelingen[{i}]");
        onthoud(
            posities,
            &format!("{veld}.omschrijving"),
            &h.omschrijving.referenced,
        );
        // The agreement as a whole: at its first municipality, or its description.
        let mutaties_loc = h
            .mutaties
            .first()
            .map_or(&h.omschrijving.referenced, |m| &m.gemeente.referenced);
        onthoud(posities, &format!("{veld}.mutaties"), mutaties_loc);
        tekst(
            f,
            &h.omschrijving,
            &format!("{veld}.omschrijving"),
            "a description of the agreement (who agreed what, and when)",
        );
        if h.mutaties.len() < 2 {
            f.at(
                mutaties_loc,
                format!("{veld}.mutaties"),
                format!(
                    "found {} municipality(ies), expected two or more: an agreement shifts numbers between municipalities",
                    h.mutaties.len()
                ),
            );
        }
        let mut gezien = BTreeSet::new();
        let mut som: i128 = 0;
        for (j, m) in h.mutaties.iter().enumerate() {
            let mveld = format!("{veld}.mutaties[{j}]");
            onthoud(
                posities,
                &format!("{mveld}.gemeente"),
                &m.gemeente.referenced,
            );
            onthoud(
                posities,
                &format!("{mveld}.verschil"),
                &m.verschil.referenced,
            );
            if gemeentecode(f, &m.gemeente, &format!("{mveld}.gemeente"))
                && !gezien.insert(m.gemeente.value.as_str())
            {
                f.at(
                    &m.gemeente.referenced,
                    format!("{mveld}.gemeente"),
                    format!(
                        "found {} twice in one agreement, expected each municipality once",
                        m.gemeente.value
                    ),
                );
            }
            bereik(
                f,
                &m.verschil,
                &format!("{mveld}.verschil"),
                VERSCHIL,
                "change (either way)",
            );
            som += i128::from(m.verschil.value);
        }
        if h.mutaties.len() >= 2 && som != 0 {
            f.at(
                mutaties_loc,
                format!("{veld}.mutaties"),
                format!(
                    "the changes add up to {som:+}, expected 0: an agreement between municipalities (art. 29 lid 2) keeps the sum of their numbers"
                ),
            );
        }
        out.push(Herverdeling {
            omschrijving: h.omschrijving.value.clone(),
            mutaties: h
                .mutaties
                .iter()
                .map(|m| Mutatie {
                    code: m.gemeente.value.clone(),
                    verschil: m.verschil.value,
                })
                .collect(),
        });
    }
    out
}

/// The backlogs per municipality. Each lies within ±[`MAX_AANTAL`], and so does the
/// corrected taakstelling of the country: the number distributed (`vg`, when it is
/// valid) plus every backlog.
fn achterstanden(
    f: &mut Fouten,
    rows: &[schema::GemeenteAantal],
    vg: Option<i64>,
    posities: &mut BTreeMap<String, Pos>,
) -> Vec<Achterstand> {
    let mut eerder: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(rows.len());
    // The corrected national taakstelling so far; `None` once a backlog is invalid.
    let mut totaal = vg.map(i128::from);
    for (i, a) in rows.iter().enumerate() {
        let veld = format!("verdeling.achterstanden[{i}]");
        onthoud(
            posities,
            &format!("{veld}.gemeente"),
            &a.gemeente.referenced,
        );
        onthoud(posities, &format!("{veld}.aantal"), &a.aantal.referenced);
        if gemeentecode(f, &a.gemeente, &format!("{veld}.gemeente"))
            && let Some(j) = eerder.insert(&a.gemeente.value, i)
        {
            f.at(
                &a.gemeente.referenced,
                format!("{veld}.gemeente"),
                format!(
                    "found {} again (also in verdeling.achterstanden[{j}]), expected each municipality once",
                    a.gemeente.value
                ),
            );
        }
        let aantal_veld = format!("{veld}.aantal");
        if !bereik(
            f,
            &a.aantal,
            &aantal_veld,
            VERSCHIL,
            "backlog (or, negative, an advance)",
        ) {
            totaal = None;
        } else if let Some(t) = totaal.as_mut() {
            *t += i128::from(a.aantal.value);
            if t.abs() > i128::from(MAX_AANTAL) {
                let vg = vg.unwrap_or(0);
                f.at(
                    &a.aantal.referenced,
                    aantal_veld,
                    format!(
                        "found {}, which makes the corrected taakstelling of the country {t} (the number distributed, {vg}, plus the backlogs up to here); expected at most {MAX_AANTAL} either way (is a digit too many?)",
                        a.aantal.value
                    ),
                );
                totaal = None;
            }
        }
        out.push(Achterstand {
            code: a.gemeente.value.clone(),
            aantal: a.aantal.value,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Achterstand, Correctie, Mutatie};
    use crate::input::bevolking::Provincie;
    use crate::input::{InputErrors, Invoer, parse};

    const REFERENTIE: &str = include_str!("../../inputs/2025-I.yaml");

    /// The reference period with its `verdeling` section replaced by `sectie`.
    fn met_verdeling(sectie: &str) -> Result<Invoer, InputErrors> {
        let begin = REFERENTIE
            .find("\nverdeling:\n")
            .expect("the reference has a verdeling section");
        let tekst = format!("{}\n{sectie}", &REFERENTIE[..begin]);
        parse(Path::new("inputs/2025-I.yaml"), tekst)
    }

    /// `(field, location, message)` of every error.
    fn fouten(sectie: &str) -> Vec<(String, String, String)> {
        met_verdeling(sectie)
            .expect_err("the section is invalid")
            .errors
            .into_iter()
            .map(|e| (e.field, e.location, e.message))
            .collect()
    }

    /// The line in the file where `sectie` starts (the line of `verdeling:`).
    fn regel_van_sectie() -> usize {
        REFERENTIE[..REFERENTIE.find("\nverdeling:\n").unwrap()]
            .lines()
            .count()
            + 1
    }

    const LEEG: &str =
        "verdeling:\n  bevolking_vaststellingen: []\n  herverdelingen: []\n  achterstanden: []\n";

    #[test]
    fn the_reference_has_an_empty_distribution_section() {
        let invoer = met_verdeling(LEEG).unwrap();
        assert_eq!(invoer.verdeling.landelijke_taakstelling, 17_700);
        assert_eq!(invoer.verdeling.correctie, None);
        assert!(invoer.verdeling.bevolking_vaststellingen.is_empty());
        assert!(invoer.verdeling.herverdelingen.is_empty());
        assert!(invoer.verdeling.achterstanden.is_empty());
        let reference = parse(Path::new("inputs/2025-I.yaml"), REFERENTIE.to_string()).unwrap();
        assert_eq!(reference.verdeling, invoer.verdeling);
    }

    #[test]
    fn the_section_and_its_lists_are_required() {
        let zonder = &REFERENTIE[..REFERENTIE.find("\nverdeling:\n").unwrap()];
        let err = parse(Path::new("inputs/2025-I.yaml"), zonder.to_string()).unwrap_err();
        assert!(err.errors[0].message.contains("verdeling"), "{err:?}");
        let err =
            met_verdeling("verdeling:\n  bevolking_vaststellingen: []\n  herverdelingen: []\n")
                .unwrap_err();
        assert!(err.errors[0].message.contains("achterstanden"), "{err:?}");
        let err = met_verdeling(&format!("{LEEG}  herverdeling: []\n")).unwrap_err();
        assert!(err.errors[0].message.contains("herverdeling"), "{err:?}");
    }

    #[test]
    fn every_decision_maps_to_the_engine_input() {
        let invoer = met_verdeling(
            "verdeling:
  correctie: { verschil: -200, reden: Verrekening 2024-II }
  bevolking_vaststellingen:
    - gemeente: GM1999
      naam: Lekstroom
      provincie: Utrecht
      inwoners: 117000
      vervangt: [GM0321, GM0356]
      besluit: Besluit GS Utrecht van 1 juli 2024
  herverdelingen:
    - omschrijving: Afspraak Amstelveen en Ouder-Amstel
      mutaties:
        - { gemeente: GM0362, verschil: 5 }
        - { gemeente: GM0437, verschil: -5 }
  achterstanden:
    - { gemeente: GM0363, aantal: 120 }
    - { gemeente: GM0088, aantal: -2 }
",
        )
        .unwrap();
        let v = &invoer.verdeling;
        assert_eq!(
            v.correctie,
            Some(Correctie {
                verschil: -200,
                reden: "Verrekening 2024-II".into()
            })
        );
        let a30 = &v.bevolking_vaststellingen[0];
        assert_eq!(
            (
                a30.code.as_str(),
                a30.naam.as_deref(),
                a30.provincie,
                a30.inwoners
            ),
            (
                "GM1999",
                Some("Lekstroom"),
                Some(Provincie::Utrecht),
                117_000
            )
        );
        assert_eq!(a30.vervangt, ["GM0321", "GM0356"]);
        assert_eq!(a30.reden, "Besluit GS Utrecht van 1 juli 2024");
        assert_eq!(
            v.herverdelingen[0].mutaties,
            [
                Mutatie {
                    code: "GM0362".into(),
                    verschil: 5
                },
                Mutatie {
                    code: "GM0437".into(),
                    verschil: -5
                }
            ]
        );
        assert_eq!(
            v.achterstanden,
            [
                Achterstand {
                    code: "GM0363".into(),
                    aantal: 120
                },
                Achterstand {
                    code: "GM0088".into(),
                    aantal: -2
                }
            ]
        );
        // Engine findings can point at every field of the section.
        let start = regel_van_sectie() as u64;
        for (veld, regel) in [
            ("verdeling.correctie.verschil", start + 1),
            ("verdeling.bevolking_vaststellingen[0].gemeente", start + 3),
            (
                "verdeling.bevolking_vaststellingen[0].vervangt[1]",
                start + 7,
            ),
            ("verdeling.herverdelingen[0].mutaties", start + 12),
            (
                "verdeling.herverdelingen[0].mutaties[1].verschil",
                start + 13,
            ),
            ("verdeling.achterstanden[1].gemeente", start + 16),
        ] {
            assert_eq!(
                invoer.posities.get(veld).map(|p| p.line),
                Some(regel),
                "{veld}"
            );
        }
    }

    #[test]
    fn a_bad_code_names_the_field_and_its_line() {
        let f = fouten(&format!(
            "{}    - {{ gemeente: GM363, aantal: 1 }}\n",
            LEEG.replace("achterstanden: []", "achterstanden:")
        ));
        let regel = regel_van_sectie() + 4;
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "verdeling.achterstanden[0].gemeente");
        assert_eq!(f[0].1, format!("inputs/2025-I.yaml:{regel}:19"));
        assert!(f[0].2.contains("found \"GM363\""), "{}", f[0].2);
        assert!(f[0].2.contains("GM followed by four digits"), "{}", f[0].2);
    }

    #[test]
    fn correction_checks() {
        let sectie = |c: &str| format!("verdeling:\n  correctie: {c}\n{}", &LEEG[11..]);
        let f = fouten(&sectie("{ verschil: 0, reden: \" \" }"));
        let velden: Vec<&str> = f.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(
            velden,
            ["verdeling.correctie.verschil", "verdeling.correctie.reden"]
        );
        assert!(f[0].2.contains("leave `correctie` out"), "{}", f[0].2);
        let f = fouten(&sectie("{ verschil: -17700, reden: x }"));
        assert_eq!(f[0].0, "verdeling.correctie.verschil");
        assert!(f[0].2.contains("leaves 0 to distribute"), "{}", f[0].2);
        assert!(fouten(&sectie("{ verschil: 5 }"))[0].2.contains("reden"));
    }

    #[test]
    fn art30_checks() {
        let f = fouten(
            "verdeling:
  bevolking_vaststellingen:
    - gemeente: GM1999
      naam: \"=HYPERLINK(1)\"
      provincie: Friesland
      inwoners: 0
      vervangt: [GM0321, GM0321, X]
      besluit: \"\"
    - { gemeente: GM1999, inwoners: 5, besluit: b }
  herverdelingen: []
  achterstanden: []
",
        );
        let velden: Vec<&str> = f.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(
            velden,
            [
                "verdeling.bevolking_vaststellingen[0].naam",
                "verdeling.bevolking_vaststellingen[0].provincie",
                "verdeling.bevolking_vaststellingen[0].inwoners",
                "verdeling.bevolking_vaststellingen[0].vervangt[1]",
                "verdeling.bevolking_vaststellingen[0].vervangt[2]",
                "verdeling.bevolking_vaststellingen[0].besluit",
                "verdeling.bevolking_vaststellingen[1].gemeente",
            ]
        );
        assert!(f[1].2.contains("did you mean \"Fryslân\"?"), "{}", f[1].2);
        assert!(
            f[6].2
                .contains("also in verdeling.bevolking_vaststellingen[0]")
        );
    }

    #[test]
    fn an_agreement_must_keep_the_sum() {
        let f = fouten(
            "verdeling:
  bevolking_vaststellingen: []
  herverdelingen:
    - omschrijving: a
      mutaties:
        - { gemeente: GM0362, verschil: 5 }
        - { gemeente: GM0437, verschil: -4 }
    - omschrijving: \" \"
      mutaties:
        - { gemeente: GM0362, verschil: 0 }
    - omschrijving: c
      mutaties:
        - { gemeente: GM0362, verschil: 1 }
        - { gemeente: GM0362, verschil: -1 }
  achterstanden:
    - { gemeente: GM0363, aantal: 1 }
    - { gemeente: GM0363, aantal: 2 }
",
        );
        let velden: Vec<&str> = f.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(
            velden,
            [
                "verdeling.herverdelingen[0].mutaties",
                "verdeling.herverdelingen[1].omschrijving",
                "verdeling.herverdelingen[1].mutaties",
                "verdeling.herverdelingen[2].mutaties[1].gemeente",
                "verdeling.achterstanden[1].gemeente",
            ]
        );
        assert!(f[0].2.contains("add up to +1, expected 0"), "{}", f[0].2);
        let regel = regel_van_sectie() + 5;
        assert!(f[0].1.ends_with(&format!(":{regel}:23")), "{}", f[0].1);
    }
}
