//! Measures `taakstelling serve` from a save to the reloaded page: the time until the
//! held status request of an open page is answered (`told`), and, with Chromium, until
//! the page has started loading again, shows its first content and has finished
//! loading (`reload starts`, `first paint`, `page loaded`),
//! read from the page's own clock (`performance.timeOrigin`, the navigation's
//! `loadEventEnd`), which is the machine's clock, like the save's.
//!
//! ```sh
//! cargo build --release && cargo run --release --example serve_reload -- --runs 20
//! ```
//!
//! Everything happens in a temporary folder: a copy of `inputs/` with period 2025-I
//! only, its own output folder, and a Chromium profile. Without Chromium
//! (`/usr/bin/chromium`, `chromium` on the PATH or `TAAKSTELLING_CHROMIUM`) only
//! `told` is measured.

#[allow(dead_code)]
#[path = "../tests/serve/cdp.rs"]
mod cdp;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs_f64()
        * 1000.0
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// A plain HTTP/1.0 GET; the body.
fn get(host: &str, path: &str) -> String {
    let mut s = TcpStream::connect(host).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    buf.split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default()
}

fn version(status: &str) -> u64 {
    status
        .split("\"versie\":")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|v| v.parse().ok())
        .expect("a version")
}

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn summary(name: &str, mut v: Vec<f64>) {
    if v.is_empty() {
        return;
    }
    v.sort_by(f64::total_cmp);
    let median = v[v.len() / 2];
    println!(
        "{name:>14}: median {median:6.1} ms, min {:6.1} ms, max {:6.1} ms ({} saves)",
        v[0],
        v[v.len() - 1],
        v.len()
    );
}

fn main() {
    let mut runs = 20;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            _ => panic!("usage: serve_reload [--runs N]"),
        }
    }
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("taakstelling"))
        .filter(|b| b.is_file())
        .expect("build the binary first: cargo build --release");
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir =
        std::env::temp_dir().join(format!("taakstelling-serve-reload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&repo.join("inputs"), &dir.join("inputs"));
    for e in std::fs::read_dir(dir.join("inputs")).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.ends_with(".yaml") && n != "2025-I.yaml" {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    let input = dir.join("inputs/2025-I.yaml");
    let text = std::fs::read_to_string(&input).unwrap();
    assert!(text.contains("taakstelling: 17700"));

    let mut child = Command::new(&bin)
        .arg("serve")
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, log) = mpsc::channel::<String>();
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });
    std::thread::spawn(move || {
        for l in BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx2.send(l);
        }
    });
    let serve = Serve(child);
    let url = loop {
        let l = log
            .recv_timeout(Duration::from_secs(60))
            .expect("serve starts");
        if let Some(u) = l.split_whitespace().find(|w| w.starts_with("http://")) {
            break u.to_string();
        }
    };
    let host = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let status = "/__taakstelling/status";

    let mut browser = cdp::find_chromium().map(|c| {
        let b = cdp::Browser::launch(&c, &dir.join("chromium-profile"));
        let mut page = b.page();
        page.navigate(&format!("{url}2025-I/notitie.html"));
        page.wait_for("the memo", "document.readyState === 'complete'");
        (b, page)
    });
    if browser.is_none() {
        println!("no Chromium: measuring the held status request only");
    }

    let (mut told, mut starts, mut painted, mut loaded, mut rebuilt) =
        (vec![], vec![], vec![], vec![], vec![]);
    for i in 0..runs {
        if let Some((_, page)) = browser.as_mut() {
            page.eval("window.__voor = true; true").unwrap();
        }
        // A page that waits: the held status request, as the reload script sends it.
        let v = version(&get(&host, status));
        let waiter = {
            let host = host.clone();
            std::thread::spawn(move || {
                get(&host, &format!("{status}?na={v}"));
                now_ms()
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        while log.try_recv().is_ok() {}
        let figure = if i % 2 == 0 { "17800" } else { "17700" };
        let edited = text.replacen("taakstelling: 17700", &format!("taakstelling: {figure}"), 1);
        let saved = now_ms();
        std::fs::write(&input, edited).unwrap();
        told.push(waiter.join().unwrap() - saved);
        if let Some((_, page)) = browser.as_mut() {
            page.wait_for(
                "the reloaded page",
                "window.__voor === undefined && document.readyState === 'complete' \
                 && performance.getEntriesByType('navigation')[0].loadEventEnd > 0",
            );
            let origin = page
                .eval("performance.timeOrigin")
                .unwrap()
                .as_f64()
                .unwrap();
            let end = page
                .eval("performance.getEntriesByType('navigation')[0].loadEventEnd")
                .unwrap()
                .as_f64()
                .unwrap();
            let paint = page
                .eval("(performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint') || {}).startTime")
                .unwrap()
                .as_f64();
            starts.push(origin - saved);
            if let Some(p) = paint {
                painted.push(origin + p - saved);
            }
            loaded.push(origin + end - saved);
        }
        let end = Instant::now() + Duration::from_secs(10);
        while Instant::now() < end {
            if let Ok(l) = log.recv_timeout(Duration::from_millis(100))
                && let Some(ms) = l
                    .strip_prefix("rebuilt 2025-I in ")
                    .and_then(|r| r.strip_suffix(" ms"))
            {
                rebuilt.push(ms.parse().unwrap());
                break;
            }
        }
    }
    println!("save → …, one period (2025-I), {runs} saves:");
    summary("rebuilt", rebuilt);
    summary("told", told);
    summary("reload starts", starts);
    summary("first paint", painted);
    summary("page loaded", loaded);
    if let Some((b, page)) = browser {
        drop(page);
        b.close();
    }
    drop(serve);
    let _ = std::fs::remove_dir_all(&dir);
}
