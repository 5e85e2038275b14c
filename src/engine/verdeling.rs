//! The per-municipality distribution (Verdeling) of the national taakstelling,
//! Huisvestingswet 2014 art. 29 and 30. Pure: no I/O.
//!
//! Each municipality gets ⌈ vg × iG / iN ⌉: vg is the national number to
//! distribute, iG the municipality's inhabitants and iN the inhabitants of the
//! Netherlands on the peildatum ([`peildatum_for_period`]). The arithmetic is
//! exact (integers in `u128`), so the result never depends on floating-point
//! rounding. Because every share is rounded up, the municipal numbers add up to
//! at least vg and to less than vg + the number of municipalities.
//!
//! On top of the formula the input may carry:
//! - a [`Correctie`](crate::input::verdeling::Correctie): the number distributed differs from the headline number;
//! - art. 30 [`BevolkingVaststelling`](crate::input::verdeling::BevolkingVaststelling)s: for a municipality merged on 1 January
//!   of the taakstelling year, Gedeputeerde Staten set the population to use;
//! - art. 29 lid 2 [`Herverdeling`]s: municipalities agree to shift numbers
//!   between them, their sum unchanged;
//! - [`Achterstand`](crate::input::verdeling::Achterstand)en: each municipality's backlog (or, negative, advance)
//!   from the previous period, carried in a separate column beside the
//!   taakstelling and never inside the formula.
//!
//! **iN with art. 30.** iN is the sum of the populations actually used: the
//! CBS figures of the municipalities that are not replaced plus the figures set
//! by Gedeputeerde Staten. Without art. 30 settings this is the CBS national
//! total. With them, using the same numbers in the numerator and the
//! denominator keeps the shares consistent: they add up to vg before rounding,
//! so the rounding bounds above still hold. (Using the unchanged CBS total
//! instead would let the municipal numbers fall short of vg whenever GS set a
//! lower population than the CBS sum of the merged municipalities.)

use std::collections::{BTreeMap, BTreeSet};

use miette::Diagnostic;
use serde::Serialize;
use thiserror::Error;

use crate::input::bevolking::{Bevolking, Gemeente, Provincie, is_gemeentecode};
use crate::input::verdeling::{Correctie, Herverdeling, VerdelingInput};

/// The year of the population peildatum (1 January of that year) for the
/// half-years of `periode_jaar`: the calendar year before (art. 29). Periods
/// 2025-I and 2025-II use 1 January 2024.
pub fn peildatum_for_period(periode_jaar: i32) -> i32 {
    periode_jaar - 1
}

/// ⌈ vg × iG / iN ⌉ in exact integer arithmetic: the art. 29 share of a
/// municipality with `inwoners_gemeente` inhabitants out of
/// `inwoners_nederland`. An exact quotient is not rounded up.
///
/// `None` when `inwoners_nederland` is 0 or the result does not fit in `u64`
/// (only possible when `inwoners_gemeente > inwoners_nederland`).
pub fn art29_aandeel(vg: u64, inwoners_gemeente: u64, inwoners_nederland: u64) -> Option<u64> {
    if inwoners_nederland == 0 {
        return None;
    }
    let teller = u128::from(vg) * u128::from(inwoners_gemeente);
    let noemer = u128::from(inwoners_nederland);
    u64::try_from(teller.div_ceil(noemer)).ok()
}

