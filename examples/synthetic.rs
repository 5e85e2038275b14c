//! Writes synthetic period inputs for the speed measurements: `N` consecutive
//! periods from 2025-I on with the full set of series, and the population tables
//! they need. How the values are made up: see `benches/support/synthetic.rs`.
//!
//! ```text
//! cargo run --release --example synthetic -- --periods 100 --out /tmp/synthetisch
//! target/release/taakstelling --inputs /tmp/synthetisch build --output /tmp/synthetisch-output
//! cargo run --release --example synthetic -- --periods 100 --window-years 10 --out /tmp/vast
//! ```

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::path::PathBuf;

use clap::Parser;

/// Write synthetic period inputs (and population tables) for speed measurements.
#[derive(Parser)]
struct Args {
    /// How many consecutive periods to write, from 2025-I on.
    #[arg(long, default_value_t = 100)]
    periods: usize,
    /// The folder to write into (created; existing period files are overwritten).
    #[arg(long)]
    out: PathBuf,
    /// The inputs folder with the reference period 2025-I.yaml and bevolking/.
    #[arg(long, default_value = "inputs")]
    inputs: PathBuf,
    /// Seed of the pseudo-random values.
    #[arg(long, default_value_t = 2025)]
    seed: u64,
    /// Keep only the last YEARS years of monthly grants, history and amv realisations
    /// in each file (at least 3), so that every period has about the same size.
    /// Default: keep everything, so that files grow with the history.
    #[arg(long, value_name = "YEARS")]
    window_years: Option<u32>,
}

fn main() -> synthetic::Result<()> {
    let args = Args::parse();
    let paden = synthetic::write(&synthetic::Options {
        perioden: args.periods,
        out: args.out.clone(),
        inputs: args.inputs,
        seed: args.seed,
        venster_jaren: args.window_years,
    })?;
    let naam = |p: Option<&PathBuf>| {
        p.and_then(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    eprintln!(
        "wrote {} periods ({} to {}) and their population tables to {}",
        paden.len(),
        naam(paden.first()),
        naam(paden.last()),
        args.out.display()
    );
    Ok(())
}
