//! The engine's rules, checked on the reference period 2025-I and on variations of it.

use super::*;
use crate::input;
use std::path::Path;

const REFERENTIE: &str = include_str!("../../inputs/2025-I.yaml");

/// The reference with `wijzig` applied. Its bijstelling, which the memo's figures do
/// not use, is left out, so that a test may set any number (engine::bijstelling has
/// tests of its own).
fn invoer_met(wijzig: &[(&str, &str)]) -> Invoer {
    let zonder = REFERENTIE
        .find("\nbijstelling:")
        .map_or(REFERENTIE, |i| &REFERENTIE[..=i]);
    let mut tekst = zonder.to_string();
    for (van, naar) in wijzig {
        assert!(tekst.contains(van), "fixture lacks {van:?}");
        tekst = tekst.replacen(van, naar, 1);
    }
    input::parse(Path::new("inputs/2025-I.yaml"), tekst).expect("valid fixture")
}

fn referentie() -> Uitkomst {
    bereken(&invoer_met(&[])).expect("reference computes")
}

#[test]
fn reference_memo_figures() {
    let u = referentie();
    assert_eq!(u.scenario_1.uitkomst, 17_700);
    assert_eq!(u.scenario_2.uitkomst, 23_800);
    assert_eq!(
        (u.bandbreedte.onderkant, u.bandbreedte.bovenkant),
        (17_700, 23_800)
    );
    assert_eq!(u.taakstelling.aantal, 17_700);
    assert_eq!(u.taakstelling.positie, "onderkant");
    let jaren: Vec<(i32, i64)> = u.jaartotalen.iter().map(|j| (j.jaar, j.totaal)).collect();
    assert_eq!(jaren, vec![(2023, 38_800), (2024, 35_750)]);
    let circa: Vec<(i32, i64)> = u.uitstroom.iter().map(|j| (j.jaar, j.circa)).collect();
    assert_eq!(circa, vec![(2022, 30_000), (2023, 30_000), (2024, 30_000)]);
    // The real memo: "voor het derde jaar op rij ... circa 30.000".
    let s = uitspraken::uitspraken(&u);
    assert_eq!(s.uitstroom_jaren_op_rij, 3);
    assert_eq!(s.positie, uitspraken::Positie::Onderkant);
    assert_eq!(s.achterstand_richting, uitspraken::Richting::Stijgt);
    assert!(!s.uitstroom_volstaat);
    assert_eq!(u.achterstand.eindjaar, 2024);
    assert_eq!(u.achterstand.eindstand_circa, 12_500);
    assert_eq!(u.evaluatie.periode.to_string(), "2024-II");
    assert_eq!(u.evaluatie.taakstelling, 17_000);
    assert_eq!(u.evaluatie.oordeel, "binnen_verwachting");
    let amv: Vec<i64> = u.amv.behoefte.iter().map(|b| b.circa).collect();
    assert_eq!(amv, vec![3_000, 3_500]);
    assert_eq!(u.afspraken.moment_nl, "begin februari 2025");
    assert!(u.publicatie.op_tijd);
    assert!(u.waarschuwingen.is_empty());
}

#[test]
fn scenario_1_follows_every_month_of_its_window() {
    // +600 in one month of the window: +300 over six months → 17.705 + 300 rounds to 18.000.
    let u = bereken(&invoer_met(&[
        (
            "{ maand: 2024-02, aantal: 2890 }",
            "{ maand: 2024-02, aantal: 3490 }",
        ),
        ("taakstelling: 17700", "taakstelling: 18000"),
    ]))
    .unwrap();
    assert_eq!(u.scenario_1.som, 35_410 + 600);
    assert_eq!(u.scenario_1.uitkomst, 18_000);
    // A month before the window does not count.
    let u = bereken(&invoer_met(&[(
        "{ maand: 2023-08, aantal: 2840 }",
        "{ maand: 2023-08, aantal: 9999 }",
    )]))
    .unwrap();
    assert_eq!(u.scenario_1.uitkomst, 17_700);
}

#[test]
fn scenario_1_needs_every_month_of_its_window() {
    let invoer = invoer_met(&[
        ("peilmoment: 2024-09-01", "peilmoment: 2024-10-01"),
        // The memo is dated on or after the peilmoment.
        ("datum: 2024-09-16", "datum: 2024-10-01"),
    ]);
    let err = bereken(&invoer).unwrap_err();
    assert_eq!(err[0].plek.veld, "inwilligingen.maanden");
    assert!(
        err[0].bericht.contains("2024-09 is missing"),
        "{}",
        err[0].bericht
    );
}