/// The result: the taakstelling per municipality and per province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdeling {
    /// The year of the population peildatum (1 January).
    pub peildatum_jaar: i32,
    /// The headline number.
    pub landelijke_taakstelling: u64,
    pub correctie: Option<Correctie>,
    /// vg: the number distributed (headline + correction).
    pub vg: u64,
    /// iN: the sum of the populations used (see the module documentation).
    pub inwoners_nederland: u64,
    /// The sum of the municipal taakstellingen (≥ vg because of rounding up;
    /// redistributions do not change it).
    pub totaal: u64,
    /// `totaal - vg`: what the rounding up adds.
    pub afrondingsverschil: u64,
    /// Per municipality, by province (fixed order) and then name.
    pub regels: Vec<VerdelingRegel>,
    /// Per province with at least one municipality, in the fixed order.
    pub provincies: Vec<ProvincieTotaal>,
    /// The art. 30 settings as applied, with the rows they replaced.
    pub bevolking_vaststellingen: Vec<ToegepasteVaststelling>,
    /// The art. 29 lid 2 agreements as applied.
    pub herverdelingen: Vec<Herverdeling>,
    /// Sum of the backlog column; `None` when there is no backlog column.
    pub achterstand: Option<i64>,
    /// Sum of the corrected column; `None` when there is no backlog column.
    pub gecorrigeerde_taakstelling: Option<i64>,
}

impl Verdeling {
    /// The row of the municipality with this code, if any.
    pub fn regel(&self, code: &str) -> Option<&VerdelingRegel> {
        self.regels.iter().find(|r| r.code == code)
    }
}

/// One municipality's line of the distribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerdelingRegel {
    pub code: String,
    pub naam: String,
    pub provincie: Provincie,
    /// iG: the population used.
    pub inwoners: u64,
    /// True when `inwoners` was set by Gedeputeerde Staten (art. 30).
    pub inwoners_vastgesteld: bool,
    /// ⌈ vg × iG / iN ⌉.
    pub formule_uitkomst: u64,
    /// Net change from art. 29 lid 2 agreements (0 when none).
    pub herverdeling: i64,
    /// `formule_uitkomst + herverdeling`: the taakstelling (≥ 0).
    pub taakstelling: u64,
    /// Backlog (positive) or advance (negative) from the previous period;
    /// `None` when the distribution has no backlog column.
    pub achterstand: Option<i64>,
    /// `taakstelling + achterstand`; may be negative for a large advance.
    pub gecorrigeerde_taakstelling: Option<i64>,
}

/// The totals of one province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvincieTotaal {
    pub provincie: Provincie,
    /// Number of municipalities.
    pub gemeenten: usize,
    pub inwoners: u64,
    pub formule_uitkomst: u64,
    pub taakstelling: u64,
    pub achterstand: Option<i64>,
    pub gecorrigeerde_taakstelling: Option<i64>,
}

/// An art. 30 setting as applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToegepasteVaststelling {
    pub code: String,
    pub naam: String,
    pub provincie: Provincie,
    /// The population set by Gedeputeerde Staten.
    pub inwoners: u64,
    /// The rows of the population table it replaces, with their CBS figures.
    pub vervangen: Vec<Gemeente>,
    /// Sum of the CBS figures of `vervangen`.
    pub inwoners_cbs: u64,
    pub reden: String,
}

/// Every problem found in a [`VerdelingInput`], reported together.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error(
    "the distribution cannot be computed ({} {}):{}",
    errors.len(),
    if errors.len() == 1 { "problem" } else { "problems" },
    errors.iter().map(|e| format!("\n  - {e}")).collect::<String>()
)]
#[diagnostic(code(taakstelling::verdeling))]
pub struct VerdelingErrors {
    pub errors: Vec<VerdelingError>,
}

