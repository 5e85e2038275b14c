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
const MANIFEST_KOP: &str = "# taakstelling manifest 1";

/// The largest manifest read: 100 periods take about 60 KB.
const MANIFEST_MAX: u64 = 16 << 20;

/// How many entries a refusal names before it says how many more there are.
const NOEM_MAX: usize = 5;

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
    #[error("refusing to use {} as the output folder: {reden}", map.display())]
    Refused { map: PathBuf, reden: String },
    /// Writing failed before the new output was in place. Nothing was changed.
    #[error("cannot write {}: {bron}; nothing was changed", pad.display())]
    Write { pad: PathBuf, bron: io::Error },
    /// The previous output was moved aside and could not be put back.
    #[error(
        "the previous output was moved aside to {} and could not be put back: {bron}; \
         the next build puts it back",
        pad.display()
    )]
    Restore { pad: PathBuf, bron: io::Error },
    /// The new output is in place, but the previous one could not be removed.
    #[error(
        "the new output is in place, but the previous one, moved aside to {}, could not be removed: {bron}",
        pad.display()
    )]
    Cleanup { pad: PathBuf, bron: io::Error },
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

fn schrijven(pad: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |bron| OutputError::Write {
        pad: pad.to_path_buf(),
        bron,
    }
}

fn geweigerd<T>(map: &Path, reden: impl Into<String>) -> Result<T, OutputError> {
    Err(OutputError::Refused {
        map: map.to_path_buf(),
        reden: reden.into(),
    })
}

/// A relative path that stays inside the folder it is joined to, as `/`-separated text.
fn relatief(p: &Path) -> Option<String> {
    let delen: Option<Vec<&str>> = p
        .components()
        .map(|c| match c {
            Component::Normal(d) => d.to_str(),
            _ => None,
        })
        .collect();
    let delen = delen?;
    (!delen.is_empty()).then(|| delen.join("/"))
}

/// The files a build wrote in an output folder. Folders are implied by the files.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Manifest {
    bestanden: BTreeSet<String>,
}

impl Manifest {
    /// Every folder that holds a listed file, relative to the output folder.
    fn mappen(&self) -> BTreeSet<String> {
        let mut mappen = BTreeSet::new();
        for f in &self.bestanden {
            let mut rest = f.as_str();
            while let Some((map, _)) = rest.rsplit_once('/') {
                mappen.insert(map.to_string());
                rest = map;
            }
        }
        mappen
    }

    /// The manifest as written: deterministic (sorted, no date), one file a line.
    fn tekst(&self) -> String {
        let mut s = format!(
            "{MANIFEST_KOP}\n\
             # The files the last build of taakstelling wrote in this folder. A build replaces\n\
             # this folder only while it holds these files and nothing else. Do not edit.\n"
        );
        for f in &self.bestanden {
            s.push_str(f);
            s.push('\n');
        }
        s
    }

    fn lees(tekst: &str) -> Option<Manifest> {
        let mut regels = tekst.lines();
        if regels.next()? != MANIFEST_KOP {
            return None;
        }
        let mut bestanden = BTreeSet::new();
        for r in regels.filter(|r| !r.starts_with('#')) {
            let pad = relatief(Path::new(r)).filter(|p| p == r && p != MANIFEST)?;
            bestanden.insert(pad);
        }
        Some(Manifest { bestanden })
    }
}

/// What a folder is, for a build that would replace it.
enum Staat {
    Afwezig,
    Leeg,
    Eigen(Manifest),
}

/// A list of names for a message: the first few, and how many more.
fn noem(namen: &[String]) -> String {
    let mut s = namen
        .iter()
        .take(NOEM_MAX)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if namen.len() > NOEM_MAX {
        s.push_str(&format!(" and {} more", namen.len() - NOEM_MAX));
    }
    s
}

/// Whether a top-level name is one a build of this tool writes; for the hint that an
/// output written before manifests existed can simply be deleted.
fn lijkt_uitvoer(naam: &str) -> bool {
    matches!(naam, "index.html" | "index.md" | "grafiek-historie.svg")
        || crate::kalender::Periode::parse(naam).is_some()
}

