//! The chart's root element: ready for inlining in HTML5 and for standalone
//! files.

use std::fmt::Write as _;

/// Escapes text for XML character data and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Wraps the drawn elements in the chart's root element:
///
/// - no XML declaration (HTML5 inlining; `build::svg_bestand` adds one for
///   a standalone file);
/// - `viewBox`, intrinsic `width`/`height` plus a style that lets it shrink
///   with its container, `role="img"` and `aria-labelledby` pointing at the
///   `<title>` and `<desc>`;
/// - `<title>` and `<desc>` as the first children.
pub(crate) fn finish(
    body: &str,
    id: &str,
    title: &str,
    description: &str,
    width: u32,
    height: u32,
) -> String {
    let mut out = String::with_capacity(body.len() + 512);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" style=\"max-width:100%;height:auto\" \
         role=\"img\" aria-labelledby=\"{id}-titel {id}-beschrijving\">\n\
         <title id=\"{id}-titel\">{}</title>\n\
         <desc id=\"{id}-beschrijving\">{}</desc>\n",
        escape(title),
        escape(description),
    );
    out.push_str(body);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }

    #[test]
    fn finish_writes_the_root_with_title_and_desc() {
        let svg = finish(
            "<text x=\"1\">a</text>\n",
            "grafiek-x",
            "T & t",
            "D <d>",
            10,
            5,
        );
        assert_eq!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"5\" viewBox=\"0 0 10 5\" \
             style=\"max-width:100%;height:auto\" role=\"img\" \
             aria-labelledby=\"grafiek-x-titel grafiek-x-beschrijving\">\n\
             <title id=\"grafiek-x-titel\">T &amp; t</title>\n\
             <desc id=\"grafiek-x-beschrijving\">D &lt;d&gt;</desc>\n\
             <text x=\"1\">a</text>\n</svg>\n"
        );
    }
}