/// One problem in a [`VerdelingInput`]. Indices (`vaststelling`,
/// `afspraak`) are 0-based positions in the input lists; messages count from 1.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VerdelingError {
    #[error("the population table has no inhabitants: there is nothing to distribute over")]
    NoInhabitants,
    #[error("municipality {code} appears more than once in the population table")]
    DuplicateGemeente { code: String },
    #[error("the correction of the distributed number needs a reason")]
    CorrectionWithoutReason,
    #[error("a correction of 0 changes nothing; leave the correction out")]
    ZeroCorrection,
    #[error(
        "the headline number {landelijk} with the correction {verschil:+} gives {}, \
         expected a number from 0 to {}",
        i128::from(*landelijk) + i128::from(*verschil),
        i64::MAX
    )]
    VgOutOfRange { landelijk: u64, verschil: i64 },

    #[error(
        "art. 30 setting {}: expected a municipality code `GM` followed by four digits, found `{code}`",
        vaststelling + 1
    )]
    Art30BadCode { vaststelling: usize, code: String },
    #[error(
        "art. 30 setting {} ({code}): {code} is not in the population table and replaces no \
         municipality; list the merged municipalities in `vervangt`",
        vaststelling + 1
    )]
    Art30ReplacesNothing { vaststelling: usize, code: String },
    #[error(
        "art. 30 setting {} ({code}): {replaced} is not in the population table",
        vaststelling + 1
    )]
    Art30UnknownCode {
        vaststelling: usize,
        code: String,
        replaced: String,
    },
    #[error(
        "art. 30 setting {} ({code}): {replaced} is already replaced by art. 30 setting {}",
        vaststelling + 1,
        earlier + 1
    )]
    Art30ReplacedTwice {
        vaststelling: usize,
        code: String,
        replaced: String,
        earlier: usize,
    },
    #[error(
        "art. 30 setting {} ({code}): art. 30 setting {} already sets {code}",
        vaststelling + 1,
        earlier + 1
    )]
    Art30DuplicateCode {
        vaststelling: usize,
        code: String,
        earlier: usize,
    },
    #[error(
        "art. 30 setting {} ({code}): expected a {field} for a municipality that is not in the \
         population table",
        vaststelling + 1
    )]
    Art30Missing {
        vaststelling: usize,
        code: String,
        field: &'static str,
    },
    #[error("art. 30 setting {} ({code}): the name is empty", vaststelling + 1)]
    Art30EmptyName { vaststelling: usize, code: String },
    #[error(
        "art. 30 setting {} ({code}): expected a population greater than 0",
        vaststelling + 1
    )]
    Art30ZeroInwoners { vaststelling: usize, code: String },
    #[error(
        "art. 30 setting {} ({code}): expected the decision of Gedeputeerde Staten as reason",
        vaststelling + 1
    )]
    Art30WithoutReason { vaststelling: usize, code: String },

    #[error(
        "redistribution agreement {} needs a description (who agreed what, and when)",
        afspraak + 1
    )]
    HerverdelingWithoutDescription { afspraak: usize },
    #[error(
        "redistribution agreement {}: expected two or more municipalities, found {found}",
        afspraak + 1
    )]
    HerverdelingTooFew { afspraak: usize, found: usize },
    #[error(
        "redistribution agreement {}: municipality {code} is listed more than once",
        afspraak + 1
    )]
    HerverdelingDuplicateCode { afspraak: usize, code: String },
    #[error(
        "redistribution agreement {}: {code} is not a municipality of this distribution",
        afspraak + 1
    )]
    HerverdelingUnknownCode { afspraak: usize, code: String },
    #[error(
        "redistribution agreement {}: the changes add up to {som:+}, expected 0 (a \
         redistribution keeps the sum of the municipalities' numbers)",
        afspraak + 1
    )]
    HerverdelingSumNotZero { afspraak: usize, som: i128 },
    #[error(
        "municipality {code}: the formula gives {formule_uitkomst} and the redistributions \
         {herverdeling:+}, which is below zero"
    )]
    BelowZero {
        code: String,
        formule_uitkomst: u64,
        herverdeling: i128,
    },

    #[error("backlog: {code} is not a municipality of this distribution")]
    AchterstandUnknownCode { code: String },
    #[error("backlog: municipality {code} is listed more than once")]
    AchterstandDuplicateCode { code: String },

    #[error("{what} is too large to compute")]
    OutOfRange { what: String },
}

/// A row of the population table in use (after art. 30).
struct Rij {
    code: String,
    naam: String,
    provincie: Provincie,
    inwoners: u64,
    vastgesteld: bool,
}

