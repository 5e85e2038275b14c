//! Tests of the art. 29 distribution: the rules, the real 2024 figures, and
//! properties on synthetic populations.

use std::path::Path;

use proptest::prelude::*;
use taakstelling::engine::verdeling::{
    VerdelingError, art29_aandeel, bereken_verdeling, peildatum_for_period, sorteersleutel,
};
use taakstelling::input::bevolking::{Bevolking, Gemeente, Provincie, load_bevolking};
use taakstelling::input::verdeling::{
    Achterstand, BevolkingVaststelling, Correctie, Herverdeling, Mutatie, VerdelingInput,
};

fn bevolking_2024() -> Bevolking {
    load_bevolking(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/bevolking"),
        peildatum_for_period(2025),
    )
    .unwrap()
}

fn gemeente(code: &str, naam: &str, provincie: Provincie, inwoners: u64) -> Gemeente {
    Gemeente {
        code: code.to_owned(),
        naam: naam.to_owned(),
        provincie,
        inwoners,
    }
}

/// Four municipalities, 1 000 inhabitants in all.
fn klein() -> Bevolking {
    Bevolking {
        peildatum_jaar: 2024,
        totaal: 1000,
        bron: "test".to_owned(),
        provincies_bron: "test".to_owned(),
        provincies_handmatig: Vec::new(),
        gemeenten: vec![
            gemeente("GM0004", "Dd", Provincie::Limburg, 100),
            gemeente("GM0001", "Aa", Provincie::Utrecht, 500),
            gemeente("GM0002", "Bb", Provincie::Groningen, 250),
            gemeente("GM0003", "Cc", Provincie::Utrecht, 150),
        ],
    }
}

fn input(vg: u64) -> VerdelingInput {
    VerdelingInput {
        landelijke_taakstelling: vg,
        ..VerdelingInput::default()
    }
}

fn errors(bevolking: &Bevolking, input: &VerdelingInput) -> Vec<String> {
    bereken_verdeling(bevolking, input)
        .unwrap_err()
        .errors
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn mutatie(code: &str, verschil: i64) -> Mutatie {
    Mutatie {
        code: code.to_owned(),
        verschil,
    }
}

// ---- the rules ----------------------------------------------------------------

#[test]
fn peildatum_is_1_january_of_the_year_before() {
    assert_eq!(peildatum_for_period(2025), 2024);
    assert_eq!(peildatum_for_period(2016), 2015);
}

#[test]
fn share_is_rounded_up_except_when_exact() {
    assert_eq!(art29_aandeel(10, 1, 3), Some(4)); // 3.33 → 4
    assert_eq!(art29_aandeel(9, 1, 3), Some(3)); // exactly 3
    assert_eq!(art29_aandeel(0, 1, 3), Some(0));
    assert_eq!(art29_aandeel(10, 0, 3), Some(0));
    assert_eq!(art29_aandeel(10, 1, 0), None);
    // No overflow where a u64 product would overflow.
    assert_eq!(art29_aandeel(u64::MAX, u64::MAX, u64::MAX), Some(u64::MAX));
    assert_eq!(art29_aandeel(u64::MAX, 2, 1), None);
}

#[test]
fn rows_are_ordered_by_province_then_name() {
    let v = bereken_verdeling(&klein(), &input(100)).unwrap();
    let codes: Vec<&str> = v.regels.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["GM0002", "GM0001", "GM0003", "GM0004"]);
    let provincies: Vec<(Provincie, usize, u64, u64)> = v
        .provincies
        .iter()
        .map(|p| (p.provincie, p.gemeenten, p.inwoners, p.taakstelling))
        .collect();
    assert_eq!(
        provincies,
        [
            (Provincie::Groningen, 1, 250, 25),
            (Provincie::Utrecht, 2, 650, 65),
            (Provincie::Limburg, 1, 100, 10),
        ]
    );
}

#[test]
fn sort_key_ignores_case_accents_and_punctuation() {
    assert_eq!(sorteersleutel("Súdwest-Fryslân"), "sudwest fryslan");
    assert_eq!(sorteersleutel("'s-Hertogenbosch"), "s hertogenbosch");
    let mut namen = [
        "Zwolle",
        "'s-Hertogenbosch",
        "ameland",
        "Súdwest-Fryslân",
        "Son en Breugel",
    ];
    namen.sort_by_key(|n| sorteersleutel(n));
    assert_eq!(
        namen,
        [
            "ameland",
            "'s-Hertogenbosch",
            "Son en Breugel",
            "Súdwest-Fryslân",
            "Zwolle"
        ]
    );
}