#[test]
fn scenario_2_sums_exactly_and_rounds_to_hundreds() {
    let u = bereken(&invoer_met(&[(
        "inwilligingspercentage: 12.5",
        "inwilligingspercentage: 12.25",
    )]))
    .unwrap();
    // 2.400 × 12,25 % = 294 instead of 300: 23.794 rounds to 23.800.
    assert_eq!(u.scenario_2.verwacht_onafgerond, 23_794);
    assert_eq!(u.scenario_2.uitkomst, 23_800);
    let u = bereken(&invoer_met(&[("beslissingen: 1000", "beslissingen: 1200")])).unwrap();
    assert_eq!(u.scenario_2.verwacht_onafgerond, 23_866);
    assert_eq!(u.scenario_2.uitkomst, 23_900);
}

#[test]
fn bandwidth_orders_the_scenarios() {
    let b = bandbreedte(23_800, 17_700);
    assert_eq!(
        (
            b.onderkant,
            b.onderkant_scenario,
            b.bovenkant,
            b.bovenkant_scenario
        ),
        (17_700, 2, 23_800, 1)
    );
    assert_eq!(b.breedte, 6_100);
}

#[test]
fn taakstelling_outside_the_bandwidth_needs_a_reason() {
    let invoer = invoer_met(&[("taakstelling: 17700", "taakstelling: 15000")]);
    let err = bereken(&invoer).unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(err[0].plek.veld, "besluit.taakstelling");
    let invoer = invoer_met(&[(
        "taakstelling: 17700",
        "taakstelling: 15000\n  reden_buiten_bandbreedte: Minder inwilligingen verwacht.",
    )]);
    let u = bereken(&invoer).unwrap();
    assert_eq!(u.taakstelling.positie, "buiten");
    assert_eq!(u.taakstelling.buffer_tot_bovenkant, 8_800);
    let u = bereken(&invoer_met(&[(
        "taakstelling: 17700",
        "taakstelling: 20000",
    )]))
    .unwrap();
    assert_eq!(u.taakstelling.positie, "binnen");
}

#[test]
fn year_totals_use_the_adjusted_number() {
    let invoer = invoer_met(&[]);
    assert_eq!(jaartotaal(&invoer, 2023).unwrap().totaal, 21_200 + 17_600);
    assert_eq!(jaartotaal(&invoer, 2019).unwrap().totaal, 6_000 + 6_000);
    assert_eq!(jaartotaal(&invoer, 2021).unwrap().totaal, 13_500 + 11_000);
    // 2015-II is unknown (only a forecast is): no year total.
    let b = jaartotaal(&invoer, 2015).unwrap_err();
    assert_eq!(b.plek.veld, "historie");
    assert_eq!(
        b.plek.periode.map(|p| p.to_string()).as_deref(),
        Some("2015-II")
    );
}

#[test]
fn backlog_projects_missing_months_at_the_current_pace() {
    let u = referentie();
    let a = &u.achterstand;
    // 2024: 8 realised months, 20.020 in all: 2.503 a month (rounded), 4 months projected.
    assert_eq!(a.tempo_per_maand, 2_503);
    assert_eq!(u.uitstroom[2].geprojecteerd, 10_010);
    assert_eq!(a.perioden.len(), 2);
    assert!(!a.perioden[0].geprojecteerd && a.perioden[1].geprojecteerd);
    // 6.750 + 18.750 + 17.000 − 30.030 = 12.470; the periods use the same exact pace.
    assert_eq!(a.perioden[1].uitstroom, 2_520 + 2_540 + 10_010);
    assert_eq!(a.eindstand, 12_470);
    assert!(a.loopt_op);
    assert_eq!(a.uitstroom_gelijk_circa, Some(30_000));
}

#[test]
fn evaluation_verdicts() {
    // Window realised 14.800 + 1 month × prognose; taakstelling 17.000, margin 5 % = 850.
    let oordeel = |prognose: &str| {
        let u = bereken(&invoer_met(&[("prognose_per_maand: 2900", prognose)])).unwrap();
        (u.evaluatie.verwachting, u.evaluatie.oordeel)
    };
    assert_eq!(
        oordeel("prognose_per_maand: 2900"),
        (17_700, "binnen_verwachting".into())
    );
    assert_eq!(
        oordeel("prognose_per_maand: 3050"),
        (17_850, "binnen_verwachting".into())
    );
    assert_eq!(
        oordeel("prognose_per_maand: 3051"),
        (17_851, "te_laag".into())
    );
    assert_eq!(
        oordeel("prognose_per_maand: 1349"),
        (16_149, "te_hoog".into())
    );
}