/// Finds out whether `top` is absent, empty, or written by an earlier build and holding
/// nothing else. Anything else is refused, naming what is in the way.
fn eigendom(top: &Path) -> Result<Staat, OutputError> {
    let md = match fs::symlink_metadata(top) {
        Ok(md) => md,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Staat::Afwezig),
        Err(e) => return geweigerd(top, format!("cannot look at it: {e}")),
    };
    if md.file_type().is_symlink() {
        return geweigerd(
            top,
            "it is a symbolic link; give the folder it points to instead",
        );
    }
    if !md.is_dir() {
        return geweigerd(top, "it is a file, not a folder");
    }
    let lees_map = |map: &Path| -> Result<Vec<(String, fs::FileType)>, OutputError> {
        let mut namen = Vec::new();
        let entries = fs::read_dir(map)
            .or_else(|e| geweigerd(top, format!("cannot see what {} holds: {e}", map.display())))?;
        for e in entries {
            let e = e.or_else(|e| {
                geweigerd(top, format!("cannot see what {} holds: {e}", map.display()))
            })?;
            let soort = e.file_type().or_else(|fout| {
                geweigerd(
                    top,
                    format!("cannot look at {}: {fout}", e.path().display()),
                )
            })?;
            namen.push((e.file_name().to_string_lossy().into_owned(), soort));
        }
        namen.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(namen)
    };
    let bovenin = lees_map(top)?;
    if bovenin.is_empty() {
        return Ok(Staat::Leeg);
    }
    let manifest_pad = top.join(MANIFEST);
    let manifest = match fs::symlink_metadata(&manifest_pad) {
        Ok(md) if md.is_file() && md.len() <= MANIFEST_MAX => fs::read(&manifest_pad)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|t| Manifest::lees(&t)),
        Ok(_) => None,
        Err(_) => {
            let namen: Vec<String> = bovenin.iter().map(|(n, _)| n.clone()).collect();
            let mut reden = format!(
                "it is not empty and taakstelling did not write it (it has no {MANIFEST}); \
                 it holds {}. A build replaces only a folder that is absent, empty or \
                 written by an earlier build",
                noem(&namen)
            );
            if namen.iter().all(|n| lijkt_uitvoer(n)) {
                reden.push_str(
                    ". If it is the output of a taakstelling older than this one, \
                     delete it and build again",
                );
            }
            return geweigerd(top, reden);
        }
    };
    let Some(manifest) = manifest else {
        return geweigerd(
            top,
            format!("its {MANIFEST} is not a manifest taakstelling writes"),
        );
    };
    // Everything in the folder must be listed: a file as a file, a folder as a folder.
    let mappen = manifest.mappen();
    let mut vreemd: Vec<String> = Vec::new();
    let mut te_doen: Vec<(String, Vec<(String, fs::FileType)>)> = vec![(String::new(), bovenin)];
    while let Some((voor, namen)) = te_doen.pop() {
        for (naam, soort) in namen {
            let rel = if voor.is_empty() {
                naam.clone()
            } else {
                format!("{voor}/{naam}")
            };
            if voor.is_empty() && naam == MANIFEST && soort.is_file() {
                continue;
            }
            if soort.is_dir() && mappen.contains(&rel) {
                te_doen.push((rel.clone(), lees_map(&top.join(&rel))?));
            } else if soort.is_file() && manifest.bestanden.contains(&rel) {
                continue;
            } else {
                vreemd.push(rel);
            }
        }
    }
    if !vreemd.is_empty() {
        vreemd.sort();
        return geweigerd(
            top,
            format!(
                "it holds what taakstelling did not write: {}. A build would delete that; \
                 move it out of the folder (or delete it) and build again",
                noem(&vreemd)
            ),
        );
    }
    Ok(Staat::Eigen(manifest))
}

/// Whether this process may create and delete entries in `map`. A folder without any
/// write permission counts as read-only for everyone, the superuser too: it was made
/// read-only on purpose.
fn schrijfbaar(map: &Path) -> bool {
    let Ok(md) = fs::metadata(map) else {
        return false;
    };
    if md.permissions().readonly() {
        return false;
    }
    #[cfg(unix)]
    {
        use rustix::fs::Access;
        rustix::fs::access(map, Access::WRITE_OK | Access::EXEC_OK).is_ok()
    }
    #[cfg(not(unix))]
    true
}

