//! Writes one Markdown document as HTML, CommonMark and Word, for a quick look:
//!
//!     cargo run --example document_demo -- tests/fixtures/document/notitie.md output/2025-I /tmp/demo
//!
//! Arguments: the Markdown file, the folder whose `*.svg` files are its charts, and an output
//! folder that must not exist yet or be empty. It writes `NAME.html` (the body in a bare page),
//! `NAME.md`, `NAME.docx` and a copy of each chart there, and nothing else.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use taakstelling::document::{self, Charts, Metadata, Reference};

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [input, chart_dir, out] = args.as_slice() else {
        eprintln!("usage: document_demo INPUT.md CHART_FOLDER OUTPUT_FOLDER");
        return ExitCode::from(2);
    };
    match run(input, chart_dir, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(input: &Path, chart_dir: &Path, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        return Err(format!("{} is not empty", out.display()).into());
    }
    let source = std::fs::read_to_string(input)?;
    let mut charts = Charts::new();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(chart_dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "svg") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let svg = std::fs::read_to_string(&path)?;
            charts.insert(name.clone(), svg.clone())?;
            files.push((name, svg));
        }
    }
    let doc = document::parse(&source, &charts).map_err(|e| format!("{}: {e}", input.display()))?;
    let stem = input.file_stem().unwrap().to_string_lossy();
    let title = doc.title_text();
    std::fs::create_dir_all(out)?;
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
        title.replace('&', "&amp;").replace('<', "&lt;"),
        document::to_html(&doc)
    );
    std::fs::write(out.join(format!("{stem}.html")), page)?;
    std::fs::write(out.join(format!("{stem}.md")), document::to_markdown(&doc))?;
    let meta = Metadata::new(title, "Taakstelling huisvesting vergunninghouders");
    let docx = document::to_docx(&doc, &Reference::default(), &meta)?;
    std::fs::write(out.join(format!("{stem}.docx")), docx)?;
    for (name, svg) in files {
        std::fs::write(out.join(name), svg)?;
    }
    Ok(())
}
