//! A bijstelling of the running period's number after its interim evaluation: the
//! evaluation's figures, the new distribution over the municipalities (art. 29 with
//! the new national number, everything else of the period unchanged) and, per
//! municipality and province, the number first published, the new number and the
//! difference. Pure: the population table is passed in.

use serde::Serialize;

use super::bekendmaking::{Bekendmaking, bekendmaking_met};
use super::{Bevinding, Plek};
use crate::input::bevolking::Bevolking;
use crate::input::publicaties::{BekendmakingKop, CirculaireKop};
use crate::input::{Invoer, NotitieKop};
use crate::kalender::{Datum, Maand};

/// The bijstelling of a period, ready for its documents.
#[derive(Debug, Clone, Serialize)]
pub struct Bijstelling {
    /// The number first published (`besluit.taakstelling`).
    pub eerst_bekendgemaakt: i64,
    /// The new national number.
    pub taakstelling: i64,
    /// New minus first published.
    pub verschil: i64,
    pub verschil_abs: i64,
    /// `verlaagd` or `verhoogd`.
    pub richting: &'static str,
    /// The date of the minister's decision.
    pub datum: Datum,
    /// Why (Markdown).
    pub reden: String,
    pub evaluatie: Evaluatie,
    pub notitie: NotitieKop,
    pub bekendmaking: BekendmakingKop,
    pub circulaire: CirculaireKop,
    /// The distribution with the new number.
    pub verdeling: Bekendmaking,
    /// Per province: its municipalities compared, and the province's totals.
    pub per_provincie: Vec<ProvincieVergelijking>,
    /// The national totals compared.
    pub totaal: Vergelijking,
    /// How many municipalities' numbers change.
    pub gemeenten_gewijzigd: usize,
}

/// The interim evaluation behind the bijstelling.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluatie {
    pub bron: String,
    pub illustratief: bool,
    pub venster_van: Maand,
    pub venster_tot_en_met: Maand,
    /// The realised months.
    pub maanden: Vec<MaandAantal>,
    pub gerealiseerd: i64,
    pub gerealiseerde_maanden: i64,
    pub laatste_gerealiseerde_maand: Maand,
    pub prognose_per_maand: i64,
    pub geprognosticeerde_maanden: i64,
    pub geprognosticeerd: i64,
    /// Realised plus forecast: the grants the window is now expected to bring.
    pub verwachting: i64,
    /// Expectation minus the number first published.
    pub verschil: i64,
    pub verschil_abs: i64,
    /// The new number minus the expectation: how far the proposal lies above it.
    pub nieuw_min_verwachting: i64,
    pub nieuw_min_verwachting_abs: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MaandAantal {
    pub maand: Maand,
    pub aantal: i64,
}

/// First published, new, and the difference (new minus first published).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Vergelijking {
    pub eerder: u64,
    pub nieuw: u64,
    pub verschil: i64,
}

impl Vergelijking {
    fn new(eerder: u64, nieuw: u64) -> Self {
        let verschil = i64::try_from(i128::from(nieuw) - i128::from(eerder))
            .expect("numbers are bounded by the input's ranges");
        Vergelijking {
            eerder,
            nieuw,
            verschil,
        }
    }
}

/// One municipality compared.
#[derive(Debug, Clone, Serialize)]
pub struct GemeenteVergelijking {
    pub code: String,
    pub naam: String,
    #[serde(flatten)]
    pub aantallen: Vergelijking,
}

/// One province compared, with its municipalities.
#[derive(Debug, Clone, Serialize)]
pub struct ProvincieVergelijking {
    pub naam: String,
    pub anker: String,
    pub totaal: Vergelijking,
    pub gemeenten: Vec<GemeenteVergelijking>,
}

