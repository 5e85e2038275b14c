//! The YAML schema of a period file, as written by the secretariat.
//!
//! Keys are Dutch, like the memo. Every struct denies unknown fields so that a
//! misspelled key is an error, never a silently ignored figure. Fields whose
//! meaning is checked after parsing are [`Spanned`] so that such an error can
//! still point at a line and column.

use serde::Deserialize;
use serde_saphyr::Spanned;

/// One period file (`inputs/2025-I.yaml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodeInput {
    /// `YYYY-I` or `YYYY-II`.
    pub periode: Spanned<String>,
    /// Reference moment (`YYYY-MM-DD`): scenario 1 looks at the 12 whole months before it,
    /// and the backlog projection starts from it.
    pub peilmoment: Spanned<String>,
    /// The minister who decides, as the memo names them ("minister van Asiel en Migratie").
    pub minister: Spanned<String>,
    /// The memo's header block.
    pub notitie: NotitieKop,
    /// The ministry that publishes, and its directorate.
    pub ministerie: Ministerie,
    /// Who signs the bekendmaking and the circulaire.
    pub ondertekening: Ondertekening,
    /// The bekendmaking in the Staatscourant; its date drives the 13-weeks check.
    pub bekendmaking: BekendmakingKop,
    /// The circulaire to the colleges with Bijlage A.
    pub circulaire: CirculaireKop,
    pub inwilligingen: Maandreeks,
    pub scenario_1: Scenario1,
    pub scenario_2: Scenario2,
    pub besluit: Besluit,
    /// Why a buffer between expected grants and the taakstelling is kept (Markdown).
    pub buffer_toelichting: Spanned<String>,
    pub historie: Vec<HistorieRegel>,
    pub uitstroom: Uitstroom,
    /// The caveats (Markdown), one item each.
    pub aandachtspunten: Vec<Spanned<String>>,
    pub amv: Amv,
    pub evaluatie_vorige_periode: EvaluatieVorigePeriode,
    pub afspraken_evaluatie: AfsprakenEvaluatie,
    /// The next steps after the HLRT (Markdown), one item each.
    pub vervolgproces: Vec<Spanned<String>>,
    /// The decisions behind the distribution over the municipalities.
    pub verdeling: Verdeling,
    /// An adjustment of this period's number after its interim evaluation.
    #[serde(default)]
    pub bijstelling: Option<Bijstelling>,
}

/// The header block of a memo to the HLRT (aan, van, datum, agendapunt, status,
/// kenmerk), as the secretariat fills it in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotitieKop {
    /// To whom ("Leden van de HLRT").
    pub aan: Spanned<String>,
    /// From whom ("Secretariaat HLRT").
    pub van: Spanned<String>,
    /// The memo's date (`YYYY-MM-DD`).
    pub datum: Spanned<String>,
    /// The item on the meeting's agenda, when it is known.
    #[serde(default)]
    pub agendapunt: Option<Spanned<String>>,
    /// The memo's reference, when it has one.
    #[serde(default)]
    pub kenmerk: Option<Spanned<String>>,
    /// `concept` until the memo is final, then `definitief`.
    pub status: NotitieStatus,
    /// Show the buffer between the taakstelling and the top of the bandwidth as a
    /// figure (off by default: the HLRT did not decide a buffer size). Only the
    /// period's memo has a buffer to show.
    #[serde(default)]
    pub toon_buffer: Option<Spanned<bool>>,
    /// Show the evaluation's margin as a figure (off by default, likewise). Only
    /// the period's memo.
    #[serde(default)]
    pub toon_evaluatiemarge: Option<Spanned<bool>>,
}

/// Whether a memo is still a draft: a draft says so on every page.
#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum NotitieStatus {
    Concept,
    Definitief,
}

/// The ministry at the top of the publications.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ministerie {
    /// "Ministerie van Asiel en Migratie".
    pub naam: Spanned<String>,
    /// The directorate that prepares the taakstelling ("Directie Regie Migratieketen").
    pub directie: Spanned<String>,
    /// Where the publications are signed ("Den Haag").
    pub plaats: Spanned<String>,
}

