//! A stable-toolchain companion of the fuzz target `fuzz/fuzz_targets/laden.rs`, run by
//! `cargo test`: random line-level mutations of the reference input go through the whole
//! loader, the engine and the error report, and must never panic.

use std::path::Path;

use proptest::prelude::*;
use taakstelling::input::{self, yaml};

fn reference() -> Vec<String> {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/inputs/2025-I.yaml"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// One edit of the lines of a file.
#[derive(Debug, Clone)]
enum Mutatie {
    Weg(usize),
    Dubbel(usize),
    Wissel(usize, usize),
    Teken(usize, usize, char),
    Inspringen(usize, usize),
    Afkappen(usize, usize),
}

fn mutatie() -> impl Strategy<Value = Mutatie> {
    let teken = prop::sample::select(vec![
        ':', '-', '[', ']', '{', '}', '&', '*', '!', '|', '>', '#', '"', '\'', ' ', '\t', '0', '9',
        'x', 'é', '\u{0}', '\u{1b}', '%', '@', '`', ',',
    ]);
    prop_oneof![
        any::<usize>().prop_map(Mutatie::Weg),
        any::<usize>().prop_map(Mutatie::Dubbel),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutatie::Wissel(a, b)),
        (any::<usize>(), any::<usize>(), teken).prop_map(|(a, b, c)| Mutatie::Teken(a, b, c)),
        (any::<usize>(), 0usize..8).prop_map(|(a, b)| Mutatie::Inspringen(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutatie::Afkappen(a, b)),
    ]
}

fn pas_toe(regels: &mut Vec<String>, m: &Mutatie) {
    if regels.is_empty() {
        return;
    }
    let n = regels.len();
    match *m {
        Mutatie::Weg(i) => {
            regels.remove(i % n);
        }
        Mutatie::Dubbel(i) => {
            let r = regels[i % n].clone();
            regels.insert(i % n, r);
        }
        Mutatie::Wissel(a, b) => regels.swap(a % n, b % n),
        Mutatie::Teken(i, j, c) => {
            let r = &mut regels[i % n];
            let tekens: Vec<char> = r.chars().collect();
            let j = j % (tekens.len() + 1);
            *r = tekens[..j]
                .iter()
                .chain([c].iter())
                .chain(&tekens[j..])
                .collect();
        }
        Mutatie::Inspringen(i, k) => {
            let r = &mut regels[i % n];
            *r = format!("{}{}", " ".repeat(k), r.trim_start());
        }
        Mutatie::Afkappen(i, j) => {
            let r = &mut regels[i % n];
            *r = r.chars().take(j % (r.chars().count() + 1)).collect();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn mutated_inputs_never_panic(mutaties in prop::collection::vec(mutatie(), 1..6)) {
        let mut regels = reference();
        for m in &mutaties {
            pas_toe(&mut regels, m);
        }
        let tekst = regels.join("\n");
        let path = Path::new("inputs/2025-I.yaml");
        let Ok(tekst) = yaml::text_from_bytes(path, tekst.into_bytes()) else {
            return Ok(());
        };
        match input::parse(path, tekst) {
            Ok(invoer) => {
                if let Ok(u) = taakstelling::engine::bereken(&invoer) {
                    let _ = taakstelling::render::context::notitie_grafieken(&u);
                }
            }
            Err(e) => {
                let _ = format!("{:?}", miette::Report::new(e));
            }
        }
    }
}
