//! Input errors that name the file, line, column and field, and say what was
//! expected, with a source snippet (miette).

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde_saphyr::Location;
use std::path::Path;
use std::sync::Arc;
use thiserror::Error;

/// A place in an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: u64,
    pub column: u64,
    pub offset: usize,
    pub len: usize,
}

impl Pos {
    /// The position of a parsed value; `None` when the parser did not know it.
    pub fn of(loc: &Location) -> Option<Pos> {
        if loc.line() == 0 {
            return None;
        }
        let span = loc.span();
        Some(Pos {
            line: loc.line(),
            column: loc.column(),
            offset: span.byte_offset().unwrap_or(0) as usize,
            len: span.byte_len().unwrap_or(0) as usize,
        })
    }
}

/// The source text of a file, shared by all errors about it.
#[derive(Debug, Clone)]
pub struct Bron {
    pub naam: String,
    pub tekst: Arc<String>,
    /// The text as shown in snippets: control characters (other than line breaks and
    /// tabs) replaced by `?`, byte for byte, so that a file cannot send terminal escape
    /// codes through an error message.
    pub toon: Arc<String>,
}

impl Bron {
    /// The text of a file. A carriage return on its own (the line end of old Mac
    /// files) becomes a line feed, one byte for one, so that such a file reads as
    /// lines everywhere (YAML counts it as a line end, the rest of the tool would not)
    /// and every position stays where it was.
    pub fn new(path: &Path, text: String) -> Self {
        let text = Arc::new(lone_cr_to_lf(text));
        let control = |c: char| c.is_ascii_control() && !matches!(c, '\n' | '\r' | '\t');
        let shown = if text.contains(control) {
            Arc::new(text.replace(control, "?"))
        } else {
            text.clone()
        };
        Bron {
            naam: path.display().to_string(),
            tekst: text,
            toon: shown,
        }
    }
}

/// `text` with every lone `\r` (not followed by `\n`) replaced by `\n`.
fn lone_cr_to_lf(text: String) -> String {
    let b = text.as_bytes();
    let lone = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if !(0..b.len()).any(lone) {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // Only an ASCII byte was replaced by another.
    String::from_utf8(bytes).expect("still UTF-8")
}

/// The longest source line shown in a snippet, in bytes.
const MAX_SNIPPET_LINE: usize = 500;

/// The line of `text` that holds byte `offset`.
fn line_at(text: &str, offset: usize) -> &str {
    let offset = offset.min(text.len());
    let begin = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    &text[begin..end]
}

/// Whether the line at `offset` and the lines before and after it, which a snippet
/// shows, are each at most [`MAX_SNIPPET_LINE`] bytes long.
fn snippet_lines_short(text: &str, offset: usize) -> bool {
    let offset = offset.min(text.len());
    let begin = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let before = text[..begin.saturating_sub(1)]
        .rsplit('\n')
        .next()
        .filter(|_| begin > 0)
        .unwrap_or("");
    let after = text
        .get(end + 1..)
        .and_then(|t| t.split('\n').next())
        .unwrap_or("");
    [before, &text[begin..end], after]
        .iter()
        .all(|r| r.len() <= MAX_SNIPPET_LINE)
}

/// A position whose byte offset the parser did not know (0 away from the start)
/// gets it from its line and column, so that the snippet shows the right place.
fn with_offset(text: &str, mut p: Pos) -> Pos {
    let inside = p.offset <= text.len() && text.is_char_boundary(p.offset);
    if (p.offset == 0 && (p.line, p.column) != (1, 1)) || !inside {
        let begin = text
            .split_inclusive('\n')
            .take(p.line.saturating_sub(1) as usize)
            .map(str::len)
            .sum::<usize>();
        let line = line_at(text, begin);
        let column = line
            .char_indices()
            .nth(p.column.saturating_sub(1) as usize)
            .map_or(line.len(), |(i, _)| i);
        p.offset = (begin + column).min(text.len());
        p.len = p.len.min(text.len() - p.offset);
    }
    p
}

/// One problem in an input file.
#[derive(Debug, Error, Diagnostic)]
#[error("{location}: {field}: {message}")]
pub struct InputError {
    /// `file:line:column`, or the file alone when the place is unknown.
    pub location: String,
    /// Where in the file, when known.
    pub pos: Option<Pos>,
    /// Path of the field, such as `scenario_2.categorieen[1].inwilligingspercentage`.
    pub field: String,
    /// What was found and what was expected.
    pub message: String,
    #[source_code]
    pub src: NamedSource<Arc<String>>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl InputError {
    pub fn new(
        source: &Bron,
        pos: Option<Pos>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let location = match pos {
            Some(p) => format!("{}:{}:{}", source.naam, p.line, p.column),
            None => source.naam.clone(),
        };
        let message = message.into();
        let pos = pos.map(|p| with_offset(&source.tekst, p));
        InputError {
            pos,
            location,
            field: field.into(),
            label: "here".to_string(),
            src: NamedSource::new(source.naam.clone(), source.toon.clone()),
            // No snippet when it would show a line too long (a generated or minified file).
            span: pos
                .filter(|p| snippet_lines_short(&source.tekst, p.offset))
                .map(|p| SourceSpan::new(p.offset.into(), p.len.max(1))),
            message,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Everything wrong with one input file, reported at once.
#[derive(Debug, Error, Diagnostic)]
#[error("{file}: {} error(s) in the input", errors.len())]
pub struct InputErrors {
    pub file: String,
    #[related]
    pub errors: Vec<InputError>,
}

impl InputErrors {
    /// The report of a file with one error.
    pub fn one(e: InputError) -> Self {
        InputErrors {
            file: e.src.name().to_string(),
            errors: vec![e],
        }
    }
}

/// Collects the errors of one file while validating it.
pub struct ErrorCollector<'a> {
    pub source: &'a Bron,
    pub errors: Vec<InputError>,
}

impl<'a> ErrorCollector<'a> {
    pub fn new(source: &'a Bron) -> Self {
        ErrorCollector {
            source,
            errors: Vec::new(),
        }
    }

    pub fn push(&mut self, pos: Option<Pos>, field: impl Into<String>, message: impl Into<String>) {
        self.errors
            .push(InputError::new(self.source, pos, field, message));
    }

    pub fn at(&mut self, loc: &Location, field: impl Into<String>, message: impl Into<String>) {
        self.push(Pos::of(loc), field, message);
    }

    pub fn into_result<T>(self, value: T) -> Result<T, InputErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(InputErrors {
                file: self.source.naam.clone(),
                errors: self.errors,
            })
        }
    }
}
