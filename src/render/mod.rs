//! Rendering documents with Tera 2: embedded default templates, overridable
//! file by file, and the Dutch formatting filters the templates use.
//!
//! Templates only format: every number they show comes from the engine. An
//! undefined variable fails the render (Tera 2's default), so a document never
//! shows a blank where a figure belongs.

pub mod context;
pub mod formats;
pub mod markdown;
pub mod verdeling_csv;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tera::{Context, Kwargs, State, Tera, Value};

use context::TemplateContext;
use thiserror::Error;

use crate::document::Reference;
use crate::kalender::Datum;
use crate::nl;

/// The default templates, embedded so that an installed binary works anywhere.
///
/// One Markdown template per document (see [`formats`]); the partials they
/// include; the page shell of the HTML documents. The Word styles come from
/// [`REFERENCE_DOCX`], which is not text.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("notitie.md", include_str!("../../templates/notitie.md")),
    (
        "bekendmaking.md",
        include_str!("../../templates/bekendmaking.md"),
    ),
    (
        "circulaire.md",
        include_str!("../../templates/circulaire.md"),
    ),
    (
        "bijstelling-notitie.md",
        include_str!("../../templates/bijstelling-notitie.md"),
    ),
    (
        "bijstelling-bekendmaking.md",
        include_str!("../../templates/bijstelling-bekendmaking.md"),
    ),
    (
        "bijstelling-circulaire.md",
        include_str!("../../templates/bijstelling-circulaire.md"),
    ),
    (
        "bijstelling_evaluatie.md",
        include_str!("../../templates/bijstelling_evaluatie.md"),
    ),
    ("index.md", include_str!("../../templates/index.md")),
    ("grafiek.md", include_str!("../../templates/grafiek.md")),
    (
        "grafiek_figuur.md",
        include_str!("../../templates/grafiek_figuur.md"),
    ),
    (
        "grafiek_tabel.md",
        include_str!("../../templates/grafiek_tabel.md"),
    ),
    (
        "verdeling_provincies.md",
        include_str!("../../templates/verdeling_provincies.md"),
    ),
    (
        "verdeling_regel.md",
        include_str!("../../templates/verdeling_regel.md"),
    ),
    (
        "evaluatie_afspraken.md",
        include_str!("../../templates/evaluatie_afspraken.md"),
    ),
    ("positie.txt", include_str!("../../templates/positie.txt")),
    (
        "documentnaam.txt",
        include_str!("../../templates/documentnaam.txt"),
    ),
    (
        "formaatnaam.txt",
        include_str!("../../templates/formaatnaam.txt"),
    ),
    (formats::PAGINA, include_str!("../../templates/pagina.html")),
];

/// The reference document of the Word files: its styles and page layout
/// (`templates/reference.docx`, built from `templates/reference-docx/`).
pub const REFERENCE_DOCX: &str = "reference.docx";

/// Every file of the default templates, as `templates export` writes them.
pub fn template_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    TEMPLATES
        .iter()
        .map(|(name, text)| (*name, text.as_bytes()))
        .chain([(REFERENCE_DOCX, crate::document::DEFAULT_REFERENCE_DOCX)])
}

#[derive(Debug, Error, miette::Diagnostic)]
pub enum RenderError {
    #[error("cannot read template {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error("chart {name}: {message}")]
    Chart { name: String, message: String },
    #[error("template {name}: the filled-in document breaks a convention of the Markdown flavour")]
    Document {
        name: String,
        #[diagnostic_source]
        source: crate::document::ParseError,
    },
    #[error("{} is not a reference document for Word: {message}", path.display())]
    Reference { path: PathBuf, message: String },
    #[error("{name}: {message}")]
    Word { name: String, message: String },
}

fn tera_error(name: &str, e: tera::Error) -> RenderError {
    // Tera's Display is terse; its source chain holds the useful part.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    RenderError::Template {
        name: name.to_string(),
        message,
    }
}

/// Compiled templates with the project's filters.
///
/// Two sets, each with its own escaping of every `{{ value }}`: the HTML
/// templates escape HTML (Tera's default), the Markdown templates pass every
/// value through [`markdown::letterlijk`], so no value can reach a Markdown
/// document unescaped, whether a template names a filter or not. The `.txt`
/// parts are in both and escape as the document that includes them.
pub struct Renderer {
    html: Tera,
    md: Tera,
    /// The styles and page layout of the Word documents.
    reference: Reference,
}

/// Whether a template belongs to the Markdown set.
fn is_markdown(name: &str) -> bool {
    name.ends_with(".md")
}