#[test]
fn rounding_up_adds_less_than_one_per_municipality() {
    // 101 × 500/1000 = 50.5 → 51; × 250 → 25.25 → 26; × 150 → 15.15 → 16; × 100 → 10.1 → 11
    let v = bereken_verdeling(&klein(), &input(101)).unwrap();
    let per_code = |c: &str| v.regel(c).unwrap().formule_uitkomst;
    assert_eq!(
        [
            per_code("GM0001"),
            per_code("GM0002"),
            per_code("GM0003"),
            per_code("GM0004")
        ],
        [51, 26, 16, 11]
    );
    assert_eq!(v.vg, 101);
    assert_eq!(v.inwoners_nederland, 1000);
    assert_eq!(v.totaal, 104);
    assert_eq!(v.afrondingsverschil, 3);
    assert_eq!(v.achterstand, None);
    assert!(v.regels.iter().all(|r| r.achterstand.is_none()));
}

#[test]
fn correction_changes_the_number_distributed() {
    let mut i = input(100);
    i.correctie = Some(Correctie {
        verschil: 20,
        reden: "Te laag vastgestelde taakstelling vorige periode".to_owned(),
    });
    let v = bereken_verdeling(&klein(), &i).unwrap();
    assert_eq!(v.landelijke_taakstelling, 100);
    assert_eq!(v.vg, 120);
    assert_eq!(v.totaal, 120);
    assert_eq!(v.regel("GM0001").unwrap().taakstelling, 60);
}

#[test]
fn correction_needs_a_reason_a_nonzero_amount_and_a_nonnegative_result() {
    let mut i = input(100);
    i.correctie = Some(Correctie {
        verschil: 0,
        reden: " ".to_owned(),
    });
    assert_eq!(
        errors(&klein(), &i),
        [
            "the correction of the distributed number needs a reason",
            "a correction of 0 changes nothing; leave the correction out",
        ]
    );
    i.correctie = Some(Correctie {
        verschil: -101,
        reden: "x".to_owned(),
    });
    assert_eq!(
        errors(&klein(), &i),
        [
            "the headline number 100 with the correction -101 gives -1, expected a number from 0 to 9223372036854775807"
        ]
    );
}

#[test]
fn redistribution_moves_numbers_and_keeps_the_sum() {
    let mut i = input(100);
    i.herverdelingen = vec![Herverdeling {
        omschrijving: "Afspraak Aa en Cc".to_owned(),
        mutaties: vec![mutatie("GM0001", -5), mutatie("GM0003", 5)],
    }];
    let v = bereken_verdeling(&klein(), &i).unwrap();
    let aa = v.regel("GM0001").unwrap();
    assert_eq!(
        (aa.formule_uitkomst, aa.herverdeling, aa.taakstelling),
        (50, -5, 45)
    );
    let cc = v.regel("GM0003").unwrap();
    assert_eq!(
        (cc.formule_uitkomst, cc.herverdeling, cc.taakstelling),
        (15, 5, 20)
    );
    assert_eq!(v.totaal, 100);
    assert_eq!(v.herverdelingen.len(), 1);
}

#[test]
fn redistribution_errors() {
    let mut i = input(100);
    i.herverdelingen = vec![
        Herverdeling {
            omschrijving: "changes the sum".to_owned(),
            mutaties: vec![mutatie("GM0001", -5), mutatie("GM0003", 6)],
        },
        Herverdeling {
            omschrijving: "unknown code".to_owned(),
            mutaties: vec![mutatie("GM0001", -1), mutatie("GM9999", 1)],
        },
        Herverdeling {
            omschrijving: "".to_owned(),
            mutaties: vec![mutatie("GM0002", 0)],
        },
        Herverdeling {
            omschrijving: "duplicate".to_owned(),
            mutaties: vec![mutatie("GM0002", 1), mutatie("GM0002", -1)],
        },
    ];
    assert_eq!(
        errors(&klein(), &i),
        [
            "redistribution agreement 1: the changes add up to +1, expected 0 (a redistribution keeps the sum of the municipalities' numbers)",
            "redistribution agreement 2: GM9999 is not a municipality of this distribution",
            "redistribution agreement 3 needs a description (who agreed what, and when)",
            "redistribution agreement 3: expected two or more municipalities, found 1",
            "redistribution agreement 4: municipality GM0002 is listed more than once",
        ]
    );
}

