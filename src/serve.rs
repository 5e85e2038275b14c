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
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use miette::{Diagnostic, ReportHandler};
use walkdir::WalkDir;

use crate::build::{self, Gebouwd};
use crate::kalender::Periode;
use crate::output::{self, Bestand};
use crate::render::Renderer;
use crate::site;

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

/// An error report as text, the way the command line shows it (without colours).
pub fn rapport(e: &dyn Diagnostic) -> String {
    struct Tekst<'a>(&'a dyn Diagnostic, &'a miette::MietteHandler);
    impl fmt::Debug for Tekst<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.1.debug(self.0, f)
        }
    }
    let handler = miette::MietteHandlerOpts::new()
        .color(false)
        .unicode(false)
        .terminal_links(false)
        .width(100)
        .build();
    format!("{:?}", Tekst(e, &handler))
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

/// The build state between saves: the last good build of every period file.
struct Bouwer {
    opties: Opties,
    renderer: Option<Renderer>,
    gebouwd: BTreeMap<PathBuf, Gebouwd>,
    /// Period files whose last build failed: built again on every change.
    kapot: BTreeSet<PathBuf>,
}

/// What a build did, for the log line.
enum Uitslag {
    Goed(String),
    Fout(String),
}

impl Bouwer {
    /// Builds what changed: everything when `alles`, else the files in `gewijzigd`
    /// and those that failed before. Writes nothing unless every period builds.
    fn bouw(&mut self, alles: bool, gewijzigd: &BTreeSet<PathBuf>) -> Uitslag {
        let start = Instant::now();
        let mut fouten: Vec<String> = Vec::new();
        if alles || self.renderer.is_none() {
            match Renderer::new(self.opties.templates.as_deref()) {
                Ok(r) => self.renderer = Some(r),
                Err(e) => {
                    self.renderer = None;
                    return Uitslag::Fout(rapport(&e));
                }
            }
        }
        let Some(renderer) = &self.renderer else {
            unreachable!("set above")
        };
        let bestanden = match crate::input::discover_periods(&self.opties.inputs) {
            Ok(b) if !b.is_empty() => b,
            Ok(_) => {
                return Uitslag::Fout(format!(
                    "error: no period files (such as 2025-I.yaml) in {}",
                    self.opties.inputs.display()
                ));
            }
            Err(e) => {
                return Uitslag::Fout(format!(
                    "error: cannot read the inputs folder {}: {e}",
                    self.opties.inputs.display()
                ));
            }
        };
        self.gebouwd.retain(|p, _| bestanden.contains(p));
        self.kapot.retain(|p| bestanden.contains(p));
        let mut nieuw: Vec<Periode> = Vec::new();
        let nodig: Vec<PathBuf> = bestanden
            .iter()
            .filter(|f| {
                alles
                    || gewijzigd.contains(*f)
                    || self.kapot.contains(*f)
                    || !self.gebouwd.contains_key(*f)
            })
            .cloned()
            .collect();
        // As `build` does: in parallel, each population table read once.
        let uitslagen = build::bouw_perioden(&nodig, &self.opties.inputs, renderer);
        for (f, r) in nodig.into_iter().zip(uitslagen) {
            match r {
                Ok(g) => {
                    self.kapot.remove(&f);
                    nieuw.push(g.periode);
                    self.gebouwd.insert(f, g);
                }
                Err(e) => {
                    self.kapot.insert(f);
                    fouten.push(rapport(&e));
                }
            }
        }
        if !fouten.is_empty() {
            return Uitslag::Fout(fouten.join("\n"));
        }
        let alle: Vec<&Gebouwd> = self.gebouwd.values().collect();
        let index = match site::bouw_index(&alle, renderer) {
            Ok(i) => i,
            Err(e) => return Uitslag::Fout(rapport(&e)),
        };
        let geschreven = (|| {
            // One writer at a time: a `build` writing the same folder finishes first.
            let uitvoer = &self.opties.output;
            let slot = output::vergrendel(uitvoer, || {
                eprintln!(
                    "another build is writing {}; waiting for it to finish",
                    uitvoer.display()
                );
            })?;
            for m in slot.herstel()? {
                eprintln!("warning: {m}");
            }
            // Every period's documents: a partial write replaces only the changed periods'
            // folders, and adds any other period's files that are missing.
            let b: Vec<&Bestand> = alle
                .iter()
                .flat_map(|g| g.bestanden.iter())
                .chain(index.iter())
                .collect();
            if alles {
                slot.schrijf(&b, &output::Vervang::Alles)
            } else {
                let mappen: Vec<String> = nieuw.iter().map(ToString::to_string).collect();
                slot.schrijf(&b, &output::Vervang::Mappen(&mappen))
            }
        })();
        if let Err(e) = geschreven {
            return Uitslag::Fout(format!("error: {e}"));
        }
        for g in alle.iter().filter(|g| nieuw.contains(&g.periode)) {
            for w in &g.uitkomst.waarschuwingen {
                eprintln!("warning: {}: {}", g.periode, w.cli);
            }
        }
        let wat = if alles {
            "everything".to_string()
        } else {
            nieuw
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        Uitslag::Goed(format!(
            "rebuilt {wat} in {} ms",
            start.elapsed().as_millis()
        ))
    }
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
    let mut bouwer = Bouwer {
        opties: opties.clone(),
        renderer: None,
        gebouwd: BTreeMap::new(),
        kapot: BTreeSet::new(),
    };
    let mut gezien = kijk_nu();
    meld(&staat, bouwer.bouw(true, &BTreeSet::new()));

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
                || !bouwer.gebouwd.contains_key(p) && !bouwer.kapot.contains(p)
                || templates.as_ref().is_some_and(|t| p.starts_with(t))
        });
        meld(&staat, bouwer.bouw(alles, &gewijzigd));
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
        Uitslag::Fout(tekst) => {
            eprintln!("{tekst}");
            eprintln!("error: the build failed; the pages show the error and the last good output");
            s.fout = Some(tekst);
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