/// Computes the art. 29 distribution of `input` over `bevolking`.
pub fn bereken_verdeling(
    bevolking: &Bevolking,
    input: &VerdelingInput,
) -> Result<Verdeling, VerdelingErrors> {
    let mut errors = Vec::new();

    let vg = bereken_vg(input, &mut errors);
    let (rijen, vaststellingen) = pas_art30_toe(bevolking, input, &mut errors);
    let inwoners_nederland: u128 = rijen.iter().map(|r| u128::from(r.inwoners)).sum();
    if inwoners_nederland == 0 {
        errors.push(VerdelingError::NoInhabitants);
    }
    let inwoners_nederland = u64::try_from(inwoners_nederland).unwrap_or_else(|_| {
        errors.push(VerdelingError::OutOfRange {
            what: "the sum of the populations".to_owned(),
        });
        0
    });
    let codes: BTreeSet<&str> = rijen.iter().map(|r| r.code.as_str()).collect();
    let herverdeling = tel_herverdelingen(input, &codes, &mut errors);
    let achterstanden = lees_achterstanden(input, &codes, &mut errors);

    let (Some(vg), true) = (vg, errors.is_empty()) else {
        return Err(VerdelingErrors { errors });
    };

    let heeft_achterstand = !input.achterstanden.is_empty();
    let mut regels = Vec::with_capacity(rijen.len());
    for rij in rijen {
        // iG ≤ iN and iN > 0 here, so the share fits.
        let formule_uitkomst =
            art29_aandeel(vg, rij.inwoners, inwoners_nederland).expect("a share of at most vg");
        let delta = herverdeling.get(rij.code.as_str()).copied().unwrap_or(0);
        let taakstelling = i128::from(formule_uitkomst) + delta;
        let (Ok(taakstelling), Ok(delta_i64)) = (u64::try_from(taakstelling), i64::try_from(delta))
        else {
            errors.push(if taakstelling < 0 {
                VerdelingError::BelowZero {
                    code: rij.code.clone(),
                    formule_uitkomst,
                    herverdeling: delta,
                }
            } else {
                VerdelingError::OutOfRange {
                    what: format!("the taakstelling of {}", rij.code),
                }
            });
            continue;
        };
        let achterstand =
            heeft_achterstand.then(|| achterstanden.get(rij.code.as_str()).copied().unwrap_or(0));
        let gecorrigeerd = match achterstand {
            None => None,
            Some(a) => match i64::try_from(taakstelling)
                .ok()
                .and_then(|t| t.checked_add(a))
            {
                Some(g) => Some(g),
                None => {
                    errors.push(VerdelingError::OutOfRange {
                        what: format!("the corrected taakstelling of {}", rij.code),
                    });
                    continue;
                }
            },
        };
        regels.push(VerdelingRegel {
            code: rij.code,
            naam: rij.naam,
            provincie: rij.provincie,
            inwoners: rij.inwoners,
            inwoners_vastgesteld: rij.vastgesteld,
            formule_uitkomst,
            herverdeling: delta_i64,
            taakstelling,
            achterstand,
            gecorrigeerde_taakstelling: gecorrigeerd,
        });
    }
    if !errors.is_empty() {
        return Err(VerdelingErrors { errors });
    }

    // The sort key of a name is built once per row, not once per comparison.
    regels.sort_by_cached_key(|r| (r.provincie, sorteersleutel(&r.naam), r.code.clone()));

    // Sums of at most ~vg + n and of i64 columns: this function takes any input,
    // so overflow is reported rather than wrapped.
    let provincies = provincie_totalen(&regels, heeft_achterstand);
    let totaal = regels
        .iter()
        .try_fold(0u64, |s, r| s.checked_add(r.taakstelling));
    let achterstand_som = som_optioneel(regels.iter().map(|r| r.achterstand));
    let gecorrigeerd_som = som_optioneel(regels.iter().map(|r| r.gecorrigeerde_taakstelling));
    let (Some(provincies), Some(totaal), Some(achterstand), Some(gecorrigeerde_taakstelling)) =
        (provincies, totaal, achterstand_som, gecorrigeerd_som)
    else {
        return Err(VerdelingErrors {
            errors: vec![VerdelingError::OutOfRange {
                what: "a column total".to_owned(),
            }],
        });
    };

    Ok(Verdeling {
        peildatum_jaar: bevolking.peildatum_jaar,
        landelijke_taakstelling: input.landelijke_taakstelling,
        correctie: input.correctie.clone(),
        vg,
        inwoners_nederland,
        totaal,
        afrondingsverschil: totaal - vg,
        regels,
        provincies,
        bevolking_vaststellingen: vaststellingen,
        herverdelingen: input.herverdelingen.clone(),
        achterstand,
        gecorrigeerde_taakstelling,
    })
}

