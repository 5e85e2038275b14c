//! End-to-end tests of `taakstelling serve`: the real binary on a free loopback
//! port, first with plain HTTP, then with headless Chromium driven over the
//! Chrome DevTools protocol (tests/serve/cdp.rs): a page reloads with the new
//! figure after an input file changes, shows the build error, and recovers.

mod common;
use common::{copy_dir, edit, tmp};

#[path = "serve/cdp.rs"]
mod cdp;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_taakstelling");

/// A project with the example inputs of 2025-I only (other example periods left out,
/// so that the figures the tests look for are known); the tests edit 2025-I.
fn project(name: &str) -> PathBuf {
    let d = tmp(name);
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("inputs"),
        &d.join("inputs"),
    );
    for e in fs::read_dir(d.join("inputs")).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if (n.ends_with("-I.yaml") || n.ends_with("-II.yaml")) && n != "2025-I.yaml" {
            fs::remove_file(e.path()).unwrap();
        }
    }
    d
}

/// The running server; killed when dropped, so a failing test leaves nothing behind.
struct Server {
    child: Child,
    url: String,
    log: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Server {
    fn start(dir: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(args)
            .arg("serve")
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary runs");
        let (tx, rx) = mpsc::channel();
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
        let mut s = Server {
            child,
            url: String::new(),
            log: rx,
            seen: Vec::new(),
        };
        let line = s.wait_for_log("serving ", Duration::from_secs(60));
        s.url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("an address")
            .to_string();
        s
    }

    /// Waits for a log line containing `needle` (lines already seen count too).
    fn wait_for_log(&mut self, needle: &str, timeout: Duration) -> String {
        let end = Instant::now() + timeout;
        loop {
            if let Some(l) = self.seen.iter().find(|l| l.contains(needle)) {
                return l.clone();
            }
            let left = end.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(l) => self.seen.push(l),
                Err(_) => panic!(
                    "no {needle:?} in the log within {timeout:?}:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    fn drain_log(&mut self) {
        while let Ok(l) = self.log.try_recv() {
            self.seen.push(l);
        }
    }

    /// Stops the server the way Ctrl-C does, and checks that it exits cleanly.
    fn interrupt(mut self) {
        // The shell's own `kill`: present wherever `sh` is.
        let status = Command::new("sh")
            .args(["-c", &format!("kill -INT {}", self.child.id())])
            .status()
            .expect("sh runs");
        assert!(status.success());
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                assert!(s.success(), "exit status after Ctrl-C: {s}");
                self.wait_for_log("stopped", Duration::from_secs(5));
                return;
            }
            assert!(Instant::now() < end, "the server did not stop after Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.0 GET: status code and body.
fn get(url: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut s = TcpStream::connect(host).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {} HTTP/1.0\r\nHost: {host}\r\n\r\n",
        if path.is_empty() { "/" } else { path }
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let code = head
        .split_whitespace()
        .nth(1)
        .unwrap_or("0")
        .parse()
        .unwrap_or(0);
    (code, body.to_string())
}

/// Polls until `ok` holds for the body of `url`.
fn poll_until(url: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, body) = get(url);
        if ok(&body) {
            return body;
        }
        assert!(
            Instant::now() < end,
            "{what}: not seen within 20 s at {url}:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The "rebuilt ... in N ms" times logged since the start.
fn rebuild_times(s: &Server) -> Vec<u64> {
    s.seen
        .iter()
        .filter(|l| l.starts_with("rebuilt ") && !l.starts_with("rebuilt everything"))
        .filter_map(|l| l.rsplit(" in ").next()?.strip_suffix(" ms")?.parse().ok())
        .collect()
}

#[test]
fn serve_rebuilds_after_a_save_and_shows_build_errors_in_the_page() {
    let d = project("http");
    let input = d.join("inputs/2025-I.yaml");
    let mut s = Server::start(&d, &[]);
    assert!(
        s.url.starts_with("http://127.0.0.1:"),
        "loopback by default: {}",
        s.url
    );
    assert!(!s.url.ends_with(":0/"), "a real port: {}", s.url);

    let index = format!("{}index.html", s.url);
    let (code, page) = get(&s.url);
    assert_eq!(code, 200);
    assert!(page.contains("17.700") && page.contains("/__taakstelling/status"));
    let on_disk = fs::read_to_string(d.join("output/index.html")).unwrap();
    assert!(
        !on_disk.contains("__taakstelling"),
        "the reload script is never written to disk"
    );
    let (code, svg) = get(&format!("{}2025-I/grafiek-1-bandbreedte.svg", s.url));
    assert_eq!(code, 200);
    assert!(
        svg.contains("<svg") && !svg.contains("<script"),
        "only pages get the script"
    );
    assert_eq!(get(&format!("{}2025-I/nergens.html", s.url)).0, 404);
    let (code, status) = get(&format!("{}__taakstelling/status", s.url));
    assert_eq!(code, 200);
    assert!(status.contains("\"fout\":false"), "{status}");

    // A save rebuilds only that period, well under a second, and the pages change.
    edit(&input, "taakstelling: 17700", "taakstelling: 18000");
    poll_until(&index, "the new figure", |b| b.contains("18.000"));
    let memo = poll_until(
        &format!("{}2025-I/notitie.html", s.url),
        "the new memo",
        |b| b.contains("18.000"),
    );
    assert!(memo.contains("/__taakstelling/status"));
    s.wait_for_log("rebuilt 2025-I in", Duration::from_secs(5));
    let times = rebuild_times(&s);
    assert!(
        !times.is_empty() && times.iter().all(|&t| t < 1000),
        "rebuild times {times:?} ms"
    );

    // A broken input: the page shows the same report as the command line, over the
    // last good output; nothing is written.
    edit(&input, "taakstelling: 18000", "taakstelling: -5");
    let page = poll_until(&s.url, "the error", |b| {
        b.contains("taakstelling-serve-fout")
    });
    assert!(
        page.contains("besluit.taakstelling: found -5, expected a positive number"),
        "{page}"
    );
    assert!(page.contains("18.000"), "still the last good output");
    let check = Command::new(BIN)
        .args(["check", "2025-I"])
        .current_dir(&d)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let cli = String::from_utf8_lossy(&check.stderr);
    let first = cli
        .lines()
        .find(|l| l.contains("besluit.taakstelling"))
        .unwrap()
        .trim();
    assert!(page.contains(first), "same message as the CLI: {first}");
    assert!(
        fs::read_to_string(d.join("output/index.html"))
            .unwrap()
            .contains("18.000")
    );
    let (_, status) = get(&format!("{}__taakstelling/status", s.url));
    assert!(status.contains("\"fout\":true"), "{status}");

    // Fixed: the error goes away.
    edit(&input, "taakstelling: -5", "taakstelling: 17700");
    let page = poll_until(&s.url, "the fix", |b| {
        !b.contains("taakstelling-serve-fout") && b.contains("17.700")
    });
    assert!(!page.contains("18.000"));
    s.drain_log();
    s.interrupt();
}

#[test]
fn serve_watches_the_templates_folder() {
    let d = project("templates");
    let o = Command::new(BIN)
        .args(["templates", "export", "tpl"])
        .current_dir(&d)
        .output()
        .unwrap();
    assert!(o.status.success());
    for e in fs::read_dir(d.join("tpl")).unwrap().flatten() {
        if e.file_name() != "index.md" {
            fs::remove_file(e.path()).unwrap();
        }
    }
    let tpl = d.join("tpl/index.md");
    let mut s = Server::start(&d, &["--templates", "tpl"]);
    poll_until(&s.url, "the index", |b| b.contains("alle perioden"));

    edit(&tpl, ": alle perioden\n", ": eigen overzicht\n");
    poll_until(&s.url, "the changed template", |b| {
        b.contains("eigen overzicht")
    });
    edit(&tpl, ": eigen overzicht\n", ": {{ bestaat_niet }}\n");
    let page = poll_until(&s.url, "the template error", |b| {
        b.contains("taakstelling-serve-fout")
    });
    assert!(page.contains("template index.md"), "{page}");
    assert!(
        page.contains("eigen overzicht"),
        "still the last good output"
    );
    edit(&tpl, ": {{ bestaat_niet }}\n", ": Weer goed\n");
    poll_until(&s.url, "the fixed template", |b| {
        b.contains("Weer goed") && !b.contains("taakstelling-serve-fout")
    });
    s.drain_log();
    s.interrupt();
}

#[test]
fn serve_reloads_the_page_in_headless_chromium() {
    let Some(chromium) = cdp::find_chromium() else {
        let msg = "chromium not found (set TAAKSTELLING_CHROMIUM or install the Debian package `chromium`)";
        assert!(
            std::env::var_os("CI").is_none(),
            "{msg}: CI must run the browser test (.ci/run installs chromium)"
        );
        println!("SKIPPED serve_reloads_the_page_in_headless_chromium: {msg}");
        eprintln!("SKIPPED serve_reloads_the_page_in_headless_chromium: {msg}");
        return;
    };
    let d = project("browser");
    let input = d.join("inputs/2025-I.yaml");
    let s = Server::start(&d, &[]);
    let browser = cdp::Browser::launch(&chromium, &d.join("chromium-profile"));
    let mut page = browser.page();
    let url = format!("{}2025-I/notitie.html", s.url);
    page.navigate(&url);
    page.wait_for("the memo", "document.body.innerText.includes('17.700')");
    // A mark on the window: gone after a reload.
    page.eval("window.__voor_herladen = true; true").unwrap();

    edit(&input, "taakstelling: 17700", "taakstelling: 18000");
    page.wait_for(
        "the reloaded page with the new figure",
        "window.__voor_herladen === undefined && document.body.innerText.includes('18.000')",
    );

    page.eval("window.__voor_herladen = true; true").unwrap();
    edit(&input, "taakstelling: 18000", "taakstelling: -5");
    page.wait_for(
        "the build error in the page",
        "window.__voor_herladen === undefined && !!document.getElementById('taakstelling-serve-fout') \
         && document.getElementById('taakstelling-serve-fout').innerText.includes('besluit.taakstelling: found -5')",
    );

    page.eval("window.__voor_herladen = true; true").unwrap();
    edit(&input, "taakstelling: -5", "taakstelling: 17800");
    page.wait_for(
        "the fixed page",
        "window.__voor_herladen === undefined && !document.getElementById('taakstelling-serve-fout') \
         && document.body.innerText.includes('17.800')",
    );
    drop(page);
    browser.close();
    s.interrupt();
}

/// The output is one complete build: its manifest lists exactly the files in it, and
/// every link of the index leads to a file.
fn assert_complete(out: &Path) {
    let mut on_disk: Vec<String> = Vec::new();
    for e in walkdir::WalkDir::new(out) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel != ".taakstelling-manifest" {
                on_disk.push(rel);
            }
        }
    }
    on_disk.sort();
    let manifest = fs::read_to_string(out.join(".taakstelling-manifest")).unwrap();
    let listed: Vec<&str> = manifest.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(listed, on_disk);
    let index = fs::read_to_string(out.join("index.md")).unwrap();
    let index_html = fs::read_to_string(out.join("index.html")).unwrap();
    for part in index.split("](").skip(1) {
        let target = part.split(')').next().unwrap();
        let present = match target.strip_prefix('#') {
            Some(id) => index_html.contains(&format!(" id=\"{id}\"")),
            None => out.join(target).is_file(),
        };
        assert!(present, "the index links to {target}, which is missing");
    }
}

#[test]
fn serve_never_serves_a_file_outside_the_output_folder() {
    let d = project("symlinks");
    fs::write(d.join("geheim.txt"), "geheime inhoud").unwrap();
    let s = Server::start(&d, &[]);
    let out = d.join("output");
    std::os::unix::fs::symlink("../geheim.txt", out.join("geheim.txt")).unwrap();
    std::os::unix::fs::symlink(&d, out.join("project")).unwrap();
    std::os::unix::fs::symlink("2025-I/notitie.md", out.join("binnen.md")).unwrap();
    for path in [
        "geheim.txt",
        "project/geheim.txt",
        "project/inputs/2025-I.yaml",
    ] {
        let (code, body) = get(&format!("{}{path}", s.url));
        assert_eq!(code, 404, "{path}");
        assert!(
            !body.contains("geheime inhoud") && !body.contains("peilmoment"),
            "{path}"
        );
    }
    // A link that stays inside the output folder is served.
    let (code, body) = get(&format!("{}binnen.md", s.url));
    assert_eq!(code, 200);
    assert!(body.contains("17.700"));
    s.interrupt();
}

/// A save in `serve` while `build` runs: both write the same output folder, one after
/// the other, and the output is complete every time.
#[test]
fn serve_and_build_write_the_output_one_after_the_other() {
    let d = project("samen");
    let input = d.join("inputs/2025-I.yaml");
    let mut s = Server::start(&d, &[]);
    let rebuilt = |s: &Server| {
        s.seen
            .iter()
            .filter(|l| l.starts_with("rebuilt 2025-I"))
            .count()
    };
    for i in 0..8 {
        let (from, to) = if i % 2 == 0 {
            ("taakstelling: 17700", "taakstelling: 17800")
        } else {
            ("taakstelling: 17800", "taakstelling: 17700")
        };
        let before = rebuilt(&s);
        // Saved as most editors do (a new file renamed over the old one): this test
        // is about the two writers of the output, not about a save in place, whose
        // half-way state a busy machine can stretch (see serve::watch's tests).
        let text = fs::read_to_string(&input).unwrap();
        let temp = d.join("inputs/.2025-I.yaml.tmp");
        fs::write(&temp, text.replacen(from, to, 1)).unwrap();
        fs::rename(&temp, &input).unwrap();
        // Started right after the save, so that it runs while `serve` rebuilds.
        std::thread::sleep(Duration::from_millis(100 + 20 * (i % 4)));
        let o = Command::new(BIN)
            .arg("build")
            .current_dir(&d)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{i}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let end = Instant::now() + Duration::from_secs(20);
        while rebuilt(&s) == before {
            assert!(
                Instant::now() < end,
                "{i}: serve did not rebuild:\n{}",
                s.seen.join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
            s.drain_log();
        }
        assert!(
            !s.seen.iter().any(|l| l.contains("error")),
            "{i}:\n{}",
            s.seen.join("\n")
        );
        assert_complete(&d.join("output"));
        let figure = if i % 2 == 0 { "17.800" } else { "17.700" };
        assert!(
            fs::read_to_string(d.join("output/index.md"))
                .unwrap()
                .contains(figure)
        );
    }
    let mut beside = common::names(&d);
    beside.retain(|n| n.starts_with('.'));
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
    s.interrupt();
}

/// A save of one period rebuilds the period after it too, which reads it (its
/// history row is checked against it, or taken from it): a bijstelling changed in
/// 2025-I is caught in 2025-II's row at once, not at the next full build.
#[test]
fn a_save_rebuilds_the_period_after_it_too() {
    let d = tmp("volgende");
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("inputs"),
        &d.join("inputs"),
    );
    let mut s = Server::start(&d, &[]);
    edit(
        &d.join("inputs/2025-I.yaml"),
        "  taakstelling: 15000",
        "  taakstelling: 15500",
    );
    let line = s.wait_for_log("historie[2025-I].na_bijstelling", Duration::from_secs(20));
    assert!(line.contains("2025-II.yaml"), "{line}");
    s.interrupt();
}
