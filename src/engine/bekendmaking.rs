//! The distribution of a period as the published documents show it. Pure: the
//! population table is loaded by the caller and passed in.
//!
//! [`bekendmaking`] distributes the period's taakstelling over the
//! municipalities of its peildatum (Huisvestingswet 2014 art. 29, see
//! [`super::verdeling`]) and arranges the result for the Staatscourant draft,
//! the circulaire's Bijlage A, `verdeling.csv` and the memo: the municipalities
//! grouped by province with their totals, the agreements with the names of the
//! municipalities, which optional columns the tables need, and a worked
//! example of the formula. [`bereken_met_verdeling`] computes the memo's
//! figures and the distribution together and adds the distribution's line to
//! the Rekenverantwoording.

use serde::Serialize;

use super::verdeling::{
    ProvincieTotaal, Verdeling, VerdelingError, VerdelingRegel, bereken_verdeling,
    peildatum_for_period, sorteersleutel,
};
use super::{
    Bevinding, Bronvermelding, FIGUUR_PUBLICATIE, Plek, Rekenregel, Uitkomst, bereken, bev, iw,
};
use crate::input::Invoer;
use crate::input::bevolking::Bevolking;
use crate::input::verdeling::VerdelingInput;
use crate::kalender::Datum;
use crate::nl;

/// The distribution of one period, ready for the documents.
#[derive(Debug, Clone, Serialize)]
pub struct Bekendmaking {
    /// The engine's result: vg, totals, rows in order, province totals, and the
    /// art. 30 settings and art. 29 lid 2 agreements as applied.
    #[serde(flatten)]
    pub verdeling: Verdeling,
    /// The population peildatum: 1 January of the year before the period's.
    pub peildatum: Datum,
    pub aantal_gemeenten: usize,
    /// The municipalities by province, in the fixed order, with the province totals.
    pub per_provincie: Vec<ProvincieBlok>,
    /// The art. 29 lid 2 agreements, with the municipalities' names.
    pub afspraken: Vec<Afspraak>,
    /// Which optional columns the tables need.
    pub kolommen: Kolommen,
    /// The formula worked out for the municipality with the most inhabitants.
    pub voorbeeld: Voorbeeld,
    /// How many municipalities' provinces were filled in by hand in the population data.
    pub provincies_handmatig: usize,
}

/// One province of the Staatscourant table.
#[derive(Debug, Clone, Serialize)]
pub struct ProvincieBlok {
    pub naam: String,
    /// An id for links within a document: `noord-holland`, `fryslan`.
    pub anker: String,
    pub totaal: ProvincieTotaal,
    /// Net change from art. 29 lid 2 agreements in the province.
    pub herverdeling: i64,
    pub gemeenten: Vec<VerdelingRegel>,
}

