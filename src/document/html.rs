//! Model → the body of an HTML page (the page shell with its CSS is a
//! template, `templates/pagina.html`). The classes its stylesheet styles:
//! `meta`, `tabel`, `getal`, `totaal`, `bijlage` (a section that starts on
//! a new page in print), `pagina-einde` (a page break) and `midden` (a
//! centred column). A figure shows the chart's SVG inline, which
//! carries its own text alternative (`role="img"`, `<title>`, `<desc>`); the
//! Markdown alt text serves the CommonMark and Word outputs.

use std::fmt::Write;

use super::{
    Align, Bijlage, Block, Document, Figure, Inline, List, Table, bijlage_label, figure_label,
};

/// The document's body: title, memo header, sections and bijlagen.
pub fn to_html(doc: &Document) -> String {
    let mut out = String::with_capacity(4096);
    if let Some(title) = &doc.title {
        out.push_str("<h1>");
        inlines(title, &mut out);
        out.push_str("</h1>\n");
    }
    if !doc.header.is_empty() {
        out.push_str("<dl class=\"meta\">\n");
        for field in &doc.header {
            out.push_str("<dt>");
            escape(&field.label, &mut out);
            out.push_str("</dt><dd>");
            inlines(&field.value, &mut out);
            out.push_str("</dd>\n");
        }
        out.push_str("</dl>\n");
    }
    blocks(&doc.blocks, &mut out);
    for bijlage in &doc.bijlagen {
        write_bijlage(bijlage, &mut out);
    }
    out
}

fn write_bijlage(b: &Bijlage, out: &mut String) {
    out.push_str("<section class=\"bijlage");
    for class in &b.classes {
        out.push(' ');
        escape(class, out);
    }
    out.push_str("\" aria-labelledby=\"");
    escape(&b.id.value, out);
    out.push_str("\">\n<h2 id=\"");
    escape(&b.id.value, out);
    out.push_str("\">");
    escape(&bijlage_label(b.number), out);
    out.push_str(": ");
    inlines(&b.title, out);
    out.push_str("</h2>\n");
    blocks(&b.blocks, out);
    out.push_str("</section>\n");
}

fn blocks(list: &[Block], out: &mut String) {
    for block in list {
        block_html(block, false, out);
    }
}

fn block_html(block: &Block, tight: bool, out: &mut String) {
    match block {
        Block::Heading(h) => {
            let _ = write!(out, "<h{} id=\"", h.level);
            escape(&h.id.value, out);
            out.push('"');
            class_attr(&h.classes, out);
            out.push('>');
            inlines(&h.content, out);
            let _ = writeln!(out, "</h{}>", h.level);
        }
        Block::Paragraph(content) if tight => inlines(content, out),
        Block::Paragraph(content) => {
            out.push_str("<p>");
            inlines(content, out);
            out.push_str("</p>\n");
        }
        Block::List(list) => write_list(list, out),
        Block::Table(table) => write_table(table, out),
        Block::Figure(figure) => write_figure(figure, out),
        Block::Quote(inner) => {
            out.push_str("<blockquote>\n");
            blocks(inner, out);
            out.push_str("</blockquote>\n");
        }
        Block::PageBreak => out.push_str("<div class=\"pagina-einde\"></div>\n"),
        Block::Rule => out.push_str("<hr>\n"),
    }
}

fn write_list(list: &List, out: &mut String) {
    match list.start {
        None => out.push_str("<ul>\n"),
        Some(1) => out.push_str("<ol>\n"),
        Some(n) => {
            let _ = writeln!(out, "<ol start=\"{n}\">");
        }
    }
    for item in &list.items {
        out.push_str("<li>");
        for (i, block) in item.iter().enumerate() {
            if list.tight && i > 0 {
                out.push('\n');
            }
            if !list.tight && i == 0 {
                out.push('\n');
            }
            block_html(block, list.tight, out);
        }
        out.push_str("</li>\n");
    }
    out.push_str(if list.start.is_some() {
        "</ol>\n"
    } else {
        "</ul>\n"
    });
}

fn align_class(align: Align) -> &'static str {
    match align {
        Align::Right => " class=\"getal\"",
        Align::Center => " class=\"midden\"",
        Align::None | Align::Left => "",
    }
}

fn write_table(t: &Table, out: &mut String) {
    out.push_str("<div class=\"tabel\" role=\"region\" aria-labelledby=\"");
    escape(&t.id.value, out);
    out.push_str("\" tabindex=\"0\">\n<table");
    class_attr(&t.classes, out);
    out.push_str(">\n<caption id=\"");
    escape(&t.id.value, out);
    out.push_str("\">");
    inlines(&t.caption, out);
    out.push_str("</caption>\n<thead><tr>");
    for (cell, align) in t.header.iter().zip(&t.columns) {
        out.push_str("<th scope=\"col\"");
        out.push_str(align_class(*align));
        out.push('>');
        inlines(cell, out);
        out.push_str("</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str(if row.total {
            "<tr class=\"totaal\">"
        } else {
            "<tr>"
        });
        for (i, (cell, align)) in row.cells.iter().zip(&t.columns).enumerate() {
            let tag = if i == 0 { "th" } else { "td" };
            out.push('<');
            out.push_str(tag);
            if i == 0 {
                out.push_str(" scope=\"row\"");
            }
            out.push_str(align_class(*align));
            out.push('>');
            inlines(cell, out);
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

fn write_figure(f: &Figure, out: &mut String) {
    let id = &f.id.value;
    out.push_str("<figure id=\"");
    escape(id, out);
    out.push_str("\" aria-labelledby=\"");
    escape(id, out);
    out.push_str("-bijschrift\">\n");
    out.push_str(svg_element(f.chart.svg()).trim());
    out.push_str("\n<figcaption id=\"");
    escape(id, out);
    out.push_str("-bijschrift\"><strong>");
    escape(&figure_label(f.number), out);
    out.push_str(".</strong> ");
    inlines(&f.caption, out);
    out.push_str("</figcaption>\n</figure>\n");
}

/// The SVG without its XML declaration, which has no place inside HTML.
fn svg_element(svg: &str) -> &str {
    let svg = svg.trim_start_matches('\u{feff}').trim_start();
    match svg.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(svg, |(_, body)| body),
        None => svg,
    }
}

fn class_attr(classes: &[String], out: &mut String) {
    if classes.is_empty() {
        return;
    }
    out.push_str(" class=\"");
    escape(&classes.join(" "), out);
    out.push('"');
}

fn inlines(list: &[Inline], out: &mut String) {
    for inline in list {
        match inline {
            Inline::Text(t) => escape(t, out),
            Inline::Strong(c) => {
                out.push_str("<strong>");
                inlines(c, out);
                out.push_str("</strong>");
            }
            Inline::Emphasis(c) => {
                out.push_str("<em>");
                inlines(c, out);
                out.push_str("</em>");
            }
            Inline::Code(t) => {
                out.push_str("<code>");
                escape(t, out);
                out.push_str("</code>");
            }
            Inline::Link {
                dest,
                title,
                content,
            } => {
                out.push_str("<a href=\"");
                escape(dest, out);
                out.push('"');
                if !title.is_empty() {
                    out.push_str(" title=\"");
                    escape(title, out);
                    out.push('"');
                }
                out.push('>');
                inlines(content, out);
                out.push_str("</a>");
            }
            Inline::SoftBreak => out.push('\n'),
            Inline::HardBreak => out.push_str("<br>\n"),
        }
    }
}

/// Escapes text for an element or a quoted attribute.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}
