//! Writing the documents, without ever deleting what the tool did not write.
//!
//! - **Ownership.** A build replaces only a folder that is absent, empty, or written
//!   by an earlier build: such a folder holds a manifest ([`MANIFEST`]) listing every
//!   file the build wrote, and nothing else. Any other folder is refused (see
//!   [`check_target`]), and so is a file, a symbolic link, a read-only folder or a
//!   folder in or around the inputs or the templates.
//! - **Atomic.** The new output (manifest first) is written into a staging folder beside
//!   the target and swapped into place with two renames; everything that could make the
//!   build refuse or fail is decided before the first rename. Files of a previous output
//!   that stay (the other periods of a partial build) are hard-linked into the staging
//!   folder, so the index and the period folders always change together.
//! - **One writer.** A writer holds [`Lock`], a lock on a file beside the target, while it
//!   repairs leftovers and writes.
//! - **Repair.** A build killed halfway leaves its staging folder, or the previous output
//!   moved aside; [`Lock::repair`] puts the latter back and removes the former, but only
//!   when the manifest inside proves that the tool wrote all of it.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Component, Path, PathBuf};

/// The manifest of an output folder: the files its last build wrote, one a line.
pub const MANIFEST: &str = ".taakstelling-manifest";

/// The first line of a manifest, with the version of its format.
const MANIFEST_HEADER: &str = "# taakstelling manifest 1";

/// The largest manifest read: 100 periods take about 60 KB.
const MANIFEST_MAX: u64 = 16 << 20;

/// How many entries a refusal names before it says how many more there are.
const NAMES_SHOWN: usize = 5;

/// One file of a build, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub content: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<PathBuf>, content: impl Into<Vec<u8>>) -> Self {
        let mut content = content.into();
        // A build keeps every file in memory until all periods succeeded; a rendered
        // document's buffer can have up to twice the room it needs.
        content.shrink_to_fit();
        OutputFile {
            path: path.into(),
            content,
        }
    }
}

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder is not one a build may replace. Nothing was touched.
    #[error("refusing to use {} as the output folder: {reason}", folder.display())]
    Refused { folder: PathBuf, reason: String },
    /// Writing failed before the new output was in place. Nothing was changed.
    #[error("cannot write {}: {error}; nothing was changed", path.display())]
    Write { path: PathBuf, error: io::Error },
    /// The previous output was moved aside and could not be put back.
    #[error(
        "the previous output was moved aside to {} and could not be put back: {error}; \
         the next build puts it back",
        path.display()
    )]
    Restore { path: PathBuf, error: io::Error },
    /// The new output is in place, but the previous one could not be removed.
    #[error(
        "the new output is in place, but the previous one, moved aside to {}, could not be removed: {error}",
        path.display()
    )]
    Cleanup { path: PathBuf, error: io::Error },
}

impl OutputError {
    /// The exit code: 2 for a folder a build may not replace (wrong usage), 1 for a
    /// failed write.
    pub fn exit_code(&self) -> u8 {
        match self {
            OutputError::Refused { .. } => 2,
            OutputError::Write { .. }
            | OutputError::Restore { .. }
            | OutputError::Cleanup { .. } => 1,
        }
    }
}

fn write_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |error| OutputError::Write {
        path: path.to_path_buf(),
        error,
    }
}

fn refuse<T>(folder: &Path, reason: impl Into<String>) -> Result<T, OutputError> {
    Err(OutputError::Refused {
        folder: folder.to_path_buf(),
        reason: reason.into(),
    })
}

/// A relative path that stays inside the folder it is joined to, as `/`-separated text.
fn relative_path(p: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = p
        .components()
        .map(|c| match c {
            Component::Normal(d) => d.to_str(),
            _ => None,
        })
        .collect();
    let parts = parts?;
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The files a build wrote in an output folder. Folders are implied by the files.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Manifest {
    files: BTreeSet<String>,
}

impl Manifest {
    /// Every folder that holds a listed file, relative to the output folder.
    fn folders(&self) -> BTreeSet<String> {
        let mut folders = BTreeSet::new();
        for f in &self.files {
            let mut rest = f.as_str();
            while let Some((folder, _)) = rest.rsplit_once('/') {
                folders.insert(folder.to_string());
                rest = folder;
            }
        }
        folders
    }

    /// The manifest as written: deterministic (sorted, no date), one file a line.
    fn text(&self) -> String {
        let mut s = format!(
            "{MANIFEST_HEADER}\n\
             # The files the last build of taakstelling wrote in this folder. A build replaces\n\
             # this folder only while it holds these files and nothing else. Do not edit.\n"
        );
        for f in &self.files {
            s.push_str(f);
            s.push('\n');
        }
        s
    }

    fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != MANIFEST_HEADER {
            return None;
        }
        let mut files = BTreeSet::new();
        for r in lines.filter(|r| !r.starts_with('#')) {
            let path = relative_path(Path::new(r)).filter(|p| p == r && p != MANIFEST)?;
            files.insert(path);
        }
        Some(Manifest { files })
    }
}

