//! Finishing plotters' SVG for inlining in HTML5 and for standalone files.

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

/// Turns plotters' raw SVG into the chart's final SVG:
///
/// - no XML declaration (HTML5 inlining);
/// - a new root tag with `viewBox`, intrinsic `width`/`height` plus a style
///   that lets it shrink with its container, `role="img"` and
///   `aria-labelledby` pointing at the `<title>` and `<desc>`;
/// - `<title>` and `<desc>` as the first children;
/// - `font-size` values rounded (plotters writes e.g. `13.000000000000002`);
/// - no stray newline inside `<text>` elements.
pub(crate) fn finish(
    raw: &str,
    id: &str,
    title: &str,
    description: &str,
    width: u32,
    height: u32,
) -> String {
    let mut body = raw.trim_start();
    if body.starts_with("<?xml") {
        body = body[body.find("?>").map_or(0, |i| i + 2)..].trim_start();
    }
    // Drop plotters' root tag; we write our own.
    if body.starts_with("<svg") {
        body = &body[body.find('>').map_or(0, |i| i + 1)..];
    }
    let body = body.trim_start_matches('\n');

    let mut out = String::with_capacity(raw.len() + 512);
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
    out.push_str(&tidy(body));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Rounds `font-size` attribute values to two decimals and removes the
/// newline plotters puts before `</text>`.
fn tidy(body: &str) -> String {
    const KEY: &str = "font-size=\"";
    let body = strip_text_newlines(body);
    let mut out = String::with_capacity(body.len());
    let mut rest = body.as_str();
    while let Some(i) = rest.find(KEY) {
        let start = i + KEY.len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        match value.parse::<f64>() {
            Ok(v) => out.push_str(&format_px(v)),
            Err(_) => out.push_str(value),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// plotters writes `<text ...>\ncontent\n</text>`; make it
/// `<text ...>content</text>` so no whitespace ends up in the label.
fn strip_text_newlines(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find("<text ") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let Some(close) = rest.find("</text>") else {
            break;
        };
        out.push_str(&rest[..=open_end]);
        out.push_str(rest[open_end + 1..close].trim_matches('\n'));
        out.push_str("</text>");
        rest = &rest[close + "</text>".len()..];
    }
    out.push_str(rest);
    out
}

/// A pixel value with at most two decimals and no trailing zeros.
fn format_px(v: f64) -> String {
    let s = format!("{:.2}", (v * 100.0).round() / 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }

    #[test]
    fn finish_rewrites_root_and_adds_title_and_desc() {
        let raw = "<svg width=\"10\" height=\"5\" viewBox=\"0 0 10 5\" xmlns=\"http://www.w3.org/2000/svg\">\n\
                   <text x=\"1\" font-size=\"13.000000000000002\">\na\n</text>\n</svg>\n";
        let svg = finish(raw, "grafiek-x", "T & t", "D <d>", 10, 5);
        assert_eq!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"5\" viewBox=\"0 0 10 5\" \
             style=\"max-width:100%;height:auto\" role=\"img\" \
             aria-labelledby=\"grafiek-x-titel grafiek-x-beschrijving\">\n\
             <title id=\"grafiek-x-titel\">T &amp; t</title>\n\
             <desc id=\"grafiek-x-beschrijving\">D &lt;d&gt;</desc>\n\
             <text x=\"1\" font-size=\"13\">a</text>\n</svg>\n"
        );
    }

    #[test]
    fn finish_drops_an_xml_declaration() {
        let raw = "<?xml version=\"1.0\"?>\n<svg width=\"1\">\n</svg>\n";
        let svg = finish(raw, "g", "t", "d", 1, 1);
        assert!(svg.starts_with("<svg xmlns"));
        assert!(!svg.contains("<?xml"));
    }

    #[test]
    fn px_values_are_short() {
        assert_eq!(format_px(13.000000000000002), "13");
        assert_eq!(format_px(12.5), "12.5");
        assert_eq!(format_px(10.4999), "10.5");
    }
}
