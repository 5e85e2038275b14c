//! Markdown → model: `pulldown-cmark` events into a raw block tree (pass 1),
//! then the conventions of the module docs applied to that tree (pass 2).

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Alignment, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use super::safety::allowed_link;
use super::slug::{slug, valid_id};
use super::{
    Align, Bijlage, Block, ChartRef, Charts, Document, Field, Figure, Heading, Id, Inline, List,
    Row, Table, plain_text,
};

/// A Markdown source that breaks a convention, with its line (1-based).
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
#[error("line {line}: {message}")]
#[diagnostic(code(taakstelling::document))]
pub struct ParseError {
    pub line: usize,
    pub message: String,
    #[source_code]
    source_text: String,
    #[label("here")]
    span: miette::SourceSpan,
}

/// Parses one document. `charts` are the chart files its figures may show.
pub fn parse(src: &str, charts: &Charts) -> Result<Document, ParseError> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES;
    let events: Vec<_> = Parser::new_ext(src, options).into_offset_iter().collect();
    let mut reader = Reader {
        src,
        events,
        pos: 0,
    };
    let raws = reader.blocks(None)?;
    let mut ctx = Convert {
        src,
        charts,
        figures: 0,
        given_ids: Vec::new(),
    };
    let mut doc = ctx.document(raws)?;
    ctx.check_given_ids()?;
    assign_ids(&mut doc, &ctx.given_ids);
    Ok(doc)
}

fn error(src: &str, at: usize, message: impl Into<String>) -> ParseError {
    let at = at.min(src.len());
    let line = src[..at].matches('\n').count() + 1;
    ParseError {
        line,
        message: message.into(),
        source_text: src.to_string(),
        span: (at, 0).into(),
    }
}

// ---------------------------------------------------------------- pass 1

enum Raw {
    Para {
        inlines: Vec<RawInline>,
        range: Range<usize>,
        /// An HTML block kept as text: never a convention.
        literal: bool,
    },
    Heading {
        level: HeadingLevel,
        id: Option<String>,
        classes: Vec<String>,
        attrs: Vec<String>,
        inlines: Vec<RawInline>,
        range: Range<usize>,
    },
    List {
        start: Option<u64>,
        tight: bool,
        items: Vec<(Vec<Raw>, usize)>,
    },
    Table {
        aligns: Vec<Alignment>,
        head: Vec<Vec<RawInline>>,
        rows: Vec<Vec<Vec<RawInline>>>,
        range: Range<usize>,
    },
    Quote(Vec<Raw>),
    Rule,
}

enum RawInline {
    Text(String),
    Strong(Vec<RawInline>),
    Emphasis(Vec<RawInline>),
    Code(String),
    Link {
        dest: String,
        title: String,
        content: Vec<RawInline>,
    },
    Image {
        dest: String,
        alt: String,
        at: usize,
    },
    SoftBreak,
    HardBreak,
}

struct Reader<'s> {
    src: &'s str,
    events: Vec<(Event<'s>, Range<usize>)>,
    pos: usize,
}

impl<'s> Reader<'s> {
    fn next(&mut self) -> Option<(Event<'s>, Range<usize>)> {
        let event = self.events.get(self.pos).cloned();
        self.pos += 1;
        event
    }