/// What a folder is, for a build that would replace it.
enum State {
    Absent,
    Empty,
    Owned(Manifest),
}

/// A list of names for a message: the first few, and how many more.
fn list_names(names: &[String]) -> String {
    let mut s = names
        .iter()
        .take(NAMES_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMES_SHOWN {
        s.push_str(&format!(" and {} more", names.len() - NAMES_SHOWN));
    }
    s
}

/// Whether a top-level name is one a build of this tool writes; for the hint that an
/// output written before manifests existed can simply be deleted.
fn looks_like_output(name: &str) -> bool {
    matches!(name, "index.html" | "index.md" | "grafiek-historie.svg")
        || crate::kalender::Periode::parse(name).is_some()
}

/// Finds out whether `top` is absent, empty, or written by an earlier build and holding
/// nothing else. Anything else is refused, naming what is in the way.
fn ownership(top: &Path) -> Result<State, OutputError> {
    let md = match fs::symlink_metadata(top) {
        Ok(md) => md,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(State::Absent),
        Err(e) => return refuse(top, format!("cannot look at it: {e}")),
    };
    if md.file_type().is_symlink() {
        return refuse(
            top,
            "it is a symbolic link; give the folder it points to instead",
        );
    }
    if !md.is_dir() {
        return refuse(top, "it is a file, not a folder");
    }
    let top_level = read_folder(top, top)?;
    if top_level.is_empty() {
        return Ok(State::Empty);
    }
    let manifest = read_manifest(top, &top_level)?;
    let mut foreign = unlisted(top, &manifest, top_level)?;
    if !foreign.is_empty() {
        foreign.sort();
        return refuse(
            top,
            format!(
                "it holds what taakstelling did not write: {}. A build would delete that; \
                 move it out of the folder (or delete it) and build again",
                list_names(&foreign)
            ),
        );
    }
    Ok(State::Owned(manifest))
}

/// The entries of `folder` (inside the output folder `top`), sorted by name.
fn read_folder(top: &Path, folder: &Path) -> Result<Vec<(String, fs::FileType)>, OutputError> {
    let mut names = Vec::new();
    let entries = fs::read_dir(folder).or_else(|e| {
        refuse(
            top,
            format!("cannot see what {} holds: {e}", folder.display()),
        )
    })?;
    for e in entries {
        let e = e.or_else(|e| {
            refuse(
                top,
                format!("cannot see what {} holds: {e}", folder.display()),
            )
        })?;
        let kind = e.file_type().or_else(|error| {
            refuse(
                top,
                format!("cannot look at {}: {error}", e.path().display()),
            )
        })?;
        names.push((e.file_name().to_string_lossy().into_owned(), kind));
    }
    names.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(names)
}

/// The manifest of the folder `top` that is not empty (`top_level`: what it holds); a
/// folder without one, or with one the tool does not write, is refused.
fn read_manifest(
    top: &Path,
    top_level: &[(String, fs::FileType)],
) -> Result<Manifest, OutputError> {
    let manifest_path = top.join(MANIFEST);
    let manifest = match fs::symlink_metadata(&manifest_path) {
        Ok(md) if md.is_file() && md.len() <= MANIFEST_MAX => fs::read(&manifest_path)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|t| Manifest::parse(&t)),
        Ok(_) => None,
        Err(_) => {
            let names: Vec<String> = top_level.iter().map(|(n, _)| n.clone()).collect();
            let mut reason = format!(
                "it is not empty and taakstelling did not write it (it has no {MANIFEST}); \
                 it holds {}. A build replaces only a folder that is absent, empty or \
                 written by an earlier build",
                list_names(&names)
            );
            if names.iter().all(|n| looks_like_output(n)) {
                reason.push_str(
                    ". If it is the output of a taakstelling older than this one, \
                     delete it and build again",
                );
            }
            return refuse(top, reason);
        }
    };
    manifest.map_or_else(
        || {
            refuse(
                top,
                format!("its {MANIFEST} is not a manifest taakstelling writes"),
            )
        },
        Ok,
    )
}

/// Everything in the folder `top` (`top_level`: what it holds at the top) that its
/// manifest does not list: a file must be listed as a file, a folder as a folder.
fn unlisted(
    top: &Path,
    manifest: &Manifest,
    top_level: Vec<(String, fs::FileType)>,
) -> Result<Vec<String>, OutputError> {
    let folders = manifest.folders();
    let mut foreign: Vec<String> = Vec::new();
    let mut to_visit: Vec<(String, Vec<(String, fs::FileType)>)> = vec![(String::new(), top_level)];
    while let Some((parent, names)) = to_visit.pop() {
        for (name, kind) in names {
            let rel = if parent.is_empty() {
                name.clone()
            } else {
                format!("{parent}/{name}")
            };
            if parent.is_empty() && name == MANIFEST && kind.is_file() {
                continue;
            }
            if kind.is_dir() && folders.contains(&rel) {
                to_visit.push((rel.clone(), read_folder(top, &top.join(&rel))?));
            } else if kind.is_file() && manifest.files.contains(&rel) {
                continue;
            } else {
                foreign.push(rel);
            }
        }
    }
    Ok(foreign)
}

