//! The publications' own inputs: the ministry, the signature, the bekendmaking and
//! the circulaire, and a bijstelling of the period's number. Kept apart from the
//! memo's inputs: the engine cannot know any of it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::fout::ErrorCollector;
use super::{NotitieKop, Pos, Tijdvak, datum, maand, notitie_kop, reeks, samenhang, schema, tekst};
use crate::kalender::{Datum, Maand, Periode};

/// The ministry at the top of the publications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ministerie {
    pub naam: String,
    pub directie: String,
    pub plaats: String,
}

/// Who signs: title and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ondertekening {
    pub functie: String,
    pub naam: String,
}

/// Date and number of a bekendmaking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BekendmakingKop {
    pub datum: Datum,
    pub kenmerk: String,
}

/// Date, number and contact of a circulaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CirculaireKop {
    pub datum: Datum,
    pub kenmerk: String,
    pub contact: String,
}

/// The period's publications as the input describes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publicaties {
    pub ministerie: Ministerie,
    pub ondertekening: Ondertekening,
    pub bekendmaking: BekendmakingKop,
    pub circulaire: CirculaireKop,
}

/// A bijstelling of the period's number, valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bijstelling {
    pub taakstelling: i64,
    pub datum: Datum,
    pub reden: String,
    pub evaluatie: BijstellingEvaluatie,
    pub notitie: NotitieKop,
    pub bekendmaking: BekendmakingKop,
    pub circulaire: CirculaireKop,
}

/// The interim evaluation behind a bijstelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BijstellingEvaluatie {
    pub bron: String,
    pub illustratief: bool,
    pub van: Maand,
    pub tot_en_met: Maand,
    pub maanden: Vec<(Maand, i64)>,
    pub prognose_per_maand: i64,
}

/// A circulaire is sent on or after the bekendmaking it follows.
fn circulaire_kop(
    f: &mut ErrorCollector,
    raw: &schema::CirculaireKop,
    veld: &str,
    bekendmaking: Option<Datum>,
) -> CirculaireKop {
    let d = datum(f, &raw.datum, &format!("{veld}.datum"));
    if let (Some(d), Some(b)) = (d, bekendmaking)
        && d < b
    {
        f.at(
            &raw.datum.referenced,
            format!("{veld}.datum"),
            format!("found {d}, expected a date on or after the bekendmaking's ({b})"),
        );
    }
    CirculaireKop {
        datum: d
            .or(bekendmaking)
            .unwrap_or(Datum::new(2000, 1, 1).expect("a date")),
        kenmerk: tekst(f, &raw.kenmerk, &format!("{veld}.kenmerk")),
        contact: tekst(f, &raw.contact, &format!("{veld}.contact")),
    }
}

/// The publications of the period; `bekendmaking` is the bekendmaking's date, already
/// read (it doubles as the planned publication, see `data`).
pub(super) fn publicaties(
    f: &mut ErrorCollector,
    raw: &schema::PeriodeInput,
    bekendmaking: Option<Datum>,
    standaard: Datum,
) -> Publicaties {
    let m = &raw.ministerie;
    let o = &raw.ondertekening;
    Publicaties {
        ministerie: Ministerie {
            naam: tekst(f, &m.naam, "ministerie.naam"),
            directie: tekst(f, &m.directie, "ministerie.directie"),
            plaats: tekst(f, &m.plaats, "ministerie.plaats"),
        },
        ondertekening: Ondertekening {
            functie: tekst(f, &o.functie, "ondertekening.functie"),
            naam: tekst(f, &o.naam, "ondertekening.naam"),
        },
        bekendmaking: BekendmakingKop {
            datum: bekendmaking.unwrap_or(standaard),
            kenmerk: tekst(f, &raw.bekendmaking.kenmerk, "bekendmaking.kenmerk"),
        },
        circulaire: circulaire_kop(f, &raw.circulaire, "circulaire", bekendmaking),
    }
}

