//! Writing the documents atomically.
//!
//! A build writes everything into a fresh staging folder beside the target and
//! only then swaps it into place, so a failed or interrupted build never leaves
//! half an output: the previous output stays as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One file of a build, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bestand {
    pub pad: PathBuf,
    pub inhoud: Vec<u8>,
}

impl Bestand {
    pub fn new(pad: impl Into<PathBuf>, inhoud: impl Into<Vec<u8>>) -> Self {
        let mut inhoud = inhoud.into();
        // A build keeps every file in memory until all periods succeeded; a rendered
        // document's buffer can have up to twice the room it needs.
        inhoud.shrink_to_fit();
        Bestand {
            pad: pad.into(),
            inhoud,
        }
    }
}

/// Checks that a relative path stays inside the folder it is joined to.
fn is_safe_relative(p: &Path) -> bool {
    !p.as_os_str().is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// A temporary folder beside the output folder `top`, never inside it:
/// `.output.nieuw-PID` for the whole output, `.output.2025-I.nieuw-PID` for one
/// period folder `sub` in it. Renames stay on one file system.
fn sibling(top: &Path, sub: Option<&str>, tag: &str) -> PathBuf {
    let name = top
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let sub = sub.map(|s| format!(".{s}")).unwrap_or_default();
    top.with_file_name(format!(".{name}{sub}.{tag}-{}", std::process::id()))
}

/// Repairs what a build killed halfway left beside the output folder `top`: puts a
/// previous output (or period folder) that was moved aside back in place, and removes
/// staging folders. Every build calls this first, so that even a build that then fails
/// leaves the output as it was.
pub fn herstel(top: &Path) -> io::Result<()> {
    clean_leftovers(top)
}

/// Leftovers of an earlier build that was killed halfway: staging folders beside
/// `top`, and a previous output or period folder that was moved aside but not yet
/// removed.
fn clean_leftovers(top: &Path) -> io::Result<()> {
    let Some(parent) = top.parent() else {
        return Ok(());
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Some(name) = top.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Ok(());
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let prefix = format!(".{name}.");
    let mut entries: Vec<_> = entries.flatten().collect();
    // Folders moved aside first, so that an old output is back before its period folders.
    entries.sort_by_key(|e| e.file_name().len());
    for entry in entries {
        let n = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = n.strip_prefix(&prefix) else {
            continue;
        };
        let (sub, tag) = match rest.rsplit_once('.') {
            Some((sub, tag)) => (Some(sub), tag),
            None => (None, rest),
        };
        let pid = |t: &str| t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty();
        let target = match sub {
            Some(s) if is_safe_relative(Path::new(s)) => top.join(s),
            Some(_) => continue,
            None => top.to_path_buf(),
        };
        if tag.strip_prefix("oud-").is_some_and(pid) {
            if target.exists() {
                fs::remove_dir_all(entry.path())?;
            } else {
                // The swap was interrupted after moving the old folder aside: put it back.
                if let Some(dir) = target.parent() {
                    fs::create_dir_all(dir)?;
                }
                fs::rename(entry.path(), &target)?;
            }
        } else if tag.strip_prefix("nieuw-").is_some_and(pid) {
            fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// A path made absolute, with symbolic links resolved where it exists.
fn absoluut(p: &Path) -> io::Result<PathBuf> {
    fs::canonicalize(p).or_else(|_| std::path::absolute(p))
}

/// Refuses an output folder that a build must never replace, because replacing it
/// would delete what is not output: the current folder or a folder above it, a folder
/// that is or holds one of `beschermd` (the inputs, the templates), or a folder that
/// looks like a project (it has a `Cargo.toml` or `.git`).
pub fn controleer_doel(target: &Path, beschermd: &[&Path]) -> io::Result<()> {
    let weiger = |waarom: String| {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "refusing to use {} as the output folder: {waarom}",
                target.display()
            ),
        ))
    };
    let doel = absoluut(target)?;
    if absoluut(Path::new("."))?.starts_with(&doel) {
        return weiger("it is the current folder or holds it".to_string());
    }
    for p in beschermd {
        if p.exists() && absoluut(p)?.starts_with(&doel) {
            return weiger(format!("it is or holds {}", p.display()));
        }
    }
    for merk in ["Cargo.toml", ".git"] {
        if target.join(merk).exists() {
            return weiger(format!("it holds {merk}, so it is not an output folder"));
        }
    }
    Ok(())
}

/// Replaces the folder `target` by exactly `bestanden`, atomically per folder:
/// after an error the old folder is untouched and no staging folder remains.
pub fn vervang_map(target: &Path, bestanden: &[Bestand]) -> io::Result<()> {
    vervang(target, target, None, bestanden)
}

/// Replaces the folder `sub` (a period, such as `2025-I`) inside the output folder `top`
/// by exactly `bestanden`, leaving the rest of `top` as it is. The staging folder lies
/// beside `top`, so that no temporary folder ever appears inside the output.
pub fn vervang_deel(top: &Path, sub: &str, bestanden: &[Bestand]) -> io::Result<()> {
    if !is_safe_relative(Path::new(sub)) || sub.contains('.') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write the folder {sub:?} in the output folder"),
        ));
    }
    vervang(&top.join(sub), top, Some(sub), bestanden)
}

