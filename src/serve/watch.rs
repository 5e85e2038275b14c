//! Watching the inputs and templates: file-system events where they arrive, a scan
//! now and then where they do not.
//!
//! An event (inotify on Linux, FSEvents on macOS, through `notify`) wakes the loop at
//! once; after the last event of a save has been quiet for [`QUIET`], the folders are
//! scanned and compared with the previous scan, so only a real change (modification
//! time, size or content) counts. Without events (a network or container mount where
//! they do not arrive, or a watcher that could not start) the scan every [`FALLBACK`]
//! still finds the change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime};

use notify::{RecursiveMode, Watcher as _};
use walkdir::WalkDir;

/// How long a save must be quiet before the folders are scanned: editors that save
/// in steps (truncate, write, rename) send several events within a few milliseconds.
pub(crate) const QUIET: Duration = Duration::from_millis(8);

/// The longest a burst of events may delay a scan.
const QUIET_MAX: Duration = Duration::from_millis(200);

/// How long a file that a save has just emptied is given to be written: an editor
/// (or `fs::write`) that saves in place truncates first and writes after, and on a
/// busy machine the two can lie further apart than [`QUIET`]. A file left empty
/// after this is taken as it is (and the build says so).
const EMPTIED_MAX: Duration = Duration::from_millis(1000);

/// How often the folders are scanned when no event arrives.
pub(crate) const FALLBACK: Duration = Duration::from_millis(500);

/// Files up to this size are hashed, so that a save of the same size within the
/// modification-time resolution of the file system is seen.
const HASH_UP_TO: u64 = 1 << 20;

/// Modification time, size and (up to [`HASH_UP_TO`]) a hash of the content.
type Stamp = (Option<SystemTime>, u64, Option<u64>);

/// What the folders hold: every watched file with its stamp.
pub(crate) type Snapshot = BTreeMap<PathBuf, Stamp>;

fn content_hash(path: &Path) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let bytes = std::fs::read(path).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    Some(h.finish())
}

/// Every watched file with its stamp. Hidden files and editor backups are skipped.
pub(crate) fn scan(folders: &[PathBuf]) -> Snapshot {
    let mut out = BTreeMap::new();
    for folder in folders {
        for e in WalkDir::new(folder)
            .follow_links(true)
            .into_iter()
            .flatten()
        {
            let name = e.file_name().to_string_lossy();
            if name.starts_with('.') || name.ends_with('~') || !e.file_type().is_file() {
                continue;
            }
            if let Ok(m) = e.metadata() {
                let hash = (m.len() <= HASH_UP_TO)
                    .then(|| content_hash(e.path()))
                    .flatten();
                out.insert(e.path().to_path_buf(), (m.modified().ok(), m.len(), hash));
            }
        }
    }
    out
}

/// The files that differ between two scans: changed, added or removed.
pub(crate) fn changes(before: &Snapshot, now: &Snapshot) -> BTreeSet<PathBuf> {
    now.iter()
        .filter(|(p, s)| before.get(*p) != Some(*s))
        .map(|(p, _)| p.clone())
        .chain(before.keys().filter(|p| !now.contains_key(*p)).cloned())
        .collect()
}

/// Whether a changed file is now empty: most likely a save caught half-way.
fn emptied(changed: &BTreeSet<PathBuf>, now: &Snapshot) -> bool {
    changed
        .iter()
        .any(|p| now.get(p).is_some_and(|(_, len, _)| *len == 0))
}

/// The watched folders and what they held at the last scan.
pub(crate) struct Watcher {
    folders: Vec<PathBuf>,
    seen: Snapshot,
    scanned: Instant,
    events: Option<(notify::RecommendedWatcher, Receiver<()>)>,
}

impl Watcher {
    /// Starts watching `folders`. When events cannot be had, scanning alone is used
    /// (said on standard error).
    pub(crate) fn new(folders: Vec<PathBuf>) -> Self {
        let events = match Self::events(&folders) {
            Ok(e) => Some(e),
            Err(e) => {
                eprintln!(
                    "note: no file-system events ({e}); looking for changes every {} ms",
                    FALLBACK.as_millis()
                );
                None
            }
        };
        let seen = scan(&folders);
        Watcher {
            folders,
            seen,
            scanned: Instant::now(),
            events,
        }
    }

    fn events(folders: &[PathBuf]) -> notify::Result<(notify::RecommendedWatcher, Receiver<()>)> {
        let (tx, rx) = mpsc::channel();
        let mut w = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
            if e.is_ok_and(|e| !e.kind.is_access()) {
                let _ = tx.send(());
            }
        })?;
        for f in folders {
            w.watch(f, RecursiveMode::Recursive)?;
        }
        Ok((w, rx))
    }

    /// Waits up to `timeout` for a change; returns the files that changed (empty when
    /// nothing did).
    pub(crate) fn wait(&mut self, timeout: Duration) -> BTreeSet<PathBuf> {
        match &self.events {
            Some((_, rx)) => {
                let woke = match rx.recv_timeout(timeout.min(FALLBACK)) {
                    Ok(()) => true,
                    Err(RecvTimeoutError::Timeout) => false,
                    Err(RecvTimeoutError::Disconnected) => {
                        std::thread::sleep(timeout.min(FALLBACK));
                        false
                    }
                };
                if woke {
                    // Let a save that writes in steps settle.
                    let end = Instant::now() + QUIET_MAX;
                    while rx.recv_timeout(QUIET).is_ok() && Instant::now() < end {}
                } else if self.scanned.elapsed() < FALLBACK {
                    return BTreeSet::new();
                }
            }
            None => std::thread::sleep(timeout.min(FALLBACK)),
        }
        self.scanned = Instant::now();
        let mut now = scan(&self.folders);
        let mut changed = changes(&self.seen, &now);
        if let Some((_, rx)) = &self.events {
            let end = Instant::now() + EMPTIED_MAX;
            while emptied(&changed, &now) && Instant::now() < end {
                // Wait for the write that follows the truncation, then let it settle.
                if rx.recv_timeout(end - Instant::now()).is_ok() {
                    while rx.recv_timeout(QUIET).is_ok() && Instant::now() < end {}
                }
                now = scan(&self.folders);
                changed = changes(&self.seen, &now);
            }
        }
        self.seen = now;
        changed
    }

    /// Whether a file was there at the last scan.
    pub(crate) fn has(&self, path: &Path) -> bool {
        self.seen.contains_key(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A save in place that truncates and writes 100 ms later (a busy machine) is
    /// reported once, with the written content, never as an empty file.
    #[test]
    fn a_save_in_place_is_seen_after_its_write() {
        let dir = std::env::temp_dir().join(format!("taakstelling-watch-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("2025-I.yaml");
        fs::write(&file, "periode: 2025-I\n").unwrap();
        let mut w = Watcher::new(vec![dir.clone()]);
        let writer = {
            let file = file.clone();
            std::thread::spawn(move || {
                fs::File::create(&file).unwrap();
                std::thread::sleep(Duration::from_millis(100));
                fs::write(&file, "periode: 2025-II\n").unwrap();
            })
        };
        let mut changed = BTreeSet::new();
        let end = Instant::now() + Duration::from_secs(5);
        while changed.is_empty() && Instant::now() < end {
            changed = w.wait(Duration::from_millis(200));
        }
        writer.join().unwrap();
        assert!(changed.contains(&file));
        assert_eq!(w.seen[&file].1, "periode: 2025-II\n".len() as u64);
        fs::remove_dir_all(&dir).unwrap();
    }
}