/// Whether this process may create and delete entries in `folder`. A folder without any
/// write permission counts as read-only for everyone, the superuser too: it was made
/// read-only on purpose.
fn is_writable(folder: &Path) -> bool {
    let Ok(md) = fs::metadata(folder) else {
        return false;
    };
    if md.permissions().readonly() {
        return false;
    }
    #[cfg(unix)]
    {
        use rustix::fs::Access;
        rustix::fs::access(folder, Access::WRITE_OK | Access::EXEC_OK).is_ok()
    }
    #[cfg(not(unix))]
    true
}

/// The path without `.` parts and trailing separators (`output/.` is `output`), as the
/// renames need it.
fn clean(p: &Path) -> PathBuf {
    p.components().collect()
}

/// Refuses `..` after a folder that does not exist (`new/../output`): the system cannot
/// resolve such a path, so the folders beside the output would not be where it is.
fn check_path(target: &Path) -> Result<(), OutputError> {
    let mut path = PathBuf::new();
    let mut missing = false;
    for c in target.components() {
        if missing && c == Component::ParentDir {
            return refuse(
                target,
                "`..` follows a folder that does not exist; give the path without it",
            );
        }
        path.push(c);
        missing = missing || fs::symlink_metadata(&path).is_err();
    }
    Ok(())
}

/// The folder that holds `top`.
fn parent_folder(top: &Path) -> PathBuf {
    match top.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Checks that a build can do everything it needs without a failure halfway: create the
/// staging folder beside `top` and rename, and remove every folder of the previous output.
fn check_writable(top: &Path, state: &State) -> Result<(), OutputError> {
    let read_only = |folder: &Path, why: &str| {
        refuse(
            top,
            format!(
                "{} is read-only (no permission to write in it), {why}",
                folder.display()
            ),
        )
    };
    match state {
        State::Absent => {
            // The nearest folder that exists is where the first new folder is made.
            let mut folder = parent_folder(top);
            while fs::symlink_metadata(&folder).is_err() {
                folder = match folder.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => PathBuf::from("."),
                };
            }
            if !fs::metadata(&folder).is_ok_and(|m| m.is_dir()) {
                return refuse(
                    top,
                    format!(
                        "{} is not a folder, so the output folder cannot be made in it",
                        folder.display()
                    ),
                );
            }
            if !is_writable(&folder) {
                return read_only(&folder, "so the output folder cannot be made in it");
            }
        }
        State::Empty | State::Owned(_) => {
            let folder = parent_folder(top);
            if !is_writable(&folder) {
                return read_only(&folder, "so the output folder in it cannot be replaced");
            }
            let mut folders = vec![top.to_path_buf()];
            if let State::Owned(m) = state {
                folders.extend(
                    m.folders()
                        .iter()
                        .map(|d| top.join(d))
                        .filter(|d| d.is_dir()),
                );
            }
            for folder in folders {
                if !is_writable(&folder) {
                    return read_only(&folder, "so a build cannot replace what is in it");
                }
            }
        }
    }
    Ok(())
}

/// A path made absolute the way the system would resolve it: the part that exists with
/// its symbolic links resolved, the rest (which a build would create) taken as written.
fn resolved(p: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(p)?;
    let parts: Vec<Component> = abs.components().collect();
    for i in (1..=parts.len()).rev() {
        let existing: PathBuf = parts[..i].iter().collect();
        if let Ok(mut full) = fs::canonicalize(&existing) {
            for d in &parts[i..] {
                match d {
                    Component::ParentDir => {
                        full.pop();
                    }
                    Component::Normal(n) => full.push(n),
                    _ => {}
                }
            }
            return Ok(full);
        }
    }
    Ok(abs)
}