#[test]
fn redistribution_below_zero_is_an_error() {
    let mut i = input(100);
    i.herverdelingen = vec![
        Herverdeling {
            omschrijving: "a".to_owned(),
            mutaties: vec![mutatie("GM0004", -6), mutatie("GM0001", 6)],
        },
        Herverdeling {
            omschrijving: "b".to_owned(),
            mutaties: vec![mutatie("GM0004", -5), mutatie("GM0002", 5)],
        },
    ];
    // Each agreement alone is fine; together they take 11 off a taakstelling of 10.
    assert_eq!(
        errors(&klein(), &i),
        [
            "municipality GM0004: the formula gives 10 and the redistributions -11, which is below zero"
        ]
    );
}

#[test]
fn backlog_is_a_separate_column() {
    let mut i = input(100);
    i.achterstanden = vec![
        Achterstand {
            code: "GM0001".to_owned(),
            aantal: 7,
        },
        Achterstand {
            code: "GM0004".to_owned(),
            aantal: -12,
        },
    ];
    let v = bereken_verdeling(&klein(), &i).unwrap();
    let aa = v.regel("GM0001").unwrap();
    assert_eq!(aa.formule_uitkomst, 50);
    assert_eq!(aa.taakstelling, 50);
    assert_eq!(aa.achterstand, Some(7));
    assert_eq!(aa.gecorrigeerde_taakstelling, Some(57));
    let dd = v.regel("GM0004").unwrap();
    assert_eq!(dd.gecorrigeerde_taakstelling, Some(-2));
    // Not listed: no backlog.
    assert_eq!(v.regel("GM0002").unwrap().achterstand, Some(0));
    assert_eq!(
        v.regel("GM0002").unwrap().gecorrigeerde_taakstelling,
        Some(25)
    );
    // The formula and the totals are untouched by the backlog.
    assert_eq!(v.totaal, 100);
    assert_eq!(v.achterstand, Some(-5));
    assert_eq!(v.gecorrigeerde_taakstelling, Some(95));
    let utrecht = &v.provincies[1];
    assert_eq!(
        (
            utrecht.taakstelling,
            utrecht.achterstand,
            utrecht.gecorrigeerde_taakstelling
        ),
        (65, Some(7), Some(72))
    );
}

#[test]
fn backlog_errors() {
    let mut i = input(100);
    i.achterstanden = vec![
        Achterstand {
            code: "GM0001".to_owned(),
            aantal: 1,
        },
        Achterstand {
            code: "GM0001".to_owned(),
            aantal: 2,
        },
        Achterstand {
            code: "GM0100".to_owned(),
            aantal: 2,
        },
    ];
    assert_eq!(
        errors(&klein(), &i),
        [
            "backlog: municipality GM0001 is listed more than once",
            "backlog: GM0100 is not a municipality of this distribution",
        ]
    );
}

/// The engine takes any input (the period file's ranges are checked before it):
/// backlogs whose province total does not fit are an error, never a wrapped or
/// panicking sum.
#[test]
fn backlogs_too_large_to_add_up_are_an_error() {
    let mut i = input(100);
    i.achterstanden = ["GM0001", "GM0003"]
        .into_iter()
        .map(|code| Achterstand {
            code: code.to_owned(),
            aantal: i64::MAX - 100,
        })
        .collect();
    assert_eq!(
        errors(&klein(), &i),
        ["a column total is too large to compute"]
    );
    i.achterstanden.truncate(1);
    i.achterstanden[0].aantal = i64::MIN;
    assert!(bereken_verdeling(&klein(), &i).is_ok());
}