/// The bijstelling of `invoer`'s period, when it has one; `eerder` is the period's
/// distribution as first published, over the same `bevolking`.
pub fn bijstelling(
    invoer: &Invoer,
    bevolking: &Bevolking,
    eerder: &Bekendmaking,
) -> Result<Option<Bijstelling>, Vec<Bevinding>> {
    let Some(b) = &invoer.bijstelling else {
        return Ok(None);
    };
    let nieuw_aantal = u64::try_from(b.taakstelling).expect("validated as positive");
    let mut input = invoer.verdeling.clone();
    input.landelijke_taakstelling = nieuw_aantal;
    let verdeling = bekendmaking_met(invoer, &input, bevolking).map_err(|fouten| {
        fouten
            .into_iter()
            .map(|f| Bevinding {
                plek: Plek::veld("bijstelling.taakstelling"),
                bericht: format!("with the new number: {}", f.bericht),
            })
            .collect::<Vec<_>>()
    })?;
    let (per_provincie, gemeenten_gewijzigd) = vergelijk(eerder, &verdeling);
    let verschil = b.taakstelling - invoer.besluit.taakstelling;
    Ok(Some(Bijstelling {
        eerst_bekendgemaakt: invoer.besluit.taakstelling,
        taakstelling: b.taakstelling,
        verschil,
        verschil_abs: verschil.abs(),
        richting: if verschil < 0 { "verlaagd" } else { "verhoogd" },
        datum: b.datum,
        reden: b.reden.clone(),
        evaluatie: evaluatie(invoer, &b.evaluatie, b.taakstelling),
        notitie: b.notitie.clone(),
        bekendmaking: b.bekendmaking.clone(),
        circulaire: b.circulaire.clone(),
        totaal: Vergelijking::new(eerder.verdeling.totaal, verdeling.verdeling.totaal),
        per_provincie,
        gemeenten_gewijzigd,
        verdeling,
    }))
}

/// Every municipality and province compared. Both distributions come from the same
/// population and decisions, so their rows stand in the same order.
fn vergelijk(eerder: &Bekendmaking, nieuw: &Bekendmaking) -> (Vec<ProvincieVergelijking>, usize) {
    let mut gewijzigd = 0;
    let blokken = eerder
        .per_provincie
        .iter()
        .zip(&nieuw.per_provincie)
        .map(|(e, n)| {
            let gemeenten: Vec<GemeenteVergelijking> = e
                .gemeenten
                .iter()
                .zip(&n.gemeenten)
                .map(|(re, rn)| {
                    debug_assert_eq!(re.code, rn.code);
                    let aantallen = Vergelijking::new(re.taakstelling, rn.taakstelling);
                    gewijzigd += usize::from(aantallen.verschil != 0);
                    GemeenteVergelijking {
                        code: rn.code.clone(),
                        naam: rn.naam.clone(),
                        aantallen,
                    }
                })
                .collect();
            ProvincieVergelijking {
                naam: n.naam.clone(),
                anker: n.anker.clone(),
                totaal: Vergelijking::new(e.totaal.taakstelling, n.totaal.taakstelling),
                gemeenten,
            }
        })
        .collect();
    (blokken, gewijzigd)
}

/// Realised grants in the window plus the forecast for its months not yet realised.
fn evaluatie(
    invoer: &Invoer,
    e: &crate::input::publicaties::BijstellingEvaluatie,
    nieuw: i64,
) -> Evaluatie {
    let gerealiseerd: i64 = e.maanden.iter().map(|m| m.1).sum();
    let gerealiseerde_maanden = i64::try_from(e.maanden.len()).expect("a short list");
    let venster = e.tot_en_met.index() - e.van.index() + 1;
    let geprognosticeerde_maanden = (venster - gerealiseerde_maanden).max(0);
    let geprognosticeerd = geprognosticeerde_maanden * e.prognose_per_maand;
    let verwachting = gerealiseerd + geprognosticeerd;
    let verschil = verwachting - invoer.besluit.taakstelling;
    Evaluatie {
        bron: e.bron.clone(),
        illustratief: e.illustratief,
        venster_van: e.van,
        venster_tot_en_met: e.tot_en_met,
        maanden: e
            .maanden
            .iter()
            .map(|&(maand, aantal)| MaandAantal { maand, aantal })
            .collect(),
        gerealiseerd,
        gerealiseerde_maanden,
        laatste_gerealiseerde_maand: e.maanden.last().map_or(e.van, |m| m.0),
        prognose_per_maand: e.prognose_per_maand,
        geprognosticeerde_maanden,
        geprognosticeerd,
        verwachting,
        verschil,
        verschil_abs: verschil.abs(),
        nieuw_min_verwachting: nieuw - verwachting,
        nieuw_min_verwachting_abs: (nieuw - verwachting).abs(),
    }
}
