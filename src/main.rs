//! The `taakstelling` command line: a thin layer over the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use taakstelling::build::{self, BuildError, Gebouwd};
use taakstelling::output::{self, Bestand};
use taakstelling::render::Renderer;

const EXIT_CODES: &str = "Exit codes: 0 success, 1 invalid input or failed build, 2 wrong usage.";

/// Static report generator for the half-yearly taakstelling huisvesting vergunninghouders.
///
/// Reads the YAML inputs of a period, computes every figure, and writes the
/// HLRT-notitie (HTML and Markdown) with its charts, the Staatscourant draft, the
/// taakstellingsbrief and the distribution per municipality (verdeling.csv).
#[derive(Parser)]
#[command(name = "taakstelling", version, after_help = EXIT_CODES)]
struct Cli {
    /// Folder with the period inputs and, in `bevolking/`, the population tables.
    #[arg(long, global = true, default_value = "inputs")]
    inputs: PathBuf,
    /// Folder to write the documents into.
    #[arg(long, global = true, default_value = "output")]
    output: PathBuf,
    /// Folder of templates that override the embedded ones, file by file.
    #[arg(long, global = true)]
    templates: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the documents of every period in the inputs folder, or of the periods given.
    ///
    /// Nothing is written unless every period builds; the previous output stays intact.
    #[command(after_help = EXIT_CODES)]
    Build {
        /// Period files (inputs/2025-I.yaml) or period names (2025-I). Default: all.
        periods: Vec<String>,
    },
    /// Validate and compute every period (or the ones given) without writing anything.
    #[command(after_help = EXIT_CODES)]
    Check {
        /// Period files (inputs/2025-I.yaml) or period names (2025-I). Default: all.
        periods: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    install_error_report();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

fn install_error_report() {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .color(color)
                .unicode(color)
                .terminal_links(false)
                .width(100)
                .build(),
        )
    }));
}

fn report(e: impl miette::Diagnostic + Send + Sync + 'static) {
    eprintln!("{:?}", miette::Report::new(e));
}

/// Period files named on the command line, or all of them.
fn period_files(cli: &Cli, periods: &[String]) -> Result<Vec<PathBuf>, ExitCode> {
    if periods.is_empty() {
        let found = build::vind_perioden(&cli.inputs).map_err(|e| {
            eprintln!(
                "error: cannot read the inputs folder {}: {e}",
                cli.inputs.display()
            );
            ExitCode::from(1)
        })?;
        if found.is_empty() {
            eprintln!(
                "error: no period files (such as 2025-I.yaml) in {}",
                cli.inputs.display()
            );
            return Err(ExitCode::from(1));
        }
        return Ok(found);
    }
    periods
        .iter()
        .map(|p| {
            let path = Path::new(p);
            if path.extension().is_some() || path.components().count() > 1 {
                Ok(path.to_path_buf())
            } else if taakstelling::kalender::Periode::parse(p).is_some() {
                Ok(cli.inputs.join(format!("{p}.yaml")))
            } else {
                eprintln!("error: {p:?} is neither a period file nor a period name such as 2025-I");
                Err(ExitCode::from(2))
            }
        })
        .collect()
}

fn run(cli: &Cli) -> Result<(), ExitCode> {
    match &cli.command {
        Command::Check { periods } => {
            let files = period_files(cli, periods)?;
            let mut failed = false;
            let bevolkingen = build::Bevolkingen::new(&cli.inputs);
            for f in &files {
                match build::bereken_periode_met(f, &bevolkingen) {
                    Ok(b) => {
                        print_warnings(&b.uitkomst);
                        eprintln!("ok: {} ({})", f.display(), b.uitkomst.periode.id);
                    }
                    Err(e) => {
                        failed = true;
                        report(e);
                    }
                }
            }
            if failed {
                Err(ExitCode::from(1))
            } else {
                Ok(())
            }
        }
        Command::Build { periods } => {
            let files = period_files(cli, periods)?;
            let renderer = Renderer::new(cli.templates.as_deref()).map_err(|e| {
                report(e);
                ExitCode::from(1)
            })?;
            let mut built: Vec<Gebouwd> = Vec::new();
            let mut errors: Vec<BuildError> = Vec::new();
            for r in build::bouw_perioden(&files, &cli.inputs, &renderer) {
                match r {
                    Ok(g) => built.push(g),
                    Err(e) => errors.push(e),
                }
            }
            if !errors.is_empty() {
                for e in errors {
                    report(e);
                }
                eprintln!(
                    "error: nothing was written; {} is unchanged",
                    cli.output.display()
                );
                return Err(ExitCode::from(1));
            }
            for g in &built {
                print_warnings(&g.uitkomst);
            }
            write(cli, periods.is_empty(), built)
        }
    }
}

fn print_warnings(u: &taakstelling::engine::Uitkomst) {
    for w in &u.waarschuwingen {
        eprintln!("warning: {}: {}", u.periode.id, w.cli);
    }
}

/// A build of everything replaces the output folder whole; a build of some periods
/// replaces only their folders.
fn write(cli: &Cli, all: bool, built: Vec<Gebouwd>) -> Result<(), ExitCode> {
    let fail = |e: std::io::Error| {
        eprintln!("error: cannot write {}: {e}", cli.output.display());
        ExitCode::from(1)
    };
    let perioden: Vec<_> = built.iter().map(|g| g.periode).collect();
    if all {
        // Moved, not copied: the documents of many periods can be tens of megabytes.
        let bestanden: Vec<Bestand> = built.into_iter().flat_map(|g| g.bestanden).collect();
        output::vervang_map(&cli.output, &bestanden).map_err(fail)?;
    } else {
        for g in built {
            let map = g.periode.to_string();
            let bestanden: Vec<Bestand> = g
                .bestanden
                .into_iter()
                .map(|b| match b.pad.strip_prefix(&map) {
                    Ok(pad) => Bestand::new(pad, b.inhoud),
                    Err(_) => b,
                })
                .collect();
            output::vervang_map(&cli.output.join(&map), &bestanden).map_err(fail)?;
        }
    }
    for p in perioden {
        eprintln!("built {p} → {}", cli.output.join(p.to_string()).display());
    }
    Ok(())
}
