//! `taakstelling serve [--port N] [--bind ADDR]`

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use taakstelling::site::{Report, Site, SiteConfig};

pub(crate) fn execute(folders: SiteConfig, bind: IpAddr, port: u16) -> Report {
    if let Err(e) = Site::new(folders.clone()).check_target() {
        return e.into_report();
    }
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let mut report = Report::new();
    if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
        report.warning(format!(
            "cannot catch Ctrl-C ({e}); the server stops without cleaning up"
        ));
        report.eprint();
        report = Report::new();
    }
    let options = taakstelling::serve::Options {
        site: folders,
        bind,
        port,
    };
    if let Err(e) = taakstelling::serve::serve(options, stop) {
        report.diagnostic(1, e);
    }
    report
}
