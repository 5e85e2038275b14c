//! Markdown text from the inputs, made safe for each kind of output.
//!
//! In HTML, Markdown is rendered by pulldown-cmark and then sanitised by
//! ammonia, so raw HTML in an input can never reach a reader's browser. In the
//! Markdown documents, the text is kept as Markdown but `<` and `>` are written
//! as entities, so it cannot open raw HTML there either.

use pulldown_cmark::{Options, Parser, html};

/// Block-level Markdown to sanitised HTML.
pub fn naar_html(md: &str) -> String {
    let mut out = String::with_capacity(md.len() * 2);
    html::push_html(&mut out, Parser::new_ext(md, Options::empty()));
    // No images: the documents are self-contained, and an image from an input would
    // be fetched from elsewhere when the memo is opened.
    ammonia::Builder::default()
        .rm_tags(&["img"])
        .link_rel(Some("noopener noreferrer"))
        .clean(&out)
        .to_string()
}

/// Markdown of one paragraph to sanitised inline HTML (without the `<p>` around it),
/// for list items and table cells.
pub fn naar_html_inline(md: &str) -> String {
    let html = naar_html(md);
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Markdown text for a Markdown document: raw HTML neutralised, links to script
/// schemes disarmed, lines joined so that a list item stays one item.
pub fn veilig(md: &str) -> String {
    let md = md.trim();
    // Most texts (and every number in a table) need no change: one copy, no passes.
    if !md.contains(['<', '>', '\n', ':']) {
        return md.to_owned();
    }
    ontwapen(
        &md.replace('<', "&lt;")
            .replace('>', "&gt;")
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// A zero-width space before the colon of `javascript:`, `vbscript:` and `data:` (any
/// case), so that a Markdown viewer never sees a link with such a scheme: the text reads
/// the same, the link goes nowhere.
fn ontwapen(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut uit = String::with_capacity(s.len());
    let mut vanaf = 0;
    let mut i = 0;
    while i < s.len() {
        let rest = &lower[i..];
        if let Some(schema) = ["javascript:", "vbscript:", "data:"]
            .iter()
            .find(|sch| rest.starts_with(**sch))
        {
            let dubbelepunt = i + schema.len() - 1;
            uit.push_str(&s[vanaf..dubbelepunt]);
            uit.push('\u{200B}');
            vanaf = dubbelepunt;
            i = dubbelepunt + 1;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    uit.push_str(&s[vanaf..]);
    uit
}

/// Text for a Markdown table cell: as [`veilig`], with `|` escaped.
pub fn cel(s: &str) -> String {
    let s = veilig(s);
    if s.contains('|') {
        s.replace('|', "\\|")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_links_to_scripts_are_disarmed() {
        let out = veilig("[klik](JavaScript:alert(1)) en data: ëén");
        assert!(!out.to_ascii_lowercase().contains("javascript:"), "{out}");
        assert_eq!(
            out.replace('\u{200B}', ""),
            "[klik](JavaScript:alert(1)) en data: ëén"
        );
    }

    #[test]
    fn html_is_sanitised() {
        let out = naar_html("Tekst <script>alert(1)</script> en <b onclick=\"x()\">vet</b>");
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
    }

    #[test]
    fn inline_drops_the_paragraph() {
        assert_eq!(
            naar_html_inline("een *korte* tekst"),
            "een <em>korte</em> tekst"
        );
    }

    #[test]
    fn markdown_output_neutralises_html() {
        assert_eq!(veilig("a <img src=x>\n b"), "a &lt;img src=x&gt; b");
        assert_eq!(cel("a | b"), "a \\| b");
    }

    #[test]
    fn plain_text_is_only_trimmed() {
        assert_eq!(veilig("  2.410 "), "2.410");
        assert_eq!(veilig(""), "");
        assert_eq!(cel("sep. 2024"), "sep. 2024");
        // Only a line break makes the lines be trimmed and joined.
        assert_eq!(veilig(" a \r\n  b \n"), "a b");
    }
}