#[test]
fn publication_deadline_is_13_weeks_before_the_start() {
    let u = referentie();
    assert_eq!(u.publicatie.uiterste_datum.to_string(), "2024-10-02");
    let u = bereken(&invoer_met(&[(
        "bekendmaking:\n  datum: 2024-10-01",
        "bekendmaking:\n  datum: 2024-10-03",
    )]))
    .unwrap();
    assert!(!u.publicatie.op_tijd);
    assert_eq!(u.waarschuwingen.len(), 1);
    assert!(u.waarschuwingen[0].cli.contains("2024-10-02"));
}

#[test]
fn amv_realisation_lagging_is_derived() {
    let u = referentie();
    assert_eq!(u.amv.realisatie_blijft_achter, Some(true));
    assert_eq!(u.amv.tekort, Some(350));
}

const TWEEDE: &str = include_str!("../../inputs/2025-II.yaml");

fn tweede_met(wijzig: &[(&str, &str)]) -> Invoer {
    let mut tekst = TWEEDE.to_string();
    for (van, naar) in wijzig {
        assert!(tekst.contains(van), "fixture lacks {van:?}");
        tekst = tekst.replacen(van, naar, 1);
    }
    // A folder without 2025-I's input: the engine's rules alone, not the check of the
    // history row against the input beside it (input's and the end-to-end tests').
    input::parse(Path::new("fixture/2025-II.yaml"), tekst).expect("valid fixture")
}

#[test]
fn an_adjusted_previous_period_is_evaluated_against_both_numbers() {
    let u = bereken(&tweede_met(&[])).unwrap();
    let e = &u.evaluatie;
    assert_eq!(
        (e.periode.to_string().as_str(), e.taakstelling),
        ("2025-I", 15_000)
    );
    // 12.250 realised in five months + one month at 2.350.
    assert_eq!(e.verwachting, 14_600);
    let maand = |m: &Option<Maand>| m.map(|m| m.to_string());
    assert_eq!(
        maand(&e.laatste_gerealiseerde_maand).as_deref(),
        Some("2025-02")
    );
    assert_eq!(
        maand(&e.eerste_geprognosticeerde_maand).as_deref(),
        Some("2025-03")
    );
    assert_eq!((e.verschil, e.marge), (-400, 750));
    assert_eq!(e.oordeel, "binnen_verwachting");
    let b = e.bijstelling.as_ref().expect("2025-I was adjusted");
    assert_eq!(b.eerst_bekendgemaakt, 17_700);
    assert_eq!((b.richting.as_str(), b.bijgesteld_met), ("verlaagd", 2_700));
    assert_eq!((b.verschil, b.marge), (-3_100, 885));
    assert_eq!(b.oordeel, "te_hoog");
    assert!(b.bevestigt_bijstelling);
    let regel = u
        .verantwoording
        .iter()
        .find(|r| r.figuur == "Evaluatie 2025-I")
        .unwrap();
    assert!(
        regel
            .invoer
            .iter()
            .any(|i| i.naam == "eerst bekendgemaakt" && i.waarde.starts_with("17.700")),
        "{:?}",
        regel.invoer
    );
    // An unadjusted previous period has no such part.
    assert!(referentie().evaluatie.bijstelling.is_none());
}

#[test]
fn a_raise_that_the_expectation_does_not_support_is_not_confirmed() {
    let u = bereken(&tweede_met(&[(
        "eerst_bekendgemaakt: 17700, na_bijstelling: 15000",
        "eerst_bekendgemaakt: 17700, na_bijstelling: 19000",
    )]))
    .unwrap();
    let b = u.evaluatie.bijstelling.unwrap();
    assert_eq!(b.richting, "verhoogd");
    assert_eq!(b.oordeel, "te_hoog");
    assert!(!b.bevestigt_bijstelling);
    // Against the number in force, 19.000, the verdict is the same.
    assert_eq!(u.evaluatie.oordeel, "te_hoog");
}

#[test]
fn the_second_example_period_computes() {
    let u = bereken(&tweede_met(&[])).unwrap();
    assert_eq!(
        (u.scenario_1.uitkomst, u.scenario_2.uitkomst),
        (16_400, 13_000)
    );
    assert_eq!(u.taakstelling.positie, "onderkant");
    let jaren: Vec<(i32, i64)> = u.jaartotalen.iter().map(|j| (j.jaar, j.totaal)).collect();
    assert_eq!(jaren, vec![(2024, 35_750), (2025, 28_000)]);
    assert_eq!(u.achterstand.eindstand_circa, 13_500);
    assert!(u.publicatie.op_tijd);
    assert!(u.waarschuwingen.is_empty());
}