/// The path without `.` parts and trailing separators (`output/.` is `output`), as the
/// renames need it.
fn schoon(p: &Path) -> PathBuf {
    p.components().collect()
}

/// Refuses `..` after a folder that does not exist (`new/../output`): the system cannot
/// resolve such a path, so the folders beside the output would not be where it is.
fn controleer_pad(target: &Path) -> Result<(), OutputError> {
    let mut pad = PathBuf::new();
    let mut ontbreekt = false;
    for c in target.components() {
        if ontbreekt && c == Component::ParentDir {
            return geweigerd(
                target,
                "`..` follows a folder that does not exist; give the path without it",
            );
        }
        pad.push(c);
        ontbreekt = ontbreekt || fs::symlink_metadata(&pad).is_err();
    }
    Ok(())
}

/// The folder that holds `top`.
fn ouder(top: &Path) -> PathBuf {
    match top.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Checks that a build can do everything it needs without a failure halfway: create the
/// staging folder beside `top` and rename, and remove every folder of the previous output.
fn controleer_schrijfbaar(top: &Path, staat: &Staat) -> Result<(), OutputError> {
    let read_only = |map: &Path, waarom: &str| {
        geweigerd(
            top,
            format!(
                "{} is read-only (no permission to write in it), {waarom}",
                map.display()
            ),
        )
    };
    match staat {
        Staat::Afwezig => {
            // The nearest folder that exists is where the first new folder is made.
            let mut map = ouder(top);
            while fs::symlink_metadata(&map).is_err() {
                map = match map.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => PathBuf::from("."),
                };
            }
            if !fs::metadata(&map).is_ok_and(|m| m.is_dir()) {
                return geweigerd(
                    top,
                    format!(
                        "{} is not a folder, so the output folder cannot be made in it",
                        map.display()
                    ),
                );
            }
            if !schrijfbaar(&map) {
                return read_only(&map, "so the output folder cannot be made in it");
            }
        }
        Staat::Leeg | Staat::Eigen(_) => {
            let map = ouder(top);
            if !schrijfbaar(&map) {
                return read_only(&map, "so the output folder in it cannot be replaced");
            }
            let mut mappen = vec![top.to_path_buf()];
            if let Staat::Eigen(m) = staat {
                mappen.extend(
                    m.mappen()
                        .iter()
                        .map(|d| top.join(d))
                        .filter(|d| d.is_dir()),
                );
            }
            for map in mappen {
                if !schrijfbaar(&map) {
                    return read_only(&map, "so a build cannot replace what is in it");
                }
            }
        }
    }
    Ok(())
}

/// A path made absolute the way the system would resolve it: the part that exists with
/// its symbolic links resolved, the rest (which a build would create) taken as written.
fn volledig(p: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(p)?;
    let delen: Vec<Component> = abs.components().collect();
    for i in (1..=delen.len()).rev() {
        let bestaand: PathBuf = delen[..i].iter().collect();
        if let Ok(mut uit) = fs::canonicalize(&bestaand) {
            for d in &delen[i..] {
                match d {
                    Component::ParentDir => {
                        uit.pop();
                    }
                    Component::Normal(n) => uit.push(n),
                    _ => {}
                }
            }
            return Ok(uit);
        }
    }
    Ok(abs)
}