#[test]
fn art30_merger_into_a_new_code_uses_the_population_set_by_gs() {
    let mut i = input(100);
    i.bevolking_vaststellingen = vec![BevolkingVaststelling {
        code: "GM1999".to_owned(),
        naam: Some("Aa-Cc".to_owned()),
        provincie: Some(Provincie::Utrecht),
        inwoners: 640,
        vervangt: vec!["GM0001".to_owned(), "GM0003".to_owned()],
        reden: "Besluit GS Utrecht".to_owned(),
    }];
    let v = bereken_verdeling(&klein(), &i).unwrap();
    assert!(v.regel("GM0001").is_none());
    assert!(v.regel("GM0003").is_none());
    // iN is the sum of the populations used: 250 + 100 + 640 = 990.
    assert_eq!(v.inwoners_nederland, 990);
    let nieuw = v.regel("GM1999").unwrap();
    assert!(nieuw.inwoners_vastgesteld);
    assert_eq!(nieuw.inwoners, 640);
    assert_eq!(nieuw.formule_uitkomst, 65); // ⌈100 × 640 / 990⌉ = ⌈64.6⌉
    assert!(!v.regel("GM0002").unwrap().inwoners_vastgesteld);
    assert!(v.totaal >= v.vg);
    let t = &v.bevolking_vaststellingen[0];
    assert_eq!(t.inwoners_cbs, 650);
    assert_eq!(t.vervangen.len(), 2);
    assert_eq!(v.regels.len(), 3);
}

#[test]
fn art30_merger_keeping_an_existing_code() {
    let mut i = input(100);
    i.bevolking_vaststellingen = vec![BevolkingVaststelling {
        code: "GM0001".to_owned(),
        naam: None,
        provincie: None,
        inwoners: 660,
        vervangt: vec!["GM0003".to_owned()],
        reden: "Besluit GS".to_owned(),
    }];
    let v = bereken_verdeling(&klein(), &i).unwrap();
    let aa = v.regel("GM0001").unwrap();
    assert_eq!(
        (aa.naam.as_str(), aa.provincie, aa.inwoners),
        ("Aa", Provincie::Utrecht, 660)
    );
    assert_eq!(v.inwoners_nederland, 1010);
    assert_eq!(v.bevolking_vaststellingen[0].inwoners_cbs, 650);
}

#[test]
fn art30_errors() {
    let vaststelling = |code: &str, vervangt: &[&str]| BevolkingVaststelling {
        code: code.to_owned(),
        naam: None,
        provincie: None,
        inwoners: 10,
        vervangt: vervangt.iter().map(|c| (*c).to_owned()).collect(),
        reden: "GS".to_owned(),
    };
    let mut i = input(100);
    i.bevolking_vaststellingen = vec![
        vaststelling("GM01", &[]),
        vaststelling("GM1999", &[]),
        vaststelling("GM0001", &["GM0777"]),
        vaststelling("GM0002", &["GM0001"]),
        BevolkingVaststelling {
            inwoners: 0,
            reden: String::new(),
            naam: Some(String::new()),
            ..vaststelling("GM0003", &[])
        },
    ];
    assert_eq!(
        errors(&klein(), &i),
        [
            "art. 30 setting 1: expected a municipality code `GM` followed by four digits, found `GM01`",
            "art. 30 setting 2 (GM1999): GM1999 is not in the population table and replaces no municipality; list the merged municipalities in `vervangt`",
            "art. 30 setting 2 (GM1999): expected a name for a municipality that is not in the population table",
            "art. 30 setting 2 (GM1999): expected a province for a municipality that is not in the population table",
            "art. 30 setting 3 (GM0001): GM0777 is not in the population table",
            "art. 30 setting 4 (GM0002): GM0001 is already replaced by art. 30 setting 3",
            "art. 30 setting 5 (GM0003): expected the decision of Gedeputeerde Staten as reason",
            "art. 30 setting 5 (GM0003): expected a population greater than 0",
            "art. 30 setting 5 (GM0003): the name is empty",
        ]
    );
}

#[test]
fn empty_population_is_an_error() {
    let mut b = klein();
    b.gemeenten.clear();
    assert_eq!(
        errors(&b, &input(100)),
        ["the population table has no inhabitants: there is nothing to distribute over"]
    );
}

#[test]
fn all_errors_are_reported_together() {
    let mut i = input(100);
    i.herverdelingen = vec![Herverdeling {
        omschrijving: "x".to_owned(),
        mutaties: vec![mutatie("GM0001", 1), mutatie("GM0002", 1)],
    }];
    i.achterstanden = vec![Achterstand {
        code: "GM0555".to_owned(),
        aantal: 1,
    }];
    let err = bereken_verdeling(&klein(), &i).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the distribution cannot be computed (2 problems):\n  \
         - redistribution agreement 1: the changes add up to +2, expected 0 (a redistribution keeps the sum of the municipalities' numbers)\n  \
         - backlog: GM0555 is not a municipality of this distribution"
    );
    assert!(matches!(
        err.errors[0],
        VerdelingError::HerverdelingSumNotZero {
            afspraak: 0,
            som: 2
        }
    ));
}

