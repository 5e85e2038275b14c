//! The `taakstelling` command line: a thin layer over the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use taakstelling::build::{self, BuildError, Gebouwd};
use taakstelling::nieuw::{self, NieuwFout};
use taakstelling::output::{self, Bestand};
use taakstelling::render::Renderer;
use taakstelling::site;

const EXIT_CODES: &str = "Exit codes: 0 success; 1 invalid input or failed build (nothing is written); \
2 wrong usage (an unknown command or option, a name that is not a period such as 2025-I, or an \
output folder a build may not replace: one it did not write or that holds anything it did not \
write, a file, a symbolic link, a read-only folder, the current folder, or a folder that is, holds \
or lies inside the inputs or the templates).";

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
    /// Folder to write the documents into. A build replaces it whole (or, for named
    /// periods, their folders in it), and only when it is absent, empty or written by
    /// an earlier build and holding nothing else.
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
    /// Start the input file of a period from the latest period before it.
    ///
    /// Writes inputs/PERIOD.yaml: dates moved forward, the history extended, texts
    /// and lists kept, and every figure that is new each period marked TE_VULLEN;
    /// `check` and `build` refuse the file until no marker is left. Never
    /// overwrites a file.
    #[command(after_help = EXIT_CODES)]
    New {
        /// The new period, such as 2026-I.
        period: String,
    },
    /// Build, serve the output folder in the browser, and rebuild on save.
    ///
    /// Listens on 127.0.0.1 only, unless --bind says otherwise. Watches the inputs
    /// folder and the --templates folder; open pages reload after each build and
    /// show the error when a build fails. Stop with Ctrl-C.
    #[command(after_help = EXIT_CODES)]
    Serve {
        /// Port to listen on. Default: a free port chosen by the system (printed).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Address to listen on. Anything but a loopback address makes the
        /// documents readable by others on the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
    },
    /// Work with the templates.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Work with the population tables (inputs/bevolking/).
    #[command(subcommand)]
    Bevolking(BevolkingCommand),
}