/// vg = headline + correction; `None` after an error.
fn bereken_vg(input: &VerdelingInput, errors: &mut Vec<VerdelingError>) -> Option<u64> {
    let Some(correctie) = &input.correctie else {
        return in_range_vg(input.landelijke_taakstelling, 0, errors);
    };
    if correctie.reden.trim().is_empty() {
        errors.push(VerdelingError::CorrectionWithoutReason);
    }
    if correctie.verschil == 0 {
        errors.push(VerdelingError::ZeroCorrection);
    }
    in_range_vg(input.landelijke_taakstelling, correctie.verschil, errors)
}

fn in_range_vg(landelijk: u64, verschil: i64, errors: &mut Vec<VerdelingError>) -> Option<u64> {
    let vg = i128::from(landelijk) + i128::from(verschil);
    // vg ≤ i64::MAX keeps every column representable as i64.
    match i64::try_from(vg) {
        Ok(vg) if vg >= 0 => Some(vg as u64),
        _ => {
            errors.push(VerdelingError::VgOutOfRange {
                landelijk,
                verschil,
            });
            None
        }
    }
}

/// The population table after the art. 30 settings.
fn pas_art30_toe(
    bevolking: &Bevolking,
    input: &VerdelingInput,
    errors: &mut Vec<VerdelingError>,
) -> (Vec<Rij>, Vec<ToegepasteVaststelling>) {
    let mut tabel: BTreeMap<&str, &Gemeente> = BTreeMap::new();
    for g in &bevolking.gemeenten {
        if tabel.insert(g.code.as_str(), g).is_some() {
            errors.push(VerdelingError::DuplicateGemeente {
                code: g.code.clone(),
            });
        }
    }

    // Which setting replaces which table row.
    let mut vervangen_door: BTreeMap<&str, usize> = BTreeMap::new();
    let mut nieuwe_codes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut toegepast = Vec::new();
    for (i, v) in input.bevolking_vaststellingen.iter().enumerate() {
        let code = v.code.clone();
        if !is_gemeentecode(&v.code) {
            errors.push(VerdelingError::Art30BadCode {
                vaststelling: i,
                code,
            });
            continue;
        }
        let bestaand = tabel.get(v.code.as_str()).copied();
        if v.reden.trim().is_empty() {
            errors.push(VerdelingError::Art30WithoutReason {
                vaststelling: i,
                code: code.clone(),
            });
        }
        if v.inwoners == 0 {
            errors.push(VerdelingError::Art30ZeroInwoners {
                vaststelling: i,
                code: code.clone(),
            });
        }
        if v.naam.as_deref().is_some_and(|n| n.trim().is_empty()) {
            errors.push(VerdelingError::Art30EmptyName {
                vaststelling: i,
                code: code.clone(),
            });
        }
        if bestaand.is_none() {
            if v.vervangt.is_empty() {
                errors.push(VerdelingError::Art30ReplacesNothing {
                    vaststelling: i,
                    code: code.clone(),
                });
            }
            for (field, missing) in [
                ("name", v.naam.is_none()),
                ("province", v.provincie.is_none()),
            ] {
                if missing {
                    errors.push(VerdelingError::Art30Missing {
                        vaststelling: i,
                        code: code.clone(),
                        field,
                    });
                }
            }
            if let Some(earlier) = nieuwe_codes.insert(v.code.as_str(), i) {
                errors.push(VerdelingError::Art30DuplicateCode {
                    vaststelling: i,
                    code: code.clone(),
                    earlier,
                });
            }
        }

        // The rows replaced: `vervangt`, and `code` itself when in the table.
        let mut vervangt: Vec<&str> = v.vervangt.iter().map(String::as_str).collect();
        if bestaand.is_some() {
            vervangt.push(v.code.as_str());
        }
        let mut gezien = BTreeSet::new();
        let mut vervangen = Vec::new();
        for r in vervangt {
            if !gezien.insert(r) {
                continue;
            }
            match tabel.get(r) {
                None => errors.push(VerdelingError::Art30UnknownCode {
                    vaststelling: i,
                    code: code.clone(),
                    replaced: r.to_owned(),
                }),
                Some(g) => {
                    if let Some(earlier) = vervangen_door.insert(r, i) {
                        errors.push(VerdelingError::Art30ReplacedTwice {
                            vaststelling: i,
                            code: code.clone(),
                            replaced: r.to_owned(),
                            earlier,
                        });
                    }
                    vervangen.push((*g).clone());
                }
            }
        }
        let naam = v.naam.clone().or_else(|| bestaand.map(|g| g.naam.clone()));
        let provincie = v.provincie.or_else(|| bestaand.map(|g| g.provincie));
        if let (Some(naam), Some(provincie)) = (naam, provincie) {
            let inwoners_cbs = vervangen.iter().map(|g| g.inwoners).sum();
            toegepast.push(ToegepasteVaststelling {
                code,
                naam,
                provincie,
                inwoners: v.inwoners,
                vervangen,
                inwoners_cbs,
                reden: v.reden.clone(),
            });
        }
    }
    let mut rijen: Vec<Rij> = bevolking
        .gemeenten
        .iter()
        .filter(|g| !vervangen_door.contains_key(g.code.as_str()))
        .map(|g| Rij {
            code: g.code.clone(),
            naam: g.naam.clone(),
            provincie: g.provincie,
            inwoners: g.inwoners,
            vastgesteld: false,
        })
        .collect();
    rijen.extend(toegepast.iter().map(|t| Rij {
        code: t.code.clone(),
        naam: t.naam.clone(),
        provincie: t.provincie,
        inwoners: t.inwoners,
        vastgesteld: true,
    }));
    (rijen, toegepast)
}

