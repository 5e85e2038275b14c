//! What a command has to say: one typed report of information, warnings and
//! errors, printed the same way by every command and shown in `serve`'s pages.

use std::fmt;
use std::io::IsTerminal;

use miette::{Diagnostic, ReportHandler};

/// An error in a report: a diagnostic with its source snippet (miette), or a line.
pub enum Problem {
    Diagnostic(Box<dyn Diagnostic + Send + Sync>),
    Line(String),
}

/// One entry of a report, in the order it happened.
pub enum Entry {
    /// A line as it is (`ok: inputs/2025-I.yaml (2025-I)`).
    Info(String),
    /// Printed as `warning: …`.
    Warning(String),
    /// Printed as `error: …`, or as a diagnostic; `code` is the exit code it asks for.
    Error { code: u8, problem: Problem },
}

/// Information, warnings and errors in order; the exit code follows from the errors.
#[derive(Default)]
pub struct Report {
    entries: Vec<Entry>,
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl Report {
    pub fn new() -> Self {
        Report::default()
    }

    pub fn info(&mut self, line: impl Into<String>) {
        self.entries.push(Entry::Info(line.into()));
    }

    pub fn warning(&mut self, line: impl Into<String>) {
        self.entries.push(Entry::Warning(line.into()));
    }

    /// An error shown as one line, `error: {error}`.
    pub fn error_line(&mut self, code: u8, error: impl fmt::Display) {
        self.entries.push(Entry::Error {
            code,
            problem: Problem::Line(error.to_string()),
        });
    }

    /// An error shown as a diagnostic: file, line, column and the snippet.
    pub fn diagnostic(&mut self, code: u8, error: impl Diagnostic + Send + Sync + 'static) {
        self.entries.push(Entry::Error {
            code,
            problem: Problem::Diagnostic(Box::new(error)),
        });
    }

    pub fn append(&mut self, other: Report) {
        self.entries.extend(other.entries);
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn has_errors(&self) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(e, Entry::Error { .. }))
    }

    /// 0 without errors, else the highest code an error asks for (2, wrong usage, over
    /// 1, a failed build).
    pub fn exit_code(&self) -> u8 {
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::Error { code, .. } => Some(*code),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    /// The report as text, the way the command line shows it.
    pub fn render(&self, color: bool) -> String {
        self.render_entries(color, |_| true)
    }

    /// Only the errors, without colours: what `serve` shows in a page.
    pub fn errors_text(&self) -> String {
        self.render_entries(false, |e| matches!(e, Entry::Error { .. }))
    }

    fn render_entries(&self, color: bool, keep: impl Fn(&Entry) -> bool) -> String {
        let handler = miette::MietteHandlerOpts::new()
            .color(color)
            .unicode(color)
            .terminal_links(false)
            .width(100)
            .build();
        let mut out = String::new();
        for e in self.entries.iter().filter(|e| keep(e)) {
            match e {
                Entry::Info(line) => out.push_str(line),
                Entry::Warning(line) => {
                    out.push_str("warning: ");
                    out.push_str(line);
                }
                Entry::Error {
                    problem: Problem::Line(line),
                    ..
                } => {
                    out.push_str("error: ");
                    out.push_str(line);
                }
                Entry::Error {
                    problem: Problem::Diagnostic(d),
                    ..
                } => out.push_str(&diagnostic_text(d.as_ref(), &handler)),
            }
            out.push('\n');
        }
        out
    }

    /// Prints the report on standard error, in colour on a terminal unless `NO_COLOR`.
    pub fn eprint(&self) {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!("{}", self.render(color));
    }
}

/// A diagnostic as miette's graphical handler writes it.
fn diagnostic_text(d: &dyn Diagnostic, handler: &miette::MietteHandler) -> String {
    struct Text<'a>(&'a dyn Diagnostic, &'a miette::MietteHandler);
    impl fmt::Debug for Text<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.1.debug(self.0, f)
        }
    }
    format!("{:?}", Text(d, handler))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_entries_and_takes_the_highest_exit_code() {
        let mut r = Report::new();
        assert_eq!(r.exit_code(), 0);
        r.warning("2025-I: late");
        r.error_line(1, "nothing was written");
        r.info("ok");
        r.error_line(2, "not a period");
        assert_eq!(r.exit_code(), 2);
        assert_eq!(
            r.render(false),
            "warning: 2025-I: late\nerror: nothing was written\nok\nerror: not a period\n"
        );
        assert_eq!(
            r.errors_text(),
            "error: nothing was written\nerror: not a period\n"
        );
    }
}