// ---- the real figures (CBS 1 January 2024, periods 2025-I and 2025-II) ------------

#[test]
fn real_2025_i_distribution_of_17_700() {
    let v = bereken_verdeling(&bevolking_2024(), &input(17_700)).unwrap();
    assert_eq!(v.peildatum_jaar, 2024);
    assert_eq!(v.inwoners_nederland, 17_942_942);
    assert_eq!(v.regels.len(), 342);
    assert_eq!(v.regel("GM0363").unwrap().taakstelling, 919);
    assert_eq!(v.regel("GM0363").unwrap().naam, "Amsterdam");
    assert_eq!(v.totaal, 17_870);
    assert_eq!(v.afrondingsverschil, 170);
    assert_eq!(v.provincies.len(), 12);
    assert_eq!(
        v.provincies.iter().map(|p| p.taakstelling).sum::<u64>(),
        17_870
    );
    assert_eq!(v.provincies.iter().map(|p| p.gemeenten).sum::<usize>(), 342);
    assert_eq!(v.regels[0].provincie, Provincie::Groningen);
    assert_eq!(v.regels[341].provincie, Provincie::Limburg);
}

#[test]
fn real_distribution_of_13_000() {
    let v = bereken_verdeling(&bevolking_2024(), &input(13_000)).unwrap();
    assert_eq!(v.totaal, 13_164);
}

#[test]
fn real_province_totals_for_17_700() {
    let v = bereken_verdeling(&bevolking_2024(), &input(17_700)).unwrap();
    let totals: Vec<String> = v
        .provincies
        .iter()
        .map(|p| {
            format!(
                "{} {} {} {}",
                p.provincie, p.gemeenten, p.inwoners, p.taakstelling
            )
        })
        .collect();
    insta::assert_snapshot!(totals.join("\n"));
}

// ---- properties on synthetic populations ---------------------------------------

fn synthetic(inwoners: &[u64]) -> Bevolking {
    Bevolking {
        peildatum_jaar: 2024,
        totaal: inwoners.iter().sum(),
        bron: "synthetic".to_owned(),
        provincies_bron: "synthetic".to_owned(),
        provincies_handmatig: Vec::new(),
        gemeenten: inwoners
            .iter()
            .enumerate()
            .map(|(i, n)| {
                gemeente(
                    &format!("GM{i:04}"),
                    &format!("Gemeente {i}"),
                    Provincie::ALLE[i % 12],
                    *n,
                )
            })
            .collect(),
    }
}