/// The signature under the bekendmaking and the circulaire.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ondertekening {
    /// "Minister van Asiel en Migratie", as the signature line has it.
    pub functie: Spanned<String>,
    /// The minister's name as signed.
    pub naam: Spanned<String>,
}

/// Date and number of a bekendmaking in the Staatscourant.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BekendmakingKop {
    /// `YYYY-MM-DD`.
    pub datum: Spanned<String>,
    pub kenmerk: Spanned<String>,
}

/// Date, number and contact of a circulaire.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CirculaireKop {
    /// `YYYY-MM-DD`, on or after the bekendmaking's.
    pub datum: Spanned<String>,
    pub kenmerk: Spanned<String>,
    /// Who answers questions, with an address (plain text).
    pub contact: Spanned<String>,
}

/// An adjustment of the period's national number after its interim evaluation
/// (decided by the minister, published like the number itself).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bijstelling {
    /// The new national number.
    pub taakstelling: Spanned<i64>,
    /// The date of the minister's decision (`YYYY-MM-DD`).
    pub datum: Spanned<String>,
    /// Why the number is adjusted (Markdown).
    pub reden: Spanned<String>,
    /// The figures of the interim evaluation behind it.
    pub evaluatie: BijstellingEvaluatie,
    /// The header of the memo to the HLRT with the proposal.
    pub notitie: NotitieKop,
    pub bekendmaking: BekendmakingKop,
    pub circulaire: CirculaireKop,
}

/// The interim evaluation of the running period: the grants realised in the
/// window its number was meant to cover, and a forecast for the rest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BijstellingEvaluatie {
    pub bron: Spanned<String>,
    pub illustratief: bool,
    pub venster: Venster,
    /// Realised grants per month, from `venster.van` on, consecutive.
    pub maanden: Spanned<Vec<MaandAantal>>,
    /// Expected grants per month for the window's months not yet realised.
    pub prognose_per_maand: Spanned<i64>,
}

