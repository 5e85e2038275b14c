//! `taakstelling new PERIOD`

use std::path::Path;

use taakstelling::kalender::Periode;
use taakstelling::nieuw::{self, NewError};
use taakstelling::site::Report;

pub(crate) fn execute(inputs: &Path, period: &str) -> Report {
    let mut report = Report::new();
    let Some(p) = Periode::parse(period) else {
        report.error_line(2, format!("{period:?} is not a period name such as 2026-I"));
        return report;
    };
    let result = nieuw::prepare(inputs, p).and_then(|n| nieuw::write(&n).map(|()| n));
    let n = match result {
        Ok(n) => n,
        Err(NewError::VorigeOngeldig {
            periode,
            vorige,
            fout,
        }) => {
            report.diagnostic(1, *fout);
            report.error_line(
                1,
                format!(
                    "cannot start {periode} from {}: that file does not check; fix it first",
                    vorige.display()
                ),
            );
            return report;
        }
        Err(e) => {
            report.error_line(1, e);
            return report;
        }
    };
    report.info(format!(
        "created {} from {}",
        n.doel.display(),
        n.vorige.display()
    ));
    for g in &n.gewijzigd {
        report.info(format!("  {g}"));
    }
    report.info(format!("still to be filled in ({}):", n.open.len()));
    for o in &n.open {
        report.info(format!(
            "  {}:{}:{}: {}",
            n.doel.display(),
            o.line,
            o.column,
            o.path
        ));
    }
    if !n.nakijken.is_empty() {
        report.info("to review (carried over, names an earlier period):");
        for r in &n.nakijken {
            report.info(format!("  {r}"));
        }
    }
    report.info(format!(
        "next: replace every TE_VULLEN in {}, then run `taakstelling check {}`",
        n.doel.display(),
        n.periode
    ));
    report
}