/// Decides whether a build may write into `target`, before anything is built or written,
/// and touches nothing. Refused (exit 2): the current folder or one above it; a folder
/// that is, holds or lies inside one of `protected` (such as `("inputs", inputs)`); a
/// folder inside the output of an earlier build; a symbolic link or a file; a folder that
/// is not empty and was not written by a build, or that holds anything its manifest does
/// not list; a read-only folder.
pub fn check_target(target: &Path, protected: &[(&str, &Path)]) -> Result<(), OutputError> {
    let target = &clean(target);
    check_path(target)?;
    let unknown_place = |e: io::Error| OutputError::Refused {
        folder: target.to_path_buf(),
        reason: format!("cannot tell where it is: {e}"),
    };
    let full_target = resolved(target).map_err(unknown_place)?;
    if resolved(Path::new("."))
        .map_err(unknown_place)?
        .starts_with(&full_target)
    {
        return refuse(target, "it is the current folder or holds it");
    }
    for (what, p) in protected {
        let p_full = resolved(p).map_err(unknown_place)?;
        if p_full.starts_with(&full_target) {
            return refuse(
                target,
                format!("it is or holds the {what} folder {}", p.display()),
            );
        }
        if full_target.starts_with(&p_full) {
            return refuse(
                target,
                format!("it lies inside the {what} folder {}", p.display()),
            );
        }
    }
    if target.file_name().is_none() {
        return refuse(target, "give the folder by its name");
    }
    for above in full_target.ancestors().skip(1) {
        if fs::symlink_metadata(above.join(MANIFEST)).is_ok_and(|m| m.is_file()) {
            return refuse(
                target,
                format!(
                    "it lies inside {}, the output folder of an earlier build, which a \
                     build of it would replace",
                    above.display()
                ),
            );
        }
    }
    let state = ownership(target)?;
    check_writable(target, &state)
}

/// The lock of one writer of an output folder: an empty file `.NAME.lock` beside the
/// folder, locked with [`File::lock`] (`flock`). It is removed when the lock is let go;
/// a writer that waited for it checks that the file it locked is still the one named
/// there, and otherwise takes the new one. Folders created to hold the output are
/// removed again when they stay empty (a failed build).
pub struct Lock {
    top: PathBuf,
    path: PathBuf,
    file: Option<File>,
    created: Vec<PathBuf>,
}

/// Whether `f` is the file that `path` names now.
#[cfg(unix)]
fn is_same_file(f: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (f.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_f: &File, _path: &Path) -> bool {
    true
}

/// Creates `folder` and the folders above it that are missing; returns those it created.
fn create_folders(folder: &Path) -> io::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut m = folder.to_path_buf();
    while !m.as_os_str().is_empty() && fs::symlink_metadata(&m).is_err() {
        missing.push(m.clone());
        if !m.pop() {
            break;
        }
    }
    let mut created = Vec::new();
    for m in missing.into_iter().rev() {
        match fs::create_dir(&m) {
            Ok(()) => created.push(m),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                for m in created.iter().rev() {
                    let _ = fs::remove_dir(m);
                }
                return Err(e);
            }
        }
    }
    Ok(created)
}

/// Takes the lock of the output folder `top`; when another writer holds it, calls
/// `on_wait` and waits until it is free.
pub fn lock(top: &Path, on_wait: impl FnOnce()) -> Result<Lock, OutputError> {
    let top = &clean(top);
    check_path(top)?;
    let Some(name) = top.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return refuse(top, "give the folder by its name");
    };
    let folder = parent_folder(top);
    let created = create_folders(&folder).map_err(write_error(&folder))?;
    let mut held = Lock {
        top: top.to_path_buf(),
        path: folder.join(format!(".{name}.lock")),
        file: None,
        created,
    };
    let mut on_wait = Some(on_wait);
    loop {
        if let Ok(md) = fs::symlink_metadata(&held.path)
            && (!md.is_file() || md.len() > 0)
        {
            return refuse(
                top,
                format!(
                    "{} is in the way of the lock a build takes there (it is not an empty \
                     file); move it away",
                    held.path.display()
                ),
            );
        }
        let f = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&held.path)
            .map_err(write_error(&held.path))?;
        match f.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                if let Some(w) = on_wait.take() {
                    w();
                }
                f.lock().map_err(write_error(&held.path))?;
            }
            Err(TryLockError::Error(e)) => return Err(write_error(&held.path)(e)),
        }
        if is_same_file(&f, &held.path) {
            held.file = Some(f);
            return Ok(held);
        }
        // The writer before removed its lock file when done; take the one there now.
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some(f) = self.file.take() {
            // Removed while still locked, so that a waiting writer sees that it is gone.
            if cfg!(unix) && is_same_file(&f, &self.path) {
                let _ = fs::remove_file(&self.path);
            }
            drop(f);
        }
        for m in self.created.iter().rev() {
            // Only an empty folder goes: one made for an output that was never written.
            let _ = fs::remove_dir(m);
        }
    }
}

/// What a write replaces.
pub enum Replace<'a> {
    /// The whole output: it becomes exactly the files written.
    All,
    /// Only these period folders (and the files written): the rest of the previous
    /// output stays as it is.
    Folders(&'a [String]),
}

/// The name of a folder beside the output folder `top`, never inside it:
/// `.output.nieuw-PID`. Renames stay on one file system.
fn beside(top: &Path, tag: &str) -> PathBuf {
    let name = top
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    parent_folder(top).join(format!(".{name}.{tag}-{}", std::process::id()))
}

