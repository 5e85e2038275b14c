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

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    target.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Leftovers of an earlier build that was killed halfway: staging folders beside
/// `target`, and a previous output that was moved aside but not yet removed.
fn clean_leftovers(target: &Path) -> io::Result<()> {
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Ok(());
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let staging = format!(".{name}.nieuw-");
    let aside = format!(".{name}.oud-");
    for entry in entries.flatten() {
        let n = entry.file_name().to_string_lossy().into_owned();
        if n.starts_with(&aside) && !target.exists() {
            // The swap was interrupted after moving the old output aside: put it back.
            fs::rename(entry.path(), target)?;
        } else if n.starts_with(&staging) || n.starts_with(&aside) {
            fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// Replaces the folder `target` by exactly `bestanden`, atomically per folder:
/// after an error the old folder is untouched and no staging folder remains.
pub fn vervang_map(target: &Path, bestanden: &[Bestand]) -> io::Result<()> {
    if let Some(bad) = bestanden.iter().find(|b| !is_safe_relative(&b.pad)) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "refusing to write {} outside the output folder",
                bad.pad.display()
            ),
        ));
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    clean_leftovers(target)?;
    let staging = sibling(target, "nieuw");
    let result = (|| {
        fs::create_dir_all(&staging)?;
        for b in bestanden {
            let pad = staging.join(&b.pad);
            if let Some(dir) = pad.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::write(&pad, &b.inhoud)?;
        }
        swap_into_place(&staging, target)
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Moves `staging` to `target`; an existing `target` is moved aside first and removed after.
fn swap_into_place(staging: &Path, target: &Path) -> io::Result<()> {
    if target.exists() {
        let aside = sibling(target, "oud");
        fs::rename(target, &aside)?;
        if let Err(e) = fs::rename(staging, target) {
            fs::rename(&aside, target)?;
            return Err(e);
        }
        fs::remove_dir_all(&aside)?;
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
