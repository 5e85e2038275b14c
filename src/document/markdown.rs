//! Model → CommonMark (with GFM tables), as the Markdown documents look
//! today. Every text is escaped so that parsing the output gives the same
//! model again (less the page breaks, which CommonMark cannot show), and so
//! that no renderer finds markup or a link in it that the model does not
//! hold; ids are written back only where the source gave them.

use std::fmt::Write;

use super::{
    Align, Bijlage, Block, Document, Id, Inline, List, Table, bijlage_label, figure_label,
};

/// The document as CommonMark, ending in one newline.
pub fn to_markdown(doc: &Document) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(title) = &doc.title {
        parts.push(heading(1, title, None, &[]));
    }
    if !doc.header.is_empty() {
        let mut s = String::new();
        for field in &doc.header {
            s.push_str("- **");
            let mut line_start = false;
            text(&field.label, &mut s, &mut line_start, Context::Plain);
            s.push_str(":** ");
            let mut line_start = false;
            inlines(&field.value, &mut s, &mut line_start, Context::Plain);
            s.push('\n');
        }
        parts.push(s.trim_end().to_string());
    }
    // The header is a bullet list with `-`: a list right after it takes `*`.
    let header_list = (!doc.header.is_empty()).then_some((false, false));
    blocks_after(&doc.blocks, &mut parts, header_list);
    for bijlage in &doc.bijlagen {
        write_bijlage(bijlage, &mut parts);
    }
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

fn write_bijlage(b: &Bijlage, parts: &mut Vec<String>) {
    // The prefix is the convention itself: written unescaped.
    let mut s = String::from("## ");
    s.push_str(&bijlage_label(b.number));
    s.push_str(": ");
    let mut line_start = false;
    inlines(&b.title, &mut s, &mut line_start, Context::Heading);
    attributes(Some(&b.id), &b.classes, &mut s);
    parts.push(s);
    blocks(&b.blocks, parts);
}

/// Renders blocks as separate parts (joined by a blank line).
fn blocks(list: &[Block], parts: &mut Vec<String>) {
    blocks_after(list, parts, None);
}

/// `previous_list`: (ordered, alternate marker) of a list right before.
fn blocks_after(list: &[Block], parts: &mut Vec<String>, mut previous_list: Option<(bool, bool)>) {
    for block in list {
        let mut alternate = false;
        if let Block::List(l) = block {
            // Two lists in a row with the same marker would merge into one.
            if let Some((ordered, alt)) = previous_list
                && ordered == l.start.is_some()
            {
                alternate = !alt;
            }
            previous_list = Some((l.start.is_some(), alternate));
        } else if !matches!(block, Block::PageBreak) {
            previous_list = None;
        }
        if let Some(s) = block_md(block, alternate) {
            parts.push(s);
        }
    }
}

