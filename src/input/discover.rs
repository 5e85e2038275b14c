//! Which files in the inputs folder are periods.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::kalender::Periode;

/// The folder of the population tables, inside the inputs folder.
pub const BEVOLKING_FOLDER: &str = "bevolking";

/// Why the period files in the inputs folder could not be listed.
#[derive(Debug, Error)]
pub enum DiscoveryError {
    #[error("cannot read the inputs folder {}: {error}", folder.display())]
    Folder {
        folder: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "two files for period {periode}: {} and {}; a period is exactly one file, so keep one",
        a.display(),
        b.display()
    )]
    Duplicate {
        periode: Periode,
        a: PathBuf,
        b: PathBuf,
    },
    #[error("cannot read the period file {}: {error}", path.display())]
    File {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl DiscoveryError {
    /// The inputs folder does not exist (a build of files named on the command line
    /// needs none).
    pub fn is_missing_folder(&self) -> bool {
        matches!(self, DiscoveryError::Folder { error, .. } if error.kind() == std::io::ErrorKind::NotFound)
    }
}

/// The period file a name in the inputs folder stands for: `YYYY-I.yaml`, `YYYY-II.yml`.
pub fn period_of_file_name(name: &str) -> Option<Periode> {
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))?;
    Periode::parse(stem)
}

/// The period of a path by its file name (see [`period_of_file_name`]).
pub fn period_of_path(path: &Path) -> Option<Periode> {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(period_of_file_name)
}

/// Every period file in `inputs`, in period order: `YYYY-I.yaml` or `.yml` (such as
/// `2025-II.yml`) at the top of the folder, never in a subfolder (`bevolking/` holds the
/// population tables, an `archief/` folder old inputs). Other files are not periods and
/// are skipped. A period file that is a symbolic link is read like any file; two files
/// for one period, or a period file that cannot be read (a broken link, a folder), are
/// errors: a build that skipped it would remove that period's output.
pub fn discover_periods(inputs: &Path) -> Result<Vec<PathBuf>, DiscoveryError> {
    Ok(discover_by_period(inputs)?.into_values().collect())
}

/// [`discover_periods`] with the period of each file.
pub fn discover_by_period(inputs: &Path) -> Result<BTreeMap<Periode, PathBuf>, DiscoveryError> {
    let folder_error = |error| DiscoveryError::Folder {
        folder: inputs.to_path_buf(),
        error,
    };
    let mut found: BTreeMap<Periode, PathBuf> = BTreeMap::new();
    let mut entries: Vec<_> = std::fs::read_dir(inputs)
        .map_err(folder_error)?
        .collect::<Result<_, _>>()
        .map_err(folder_error)?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let Some(p) = entry.file_name().to_str().and_then(period_of_file_name) else {
            continue;
        };
        let path = entry.path();
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => {}
            Ok(_) => {
                return Err(DiscoveryError::File {
                    path,
                    error: std::io::Error::other(
                        "it is named like a period file but is not a file",
                    ),
                });
            }
            Err(error) => return Err(DiscoveryError::File { path, error }),
        }
        if let Some(a) = found.insert(p, path.clone()) {
            return Err(DiscoveryError::Duplicate {
                periode: p,
                a,
                b: path,
            });
        }
    }
    Ok(found)
}
