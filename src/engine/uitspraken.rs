//! The statements the memo makes about its figures, decided here from the figures
//! so that no template writes "loopt op", "gerealiseerd" or "ligt achter" as a constant.
//!
//! Each statement is a small typed value (an enum or a count); the Dutch wording
//! stays in the template, which chooses its sentence by the value.

use serde::Serialize;

use super::afronding::afronden;
use super::{Achterstand, AmvStand, CIRCA_AFRONDING, Uitkomst, UitstroomJaar};
use crate::kalender::{Datum, Periode};

/// Which way a figure moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Richting {
    Stijgt,
    Daalt,
    Gelijk,
}

/// How much of a figure rests on realised months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Gerealiseerd,
    DeelsGeprojecteerd,
    Geprojecteerd,
}

/// Where a year stands in the calendar at the peilmoment, which sets the tense.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tijd {
    /// Over before the peilmoment: past tense.
    Voorbij,
    /// Running at the peilmoment: present or future.
    Lopend,
    /// Not started at the peilmoment: future.
    Komend,
}

/// Where the chosen number lies against the bandwidth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Positie {
    Onderkant,
    Bovenkant,
    Binnen,
    Onder,
    Boven,
}

/// The statements of one memo.
#[derive(Debug, Clone, Serialize)]
pub struct Uitspraken {
    pub positie: Positie,
    /// The outflow per year, with its tense and how much is realised.
    pub uitstroom: Vec<UitstroomUitspraak>,
    /// The outflow of the year before the last, and of the last year.
    pub uitstroom_vorige: Option<UitstroomUitspraak>,
    pub uitstroom_laatste: Option<UitstroomUitspraak>,
    /// The last year's outflow against the year before (by the rounded figures).
    pub uitstroom_richting: Option<Richting>,
    /// How many years up to the last one in a row had the same rounded outflow
    /// (3: "voor het derde jaar op rij"); 1 when the last year differs.
    pub uitstroom_jaren_op_rij: usize,
    /// The taakstelling per calendar year, with its tense.
    pub jaartotalen: Vec<JaarTijd>,
    /// The backlog from its start to the end of the last year.
    pub achterstand_richting: Richting,
    /// The backlog over the last period shown (the period decided, or the last one
    /// the outflow reaches), which may move the other way than over the year.
    pub achterstand_laatste_periode: Option<PeriodeRichting>,
    /// The backlog at the end of the last year: realised or projected.
    pub achterstand_eind: Status,
    /// Whether the outflow over the backlog's years keeps up with the taakstelling.
    pub uitstroom_volstaat: bool,
    /// The backlog per period, with its outflow's status.
    pub achterstand_perioden: Vec<PeriodeStatus>,
    /// The amv places realised against the need, compared only at the same date.
    pub amv: AmvVergelijking,
    /// The previous period (the one evaluated) at the peilmoment.
    pub evaluatie_tijd: Tijd,
    /// The subjects of the sources with illustrative values (as `u.bronnen` names
    /// them), empty when all are real: the memo says so once, at the top.
    pub illustratief: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UitstroomUitspraak {
    pub jaar: i32,
    pub tijd: Tijd,
    pub status: Status,
    pub circa: i64,
    pub gerealiseerde_maanden: i64,
    pub geprojecteerde_maanden: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct JaarTijd {
    pub jaar: i32,
    pub totaal: i64,
    pub tijd: Tijd,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodeRichting {
    pub periode: Periode,
    pub begin: i64,
    pub eind: i64,
    /// Rounded to hundreds, for "circa".
    pub begin_circa: i64,
    pub eind_circa: i64,
    pub richting: Richting,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodeStatus {
    pub periode: Periode,
    /// The outflow in the period.
    pub uitstroom: Status,
    /// The backlog at its end: projected once any month before it is.
    pub eind: Status,
}

/// What can honestly be said of the amv places: a realised count is compared with
/// a need only when both are known for the same date.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "soort", rename_all = "snake_case")]
pub enum AmvVergelijking {
    /// Realised and needed on the same date.
    Zelfde {
        datum: Datum,
        gerealiseerd: i64,
        nodig: i64,
        /// Places still needed on that date (0 when the need is met).
        tekort: i64,
    },
    /// The last realised count is known for an earlier date than the first need;
    /// `nog_nodig` is how many places must still be added by the need's date.
    Eerder {
        gerealiseerd_op: Datum,
        gerealiseerd: i64,
        nodig_op: Datum,
        nodig: i64,
        nog_nodig: i64,
    },
    /// No realised count, or no need, to compare.
    Onbekend,
}

/// The direction from `van` to `naar`.
pub fn richting(van: i64, naar: i64) -> Richting {
    match naar.cmp(&van) {
        std::cmp::Ordering::Greater => Richting::Stijgt,
        std::cmp::Ordering::Less => Richting::Daalt,
        std::cmp::Ordering::Equal => Richting::Gelijk,
    }
}

/// The status of a figure of `gerealiseerd` realised and `geprojecteerd` projected months.
pub fn status(gerealiseerd: i64, geprojecteerd: i64) -> Status {
    match (gerealiseerd, geprojecteerd) {
        (_, 0) => Status::Gerealiseerd,
        (0, _) => Status::Geprojecteerd,
        _ => Status::DeelsGeprojecteerd,
    }
}

/// The tense of a calendar year at the peilmoment: the figures run up to the day
/// before it, so a year that ends before the peilmoment is over.
pub fn tijd(jaar: i32, peilmoment: Datum) -> Tijd {
    let begin = Datum {
        jaar,
        maand: 1,
        dag: 1,
    };
    if peilmoment.jaar > jaar {
        Tijd::Voorbij
    } else if peilmoment > begin {
        Tijd::Lopend
    } else {
        Tijd::Komend
    }
}

/// The position of `t` against the bandwidth `onder`–`boven`.
pub fn positie(t: i64, onder: i64, boven: i64) -> Positie {
    if t == onder {
        Positie::Onderkant
    } else if t == boven {
        Positie::Bovenkant
    } else if t < onder {
        Positie::Onder
    } else if t > boven {
        Positie::Boven
    } else {
        Positie::Binnen
    }
}

/// How many of the last years in a row have the same rounded figure.
pub fn jaren_op_rij(circa: &[i64]) -> usize {
    let Some(laatste) = circa.last() else {
        return 0;
    };
    circa.iter().rev().take_while(|c| *c == laatste).count()
}

/// The amv comparison, like with like.
pub fn amv_vergelijking(behoefte: &[AmvStand], realisatie: &[AmvStand]) -> AmvVergelijking {
    if let Some((r, b)) = realisatie
        .iter()
        .rev()
        .find_map(|r| behoefte.iter().find(|b| b.datum == r.datum).map(|b| (r, b)))
    {
        return AmvVergelijking::Zelfde {
            datum: r.datum,
            gerealiseerd: r.plekken,
            nodig: b.plekken,
            tekort: (b.plekken - r.plekken).max(0),
        };
    }
    match (
        realisatie.last(),
        behoefte
            .iter()
            .find(|b| realisatie.last().is_some_and(|r| b.datum > r.datum)),
    ) {
        (Some(r), Some(b)) => AmvVergelijking::Eerder {
            gerealiseerd_op: r.datum,
            gerealiseerd: r.plekken,
            nodig_op: b.datum,
            nodig: b.plekken,
            nog_nodig: (b.plekken - r.plekken).max(0),
        },
        _ => AmvVergelijking::Onbekend,
    }
}

fn periode_statussen(ach: &Achterstand) -> Vec<PeriodeStatus> {
    let laatste = ach.laatste_gerealiseerde_maand;
    let mut eerder_geprojecteerd = false;
    ach.perioden
        .iter()
        .map(|p| {
            let geraamd = p.periode.maanden().filter(|m| *m > laatste).count() as i64;
            let uitstroom = status(6 - geraamd, geraamd);
            eerder_geprojecteerd |= geraamd > 0;
            PeriodeStatus {
                periode: p.periode,
                uitstroom,
                eind: if eerder_geprojecteerd {
                    Status::Geprojecteerd
                } else {
                    Status::Gerealiseerd
                },
            }
        })
        .collect()
}

fn uitstroom_uitspraken(jaren: &[UitstroomJaar], peilmoment: Datum) -> Vec<UitstroomUitspraak> {
    jaren
        .iter()
        .map(|j| UitstroomUitspraak {
            jaar: j.jaar,
            tijd: tijd(j.jaar, peilmoment),
            status: status(j.gerealiseerde_maanden, j.geprojecteerde_maanden),
            circa: j.circa,
            gerealiseerde_maanden: j.gerealiseerde_maanden,
            geprojecteerde_maanden: j.geprojecteerde_maanden,
        })
        .collect()
}

/// The tense of a period at the peilmoment, as for a year.
pub fn tijd_periode(p: Periode, peilmoment: Datum) -> Tijd {
    if peilmoment > p.einddatum() {
        Tijd::Voorbij
    } else if peilmoment > p.begindatum() {
        Tijd::Lopend
    } else {
        Tijd::Komend
    }
}

/// Every statement of the memo of `u`.
pub fn uitspraken(u: &Uitkomst) -> Uitspraken {
    let jaren = uitstroom_uitspraken(&u.uitstroom, u.peilmoment);
    let ach = &u.achterstand;
    let perioden = periode_statussen(ach);
    let circa: Vec<i64> = u.uitstroom.iter().map(|j| j.circa).collect();
    let uitstroom_richting = match circa.as_slice() {
        [.., vorig, laatst] => Some(richting(*vorig, *laatst)),
        _ => None,
    };
    // Outflow and taakstelling over the years of the backlog.
    let taak: i64 = ach.perioden.iter().map(|p| p.taakstelling).sum();
    let uit: i64 = ach.perioden.iter().map(|p| p.uitstroom).sum();
    Uitspraken {
        positie: positie(
            u.taakstelling.aantal,
            u.bandbreedte.onderkant,
            u.bandbreedte.bovenkant,
        ),
        uitstroom_vorige: jaren.len().checked_sub(2).map(|i| jaren[i].clone()),
        uitstroom_laatste: jaren.last().cloned(),
        uitstroom: jaren,
        uitstroom_richting,
        uitstroom_jaren_op_rij: jaren_op_rij(&circa),
        jaartotalen: u
            .jaartotalen
            .iter()
            .map(|j| JaarTijd {
                jaar: j.jaar,
                totaal: j.totaal,
                tijd: tijd(j.jaar, u.peilmoment),
            })
            .collect(),
        achterstand_richting: richting(ach.beginstand, ach.eindstand),
        achterstand_laatste_periode: ach.perioden.last().map(|p| PeriodeRichting {
            periode: p.periode,
            begin: p.begin,
            eind: p.eind,
            begin_circa: afronden(p.begin, 1, CIRCA_AFRONDING),
            eind_circa: afronden(p.eind, 1, CIRCA_AFRONDING),
            richting: richting(p.begin, p.eind),
        }),
        uitstroom_volstaat: uit >= taak,
        achterstand_eind: perioden.last().map_or(Status::Gerealiseerd, |p| p.eind),
        achterstand_perioden: perioden,
        amv: amv_vergelijking(&u.amv.behoefte, &u.amv.realisatie),
        evaluatie_tijd: tijd_periode(u.evaluatie.periode, u.peilmoment),
        illustratief: u
            .bronnen
            .iter()
            .filter(|b| b.illustratief)
            .map(|b| b.onderwerp.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(jaar: i32, maand: u32, dag: u32) -> Datum {
        Datum { jaar, maand, dag }
    }

    fn stand(datum: Datum, plekken: i64) -> AmvStand {
        AmvStand {
            datum,
            plekken,
            circa: plekken,
        }
    }

    #[test]
    fn direction_of_a_change() {
        assert_eq!(richting(13_980, 13_480), Richting::Daalt);
        assert_eq!(richting(6_750, 12_480), Richting::Stijgt);
        assert_eq!(richting(30_000, 30_000), Richting::Gelijk);
    }

    #[test]
    fn realised_partly_projected_projected() {
        assert_eq!(status(12, 0), Status::Gerealiseerd);
        assert_eq!(status(2, 10), Status::DeelsGeprojecteerd);
        assert_eq!(status(0, 6), Status::Geprojecteerd);
        // A figure of no months at all has nothing projected.
        assert_eq!(status(0, 0), Status::Gerealiseerd);
    }

    #[test]
    fn tense_follows_the_calendar_at_the_peilmoment() {
        let peil = d(2024, 9, 1);
        assert_eq!(tijd(2023, peil), Tijd::Voorbij);
        assert_eq!(tijd(2024, peil), Tijd::Lopend);
        assert_eq!(tijd(2025, peil), Tijd::Komend);
        // On 1 January the figures end with December: the year before is over,
        // the new one has not begun.
        assert_eq!(tijd(2024, d(2025, 1, 1)), Tijd::Voorbij);
        assert_eq!(tijd(2025, d(2025, 1, 1)), Tijd::Komend);
        assert_eq!(tijd(2025, d(2025, 1, 2)), Tijd::Lopend);
    }

    #[test]
    fn position_in_the_bandwidth() {
        assert_eq!(positie(17_700, 17_700, 23_800), Positie::Onderkant);
        assert_eq!(positie(23_800, 17_700, 23_800), Positie::Bovenkant);
        assert_eq!(positie(20_000, 17_700, 23_800), Positie::Binnen);
        assert_eq!(positie(17_000, 17_700, 23_800), Positie::Onder);
        assert_eq!(positie(24_000, 17_700, 23_800), Positie::Boven);
    }

    #[test]
    fn years_in_a_row_count_back_from_the_last() {
        assert_eq!(jaren_op_rij(&[30_000, 30_000, 30_000]), 3);
        assert_eq!(jaren_op_rij(&[29_000, 30_000, 30_000]), 2);
        assert_eq!(jaren_op_rij(&[30_000, 30_000, 27_000]), 1);
        assert_eq!(jaren_op_rij(&[]), 0);
    }

    #[test]
    fn amv_compares_like_with_like() {
        let behoefte = [stand(d(2025, 7, 1), 3000), stand(d(2025, 12, 31), 3500)];
        // Realised before the first need: not "achter", but how many must still come.
        let eerder = amv_vergelijking(&behoefte, &[stand(d(2024, 9, 1), 2650)]);
        match eerder {
            AmvVergelijking::Eerder {
                nodig_op,
                nog_nodig,
                ..
            } => {
                assert_eq!(nodig_op, d(2025, 7, 1));
                assert_eq!(nog_nodig, 350);
            }
            other => panic!("{other:?}"),
        }
        // Realised on the need's own date: a real shortfall.
        let zelfde = amv_vergelijking(&behoefte, &[stand(d(2025, 7, 1), 2900)]);
        assert!(matches!(
            zelfde,
            AmvVergelijking::Zelfde { tekort: 100, .. }
        ));
        // Nothing realised: nothing to compare.
        assert!(matches!(
            amv_vergelijking(&behoefte, &[]),
            AmvVergelijking::Onbekend
        ));
        // Realised after the last need: nothing honest to compare either.
        assert!(matches!(
            amv_vergelijking(&behoefte, &[stand(d(2026, 1, 1), 3600)]),
            AmvVergelijking::Onbekend
        ));
    }

    #[test]
    fn periods_after_the_last_realised_month_are_projected() {
        let u = super::super::bereken(
            &crate::input::parse(
                std::path::Path::new("inputs/2025-II.yaml"),
                include_str!("../../inputs/2025-II.yaml").to_string(),
            )
            .expect("valid"),
        )
        .expect("computes");
        let s = uitspraken(&u);
        let st: Vec<(String, Status, Status)> = s
            .achterstand_perioden
            .iter()
            .map(|p| (p.periode.to_string(), p.uitstroom, p.eind))
            .collect();
        assert_eq!(
            st,
            vec![
                (
                    "2025-I".into(),
                    Status::DeelsGeprojecteerd,
                    Status::Geprojecteerd
                ),
                (
                    "2025-II".into(),
                    Status::Geprojecteerd,
                    Status::Geprojecteerd
                ),
            ]
        );
        // 13.980 at the end of 2025-I, 13.480 at the end of 2025-II, but 12.480 on
        // 1 January 2025: over the year the backlog rises.
        assert_eq!(s.achterstand_richting, Richting::Stijgt);
        let laatste = s.achterstand_laatste_periode.expect("a period");
        assert_eq!((laatste.begin, laatste.eind), (13_980, 13_480));
        assert_eq!(laatste.richting, Richting::Daalt);
        assert!(!s.uitstroom_volstaat);
        assert_eq!(s.uitstroom[0].tijd, Tijd::Voorbij);
        assert_eq!(s.uitstroom[1].tijd, Tijd::Lopend);
        assert_eq!(s.uitstroom_jaren_op_rij, 1);
        assert_eq!(s.uitstroom_richting, Some(Richting::Daalt));
        assert_eq!(s.evaluatie_tijd, Tijd::Lopend);
    }
}
