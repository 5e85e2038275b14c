//! `taakstelling build [PERIOD|FILE]...`

use taakstelling::site::{Report, Site, SiteConfig};

pub(crate) fn execute(folders: &SiteConfig, periods: &[String]) -> Report {
    let mut site = Site::new(folders.clone());
    // Decided before any work, touching nothing: which periods, and may a build
    // replace the output folder?
    let scope = match site.scope(periods) {
        Ok(s) => s,
        Err(e) => return e.into_report(),
    };
    if let Err(e) = site.check_target() {
        return e.into_report();
    }
    let output = folders.output.clone();
    let built = site.build(scope, || {
        eprintln!(
            "another build is writing {}; waiting for it to finish",
            output.display()
        );
    });
    match built {
        Ok(b) => {
            let mut report = b.report;
            for p in b.written {
                report.info(format!(
                    "built {p} → {}",
                    output.join(p.to_string()).display()
                ));
            }
            report.info(format!(
                "built the index → {}",
                output.join("index.html").display()
            ));
            report
        }
        Err(report) => report,
    }
}