/// Decides whether a build may write into `target`, before anything is built or written,
/// and touches nothing. Refused (exit 2): the current folder or one above it; a folder
/// that is, holds or lies inside one of `beschermd` (such as `("inputs", inputs)`); a
/// folder inside the output of an earlier build; a symbolic link or a file; a folder that
/// is not empty and was not written by a build, or that holds anything its manifest does
/// not list; a read-only folder.
pub fn check_target(target: &Path, beschermd: &[(&str, &Path)]) -> Result<(), OutputError> {
    let target = &schoon(target);
    controleer_pad(target)?;
    let los = |e: io::Error| OutputError::Refused {
        map: target.to_path_buf(),
        reden: format!("cannot tell where it is: {e}"),
    };
    let doel = volledig(target).map_err(los)?;
    if volledig(Path::new(".")).map_err(los)?.starts_with(&doel) {
        return geweigerd(target, "it is the current folder or holds it");
    }
    for (wat, p) in beschermd {
        let p_vol = volledig(p).map_err(los)?;
        if p_vol.starts_with(&doel) {
            return geweigerd(
                target,
                format!("it is or holds the {wat} folder {}", p.display()),
            );
        }
        if doel.starts_with(&p_vol) {
            return geweigerd(
                target,
                format!("it lies inside the {wat} folder {}", p.display()),
            );
        }
    }
    if target.file_name().is_none() {
        return geweigerd(target, "give the folder by its name");
    }
    for boven in doel.ancestors().skip(1) {
        if fs::symlink_metadata(boven.join(MANIFEST)).is_ok_and(|m| m.is_file()) {
            return geweigerd(
                target,
                format!(
                    "it lies inside {}, the output folder of an earlier build, which a \
                     build of it would replace",
                    boven.display()
                ),
            );
        }
    }
    let staat = eigendom(target)?;
    controleer_schrijfbaar(target, &staat)
}

/// The lock of one writer of an output folder: an empty file `.NAME.lock` beside the
/// folder, locked with [`File::lock`] (`flock`). It is removed when the lock is let go;
/// a writer that waited for it checks that the file it locked is still the one named
/// there, and otherwise takes the new one. Folders created to hold the output are
/// removed again when they stay empty (a failed build).
pub struct Lock {
    top: PathBuf,
    pad: PathBuf,
    bestand: Option<File>,
    gemaakt: Vec<PathBuf>,
}