    fn peek(&self) -> Option<&Event<'s>> {
        self.events.get(self.pos).map(|(e, _)| e)
    }

    fn err_here(&self, message: impl Into<String>) -> ParseError {
        let at = self
            .events
            .get(self.pos.saturating_sub(1))
            .map_or(self.src.len(), |(_, r)| r.start);
        error(self.src, at, message)
    }

    /// Blocks up to `until` (consumed), or to the end of the events.
    fn blocks(&mut self, until: Option<TagEnd>) -> Result<Vec<Raw>, ParseError> {
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Ok(out),
                Some(Event::End(end)) if Some(*end) == until => {
                    self.pos += 1;
                    return Ok(out);
                }
                _ => out.push(self.block()?),
            }
        }
    }

    fn block(&mut self) -> Result<Raw, ParseError> {
        let (event, range) = self.next().expect("a block event");
        match event {
            Event::Start(Tag::Paragraph) => {
                let inlines = self.inlines_until(TagEnd::Paragraph)?;
                Ok(Raw::Para {
                    inlines,
                    range,
                    literal: false,
                })
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let inlines = self.inlines_until(TagEnd::Heading(level))?;
                Ok(Raw::Heading {
                    level,
                    id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(ToString::to_string).collect(),
                    attrs: attrs
                        .iter()
                        .map(|(k, v)| match v {
                            Some(v) => format!("{k}={v}"),
                            None => k.to_string(),
                        })
                        .collect(),
                    inlines,
                    range,
                })
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                Ok(Raw::Quote(self.blocks(Some(TagEnd::BlockQuote(kind)))?))
            }
            Event::Start(Tag::HtmlBlock) => {
                let mut lines = Vec::new();
                loop {
                    match self.next() {
                        Some((Event::Html(t) | Event::Text(t), _)) => lines.push(t.to_string()),
                        Some((Event::End(TagEnd::HtmlBlock), _)) | None => break,
                        Some(_) => {}
                    }
                }
                let text = lines.concat();
                let mut inlines = Vec::new();
                for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    if !inlines.is_empty() {
                        inlines.push(RawInline::SoftBreak);
                    }
                    inlines.push(RawInline::Text(line.to_string()));
                }
                Ok(Raw::Para {
                    inlines,
                    range,
                    literal: true,
                })
            }
            Event::Start(Tag::List(start)) => self.list(start),
            Event::Start(Tag::Table(aligns)) => self.table(aligns, range),
            Event::Rule => Ok(Raw::Rule),
            Event::Start(Tag::CodeBlock(_)) => Err(error(
                self.src,
                range.start,
                "code blocks are not supported (is a line indented by four spaces by mistake?)",
            )),
            other => Err(error(
                self.src,
                range.start,
                format!("unsupported Markdown here: {other:?}"),
            )),
        }
    }

    fn list(&mut self, start: Option<u64>) -> Result<Raw, ParseError> {
        let mut items = Vec::new();
        let mut tight = true;
        loop {
            match self.next() {
                Some((Event::End(TagEnd::List(_)), _)) => break,
                Some((Event::Start(Tag::Item), range)) => {
                    let mut blocks = Vec::new();
                    let mut pending: Vec<RawInline> = Vec::new();
                    let mut pending_range: Option<Range<usize>> = None;
                    loop {
                        if let Some(Event::End(TagEnd::Item)) = self.peek() {
                            self.pos += 1;
                            break;
                        }
                        let here = self.events.get(self.pos).map(|(_, r)| r.clone());
                        if let Some(inline) = self.inline()? {
                            let here = here.expect("an event");
                            pending_range = Some(match pending_range {
                                Some(r) => r.start..here.end,
                                None => here,
                            });
                            pending.push(inline);
                            continue;
                        }
                        if let Some(r) = pending_range.take() {
                            blocks.push(Raw::Para {
                                inlines: std::mem::take(&mut pending),
                                range: r,
                                literal: false,
                            });
                        }
                        if self.peek().is_none() {
                            break;
                        }
                        if let Some(Event::Start(Tag::Paragraph)) = self.peek() {
                            tight = false;
                        }
                        blocks.push(self.block()?);
                    }
                    if let Some(r) = pending_range.take() {
                        blocks.push(Raw::Para {
                            inlines: pending,
                            range: r,
                            literal: false,
                        });
                    }
                    // A paragraph after another block in an item only shows as
                    // such with a blank line before it: the list is loose.
                    if blocks.iter().skip(1).any(|b| matches!(b, Raw::Para { .. })) {
                        tight = false;
                    }
                    items.push((blocks, range.start));
                }
                Some(_) => return Err(self.err_here("unexpected content in a list")),
                None => break,
            }
        }
        Ok(Raw::List {
            start,
            tight,
            items,
        })
    }

    fn table(&mut self, aligns: Vec<Alignment>, range: Range<usize>) -> Result<Raw, ParseError> {
        let mut head = Vec::new();
        let mut rows = Vec::new();
        let mut row: Vec<Vec<RawInline>> = Vec::new();
        loop {
            match self.next() {
                Some((Event::End(TagEnd::Table), _)) | None => break,
                Some((Event::Start(Tag::TableCell), _)) => {
                    row.push(self.inlines_until(TagEnd::TableCell)?);
                }
                Some((Event::End(TagEnd::TableHead), _)) => head = std::mem::take(&mut row),
                Some((Event::End(TagEnd::TableRow), _)) => rows.push(std::mem::take(&mut row)),
                Some(_) => {}
            }
        }
        Ok(Raw::Table {
            aligns,
            head,
            rows,
            range,
        })
    }

    fn inlines_until(&mut self, end: TagEnd) -> Result<Vec<RawInline>, ParseError> {
        let mut out = Vec::new();
        loop {
            match self.peek() {
                Some(Event::End(e)) if *e == end => {
                    self.pos += 1;
                    return Ok(out);
                }
                None => return Ok(out),
                _ => match self.inline()? {
                    Some(inline) => out.push(inline),
                    None => return Err(self.err_here("unexpected block inside text")),
                },
            }
        }
    }

    /// One inline element, or `None` (nothing consumed) if a block follows.
    fn inline(&mut self) -> Result<Option<RawInline>, ParseError> {
        let Some((event, _)) = self.events.get(self.pos) else {
            return Ok(None);
        };
        let inline = match event {
            Event::Text(t) | Event::InlineHtml(t) | Event::Html(t) => {
                RawInline::Text(t.to_string())
            }
            Event::Code(t) => RawInline::Code(t.to_string()),
            Event::SoftBreak => RawInline::SoftBreak,
            Event::HardBreak => RawInline::HardBreak,
            Event::Start(Tag::Emphasis) => {
                self.pos += 1;
                return Ok(Some(RawInline::Emphasis(
                    self.inlines_until(TagEnd::Emphasis)?,
                )));
            }
            Event::Start(Tag::Strong) => {
                self.pos += 1;
                return Ok(Some(RawInline::Strong(self.inlines_until(TagEnd::Strong)?)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let dest = match link_type {
                    LinkType::Email if !dest_url.starts_with("mailto:") => {
                        format!("mailto:{dest_url}")
                    }
                    _ => dest_url.to_string(),
                };
                let title = title.to_string();
                self.pos += 1;
                let content = self.inlines_until(TagEnd::Link)?;
                return Ok(Some(RawInline::Link {
                    dest,
                    title,
                    content,
                }));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let dest = dest_url.to_string();
                let at = self.events[self.pos].1.start;
                self.pos += 1;
                let alt = self.inlines_until(TagEnd::Image)?;
                let mut text = String::new();
                raw_plain(&alt, &mut text);
                return Ok(Some(RawInline::Image {
                    dest,
                    alt: text,
                    at,
                }));
            }
            _ => return Ok(None),
        };
        self.pos += 1;
        Ok(Some(inline))
    }
}

fn raw_plain(inlines: &[RawInline], out: &mut String) {
    for inline in inlines {
        match inline {
            RawInline::Text(t) | RawInline::Code(t) => out.push_str(t),
            RawInline::Strong(c) | RawInline::Emphasis(c) | RawInline::Link { content: c, .. } => {
                raw_plain(c, out);
            }
            RawInline::Image { alt, .. } => out.push_str(alt),
            RawInline::SoftBreak | RawInline::HardBreak => out.push(' '),
        }
    }
}

// ---------------------------------------------------------------- pass 2

struct Convert<'a> {
    src: &'a str,
    charts: &'a Charts,
    figures: usize,
    /// Ids the source gave, with the offset where each was given.
    given_ids: Vec<(String, usize)>,
}