impl Lock {
    /// Repairs what a build killed halfway left beside the output folder: puts a previous
    /// output that was moved aside (`.output.oud-PID`) back in place when the output is
    /// missing, and removes staging folders (`.output.nieuw-PID`) and outputs moved aside
    /// that are no longer needed. A folder with such a name is touched only when its
    /// manifest lists everything in it; otherwise it is left as it is, with a warning
    /// (returned) unless it is empty.
    pub fn repair(&self) -> Result<Vec<String>, OutputError> {
        let mut warnings = Vec::new();
        let Some(name) = self
            .top
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
        else {
            return Ok(warnings);
        };
        let folder = parent_folder(&self.top);
        let Ok(entries) = fs::read_dir(&folder) else {
            return Ok(warnings);
        };
        let prefix = format!(".{name}.");
        let mut leftovers: Vec<(bool, PathBuf)> = entries
            .flatten()
            .filter_map(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                let rest = n.strip_prefix(&prefix)?;
                let (old, pid) = match (rest.strip_prefix("oud-"), rest.strip_prefix("nieuw-")) {
                    (Some(pid), _) => (true, pid),
                    (_, Some(pid)) => (false, pid),
                    _ => return None,
                };
                (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| (old, e.path()))
            })
            .collect();
        // Outputs moved aside first, so that one is back before anything is removed.
        leftovers.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (old, path) in leftovers {
            match ownership(&path) {
                Ok(State::Owned(_)) => {}
                // A build writes its manifest first, so an empty folder is not provably
                // ours (a user may have made it): leave it, and say nothing each build.
                Ok(State::Empty) => continue,
                _ => {
                    warnings.push(format!(
                        "left {} as it is: it is named like the leftover of an interrupted \
                         build, but taakstelling did not write all of it",
                        path.display()
                    ));
                    continue;
                }
            }
            let repair = |r: io::Result<()>| {
                r.map_err(|error| OutputError::Write {
                    path: path.clone(),
                    error,
                })
            };
            if old && fs::symlink_metadata(&self.top).is_err() {
                // The swap was interrupted after moving the old output aside: put it back.
                repair(fs::rename(&path, &self.top))?;
            } else {
                repair(fs::remove_dir_all(&path))?;
            }
        }
        Ok(warnings)
    }

    /// Replaces the output folder by `files` (paths relative to it) and a new
    /// manifest. With [`Replace::Folders`] only those folders and the files at the top
    /// (the index) are replaced: the other files of the previous output stay as they are,
    /// and a file of `files` outside those folders is written only where the previous
    /// output lacks it (so the index never links to a missing file). Checks again, under
    /// the lock, that the folder may be replaced and can be, before anything is renamed;
    /// after an error the output is as it was and no staging folder remains.
    pub fn write(&self, files: &[&OutputFile], replace: &Replace) -> Result<(), OutputError> {
        let top = &self.top;
        let relative = relative_paths(top, files)?;
        let state = ownership(top)?;
        check_writable(top, &state)?;
        let (to_write, kept) = match (replace, &state) {
            (Replace::Folders(folders), State::Owned(old)) => {
                files_kept(top, folders, old, relative)
            }
            _ => (relative, Vec::new()),
        };
        let manifest = Manifest {
            files: to_write
                .iter()
                .map(|(rel, _)| rel.clone())
                .chain(kept.iter().cloned())
                .collect(),
        };

        let staging = beside(top, "nieuw");
        fs::create_dir(&staging).map_err(write_error(&staging))?;
        if let Err(e) = fill_staging(top, &staging, &manifest, &to_write, &kept) {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        swap_into_place(&staging, top, &beside(top, "oud"))
    }
}

/// A file of a build with its path relative to the output folder.
type Relative<'a> = (String, &'a OutputFile);

/// The files of a build with their paths relative to the output folder `top`: each
/// inside it, once, and none named like the manifest.
fn relative_paths<'a>(
    top: &Path,
    files: &[&'a OutputFile],
) -> Result<Vec<Relative<'a>>, OutputError> {
    let mut relative: Vec<(String, &OutputFile)> = Vec::new();
    let mut names = BTreeSet::new();
    for b in files {
        let Some(rel) = relative_path(&b.path).filter(|r| r != MANIFEST) else {
            return Err(write_error(top)(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "refusing to write {} outside the output folder",
                    b.path.display()
                ),
            )));
        };
        if !names.insert(rel.clone()) {
            return Err(write_error(top)(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is written twice", b.path.display()),
            )));
        }
        relative.push((rel, b));
    }
    Ok(relative)
}

