//! `taakstelling bevolking import FILE --peildatum YYYY-01-01 ...`: the work is in the
//! library (`taakstelling::cbs`).

use std::path::{Path, PathBuf};

use taakstelling::cbs;
use taakstelling::kalender::Datum;
use taakstelling::site::Report;

/// The arguments of `bevolking import`.
pub(crate) struct Args {
    pub(crate) file: PathBuf,
    pub(crate) peildatum: String,
    pub(crate) indeling: Option<PathBuf>,
    pub(crate) table: Option<String>,
    pub(crate) downloaded: Option<String>,
    pub(crate) force: bool,
}

pub(crate) fn execute(inputs: &Path, args: Args) -> Report {
    let mut report = Report::new();
    match import(inputs, args, &mut report) {
        Ok(()) | Err(()) => report,
    }
}

fn import(inputs: &Path, args: Args, report: &mut Report) -> Result<(), ()> {
    let mut datum = |optie: &str, waarde: &str| {
        Datum::parse(waarde).ok_or_else(|| {
            report.error_line(2, format!("{optie} {waarde:?} is not a date YYYY-MM-DD"));
        })
    };
    let peildatum = datum("--peildatum", &args.peildatum)?;
    let gedownload = args
        .downloaded
        .as_deref()
        .map(|d| datum("--downloaded", d))
        .transpose()?;
    let opties = cbs::Options {
        inputs: inputs.to_path_buf(),
        bestand: args.file,
        peildatum,
        indeling: args.indeling,
        tabel: args.table,
        gedownload,
        force: args.force,
    };
    let import = cbs::prepare(&opties).map_err(|e| fail(report, e))?;
    for regel in import.verslag() {
        report.info(regel);
    }
    let (csv, yaml) = (import.csv_pad.display(), import.yaml_pad.display());
    match &import.bestaand {
        cbs::Bestaand::Gelijk => {
            report.info(format!(
                "unchanged: {csv} and {yaml} already hold exactly this import"
            ));
        }
        cbs::Bestaand::Geen => {
            cbs::write(&import, inputs, args.force).map_err(|e| fail(report, e))?;
            report.info(format!("wrote {csv} and {yaml}"));
        }
        cbs::Bestaand::Anders(changes) => {
            cbs::write(&import, inputs, args.force).map_err(|e| fail(report, e))?;
            report.info(format!(
                "replaced {csv} and {yaml} (--force); what changed:"
            ));
            for c in changes {
                report.info(format!("  {c}"));
            }
        }
    }
    report.info(format!("note: {}", import.art30()));
    Ok(())
}

fn fail(report: &mut Report, e: cbs::ImportError) {
    let code = e.exit_code();
    report.diagnostic(code, e);
}