/// The reference document: `DIR/reference.docx` when the overrides have one.
fn reference(overrides: Option<&Path>) -> Result<Reference, RenderError> {
    match overrides.map(|d| d.join(REFERENCE_DOCX)) {
        Some(path) if path.is_file() => {
            let bytes = std::fs::read(&path).map_err(|source| RenderError::Read {
                path: path.clone(),
                source,
            })?;
            Reference::from_bytes(&bytes).map_err(|e| RenderError::Reference { path, message: e.0 })
        }
        _ => Ok(Reference::default()),
    }
}

impl Renderer {
    /// The embedded templates, each replaced by a file of the same name in `overrides`
    /// when that folder has one.
    pub fn new(overrides: Option<&Path>) -> Result<Self, RenderError> {
        let mut html = Tera::new();
        let mut md = Tera::new();
        // Filters first: Tera 2 checks filter names when a template is added.
        register_filters(&mut html);
        register_filters(&mut md);
        md.autoescape_on(vec![".md"]);
        md.set_escape_fn(markdown::escape_fn);
        let mut html_sources: Vec<(String, String)> = Vec::new();
        let mut md_sources: Vec<(String, String)> = Vec::new();
        for (name, text) in TEMPLATES {
            let text = match overrides.map(|d| d.join(name)) {
                Some(path) if path.is_file() => std::fs::read_to_string(&path)
                    .map_err(|source| RenderError::Read { path, source })?,
                _ => (*text).to_string(),
            };
            let source = (name.to_string(), text);
            if is_markdown(name) {
                md_sources.push(source);
            } else if name.ends_with(".txt") {
                md_sources.push(source.clone());
                html_sources.push(source);
            } else {
                html_sources.push(source);
            }
        }
        html.add_raw_templates(html_sources)
            .map_err(|e| tera_error("(compile)", e))?;
        md.add_raw_templates(md_sources)
            .map_err(|e| tera_error("(compile)", e))?;
        Ok(Renderer {
            html,
            md,
            reference: reference(overrides)?,
        })
    }

    /// Every document of a kind with its typed context, in every format of the
    /// kind: (document, format, bytes) in the order of [`TemplateContext::DOCUMENTEN`]
    /// and [`TemplateContext::FORMATEN`]. `charts` are the charts the documents may
    /// show. See [`Renderer::render_folder`] for documents of several kinds.
    pub fn render_documents<C: TemplateContext>(
        &self,
        context: &C,
        charts: &crate::document::Charts,
    ) -> Result<Vec<(String, formats::Format, Vec<u8>)>, RenderError> {
        let tera_context = formats::tera_context(context)?;
        let sources: Vec<formats::Source<'_>> = C::DOCUMENTEN
            .iter()
            .map(|name| formats::Source {
                name,
                context: &tera_context,
                formats: C::FORMATEN,
            })
            .collect();
        self.render_folder(&sources, charts, 0)
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, RenderError> {
        let tera = if is_markdown(name) {
            &self.md
        } else {
            &self.html
        };
        tera.render(name, context).map_err(|e| tera_error(name, e))
    }
}

fn register_filters(tera: &mut Tera) {
    tera.register_filter("getal", |n: i64, _: Kwargs, _: &State| nl::getal(n));
    tera.register_filter("getal_teken", |n: i64, _: Kwargs, _: &State| {
        getal_met_teken(n)
    });
    tera.register_filter("datum_nl", |s: &str, _: Kwargs, _: &State| {
        Datum::parse(s).map(Datum::nl).ok_or_else(|| {
            tera::Error::message(format!("datum_nl: {s:?} is not a YYYY-MM-DD date"))
        })
    });
    // Counts in running text: "1 maand", "5 maanden"; "één" to "twintig"; "derde".
    tera.register_filter("maanden", |n: i64, _: Kwargs, _: &State| nl::maanden(n));
    tera.register_filter("telwoord", |n: i64, _: Kwargs, _: &State| nl::telwoord(n));
    tera.register_filter("rangtelwoord", |n: i64, _: Kwargs, _: &State| {
        nl::rangtelwoord(n)
    });
    // The id of a heading with this text, for a link to it (`#fryslân`).
    tera.register_filter("anker", |s: &str, _: Kwargs, _: &State| {
        crate::document::slug(s)
    });
    // Text inside a CSS string (the page shell's running footer).
    tera.register_filter("css_tekst", |s: &str, _: Kwargs, _: &State| {
        Value::safe_string(&css_tekst(s))
    });
    // Markdown fields: made safe here, so marked safe for the Markdown escaping.
    tera.register_filter("md_tekst", |s: &str, _: Kwargs, _: &State| {
        Value::safe_string(&markdown::tekst(s))
    });
    tera.register_filter("md_cel", |s: &str, _: Kwargs, _: &State| {
        Value::safe_string(&markdown::cel(s))
    });
}

/// Text as the content of a double-quoted CSS string inside `<style>`: every
/// character other than a letter, digit, space or common punctuation as a CSS
/// escape, so that no quote, backslash, line break or `</style>` can end it.
fn css_tekst(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() || matches!(c, ' ' | '.' | ',' | ':' | ';' | '-' | '(' | ')') {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:x} ", u32::from(c));
        }
    }
    out
}

