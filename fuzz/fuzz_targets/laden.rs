//! Any bytes as a period file: the loader must answer with a value or an error,
//! never panic, and stay within bounded time and memory. Inputs that load are
//! also computed, so that figures the loader lets through cannot crash the engine.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use taakstelling::input::{self, yaml};

fuzz_target!(|data: &[u8]| {
    let path = Path::new("inputs/2025-I.yaml");
    if data.len() as u64 > yaml::MAX_BESTAND {
        return;
    }
    let Ok(tekst) = yaml::tekst_uit_bytes(path, data.to_vec()) else {
        return;
    };
    match input::parse(path, tekst) {
        Ok(invoer) => {
            if let Ok(uitkomst) = taakstelling::engine::bereken(&invoer) {
                let _ = taakstelling::build::notitie_grafieken(&uitkomst);
            }
        }
        Err(e) => {
            // Rendering the report must not panic either.
            let _ = format!("{:?}", miette::Report::new(e));
        }
    }
});
