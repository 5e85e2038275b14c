//! Pure calculations: no I/O.
//!
//! [`bereken`] turns a valid [`Invoer`] into an [`Uitkomst`]: every figure the
//! documents show, each with its formula and inputs for the appendix
//! (Rekenverantwoording). Integer arithmetic throughout; rounding is explicit.
//!
//! **No figure overflows**, by the ranges the input guarantees rather than by a
//! check on every operation: every count, backlog and number of people in an
//! [`Invoer`] lies within ±[`MAX_AANTAL`], a percentage within 0–100 % (in
//! hundredths: at most 10.000), scenario 1 averages at most 60 months, and no list
//! has more than [`MAX_ELEMENTS`] entries (the YAML budget). The largest figure,
//! the exact sum of scenario 2 (decisions × hundredths of a percent over every
//! category), is then below 2·10¹⁶, and every other sum and product is smaller;
//! `i64` holds 9·10¹⁸. The assertion below fails the build if those limits are ever
//! raised past that. The distribution ([`verdeling`]) takes its own input and
//! checks its arithmetic.

pub mod afronding;
pub mod bekendmaking;
pub mod bijstelling;
pub mod uitspraken;
pub mod verdeling;

use serde::Serialize;

use crate::input::yaml::MAX_ELEMENTS;
use crate::input::{Deel, Invoer, MAX_AANTAL, Reeks};
use crate::kalender::{self, Datum, Maand, Periode};
use crate::nl;
use afronding::{afronden, afronden_op_honderdtallen};

// The bound of the module documentation: the largest sum of products fits in i64,
// with room for the sums and roundings around it.
const _: () = assert!(
    (MAX_ELEMENTS as i128) * (MAX_AANTAL as i128) * 10_000 * 100 < i64::MAX as i128,
    "the input's ranges no longer keep every figure within i64"
);

/// The publication must be at least 13 weeks before the period starts.
pub const PUBLICATIE_WEKEN_VOORAF: i64 = 13;
/// "Circa" figures for outflow are rounded to thousands, as the memo does.
pub const UITSTROOM_AFRONDING: i64 = 1000;
/// "Circa" figures for backlog and amv places are rounded to hundreds.
pub const CIRCA_AFRONDING: i64 = 100;

/// Where the national history comes from (see `../shared/data/SOURCES.md`).
pub const HISTORIE_BRON: &str = "persberichten van de Rijksoverheid en nieuwsberichten";

/// The appendix line of the publication deadline, the last step of the memo.
pub const FIGUUR_PUBLICATIE: &str = "Uiterste publicatiedatum";

/// A finding of the engine that stops the build, with the place in the input it
/// concerns, so that the error can point there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bevinding {
    pub plek: Plek,
    pub bericht: String,
}

/// Where in a period's input a finding belongs: a field path as validation names it
/// (`uitstroom.beginstand.datum`, `verdeling.herverdelingen[0].mutaties[1].gemeente`)
/// and, for a finding about one period of a list keyed by period (the history), that
/// period's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plek {
    pub veld: String,
    pub periode: Option<Periode>,
}

impl Plek {
    pub fn veld(veld: impl Into<String>) -> Self {
        Plek {
            veld: veld.into(),
            periode: None,
        }
    }

    /// The row of `periode` in the list at `veld`.
    pub fn rij(veld: impl Into<String>, periode: Periode) -> Self {
        Plek {
            veld: veld.into(),
            periode: Some(periode),
        }
    }
}

/// Everything the documents show, derived from one period's input.
#[derive(Debug, Clone, Serialize)]
pub struct Uitkomst {
    #[serde(serialize_with = "kalender::periode_met_datums")]
    pub periode: Periode,
    #[serde(serialize_with = "kalender::periode_met_datums")]
    pub vorige_periode: Periode,
    #[serde(serialize_with = "kalender::periode_met_datums")]
    pub volgende_periode: Periode,
    pub peilmoment: Datum,
    /// Every month of the grant series, for graph 1.
    pub inwilligingen: Vec<MaandWaarde>,
    pub scenario_1: Scenario1,
    pub scenario_2: Scenario2,
    pub bandbreedte: Bandbreedte,
    pub taakstelling: Taakstelling,
    pub jaartotalen: Vec<Jaartotaal>,
    pub uitstroom: Vec<UitstroomJaar>,
    pub achterstand: Achterstand,
    pub evaluatie: Evaluatie,
    pub amv: Amv,
    pub afspraken: Afspraken,
    pub publicatie: Publicatie,
    pub historie: Vec<HistoriePunt>,
    pub historie_samenvatting: HistorieSamenvatting,
    /// Formula and inputs of every computed figure, in the order the memo uses them.
    pub verantwoording: Vec<Rekenregel>,
    /// Problems that do not stop the build but must be seen (also printed by the CLI).
    pub waarschuwingen: Vec<Waarschuwing>,
    /// Texts from the input that the documents carry as they are.
    pub minister: String,
    pub notitie: crate::input::NotitieKop,
    pub aandachtspunten: Vec<String>,
    pub vervolgproces: Vec<String>,
    pub bronnen: Vec<Bronvermelding>,
}

