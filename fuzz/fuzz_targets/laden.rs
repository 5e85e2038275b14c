//! Any bytes as a period file: the loader must answer with a value or an error,
//! never panic, and stay within bounded time and memory. Inputs that load are
//! also computed, so that figures the loader lets through cannot crash the engine.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use taakstelling::input::bevolking::{Bevolking, load_bevolking};
use taakstelling::input::{self, yaml};

/// The population of 1 January 2024 (the peildatum of the seed), read once, so that the
/// distribution decisions in the `verdeling` section are fuzzed through the engine too.
fn bevolking() -> &'static Bevolking {
    static B: OnceLock<Bevolking> = OnceLock::new();
    B.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../inputs/bevolking");
        load_bevolking(&dir, 2024).expect("the committed population of 1 January 2024 loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("inputs/2025-I.yaml");
    if data.len() as u64 > yaml::MAX_BESTAND {
        return;
    }
    let Ok(tekst) = yaml::text_from_bytes(path, data.to_vec()) else {
        return;
    };
    match input::parse(path, tekst) {
        Ok(invoer) => {
            if let Ok(uitkomst) = taakstelling::engine::bereken(&invoer) {
                let _ = taakstelling::render::context::notitie_grafieken(&uitkomst);
            }
            let _ = taakstelling::engine::bekendmaking::bereken_met_verdeling(&invoer, bevolking());
        }
        Err(e) => {
            // Rendering the report must not panic either.
            let _ = format!("{:?}", miette::Report::new(e));
        }
    }
});