/// A change with its sign: `+12`, `-1.250`, `0`.
fn getal_met_teken(n: i64) -> String {
    if n > 0 {
        format!("+{}", nl::getal(n))
    } else {
        nl::getal(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_show_their_sign() {
        let mut ctx = Context::new();
        ctx.insert("a", &12);
        ctx.insert("b", &-1250);
        ctx.insert("c", &0);
        assert_eq!(
            render(
                "{{ a | getal_teken }} {{ b | getal_teken }} {{ c | getal_teken }}",
                &ctx
            )
            .unwrap(),
            "+12 -1.250 0"
        );
    }

    fn render(template: &str, ctx: &Context) -> Result<String, RenderError> {
        let mut tera = Tera::new();
        register_filters(&mut tera);
        tera.add_raw_template("t.html", template).unwrap();
        Renderer {
            html: tera,
            md: Tera::new(),
            reference: Reference::default(),
        }
        .render("t.html", ctx)
    }

    #[test]
    fn formats_numbers_and_dates_in_dutch() {
        let mut ctx = Context::new();
        ctx.insert("n", &17700);
        ctx.insert("d", "2025-07-01");
        assert_eq!(
            render("{{ n | getal }} op {{ d | datum_nl }}", &ctx).unwrap(),
            "17.700 op 1 juli 2025"
        );
    }

    #[test]
    fn dutch_plurals_and_counts_in_conditions() {
        let mut ctx = Context::new();
        ctx.insert("een", &[1]);
        ctx.insert("twee", &[1, 2]);
        let t = "{% if een | length == 1 %}één{% else %}meer{% endif %} \
                 {% if twee | length == 1 %}één{% else %}meer{% endif %} \
                 maand{{ 1 | pluralize(plural=\"en\") }} maand{{ 2 | pluralize(plural=\"en\") }}";
        assert_eq!(render(t, &ctx).unwrap(), "één meer maand maanden");
    }

    #[test]
    fn undefined_variable_fails_the_render() {
        assert!(render("{{ ontbreekt | getal }}", &Context::new()).is_err());
    }

    #[test]
    fn every_value_in_a_markdown_template_is_escaped() {
        let renderer = Renderer::new(None).unwrap();
        let mut md = renderer.md;
        md.add_raw_template(
            "t.md",
            "{{ t }} | {{ t | md_tekst }} | {{ n | getal }} | {% include \"positie.txt\" %}",
        )
        .unwrap();
        let r = Renderer {
            html: renderer.html,
            md,
            reference: renderer.reference,
        };
        let mut ctx = Context::new();
        ctx.insert("t", "<img src=x> [a](javascript:x) *b*");
        ctx.insert("n", &17700);
        ctx.insert(
            "u",
            &serde_json::json!({ "taakstelling": { "positie": "binnen" } }),
        );
        ctx.insert("s", &serde_json::json!({ "positie": "binnen" }));
        assert_eq!(
            r.render("t.md", &ctx).unwrap(),
            "\\<img src=x\\> \\[a\\](javascript\\:x) \\*b\\* | \\<img src=x\\> a *b* | 17.700 | valt binnen de bandbreedte"
        );
    }

    #[test]
    fn input_text_is_escaped_and_never_evaluated() {
        let mut ctx = Context::new();
        ctx.insert("t", "<script>alert(1)</script> {{ n }}");
        let out = render("{{ t }}", &ctx).unwrap();
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("{{ n }}"), "{out}");
    }

    #[test]
    fn text_in_a_css_string_cannot_end_it() {
        assert_eq!(
            css_tekst("HLRT-notitie: taakstelling 2025-I"),
            "HLRT-notitie: taakstelling 2025-I"
        );
        assert_eq!(css_tekst("a\"</style>\n"), "a\\22 \\3c \\2f style\\3e \\a ");
    }
}