/// A warning, in English for the CLI and in Dutch for the memo.
#[derive(Debug, Clone, Serialize)]
pub struct Waarschuwing {
    pub cli: String,
    pub document: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bronvermelding {
    pub onderwerp: String,
    pub bron: String,
    pub illustratief: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MaandWaarde {
    pub maand: Maand,
    pub aantal: i64,
}

impl MaandWaarde {
    fn new(maand: Maand, aantal: i64) -> Self {
        MaandWaarde { maand, aantal }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Scenario1 {
    pub eerste_maand: Maand,
    pub laatste_maand: Maand,
    pub aantal_maanden: i64,
    pub som: i64,
    /// Average per month, rounded to whole grants (for the text; the result uses the exact value).
    pub gemiddelde_per_maand: i64,
    pub uitkomst: i64,
    pub bron: String,
    pub illustratief: bool,
    /// The monthly grants that were averaged.
    pub maanden: Vec<MaandWaarde>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scenario2 {
    pub productieplan: String,
    pub prognose: String,
    pub illustratief: bool,
    pub categorieen: Vec<Scenario2Categorie>,
    pub beslissingen_totaal: i64,
    /// Expected grants before rounding, in whole grants (rounded half up).
    pub verwacht_onafgerond: i64,
    pub uitkomst: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scenario2Categorie {
    pub naam: String,
    pub beslissingen: i64,
    /// Percentage as Dutch text ("62,5").
    pub percentage: String,
    pub verwachte_inwilligingen: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bandbreedte {
    pub onderkant: i64,
    pub bovenkant: i64,
    /// Which scenario gives the lower bound (1 or 2).
    pub onderkant_scenario: u8,
    pub bovenkant_scenario: u8,
    pub breedte: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Taakstelling {
    pub aantal: i64,
    /// `onderkant`, `bovenkant`, `binnen` or `buiten`.
    pub positie: String,
    /// Room between the chosen number and the top of the bandwidth.
    pub buffer_tot_bovenkant: i64,
    /// Chosen number minus scenario 1 and minus scenario 2.
    pub verschil_scenario_1: i64,
    pub verschil_scenario_2: i64,
    pub per_maand: i64,
    pub motivering: String,
    pub reden_buiten_bandbreedte: Option<String>,
    pub buffer_toelichting: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Jaartotaal {
    pub jaar: i32,
    pub eerste_helft: i64,
    pub tweede_helft: i64,
    pub totaal: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct UitstroomJaar {
    pub jaar: i32,
    pub gerealiseerd: i64,
    pub gerealiseerde_maanden: i64,
    pub geprojecteerd: i64,
    pub geprojecteerde_maanden: i64,
    /// Realised plus projected.
    pub totaal: i64,
    /// Rounded to thousands ("circa").
    pub circa: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Achterstand {
    pub beginjaar: i32,
    pub beginstand: i64,
    /// Outflow pace used for the projection: average of the realised months of the last year.
    pub tempo_per_maand: i64,
    pub laatste_gerealiseerde_maand: Maand,
    pub perioden: Vec<AchterstandPeriode>,
    pub eindjaar: i32,
    pub eindstand: i64,
    /// Rounded to hundreds ("circa").
    pub eindstand_circa: i64,
    /// Whether the backlog grows over the years shown.
    pub loopt_op: bool,
    /// Outflow figures of the years, rounded ("circa 30.000"), when they are all equal.
    pub uitstroom_gelijk_circa: Option<i64>,
    /// The source of the outflow series, and whether its figures are illustrative.
    pub bron: String,
    pub illustratief: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AchterstandPeriode {
    pub periode: Periode,
    pub begin: i64,
    pub taakstelling: i64,
    pub uitstroom: i64,
    pub geprojecteerd: bool,
    pub eind: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evaluatie {
    pub periode: Periode,
    pub taakstelling: i64,
    pub venster_van: Maand,
    pub venster_tot_en_met: Maand,
    pub gerealiseerd: i64,
    pub gerealiseerde_maanden: i64,
    /// The last month with a realised count, when there is one: the memo names the
    /// months realised and the months still expected instead of counting them.
    pub laatste_gerealiseerde_maand: Option<Maand>,
    /// The first month still expected, when there is one.
    pub eerste_geprognosticeerde_maand: Option<Maand>,
    pub geprognosticeerd: i64,
    pub geprognosticeerde_maanden: i64,
    pub prognose_per_maand: i64,
    pub verwachting: i64,
    pub verschil: i64,
    pub verschil_abs: i64,
    pub marge_procent: i64,
    pub marge: i64,
    /// `binnen_verwachting`, `te_hoog` or `te_laag`.
    pub oordeel: String,
    pub aanleiding: Option<String>,
    /// When the previous period's number was adjusted after it was first announced
    /// (`taakstelling` is then the adjusted number): the first number, and the same
    /// check against it.
    pub bijstelling: Option<EvaluatieBijstelling>,
}

/// The evaluation against the first-announced number of an adjusted period.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluatieBijstelling {
    pub eerst_bekendgemaakt: i64,
    /// `verlaagd` or `verhoogd`.
    pub richting: String,
    /// How much the number was adjusted (always positive).
    pub bijgesteld_met: i64,
    /// The expectation minus the first-announced number, and its absolute value.
    pub verschil: i64,
    pub verschil_abs: i64,
    /// The margin on the first-announced number.
    pub marge: i64,
    /// The verdict the first-announced number would get: `binnen_verwachting`,
    /// `te_hoog` or `te_laag`.
    pub oordeel: String,
    /// Whether that verdict supports the adjustment: too high and lowered, or too
    /// low and raised.
    pub bevestigt_bijstelling: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Amv {
    pub organisatie: String,
    pub illustratief: bool,
    pub behoefte: Vec<AmvStand>,
    pub realisatie: Vec<AmvStand>,
    /// Whether the latest realised number lags the first need.
    pub realisatie_blijft_achter: Option<bool>,
    /// Places still missing against the first need, when realisation is known.
    pub tekort: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AmvStand {
    pub datum: Datum,
    pub plekken: i64,
    pub circa: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Afspraken {
    /// "begin februari 2025".
    pub moment_nl: String,
    pub volgende_periode: Periode,
}

#[derive(Debug, Clone, Serialize)]
pub struct Publicatie {
    pub geplande_datum: Datum,
    pub uiterste_datum: Datum,
    pub op_tijd: bool,
    pub weken_vooraf: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoriePunt {
    pub periode: Periode,
    pub eerst_bekendgemaakt: Option<i64>,
    pub na_bijstelling: Option<i64>,
    pub status: Option<String>,
}

/// The national history in a few figures, for the text beside the history chart.
#[derive(Debug, Clone, Serialize)]
pub struct HistorieSamenvatting {
    pub eerste_periode: Periode,
    pub laatste_periode: Periode,
    /// Lowest and highest number in force (after adjustment), with their period.
    pub laagste: Option<HistorieExtreem>,
    pub hoogste: Option<HistorieExtreem>,
    /// How many periods were adjusted after they were first announced.
    pub bijgesteld: usize,
    /// How many periods have no known number.
    pub onbekend: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistorieExtreem {
    pub periode: Periode,
    pub aantal: i64,
}

/// Lowest, highest and adjusted periods of the national history.
pub fn historie_samenvatting(invoer: &Invoer) -> HistorieSamenvatting {
    let bekend = invoer
        .historie
        .iter()
        .filter_map(|h| h.geldend().map(|n| (h.periode, n)));
    // Earliest period wins a tie, so the text is stable.
    let laagste = bekend.clone().min_by_key(|&(p, n)| (n, p));
    let hoogste = bekend.max_by_key(|&(p, n)| (n, std::cmp::Reverse(p)));
    let extreem = |x: Option<(Periode, i64)>| {
        x.map(|(p, n)| HistorieExtreem {
            periode: p,
            aantal: n,
        })
    };
    // A period that computes has the previous period in its history (the evaluation
    // needs it); an empty history falls back to that period.
    let vorige = invoer.periode.vorige();
    HistorieSamenvatting {
        eerste_periode: invoer.historie.first().map_or(vorige, |h| h.periode),
        laatste_periode: invoer.historie.last().map_or(vorige, |h| h.periode),
        laagste: extreem(laagste),
        hoogste: extreem(hoogste),
        bijgesteld: invoer
            .historie
            .iter()
            .filter(|h| h.na_bijstelling.is_some())
            .count(),
        onbekend: invoer
            .historie
            .iter()
            .filter(|h| h.geldend().is_none())
            .count(),
    }
}

/// One line of the appendix: what a figure is, how it is computed, from what.
#[derive(Debug, Clone, Serialize)]
pub struct Rekenregel {
    pub figuur: String,
    pub formule: String,
    pub invoer: Vec<Invoerwaarde>,
    pub uitkomst: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Invoerwaarde {
    pub naam: String,
    pub waarde: String,
}

fn iw(naam: impl Into<String>, waarde: impl Into<String>) -> Invoerwaarde {
    Invoerwaarde {
        naam: naam.into(),
        waarde: waarde.into(),
    }
}

fn bev(plek: Plek, bericht: impl Into<String>) -> Bevinding {
    Bevinding {
        plek,
        bericht: bericht.into(),
    }
}

/// Scenario 1: the average monthly grants over the `maanden` whole months before the
/// peilmoment, times the six months of the period, rounded to hundreds.
pub fn scenario_1(invoer: &Invoer) -> Result<Scenario1, Bevinding> {
    let n = invoer.scenario_1_maanden;
    let laatste = invoer.peilmoment.maand().plus(-1);
    let eerste = laatste.plus(1 - n);
    let mut maanden = Vec::with_capacity(n as usize);
    for i in 0..n {
        let m = eerste.plus(i);
        let aantal = invoer.inwilligingen.get(m).ok_or_else(|| {
            bev(
                Plek::veld("inwilligingen.maanden"),
                format!(
                    "month {m} is missing: scenario 1 needs the grants of the {n} months {eerste} to {laatste} (before the peilmoment {})",
                    invoer.peilmoment
                ),
            )
        })?;
        maanden.push(MaandWaarde::new(m, aantal));
    }
    let som: i64 = maanden.iter().map(|m| m.aantal).sum();
    Ok(Scenario1 {
        eerste_maand: eerste,
        laatste_maand: laatste,
        aantal_maanden: n,
        som,
        gemiddelde_per_maand: afronden(som, n, 1),
        uitkomst: afronden_op_honderdtallen(som * 6, n),
        bron: invoer.inwilligingen.bron.clone(),
        illustratief: invoer.inwilligingen.illustratief,
        maanden,
    })
}

/// Scenario 2: planned decisions per category times the expected grant percentage,
/// summed exactly, rounded to hundreds.
pub fn scenario_2(invoer: &Invoer) -> Scenario2 {
    let s = &invoer.scenario_2;
    // Sum in units of 1/10000 grant: decisions × hundredths of a percent.
    let exact: i64 = s
        .categorieen
        .iter()
        .map(|c| c.beslissingen * c.percentage_honderdsten)
        .sum();
    Scenario2 {
        productieplan: s.productieplan.clone(),
        prognose: s.prognose.clone(),
        illustratief: s.illustratief,
        categorieen: s
            .categorieen
            .iter()
            .map(|c| Scenario2Categorie {
                naam: c.naam.clone(),
                beslissingen: c.beslissingen,
                percentage: nl::decimaal(c.percentage_honderdsten as f64 / 100.0, 1),
                verwachte_inwilligingen: afronden(
                    c.beslissingen * c.percentage_honderdsten,
                    10_000,
                    1,
                ),
            })
            .collect(),
        beslissingen_totaal: s.categorieen.iter().map(|c| c.beslissingen).sum(),
        verwacht_onafgerond: afronden(exact, 10_000, 1),
        uitkomst: afronden_op_honderdtallen(exact, 10_000),
    }
}

/// The bandwidth runs from the lower to the higher scenario.
pub fn bandbreedte(s1: i64, s2: i64) -> Bandbreedte {
    let (onderkant, onderkant_scenario, bovenkant, bovenkant_scenario) = if s1 <= s2 {
        (s1, 1, s2, 2)
    } else {
        (s2, 2, s1, 1)
    };
    Bandbreedte {
        onderkant,
        bovenkant,
        onderkant_scenario,
        bovenkant_scenario,
        breedte: bovenkant - onderkant,
    }
}

/// Checks the chosen number against the bandwidth: outside it only with a stated reason.
pub fn taakstelling(
    invoer: &Invoer,
    band: &Bandbreedte,
    s1: i64,
    s2: i64,
) -> Result<Taakstelling, Bevinding> {
    let t = invoer.besluit.taakstelling;
    let positie = if t == band.onderkant {
        "onderkant"
    } else if t == band.bovenkant {
        "bovenkant"
    } else if t > band.onderkant && t < band.bovenkant {
        "binnen"
    } else {
        "buiten"
    };
    if positie == "buiten" && invoer.besluit.reden_buiten_bandbreedte.is_none() {
        return Err(bev(
            Plek::veld("besluit.taakstelling"),
            format!(
                "the chosen taakstelling {} lies outside the bandwidth {} to {}; expected a number within it, or a stated reason in besluit.reden_buiten_bandbreedte",
                nl::getal(t),
                nl::getal(band.onderkant),
                nl::getal(band.bovenkant)
            ),
        ));
    }
    Ok(Taakstelling {
        aantal: t,
        positie: positie.to_string(),
        buffer_tot_bovenkant: band.bovenkant - t,
        verschil_scenario_1: t - s1,
        verschil_scenario_2: t - s2,
        per_maand: afronden(t, 6, 1),
        motivering: invoer.besluit.motivering.clone(),
        reden_buiten_bandbreedte: invoer.besluit.reden_buiten_bandbreedte.clone(),
        buffer_toelichting: invoer.buffer_toelichting.clone(),
    })
}

/// The number in force for a period, from the history (or this period's decision).
fn geldend(invoer: &Invoer, p: Periode) -> Option<i64> {
    if p == invoer.periode {
        return Some(invoer.besluit.taakstelling);
    }
    invoer
        .historie
        .iter()
        .find(|h| h.periode == p)
        .and_then(super::input::HistorieRegel::geldend)
}

/// The year total of the two periods of a year, from the history.
pub fn jaartotaal(invoer: &Invoer, jaar: i32) -> Result<Jaartotaal, Bevinding> {
    let helft = |h| {
        let p = Periode { jaar, helft: h };
        geldend(invoer, p).ok_or_else(|| {
            bev(
                Plek::rij("historie", p),
                format!("the national taakstelling of {p} is missing from the history; it is needed for the year total of {jaar}"),
            )
        })
    };
    let eerste = helft(kalender::Helft::I)?;
    let tweede = helft(kalender::Helft::II)?;
    Ok(Jaartotaal {
        jaar,
        eerste_helft: eerste,
        tweede_helft: tweede,
        totaal: eerste + tweede,
    })
}

/// Outflow per calendar year: realised months, and the rest of the last year projected at
/// the pace of that year's realised months.
pub fn uitstroom(invoer: &Invoer) -> Result<(Vec<UitstroomJaar>, i64), Bevinding> {
    let reeks = &invoer.uitstroom.reeks;
    let laatste = reeks
        .laatste_maand()
        .ok_or_else(|| bev(Plek::veld("uitstroom.maanden"), "no months of outflow"))?;
    let eerste_jaar = reeks.maanden[0].0.jaar;
    let mut jaren = Vec::new();
    let mut tempo = 0;
    for jaar in eerste_jaar..=laatste.jaar {
        let gerealiseerd: Vec<i64> = reeks
            .maanden
            .iter()
            .filter(|(m, _)| m.jaar == jaar)
            .map(|(_, n)| *n)
            .collect();
        let som: i64 = gerealiseerd.iter().sum();
        let k = gerealiseerd.len() as i64;
        let rest = 12 - k;
        let (geprojecteerd, pace) = if rest > 0 {
            // Exact: som / k per month, times the remaining months, rounded to whole people.
            (afronden(som * rest, k, 1), afronden(som, k, 1))
        } else {
            (0, afronden(som, 12, 1))
        };
        tempo = pace;
        let totaal = som + geprojecteerd;
        jaren.push(UitstroomJaar {
            jaar,
            gerealiseerd: som,
            gerealiseerde_maanden: k,
            geprojecteerd,
            geprojecteerde_maanden: rest,
            totaal,
            circa: afronden(totaal, 1, UITSTROOM_AFRONDING),
        });
    }
    Ok((jaren, tempo))
}

/// Backlog per period from the start of `beginjaar` to the end of the outflow's last year:
/// backlog at the start + taakstelling − outflow (realised, the rest projected at the current pace).
pub fn achterstand(
    invoer: &Invoer,
    uitstroom: &[UitstroomJaar],
    tempo: i64,
) -> Result<Achterstand, Bevinding> {
    let reeks = &invoer.uitstroom.reeks;
    let laatste = reeks.laatste_maand().expect("checked by uitstroom()");
    let beginjaar = invoer.uitstroom.beginjaar;
    if beginjaar > laatste.jaar
        || reeks
            .get(Maand {
                jaar: beginjaar,
                maand: 1,
            })
            .is_none()
    {
        return Err(bev(
            Plek::veld("uitstroom.beginstand.datum"),
            format!(
                "the backlog starts in {beginjaar}, expected a year covered by the outflow months ({} to {laatste})",
                reeks.maanden[0].0
            ),
        ));
    }
    let mut stand = invoer.uitstroom.beginstand;
    let mut perioden = Vec::new();
    let mut p = Periode {
        jaar: beginjaar,
        helft: kalender::Helft::I,
    };
    while p.jaar <= laatste.jaar {
        let t = geldend(invoer, p).ok_or_else(|| {
            bev(
                Plek::rij("historie", p),
                format!("the national taakstelling of {p} is missing from the history; the backlog needs it"),
            )
        })?;
        let (uit, geprojecteerd) = uitstroom_in(p, reeks, uitstroom);
        let eind = stand + t - uit;
        perioden.push(AchterstandPeriode {
            periode: p,
            begin: stand,
            taakstelling: t,
            uitstroom: uit,
            geprojecteerd,
            eind,
        });
        stand = eind;
        p = p.volgende();
    }
    let circa: Vec<i64> = uitstroom
        .iter()
        .filter(|u| u.jaar >= beginjaar - 1)
        .map(|u| u.circa)
        .collect();
    let uitstroom_gelijk_circa = circa
        .first()
        .filter(|c| circa.iter().all(|x| x == *c))
        .copied();
    Ok(Achterstand {
        beginjaar,
        beginstand: invoer.uitstroom.beginstand,
        tempo_per_maand: tempo,
        laatste_gerealiseerde_maand: laatste,
        perioden,
        eindjaar: laatste.jaar,
        eindstand: stand,
        eindstand_circa: afronden(stand, 1, CIRCA_AFRONDING),
        loopt_op: stand > invoer.uitstroom.beginstand,
        uitstroom_gelijk_circa,
        bron: reeks.bron.clone(),
        illustratief: reeks.illustratief,
    })
}

/// The outflow in period `p`: the months realised, the months missing projected at
/// the pace of the year's projection. Returns it and whether any month is projected.
fn uitstroom_in(p: Periode, reeks: &Reeks, uitstroom: &[UitstroomJaar]) -> (i64, bool) {
    let mut uit = 0;
    let mut ontbrekend = 0;
    for m in p.maanden() {
        match reeks.get(m) {
            Some(n) => uit += n,
            None => ontbrekend += 1,
        }
    }
    let geprojecteerd = ontbrekend > 0;
    if geprojecteerd {
        // Same exact pace as the year's projection: realised so far ÷ realised months.
        let jaar = uitstroom
            .iter()
            .find(|u| u.jaar == p.jaar)
            .expect("every year up to the last month has an outflow figure");
        uit += afronden(
            jaar.gerealiseerd * ontbrekend,
            jaar.gerealiseerde_maanden,
            1,
        );
    }
    (uit, geprojecteerd)
}

/// The previous period's number against the updated expectation of grants in its window.
pub fn evaluatie(invoer: &Invoer) -> Result<Evaluatie, Bevinding> {
    let vorige = invoer.periode.vorige();
    let t = geldend(invoer, vorige).ok_or_else(|| {
        bev(
            Plek::rij("historie", vorige),
            format!("the taakstelling of the previous period {vorige} is missing from the history; the evaluation needs it"),
        )
    })?;
    let e = &invoer.evaluatie;
    let mut gerealiseerd = 0;
    let mut k = 0;
    let mut rest = 0;
    let mut laatste_gerealiseerd = None;
    let mut eerste_geprognosticeerd = None;
    let mut op_volgorde = true;
    for i in 0..=(e.tot_en_met.index() - e.van.index()) {
        let maand = e.van.plus(i);
        match invoer.inwilligingen.get(maand) {
            Some(n) => {
                gerealiseerd += n;
                k += 1;
                laatste_gerealiseerd = Some(maand);
                op_volgorde &= rest == 0;
            }
            None => {
                rest += 1;
                eerste_geprognosticeerd.get_or_insert(maand);
            }
        }
    }
    // Named months only when the realised ones come first (the window runs past the
    // peilmoment of a consecutive series, as validation ensures); should a gap ever
    // come first, the memo counts the months instead of naming wrong ones.
    if !op_volgorde {
        laatste_gerealiseerd = None;
        eerste_geprognosticeerd = None;
    }
    let geprognosticeerd = rest * e.prognose_per_maand;
    let verwachting = gerealiseerd + geprognosticeerd;
    let marge = afronden(t * e.marge_procent, 100, 1);
    let verschil = verwachting - t;
    let oordeel = oordeel_over(verschil, marge);
    let bijstelling = invoer
        .historie
        .iter()
        .find(|h| h.periode == vorige)
        .and_then(|h| h.eerst_bekendgemaakt.zip(h.na_bijstelling))
        .filter(|(eerst, na)| eerst != na)
        .map(|(eerst, na)| {
            let marge = afronden(eerst * e.marge_procent, 100, 1);
            let verschil = verwachting - eerst;
            let oordeel = oordeel_over(verschil, marge);
            let verlaagd = na < eerst;
            EvaluatieBijstelling {
                eerst_bekendgemaakt: eerst,
                richting: if verlaagd { "verlaagd" } else { "verhoogd" }.to_string(),
                bijgesteld_met: (na - eerst).abs(),
                verschil,
                verschil_abs: verschil.abs(),
                marge,
                oordeel: oordeel.to_string(),
                bevestigt_bijstelling: (verlaagd && oordeel == "te_hoog")
                    || (!verlaagd && oordeel == "te_laag"),
            }
        });
    Ok(Evaluatie {
        periode: vorige,
        taakstelling: t,
        venster_van: e.van,
        venster_tot_en_met: e.tot_en_met,
        gerealiseerd,
        gerealiseerde_maanden: k,
        laatste_gerealiseerde_maand: laatste_gerealiseerd,
        eerste_geprognosticeerde_maand: eerste_geprognosticeerd,
        geprognosticeerd,
        geprognosticeerde_maanden: rest,
        prognose_per_maand: e.prognose_per_maand,
        verwachting,
        verschil,
        verschil_abs: verschil.abs(),
        marge_procent: e.marge_procent,
        marge,
        oordeel: oordeel.to_string(),
        aanleiding: e.aanleiding.clone(),
        bijstelling,
    })
}

/// The verdict on a taakstelling from the expectation minus the taakstelling:
/// lower than the margin allows is too high, higher is too low.
fn oordeel_over(verschil: i64, marge: i64) -> &'static str {
    if verschil < -marge {
        "te_hoog"
    } else if verschil > marge {
        "te_laag"
    } else {
        "binnen_verwachting"
    }
}

/// Amv places: needed and realised, rounded for the text, and whether realisation lags.
pub fn amv(invoer: &Invoer) -> Amv {
    let stand = |(d, n): &(Datum, i64)| AmvStand {
        datum: *d,
        plekken: *n,
        circa: afronden(*n, 1, CIRCA_AFRONDING),
    };
    let eerste_behoefte = invoer.amv.behoefte.first().map(|b| b.1);
    let laatste_realisatie = invoer.amv.realisatie.last().map(|r| r.1);
    let (blijft_achter, tekort) = match (eerste_behoefte, laatste_realisatie) {
        (Some(b), Some(r)) => (Some(r < b), Some((b - r).max(0))),
        _ => (None, None),
    };
    Amv {
        organisatie: invoer.amv.organisatie.clone(),
        illustratief: invoer.amv.illustratief,
        behoefte: invoer.amv.behoefte.iter().map(stand).collect(),
        realisatie: invoer.amv.realisatie.iter().map(stand).collect(),
        realisatie_blijft_achter: blijft_achter,
        tekort,
    }
}

/// The latest publication date: 13 weeks before the period starts.
pub fn publicatie(invoer: &Invoer) -> Publicatie {
    let uiterste = invoer
        .periode
        .begindatum()
        .plus_dagen(-7 * PUBLICATIE_WEKEN_VOORAF);
    Publicatie {
        geplande_datum: invoer.geplande_publicatie,
        uiterste_datum: uiterste,
        op_tijd: invoer.geplande_publicatie <= uiterste,
        weken_vooraf: PUBLICATIE_WEKEN_VOORAF,
    }
}

fn afspraken(invoer: &Invoer) -> Afspraken {
    let deel = match invoer.afspraken.deel {
        Deel::Begin => "begin",
        Deel::Midden => "medio",
        Deel::Eind => "eind",
    };
    Afspraken {
        moment_nl: format!("{deel} {}", invoer.afspraken.delen_in.nl()),
        volgende_periode: invoer.periode.volgende(),
    }
}

/// Computes every figure of a period.
pub fn bereken(invoer: &Invoer) -> Result<Uitkomst, Vec<Bevinding>> {
    let mut bevindingen = Vec::new();
    fn ok<T>(found: &mut Vec<Bevinding>, r: Result<T, Bevinding>) -> Option<T> {
        r.map_err(|b| found.push(b)).ok()
    }
    let b = &mut bevindingen;
    let s1 = ok(b, scenario_1(invoer));
    let s2 = scenario_2(invoer);
    let uit = ok(b, uitstroom(invoer));
    let ach = uit
        .as_ref()
        .and_then(|(jaren, tempo)| ok(b, achterstand(invoer, jaren, *tempo)));
    let eval = ok(b, evaluatie(invoer));
    let jaren: Vec<i32> = ach
        .as_ref()
        .map(|a| (a.beginjaar - 1..=a.eindjaar).collect())
        .unwrap_or_default();
    let jaartotalen: Vec<Jaartotaal> = jaren
        .iter()
        .filter_map(|&j| ok(b, jaartotaal(invoer, j)))
        .collect();
    let band = s1.as_ref().map(|s1| bandbreedte(s1.uitkomst, s2.uitkomst));
    let t = match (&s1, &band) {
        (Some(s1), Some(band)) => ok(b, taakstelling(invoer, band, s1.uitkomst, s2.uitkomst)),
        _ => None,
    };
    let (Some(s1), Some(band), Some(t), Some((uitstroom, _)), Some(ach), Some(eval)) =
        (s1, band, t, uit, ach, eval)
    else {
        return Err(bevindingen);
    };
    if !bevindingen.is_empty() {
        return Err(bevindingen);
    }

    let publicatie = publicatie(invoer);
    let waarschuwingen = publicatie_waarschuwingen(&publicatie);
    let amv = amv(invoer);
    let verantwoording = verantwoording(
        invoer,
        &Figuren {
            s1: &s1,
            s2: &s2,
            band: &band,
            t: &t,
            jaartotalen: &jaartotalen,
            uitstroom: &uitstroom,
            ach: &ach,
            eval: &eval,
            publicatie: &publicatie,
        },
    );
    Ok(Uitkomst {
        periode: invoer.periode,
        vorige_periode: invoer.periode.vorige(),
        volgende_periode: invoer.periode.volgende(),
        peilmoment: invoer.peilmoment,
        inwilligingen: invoer
            .inwilligingen
            .maanden
            .iter()
            .map(|&(m, n)| MaandWaarde::new(m, n))
            .collect(),
        scenario_1: s1,
        scenario_2: s2,
        bandbreedte: band,
        taakstelling: t,
        jaartotalen,
        uitstroom,
        achterstand: ach,
        evaluatie: eval,
        amv,
        afspraken: afspraken(invoer),
        publicatie,
        historie: historie_punten(invoer),
        historie_samenvatting: historie_samenvatting(invoer),
        verantwoording,
        waarschuwingen,
        minister: invoer.minister.clone(),
        notitie: invoer.notitie.clone(),
        aandachtspunten: invoer.aandachtspunten.clone(),
        vervolgproces: invoer.vervolgproces.clone(),
        bronnen: bronvermeldingen(invoer),
    })
}

/// A warning when the planned publication is too late.
fn publicatie_waarschuwingen(publicatie: &Publicatie) -> Vec<Waarschuwing> {
    let mut waarschuwingen = Vec::new();
    if !publicatie.op_tijd {
        waarschuwingen.push(Waarschuwing {
            cli: format!(
                "bekendmaking.datum: the bekendmaking on {} is later than {} weeks before the period starts (at the latest {})",
                publicatie.geplande_datum, PUBLICATIE_WEKEN_VOORAF, publicatie.uiterste_datum
            ),
            document: format!(
                "De bekendmaking op {} is later dan {} weken voor het begin van de periode (uiterlijk {}).",
                publicatie.geplande_datum.nl(), PUBLICATIE_WEKEN_VOORAF, publicatie.uiterste_datum.nl()
            ),
        });
    }
    waarschuwingen
}

/// The history of the national taakstelling, as the input gives it.
fn historie_punten(invoer: &Invoer) -> Vec<HistoriePunt> {
    invoer
        .historie
        .iter()
        .map(|h| HistoriePunt {
            periode: h.periode,
            eerst_bekendgemaakt: h.eerst_bekendgemaakt,
            na_bijstelling: h.na_bijstelling,
            status: h.status.clone(),
        })
        .collect()
}

/// Where the figures come from, for the charts' source lines and the memo.
fn bronvermeldingen(invoer: &Invoer) -> Vec<Bronvermelding> {
    vec![
        Bronvermelding {
            onderwerp: "Inwilligingen per maand".into(),
            bron: invoer.inwilligingen.bron.clone(),
            illustratief: invoer.inwilligingen.illustratief,
        },
        Bronvermelding {
            onderwerp: format!(
                "Productieplan en inwilligingspercentages ({}, {})",
                invoer.scenario_2.productieplan, invoer.scenario_2.prognose
            ),
            bron: "IND en DRM".into(),
            illustratief: invoer.scenario_2.illustratief,
        },
        Bronvermelding {
            onderwerp: "Uitstroom naar huisvesting en achterstand".into(),
            bron: invoer.uitstroom.reeks.bron.clone(),
            illustratief: invoer.uitstroom.reeks.illustratief,
        },
        Bronvermelding {
            onderwerp: "Capaciteit amv".into(),
            bron: invoer.amv.organisatie.clone(),
            illustratief: invoer.amv.illustratief,
        },
        Bronvermelding {
            onderwerp: "Landelijke taakstelling per periode".into(),
            bron: format!("{HISTORIE_BRON} (zie de status per periode)"),
            illustratief: false,
        },
    ]
}

/// The figures the appendix explains, computed before it.
struct Figuren<'a> {
    s1: &'a Scenario1,
    s2: &'a Scenario2,
    band: &'a Bandbreedte,
    t: &'a Taakstelling,
    jaartotalen: &'a [Jaartotaal],
    uitstroom: &'a [UitstroomJaar],
    ach: &'a Achterstand,
    eval: &'a Evaluatie,
    publicatie: &'a Publicatie,
}

/// The Rekenverantwoording: every computed figure with its formula and inputs, in the
/// order the memo uses them.
fn verantwoording(invoer: &Invoer, f: &Figuren<'_>) -> Vec<Rekenregel> {
    let mut r = regels_taakstelling(invoer, f.s1, f.s2, f.band, f.t);
    r.extend(f.jaartotalen.iter().map(regel_jaartotaal));
    r.extend(f.uitstroom.iter().map(regel_uitstroom));
    r.push(regel_achterstand(f.ach));
    r.push(regel_evaluatie(f.eval));
    r.push(regel_publicatie(invoer, f.publicatie));
    r
}

/// Scenario 1 and 2, the bandwidth, the taakstelling and the buffer.
fn regels_taakstelling(
    invoer: &Invoer,
    s1: &Scenario1,
    s2: &Scenario2,
    band: &Bandbreedte,
    t: &Taakstelling,
) -> Vec<Rekenregel> {
    let g = nl::getal;
    vec![
        Rekenregel {
            figuur: "Scenario 1".into(),
            formule: format!(
                "som van de inwilligingen over {} ÷ {} × 6 maanden, afgerond op honderdtallen",
                nl::maanden(s1.aantal_maanden),
                s1.aantal_maanden
            ),
            invoer: vec![
                iw("maanden", format!("{} t/m {}", s1.eerste_maand.nl(), s1.laatste_maand.nl())),
                iw("som van de inwilligingen", g(s1.som)),
                iw("gemiddelde per maand", g(s1.gemiddelde_per_maand)),
            ],
            uitkomst: g(s1.uitkomst),
        },
        Rekenregel {
            figuur: "Scenario 2".into(),
            formule: "Σ (geplande beslissingen × verwacht inwilligingspercentage), afgerond op honderdtallen".into(),
            invoer: s2
                .categorieen
                .iter()
                .map(|c| {
                    iw(
                        c.naam.clone(),
                        format!("{} × {} % = {}", g(c.beslissingen), c.percentage, g(c.verwachte_inwilligingen)),
                    )
                })
                .chain([iw("totaal onafgerond", g(s2.verwacht_onafgerond))])
                .collect(),
            uitkomst: g(s2.uitkomst),
        },
        Rekenregel {
            figuur: "Bandbreedte".into(),
            formule: "van het laagste tot het hoogste scenario".into(),
            invoer: vec![iw("scenario 1", g(s1.uitkomst)), iw("scenario 2", g(s2.uitkomst))],
            uitkomst: format!("{} – {}", g(band.onderkant), g(band.bovenkant)),
        },
        Rekenregel {
            figuur: format!("Taakstelling {}", invoer.periode),
            formule: "besluit van de minister, getoetst aan de bandbreedte".into(),
            invoer: vec![
                iw("gekozen aantal", g(t.aantal)),
                iw("positie in de bandbreedte", t.positie.clone()),
            ],
            uitkomst: g(t.aantal),
        },
        Rekenregel {
            figuur: "Buffer tot de bovenkant".into(),
            formule: "bovenkant bandbreedte − taakstelling".into(),
            invoer: vec![iw("bovenkant", g(band.bovenkant)), iw("taakstelling", g(t.aantal))],
            uitkomst: g(t.buffer_tot_bovenkant),
        },
    ]
}

fn regel_jaartotaal(j: &Jaartotaal) -> Rekenregel {
    let g = nl::getal;
    Rekenregel {
        figuur: format!("Taakstelling {}", j.jaar),
        formule: format!(
            "taakstelling {0}-I + taakstelling {0}-II (na bijstelling waar bijgesteld)",
            j.jaar
        ),
        invoer: vec![
            iw(format!("{}-I", j.jaar), g(j.eerste_helft)),
            iw(format!("{}-II", j.jaar), g(j.tweede_helft)),
        ],
        uitkomst: g(j.totaal),
    }
}

fn regel_uitstroom(u: &UitstroomJaar) -> Rekenregel {
    let g = nl::getal;
    Rekenregel {
        figuur: format!("Uitstroom naar huisvesting {}", u.jaar),
        formule: if u.geprojecteerde_maanden > 0 {
            "gerealiseerde maanden + resterende maanden × huidig tempo; circa = afgerond op duizendtallen".into()
        } else {
            "som van de gerealiseerde maanden; circa = afgerond op duizendtallen".into()
        },
        invoer: vec![
            iw(
                format!("gerealiseerd ({})", nl::maanden(u.gerealiseerde_maanden)),
                g(u.gerealiseerd),
            ),
            iw(
                format!("geprojecteerd ({})", nl::maanden(u.geprojecteerde_maanden)),
                g(u.geprojecteerd),
            ),
        ],
        uitkomst: format!("{} (circa {})", g(u.totaal), g(u.circa)),
    }
}

fn regel_achterstand(ach: &Achterstand) -> Rekenregel {
    let g = nl::getal;
    Rekenregel {
        figuur: format!("Achterstand eind {}", ach.eindjaar),
        formule: format!(
            "achterstand 1 januari {} + Σ taakstelling per periode − Σ uitstroom per periode (ontbrekende maanden tegen {} per maand); circa = afgerond op honderdtallen",
            ach.beginjaar,
            g(ach.tempo_per_maand)
        ),
        invoer: std::iter::once(iw(
            format!("achterstand 1 januari {}", ach.beginjaar),
            g(ach.beginstand),
        ))
        .chain(ach.perioden.iter().map(|p| {
            iw(
                p.periode.to_string(),
                format!(
                    "{} + {} − {}{} = {}",
                    g(p.begin),
                    g(p.taakstelling),
                    g(p.uitstroom),
                    uitstroom_label(p, ach.laatste_gerealiseerde_maand),
                    g(p.eind)
                ),
            )
        }))
        .collect(),
        uitkomst: format!("{} (circa {})", g(ach.eindstand), g(ach.eindstand_circa)),
    }
}

/// " (geprojecteerd)" or " (deels geprojecteerd)" after a period's outflow, by its
/// months after the last realised one.
fn uitstroom_label(p: &AchterstandPeriode, laatste: Maand) -> &'static str {
    let geraamd = p.periode.maanden().filter(|m| *m > laatste).count() as i64;
    match uitspraken::status(6 - geraamd, geraamd) {
        uitspraken::Status::Gerealiseerd => "",
        uitspraken::Status::DeelsGeprojecteerd => " (deels geprojecteerd)",
        uitspraken::Status::Geprojecteerd => " (geprojecteerd)",
    }
}

fn regel_evaluatie(eval: &Evaluatie) -> Rekenregel {
    let g = nl::getal;
    Rekenregel {
        figuur: format!("Evaluatie {}", eval.periode),
        formule: "verwachting = gerealiseerde inwilligingen in het venster + resterende maanden × prognose; binnen de verwachting als |verwachting − taakstelling| ≤ marge".into(),
        invoer: vec![
            iw("venster", format!("{} t/m {}", eval.venster_van.nl(), eval.venster_tot_en_met.nl())),
            iw(format!("gerealiseerd ({})", nl::maanden(eval.gerealiseerde_maanden)), g(eval.gerealiseerd)),
            iw(
                format!("prognose ({} × {})", nl::maanden(eval.geprognosticeerde_maanden), g(eval.prognose_per_maand)),
                g(eval.geprognosticeerd),
            ),
            iw(
                if eval.bijstelling.is_some() { "taakstelling (na bijstelling)" } else { "taakstelling" },
                g(eval.taakstelling),
            ),
            iw(format!("marge ({} %)", eval.marge_procent), g(eval.marge)),
        ]
        .into_iter()
        .chain(eval.bijstelling.iter().map(|b| {
            iw(
                "eerst bekendgemaakt",
                format!(
                    "{}: verschil {}, marge {}: {}",
                    g(b.eerst_bekendgemaakt),
                    g(b.verschil),
                    g(b.marge),
                    b.oordeel.replace('_', " ")
                ),
            )
        }))
        .collect(),
        uitkomst: format!(
            "verwachting {}, verschil {}: {}",
            g(eval.verwachting),
            g(eval.verschil),
            eval.oordeel.replace('_', " ")
        ),
    }
}

fn regel_publicatie(invoer: &Invoer, publicatie: &Publicatie) -> Rekenregel {
    Rekenregel {
        figuur: FIGUUR_PUBLICATIE.into(),
        formule: format!("begin van de periode − {} weken", publicatie.weken_vooraf),
        invoer: vec![
            iw("begin periode", invoer.periode.begindatum().nl()),
            iw("geplande publicatie", publicatie.geplande_datum.nl()),
        ],
        uitkomst: publicatie.uiterste_datum.nl(),
    }
}

#[cfg(test)]
mod tests;