/// `Word:` or `Word N:` at the start of `text`: the prefix's length and N.
fn label_prefix(text: &str, word: &str) -> Option<(usize, Option<usize>)> {
    let rest = text.strip_prefix(word)?;
    if rest.starts_with(':') {
        return Some((word.len() + 1, None));
    }
    let digits = rest.strip_prefix(' ')?;
    let n_len = digits.chars().take_while(char::is_ascii_digit).count();
    if n_len == 0 || !digits[n_len..].starts_with(':') {
        return None;
    }
    let number = digits[..n_len].parse().ok()?;
    Some((word.len() + 1 + n_len + 1, Some(number)))
}

/// The heading's text in the source, after `#` marks.
fn heading_text(src: &str) -> &str {
    src.trim_start().trim_start_matches('#').trim_start()
}

impl Convert<'_> {
    fn err(&self, at: usize, message: impl Into<String>) -> ParseError {
        error(self.src, at, message)
    }

    fn document(&mut self, raws: Vec<Raw>) -> Result<Document, ParseError> {
        let mut doc = Document::default();
        let mut raws = raws.into_iter().peekable();
        if let Some(Raw::Heading {
            level: HeadingLevel::H1,
            ..
        }) = raws.peek()
        {
            let Some(Raw::Heading {
                id,
                classes,
                attrs,
                inlines,
                range,
                ..
            }) = raws.next()
            else {
                unreachable!()
            };
            if id.is_some() || !classes.is_empty() || !attrs.is_empty() {
                return Err(self.err(
                    range.start,
                    "the title (level-1 heading) takes no attributes",
                ));
            }
            doc.title = Some(self.inlines(inlines)?);
            if let Some(Raw::List { start: None, .. }) = raws.peek() {
                let Some(Raw::List { items, tight, .. }) = raws.next() else {
                    unreachable!()
                };
                if self.field(&items[0].0).is_some() {
                    for (item, at) in items {
                        let Some((label, value, value_at)) = self.field(&item) else {
                            return Err(self.err(
                                at,
                                "every item of the memo header list must read `**Label:** value`",
                            ));
                        };
                        let value = self.inlines(value)?;
                        if plain_text(&value).trim().is_empty() {
                            return Err(self.err(
                                value_at,
                                format!("memo header field `{label}` has no value"),
                            ));
                        }
                        doc.header.push(Field { label, value });
                    }
                } else {
                    let list = self.list(None, tight, items)?;
                    doc.blocks.push(list);
                }
            }
        }
        // Split into the body and the bijlagen, each converted on its own.
        let mut segment: Vec<Raw> = Vec::new();
        let mut current: Option<(usize, Bijlage)> = None;
        for raw in raws {
            if let Raw::Heading { level, range, .. } = &raw {
                let at = range.start;
                let text = heading_text(&self.src[range.clone()]);
                match level {
                    HeadingLevel::H1 => {
                        return Err(self.err(
                            at,
                            "a level-1 heading is the document's title and must come first; sections start at `##`",
                        ));
                    }
                    HeadingLevel::H2 if label_prefix(text, "Bijlage").is_some() => {
                        let blocks = self.blocks(std::mem::take(&mut segment), true)?;
                        match current.take() {
                            Some((_, mut b)) => {
                                b.blocks = blocks;
                                doc.bijlagen.push(b);
                            }
                            None => doc.blocks.extend(blocks),
                        }
                        current = Some((at, self.bijlage(raw, doc.bijlagen.len() + 1)?));
                        continue;
                    }
                    HeadingLevel::H2 if current.is_some() => {
                        return Err(self.err(
                            at,
                            "after a bijlage, a level-2 heading must start another bijlage (`## Bijlage: title`)",
                        ));
                    }
                    _ => {}
                }
            }
            segment.push(raw);
        }
        let blocks = self.blocks(segment, true)?;
        match current {
            Some((_, mut b)) => {
                b.blocks = blocks;
                doc.bijlagen.push(b);
            }
            None => doc.blocks.extend(blocks),
        }
        Ok(doc)
    }

    /// A header item: `**Label:** value` as the item's only paragraph.
    fn field(&self, item: &[Raw]) -> Option<(String, Vec<RawInline>, usize)> {
        let [
            Raw::Para {
                inlines,
                range,
                literal: false,
            },
        ] = item
        else {
            return None;
        };
        if !self.src[range.clone()].starts_with("**") {
            return None;
        }
        let Some(RawInline::Strong(label)) = inlines.first() else {
            return None;
        };
        let mut text = String::new();
        raw_plain(label, &mut text);
        let label = text.trim().strip_suffix(':')?.trim_end().to_string();
        if label.is_empty() {
            return None;
        }
        let mut value: Vec<RawInline> = inlines.iter().skip(1).map(clone_raw).collect();
        if let Some(RawInline::Text(t)) = value.first_mut() {
            *t = t.trim_start().to_string();
        }
        Some((label, value, range.start))
    }

    fn bijlage(&mut self, raw: Raw, number: usize) -> Result<Bijlage, ParseError> {
        let Raw::Heading {
            id,
            classes,
            attrs,
            mut inlines,
            range,
            ..
        } = raw
        else {
            unreachable!()
        };
        let (len, stated) = label_prefix(heading_text(&self.src[range.clone()]), "Bijlage")
            .expect("checked by the caller");
        if let Some(stated) = stated
            && stated != number
        {
            return Err(self.err(
                range.start,
                format!("this is bijlage {number}, but the heading says {stated}"),
            ));
        }
        self.strip_prefix(&mut inlines, len, range.start)?;
        let (id, classes) = self.heading_attrs(id, classes, attrs, range.start)?;
        let title = self.inlines(inlines)?;
        if plain_text(&title).trim().is_empty() {
            return Err(self.err(range.start, "a bijlage needs a title after `Bijlage:`"));
        }
        Ok(Bijlage {
            number,
            id,
            classes,
            title,
            blocks: Vec::new(),
        })
    }

    /// Removes a convention's prefix (`Tabel:`) from the first text.
    fn strip_prefix(
        &self,
        inlines: &mut Vec<RawInline>,
        len: usize,
        at: usize,
    ) -> Result<(), ParseError> {
        match inlines.first_mut() {
            Some(RawInline::Text(t)) if t.len() >= len => {
                *t = t[len..].trim_start().to_string();
                if t.is_empty() {
                    inlines.remove(0);
                }
                Ok(())
            }
            _ => Err(self.err(at, "the label before the colon must be plain text")),
        }
    }

    fn heading_attrs(
        &mut self,
        id: Option<String>,
        classes: Vec<String>,
        attrs: Vec<String>,
        at: usize,
    ) -> Result<(Id, Vec<String>), ParseError> {
        if let Some(attr) = attrs.first() {
            return Err(self.err(
                at,
                format!("unknown heading attribute `{attr}`: only `{{#id .class}}` are allowed"),
            ));
        }
        for class in &classes {
            if !valid_id(class) {
                return Err(self.err(
                    at,
                    format!(
                        "class `{class}` must be a letter followed by letters, digits, '-' or '_'"
                    ),
                ));
            }
        }
        Ok((self.given_id(id, at)?, classes))
    }

    fn given_id(&mut self, id: Option<String>, at: usize) -> Result<Id, ParseError> {
        match id {
            Some(id) => {
                if !valid_id(&id) {
                    return Err(self.err(
                        at,
                        format!(
                            "id `{id}` must be a letter followed by letters, digits, '-' or '_'"
                        ),
                    ));
                }
                self.given_ids.push((id.clone(), at));
                Ok(Id {
                    value: id,
                    given: true,
                })
            }
            None => Ok(Id {
                value: String::new(),
                given: false,
            }),
        }
    }

    fn check_given_ids(&self) -> Result<(), ParseError> {
        let mut seen = HashSet::new();
        for (id, at) in &self.given_ids {
            if !seen.insert(id.as_str()) {
                return Err(self.err(*at, format!("id `{id}` is given twice")));
            }
        }
        Ok(())
    }

    fn blocks(&mut self, raws: Vec<Raw>, top: bool) -> Result<Vec<Block>, ParseError> {
        let mut out = Vec::new();
        let mut raws = raws.into_iter().peekable();
        while let Some(raw) = raws.next() {
            match raw {
                Raw::Para {
                    inlines,
                    range,
                    literal,
                } => {
                    let at = range.start;
                    let text = &self.src[range.clone()];
                    if literal {
                        out.push(Block::Paragraph(self.inlines(inlines)?));
                        continue;
                    }
                    if let Some(chart) = self.lone_chart(&inlines, at)? {
                        let alt = match &inlines[0] {
                            RawInline::Image { alt, .. } => alt.trim().to_string(),
                            _ => unreachable!(),
                        };
                        if alt.is_empty() {
                            return Err(self.err(
                                at,
                                format!(
                                    "chart {} needs alt text: ![what it shows]({})",
                                    chart.name(),
                                    chart.name()
                                ),
                            ));
                        }
                        self.figures += 1;
                        let number = self.figures;
                        let caption = match raws.next() {
                            Some(Raw::Para {
                                mut inlines,
                                range,
                                literal: false,
                            }) if label_prefix(&self.src[range.clone()], "Grafiek").is_some() => {
                                let (len, stated) =
                                    label_prefix(&self.src[range.clone()], "Grafiek").unwrap();
                                if let Some(stated) = stated
                                    && stated != number
                                {
                                    return Err(self.err(
                                        range.start,
                                        format!("this is grafiek {number}, but the caption says {stated}"),
                                    ));
                                }
                                self.strip_prefix(&mut inlines, len, range.start)?;
                                let caption = self.inlines(inlines)?;
                                if plain_text(&caption).trim().is_empty() {
                                    return Err(self.err(range.start, "the caption is empty"));
                                }
                                caption
                            }
                            _ => {
                                return Err(self.err(
                                    at,
                                    format!(
                                        "chart {} needs a caption: a paragraph `Grafiek: ...` right after it",
                                        chart.name()
                                    ),
                                ));
                            }
                        };
                        out.push(Block::Figure(Figure {
                            number,
                            id: Id {
                                value: String::new(),
                                given: false,
                            },
                            chart,
                            alt,
                            caption,
                        }));
                        continue;
                    }
                    if label_prefix(text, "Grafiek").is_some() {
                        return Err(self.err(
                            at,
                            "a `Grafiek:` caption must follow a chart image (![alt](chart.svg)); write `Grafiek\\:` for plain text",
                        ));
                    }
                    if let Some((len, stated)) = label_prefix(text, "Tabel") {
                        if stated.is_some() {
                            return Err(
                                self.err(at, "tables are not numbered: write `Tabel: caption`")
                            );
                        }
                        let Some(Raw::Table { .. }) = raws.peek() else {
                            return Err(self.err(
                                at,
                                "a `Tabel:` caption must stand right before its table; write `Tabel\\:` for plain text",
                            ));
                        };
                        let Some(table) = raws.next() else {
                            unreachable!()
                        };
                        let mut caption = inlines;
                        self.strip_prefix(&mut caption, len, at)?;
                        out.push(self.table(caption, text, at, table)?);
                        continue;
                    }
                    let trimmed = text.trim();
                    // An escaped backslash (`\\a`) is text: pulldown-cmark's range for
                    // it starts after the escaping backslash, so one stands before `at`.
                    if let Some(command) = trimmed.strip_prefix('\\')
                        && !self.src[..at].ends_with('\\')
                        && !command.is_empty()
                        && command.chars().all(|c| c.is_ascii_alphabetic())
                    {
                        if command != "newpage" {
                            return Err(self.err(
                                at,
                                format!("unknown command `\\{command}`: the only one is `\\newpage` (a page break)"),
                            ));
                        }
                        if !top {
                            return Err(self.err(
                                at,
                                "`\\newpage` must stand at the top level, not in a list or quote",
                            ));
                        }
                        out.push(Block::PageBreak);
                        continue;
                    }
                    out.push(Block::Paragraph(self.inlines(inlines)?));
                }
                Raw::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                    inlines,
                    range,
                } => {
                    let at = range.start;
                    if !top {
                        return Err(
                            self.err(at, "a heading may not stand inside a list or block quote")
                        );
                    }
                    let level = match level {
                        HeadingLevel::H2 => 2,
                        HeadingLevel::H3 => 3,
                        HeadingLevel::H4 => 4,
                        _ => {
                            return Err(self.err(
                                at,
                                "headings go down to level 4 (`####`, Word's Heading 3)",
                            ));
                        }
                    };
                    let (id, classes) = self.heading_attrs(id, classes, attrs, at)?;
                    let content = self.inlines(inlines)?;
                    out.push(Block::Heading(Heading {
                        level,
                        id,
                        classes,
                        content,
                    }));
                }
                Raw::List {
                    start,
                    tight,
                    items,
                } => out.push(self.list(start, tight, items)?),
                Raw::Table { range, .. } => {
                    return Err(self.err(
                        range.start,
                        "a table needs a caption: a paragraph `Tabel: ...` right before it",
                    ));
                }
                Raw::Quote(blocks) => out.push(Block::Quote(self.blocks(blocks, false)?)),
                Raw::Rule => out.push(Block::Rule),
            }
        }
        Ok(out)
    }

    fn list(
        &mut self,
        start: Option<u64>,
        tight: bool,
        items: Vec<(Vec<Raw>, usize)>,
    ) -> Result<Block, ParseError> {
        let items = items
            .into_iter()
            .map(|(blocks, _)| self.blocks(blocks, false))
            .collect::<Result<_, _>>()?;
        Ok(Block::List(List {
            start,
            tight,
            items,
        }))
    }

    /// The chart of a paragraph that is one registered chart image.
    fn lone_chart(&self, inlines: &[RawInline], at: usize) -> Result<Option<ChartRef>, ParseError> {
        let [RawInline::Image { dest, .. }] = inlines else {
            return Ok(None);
        };
        self.chart(dest, at)
    }

    /// A registered chart by image target; an error for an unregistered
    /// relative `.svg` (a misspelt chart), `None` for any other image.
    fn chart(&self, dest: &str, at: usize) -> Result<Option<ChartRef>, ParseError> {
        if let Some(chart) = self.charts.get(dest) {
            return Ok(Some(chart.clone()));
        }
        let looks_like_chart = dest.to_ascii_lowercase().ends_with(".svg")
            && !dest.contains(':')
            && !dest.starts_with('/');
        if looks_like_chart {
            let known: Vec<_> = self.charts.names().collect();
            return Err(self.err(
                at,
                format!(
                    "unknown chart file `{dest}`; the charts of this document are: {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        }
        Ok(None)
    }

    fn table(
        &mut self,
        mut caption: Vec<RawInline>,
        caption_src: &str,
        at: usize,
        table: Raw,
    ) -> Result<Block, ParseError> {
        let Raw::Table {
            aligns,
            head,
            rows,
            range,
        } = table
        else {
            unreachable!()
        };
        // Trailing `{#id .class}` (not `\{`): attributes.
        let mut id = None;
        let mut classes = Vec::new();
        let src = caption_src.trim_end();
        if src.ends_with('}')
            && let Some(open) = src.rfind('{')
            && !src[..open].ends_with('\\')
            // In the text, not in a code span before it (`` `{`\} ``).
            && caption
                .iter()
                .rev()
                .map_while(|i| match i {
                    RawInline::Text(t) => Some(t),
                    _ => None,
                })
                .any(|t| t.contains('{'))
        {
            let attrs = &src[open + 1..src.len() - 1];
            if attrs.trim().is_empty() {
                return Err(self.err(at, "an empty attribute block `{}`: write `{#id .class}`, or `\\{` for a brace in the text"));
            }
            for token in attrs.split_whitespace() {
                if let Some(i) = token.strip_prefix('#')
                    && id.is_none()
                    && valid_id(i)
                {
                    id = Some(i.to_string());
                } else if let Some(c) = token.strip_prefix('.')
                    && valid_id(c)
                {
                    classes.push(c.to_string());
                } else {
                    return Err(self.err(
                        at,
                        format!("unknown table attribute `{token}`: write `{{#id .class}}` (a letter, then letters, digits, '-' or '_'), or `\\{{` for a brace in the text"),
                    ));
                }
            }
            // The attributes are plain ASCII, so the text ends as the source does.
            match caption.last_mut() {
                Some(RawInline::Text(t)) if t.trim_end().ends_with('}') && t.contains('{') => {
                    let open = t.rfind('{').expect("checked");
                    t.truncate(open);
                    *t = t.trim_end().to_string();
                    if t.is_empty() {
                        caption.pop();
                    }
                }
                _ => return Err(self.err(at, "the attributes must follow plain text")),
            }
        }
        let id = self.given_id(id, at)?;
        let caption = self.inlines(caption)?;
        if plain_text(&caption).trim().is_empty() {
            return Err(self.err(at, "the table caption is empty"));
        }
        let columns: Vec<Align> = aligns
            .iter()
            .map(|a| match a {
                Alignment::None => Align::None,
                Alignment::Left => Align::Left,
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
            })
            .collect();
        let mut header = Vec::new();
        for (i, cell) in head.into_iter().enumerate() {
            let cell = self.inlines(cell)?;
            if plain_text(&cell).trim().is_empty() {
                return Err(self.err(
                    range.start,
                    format!("column {} of the table has no header text", i + 1),
                ));
            }
            header.push(cell);
        }
        let mut out_rows = Vec::new();
        for row in rows {
            let mut cells = Vec::new();
            for cell in row.into_iter().take(columns.len()) {
                cells.push(self.inlines(cell)?);
            }
            cells.resize(columns.len(), Vec::new());
            let total = cells.iter().any(|c| !c.is_empty())
                && cells
                    .iter()
                    .all(|c| c.is_empty() || matches!(c.as_slice(), [Inline::Strong(_)]));
            if total {
                for cell in &mut cells {
                    if let [Inline::Strong(inner)] = cell.as_mut_slice() {
                        *cell = std::mem::take(inner);
                    }
                }
            }
            out_rows.push(Row { cells, total });
        }
        Ok(Block::Table(Table {
            id,
            classes,
            caption,
            columns,
            header,
            rows: out_rows,
        }))
    }

    fn inlines(&self, raws: Vec<RawInline>) -> Result<Vec<Inline>, ParseError> {
        let mut out = Vec::new();
        self.push_inlines(raws, &mut out)?;
        Ok(normalize(out))
    }

    fn push_inlines(&self, raws: Vec<RawInline>, out: &mut Vec<Inline>) -> Result<(), ParseError> {
        for raw in raws {
            match raw {
                RawInline::Text(t) => out.push(Inline::Text(clean(&t))),
                RawInline::Code(t) => out.push(Inline::Code(clean(&t))),
                RawInline::Strong(c) => out.push(Inline::Strong(self.inlines(c)?)),
                RawInline::Emphasis(c) => out.push(Inline::Emphasis(self.inlines(c)?)),
                RawInline::Link {
                    dest,
                    title,
                    content,
                } => {
                    if allowed_link(&dest) {
                        out.push(Inline::Link {
                            dest: clean(&dest),
                            title: clean(&title),
                            content: self.inlines(content)?,
                        });
                    } else {
                        self.push_inlines(content, out)?;
                    }
                }
                RawInline::Image { dest, alt, at } => {
                    if let Some(chart) = self.chart(&dest, at)? {
                        return Err(self.err(
                            at,
                            format!("chart {} must stand alone in its paragraph", chart.name()),
                        ));
                    }
                    out.push(Inline::Text(clean(&alt)));
                }
                RawInline::SoftBreak => out.push(Inline::SoftBreak),
                RawInline::HardBreak => out.push(Inline::HardBreak),
            }
        }
        Ok(())
    }
}

fn clone_raw(raw: &RawInline) -> RawInline {
    match raw {
        RawInline::Text(t) => RawInline::Text(t.clone()),
        RawInline::Strong(c) => RawInline::Strong(c.iter().map(clone_raw).collect()),
        RawInline::Emphasis(c) => RawInline::Emphasis(c.iter().map(clone_raw).collect()),
        RawInline::Code(t) => RawInline::Code(t.clone()),
        RawInline::Link {
            dest,
            title,
            content,
        } => RawInline::Link {
            dest: dest.clone(),
            title: title.clone(),
            content: content.iter().map(clone_raw).collect(),
        },
        RawInline::Image { dest, alt, at } => RawInline::Image {
            dest: dest.clone(),
            alt: alt.clone(),
            at: *at,
        },
        RawInline::SoftBreak => RawInline::SoftBreak,
        RawInline::HardBreak => RawInline::HardBreak,
    }
}

/// Control characters (other than tab) become U+FFFD: they are not allowed
/// in HTML or XML text.
fn clean(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// Adjacent texts merged, empty texts dropped: one model per meaning.
fn normalize(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match inline {
            Inline::Text(t) if t.is_empty() => {}
            Inline::Text(t) => match out.last_mut() {
                Some(Inline::Text(prev)) => prev.push_str(&t),
                _ => out.push(Inline::Text(t)),
            },
            other => out.push(other),
        }
    }
    out
}

/// Ids for everything that has none, unique in the document; given ids win.
fn assign_ids(doc: &mut Document, given: &[(String, usize)]) {
    let mut used: HashSet<String> = given.iter().map(|(id, _)| id.clone()).collect();
    let mut take = |id: &mut Id, base: String| {
        if id.given {
            return;
        }
        let mut candidate = base.clone();
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        used.insert(candidate.clone());
        id.value = candidate;
    };
    let mut tables = 0;
    let mut visit = |blocks: &mut Vec<Block>, take: &mut dyn FnMut(&mut Id, String)| {
        fn walk(blocks: &mut [Block], take: &mut dyn FnMut(&mut Id, String), tables: &mut usize) {
            for block in blocks {
                match block {
                    Block::Heading(h) => take(&mut h.id, slug(&plain_text(&h.content))),
                    Block::Table(t) => {
                        *tables += 1;
                        take(&mut t.id, format!("tabel-{tables}"));
                    }
                    Block::Figure(f) => take(&mut f.id, format!("grafiek-{}", f.number)),
                    Block::List(l) => {
                        for item in &mut l.items {
                            walk(item, take, tables);
                        }
                    }
                    Block::Quote(b) => walk(b, take, tables),
                    Block::Paragraph(_) | Block::PageBreak | Block::Rule => {}
                }
            }
        }
        walk(blocks, take, &mut tables);
    };
    visit(&mut doc.blocks, &mut take);
    for bijlage in &mut doc.bijlagen {
        take(&mut bijlage.id, slug(&plain_text(&bijlage.title)));
        visit(&mut bijlage.blocks, &mut take);
    }
}