/// Whether `f` is the file that `pad` names now.
#[cfg(unix)]
fn zelfde(f: &File, pad: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (f.metadata(), fs::symlink_metadata(pad)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn zelfde(_f: &File, _pad: &Path) -> bool {
    true
}

/// Creates `map` and the folders above it that are missing; returns those it created.
fn maak_mappen(map: &Path) -> io::Result<Vec<PathBuf>> {
    let mut ontbreekt = Vec::new();
    let mut m = map.to_path_buf();
    while !m.as_os_str().is_empty() && fs::symlink_metadata(&m).is_err() {
        ontbreekt.push(m.clone());
        if !m.pop() {
            break;
        }
    }
    let mut gemaakt = Vec::new();
    for m in ontbreekt.into_iter().rev() {
        match fs::create_dir(&m) {
            Ok(()) => gemaakt.push(m),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                for m in gemaakt.iter().rev() {
                    let _ = fs::remove_dir(m);
                }
                return Err(e);
            }
        }
    }
    Ok(gemaakt)
}

/// Takes the lock of the output folder `top`; when another writer holds it, calls
/// `bij_wachten` and waits until it is free.
pub fn lock(top: &Path, bij_wachten: impl FnOnce()) -> Result<Lock, OutputError> {
    let top = &schoon(top);
    controleer_pad(top)?;
    let Some(naam) = top.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return geweigerd(top, "give the folder by its name");
    };
    let map = ouder(top);
    let gemaakt = maak_mappen(&map).map_err(schrijven(&map))?;
    let mut slot = Lock {
        top: top.to_path_buf(),
        pad: map.join(format!(".{naam}.lock")),
        bestand: None,
        gemaakt,
    };
    let mut bij_wachten = Some(bij_wachten);
    loop {
        if let Ok(md) = fs::symlink_metadata(&slot.pad)
            && (!md.is_file() || md.len() > 0)
        {
            return geweigerd(
                top,
                format!(
                    "{} is in the way of the lock a build takes there (it is not an empty \
                     file); move it away",
                    slot.pad.display()
                ),
            );
        }
        let f = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&slot.pad)
            .map_err(schrijven(&slot.pad))?;
        match f.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                if let Some(w) = bij_wachten.take() {
                    w();
                }
                f.lock().map_err(schrijven(&slot.pad))?;
            }
            Err(TryLockError::Error(e)) => return Err(schrijven(&slot.pad)(e)),
        }
        if zelfde(&f, &slot.pad) {
            slot.bestand = Some(f);
            return Ok(slot);
        }
        // The writer before removed its lock file when done; take the one there now.
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some(f) = self.bestand.take() {
            // Removed while still locked, so that a waiting writer sees that it is gone.
            if cfg!(unix) && zelfde(&f, &self.pad) {
                let _ = fs::remove_file(&self.pad);
            }
            drop(f);
        }
        for m in self.gemaakt.iter().rev() {
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
fn naast(top: &Path, tag: &str) -> PathBuf {
    let naam = top
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    ouder(top).join(format!(".{naam}.{tag}-{}", std::process::id()))
}

impl Lock {
    /// Repairs what a build killed halfway left beside the output folder: puts a previous
    /// output that was moved aside (`.output.oud-PID`) back in place when the output is
    /// missing, and removes staging folders (`.output.nieuw-PID`) and outputs moved aside
    /// that are no longer needed. A folder with such a name is touched only when its
    /// manifest lists everything in it; otherwise it is left as it is, with a warning
    /// (returned) unless it is empty.
    pub fn repair(&self) -> Result<Vec<String>, OutputError> {
        let mut meldingen = Vec::new();
        let Some(naam) = self
            .top
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
        else {
            return Ok(meldingen);
        };
        let map = ouder(&self.top);
        let Ok(entries) = fs::read_dir(&map) else {
            return Ok(meldingen);
        };
        let prefix = format!(".{naam}.");
        let mut resten: Vec<(bool, PathBuf)> = entries
            .flatten()
            .filter_map(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                let rest = n.strip_prefix(&prefix)?;
                let (oud, pid) = match (rest.strip_prefix("oud-"), rest.strip_prefix("nieuw-")) {
                    (Some(pid), _) => (true, pid),
                    (_, Some(pid)) => (false, pid),
                    _ => return None,
                };
                (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| (oud, e.path()))
            })
            .collect();
        // Outputs moved aside first, so that one is back before anything is removed.
        resten.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (oud, pad) in resten {
            match eigendom(&pad) {
                Ok(Staat::Eigen(_)) => {}
                // A build writes its manifest first, so an empty folder is not provably
                // ours (a user may have made it): leave it, and say nothing each build.
                Ok(Staat::Leeg) => continue,
                _ => {
                    meldingen.push(format!(
                        "left {} as it is: it is named like the leftover of an interrupted \
                         build, but taakstelling did not write all of it",
                        pad.display()
                    ));
                    continue;
                }
            }
            let repair = |r: io::Result<()>| {
                r.map_err(|bron| OutputError::Write {
                    pad: pad.clone(),
                    bron,
                })
            };
            if oud && fs::symlink_metadata(&self.top).is_err() {
                // The swap was interrupted after moving the old output aside: put it back.
                repair(fs::rename(&pad, &self.top))?;
            } else {
                repair(fs::remove_dir_all(&pad))?;
            }
        }
        Ok(meldingen)
    }

    /// Replaces the output folder by `bestanden` (paths relative to it) and a new
    /// manifest. With [`Replace::Folders`] only those folders and the files at the top
    /// (the index) are replaced: the other files of the previous output stay as they are,
    /// and a file of `bestanden` outside those folders is written only where the previous
    /// output lacks it (so the index never links to a missing file). Checks again, under
    /// the lock, that the folder may be replaced and can be, before anything is renamed;
    /// after an error the output is as it was and no staging folder remains.
    pub fn write(&self, bestanden: &[&OutputFile], vervang: &Replace) -> Result<(), OutputError> {
        let top = &self.top;
        let mut nieuw: Vec<(String, &OutputFile)> = Vec::new();
        let mut namen = BTreeSet::new();
        for b in bestanden {
            let Some(rel) = relatief(&b.path).filter(|r| r != MANIFEST) else {
                return Err(schrijven(top)(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "refusing to write {} outside the output folder",
                        b.path.display()
                    ),
                )));
            };
            if !namen.insert(rel.clone()) {
                return Err(schrijven(top)(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{} is written twice", b.path.display()),
                )));
            }
            nieuw.push((rel, b));
        }
        let staat = eigendom(top)?;
        controleer_schrijfbaar(top, &staat)?;
        let mut houden: Vec<String> = Vec::new();
        let mut te_schrijven: Vec<(String, &OutputFile)> = Vec::new();
        match (vervang, &staat) {
            (Replace::Folders(mappen), Staat::Eigen(oud)) => {
                let vervangen = |rel: &str| {
                    rel.split_once('/')
                        .is_none_or(|(map, _)| mappen.iter().any(|m| m == map))
                };
                let aanwezig = |rel: &str| {
                    oud.bestanden.contains(rel)
                        && fs::symlink_metadata(top.join(rel)).is_ok_and(|m| m.is_file())
                };
                for (rel, b) in nieuw {
                    if vervangen(&rel) || !aanwezig(&rel) {
                        te_schrijven.push((rel, b));
                    } else {
                        houden.push(rel);
                    }
                }
                houden.extend(
                    oud.bestanden
                        .iter()
                        .filter(|f| !vervangen(f) && !namen.contains(*f) && aanwezig(f))
                        .cloned(),
                );
            }
            _ => te_schrijven = nieuw,
        }
        let manifest = Manifest {
            bestanden: te_schrijven
                .iter()
                .map(|(rel, _)| rel.clone())
                .chain(houden.iter().cloned())
                .collect(),
        };

        let staging = naast(top, "nieuw");
        fs::create_dir(&staging).map_err(schrijven(&staging))?;
        let geschreven = (|| {
            // The manifest first: a staging folder left by a kill is then provably ours.
            fs::write(staging.join(MANIFEST), manifest.tekst()).map_err(schrijven(&staging))?;
            for (i, (rel, b)) in te_schrijven.iter().enumerate() {
                if i == te_schrijven.len() / 2 {
                    test_onderbreking("schrijven");
                }
                let pad = staging.join(rel);
                if let Some(dir) = pad.parent() {
                    fs::create_dir_all(dir).map_err(schrijven(dir))?;
                }
                fs::write(&pad, &b.content).map_err(schrijven(&pad))?;
            }
            for f in &houden {
                let (van, naar) = (top.join(f), staging.join(f));
                if let Some(dir) = naar.parent() {
                    fs::create_dir_all(dir).map_err(schrijven(dir))?;
                }
                // A link costs nothing; a file system without links gets a copy.
                fs::hard_link(&van, &naar)
                    .or_else(|_| fs::copy(&van, &naar).map(|_| ()))
                    .map_err(schrijven(&van))?;
            }
            Ok(())
        })();
        if let Err(e) = geschreven {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        swap_into_place(&staging, top, &naast(top, "oud"))
    }
}

