//! The `taakstelling` command line: parses the arguments, runs one command (a small
//! file each in `cmd/`, over the library's `Site` and commands) and maps its report
//! to an exit code.

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

const EXIT_CODES: &str = "Exit codes: 0 success; 1 invalid input or failed build (nothing is written); \
2 wrong usage (an unknown command or option, a name that is not a period such as 2025-I, or an \
output folder a build may not replace: one it did not write or that holds anything it did not \
write, a file, a symbolic link, a read-only folder, the current folder, or a folder that is, holds \
or lies inside the inputs or the templates).";

/// Static report generator for the half-yearly taakstelling huisvesting vergunninghouders.
///
/// Reads the YAML inputs of a period, computes every figure, and writes the
/// HLRT-notitie (HTML and Markdown) with its charts, the Staatscourant draft, the
/// circulaire with Bijlage A and the distribution per municipality (verdeling.csv).
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
    let folders = cli.folders();
    let report = match cli.command {
        Command::Build { periods } => cmd::build::execute(&folders, &periods),
        Command::Check { periods } => cmd::check::execute(&folders, &periods),
        Command::New { period } => cmd::new::execute(&cli.inputs, &period),
        Command::Serve { port, bind } => cmd::serve::execute(folders, bind, port),
        Command::Templates(TemplatesCommand::Export { dir, force }) => {
            cmd::templates::execute(&dir, force)
        }
        Command::Bevolking(BevolkingCommand::Import {
            file,
            peildatum,
            indeling,
            table,
            downloaded,
            force,
        }) => cmd::bevolking::execute(
            &cli.inputs,
            cmd::bevolking::Args {
                file,
                peildatum,
                indeling,
                table,
                downloaded,
                force,
            },
        ),
    };
    report.eprint();
    ExitCode::from(report.exit_code())
}

impl Cli {
    fn folders(&self) -> taakstelling::site::SiteConfig {
        taakstelling::site::SiteConfig {
            inputs: self.inputs.clone(),
            output: self.output.clone(),
            templates: self.templates.clone(),
        }
    }
}
