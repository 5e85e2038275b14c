//! One text per document, three formats.
//!
//! A document's template (`notitie.md`) is filled by Tera, every value through
//! [`super::markdown`] (plain values escaped, Markdown fields made safe), and the
//! result is parsed once into the [`crate::document`] model, which holds no markup
//! and no link outside `http`, `https`, `mailto` or a relative path. From that one
//! model come the HTML page (the model's body in the page shell `pagina.html`), the
//! CommonMark text and the Word file.
//!
//! Links between the documents of one folder are written to the Markdown file
//! (`[ontwerp](staatscourant.md)`); each format links to the same document in its
//! own format (`staatscourant.html`, `staatscourant.docx`).

use tera::Context;

use super::{RenderError, Renderer};
use crate::document::{self, Charts, Document, Metadata};

/// The formats a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
    Word,
}

impl Format {
    /// The file extension, which is also how templates name the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Word => "docx",
        }
    }
}

/// The page shell around every HTML document.
pub const PAGINA: &str = "pagina.html";

/// A document filled in and parsed, to be written in each format.
pub struct Filled {
    name: String,
    doc: Document,
    /// The documents beside this one (file names without extension).
    siblings: Vec<String>,
    /// The format the links to `siblings` point to now.
    links_to: Format,
}

impl Filled {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// Points the links to the documents beside this one to their `format`.
    fn link_to(&mut self, format: Format) {
        if self.links_to == format {
            return;
        }
        let from = format!(".{}", self.links_to.extension());
        let to = format.extension();
        let siblings = &self.siblings;
        self.doc.rewrite_links(&mut |dest| {
            let split = dest.find(['#', '?']).unwrap_or(dest.len());
            let (file, rest) = dest.split_at(split);
            let stem = file.strip_suffix(&from)?;
            siblings
                .iter()
                .any(|s| s == stem)
                .then(|| format!("{stem}.{to}{rest}"))
        });
        self.links_to = format;
    }
}

impl Renderer {
    /// Fills the template `NAME.md` with `context` and parses the result. `charts`
    /// are the chart files its figures may show; `siblings` the documents written
    /// beside it, whose links follow the format (see the module docs).
    pub fn fill(
        &self,
        name: &str,
        context: &Context,
        charts: &Charts,
        siblings: &[&str],
    ) -> Result<Filled, RenderError> {
        let template = format!("{name}.md");
        let text = self.render(&template, context)?;
        let doc = document::parse(&text, charts).map_err(|source| RenderError::Document {
            name: template,
            source,
        })?;
        Ok(Filled {
            name: name.to_string(),
            doc,
            siblings: siblings.iter().map(ToString::to_string).collect(),
            links_to: Format::Markdown,
        })
    }

    /// The document in `format`.
    pub fn write(&self, filled: &mut Filled, format: Format) -> Result<Vec<u8>, RenderError> {
        filled.link_to(format);
        Ok(match format {
            Format::Markdown => document::to_markdown(&filled.doc).into_bytes(),
            Format::Html => self.page(&filled.doc)?.into_bytes(),
            Format::Word => {
                let prepared = self.prepare_word(filled)?;
                finish_word(filled, prepared)?
            }
        })
    }

    /// The Word file up to its charts' PNG fallbacks (see [`document::prepare_docx`]).
    fn prepare_word(&self, filled: &mut Filled) -> Result<document::PreparedDocx, RenderError> {
        filled.link_to(Format::Word);
        let title = filled.doc.title_text();
        // The subject: the memo header's `Onderwerp` where it has one.
        let subject = filled
            .doc
            .header_text("Onderwerp")
            .unwrap_or_else(|| title.clone());
        document::prepare_docx(&filled.doc, &self.reference, &Metadata::new(title, subject))
            .map_err(|e| word_error(filled, e))
    }

    /// The HTML page: the document's body in the page shell.
    fn page(&self, doc: &Document) -> Result<String, RenderError> {
        let mut context = Context::new();
        context.insert("titel", &doc.title_text());
        context.insert("inhoud", &document::to_html(doc));
        self.render(PAGINA, &context)
    }
}

/// The Word file with its charts' PNGs, drawn now where no other thread has.
fn finish_word(filled: &Filled, prepared: document::PreparedDocx) -> Result<Vec<u8>, RenderError> {
    prepared.finish().map_err(|e| word_error(filled, e))
}