/// For a write of only the period folders `folders` over the previous output `old`:
/// the files to write, and the files of the previous output that stay (the other folders, and a
/// file outside the folders that is there already).
fn files_kept<'a>(
    top: &Path,
    folders: &[String],
    old: &Manifest,
    relative: Vec<Relative<'a>>,
) -> (Vec<Relative<'a>>, Vec<String>) {
    let names: BTreeSet<String> = relative.iter().map(|(rel, _)| rel.clone()).collect();
    let replaced = |rel: &str| {
        rel.split_once('/')
            .is_none_or(|(folder, _)| folders.iter().any(|m| m == folder))
    };
    let present = |rel: &str| {
        old.files.contains(rel) && fs::symlink_metadata(top.join(rel)).is_ok_and(|m| m.is_file())
    };
    let mut kept: Vec<String> = Vec::new();
    let mut to_write: Vec<(String, &OutputFile)> = Vec::new();
    for (rel, b) in relative {
        if replaced(&rel) || !present(&rel) {
            to_write.push((rel, b));
        } else {
            kept.push(rel);
        }
    }
    kept.extend(
        old.files
            .iter()
            .filter(|f| !replaced(f) && !names.contains(*f) && present(f))
            .cloned(),
    );
    (to_write, kept)
}

/// Writes the staging folder: the manifest first (a staging folder left by a kill is
/// then provably ours), the files written, and the files kept from `top` as links.
fn fill_staging(
    top: &Path,
    staging: &Path,
    manifest: &Manifest,
    to_write: &[(String, &OutputFile)],
    kept: &[String],
) -> Result<(), OutputError> {
    fs::write(staging.join(MANIFEST), manifest.text()).map_err(write_error(staging))?;
    for (i, (rel, b)) in to_write.iter().enumerate() {
        if i == to_write.len() / 2 {
            test_interrupt("schrijven");
        }
        let path = staging.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(write_error(dir))?;
        }
        fs::write(&path, &b.content).map_err(write_error(&path))?;
    }
    for f in kept {
        let (from, to) = (top.join(f), staging.join(f));
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).map_err(write_error(dir))?;
        }
        // A link costs nothing; a file system without links gets a copy.
        fs::hard_link(&from, &to)
            .or_else(|_| fs::copy(&from, &to).map(|_| ()))
            .map_err(write_error(&from))?;
    }
    Ok(())
}

/// The environment variable of the test hook `test_interrupt`, in debug builds only.
pub const TEST_KILL_AT: &str = "TAAKSTELLING_TEST_KILL_AT";

/// A test hook that stops the process at a named point of writing, as a power cut or
/// `kill -9` would: no destructor, no cleanup. It proves that a build killed halfway
/// loses nothing (tests/onderbreking.rs). It exists only in debug builds (the binary
/// that `cargo test` runs), never in a release build, and acts only when the variable
/// `TAAKSTELLING_TEST_KILL_AT` names the point exactly: `schrijven` (halfway through
/// writing the staging folder) or `wisselen` (after the old output was moved aside,
/// before the new one is moved in) aborts there; `schrijven:wacht` waits there for a
/// minute, so that a test can kill the process from outside.
#[cfg(debug_assertions)]
fn test_interrupt(point: &str) {
    let Some(value) = std::env::var_os(TEST_KILL_AT) else {
        return;
    };
    if value == point {
        std::process::abort();
    }
    if value == format!("{point}:wacht").as_str() {
        std::thread::sleep(std::time::Duration::from_secs(60));
        std::process::abort();
    }
}

#[cfg(not(debug_assertions))]
fn test_interrupt(_point: &str) {}

