//! `taakstelling serve`: build, serve `output/` on loopback, rebuild on save and
//! reload the open page.
//!
//! - The server is `tiny_http` (synchronous, small); it listens on 127.0.0.1
//!   unless `--bind` says otherwise, on `--port` or a free port the OS picks.
//! - Watching is done by polling every file under the inputs folder and the
//!   `--templates` folder a few times a second (modification time, size and a
//!   hash of the content): no extra dependency, the same on every platform and
//!   file system, and robust against editors that save by writing a new file and
//!   renaming it. The inputs are a few hundred kilobytes: reading them costs next
//!   to nothing.
//! - After a save only the changed period files are built again (a template, a
//!   data file or an added or removed period builds everything); the index is
//!   made again from all periods. Writing is as safe as `build`'s: the same
//!   checks of the output folder, under the same lock.
//! - Served HTML pages get a small script that polls a version endpoint and
//!   reloads the page when a build finishes. When the last build failed, the
//!   page shows its error report (the same text as on the command line) above
//!   the last good output, and reloads once the input is fixed. The script and
//!   the report are added while serving, never to the files on disk.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use miette::Diagnostic;
use walkdir::WalkDir;

use crate::kalender::Periode;
use crate::site::{Report, Scope, Site, SiteConfig};

/// The path of the version endpoint the reload script polls.
pub const STATUS_PAD: &str = "/__taakstelling/status";

/// How often the watched folders are looked at.
const POLL: Duration = Duration::from_millis(150);

/// What `serve` needs to know.
#[derive(Debug, Clone)]
pub struct Opties {
    pub inputs: PathBuf,
    pub output: PathBuf,
    pub templates: Option<PathBuf>,
    pub bind: IpAddr,
    /// 0: a free port chosen by the OS.
    pub port: u16,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ServeFout {
    #[error("cannot listen on {adres}: {bericht}")]
    Luisteren { adres: SocketAddr, bericht: String },
}

/// What the pages need to know about the latest build.
#[derive(Debug, Default)]
struct Staat {
    /// Goes up after every build, good or failed: the pages reload when it changes.
    versie: u64,
    /// The error report of the latest build, when it failed.
    fout: Option<String>,
}

/// Modification time, size and (for files up to [`HASH_TOT`]) a hash of the content
/// of a watched file: the hash catches a save of the same size within the
/// modification-time resolution of the file system.
type Stempel = (Option<SystemTime>, u64, Option<u64>);

const HASH_TOT: u64 = 1 << 20;

fn inhoud_hash(pad: &Path) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let bytes = std::fs::read(pad).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    Some(h.finish())
}

/// Every watched file with its stamp. Hidden files and editor backups are skipped.
fn kijk(mappen: &[&Path]) -> BTreeMap<PathBuf, Stempel> {
    let mut out = BTreeMap::new();
    for map in mappen {
        for e in WalkDir::new(map).follow_links(true).into_iter().flatten() {
            let naam = e.file_name().to_string_lossy();
            if naam.starts_with('.') || naam.ends_with('~') || !e.file_type().is_file() {
                continue;
            }
            if let Ok(m) = e.metadata() {
                let hash = (m.len() <= HASH_TOT)
                    .then(|| inhoud_hash(e.path()))
                    .flatten();
                out.insert(e.path().to_path_buf(), (m.modified().ok(), m.len(), hash));
            }
        }
    }
    out
}