/// A bijstelling: a new number that differs from the one published, decided after
/// the bekendmaking and before the period ends, with its memo before the decision
/// and its publications after it.
pub(super) fn bijstelling(
    f: &mut ErrorCollector,
    raw: &schema::Bijstelling,
    periode: Option<Periode>,
    taakstelling: Option<i64>,
    bekendmaking: Option<Datum>,
    posities: &mut BTreeMap<String, Pos>,
) -> Bijstelling {
    let standaard = periode.map_or(Datum::new(2000, 1, 1).expect("a date"), Periode::begindatum);
    let t = &raw.taakstelling;
    let geldig = samenhang::bereik(
        f,
        t,
        "bijstelling.taakstelling",
        samenhang::POSITIEF,
        "number of people",
    );
    if geldig && taakstelling == Some(t.value) {
        f.at(
            &t.referenced,
            "bijstelling.taakstelling",
            format!(
                "found {}, the number already published (besluit.taakstelling): a bijstelling must change it",
                t.value
            ),
        );
    }
    let besluit = datum(f, &raw.datum, "bijstelling.datum");
    if let Some(d) = besluit {
        if let Some(b) = bekendmaking
            && d <= b
        {
            f.at(
                &raw.datum.referenced,
                "bijstelling.datum",
                format!("found {d}, expected a date after the period's bekendmaking ({b})"),
            );
        }
        if let Some(p) = periode
            && d > p.einddatum()
        {
            f.at(
                &raw.datum.referenced,
                "bijstelling.datum",
                format!(
                    "found {d}, expected a date on or before the end of the period ({})",
                    p.einddatum()
                ),
            );
        }
    }
    let evaluatie = evaluatie(f, &raw.evaluatie, periode, besluit, posities);
    let tijdvak = Tijdvak {
        vanaf: None,
        tot_en_met: besluit.map(|d| (d, "the bijstelling's decision (bijstelling.datum)")),
    };
    let notitie = notitie_kop(
        f,
        &raw.notitie,
        "bijstelling.notitie",
        &tijdvak,
        besluit.unwrap_or(standaard),
        false,
    );
    let bk = datum(f, &raw.bekendmaking.datum, "bijstelling.bekendmaking.datum");
    if let (Some(b), Some(d)) = (bk, besluit)
        && b < d
    {
        f.at(
            &raw.bekendmaking.datum.referenced,
            "bijstelling.bekendmaking.datum",
            format!("found {b}, expected a date on or after the decision (bijstelling.datum, {d})"),
        );
    }
    let bekendmaking_kop = BekendmakingKop {
        datum: bk.or(besluit).unwrap_or(standaard),
        kenmerk: tekst(
            f,
            &raw.bekendmaking.kenmerk,
            "bijstelling.bekendmaking.kenmerk",
        ),
    };
    let circulaire = circulaire_kop(f, &raw.circulaire, "bijstelling.circulaire", bk);
    Bijstelling {
        taakstelling: t.value,
        datum: besluit.unwrap_or(standaard),
        reden: tekst(f, &raw.reden, "bijstelling.reden"),
        evaluatie,
        notitie,
        bekendmaking: bekendmaking_kop,
        circulaire,
    }
}

/// The evaluation's window lies before the period ends and starts with its realised
/// months, which lie before the decision.
fn evaluatie(
    f: &mut ErrorCollector,
    raw: &schema::BijstellingEvaluatie,
    periode: Option<Periode>,
    besluit: Option<Datum>,
    posities: &mut BTreeMap<String, Pos>,
) -> BijstellingEvaluatie {
    let veld = "bijstelling.evaluatie";
    let van = maand(f, &raw.venster.van, &format!("{veld}.venster.van"));
    let tot = maand(
        f,
        &raw.venster.tot_en_met,
        &format!("{veld}.venster.tot_en_met"),
    );
    if let (Some(v), Some(t)) = (van, tot)
        && t < v
    {
        f.at(
            &raw.venster.tot_en_met.referenced,
            format!("{veld}.venster.tot_en_met"),
            format!("found {t}, expected a month on or after venster.van ({v})"),
        );
    }
    if let (Some(t), Some(p)) = (tot, periode)
        && t > p.eerste_maand().plus(5)
    {
        f.at(
            &raw.venster.tot_en_met.referenced,
            format!("{veld}.venster.tot_en_met"),
            format!(
                "found {t}, expected a month on or before the period's last ({})",
                p.eerste_maand().plus(5)
            ),
        );
    }
    let maanden = reeks(f, &raw.maanden, &format!("{veld}.maanden"), posities);
    if let (Some((eerste, _)), Some(v)) = (maanden.first(), van)
        && *eerste != v
    {
        f.at(
            &raw.maanden.referenced,
            format!("{veld}.maanden"),
            format!("found {eerste} first, expected the window's first month ({v})"),
        );
    }
    if let (Some((laatste, _)), Some(t)) = (maanden.last(), tot)
        && *laatste > t
    {
        f.at(
            &raw.maanden.referenced,
            format!("{veld}.maanden"),
            format!("found {laatste} last, expected months within the window (up to {t})"),
        );
    }
    if let (Some((laatste, _)), Some(d)) = (maanden.last(), besluit)
        && laatste.plus(1).eerste_dag() > d
    {
        f.at(
            &raw.maanden.referenced,
            format!("{veld}.maanden"),
            format!(
                "found {laatste} realised, expected months that ended before the decision ({d})"
            ),
        );
    }
    samenhang::bereik(
        f,
        &raw.prognose_per_maand,
        &format!("{veld}.prognose_per_maand"),
        samenhang::TELLING,
        "count",
    );
    let standaard = maanden.first().map_or(
        Maand {
            jaar: 2000,
            maand: 1,
        },
        |m| m.0,
    );
    BijstellingEvaluatie {
        bron: tekst(f, &raw.bron, &format!("{veld}.bron")),
        illustratief: raw.illustratief,
        van: van.unwrap_or(standaard),
        tot_en_met: tot.unwrap_or(standaard),
        maanden,
        prognose_per_maand: raw.prognose_per_maand.value,
    }
}
