//! Helpers shared by the end-to-end tests.

use std::fs;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the population table of 1 January 2024 (the peildatum of 2025-I and 2025-II) into
/// `inputs/bevolking/` of a test project, so that a period built there can be distributed.
pub fn bevolking(inputs: &Path) {
    let dir = inputs.join("bevolking");
    fs::create_dir_all(&dir).unwrap();
    for f in ["2024-01-01.csv", "2024-01-01.yaml"] {
        fs::copy(repo().join("inputs/bevolking").join(f), dir.join(f)).unwrap();
    }
}
