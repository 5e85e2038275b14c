//! Builds the default Word reference document from its XML sources:
//!
//!     cargo run --example reference_docx -- templates/reference-docx templates/reference.docx
//!
//! The test `the_committed_reference_docx_is_built_from_its_sources` (tests/document_docx.rs) fails when the committed
//! `templates/reference.docx` differs from what its sources give.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [sources, target] = args.as_slice() else {
        eprintln!("usage: reference_docx SOURCE_FOLDER TARGET.docx");
        return ExitCode::from(2);
    };
    match taakstelling::document::reference_docx_from_dir(sources)
        .and_then(|bytes| std::fs::write(target, bytes))
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
