//! Answering the browser: the files of the output folder (never a file outside it),
//! the reload script added to every page, and the status the script waits on.
//!
//! The script does not poll: it asks for the status with the version it was served
//! with (`/__taakstelling/status?na=7`), and the server holds that request until the
//! version changes (a build finished, well or not) or [`HOLD`] passes; the page
//! reloads as soon as the answer says another version.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The path of the status the reload script waits on.
pub const STATUS_PATH: &str = "/__taakstelling/status";

/// How long a status request is held when nothing changes; the page then asks again.
const HOLD: Duration = Duration::from_secs(25);

/// At most this many status requests are held at once (one per open page); more are
/// answered at once.
const MAX_HELD: usize = 64;

/// What the pages need to know about the latest build.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// Goes up after every build, good or failed: the pages reload when it changes.
    pub(crate) version: u64,
    /// The error report of the latest build, when it failed.
    pub(crate) error: Option<String>,
}

/// The state shared by the builder and the request handlers, with a signal for the
/// held requests.
#[derive(Default)]
pub(crate) struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    held: AtomicUsize,
}

impl Shared {
    /// A build finished: a new version, with its error or none; held requests answer.
    pub(crate) fn publish(&self, error: Option<String>) {
        let mut s = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        s.version += 1;
        s.error = error;
        self.changed.notify_all();
    }

    fn now(&self) -> (u64, Option<String>) {
        let s = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (s.version, s.error.clone())
    }