/// Optional columns: each is shown only when the input makes it differ from the plain formula.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Kolommen {
    /// Some population was set by Gedeputeerde Staten (art. 30).
    pub vastgesteld: bool,
    /// Some municipality's number was changed by an agreement (art. 29 lid 2).
    pub herverdeling: bool,
    /// A backlog or advance per municipality was given.
    pub achterstand: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Afspraak {
    pub omschrijving: String,
    pub mutaties: Vec<AfspraakMutatie>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AfspraakMutatie {
    pub code: String,
    pub naam: String,
    pub verschil: i64,
}

/// ⌈vg × iG ÷ iN⌉ for one municipality, with the exact quotient as Dutch text.
#[derive(Debug, Clone, Serialize)]
pub struct Voorbeeld {
    pub naam: String,
    pub inwoners: u64,
    /// The exact share to two decimals, with `…` when it goes on (`918,63…`).
    pub exact: String,
    pub uitkomst: u64,
}

/// Distributes the period's taakstelling over `bevolking`, which must be the
/// population on the peildatum of the period (art. 29).
pub fn bekendmaking(
    invoer: &Invoer,
    bevolking: &Bevolking,
) -> Result<Bekendmaking, Vec<Bevinding>> {
    bekendmaking_met(invoer, &invoer.verdeling, bevolking)
}

/// [`bekendmaking`] with the distribution's decisions `verdeling` in place of the
/// period's own (a bijstelling distributes another national number).
pub fn bekendmaking_met(
    invoer: &Invoer,
    verdeling_input: &VerdelingInput,
    bevolking: &Bevolking,
) -> Result<Bekendmaking, Vec<Bevinding>> {
    let jaar = peildatum_for_period(invoer.periode.jaar);
    if bevolking.peildatum_jaar != jaar {
        return Err(vec![bev(
            Plek::veld("verdeling"),
            format!(
                "the population is that of 1 January {}, expected 1 January {jaar}: period {} uses the population on 1 January of the year before (Huisvestingswet 2014 art. 29)",
                bevolking.peildatum_jaar, invoer.periode
            ),
        )]);
    }
    let verdeling = bereken_verdeling(bevolking, verdeling_input).map_err(|e| {
        e.errors
            .iter()
            .map(|fout| Bevinding {
                plek: Plek::veld(veld(fout, verdeling_input)),
                bericht: fout.to_string(),
            })
            .collect::<Vec<_>>()
    })?;

    let per_provincie = per_provincie(&verdeling);
    let afspraken = afspraken(&verdeling);
    let kolommen = Kolommen {
        vastgesteld: verdeling.regels.iter().any(|r| r.inwoners_vastgesteld),
        herverdeling: verdeling.regels.iter().any(|r| r.herverdeling != 0),
        achterstand: verdeling.achterstand.is_some(),
    };
    let voorbeeld = voorbeeld(&verdeling);
    let peildatum = Datum::new(jaar, 1, 1).expect("1 January exists");
    Ok(Bekendmaking {
        peildatum,
        aantal_gemeenten: verdeling.regels.len(),
        per_provincie,
        afspraken,
        kolommen,
        voorbeeld,
        provincies_handmatig: bevolking.provincies_handmatig.len(),
        verdeling,
    })
}

/// The municipalities per province, with the province's totals and net agreements.
fn per_provincie(verdeling: &Verdeling) -> Vec<ProvincieBlok> {
    verdeling
        .provincies
        .iter()
        .map(|p| ProvincieBlok {
            naam: p.provincie.naam().to_string(),
            anker: sorteersleutel(p.provincie.naam()).replace(' ', "-"),
            totaal: p.clone(),
            // Agreements keep their sum and no municipality goes below zero, so a
            // province's net change lies within ±(its taakstelling): it fits.
            herverdeling: verdeling
                .regels
                .iter()
                .filter(|r| r.provincie == p.provincie)
                .map(|r| i128::from(r.herverdeling))
                .sum::<i128>()
                .clamp(i64::MIN.into(), i64::MAX.into()) as i64,
            gemeenten: verdeling
                .regels
                .iter()
                .filter(|r| r.provincie == p.provincie)
                .cloned()
                .collect(),
        })
        .collect()
}

/// The agreements between municipalities (art. 29 lid 2), each municipality by name.
fn afspraken(verdeling: &Verdeling) -> Vec<Afspraak> {
    let naam = |code: &str| {
        verdeling
            .regel(code)
            .map_or_else(|| code.to_string(), |r| r.naam.clone())
    };
    verdeling
        .herverdelingen
        .iter()
        .map(|h| Afspraak {
            omschrijving: h.omschrijving.clone(),
            mutaties: h
                .mutaties
                .iter()
                .map(|m| AfspraakMutatie {
                    code: m.code.clone(),
                    naam: naam(&m.code),
                    verschil: m.verschil,
                })
                .collect(),
        })
        .collect()
}

/// The formula worked out for the municipality with the most inhabitants.
fn voorbeeld(verdeling: &Verdeling) -> Voorbeeld {
    let grootste = verdeling
        .regels
        .iter()
        .fold(None::<&VerdelingRegel>, |best, r| match best {
            Some(b) if b.inwoners >= r.inwoners => Some(b),
            _ => Some(r),
        })
        .expect("a distribution has at least one municipality");
    Voorbeeld {
        naam: grootste.naam.clone(),
        inwoners: grootste.inwoners,
        exact: quotient_nl(
            verdeling.vg,
            grootste.inwoners,
            verdeling.inwoners_nederland,
        ),
        uitkomst: grootste.formule_uitkomst,
    }
}

/// `a × b ÷ c` to two decimals (truncated) as Dutch text, `…` when not exact.
fn quotient_nl(a: u64, b: u64, c: u64) -> String {
    let teller = u128::from(a) * u128::from(b) * 100;
    let noemer = u128::from(c.max(1));
    let honderdsten = teller / noemer;
    let geheel = i64::try_from(honderdsten / 100).unwrap_or(i64::MAX);
    let rest = if teller % noemer == 0 { "" } else { "…" };
    format!("{},{:02}{rest}", nl::getal(geheel), honderdsten % 100)
}

fn getal(n: u64) -> String {
    nl::getal(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The distribution's line in the Rekenverantwoording.
pub fn rekenregel(b: &Bekendmaking) -> Rekenregel {
    let v = &b.verdeling;
    let vg = match &v.correctie {
        None => getal(v.vg),
        Some(c) => format!(
            "{} {} {} (correctie) = {}",
            getal(v.landelijke_taakstelling),
            if c.verschil < 0 { "−" } else { "+" },
            getal(c.verschil.unsigned_abs()),
            getal(v.vg)
        ),
    };
    let mut invoer = vec![
        iw("vg (te verdelen aantal)", vg),
        iw(
            format!("iN (inwoners Nederland op {}, CBS)", b.peildatum.nl()),
            if v.bevolking_vaststellingen.is_empty() {
                getal(v.inwoners_nederland)
            } else {
                format!(
                    "{} (met {} inwonertal(len) vastgesteld door Gedeputeerde Staten, art. 30)",
                    getal(v.inwoners_nederland),
                    v.bevolking_vaststellingen.len()
                )
            },
        ),
        iw("aantal gemeenten", b.aantal_gemeenten.to_string()),
        iw(
            format!("voorbeeld {}", b.voorbeeld.naam),
            format!(
                "⌈{} × {} ÷ {}⌉ = ⌈{}⌉ = {}",
                getal(v.vg),
                getal(b.voorbeeld.inwoners),
                getal(v.inwoners_nederland),
                b.voorbeeld.exact,
                getal(b.voorbeeld.uitkomst)
            ),
        ),
        iw(
            "door afronding naar boven",
            format!("+{}", getal(v.afrondingsverschil)),
        ),
    ];
    if !v.herverdelingen.is_empty() {
        invoer.push(iw(
            "herverdelingen tussen gemeenten (art. 29 lid 2)",
            format!(
                "{} afspraak/afspraken; de som blijft gelijk",
                v.herverdelingen.len()
            ),
        ));
    }
    if let (Some(a), Some(g)) = (v.achterstand, v.gecorrigeerde_taakstelling) {
        invoer.push(iw(
            "achterstand (+) of voorsprong (−) vorige periode, naast de formule",
            format!(
                "{}; gecorrigeerde taakstelling {}",
                nl::getal(a),
                nl::getal(g)
            ),
        ));
    }
    Rekenregel {
        figuur: "Verdeling over de gemeenten".into(),
        formule: format!(
            "taakstelling gemeente = ⌈vg × iG ÷ iN⌉, naar boven afgerond op een heel getal (Huisvestingswet 2014, art. 29), met iG en iN de inwoners op {} (CBS); som = Σ taakstelling gemeente",
            b.peildatum.nl()
        ),
        invoer,
        uitkomst: getal(v.totaal),
    }
}

/// Computes the memo's figures and the distribution together, reporting the
/// findings of both at once. The distribution's line joins the Rekenverantwoording
/// (before the publication deadline, as in the memo) and the CBS joins the sources.
pub fn bereken_met_verdeling(
    invoer: &Invoer,
    bevolking: &Bevolking,
) -> Result<(Uitkomst, Bekendmaking), Vec<Bevinding>> {
    match (bereken(invoer), bekendmaking(invoer, bevolking)) {
        (Ok(mut u), Ok(b)) => {
            let regel = rekenregel(&b);
            let plek = u
                .verantwoording
                .iter()
                .position(|r| r.figuur == FIGUUR_PUBLICATIE)
                .unwrap_or(u.verantwoording.len());
            u.verantwoording.insert(plek, regel);
            u.bronnen.push(Bronvermelding {
                onderwerp: format!("Inwoners per gemeente op {}", b.peildatum.nl()),
                bron: "CBS".into(),
                illustratief: false,
            });
            Ok((u, b))
        }
        (u, b) => Err(u
            .err()
            .into_iter()
            .flatten()
            .chain(b.err().into_iter().flatten())
            .collect()),
    }
}

/// The input field an engine error concerns, as a path into the period file.
fn veld(e: &VerdelingError, input: &VerdelingInput) -> String {
    match e {
        VerdelingError::NoInhabitants
        | VerdelingError::DuplicateGemeente { .. }
        | VerdelingError::OutOfRange { .. } => "verdeling".to_string(),
        VerdelingError::CorrectionWithoutReason => "verdeling.correctie.reden".to_string(),
        VerdelingError::ZeroCorrection => "verdeling.correctie.verschil".to_string(),
        VerdelingError::VgOutOfRange { .. } => if input.correctie.is_some() {
            "verdeling.correctie.verschil"
        } else {
            "besluit.taakstelling"
        }
        .to_string(),
        VerdelingError::Art30BadCode {
            vaststelling: i, ..
        }
        | VerdelingError::Art30ReplacesNothing {
            vaststelling: i, ..
        }
        | VerdelingError::Art30DuplicateCode {
            vaststelling: i, ..
        } => vaststelling_pad(*i, "gemeente"),
        VerdelingError::Art30UnknownCode {
            vaststelling: i,
            replaced,
            ..
        }
        | VerdelingError::Art30ReplacedTwice {
            vaststelling: i,
            replaced,
            ..
        } => vervangt_pad(input, *i, replaced),
        VerdelingError::Art30Missing {
            vaststelling: i,
            field,
            ..
        } => vaststelling_pad(
            *i,
            if *field == "name" {
                "naam"
            } else {
                "provincie"
            },
        ),
        VerdelingError::Art30EmptyName {
            vaststelling: i, ..
        } => vaststelling_pad(*i, "naam"),
        VerdelingError::Art30ZeroInwoners {
            vaststelling: i, ..
        } => vaststelling_pad(*i, "inwoners"),
        VerdelingError::Art30WithoutReason {
            vaststelling: i, ..
        } => vaststelling_pad(*i, "besluit"),
        VerdelingError::HerverdelingWithoutDescription { afspraak: i } => {
            afspraak_pad(*i, "omschrijving")
        }
        VerdelingError::HerverdelingTooFew { afspraak: i, .. }
        | VerdelingError::HerverdelingSumNotZero { afspraak: i, .. } => {
            afspraak_pad(*i, "mutaties")
        }
        VerdelingError::HerverdelingDuplicateCode { afspraak: i, code }
        | VerdelingError::HerverdelingUnknownCode { afspraak: i, code } => {
            mutatie_pad(input, *i, code, "gemeente")
        }
        VerdelingError::BelowZero { code, .. } => onder_nul_pad(input, code),
        VerdelingError::AchterstandUnknownCode { code }
        | VerdelingError::AchterstandDuplicateCode { code } => achterstand_pad(input, code),
    }
}

fn vaststelling_pad(i: usize, sub: &str) -> String {
    format!("verdeling.bevolking_vaststellingen[{i}].{sub}")
}

/// Where art. 30 setting `i` names the replaced `code`, else its municipality.
fn vervangt_pad(input: &VerdelingInput, i: usize, code: &str) -> String {
    input
        .bevolking_vaststellingen
        .get(i)
        .and_then(|v| v.vervangt.iter().position(|c| c == code))
        .map_or_else(
            || vaststelling_pad(i, "gemeente"),
            |j| vaststelling_pad(i, &format!("vervangt[{j}]")),
        )
}

fn afspraak_pad(i: usize, sub: &str) -> String {
    format!("verdeling.herverdelingen[{i}].{sub}")
}

/// The last mention of a code in agreement `i` (for a duplicate: the repeat).
fn mutatie_pad(input: &VerdelingInput, i: usize, code: &str, sub: &str) -> String {
    input
        .herverdelingen
        .get(i)
        .and_then(|h| h.mutaties.iter().rposition(|m| m.code == code))
        .map_or_else(
            || afspraak_pad(i, "mutaties"),
            |j| afspraak_pad(i, &format!("mutaties[{j}].{sub}")),
        )
}

/// The last backlog stated for `code`.
fn achterstand_pad(input: &VerdelingInput, code: &str) -> String {
    input
        .achterstanden
        .iter()
        .rposition(|a| a.code == code)
        .map_or_else(
            || "verdeling.achterstanden".to_string(),
            |j| format!("verdeling.achterstanden[{j}].gemeente"),
        )
}

/// The first agreement that takes from `code`, whose taakstelling went below zero.
fn onder_nul_pad(input: &VerdelingInput, code: &str) -> String {
    input
        .herverdelingen
        .iter()
        .enumerate()
        .find_map(|(i, h)| {
            h.mutaties
                .iter()
                .position(|m| m.code == code && m.verschil < 0)
                .map(|j| afspraak_pad(i, &format!("mutaties[{j}].verschil")))
        })
        .unwrap_or_else(|| "verdeling.herverdelingen".to_string())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::input::bevolking::load_bevolking;
    use crate::input::{self, Invoer};

    const REFERENTIE: &str = include_str!("../../inputs/2025-I.yaml");
    const TWEEDE: &str = include_str!("../../inputs/2025-II.yaml");

    fn bevolking_2024() -> Bevolking {
        load_bevolking(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/bevolking"),
            2024,
        )
        .unwrap()
    }

    fn invoer(naam: &str, tekst: &str, wijzig: &[(&str, &str)]) -> Invoer {
        let mut tekst = tekst.to_string();
        for (van, naar) in wijzig {
            assert!(tekst.contains(van), "fixture lacks {van:?}");
            tekst = tekst.replacen(van, naar, 1);
        }
        input::parse(Path::new(naam), tekst).expect("valid fixture")
    }

    fn referentie(wijzig: &[(&str, &str)]) -> Invoer {
        invoer("inputs/2025-I.yaml", REFERENTIE, wijzig)
    }

    #[test]
    fn the_reference_distribution() {
        let b = bekendmaking(&referentie(&[]), &bevolking_2024()).unwrap();
        assert_eq!(b.verdeling.vg, 17_700);
        assert_eq!(b.verdeling.totaal, 17_870);
        assert_eq!(b.verdeling.regel("GM0363").unwrap().taakstelling, 919);
        assert_eq!(b.aantal_gemeenten, 342);
        assert_eq!(b.peildatum.to_string(), "2024-01-01");
        assert_eq!(b.per_provincie.len(), 12);
        assert_eq!(
            b.per_provincie
                .iter()
                .map(|p| p.gemeenten.len())
                .sum::<usize>(),
            342
        );
        for p in &b.per_provincie {
            assert_eq!(
                p.gemeenten.iter().map(|r| r.taakstelling).sum::<u64>(),
                p.totaal.taakstelling,
                "{}",
                p.naam
            );
        }
        assert_eq!(b.per_provincie[1].anker, "fryslan");
        assert_eq!(
            b.kolommen,
            Kolommen {
                vastgesteld: false,
                herverdeling: false,
                achterstand: false
            }
        );
        assert_eq!(
            (
                b.voorbeeld.naam.as_str(),
                b.voorbeeld.exact.as_str(),
                b.voorbeeld.uitkomst
            ),
            ("Amsterdam", "918,68…", 919)
        );
        let r = rekenregel(&b);
        assert_eq!(r.uitkomst, "17.870");
        let invoer: Vec<String> = r
            .invoer
            .iter()
            .map(|i| format!("{}: {}", i.naam, i.waarde))
            .collect();
        assert_eq!(
            invoer,
            [
                "vg (te verdelen aantal): 17.700",
                "iN (inwoners Nederland op 1 januari 2024, CBS): 17.942.942",
                "aantal gemeenten: 342",
                "voorbeeld Amsterdam: ⌈17.700 × 931.298 ÷ 17.942.942⌉ = ⌈918,68…⌉ = 919",
                "door afronding naar boven: +170",
            ]
        );
    }

    #[test]
    fn the_second_example_period_sums_to_13_164() {
        let b = bekendmaking(
            &invoer("inputs/2025-II.yaml", TWEEDE, &[]),
            &bevolking_2024(),
        )
        .unwrap();
        assert_eq!((b.verdeling.vg, b.verdeling.totaal), (13_000, 13_164));
    }

    #[test]
    fn the_memo_gets_the_distribution_line_and_the_cbs_as_source() {
        let (u, b) = bereken_met_verdeling(&referentie(&[]), &bevolking_2024()).unwrap();
        let figuren: Vec<&str> = u.verantwoording.iter().map(|r| r.figuur.as_str()).collect();
        let n = figuren.len();
        assert_eq!(
            &figuren[n - 2..],
            ["Verdeling over de gemeenten", FIGUUR_PUBLICATIE]
        );
        assert_eq!(u.verantwoording[n - 2].uitkomst, "17.870");
        let bron = u.bronnen.last().unwrap();
        assert_eq!(
            (
                bron.onderwerp.as_str(),
                bron.bron.as_str(),
                bron.illustratief
            ),
            ("Inwoners per gemeente op 1 januari 2024", "CBS", false)
        );
        assert_eq!(b.verdeling.totaal, 17_870);
    }

    #[test]
    fn a_correction_and_the_optional_columns() {
        let i = referentie(&[
            (
                "  bevolking_vaststellingen: []",
                "  correctie: { verschil: -200, reden: Verrekening }\n  bevolking_vaststellingen:\n    - { gemeente: GM1999, naam: Lekstroom, provincie: Utrecht, inwoners: 117000, vervangt: [GM0321, GM0356], besluit: GS Utrecht }",
            ),
            (
                "  herverdelingen: []",
                "  herverdelingen:\n    - omschrijving: a\n      mutaties:\n        - { gemeente: GM0362, verschil: 5 }\n        - { gemeente: GM0437, verschil: -5 }",
            ),
            (
                "  achterstanden: []",
                "  achterstanden: [{ gemeente: GM0363, aantal: 120 }]",
            ),
        ]);
        let b = bekendmaking(&i, &bevolking_2024()).unwrap();
        assert_eq!(
            (b.verdeling.landelijke_taakstelling, b.verdeling.vg),
            (17_700, 17_500)
        );
        assert_eq!(b.aantal_gemeenten, 341);
        assert_eq!(
            b.kolommen,
            Kolommen {
                vastgesteld: true,
                herverdeling: true,
                achterstand: true
            }
        );
        assert_eq!(b.afspraken[0].mutaties[1].naam, "Ouder-Amstel");
        let nh = b
            .per_provincie
            .iter()
            .find(|p| p.naam == "Noord-Holland")
            .unwrap();
        assert_eq!(nh.herverdeling, 0);
        assert_eq!(nh.totaal.achterstand, Some(120));
        let r = rekenregel(&b);
        assert_eq!(r.invoer[0].waarde, "17.700 − 200 (correctie) = 17.500");
        assert!(
            r.invoer[1].waarde.contains("art. 30"),
            "{}",
            r.invoer[1].waarde
        );
        assert_eq!(r.invoer.len(), 7);
    }

    /// The field of the first finding, and whether the file position of that field is known.
    fn eerste_bevinding(wijzig: &[(&str, &str)]) -> (String, String, bool) {
        let i = referentie(wijzig);
        let b = bekendmaking(&i, &bevolking_2024()).unwrap_err();
        let known = i.posities.contains_key(&b[0].plek.veld);
        (b[0].plek.veld.clone(), b[0].bericht.clone(), known)
    }

    #[test]
    fn findings_that_need_the_population_point_at_their_field() {
        let (veld, bericht, bekend) = eerste_bevinding(&[(
            "  herverdelingen: []",
            "  herverdelingen:\n    - omschrijving: a\n      mutaties:\n        - { gemeente: GM0362, verschil: 5 }\n        - { gemeente: GM9999, verschil: -5 }",
        )]);
        assert_eq!(veld, "verdeling.herverdelingen[0].mutaties[1].gemeente");
        assert!(
            bericht.contains("GM9999 is not a municipality"),
            "{bericht}"
        );
        assert!(bekend);

        let (veld, _, bekend) = eerste_bevinding(&[(
            "  herverdelingen: []",
            "  herverdelingen:\n    - omschrijving: a\n      mutaties:\n        - { gemeente: GM0088, verschil: -5 }\n        - { gemeente: GM0363, verschil: 5 }",
        )]);
        assert_eq!(veld, "verdeling.herverdelingen[0].mutaties[0].verschil");
        assert!(bekend);

        let (veld, _, bekend) = eerste_bevinding(&[(
            "  bevolking_vaststellingen: []",
            "  bevolking_vaststellingen:\n    - { gemeente: GM1999, inwoners: 5, vervangt: [GM0321, GM0001], besluit: b, provincie: Utrecht }",
        )]);
        assert_eq!(veld, "verdeling.bevolking_vaststellingen[0].naam");
        assert!(bekend, "a missing name points at the municipality's code");

        let (veld, bericht, _) = eerste_bevinding(&[(
            "  bevolking_vaststellingen: []",
            "  bevolking_vaststellingen:\n    - { gemeente: GM1999, naam: X, inwoners: 5, vervangt: [GM0321, GM0001], besluit: b, provincie: Utrecht }",
        )]);
        assert_eq!(veld, "verdeling.bevolking_vaststellingen[0].vervangt[1]");
        assert!(
            bericht.contains("GM0001 is not in the population table"),
            "{bericht}"
        );

        let (veld, _, bekend) = eerste_bevinding(&[(
            "  achterstanden: []",
            "  achterstanden: [{ gemeente: GM0001, aantal: 1 }]",
        )]);
        assert_eq!(veld, "verdeling.achterstanden[0].gemeente");
        assert!(bekend);
    }

    #[test]
    fn the_population_must_be_that_of_the_peildatum() {
        let mut b = bevolking_2024();
        b.peildatum_jaar = 2023;
        let err = bekendmaking(&referentie(&[]), &b).unwrap_err();
        assert_eq!(err[0].plek.veld, "verdeling");
        assert!(
            err[0].bericht.contains("expected 1 January 2024"),
            "{}",
            err[0].bericht
        );
    }

    #[test]
    fn findings_of_the_memo_and_the_distribution_come_together() {
        let i = referentie(&[
            ("taakstelling: 17700", "taakstelling: 99999"),
            (
                "  achterstanden: []",
                "  achterstanden: [{ gemeente: GM0001, aantal: 1 }]",
            ),
        ]);
        let err = bereken_met_verdeling(&i, &bevolking_2024()).unwrap_err();
        let velden: Vec<&str> = err.iter().map(|b| b.plek.veld.as_str()).collect();
        assert_eq!(
            velden,
            [
                "besluit.taakstelling",
                "verdeling.achterstanden[0].gemeente"
            ]
        );
    }

    #[test]
    fn an_earlier_period_uses_the_population_of_its_own_peildatum() {
        let mut i = referentie(&[]);
        i.periode = crate::kalender::Periode::parse("2019-I").unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/bevolking");
        let bevolking = load_bevolking(&dir, peildatum_for_period(2019)).unwrap();
        let b = bekendmaking(&i, &bevolking).unwrap();
        assert_eq!(b.peildatum.nl(), "1 januari 2018");
        assert_eq!(b.aantal_gemeenten, 380);
        assert_eq!(b.provincies_handmatig, bevolking.provincies_handmatig.len());
        assert!(b.provincies_handmatig > 0);
        assert!(b.verdeling.totaal >= 17_700 && b.verdeling.totaal < 17_700 + 380);
        // The 2024 population does not fit a 2019 period.
        assert!(bekendmaking(&i, &bevolking_2024()).is_err());
    }

    #[test]
    fn an_exact_quotient_shows_no_ellipsis() {
        assert_eq!(quotient_nl(9, 1, 3), "3,00");
        assert_eq!(quotient_nl(10, 1, 3), "3,33…");
        assert_eq!(quotient_nl(17_700, 931_298, 17_942_942), "918,68…");
    }
}