/// A monthly series with its provenance.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Maandreeks {
    /// Where the figures come from.
    pub bron: String,
    /// True when the figures are made up for the example, not real.
    pub illustratief: bool,
    pub maanden: Spanned<Vec<MaandAantal>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaandAantal {
    /// `YYYY-MM`.
    pub maand: Spanned<String>,
    pub aantal: Spanned<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario1 {
    /// How many whole months before the peilmoment the average is taken over (12 in practice).
    pub maanden: Spanned<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario2 {
    /// Name of the IND production plan ("IND-productieplan T2 2024").
    pub productieplan: String,
    /// Name of the forecast the grant percentages come from ("MPP 2024-2").
    pub prognose: String,
    pub illustratief: bool,
    pub categorieen: Spanned<Vec<Categorie>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Categorie {
    pub naam: Spanned<String>,
    /// Planned decisions (afdoeningen) in the period.
    pub beslissingen: Spanned<i64>,
    /// Expected share granted, in percent (0–100, at most two decimals).
    pub inwilligingspercentage: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Besluit {
    /// The taakstelling the minister chose.
    pub taakstelling: Spanned<i64>,
    /// Why this number (Markdown).
    pub motivering: Spanned<String>,
    /// Required when the chosen number lies outside the bandwidth.
    #[serde(default)]
    pub reden_buiten_bandbreedte: Option<Spanned<String>>,
}

/// One period of the national history, as in `taakstelling_landelijk.csv`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistorieRegel {
    pub periode: Spanned<String>,
    #[serde(default)]
    pub eerst_bekendgemaakt: Option<Spanned<i64>>,
    #[serde(default)]
    pub na_bijstelling: Option<Spanned<i64>>,
    /// How certain the figure is (from the source file's `status` column).
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uitstroom {
    pub bron: String,
    pub illustratief: bool,
    /// The backlog on 1 January of the first year that the projection covers.
    pub beginstand: Beginstand,
    /// Realised outflow from reception to housing, per month, whole years from the first.
    pub maanden: Spanned<Vec<MaandAantal>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Beginstand {
    /// `YYYY-01-01`.
    pub datum: Spanned<String>,
    /// Backlog (positive) or advance (negative) on that date.
    pub achterstand: Spanned<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amv {
    /// Who houses the amv ("Nidos").
    pub organisatie: Spanned<String>,
    pub illustratief: bool,
    /// Places needed, by date.
    pub behoefte: Spanned<Vec<AmvStand>>,
    /// Places realised, by date, where known.
    #[serde(default)]
    pub realisatie: Vec<AmvStand>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmvStand {
    /// `YYYY-MM-DD`.
    pub datum: Spanned<String>,
    pub plekken: Spanned<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluatieVorigePeriode {
    /// Why the previous period was evaluated in between (Markdown, optional).
    #[serde(default)]
    pub aanleiding: Option<String>,
    /// The months of grants the previous taakstelling was meant to cover.
    pub venster: Venster,
    /// Expected grants per month for window months not yet realised.
    pub prognose_per_maand: Spanned<i64>,
    /// Deviation (percent of the taakstelling) still counted as within expectation.
    pub marge_procent: Spanned<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Venster {
    /// `YYYY-MM`.
    pub van: Spanned<String>,
    /// `YYYY-MM`.
    pub tot_en_met: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AfsprakenEvaluatie {
    /// Month in which the interim evaluation is shared with the partners (`YYYY-MM`).
    pub delen_in: Spanned<String>,
    /// Which part of that month: `begin`, `midden` or `eind`.
    pub deel_van_maand: Deel,
}

#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Deel {
    Begin,
    Midden,
    Eind,
}

/// The decisions behind the distribution of the taakstelling over the
/// municipalities (Huisvestingswet 2014 art. 29 and 30). The population itself
/// comes from `inputs/bevolking/`, on 1 January of the year before the period's.
///
/// The section is required and so are its lists, even when empty: the file
/// states explicitly that there are no art. 30 settings, agreements or backlogs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdeling {
    /// When the number distributed differs from `besluit.taakstelling`.
    #[serde(default)]
    pub correctie: Option<Correctie>,
    /// Art. 30: populations set by Gedeputeerde Staten for merged municipalities.
    pub bevolking_vaststellingen: Vec<BevolkingVaststelling>,
    /// Art. 29 lid 2: agreements between municipalities to shift numbers.
    pub herverdelingen: Vec<Herverdeling>,
    /// Backlog (positive) or advance (negative) per municipality from the previous period.
    pub achterstanden: Vec<GemeenteAantal>,
}

/// The number distributed is `besluit.taakstelling + verschil`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correctie {
    pub verschil: Spanned<i64>,
    /// Why the numbers differ (shown in the documents).
    pub reden: Spanned<String>,
}

/// Art. 30: the population Gedeputeerde Staten set for a merged municipality.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BevolkingVaststelling {
    /// CBS code of the merged municipality (`GM` + four digits).
    pub gemeente: Spanned<String>,
    /// Required when the code is not in the population table.
    #[serde(default)]
    pub naam: Option<Spanned<String>>,
    /// Required when the code is not in the population table.
    #[serde(default)]
    pub provincie: Option<Spanned<String>>,
    pub inwoners: Spanned<i64>,
    /// Codes of the municipalities merged into it.
    #[serde(default)]
    pub vervangt: Vec<Spanned<String>>,
    /// The decision of Gedeputeerde Staten (reference, date).
    pub besluit: Spanned<String>,
}

/// Art. 29 lid 2: an agreement to shift numbers between municipalities.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Herverdeling {
    /// Who agreed what, and when.
    pub omschrijving: Spanned<String>,
    pub mutaties: Vec<Mutatie>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutatie {
    /// CBS code of the municipality.
    pub gemeente: Spanned<String>,
    /// Added to its taakstelling (negative: taken off).
    pub verschil: Spanned<i64>,
}

/// A number for one municipality (backlog or advance).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GemeenteAantal {
    /// CBS code of the municipality.
    pub gemeente: Spanned<String>,
    pub aantal: Spanned<i64>,
}