/// The net change per code from all art. 29 lid 2 agreements.
fn tel_herverdelingen<'a>(
    input: &'a VerdelingInput,
    codes: &BTreeSet<&str>,
    errors: &mut Vec<VerdelingError>,
) -> BTreeMap<&'a str, i128> {
    let mut netto: BTreeMap<&str, i128> = BTreeMap::new();
    for (i, afspraak) in input.herverdelingen.iter().enumerate() {
        if afspraak.omschrijving.trim().is_empty() {
            errors.push(VerdelingError::HerverdelingWithoutDescription { afspraak: i });
        }
        if afspraak.mutaties.len() < 2 {
            errors.push(VerdelingError::HerverdelingTooFew {
                afspraak: i,
                found: afspraak.mutaties.len(),
            });
        }
        let mut gezien = BTreeSet::new();
        for m in &afspraak.mutaties {
            if !gezien.insert(m.code.as_str()) {
                errors.push(VerdelingError::HerverdelingDuplicateCode {
                    afspraak: i,
                    code: m.code.clone(),
                });
            }
            if !codes.contains(m.code.as_str()) {
                errors.push(VerdelingError::HerverdelingUnknownCode {
                    afspraak: i,
                    code: m.code.clone(),
                });
            }
            *netto.entry(m.code.as_str()).or_insert(0) += i128::from(m.verschil);
        }
        let som: i128 = afspraak
            .mutaties
            .iter()
            .map(|m| i128::from(m.verschil))
            .sum();
        if som != 0 {
            errors.push(VerdelingError::HerverdelingSumNotZero { afspraak: i, som });
        }
    }
    netto
}