    /// The state once its version differs from `seen`, or after `HOLD`.
    fn after(&self, seen: u64) -> (u64, bool) {
        let end = Instant::now() + HOLD;
        let mut s = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while s.version == seen {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            s = self
                .changed
                .wait_timeout(s, left)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
        (s.version, s.error.is_some())
    }
}

/// The file a request path points at inside `output`, or `None` when it tries to
/// leave the folder.
pub(crate) fn file_for(output: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode(path)?;
    let mut out = output.to_path_buf();
    for part in Path::new(path.trim_start_matches('/')).components() {
        match part {
            Component::Normal(d) => out.push(d),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    Some(out)
}

/// The real path of `path` (symbolic links resolved) when it is a regular file inside
/// `output`: a link in the output folder to a file elsewhere is not served, nor is
/// anything but a regular file (reading a named pipe would block the worker).
fn real_inside(output: &Path, path: &Path) -> Option<PathBuf> {
    let folder = std::fs::canonicalize(output).ok()?;
    let real = std::fs::canonicalize(path).ok()?;
    (real.starts_with(&folder) && std::fs::metadata(&real).is_ok_and(|m| m.is_file()))
        .then_some(real)
}

fn percent_decode(s: &str) -> Option<String> {
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

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
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
pub fn inject(html: &str, version: u64, error: Option<&str>) -> String {
    let script = format!(
        "<script>/* taakstelling serve: reload after a rebuild */(function(){{var v={version};\
         function wait(){{fetch('{STATUS_PATH}?na='+v,{{cache:'no-store'}}).then(function(r){{return r.json();}})\
         .then(function(s){{if(s.versie!==v){{location.reload();}}else{{wait();}}}})\
         .catch(function(){{setTimeout(wait,1000);}});}}wait();}})();</script>\n"
    );
    let mut out = html.to_string();
    match out.rfind("</body>") {
        Some(i) => out.insert_str(i, &script),
        None => out.push_str(&script),
    }
    if let Some(error) = error {
        let panel = format!(
            "<div id=\"taakstelling-serve-fout\" role=\"alert\" style=\"margin:0;padding:1rem 1.5rem;background:#fff4ec;color:#1b1b1b;border-bottom:4px solid #8a3b00;font-family:sans-serif\">\
             <p style=\"margin:0 0 .5rem\"><strong>The last build failed.</strong> Below it is the last good output. Fix the input and save: this page reloads by itself.</p>\
             <pre style=\"white-space:pre-wrap;overflow-x:auto;margin:0;font-size:.85rem\">{}</pre></div>\n",
            html_escape(error)
        );
        let after_body = out
            .find("<body")
            .and_then(|i| out[i..].find('>').map(|j| i + j + 1));
        match after_body {
            Some(i) => out.insert_str(i, &format!("\n{panel}")),
            None => out.insert_str(0, &panel),
        }
    }
    out
}

fn response(
    code: u16,
    content_type: &str,
    body: Vec<u8>,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let mut r = tiny_http::Response::from_data(body).with_status_code(code);
    for (k, v) in [
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
    ] {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            r.add_header(h);
        }
    }
    r
}

fn status_response(version: u64, error: bool) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let json = format!("{{\"versie\":{version},\"fout\":{error}}}");
    response(200, "application/json", json.into_bytes())
}

/// The version a status request says it has seen (`?na=7`), if any.
fn seen_version(url: &str) -> Option<u64> {
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("na="))
        .and_then(|v| v.parse().ok())
}

/// Answers one request. A status request with a version is held on its own thread
/// until the version changes, so that it does not keep a worker from other requests.
pub(crate) fn answer(request: tiny_http::Request, output: &Path, shared: &Arc<Shared>) {
    let (version, error) = shared.now();
    if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        let _ = request.respond(response(
            405,
            "text/plain; charset=utf-8",
            b"method not allowed\n".to_vec(),
        ));
        return;
    }
    let url = request.url().to_string();
    let path = url.split('?').next().unwrap_or("");
    if path.trim_start_matches('/') == STATUS_PATH.trim_start_matches('/') {
        match seen_version(&url) {
            Some(seen) if seen == version && shared.held.load(Ordering::SeqCst) < MAX_HELD => {
                shared.held.fetch_add(1, Ordering::SeqCst);
                let shared = Arc::clone(shared);
                std::thread::spawn(move || {
                    let (version, error) = shared.after(seen);
                    shared.held.fetch_sub(1, Ordering::SeqCst);
                    let _ = request.respond(status_response(version, error));
                });
            }
            _ => {
                let _ = request.respond(status_response(version, error.is_some()));
            }
        }
        return;
    }
    let file = file_for(output, &url);
    let body = file
        .as_ref()
        .and_then(|p| real_inside(output, p))
        .and_then(|p| std::fs::read(p).ok());
    let r = match (file, body) {
        (Some(p), Some(b)) if content_type(&p).starts_with("text/html") => {
            let html = String::from_utf8_lossy(&b);
            response(
                200,
                content_type(&p),
                inject(&html, version, error.as_deref()).into_bytes(),
            )
        }
        (Some(p), Some(b)) => response(200, content_type(&p), b),
        _ => {
            let page = format!(
                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body>\n<p>Not found: {}. <a href=\"/\">All periods</a></p>\n</body></html>\n",
                html_escape(&url)
            );
            response(
                404,
                "text/html; charset=utf-8",
                inject(&page, version, error.as_deref()).into_bytes(),
            )
        }
    };
    let _ = request.respond(r);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_output_folder() {
        let out = Path::new("/nergens/output");
        assert_eq!(
            file_for(out, "/2025-I/notitie.html?x=1"),
            Some(out.join("2025-I/notitie.html"))
        );
        assert_eq!(
            file_for(out, "/2025-I/grafiek%201.svg"),
            Some(out.join("2025-I/grafiek 1.svg"))
        );
        for bad in [
            "/../etc/passwd",
            "/2025-I/%2e%2e/%2e%2e/x",
            "/a%5c..%5cb",
            "/%zz",
        ] {
            assert_eq!(file_for(out, bad), None, "{bad}");
        }
    }

    #[test]
    fn injects_script_and_error_into_pages_only_in_memory() {
        let html = "<!DOCTYPE html>\n<html><body class=\"x\">\n<p>hoi</p>\n</body></html>\n";
        let with = inject(html, 7, Some("x <b>fout</b>"));
        assert!(with.contains("var v=7;"), "{with}");
        assert!(with.contains("x &lt;b&gt;fout&lt;/b&gt;"), "{with}");
        let panel = with.find("taakstelling-serve-fout").unwrap();
        assert!(panel < with.find("<p>hoi</p>").unwrap());
        assert!(with.find("<script>").unwrap() < with.find("</body>").unwrap());
        let without = inject(html, 8, None);
        assert!(!without.contains("taakstelling-serve-fout"));
    }

    #[test]
    fn a_held_status_request_answers_when_a_build_finishes() {
        assert_eq!(seen_version("/__taakstelling/status?na=7"), Some(7));
        assert_eq!(seen_version("/__taakstelling/status"), None);
        let shared = Arc::new(Shared::default());
        let waiter = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || shared.after(0))
        };
        std::thread::sleep(Duration::from_millis(20));
        shared.publish(Some("kapot".into()));
        assert_eq!(waiter.join().unwrap(), (1, true));
    }
}