/// Builds `scope` with the site and says what happened, for the log and the pages.
fn bouw(site: &mut Site, scope: Scope) -> Uitslag {
    let start = Instant::now();
    let alles = scope == Scope::All;
    if alles {
        site.reload_templates();
    }
    let output = site.config().output.clone();
    let gebouwd = site.build(scope, || {
        eprintln!(
            "another build is writing {}; waiting for it to finish",
            output.display()
        );
    });
    match gebouwd {
        Ok(b) => {
            let wat = if alles {
                "everything".to_string()
            } else {
                b.written
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            b.report.eprint();
            Uitslag::Goed(format!(
                "rebuilt {wat} in {} ms",
                start.elapsed().as_millis()
            ))
        }
        Err(report) => Uitslag::Fout(report),
    }
}

/// What a build did, for the log line.
enum Uitslag {
    Goed(String),
    Fout(Report),
}

/// Builds, serves and rebuilds until `stop` is set (Ctrl-C). Prints the address on
/// standard output as `serving OUTPUT at http://ADDRESS/`.
pub fn serve(opties: Opties, stop: Arc<AtomicBool>) -> Result<(), ServeFout> {
    let adres = SocketAddr::new(opties.bind, opties.port);
    let server = tiny_http::Server::http(adres).map_err(|e| ServeFout::Luisteren {
        adres,
        bericht: e.to_string(),
    })?;
    let server = Arc::new(server);
    let echt = server.server_addr().to_ip().unwrap_or(adres);
    if !opties.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, not only on this computer: anyone who can reach it can read the documents (leave out --bind to listen on 127.0.0.1 only)",
            opties.bind
        );
    }
    let staat = Arc::new(Mutex::new(Staat::default()));

    let mut mappen: Vec<PathBuf> = vec![opties.inputs.clone()];
    mappen.extend(opties.templates.clone());
    let kijk_nu = || kijk(&mappen.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let mut site = Site::new(SiteConfig {
        inputs: opties.inputs.clone(),
        output: opties.output.clone(),
        templates: opties.templates.clone(),
    });
    let mut gezien = kijk_nu();
    meld(&staat, bouw(&mut site, Scope::All));

    let host = match echt.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    println!(
        "serving {} at http://{host}:{}/ (Ctrl-C to stop)",
        opties.output.display(),
        echt.port()
    );
    use std::io::Write;
    let _ = std::io::stdout().flush();

    let werkers: Vec<_> = (0..4)
        .map(|_| {
            let server = Arc::clone(&server);
            let staat = Arc::clone(&staat);
            let stop = Arc::clone(&stop);
            let output = opties.output.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    if let Ok(Some(verzoek)) = server.recv_timeout(Duration::from_millis(200)) {
                        beantwoord(verzoek, &output, &staat);
                    }
                }
            })
        })
        .collect();

    let templates = opties.templates.clone();
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(POLL);
        let mut nu = kijk_nu();
        if nu == gezien {
            continue;
        }
        // Let a save that writes in steps settle.
        loop {
            std::thread::sleep(Duration::from_millis(40));
            let weer = kijk_nu();
            if weer == nu {
                break;
            }
            nu = weer;
        }
        let gewijzigd: BTreeSet<PathBuf> = nu
            .iter()
            .filter(|(p, s)| gezien.get(*p) != Some(*s))
            .map(|(p, _)| p.clone())
            .chain(gezien.keys().filter(|p| !nu.contains_key(*p)).cloned())
            .collect();
        gezien = nu;
        let is_periode = |p: &Path| {
            p.starts_with(&opties.inputs)
                && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                && p.file_stem()
                    .and_then(|s| s.to_str())
                    .and_then(Periode::parse)
                    .is_some()
        };
        // A template, a data file, or a period that came or went: build everything.
        let alles = gewijzigd.iter().any(|p| {
            !is_periode(p)
                || !gezien.contains_key(p)
                || !site.knows(p)
                || templates.as_ref().is_some_and(|t| p.starts_with(t))
        });
        let scope = if alles {
            Scope::All
        } else {
            Scope::Changed(gewijzigd)
        };
        meld(&staat, bouw(&mut site, scope));
    }
    for w in werkers {
        let _ = w.join();
    }
    eprintln!("stopped");
    Ok(())
}

/// Logs a build's outcome and tells the pages.
fn meld(staat: &Mutex<Staat>, uitslag: Uitslag) {
    let mut s = staat.lock().unwrap_or_else(|e| e.into_inner());
    s.versie += 1;
    match uitslag {
        Uitslag::Goed(regel) => {
            eprintln!("{regel}");
            s.fout = None;
        }
        Uitslag::Fout(report) => {
            report.eprint();
            eprintln!("error: the build failed; the pages show the error and the last good output");
            s.fout = Some(report.errors_text());
        }
    }
}