fn block_md(block: &Block, alternate: bool) -> Option<String> {
    Some(match block {
        Block::Heading(h) => heading(h.level, &h.content, Some(&h.id), &h.classes),
        Block::Paragraph(content) => paragraph(content),
        Block::List(l) => list(l, alternate),
        Block::Table(t) => table(t),
        Block::Figure(f) => {
            let mut s = String::from("![");
            let mut line_start = false;
            text(&f.alt, &mut s, &mut line_start, Context::Plain);
            let _ = write!(s, "]({})\n\n{}: ", f.chart.name(), figure_label(f.number));
            let mut line_start = false;
            inlines(&f.caption, &mut s, &mut line_start, Context::Plain);
            s
        }
        Block::Quote(inner) => {
            let mut parts = Vec::new();
            blocks(inner, &mut parts);
            let body = parts.join("\n\n");
            if body.is_empty() {
                return Some(">".to_string());
            }
            body.lines()
                .map(|l| {
                    if l.is_empty() {
                        ">".to_string()
                    } else {
                        format!("> {l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
        Block::PageBreak => return None,
        Block::Rule => "---".to_string(),
    })
}

/// A paragraph; a text that would read as a convention is escaped.
fn paragraph(content: &[Inline]) -> String {
    let mut s = String::new();
    let mut line_start = true;
    inlines(content, &mut s, &mut line_start, Context::Paragraph);
    s
}

fn heading(level: u8, content: &[Inline], id: Option<&Id>, classes: &[String]) -> String {
    let multiline = content
        .iter()
        .any(|i| matches!(i, Inline::SoftBreak | Inline::HardBreak));
    let mut s = String::new();
    if multiline && level <= 2 {
        // Only a setext heading can hold a line break.
        let mut line_start = true;
        inlines(content, &mut s, &mut line_start, Context::Heading);
        attributes(id, classes, &mut s);
        s.push('\n');
        s.push_str(if level == 1 { "===" } else { "---" });
        return s;
    }
    for _ in 0..level {
        s.push('#');
    }
    s.push(' ');
    let mut line_start = false;
    inlines(content, &mut s, &mut line_start, Context::Heading);
    attributes(id, classes, &mut s);
    s
}

fn attributes(id: Option<&Id>, classes: &[String], s: &mut String) {
    let id = id.filter(|id| id.given);
    if id.is_none() && classes.is_empty() {
        return;
    }
    s.push_str(" {");
    let mut first = true;
    if let Some(id) = id {
        s.push('#');
        s.push_str(&id.value);
        first = false;
    }
    for class in classes {
        if !first {
            s.push(' ');
        }
        s.push('.');
        s.push_str(class);
        first = false;
    }
    s.push('}');
}

fn list(l: &List, alternate: bool) -> String {
    let mut out = String::new();
    for (n, item) in l.items.iter().enumerate() {
        let marker = match l.start {
            None => (if alternate { "*" } else { "-" }).to_string(),
            Some(start) => format!("{}{}", start + n as u64, if alternate { ")" } else { "." }),
        };
        let indent = " ".repeat(marker.len() + 1);
        let mut parts = Vec::new();
        blocks(item, &mut parts);
        for part in &mut parts {
            // In an item `---` could underline the line before it or, after
            // `- `, make the marker part of a rule.
            if part == "---" {
                *part = "___".to_string();
            }
        }
        let body = parts.join(if l.tight { "\n" } else { "\n\n" });
        if n > 0 {
            out.push_str(if l.tight { "\n" } else { "\n\n" });
        }
        out.push_str(&marker);
        if body.is_empty() {
            continue;
        }
        out.push(' ');
        for (i, line) in body.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
                if !line.is_empty() {
                    out.push_str(&indent);
                }
            }
            out.push_str(line);
        }
    }
    out
}

fn table(t: &Table) -> String {
    let mut s = String::from("Tabel: ");
    let mut line_start = false;
    inlines(&t.caption, &mut s, &mut line_start, Context::Plain);
    attributes(Some(&t.id), &t.classes, &mut s);
    s.push_str("\n\n|");
    for cell in &t.header {
        cell_md(cell, false, &mut s);
    }
    s.push_str("\n|");
    for align in &t.columns {
        s.push_str(match align {
            Align::None => " --- |",
            Align::Left => " :--- |",
            Align::Center => " :---: |",
            Align::Right => " ---: |",
        });
    }
    for row in &t.rows {
        s.push_str("\n|");
        for cell in &row.cells {
            cell_md(cell, row.total, &mut s);
        }
    }
    s
}

fn cell_md(cell: &[Inline], bold: bool, s: &mut String) {
    if cell.is_empty() {
        s.push_str(" |");
        return;
    }
    let mut content = String::new();
    let mut line_start = false;
    if bold {
        content.push_str("**");
    }
    inlines(cell, &mut content, &mut line_start, Context::Plain);
    if bold {
        content.push_str("**");
    }
    // A `|` ends the cell wherever it stands, also in a code span, unless escaped.
    s.push(' ');
    let mut escaped = false;
    for c in content.chars() {
        if c == '|' && !escaped {
            s.push('\\');
        }
        escaped = c == '\\' && !escaped;
        s.push(c);
    }
    s.push_str(" |");
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    /// A paragraph's start may look like a convention (`Tabel:`).
    Paragraph,
    Heading,
    Plain,
}

fn inlines(list: &[Inline], s: &mut String, line_start: &mut bool, ctx: Context) {
    inlines_in(list, s, line_start, ctx, false);
}

fn inlines_in(
    list: &[Inline],
    s: &mut String,
    line_start: &mut bool,
    ctx: Context,
    in_strong: bool,
) {
    let last = list.len().saturating_sub(1);
    for (i, inline) in list.iter().enumerate() {
        match inline {
            Inline::Text(t) => text(t, s, line_start, if i == 0 { ctx } else { Context::Plain }),
            Inline::Strong(c) => {
                s.push_str("**");
                *line_start = false;
                inlines_in(c, s, line_start, Context::Plain, true);
                s.push_str("**");
            }
            Inline::Emphasis(c) => {
                // `***x***` reads as emphasis around strong; inside strong, at
                // its edge, emphasis takes underscores.
                let mark = if in_strong && (i == 0 || i == last) {
                    "_"
                } else {
                    "*"
                };
                s.push_str(mark);
                *line_start = false;
                inlines_in(c, s, line_start, Context::Plain, false);
                s.push_str(mark);
            }
            Inline::Code(t) => {
                let longest = longest_run(t, '`');
                let ticks = "`".repeat(longest + 1);
                let pad = t.starts_with('`')
                    || t.ends_with('`')
                    || (t.starts_with(' ') && t.ends_with(' ') && t.chars().any(|c| c != ' '));
                s.push_str(&ticks);
                if pad {
                    s.push(' ');
                }
                s.push_str(t);
                if pad {
                    s.push(' ');
                }
                s.push_str(&ticks);
                *line_start = false;
            }
            Inline::Link {
                dest,
                title,
                content,
            } => {
                s.push('[');
                *line_start = false;
                inlines_in(content, s, line_start, Context::Plain, false);
                s.push_str("](");
                link_dest(dest, s);
                if !title.is_empty() {
                    s.push_str(" \"");
                    for c in title.chars() {
                        if matches!(c, '"' | '\\' | '&') {
                            s.push('\\');
                        }
                        s.push(c);
                    }
                    s.push('"');
                }
                s.push(')');
            }
            Inline::SoftBreak => {
                s.push('\n');
                *line_start = true;
            }
            Inline::HardBreak => {
                s.push_str("\\\n");
                *line_start = true;
            }
        }
    }
}

fn longest_run(t: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in t.chars() {
        if ch == c {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

fn link_dest(dest: &str, s: &mut String) {
    let plain = !dest.is_empty()
        && dest.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || "-._~:/?#@!$'*+,;=%".contains(c)
                || (!c.is_ascii() && !c.is_whitespace())
        });
    if plain {
        s.push_str(dest);
        return;
    }
    s.push('<');
    for c in dest.chars() {
        if matches!(c, '<' | '>' | '\\' | '&') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('>');
}

/// Escapes a text so that CommonMark reads it back as the same text.
fn text(t: &str, s: &mut String, line_start: &mut bool, ctx: Context) {
    let chars: Vec<char> = t.chars().collect();
    // A prefix that a convention would read (`Tabel:`, `Grafiek 2:`, `Bijlage:`):
    // escape its colon.
    let mut convention_colon = None;
    if ctx != Context::Plain && *line_start || ctx == Context::Heading {
        for word in ["Tabel", "Grafiek", "Bijlage"] {
            if let Some(rest) = t.strip_prefix(word) {
                let digits = rest
                    .strip_prefix(' ')
                    .map_or(0, |d| d.chars().take_while(char::is_ascii_digit).count());
                let colon = word.len() + if digits > 0 { 1 + digits } else { 0 };
                if t[colon..].starts_with(':') {
                    convention_colon = Some(t[..colon].chars().count());
                }
            }
        }
    }
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if *line_start {
            match c {
                ' ' => {
                    s.push_str("&#32;");
                    continue;
                }
                '\t' => {
                    s.push_str("&#9;");
                    continue;
                }
                '-' | '+' | '=' | '~' => s.push('\\'),
                _ => {}
            }
            if c.is_ascii_digit() {
                // `1.` or `1)` followed by a blank starts a list.
                let run: String = chars[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                let after = chars.get(i + run.len()).copied();
                let after2 = chars.get(i + run.len() + 1).copied();
                if matches!(after, Some('.' | ')')) && matches!(after2, None | Some(' ' | '\t')) {
                    s.push_str(&run);
                    s.push('\\');
                    // The rest (from the delimiter) is written below.
                    *line_start = false;
                    let rest = &chars[i + run.len()..];
                    for (j, &c) in rest.iter().enumerate() {
                        push_escaped(c, rest.get(j + 1).copied(), s);
                    }
                    return;
                }
            }
            *line_start = false;
        }
        if Some(i) == convention_colon || autolink_trigger(&chars, i) {
            s.push('\\');
        }
        push_escaped(c, next, s);
    }
}

/// The characters by which GFM renderers turn a plain web or mail address
/// into a link (`https://`, `www.`, `@`): escaped, no link appears that the
/// model does not hold.
fn autolink_trigger(chars: &[char], i: usize) -> bool {
    match chars[i] {
        ':' => chars.get(i + 1) == Some(&'/') && chars.get(i + 2) == Some(&'/'),
        '.' => {
            i >= 3
                && chars[i - 3..i]
                    .iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case("www")
        }
        '@' => true,
        _ => false,
    }
}

/// A character escaped wherever it stands: CommonMark's and GFM's syntax, and that
/// of the dialects a reader may use (pandoc, GitLab: `$` math, `~` strikethrough
/// and subscript, `^` superscript, `{}` attributes).
fn push_escaped(c: char, next: Option<char>, s: &mut String) {
    match c {
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '{' | '}' | '$' | '~'
        | '^' => s.push('\\'),
        '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#') => s.push('\\'),
        _ => {}
    }
    s.push(c);
}
