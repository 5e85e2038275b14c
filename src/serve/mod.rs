//! `taakstelling serve`: build, serve the output folder on loopback, rebuild on save
//! and reload the open pages.
//!
//! - The server is `tiny_http` (synchronous, small); it listens on 127.0.0.1
//!   unless `--bind` says otherwise, on `--port` or a free port the OS picks.
//! - `watch`: file-system events wake the loop the moment a file is saved; the
//!   folders are then scanned, so only a real change counts, and scanned every half
//!   second anyway where events do not arrive.
//! - After a save only the changed period files are built again (a template, a
//!   data file or an added or removed period builds everything), through the same
//!   [`Site`] as `build`: the same checks of the output folder, under the same lock.
//! - `http`: served HTML pages get a small script that waits on a held status
//!   request and reloads the page when a build finishes. When the last build failed,
//!   the page shows its error report (the same text as on the command line) above
//!   the last good output, and reloads once the input is fixed. The script and the
//!   report are added while serving, never to the files on disk.

mod http;
mod watch;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use miette::Diagnostic;

pub use http::{STATUS_PATH, inject};

use crate::input::period_of_path;
use crate::site::{Report, Scope, Site, SiteConfig};

/// What `serve` needs to know.
#[derive(Debug, Clone)]
pub struct Options {
    pub site: SiteConfig,
    pub bind: IpAddr,
    /// 0: a free port chosen by the OS.
    pub port: u16,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ServeError {
    #[error("cannot listen on {address}: {message}")]
    Listen {
        address: SocketAddr,
        message: String,
    },
}

/// What a build did.
enum Outcome {
    /// The log line: `rebuilt 2025-I in 12 ms`.
    Built(String),
    Failed(Report),
}

/// Builds `scope` with the site and says what happened.
fn build(site: &mut Site, scope: Scope) -> Outcome {
    let start = Instant::now();
    let all = scope == Scope::All;
    if all {
        site.reload_templates();
    }
    let output = site.config().output.clone();
    let built = site.build(scope, || {
        eprintln!(
            "another build is writing {}; waiting for it to finish",
            output.display()
        );
    });
    match built {
        Ok(b) => {
            b.report.eprint();
            let what = if all {
                "everything".to_string()
            } else {
                b.written
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Outcome::Built(format!(
                "rebuilt {what} in {} ms",
                start.elapsed().as_millis()
            ))
        }
        Err(report) => Outcome::Failed(report),
    }
}

/// Logs a build's outcome and tells the pages.
fn publish(shared: &http::Shared, outcome: Outcome) {
    match outcome {
        Outcome::Built(line) => {
            shared.publish(None);
            eprintln!("{line}");
        }
        Outcome::Failed(report) => {
            shared.publish(Some(report.errors_text()));
            report.eprint();
            eprintln!("error: the build failed; the pages show the error and the last good output");
        }
    }
}

/// What to build after `changed`: everything for a template, a data file (such as a
/// population table) or a period file that came or went; else the changed periods.
fn scope_after(
    changed: BTreeSet<PathBuf>,
    site: &Site,
    watcher: &watch::Watcher,
    templates: Option<&Path>,
) -> Scope {
    let inputs = &site.config().inputs;
    let is_period = |p: &Path| p.parent() == Some(inputs.as_path()) && period_of_path(p).is_some();
    let all = changed.iter().any(|p| {
        !is_period(p)
            || !watcher.has(p)
            || !site.knows(p)
            || templates.is_some_and(|t| p.starts_with(t))
    });
    if all {
        Scope::All
    } else {
        Scope::Changed(changed)
    }
}

/// Builds, serves and rebuilds until `stop` is set (Ctrl-C). Prints the address on
/// standard output as `serving OUTPUT at http://ADDRESS/`.
pub fn serve(options: Options, stop: Arc<AtomicBool>) -> Result<(), ServeError> {
    let address = SocketAddr::new(options.bind, options.port);
    let server = tiny_http::Server::http(address).map_err(|e| ServeError::Listen {
        address,
        message: e.to_string(),
    })?;
    let server = Arc::new(server);
    let real = server.server_addr().to_ip().unwrap_or(address);
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, not only on this computer: anyone who can reach it can read the documents (leave out --bind to listen on 127.0.0.1 only)",
            options.bind
        );
    }
    let shared = Arc::new(http::Shared::default());
    let config = options.site;
    let mut folders: Vec<PathBuf> = vec![config.inputs.clone()];
    folders.extend(config.templates.clone());
    let mut watcher = watch::Watcher::new(folders);
    let mut site = Site::new(config.clone());
    publish(&shared, build(&mut site, Scope::All));

    let host = match real.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    println!(
        "serving {} at http://{host}:{}/ (Ctrl-C to stop)",
        config.output.display(),
        real.port()
    );
    use std::io::Write;
    let _ = std::io::stdout().flush();

    let workers: Vec<_> = (0..4)
        .map(|_| {
            let server = Arc::clone(&server);
            let shared = Arc::clone(&shared);
            let stop = Arc::clone(&stop);
            let output = config.output.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    if let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(200)) {
                        http::answer(request, &output, &shared);
                    }
                }
            })
        })
        .collect();

    while !stop.load(Ordering::SeqCst) {
        let changed = watcher.wait(Duration::from_millis(200));
        if changed.is_empty() {
            continue;
        }
        let scope = scope_after(changed, &site, &watcher, config.templates.as_deref());
        publish(&shared, build(&mut site, scope));
    }
    for w in workers {
        let _ = w.join();
    }
    eprintln!("stopped");
    Ok(())
}