/// The file a request path points at inside `output`, or `None` when it tries to
/// leave the folder.
fn bestand_voor(output: &Path, url: &str) -> Option<PathBuf> {
    let pad = url.split(['?', '#']).next().unwrap_or("");
    let pad = procent_decodeer(pad)?;
    let mut uit = output.to_path_buf();
    for deel in Path::new(pad.trim_start_matches('/')).components() {
        match deel {
            Component::Normal(d) => uit.push(d),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if uit.is_dir() {
        uit.push("index.html");
    }
    Some(uit)
}

/// The real path of `pad` (symbolic links resolved) when it is a regular file inside
/// `output`: a link in the output folder to a file elsewhere is not served, nor is
/// anything but a regular file (reading a named pipe would block the worker).
fn echt_binnen(output: &Path, pad: &Path) -> Option<PathBuf> {
    let map = std::fs::canonicalize(output).ok()?;
    let echt = std::fs::canonicalize(pad).ok()?;
    (echt.starts_with(&map) && std::fs::metadata(&echt).is_ok_and(|m| m.is_file())).then_some(echt)
}

fn procent_decodeer(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    let s = String::from_utf8(out).ok()?;
    (!s.contains(['\0', '\\'])).then_some(s)
}

fn soort(pad: &Path) -> &'static str {
    match pad.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Adds the reload script (and the error report, when the last build failed) to a page.
pub fn injecteer(html: &str, versie: u64, fout: Option<&str>) -> String {
    let script = format!(
        "<script>/* taakstelling serve: reload after a rebuild */(function(){{var v={versie};\
         function poll(){{fetch('{STATUS_PAD}',{{cache:'no-store'}}).then(function(r){{return r.json();}})\
         .then(function(s){{if(s.versie!==v){{location.reload();}}else{{setTimeout(poll,250);}}}})\
         .catch(function(){{setTimeout(poll,1000);}});}}setTimeout(poll,250);}})();</script>\n"
    );
    let mut out = html.to_string();
    match out.rfind("</body>") {
        Some(i) => out.insert_str(i, &script),
        None => out.push_str(&script),
    }
    if let Some(fout) = fout {
        let paneel = format!(
            "<div id=\"taakstelling-serve-fout\" role=\"alert\" style=\"margin:0;padding:1rem 1.5rem;background:#fff4ec;color:#1b1b1b;border-bottom:4px solid #8a3b00;font-family:sans-serif\">\
             <p style=\"margin:0 0 .5rem\"><strong>The last build failed.</strong> Below it is the last good output. Fix the input and save: this page reloads by itself.</p>\
             <pre style=\"white-space:pre-wrap;overflow-x:auto;margin:0;font-size:.85rem\">{}</pre></div>\n",
            html_escape(fout)
        );
        let na_body = out
            .find("<body")
            .and_then(|i| out[i..].find('>').map(|j| i + j + 1));
        match na_body {
            Some(i) => out.insert_str(i, &format!("\n{paneel}")),
            None => out.insert_str(0, &paneel),
        }
    }
    out
}

fn antwoord(
    code: u16,
    soort: &str,
    inhoud: Vec<u8>,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let mut r = tiny_http::Response::from_data(inhoud).with_status_code(code);
    for (k, v) in [("Content-Type", soort), ("Cache-Control", "no-store")] {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            r.add_header(h);
        }
    }
    r
}

fn beantwoord(verzoek: tiny_http::Request, output: &Path, staat: &Mutex<Staat>) {
    let (versie, fout) = {
        let s = staat.lock().unwrap_or_else(|e| e.into_inner());
        (s.versie, s.fout.clone())
    };
    let methode = verzoek.method().clone();
    if !matches!(methode, tiny_http::Method::Get | tiny_http::Method::Head) {
        let _ = verzoek.respond(antwoord(
            405,
            "text/plain; charset=utf-8",
            b"method not allowed\n".to_vec(),
        ));
        return;
    }
    let url = verzoek.url().to_string();
    let pad = url.split('?').next().unwrap_or("");
    if pad.trim_start_matches('/') == STATUS_PAD.trim_start_matches('/') {
        let json = format!("{{\"versie\":{versie},\"fout\":{}}}", fout.is_some());
        let _ = verzoek.respond(antwoord(200, "application/json", json.into_bytes()));
        return;
    }
    let bestand = bestand_voor(output, &url);
    let inhoud = bestand
        .as_ref()
        .and_then(|p| echt_binnen(output, p))
        .and_then(|p| std::fs::read(p).ok());
    let r = match (bestand, inhoud) {
        (Some(p), Some(b)) if soort(&p).starts_with("text/html") => {
            let html = String::from_utf8_lossy(&b);
            antwoord(
                200,
                soort(&p),
                injecteer(&html, versie, fout.as_deref()).into_bytes(),
            )
        }
        (Some(p), Some(b)) => antwoord(200, soort(&p), b),
        _ => {
            let pagina = format!(
                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body>\n<p>Not found: {}. <a href=\"/\">All periods</a></p>\n</body></html>\n",
                html_escape(&url)
            );
            antwoord(
                404,
                "text/html; charset=utf-8",
                injecteer(&pagina, versie, fout.as_deref()).into_bytes(),
            )
        }
    };
    let _ = verzoek.respond(r);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_output_folder() {
        let out = Path::new("/nergens/output");
        assert_eq!(
            bestand_voor(out, "/2025-I/notitie.html?x=1"),
            Some(out.join("2025-I/notitie.html"))
        );
        assert_eq!(
            bestand_voor(out, "/2025-I/grafiek%201.svg"),
            Some(out.join("2025-I/grafiek 1.svg"))
        );
        for bad in [
            "/../etc/passwd",
            "/2025-I/%2e%2e/%2e%2e/x",
            "/a%5c..%5cb",
            "/%zz",
        ] {
            assert_eq!(bestand_voor(out, bad), None, "{bad}");
        }
    }

    #[test]
    fn injects_script_and_error_into_pages_only_in_memory() {
        let html = "<!DOCTYPE html>\n<html><body class=\"x\">\n<p>hoi</p>\n</body></html>\n";
        let met = injecteer(html, 7, Some("x <b>fout</b>"));
        assert!(met.contains("var v=7;"), "{met}");
        assert!(met.contains("x &lt;b&gt;fout&lt;/b&gt;"), "{met}");
        let paneel = met.find("taakstelling-serve-fout").unwrap();
        assert!(paneel < met.find("<p>hoi</p>").unwrap());
        assert!(met.find("<script>").unwrap() < met.find("</body>").unwrap());
        let zonder = injecteer(html, 8, None);
        assert!(!zonder.contains("taakstelling-serve-fout"));
    }
}