/// Moves `staging` to `target`; an existing `target` is moved to `aside` first and
/// removed after. Until `staging` is in place every error puts things back as they were.
fn swap_into_place(staging: &Path, target: &Path, aside: &Path) -> Result<(), OutputError> {
    let undo = |path: &Path, error: io::Error| {
        let _ = fs::remove_dir_all(staging);
        Err(OutputError::Write {
            path: path.to_path_buf(),
            error,
        })
    };
    if fs::symlink_metadata(target).is_err() {
        return match fs::rename(staging, target) {
            Ok(()) => Ok(()),
            Err(e) => undo(target, e),
        };
    }
    if let Err(e) = fs::rename(target, aside) {
        return undo(target, e);
    }
    test_interrupt("wisselen");
    if let Err(e) = fs::rename(staging, target) {
        if let Err(e2) = fs::rename(aside, target) {
            let _ = fs::remove_dir_all(staging);
            return Err(OutputError::Restore {
                path: aside.to_path_buf(),
                error: io::Error::new(e2.kind(), format!("{e}; putting it back: {e2}")),
            });
        }
        return undo(target, e);
    }
    fs::remove_dir_all(aside).map_err(|error| OutputError::Cleanup {
        path: aside.to_path_buf(),
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("taakstelling-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn write_files(top: &Path, files: &[OutputFile], replace: &Replace) -> Result<(), OutputError> {
        let held = lock(top, || {})?;
        held.repair()?;
        held.write(&files.iter().collect::<Vec<_>>(), replace)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_the_folder_whole_and_lists_what_it_wrote() {
        let root = tmp("replace");
        let target = root.join("out");
        let first = [
            OutputFile::new("a.txt", "1"),
            OutputFile::new("sub/b.txt", "2"),
        ];
        write_files(&target, &first, &Replace::All).unwrap();
        assert_eq!(
            fs::read_to_string(target.join(MANIFEST)).unwrap(),
            format!(
                "{MANIFEST_HEADER}\n# The files the last build of taakstelling wrote in this folder. \
                 A build replaces\n# this folder only while it holds these files and nothing \
                 else. Do not edit.\na.txt\nsub/b.txt\n"
            )
        );
        write_files(&target, &[OutputFile::new("c.txt", "3")], &Replace::All).unwrap();
        assert!(!target.join("a.txt").exists());
        assert_eq!(fs::read_to_string(target.join("c.txt")).unwrap(), "3");
        assert_eq!(names(&root), ["out"], "staging, aside or lock left behind");
        assert_eq!(names(&target), [MANIFEST, "c.txt"]);
    }

    #[test]
    fn a_partial_write_keeps_the_other_folders_and_lists_them() {
        let root = tmp("partial");
        let target = root.join("out");
        let everything = [
            OutputFile::new("2025-I/a.txt", "1"),
            OutputFile::new("2025-II/b.txt", "2"),
            OutputFile::new("index.html", "i1"),
        ];
        write_files(&target, &everything, &Replace::All).unwrap();
        // Every period built; only 2025-II is replaced. 2024-II was never written: it is
        // added, so that the index links to nothing missing.
        let part = [
            OutputFile::new("2024-II/d.txt", "4"),
            OutputFile::new("2025-I/a.txt", "not written"),
            OutputFile::new("2025-II/c.txt", "3"),
            OutputFile::new("index.html", "i2"),
        ];
        write_files(&target, &part, &Replace::Folders(&["2025-II".into()])).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("2025-I/a.txt")).unwrap(),
            "1"
        );
        assert_eq!(
            fs::read_to_string(target.join("2024-II/d.txt")).unwrap(),
            "4"
        );
        assert!(!target.join("2025-II/b.txt").exists());
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "i2");
        let m = fs::read_to_string(target.join(MANIFEST)).unwrap();
        assert!(
            m.ends_with("\n2024-II/d.txt\n2025-I/a.txt\n2025-II/c.txt\nindex.html\n"),
            "{m}"
        );
        assert_eq!(names(&root), ["out"]);
    }

    #[test]
    fn refuses_paths_outside_the_folder_and_keeps_the_old_output() {
        let root = tmp("escape");
        let target = root.join("out");
        write_files(&target, &[OutputFile::new("a.txt", "old")], &Replace::All).unwrap();
        for bad in ["../x.txt", "/etc/x", "", MANIFEST] {
            assert!(
                write_files(&target, &[OutputFile::new(bad, "x")], &Replace::All).is_err(),
                "{bad}"
            );
        }
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "old");
        assert!(!root.join("x.txt").exists());
        assert_eq!(names(&root), ["out"]);
    }

    #[test]
    fn refuses_a_folder_it_did_not_write_and_changes_nothing() {
        let root = tmp("vreemd");
        let home = root.join("home");
        fs::create_dir_all(home.join(".ssh")).unwrap();
        fs::write(home.join(".ssh/id_ed25519"), "sleutel").unwrap();
        let e = check_target(&home, &[]).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("did not write it"), "{e}");
        assert!(e.to_string().contains(".ssh"), "{e}");
        let e = write_files(&home, &[OutputFile::new("a", "x")], &Replace::All).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        assert_eq!(names(&home), [".ssh"]);
        assert_eq!(
            fs::read_to_string(home.join(".ssh/id_ed25519")).unwrap(),
            "sleutel"
        );
        assert_eq!(names(&root), ["home"]);

        // A user's file in an output: refused, named, kept.
        let out = root.join("out");
        write_files(&out, &[OutputFile::new("p/a.txt", "1")], &Replace::All).unwrap();
        fs::write(out.join("p/eigen.txt"), "mine").unwrap();
        let e = write_files(&out, &[OutputFile::new("p/a.txt", "2")], &Replace::All).unwrap_err();
        assert!(e.to_string().contains("p/eigen.txt"), "{e}");
        assert_eq!(fs::read_to_string(out.join("p/a.txt")).unwrap(), "1");
        assert_eq!(fs::read_to_string(out.join("p/eigen.txt")).unwrap(), "mine");
    }

    #[test]
    fn refuses_to_replace_inputs_or_a_folder_around_or_inside_them() {
        let root = tmp("doel");
        let inputs = root.join("inputs");
        fs::create_dir_all(inputs.join("bevolking")).unwrap();
        let protected = [("inputs", inputs.as_path())];
        for bad in [
            inputs.clone(),
            root.clone(),
            inputs.join("bevolking"),
            inputs.join("nieuw/output"),
            inputs.join("bevolking/../x"),
        ] {
            let e = check_target(&bad, &protected).unwrap_err();
            assert!(
                e.to_string().contains("inputs folder"),
                "{}: {e}",
                bad.display()
            );
        }
        assert!(check_target(Path::new("."), &[]).is_err());
        assert!(check_target(Path::new(".."), &[]).is_err());
        assert!(check_target(&root.join("output"), &protected).is_ok());
        assert!(check_target(&root.join("new/output"), &protected).is_ok());
        fs::write(root.join("bestand"), "x").unwrap();
        let e = check_target(&root.join("bestand"), &protected).unwrap_err();
        assert!(e.to_string().contains("a file, not a folder"), "{e}");
    }

    #[test]
    fn recovers_from_a_build_killed_during_the_swap() {
        let root = tmp("killed");
        let target = root.join("out");
        // Write an output, then simulate a kill after it was moved aside and before the
        // new one arrived, with a staging folder half written.
        write_files(&target, &[OutputFile::new("a.txt", "old")], &Replace::All).unwrap();
        fs::rename(&target, root.join(".out.oud-999")).unwrap();
        fs::create_dir_all(root.join(".out.nieuw-999")).unwrap();
        fs::write(
            root.join(".out.nieuw-999").join(MANIFEST),
            format!("{MANIFEST_HEADER}\na.txt\nb.txt\n"),
        )
        .unwrap();
        fs::write(root.join(".out.nieuw-999/a.txt"), "new").unwrap();
        let held = lock(&target, || {}).unwrap();
        assert_eq!(held.repair().unwrap(), Vec::<String>::new());
        drop(held);
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "old");
        assert_eq!(names(&root), ["out"]);
    }

    #[test]
    fn repair_leaves_an_empty_folder_named_like_a_leftover() {
        let root = tmp("repair-leeg");
        let target = root.join("out");
        for n in [".out.oud-7", ".out.nieuw-8"] {
            fs::create_dir_all(root.join(n)).unwrap();
        }
        let held = lock(&target, || {}).unwrap();
        assert_eq!(held.repair().unwrap(), Vec::<String>::new());
        drop(held);
        assert_eq!(names(&root), [".out.nieuw-8", ".out.oud-7"]);
        assert!(
            !target.exists(),
            "an empty folder was put in place as the output"
        );
    }

    #[test]
    fn repair_leaves_what_it_did_not_write() {
        let root = tmp("repair-vreemd");
        let target = root.join("out");
        // Named like leftovers, but not written by a build.
        for n in [".out.oud-1", ".out.nieuw-2"] {
            fs::create_dir_all(root.join(n)).unwrap();
            fs::write(root.join(n).join("notes.txt"), "mine").unwrap();
        }
        // A leftover whose manifest does not list everything in it.
        fs::create_dir_all(root.join(".out.nieuw-3")).unwrap();
        fs::write(
            root.join(".out.nieuw-3").join(MANIFEST),
            format!("{MANIFEST_HEADER}\na\n"),
        )
        .unwrap();
        fs::write(root.join(".out.nieuw-3/b"), "mine").unwrap();
        let held = lock(&target, || {}).unwrap();
        let warnings = held.repair().unwrap();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        drop(held);
        assert_eq!(names(&root), [".out.nieuw-2", ".out.nieuw-3", ".out.oud-1"]);
        assert!(
            !target.exists(),
            "a folder not written by a build was put in place"
        );
    }

    #[test]
    fn reads_only_manifests_it_writes() {
        let m = Manifest {
            files: ["a/b.txt".to_string(), "c".to_string()].into(),
        };
        assert_eq!(Manifest::parse(&m.text()), Some(m.clone()));
        assert_eq!(
            m.folders().into_iter().collect::<Vec<_>>(),
            ["a".to_string()]
        );
        for bad in [
            "a.txt\n",
            "# taakstelling manifest 1\n../x\n",
            "# taakstelling manifest 1\n/x\n",
        ] {
            assert_eq!(Manifest::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_second_writer_waits_for_the_first() {
        let root = tmp("slot");
        let target = root.join("out");
        let first_writer = lock(&target, || {}).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let t = target.clone();
        let second = std::thread::spawn(move || {
            let tx2 = tx.clone();
            let held = lock(&t, move || tx2.send("wacht").unwrap()).unwrap();
            tx.send("heeft").unwrap();
            drop(held);
        });
        assert_eq!(rx.recv().unwrap(), "wacht");
        assert!(rx.try_recv().is_err(), "the second writer did not wait");
        drop(first_writer);
        assert_eq!(rx.recv().unwrap(), "heeft");
        second.join().unwrap();
        assert_eq!(names(&root), Vec::<String>::new(), "the lock file stays");
    }
}