fn vervang(target: &Path, top: &Path, sub: Option<&str>, bestanden: &[Bestand]) -> io::Result<()> {
    if let Some(bad) = bestanden.iter().find(|b| !is_safe_relative(&b.pad)) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "refusing to write {} outside the output folder",
                bad.pad.display()
            ),
        ));
    }
    if let Some(parent) = top.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    clean_leftovers(top)?;
    let staging = sibling(top, sub, "nieuw");
    let result = (|| {
        fs::create_dir_all(&staging)?;
        for (i, b) in bestanden.iter().enumerate() {
            if i == bestanden.len() / 2 {
                test_onderbreking("schrijven");
            }
            let pad = staging.join(&b.pad);
            if let Some(dir) = pad.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::write(&pad, &b.inhoud)?;
        }
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        swap_into_place(&staging, target, &sibling(top, sub, "oud"))
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Replaces single files in the folder `root` (such as the index beside the period
/// folders), each atomically: written beside its target, then renamed over it.
/// Other files in `root` stay as they are.
pub fn vervang_bestanden(root: &Path, bestanden: &[Bestand]) -> io::Result<()> {
    if let Some(bad) = bestanden.iter().find(|b| !is_safe_relative(&b.pad)) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "refusing to write {} outside the output folder",
                bad.pad.display()
            ),
        ));
    }
    fs::create_dir_all(root)?;
    for b in bestanden {
        let target = root.join(&b.pad);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = sibling(&target, None, "nieuw");
        if let Err(e) = fs::write(&tmp, &b.inhoud).and_then(|()| fs::rename(&tmp, &target)) {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    }
    Ok(())
}

/// The environment variable of the test hook [`test_onderbreking`].
pub const TEST_ONDERBREKING: &str = "TAAKSTELLING_TEST_KILL_AT";

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
    let Some(waarde) = std::env::var_os(TEST_ONDERBREKING) else {
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
/// removed after.
fn swap_into_place(staging: &Path, target: &Path, aside: &Path) -> io::Result<()> {
    if target.exists() {
        fs::rename(target, aside)?;
        test_onderbreking("wisselen");
        if let Err(e) = fs::rename(staging, target) {
            fs::rename(aside, target)?;
            return Err(e);
        }
        fs::remove_dir_all(aside)?;
    } else {
        fs::rename(staging, target)?;
    }
    Ok(())
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

    #[test]
    fn replaces_the_folder_whole() {
        let root = tmp("replace");
        let target = root.join("out");
        vervang_map(
            &target,
            &[Bestand::new("a.txt", "1"), Bestand::new("sub/b.txt", "2")],
        )
        .unwrap();
        vervang_map(&target, &[Bestand::new("c.txt", "3")]).unwrap();
        assert!(!target.join("a.txt").exists());
        assert_eq!(fs::read_to_string(target.join("c.txt")).unwrap(), "3");
        let leftovers: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn refuses_paths_outside_the_folder_and_keeps_the_old_output() {
        let root = tmp("escape");
        let target = root.join("out");
        vervang_map(&target, &[Bestand::new("a.txt", "old")]).unwrap();
        for bad in ["../x.txt", "/etc/x", ""] {
            assert!(
                vervang_map(&target, &[Bestand::new(bad, "x")]).is_err(),
                "{bad}"
            );
        }
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "old");
        assert!(!root.join("x.txt").exists());
    }

    #[test]
    fn replaces_single_files_and_keeps_the_others() {
        let root = tmp("files");
        vervang_map(&root.join("out"), &[Bestand::new("p/a.txt", "a")]).unwrap();
        vervang_bestanden(&root.join("out"), &[Bestand::new("index.html", "1")]).unwrap();
        vervang_bestanden(&root.join("out"), &[Bestand::new("index.html", "2")]).unwrap();
        assert_eq!(
            fs::read_to_string(root.join("out/index.html")).unwrap(),
            "2"
        );
        assert_eq!(fs::read_to_string(root.join("out/p/a.txt")).unwrap(), "a");
        assert_eq!(fs::read_dir(root.join("out")).unwrap().count(), 2);
        assert!(vervang_bestanden(&root.join("out"), &[Bestand::new("../x", "x")]).is_err());
    }

    #[test]
    fn refuses_to_replace_inputs_or_a_project() {
        let root = tmp("doel");
        let inputs = root.join("inputs");
        fs::create_dir_all(&inputs).unwrap();
        assert!(controleer_doel(&inputs, &[&inputs]).is_err());
        assert!(controleer_doel(&root, &[&inputs]).is_err());
        assert!(controleer_doel(Path::new("."), &[]).is_err());
        assert!(controleer_doel(Path::new(".."), &[]).is_err());
        let project = root.join("project");
        fs::create_dir_all(&project).unwrap();
        fs::write(project.join("Cargo.toml"), "").unwrap();
        assert!(controleer_doel(&project, &[&inputs]).is_err());
        assert!(controleer_doel(&root.join("output"), &[&inputs]).is_ok());
        assert!(controleer_doel(&root.join("new/output"), &[&inputs]).is_ok());
    }

    #[test]
    fn recovers_from_a_build_killed_during_the_swap() {
        let root = tmp("killed");
        let target = root.join("out");
        // Simulate a kill after the old output was moved aside and before the new one arrived.
        let aside = root.join(".out.oud-999");
        fs::create_dir_all(&aside).unwrap();
        fs::write(aside.join("a.txt"), "old").unwrap();
        fs::create_dir_all(root.join(".out.nieuw-999")).unwrap();
        clean_leftovers(&target).unwrap();
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "old");
        assert_eq!(fs::read_dir(&root).unwrap().count(), 1);
    }
}