#[derive(Subcommand)]
enum BevolkingCommand {
    /// Import CBS's population on 1 January per municipality as inputs/bevolking/YYYY-01-01.*
    ///
    /// Reads a StatLine CSV export, the JSON of CBS's open-data API (OData v3 or v4), or a
    /// CSV with the header gemeentecode;gemeentenaam;inwoners. Checks it, takes each
    /// province from the previous table (or, for a new municipality, from --indeling), and
    /// writes the table. A refused import writes nothing; a table that exists is only
    /// replaced with --force, which lists what changed.
    #[command(after_help = EXIT_CODES)]
    Import {
        /// The download.
        file: PathBuf,
        /// The day of the figures: 1 January, such as 2025-01-01.
        #[arg(long)]
        peildatum: String,
        /// CBS's municipal division table of that day (gemeenten-alfabetisch-YYYY as CSV),
        /// for the provinces of new municipalities.
        #[arg(long)]
        indeling: Option<PathBuf>,
        /// The CBS table (such as 03759ned), when the download does not name it.
        #[arg(long)]
        table: Option<String>,
        /// The day of the download (YYYY-MM-DD), when the download does not say it.
        #[arg(long)]
        downloaded: Option<String>,
        /// Replace the table when it exists (the changes are listed).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum TemplatesCommand {
    /// Write the embedded templates into DIR, to start a folder for --templates DIR.
    ///
    /// Keep only the files you change: the others then stay embedded.
    #[command(after_help = EXIT_CODES)]
    Export {
        /// The folder to write into (created when missing).
        dir: PathBuf,
        /// Overwrite files that exist.
        #[arg(long)]
        force: bool,
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
    let found = taakstelling::input::discover_periods(&cli.inputs);
    if periods.is_empty() {
        let found = found.map_err(|e| {
            eprintln!("error: {e}");
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
    // A name stands for its file in the inputs folder (`.yaml` or `.yml`).
    let found = match found {
        Ok(f) => f,
        Err(e) if e.is_missing_folder() => Vec::new(),
        Err(e) => {
            eprintln!("error: {e}");
            return Err(ExitCode::from(1));
        }
    };
    periods
        .iter()
        .map(|p| {
            let path = Path::new(p);
            if path.extension().is_some() || path.components().count() > 1 {
                Ok(path.to_path_buf())
            } else if let Some(periode) = taakstelling::kalender::Periode::parse(p) {
                let van = |f: &PathBuf| {
                    f.file_name()
                        .and_then(|n| n.to_str())
                        .and_then(taakstelling::input::period_of_file_name)
                        == Some(periode)
                };
                Ok(found
                    .iter()
                    .find(|f| van(f))
                    .cloned()
                    .unwrap_or_else(|| cli.inputs.join(format!("{p}.yaml"))))
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
                        eprintln!("ok: {} ({})", f.display(), b.uitkomst.periode);
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
            // Decided before any work, touching nothing: may a build replace the folder?
            controleer_doel(cli)?;
            let slot = output::vergrendel(&cli.output, || {
                eprintln!(
                    "another build is writing {}; waiting for it to finish",
                    cli.output.display()
                );
            })
            .map_err(uitvoer_fout)?;
            let meldingen = slot.herstel().map_err(|e| {
                eprintln!(
                    "error: cannot repair {} after an interrupted build: {e}",
                    cli.output.display()
                );
                ExitCode::from(1)
            })?;
            for m in meldingen {
                eprintln!("warning: {m}");
            }
            let renderer = Renderer::new(cli.templates.as_deref()).map_err(|e| {
                report(e);
                ExitCode::from(1)
            })?;
            let (built, errors) = bouw(&files, cli, &renderer);
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
            let (index, others) = index_files(cli, &built, &renderer)?;
            write(cli, &slot, periods.is_empty(), built, others, index)
        }
        Command::New { period } => new_period(cli, period),
        Command::Serve { port, bind } => {
            controleer_doel(cli)?;
            let stop = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&stop);
            if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
                eprintln!(
                    "warning: cannot catch Ctrl-C ({e}); the server stops without cleaning up"
                );
            }
            let opties = taakstelling::serve::Opties {
                inputs: cli.inputs.clone(),
                output: cli.output.clone(),
                templates: cli.templates.clone(),
                bind: *bind,
                port: *port,
            };
            taakstelling::serve::serve(opties, stop).map_err(|e| {
                report(e);
                ExitCode::from(1)
            })
        }
        Command::Bevolking(BevolkingCommand::Import {
            file,
            peildatum,
            indeling,
            table,
            downloaded,
            force,
        }) => bevolking_import(
            cli,
            file,
            peildatum,
            indeling.as_deref(),
            table.as_deref(),
            downloaded.as_deref(),
            *force,
        ),
        Command::Templates(TemplatesCommand::Export { dir, force }) => {
            match taakstelling::sjablonen::exporteer(dir, *force) {
                Ok(files) => {
                    eprintln!(
                        "wrote {} templates into {}; use them with --templates {}",
                        files.len(),
                        dir.display(),
                        dir.display()
                    );
                    Ok(())
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    Err(ExitCode::from(1))
                }
            }
        }
    }
}

/// The index of all periods. A build of every period has them all at hand; a build of
/// some periods builds the others in memory too (without writing them), so that the
/// index is always that of every period in the inputs folder.
/// Builds periods (in parallel), separating the built ones from the errors.
fn bouw(files: &[PathBuf], cli: &Cli, renderer: &Renderer) -> (Vec<Gebouwd>, Vec<BuildError>) {
    let mut built = Vec::new();
    let mut errors = Vec::new();
    for r in build::bouw_perioden(files, &cli.inputs, renderer) {
        match r {
            Ok(g) => built.push(g),
            Err(e) => errors.push(e),
        }
    }
    (built, errors)
}

/// Returns the index files and the other periods, built in memory.
fn index_files(
    cli: &Cli,
    built: &[Gebouwd],
    renderer: &Renderer,
) -> Result<(Vec<Bestand>, Vec<Gebouwd>), ExitCode> {
    let all = match taakstelling::input::discover_periods(&cli.inputs) {
        Ok(all) => all,
        Err(e) if e.is_missing_folder() => Vec::new(),
        Err(e) => {
            eprintln!("error: {e}");
            return Err(ExitCode::from(1));
        }
    };
    // The periods not built already, built the same way as `build` builds them.
    let rest: Vec<PathBuf> = all
        .into_iter()
        .filter(|f| {
            let period = f
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(taakstelling::kalender::Periode::parse);
            !built.iter().any(|g| Some(g.periode) == period)
        })
        .collect();
    let (others, errors) = bouw(&rest, cli, renderer);
    if !errors.is_empty() {
        for e in errors {
            report(e);
        }
        eprintln!(
            "error: the index lists every period in {}, so every period must build; nothing was written",
            cli.inputs.display()
        );
        return Err(ExitCode::from(1));
    }
    let refs: Vec<&Gebouwd> = others.iter().chain(built).collect();
    let index = site::bouw_index(&refs, renderer).map_err(|e| {
        report(e);
        ExitCode::from(1)
    })?;
    Ok((index, others))
}

fn new_period(cli: &Cli, period: &str) -> Result<(), ExitCode> {
    let Some(p) = taakstelling::kalender::Periode::parse(period) else {
        eprintln!("error: {period:?} is not a period name such as 2026-I");
        return Err(ExitCode::from(2));
    };
    let result = nieuw::maak(&cli.inputs, p).and_then(|n| nieuw::schrijf(&n).map(|()| n));
    let n = match result {
        Ok(n) => n,
        Err(NieuwFout::VorigeOngeldig {
            periode,
            vorige,
            fout,
        }) => {
            report(*fout);
            eprintln!(
                "error: cannot start {periode} from {}: that file does not check; fix it first",
                vorige.display()
            );
            return Err(ExitCode::from(1));
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Err(ExitCode::from(1));
        }
    };
    eprintln!("created {} from {}", n.doel.display(), n.vorige.display());
    for g in &n.gewijzigd {
        eprintln!("  {g}");
    }
    eprintln!("still to be filled in ({}):", n.open.len());
    for o in &n.open {
        eprintln!("  {}:{}:{}: {}", n.doel.display(), o.line, o.column, o.path);
    }
    if !n.nakijken.is_empty() {
        eprintln!("to review (carried over, names an earlier period):");
        for r in &n.nakijken {
            eprintln!("  {r}");
        }
    }
    eprintln!(
        "next: replace every TE_VULLEN in {}, then run `taakstelling check {}`",
        n.doel.display(),
        n.periode
    );
    Ok(())
}

/// `bevolking import`: the work is in the library (`taakstelling::cbs`).
fn bevolking_import(
    cli: &Cli,
    file: &Path,
    peildatum: &str,
    indeling: Option<&Path>,
    table: Option<&str>,
    downloaded: Option<&str>,
    force: bool,
) -> Result<(), ExitCode> {
    let datum = |optie: &str, waarde: &str| {
        taakstelling::kalender::Datum::parse(waarde).ok_or_else(|| {
            eprintln!("error: {optie} {waarde:?} is not a date YYYY-MM-DD");
            ExitCode::from(2)
        })
    };
    let opties = taakstelling::cbs::Opties {
        inputs: cli.inputs.clone(),
        bestand: file.to_path_buf(),
        peildatum: datum("--peildatum", peildatum)?,
        indeling: indeling.map(Path::to_path_buf),
        tabel: table.map(str::to_string),
        gedownload: downloaded.map(|d| datum("--downloaded", d)).transpose()?,
        force,
    };
    let fail = |e: taakstelling::cbs::ImportFout| {
        let code = ExitCode::from(e.exit_code());
        report(e);
        code
    };
    let import = taakstelling::cbs::bereid_voor(&opties).map_err(fail)?;
    for regel in import.verslag() {
        eprintln!("{regel}");
    }
    let (csv, yaml) = (import.csv_pad.display(), import.yaml_pad.display());
    match &import.bestaand {
        taakstelling::cbs::Bestaand::Gelijk => {
            eprintln!("unchanged: {csv} and {yaml} already hold exactly this import");
        }
        taakstelling::cbs::Bestaand::Geen => {
            taakstelling::cbs::schrijf(&import, &cli.inputs, force).map_err(fail)?;
            eprintln!("wrote {csv} and {yaml}");
        }
        taakstelling::cbs::Bestaand::Anders(changes) => {
            taakstelling::cbs::schrijf(&import, &cli.inputs, force).map_err(fail)?;
            eprintln!("replaced {csv} and {yaml} (--force); what changed:");
            for c in changes {
                eprintln!("  {c}");
            }
        }
    }
    eprintln!("note: {}", import.art30());
    Ok(())
}

fn print_warnings(u: &taakstelling::engine::Uitkomst) {
    for w in &u.waarschuwingen {
        eprintln!("warning: {}: {}", u.periode, w.cli);
    }
}

/// Whether a build may replace the output folder (exit 2 when not). Replacing the inputs
/// or the templates, or anything the tool did not write, would delete what is not output.
fn controleer_doel(cli: &Cli) -> Result<(), ExitCode> {
    let mut beschermd: Vec<(&str, &Path)> = vec![("inputs", &cli.inputs)];
    beschermd.extend(cli.templates.as_deref().map(|t| ("templates", t)));
    output::controleer_doel(&cli.output, &beschermd).map_err(uitvoer_fout)
}

fn uitvoer_fout(e: output::UitvoerFout) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(e.exit_code())
}

/// A build of everything replaces the output folder whole; a build of some periods
/// replaces only their folders and the index (and writes the other periods' documents
/// only where the output lacks them, so that the index links to nothing missing).
fn write(
    cli: &Cli,
    slot: &output::Slot,
    all: bool,
    mut built: Vec<Gebouwd>,
    others: Vec<Gebouwd>,
    index: Vec<Bestand>,
) -> Result<(), ExitCode> {
    // A period named twice (`2025-I inputs/2025-I.yaml`) is written once: the last, as
    // the index has it.
    let mut gezien = std::collections::BTreeSet::new();
    built.reverse();
    built.retain(|g| gezien.insert(g.periode));
    built.reverse();
    let perioden: Vec<_> = built.iter().map(|g| g.periode).collect();
    let mappen: Vec<String> = perioden.iter().map(ToString::to_string).collect();
    let bestanden: Vec<&Bestand> = built
        .iter()
        .chain(&others)
        .flat_map(|g| g.bestanden.iter())
        .chain(index.iter())
        .collect();
    let vervang = if all {
        output::Vervang::Alles
    } else {
        output::Vervang::Mappen(&mappen)
    };
    slot.schrijf(&bestanden, &vervang).map_err(uitvoer_fout)?;
    for p in perioden {
        eprintln!("built {p} → {}", cli.output.join(p.to_string()).display());
    }
    eprintln!(
        "built the index → {}",
        cli.output.join("index.html").display()
    );
    Ok(())
}