fn word_error(filled: &Filled, e: document::DocxError) -> RenderError {
    RenderError::Word {
        name: format!("{}.docx", filled.name),
        message: e.to_string(),
    }
}

/// A typed context as Tera's values, once for every document it fills.
pub fn tera_context<C: serde::Serialize>(context: &C) -> Result<Context, RenderError> {
    Context::from_serialize(context).map_err(|e| super::tera_error("(context)", e))
}

/// One document of a folder: its template's name, the context to fill it with
/// and the formats to write it in.
pub struct Source<'a> {
    pub name: &'a str,
    pub context: &'a Context,
    pub formats: &'a [Format],
}

impl Renderer {
    /// The documents of one folder, each in its formats: (document, format, bytes),
    /// document by document in the order of `sources`, each in the order of its
    /// formats. The documents link to each other in their own format.
    ///
    /// The PNG fallbacks of the charts (for Word) are the slow part: while this
    /// thread fills in and writes everything else, the Word files that show charts
    /// up to their PNGs included, `helpers` more threads render them, one chart at a
    /// time; this thread then helps with what is left and finishes those Word files. Each chart is rendered once,
    /// whoever renders it, so the bytes do not depend on the number of threads.
    pub fn render_folder(
        &self,
        sources: &[Source<'_>],
        charts: &Charts,
        helpers: usize,
    ) -> Result<Vec<(String, Format, Vec<u8>)>, RenderError> {
        let word = sources.iter().any(|s| s.formats.contains(&Format::Word));
        let queue = document::PngQueue::default();
        let names: Vec<&str> = sources.iter().map(|s| s.name).collect();
        std::thread::scope(|scope| {
            if word {
                for _ in 0..helpers.min(charts.names().count()) {
                    scope.spawn(|| charts.render_pngs_from(&queue));
                }
            }
            let result = self.write_folder(sources, charts, &names, &queue);
            if result.is_err() {
                // Nothing will be written: the helpers need not finish the charts.
                queue.stop();
            }
            result
        })
    }

    /// [`Renderer::render_folder`] on this thread, its helpers drawing from `queue`.
    fn write_folder(
        &self,
        sources: &[Source<'_>],
        charts: &Charts,
        names: &[&str],
        queue: &document::PngQueue,
    ) -> Result<Vec<(String, Format, Vec<u8>)>, RenderError> {
        let mut written: Vec<Vec<(String, Format, Vec<u8>)>> = Vec::with_capacity(sources.len());
        // Word files that show charts wait for the PNGs: they are finished last.
        let mut later: Vec<(usize, usize, Filled, document::PreparedDocx)> = Vec::new();
        for (i, source) in sources.iter().enumerate() {
            let mut filled = self.fill(source.name, source.context, charts, names)?;
            let mut files = Vec::with_capacity(source.formats.len());
            let mut deferred = None;
            for (at, &format) in source.formats.iter().enumerate() {
                if format == Format::Word && has_figures(&filled.doc) {
                    deferred = Some(at);
                    continue;
                }
                let bytes = self.write(&mut filled, format)?;
                files.push((source.name.to_string(), format, bytes));
            }
            if let Some(at) = deferred {
                let prepared = self.prepare_word(&mut filled)?;
                later.push((i, at, filled, prepared));
            }
            written.push(files);
        }
        if !later.is_empty() {
            charts.render_pngs_from(queue);
        }
        for (i, at, filled, prepared) in later {
            let bytes = finish_word(&filled, prepared)?;
            written[i].insert(at, (filled.name, Format::Word, bytes));
        }
        Ok(written.into_iter().flatten().collect())
    }
}

/// Whether a document shows a chart anywhere.
fn has_figures(doc: &Document) -> bool {
    fn any(blocks: &[document::Block]) -> bool {
        blocks.iter().any(|b| match b {
            document::Block::Figure(_) => true,
            document::Block::List(l) => l.items.iter().any(|item| any(item)),
            document::Block::Quote(inner) => any(inner),
            _ => false,
        })
    }
    any(&doc.blocks) || doc.bijlagen.iter().any(|b| any(&b.blocks))
}