fn lees_achterstanden<'a>(
    input: &'a VerdelingInput,
    codes: &BTreeSet<&str>,
    errors: &mut Vec<VerdelingError>,
) -> BTreeMap<&'a str, i64> {
    let mut map = BTreeMap::new();
    for a in &input.achterstanden {
        if !codes.contains(a.code.as_str()) {
            errors.push(VerdelingError::AchterstandUnknownCode {
                code: a.code.clone(),
            });
        }
        if map.insert(a.code.as_str(), a.aantal).is_some() {
            errors.push(VerdelingError::AchterstandDuplicateCode {
                code: a.code.clone(),
            });
        }
    }
    map
}

/// The totals per province; `None` when a sum overflows.
fn provincie_totalen(
    regels: &[VerdelingRegel],
    heeft_achterstand: bool,
) -> Option<Vec<ProvincieTotaal>> {
    fn som_u(v: impl Iterator<Item = u64>) -> Option<u64> {
        v.into_iter().try_fold(0u64, u64::checked_add)
    }
    let mut uit = Vec::new();
    for provincie in Provincie::ALLE {
        let rs: Vec<&VerdelingRegel> = regels.iter().filter(|r| r.provincie == provincie).collect();
        if rs.is_empty() {
            continue;
        }
        let (achterstand, gecorrigeerde_taakstelling) = if heeft_achterstand {
            (
                Some(som_optioneel(rs.iter().map(|r| r.achterstand))??),
                Some(som_optioneel(
                    rs.iter().map(|r| r.gecorrigeerde_taakstelling),
                )??),
            )
        } else {
            (None, None)
        };
        uit.push(ProvincieTotaal {
            provincie,
            gemeenten: rs.len(),
            inwoners: som_u(rs.iter().map(|r| r.inwoners))?,
            formule_uitkomst: som_u(rs.iter().map(|r| r.formule_uitkomst))?,
            taakstelling: som_u(rs.iter().map(|r| r.taakstelling))?,
            achterstand,
            gecorrigeerde_taakstelling,
        });
    }
    Some(uit)
}

/// `Some(None)` for a column that is absent, `None` on overflow.
fn som_optioneel(values: impl Iterator<Item = Option<i64>>) -> Option<Option<i64>> {
    let mut som: Option<i64> = None;
    for v in values {
        match v {
            None => return Some(None),
            Some(v) => som = Some(som.unwrap_or(0).checked_add(v)?),
        }
    }
    Some(som)
}

/// The sort key for municipality names: case-insensitive, accents folded
/// and hyphens read as spaces (`Súdwest-Fryslân` sorts as `sudwest fryslan`),
/// other punctuation ignored as in Dutch alphabetical lists
/// (`'s-Hertogenbosch` sorts as `s hertogenbosch`, under S).
pub fn sorteersleutel(naam: &str) -> String {
    naam.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            let c = match c {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
                'è' | 'é' | 'ê' | 'ë' => 'e',
                'ì' | 'í' | 'î' | 'ï' => 'i',
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
                'ù' | 'ú' | 'û' | 'ü' => 'u',
                'ý' | 'ÿ' => 'y',
                'ç' => 'c',
                'ñ' => 'n',
                c => c,
            };
            match c {
                '-' | ' ' => Some(' '),
                c if c.is_alphanumeric() => Some(c),
                _ => None,
            }
        })
        .collect()
}