/// The environment variable of the test hook [`test_onderbreking`].
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
fn test_onderbreking(punt: &str) {
    let Some(waarde) = std::env::var_os(TEST_KILL_AT) else {
        return;
    };
    if waarde == punt {
        std::process::abort();
    }
    if waarde == format!("{punt}:wacht").as_str() {
        std::thread::sleep(std::time::Duration::from_secs(60));
        std::process::abort();
    }
}

#[cfg(not(debug_assertions))]
fn test_onderbreking(_punt: &str) {}

/// Moves `staging` to `target`; an existing `target` is moved to `aside` first and
/// removed after. Until `staging` is in place every error puts things back as they were.
fn swap_into_place(staging: &Path, target: &Path, aside: &Path) -> Result<(), OutputError> {
    let terug = |pad: &Path, bron: io::Error| {
        let _ = fs::remove_dir_all(staging);
        Err(OutputError::Write {
            pad: pad.to_path_buf(),
            bron,
        })
    };
    if fs::symlink_metadata(target).is_err() {
        return match fs::rename(staging, target) {
            Ok(()) => Ok(()),
            Err(e) => terug(target, e),
        };
    }
    if let Err(e) = fs::rename(target, aside) {
        return terug(target, e);
    }
    test_onderbreking("wisselen");
    if let Err(e) = fs::rename(staging, target) {
        if let Err(e2) = fs::rename(aside, target) {
            let _ = fs::remove_dir_all(staging);
            return Err(OutputError::Restore {
                pad: aside.to_path_buf(),
                bron: io::Error::new(e2.kind(), format!("{e}; putting it back: {e2}")),
            });
        }
        return terug(target, e);
    }
    fs::remove_dir_all(aside).map_err(|bron| OutputError::Cleanup {
        pad: aside.to_path_buf(),
        bron,
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

    fn schrijf(top: &Path, bestanden: &[OutputFile], vervang: &Replace) -> Result<(), OutputError> {
        let slot = lock(top, || {})?;
        slot.repair()?;
        slot.write(&bestanden.iter().collect::<Vec<_>>(), vervang)
    }

    fn namen(dir: &Path) -> Vec<String> {
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
        let eerst = [
            OutputFile::new("a.txt", "1"),
            OutputFile::new("sub/b.txt", "2"),
        ];
        schrijf(&target, &eerst, &Replace::All).unwrap();
        assert_eq!(
            fs::read_to_string(target.join(MANIFEST)).unwrap(),
            format!(
                "{MANIFEST_KOP}\n# The files the last build of taakstelling wrote in this folder. \
                 A build replaces\n# this folder only while it holds these files and nothing \
                 else. Do not edit.\na.txt\nsub/b.txt\n"
            )
        );
        schrijf(&target, &[OutputFile::new("c.txt", "3")], &Replace::All).unwrap();
        assert!(!target.join("a.txt").exists());
        assert_eq!(fs::read_to_string(target.join("c.txt")).unwrap(), "3");
        assert_eq!(namen(&root), ["out"], "staging, aside or lock left behind");
        assert_eq!(namen(&target), [MANIFEST, "c.txt"]);
    }

    #[test]
    fn a_partial_write_keeps_the_other_folders_and_lists_them() {
        let root = tmp("partial");
        let target = root.join("out");
        let alles = [
            OutputFile::new("2025-I/a.txt", "1"),
            OutputFile::new("2025-II/b.txt", "2"),
            OutputFile::new("index.html", "i1"),
        ];
        schrijf(&target, &alles, &Replace::All).unwrap();
        // Every period built; only 2025-II is replaced. 2024-II was never written: it is
        // added, so that the index links to nothing missing.
        let deel = [
            OutputFile::new("2024-II/d.txt", "4"),
            OutputFile::new("2025-I/a.txt", "not written"),
            OutputFile::new("2025-II/c.txt", "3"),
            OutputFile::new("index.html", "i2"),
        ];
        schrijf(&target, &deel, &Replace::Folders(&["2025-II".into()])).unwrap();
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
        assert_eq!(namen(&root), ["out"]);
    }

    #[test]
    fn refuses_paths_outside_the_folder_and_keeps_the_old_output() {
        let root = tmp("escape");
        let target = root.join("out");
        schrijf(&target, &[OutputFile::new("a.txt", "old")], &Replace::All).unwrap();
        for bad in ["../x.txt", "/etc/x", "", MANIFEST] {
            assert!(
                schrijf(&target, &[OutputFile::new(bad, "x")], &Replace::All).is_err(),
                "{bad}"
            );
        }
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "old");
        assert!(!root.join("x.txt").exists());
        assert_eq!(namen(&root), ["out"]);
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
        let e = schrijf(&home, &[OutputFile::new("a", "x")], &Replace::All).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        assert_eq!(namen(&home), [".ssh"]);
        assert_eq!(
            fs::read_to_string(home.join(".ssh/id_ed25519")).unwrap(),
            "sleutel"
        );
        assert_eq!(namen(&root), ["home"]);

        // A user's file in an output: refused, named, kept.
        let out = root.join("out");
        schrijf(&out, &[OutputFile::new("p/a.txt", "1")], &Replace::All).unwrap();
        fs::write(out.join("p/eigen.txt"), "mine").unwrap();
        let e = schrijf(&out, &[OutputFile::new("p/a.txt", "2")], &Replace::All).unwrap_err();
        assert!(e.to_string().contains("p/eigen.txt"), "{e}");
        assert_eq!(fs::read_to_string(out.join("p/a.txt")).unwrap(), "1");
        assert_eq!(fs::read_to_string(out.join("p/eigen.txt")).unwrap(), "mine");
    }

    #[test]
    fn refuses_to_replace_inputs_or_a_folder_around_or_inside_them() {
        let root = tmp("doel");
        let inputs = root.join("inputs");
        fs::create_dir_all(inputs.join("bevolking")).unwrap();
        let beschermd = [("inputs", inputs.as_path())];
        for bad in [
            inputs.clone(),
            root.clone(),
            inputs.join("bevolking"),
            inputs.join("nieuw/output"),
            inputs.join("bevolking/../x"),
        ] {
            let e = check_target(&bad, &beschermd).unwrap_err();
            assert!(
                e.to_string().contains("inputs folder"),
                "{}: {e}",
                bad.display()
            );
        }
        assert!(check_target(Path::new("."), &[]).is_err());
        assert!(check_target(Path::new(".."), &[]).is_err());
        assert!(check_target(&root.join("output"), &beschermd).is_ok());
        assert!(check_target(&root.join("new/output"), &beschermd).is_ok());
        fs::write(root.join("bestand"), "x").unwrap();
        let e = check_target(&root.join("bestand"), &beschermd).unwrap_err();
        assert!(e.to_string().contains("a file, not a folder"), "{e}");
    }

    #[test]
    fn recovers_from_a_build_killed_during_the_swap() {
        let root = tmp("killed");
        let target = root.join("out");
        // Write an output, then simulate a kill after it was moved aside and before the
        // new one arrived, with a staging folder half written.
        schrijf(&target, &[OutputFile::new("a.txt", "old")], &Replace::All).unwrap();
        fs::rename(&target, root.join(".out.oud-999")).unwrap();
        fs::create_dir_all(root.join(".out.nieuw-999")).unwrap();
        fs::write(
            root.join(".out.nieuw-999").join(MANIFEST),
            format!("{MANIFEST_KOP}\na.txt\nb.txt\n"),
        )
        .unwrap();
        fs::write(root.join(".out.nieuw-999/a.txt"), "new").unwrap();
        let slot = lock(&target, || {}).unwrap();
        assert_eq!(slot.repair().unwrap(), Vec::<String>::new());
        drop(slot);
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "old");
        assert_eq!(namen(&root), ["out"]);
    }

    #[test]
    fn repair_leaves_an_empty_folder_named_like_a_leftover() {
        let root = tmp("repair-leeg");
        let target = root.join("out");
        for n in [".out.oud-7", ".out.nieuw-8"] {
            fs::create_dir_all(root.join(n)).unwrap();
        }
        let slot = lock(&target, || {}).unwrap();
        assert_eq!(slot.repair().unwrap(), Vec::<String>::new());
        drop(slot);
        assert_eq!(namen(&root), [".out.nieuw-8", ".out.oud-7"]);
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
            format!("{MANIFEST_KOP}\na\n"),
        )
        .unwrap();
        fs::write(root.join(".out.nieuw-3/b"), "mine").unwrap();
        let slot = lock(&target, || {}).unwrap();
        let meldingen = slot.repair().unwrap();
        assert_eq!(meldingen.len(), 3, "{meldingen:?}");
        drop(slot);
        assert_eq!(namen(&root), [".out.nieuw-2", ".out.nieuw-3", ".out.oud-1"]);
        assert!(
            !target.exists(),
            "a folder not written by a build was put in place"
        );
    }

    #[test]
    fn reads_only_manifests_it_writes() {
        let m = Manifest {
            bestanden: ["a/b.txt".to_string(), "c".to_string()].into(),
        };
        assert_eq!(Manifest::lees(&m.tekst()), Some(m.clone()));
        assert_eq!(
            m.mappen().into_iter().collect::<Vec<_>>(),
            ["a".to_string()]
        );
        for bad in [
            "a.txt\n",
            "# taakstelling manifest 1\n../x\n",
            "# taakstelling manifest 1\n/x\n",
        ] {
            assert_eq!(Manifest::lees(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_second_writer_waits_for_the_first() {
        let root = tmp("slot");
        let target = root.join("out");
        let eerste = lock(&target, || {}).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let t = target.clone();
        let tweede = std::thread::spawn(move || {
            let tx2 = tx.clone();
            let slot = lock(&t, move || tx2.send("wacht").unwrap()).unwrap();
            tx.send("heeft").unwrap();
            drop(slot);
        });
        assert_eq!(rx.recv().unwrap(), "wacht");
        assert!(rx.try_recv().is_err(), "the second writer did not wait");
        drop(eerste);
        assert_eq!(rx.recv().unwrap(), "heeft");
        tweede.join().unwrap();
        assert_eq!(namen(&root), Vec::<String>::new(), "the lock file stays");
    }
}
