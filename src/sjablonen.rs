//! `taakstelling templates export DIR`: the embedded templates written out, to
//! start a folder for `--templates DIR`. Such a folder overrides the embedded
//! templates file by file, so it may keep only the files it changes: the
//! Markdown templates, the page shell and the Word reference document.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::template_files;

/// Why the templates could not be exported.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ExportError {
    #[error("{} already exist(s) in {}; nothing was written (use --force to overwrite)", .bestaand.join(", "), .map.display())]
    Bestaat { map: PathBuf, bestaand: Vec<String> },
    #[error("cannot write {}: {bron}", .pad.display())]
    Schrijven { pad: PathBuf, bron: io::Error },
}

/// Writes every embedded template into `map` (created when missing). Without `force`
/// nothing is written when any of the files exists. Returns the files written.
pub fn export(map: &Path, force: bool) -> Result<Vec<PathBuf>, ExportError> {
    if !force {
        let bestaand: Vec<String> = template_files()
            .filter(|(naam, _)| map.join(naam).exists())
            .map(|(naam, _)| naam.to_string())
            .collect();
        if !bestaand.is_empty() {
            return Err(ExportError::Bestaat {
                map: map.to_path_buf(),
                bestaand,
            });
        }
    }
    let fout = |pad: &Path| {
        let pad = pad.to_path_buf();
        move |bron| ExportError::Schrijven { pad, bron }
    };
    fs::create_dir_all(map).map_err(fout(map))?;
    let mut geschreven = Vec::new();
    for (naam, inhoud) in template_files() {
        let pad = map.join(naam);
        fs::write(&pad, inhoud).map_err(fout(&pad))?;
        geschreven.push(pad);
    }
    Ok(geschreven)
}
