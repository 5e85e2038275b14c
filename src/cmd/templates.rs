//! `taakstelling templates export DIR [--force]`

use std::path::Path;

use taakstelling::site::Report;

pub(crate) fn execute(dir: &Path, force: bool) -> Report {
    let mut report = Report::new();
    match taakstelling::sjablonen::export(dir, force) {
        Ok(files) => report.info(format!(
            "wrote {} templates into {}; use them with --templates {}",
            files.len(),
            dir.display(),
            dir.display()
        )),
        Err(e) => report.error_line(1, e),
    }
    report
}
