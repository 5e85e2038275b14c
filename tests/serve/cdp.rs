//! A small driver for headless Chromium over the Chrome DevTools protocol: start
//! the browser, open a page, evaluate JavaScript in it. Enough for the reload test
//! of `taakstelling serve`; needs only the `chromium` binary (no Node packages).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// The Chromium binary: `TAAKSTELLING_CHROMIUM`, or a usual place, or `chromium` on the PATH.
pub(crate) fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TAAKSTELLING_CHROMIUM") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let vaste = [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ];
    if let Some(p) = vaste.iter().map(PathBuf::from).find(|p| p.is_file()) {
        return Some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// A headless Chromium, killed when dropped.
pub(crate) struct Browser {
    child: Child,
    port: u16,
}

impl Browser {
    pub(crate) fn launch(exe: &Path, profile: &Path) -> Browser {
        let _ = std::fs::remove_dir_all(profile);
        std::fs::create_dir_all(profile).unwrap();
        let mut child = Command::new(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
        // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/..." on stderr;
        // keep reading stderr afterwards so that the pipe never fills up.
        let (tx, rx) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for l in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        let end = Instant::now() + Duration::from_secs(60);
        let mut log = Vec::new();
        let port = loop {
            let left = end.saturating_duration_since(Instant::now());
            let Ok(l) = rx.recv_timeout(left) else {
                let _ = child.kill();
                panic!(
                    "Chromium did not open its DevTools port:\n{}",
                    log.join("\n")
                );
            };
            if let Some(rest) = l.split("ws://127.0.0.1:").nth(1) {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
            log.push(l);
        };
        Browser { child, port }
    }

    /// The first page target, with a DevTools connection to it.
    pub(crate) fn page(&self) -> Page {
        let end = Instant::now() + Duration::from_secs(30);
        let ws_url = loop {
            let list: Value =
                serde_json::from_str(&http(self.port, "GET", "/json/list")).unwrap_or(Value::Null);
            let found = list.as_array().and_then(|a| {
                a.iter()
                    .find(|t| t["type"] == "page")
                    .and_then(|t| t["webSocketDebuggerUrl"].as_str().map(str::to_string))
            });
            if let Some(u) = found {
                break u;
            }
            assert!(Instant::now() < end, "no page target in Chromium: {list}");
            std::thread::sleep(Duration::from_millis(100));
        };
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        let (ws, _) = tungstenite::client(ws_url.as_str(), stream).expect("DevTools websocket");
        Page { ws, next_id: 0 }
    }

    pub(crate) fn close(self) {
        // Drop kills it.
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A small HTTP request to the DevTools endpoint; the body, read up to its
/// Content-Length (Chromium keeps the connection open).
fn http(port: u16, method: &str, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    );
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let text = String::from_utf8_lossy(&buf).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(usize::MAX);
            if body.len() >= len {
                return body.to_string();
            }
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => {
                let text = String::from_utf8_lossy(&buf).into_owned();
                return text
                    .split_once("\r\n\r\n")
                    .map(|(_, b)| b.to_string())
                    .unwrap_or_default();
            }
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// One page, driven over its DevTools websocket.
pub(crate) struct Page {
    ws: WebSocket<TcpStream>,
    next_id: u64,
}

impl Page {
    /// Calls a DevTools method and waits for its answer (events in between are skipped).
    fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!({ "id": id, "method": method, "params": params });
        self.ws
            .send(Message::text(msg.to_string()))
            .map_err(|e| e.to_string())?;
        loop {
            let m = self.ws.read().map_err(|e| e.to_string())?;
            let Message::Text(t) = m else { continue };
            let v: Value = serde_json::from_str(t.as_str()).map_err(|e| e.to_string())?;
            if v["id"] == id {
                if let Some(e) = v.get("error") {
                    return Err(e.to_string());
                }
                return Ok(v["result"].clone());
            }
        }
    }

    pub(crate) fn navigate(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }))
            .unwrap_or_else(|e| panic!("navigate to {url}: {e}"));
    }

    /// Evaluates an expression in the page; its value, or the exception as an error.
    pub(crate) fn eval(&mut self, expr: &str) -> Result<Value, String> {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expr, "returnByValue": true }),
        )?;
        if let Some(e) = r.get("exceptionDetails") {
            return Err(e.to_string());
        }
        Ok(r["result"]["value"].clone())
    }

    /// Waits until `expr` is true in the page (a reload in between is fine).
    pub(crate) fn wait_for(&mut self, what: &str, expr: &str) {
        let end = Instant::now() + Duration::from_secs(30);
        let mut last;
        loop {
            match self.eval(expr) {
                Ok(Value::Bool(true)) => return,
                Ok(v) => last = v.to_string(),
                Err(e) => last = e,
            }
            if Instant::now() > end {
                let text = self
                    .eval("document.body ? document.body.innerText.slice(0, 3000) : '(no body)'")
                    .unwrap_or_default();
                panic!(
                    "{what}: not seen in Chromium within 30 s (last: {last}); the page says:\n{text}"
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
