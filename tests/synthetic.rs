//! The synthetic inputs of the speed measurements (`benches/support/synthetic.rs`)
//! and the build of many periods at once: the generator is deterministic and its
//! periods build; building periods in parallel gives exactly the documents of
//! building them one by one, in order; a population table is read once per build.
//!
//! Speed itself is not asserted here (no timed tests): see `benches/` and the README.

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use taakstelling::input;
use taakstelling::input::BevolkingCache;
use taakstelling::render::Renderer;
use taakstelling::site;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "taakstelling-synthetic-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&d);
    d
}

fn generate(dir: &Path, perioden: usize, venster_jaren: Option<u32>) -> Vec<PathBuf> {
    synthetic::write(&synthetic::Options {
        perioden,
        out: dir.to_path_buf(),
        inputs: repo().join("inputs"),
        seed: 7,
        venster_jaren,
    })
    .unwrap_or_else(|e| panic!("generator: {e}"))
}

/// Every file under `dir`, relative path → bytes, in path order.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = walkdir(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_generator_writes_the_same_bytes_every_time() {
    let (a, b) = (tmp("det-a"), tmp("det-b"));
    let pa = generate(&a, 5, None);
    let pb = generate(&b, 5, None);
    assert_eq!(pa.len(), 5);
    assert_eq!(pb.len(), 5);
    let (fa, fb) = (files(&a), files(&b));
    // 5 periods (2025-I to 2027-I) and population tables for 2024 to 2026.
    assert_eq!(
        fa.len(),
        5 + 2 * 3,
        "{:?}",
        fa.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert!(fa == fb, "two runs with the same options differ");
    let _ = fs::remove_dir_all(&a);
    let _ = fs::remove_dir_all(&b);
}

#[test]
fn periods_carry_their_history_forward_or_keep_a_window() {
    let groeit = tmp("groeit");
    let venster = tmp("venster");
    let g = generate(&groeit, 12, None);
    let v = generate(&venster, 12, Some(3));
    let laatst_g = input::load(g.last().unwrap()).unwrap();
    let laatst_v = input::load(v.last().unwrap()).unwrap();
    assert_eq!(laatst_g.periode.to_string(), "2030-II");
    // Growing: the history since 2015-I up to 2030-I, grants since March 2023.
    assert_eq!(laatst_g.historie.len(), 31);
    assert_eq!(
        laatst_g.historie.last().unwrap().periode.to_string(),
        "2030-I"
    );
    assert_eq!(
        laatst_g
            .inwilligingen
            .maanden
            .first()
            .unwrap()
            .0
            .to_string(),
        "2023-03"
    );
    // Windowed: three years of history (six periods) and 36 months of grants.
    assert_eq!(laatst_v.historie.len(), 6);
    assert_eq!(laatst_v.inwilligingen.maanden.len(), 36);
    // The decision of a period is the history of the next, in both.
    let vorige = input::load(&g[g.len() - 2]).unwrap();
    let rij = laatst_g.historie.last().unwrap();
    assert_eq!(rij.eerst_bekendgemaakt, Some(vorige.besluit.taakstelling));
    let _ = fs::remove_dir_all(&groeit);
    let _ = fs::remove_dir_all(&venster);
}

#[test]
fn a_parallel_build_gives_the_documents_of_one_by_one_in_order() {
    let dir = tmp("parallel");
    let mut paden = generate(&dir, 6, None);
    // A period that cannot be built, in the middle: its error keeps its place.
    paden.insert(3, dir.join("2099-I.yaml"));
    let renderer = Renderer::new(None).unwrap();
    let samen = site::build_periods(&paden, &dir, &renderer);
    assert_eq!(samen.len(), paden.len());
    for (pad, r) in paden.iter().zip(samen) {
        let los = site::build_period(pad, &BevolkingCache::new(&dir), &renderer);
        match (r, los) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.periode, b.periode);
                assert_eq!(
                    a.periode.to_string(),
                    pad.file_stem().unwrap().to_str().unwrap()
                );
                assert!(a.bestanden == b.bestanden, "{}", a.periode);
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!(
                "{}: parallel {:?}, alone {:?}",
                pad.display(),
                a.map(|g| g.periode),
                b.map(|g| g.periode)
            ),
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// One period alone draws its charts' PNGs on the idle cores while it writes the rest
/// (see `Renderer::render_folder`); the files are those of a build on one thread.
#[test]
fn one_period_with_helper_threads_gives_the_same_bytes() {
    let dir = tmp("helpers");
    let paden = generate(&dir, 1, None);
    let renderer = Renderer::new(None).unwrap();
    let met_hulp = site::build_periods(&paden, &dir, &renderer)
        .pop()
        .unwrap()
        .unwrap();
    let alleen = site::build_period(&paden[0], &BevolkingCache::new(&dir), &renderer).unwrap();
    assert!(met_hulp.bestanden == alleen.bestanden);
    assert!(
        met_hulp
            .bestanden
            .iter()
            .any(|b| b.path.ends_with("notitie.docx")),
        "with its Word files"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_build_reads_each_population_table_once() {
    let bevolkingen = BevolkingCache::new(&repo().join("inputs"));
    let a = bevolkingen.peildatum(2024).unwrap();
    let b = bevolkingen.peildatum(2024).unwrap();
    assert!(Arc::ptr_eq(&a, &b), "the second period got a second copy");
    assert_eq!(a.gemeenten.len(), 342);
    // A missing table is an error for every period that needs it, not only the first.
    assert!(bevolkingen.peildatum(1990).is_err());
    assert!(bevolkingen.peildatum(1990).is_err());
}