proptest! {
    #[test]
    fn sum_is_at_least_vg_and_less_than_vg_plus_the_number_of_municipalities(
        inwoners in prop::collection::vec(1u64..2_000_000, 1..400),
        vg in 0u64..100_000,
    ) {
        let v = bereken_verdeling(&synthetic(&inwoners), &input(vg)).unwrap();
        prop_assert!(v.totaal >= vg);
        prop_assert!(v.totaal - vg < inwoners.len() as u64);
        prop_assert_eq!(v.totaal, v.regels.iter().map(|r| r.formule_uitkomst).sum::<u64>());
        prop_assert_eq!(v.regels.len(), inwoners.len());
    }

    #[test]
    fn each_share_is_the_least_whole_number_not_below_the_exact_share(
        inwoners in prop::collection::vec(1u64..2_000_000, 1..100),
        vg in 0u64..100_000,
    ) {
        let v = bereken_verdeling(&synthetic(&inwoners), &input(vg)).unwrap();
        let i_n = u128::from(v.inwoners_nederland);
        for r in &v.regels {
            let exact = u128::from(vg) * u128::from(r.inwoners);
            let t = u128::from(r.formule_uitkomst);
            prop_assert!(t * i_n >= exact);
            prop_assert!(t == 0 || (t - 1) * i_n < exact);
        }
    }

    #[test]
    fn a_larger_municipality_never_gets_less(
        inwoners in prop::collection::vec(1u64..2_000_000, 2..200),
        vg in 0u64..100_000,
    ) {
        let v = bereken_verdeling(&synthetic(&inwoners), &input(vg)).unwrap();
        let mut by_size: Vec<(u64, u64)> =
            v.regels.iter().map(|r| (r.inwoners, r.formule_uitkomst)).collect();
        by_size.sort();
        for pair in by_size.windows(2) {
            prop_assert!(pair[0].1 <= pair[1].1, "{:?}", pair);
        }
    }

    #[test]
    fn an_exact_quotient_is_not_rounded_up(
        gewichten in prop::collection::vec(1u64..1_000, 1..100),
        schaal in 1u64..1_000,
        veelvoud in 0u64..50,
    ) {
        // iG = w × schaal and vg = veelvoud × Σw: every share vg × iG / iN is whole.
        let inwoners: Vec<u64> = gewichten.iter().map(|w| w * schaal).collect();
        let vg = veelvoud * gewichten.iter().sum::<u64>();
        let v = bereken_verdeling(&synthetic(&inwoners), &input(vg)).unwrap();
        prop_assert_eq!(v.totaal, vg);
        prop_assert_eq!(v.afrondingsverschil, 0);
        for r in &v.regels {
            prop_assert_eq!(r.formule_uitkomst, veelvoud * r.inwoners / schaal);
        }
    }

    #[test]
    fn redistribution_keeps_the_sum(
        inwoners in prop::collection::vec(1u64..2_000_000, 2..100),
        vg in 1_000u64..100_000,
        paren in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0u64..=1_000), 1..10),
    ) {
        let bevolking = synthetic(&inwoners);
        let zonder = bereken_verdeling(&bevolking, &input(vg)).unwrap();
        // Each agreement moves part of the giver's current number to another municipality.
        let mut huidig: Vec<u64> =
            bevolking.gemeenten.iter().map(|g| zonder.regel(&g.code).unwrap().taakstelling).collect();
        let mut herverdelingen = Vec::new();
        for (van, naar, promille) in paren {
            let (van, naar) = (van.index(inwoners.len()), naar.index(inwoners.len()));
            if van == naar {
                continue;
            }
            let aantal = huidig[van] * promille / 1_000;
            huidig[van] -= aantal;
            huidig[naar] += aantal;
            herverdelingen.push(Herverdeling {
                omschrijving: format!("{van} → {naar}"),
                mutaties: vec![
                    mutatie(&bevolking.gemeenten[van].code, -(aantal as i64)),
                    mutatie(&bevolking.gemeenten[naar].code, aantal as i64),
                ],
            });
        }
        let mut i = input(vg);
        i.herverdelingen = herverdelingen;
        let met = bereken_verdeling(&bevolking, &i).unwrap();
        prop_assert_eq!(met.totaal, zonder.totaal);
        for (g, verwacht) in bevolking.gemeenten.iter().zip(&huidig) {
            let r = met.regel(&g.code).unwrap();
            prop_assert_eq!(r.taakstelling, *verwacht);
            prop_assert_eq!(r.formule_uitkomst, zonder.regel(&g.code).unwrap().formule_uitkomst);
            prop_assert_eq!(r.taakstelling as i64, r.formule_uitkomst as i64 + r.herverdeling);
        }
        prop_assert_eq!(
            met.provincies.iter().map(|p| p.taakstelling).sum::<u64>(),
            zonder.totaal
        );
    }

    #[test]
    fn the_result_does_not_depend_on_the_order_of_the_table(
        inwoners in prop::collection::vec(1u64..2_000_000, 1..100),
        vg in 0u64..100_000,
    ) {
        let bevolking = synthetic(&inwoners);
        let mut omgekeerd = bevolking.clone();
        omgekeerd.gemeenten.reverse();
        prop_assert_eq!(
            bereken_verdeling(&bevolking, &input(vg)).unwrap(),
            bereken_verdeling(&omgekeerd, &input(vg)).unwrap()
        );
    }
}

#[test]
fn result_serializes_with_dutch_field_names_and_province_names() {
    let mut i = input(100);
    i.achterstanden = vec![Achterstand {
        code: "GM0002".to_owned(),
        aantal: 3,
    }];
    let v = bereken_verdeling(&klein(), &i).unwrap();
    let yaml = serde_saphyr::to_string(&v.regels[0]).unwrap();
    assert_eq!(
        yaml,
        "code: GM0002\nnaam: Bb\nprovincie: Groningen\ninwoners: 250\ninwoners_vastgesteld: false\n\
         formule_uitkomst: 25\nherverdeling: 0\ntaakstelling: 25\nachterstand: 3\n\
         gecorrigeerde_taakstelling: 28\n"
    );
    assert_eq!(
        serde_saphyr::to_string(&Provincie::Fryslan).unwrap(),
        "Fryslân\n"
    );
}
