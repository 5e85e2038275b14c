//! Text from the inputs in the documents: the one place that decides what an
//! input text may do there.
//!
//! **Contract.** Every value a Markdown document shows reaches it through this
//! module: [`letterlijk`] for plain text (Tera applies it to every `{{ value }}`
//! of a `.md` template, see [`escape_fn`]) and [`tekst`] or [`cel`] for the
//! fields that are Markdown (the `md_tekst` and `md_cel` filters). What they
//! return is one line that, placed anywhere inline in a CommonMark or
//! GitHub-flavoured Markdown document (a paragraph, a list item, a table cell,
//! a heading), reads as
//!
//! - [`letterlijk`]: exactly the characters of the value, as text;
//! - [`tekst`], [`cel`]: text, emphasis, strong emphasis, code spans and links
//!   whose destination passes [`veilige_url`] (`http:`, `https:`, `mailto:` or a
//!   relative path);
//!
//! and never as raw HTML (block or inline), an image, a link or autolink with
//! another scheme however it is written (entities, percent-encoding, mixed case,
//! spaces or control characters inside), a link reference or its definition, a
//! block (heading, list, quote, code block, table, rule), an extension's syntax
//! (attributes `{…}`, math `$…$`, strikethrough, footnotes, pandoc's raw
//! `{=html}`), or anything that changes the text around it. Characters that
//! could mean something are written with a backslash (`\*`, `\<`, `\[`), which
//! every CommonMark reader shows as the character itself.
//!
//! Every format comes from that one Markdown text: a document's template is
//! filled through this module and parsed once into the `document` model, which
//! holds no markup (raw HTML stays text) and no link outside the schemes above,
//! and writes HTML, CommonMark and Word from it (see [`super::formats`]). The
//! model's parser is a second line of defence: what this module lets through is
//! checked again there. The text written here also never reads as one of the
//! model's own conventions (`Tabel:`, `Grafiek:`, `\newpage`, `{#id}`): their
//! characters are escaped like any other.
//!
//! [`veilige_events`] is the event stream of a Markdown text with HTML turned
//! into text, images into their description and links that fail
//! [`veilige_url`] into their text; [`tekst`] and [`cel`] write it back.

use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// The schemes a link from an input may have; anything else is not a link.
const SCHEMAS: [&str; 3] = ["http:", "https:", "mailto:"];

/// The destination of a link from an input as it is written into a document,
/// or `None` when the link must go (its text stays).
///
/// First what a browser does to a URL: leading and trailing spaces and control
/// characters are dropped, and so are tabs and line breaks inside. What is left
/// must start with `http:`, `https:` or `mailto:` (any case), or be a relative
/// reference whose first segment (up to `/`, `?` or `#`) holds no `:` and
/// nothing that could hide one (`%`, `&`, `\`). So `&#106;avascript:`,
/// `%6Aavascript:`, `JaVaScRiPt:` and `java\tscript:` all go. Other spaces and
/// control characters are percent-encoded.
pub fn veilige_url(dest: &str) -> Option<String> {
    let d: String = dest
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let klein = d.to_ascii_lowercase();
    let toegestaan = SCHEMAS.iter().any(|s| klein.starts_with(s)) || {
        let kop = d.split(['/', '?', '#']).next().unwrap_or("");
        !kop.contains([':', '%', '&', '\\'])
    };
    if !toegestaan || d.is_empty() {
        return None;
    }
    let mut uit = String::with_capacity(d.len());
    for c in d.chars() {
        if c <= ' ' || c == '\u{7f}' {
            let _ = write!(uit, "%{:02X}", c as u32);
        } else {
            uit.push(c);
        }
    }
    Some(uit)
}

/// The events of a Markdown text from an input, made safe: raw HTML becomes
/// text, an image becomes its description, a link whose destination fails
/// [`veilige_url`] becomes its text, and link titles are dropped.
pub fn veilige_events(md: &str) -> impl Iterator<Item = Event<'_>> {
    // Per open link: whether its start was kept, so that its end is kept too.
    let mut links: Vec<bool> = Vec::new();
    Parser::new_ext(md, Options::empty()).filter_map(move |e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Some(Event::Text(t)),
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
        // The description of an image comes as text between these two.
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }) => {
            let dest = if link_type == LinkType::Email {
                format!("mailto:{dest_url}")
            } else {
                dest_url.to_string()
            };
            let veilig = veilige_url(&dest);
            links.push(veilig.is_some());
            veilig.map(|u| {
                Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: CowStr::from(u),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                })
            })
        }
        Event::End(TagEnd::Link) => links.pop().unwrap_or(false).then_some(e),
        e => Some(e),
    })
}

/// Plain text as Markdown that shows exactly this text, on one line.
pub fn letterlijk(s: &str) -> String {
    let s = s.trim();
    if is_gewoon(s) {
        return s.to_owned();
    }
    let mut uit = String::with_capacity(s.len() + 8);
    let mut regels = s
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(eerste) = regels.next() {
        schrijf_tekst(&mut uit, eerste);
    }
    for r in regels {
        uit.push(' ');
        schrijf_tekst(&mut uit, r);
    }
    veilig_begin(uit)
}

/// Markdown text from an input for running text: see the module's contract.
pub fn tekst(md: &str) -> String {
    herschrijf(md, Plaats::Tekst)
}

/// Markdown text from an input for a table cell: as [`tekst`], and a `|` (also
/// in a code span) is escaped so that it cannot end the cell.
pub fn cel(md: &str) -> String {
    herschrijf(md, Plaats::Cel)
}

/// Tera's escape function for the `.md` templates: every value that is not
/// marked safe (the output of `md_tekst` and `md_cel` is) passes [`letterlijk`].
pub fn escape_fn(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let t = s.trim();
    if is_gewoon(t) {
        // Every number and date of a table: written as it is, without a copy.
        return out.write_all(t.as_bytes());
    }
    out.write_all(letterlijk(s).as_bytes())
}

/// Whether trimmed text needs nothing to read as itself: most values (every number,
/// date and name). All characters [`is_bijzonder`] are ASCII, so bytes suffice.
fn is_gewoon(s: &str) -> bool {
    !s.bytes()
        .any(|b| b.is_ascii() && is_bijzonder(char::from(b)))
        && !s.bytes().next().is_some_and(|b| {
            matches!(b, b'#' | b'-' | b'+' | b'=' | b':' | b'0'..=b'9') && begint_blok(s)
        })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Plaats {
    Tekst,
    Cel,
}

/// Characters that mean something somewhere in Markdown or one of its dialects
/// (`^` is superscript in pandoc and pulldown-cmark, `$` math, `{` attributes).
fn is_bijzonder(c: char) -> bool {
    matches!(
        c,
        '\\' | '`'
            | '*'
            | '_'
            | '['
            | ']'
            | '<'
            | '>'
            | '|'
            | '~'
            | '{'
            | '}'
            | '$'
            | '^'
            | '&'
            | ':'
            | '\n'
            | '\r'
    )
}

/// Whether a line starting with `s` could open a block: its first word is made of
/// `#`, `-`, `+`, `=` or `:` alone (a heading, a list item, a rule, a setext
/// underline, a definition or a fenced div), or is an ordered list marker (`1.`, `12)`).
fn begint_blok(s: &str) -> bool {
    let woord = s.split(char::is_whitespace).next().unwrap_or("");
    let Some(eerste) = woord.chars().next() else {
        return false;
    };
    if matches!(eerste, '#' | '-' | '+' | '=' | ':') && woord.chars().all(|c| c == eerste) {
        return true;
    }
    let cijfers = woord.bytes().take_while(u8::is_ascii_digit).count();
    (1..=9).contains(&cijfers) && matches!(&woord[cijfers..], "." | ")")
}

/// `s` with a backslash before the character that would open a block at the start.
fn veilig_begin(s: String) -> String {
    if !begint_blok(&s) {
        return s;
    }
    let cijfers = s.bytes().take_while(u8::is_ascii_digit).count();
    let mut uit = String::with_capacity(s.len() + 1);
    uit.push_str(&s[..cijfers]);
    uit.push('\\');
    uit.push_str(&s[cijfers..]);
    uit
}

/// Writes text so that it reads as itself: see [`is_bijzonder`]. A `&` is escaped
/// where it could start an entity, a `:` where it could end a URL scheme other
/// than those of [`SCHEMAS`] (an autolinker would otherwise make a link of
/// `javascript:x`), and line breaks become spaces.
fn schrijf_tekst(uit: &mut String, t: &str) {
    let mut tekens = t.chars().peekable();
    while let Some(c) = tekens.next() {
        let volgend = tekens.peek().copied();
        match c {
            '\n' | '\r' => uit.push(' '),
            '&' if volgend.is_none_or(|n| n == '#' || n.is_ascii_alphanumeric()) => {
                uit.push_str("\\&");
            }
            ':' if volgend.is_none_or(|n| !n.is_whitespace()) && schema_ervoor(uit) => {
                uit.push_str("\\:");
            }
            ':' if is_label(uit) => uit.push_str("\\:"),
            '&' | ':' => uit.push(c),
            c if is_bijzonder(c) => {
                uit.push('\\');
                uit.push(c);
            }
            c => uit.push(c),
        }
    }
}

/// Whether `uit` is a label of the document flavour (`Tabel`, `Grafiek 2`,
/// `Bijlage`), which a `:` after it would make a caption or a bijlage when the
/// value starts a paragraph or heading.
fn is_label(uit: &str) -> bool {
    ["Tabel", "Grafiek", "Bijlage"].iter().any(|label| {
        uit.strip_prefix(label).is_some_and(|rest| {
            rest.is_empty()
                || rest
                    .strip_prefix(' ')
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
    })
}

/// Whether `uit` ends with a word that a `:` would make a URL scheme other than
/// those allowed: letters, digits, `+`, `-`, `.`, with at least one letter.
fn schema_ervoor(uit: &str) -> bool {
    let begin = uit
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        .last()
        .map_or(uit.len(), |(i, _)| i);
    let woord = uit[begin..].to_ascii_lowercase();
    woord.bytes().any(|b| b.is_ascii_alphabetic())
        && !SCHEMAS
            .iter()
            .any(|s| s.strip_suffix(':') == Some(woord.as_str()))
}

/// What an open element collects until its end.
enum Soort {
    Wortel,
    Nadruk,
    Sterk,
    Link(String),
    /// A code block: its text, raw, to become a code span.
    Codeblok,
    /// Any other inline element (none with the parser's options): its text stays.
    Anders,
}

struct Frame {
    soort: Soort,
    buf: String,
}

/// The events of [`veilige_events`] written back as one line of Markdown.
fn herschrijf(md: &str, plaats: Plaats) -> String {
    let mut stapel = vec![Frame {
        soort: Soort::Wortel,
        buf: String::with_capacity(md.len() + 16),
    }];
    // Per open list: the number of its next item (`None` for a bullet list).
    let mut lijsten: Vec<Option<u64>> = Vec::new();
    for e in pulldown_cmark::TextMergeStream::new(veilige_events(md)) {
        let genest = stapel.len() > 1;
        let top = stapel.last_mut().expect("the root frame stays");
        match e {
            Event::Text(t) => {
                if matches!(top.soort, Soort::Codeblok) {
                    top.buf.push_str(&t);
                } else {
                    schrijf_tekst(&mut top.buf, &t);
                }
            }
            Event::Code(c) => code(&mut top.buf, &c, plaats),
            Event::SoftBreak | Event::HardBreak | Event::Rule => spatie(&mut top.buf),
            Event::Start(tag) => {
                let soort = match tag {
                    Tag::Emphasis => Soort::Nadruk,
                    Tag::Strong => Soort::Sterk,
                    Tag::Link { dest_url, .. } => Soort::Link(dest_url.to_string()),
                    Tag::CodeBlock(_) => Soort::Codeblok,
                    Tag::List(start) => {
                        lijsten.push(start);
                        spatie(&mut top.buf);
                        continue;
                    }
                    Tag::Item => {
                        spatie(&mut top.buf);
                        match lijsten.last_mut() {
                            Some(Some(n)) => {
                                let _ = write!(top.buf, "{n}. ");
                                *n += 1;
                            }
                            _ => top.buf.push_str("• "),
                        }
                        continue;
                    }
                    Tag::Superscript | Tag::Subscript | Tag::Strikethrough => Soort::Anders,
                    // Any other block: its text continues the line.
                    _ => {
                        spatie(&mut top.buf);
                        continue;
                    }
                };
                stapel.push(Frame {
                    soort,
                    buf: String::new(),
                });
            }
            Event::End(TagEnd::List(_)) => {
                lijsten.pop();
            }
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Link
                | TagEnd::CodeBlock
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Strikethrough,
            ) if genest => {
                let frame = stapel.pop().expect("more than the root");
                let ouder = &mut stapel.last_mut().expect("the root frame stays").buf;
                sluit(ouder, frame, plaats);
            }
            Event::End(_) => spatie(&mut top.buf),
            // Not produced with the parser's options; kept as text if they ever are.
            Event::InlineMath(t)
            | Event::DisplayMath(t)
            | Event::FootnoteReference(t)
            | Event::Html(t)
            | Event::InlineHtml(t) => schrijf_tekst(&mut top.buf, &t),
            Event::TaskListMarker(_) => {}
        }
    }
    // Balanced events leave only the root; close anything left, to be sure.
    while stapel.len() > 1 {
        let frame = stapel.pop().expect("more than the root");
        sluit(
            &mut stapel.last_mut().expect("the root frame stays").buf,
            frame,
            plaats,
        );
    }
    let wortel = stapel.pop().expect("the root frame stays").buf;
    // Only the spaces between blocks are ours; other whitespace (a no-break space)
    // is the text's own and stays.
    veilig_begin(wortel.trim_matches([' ', '\t']).to_owned())
}

/// A space between blocks, unless the line is empty or already ends with one.
fn spatie(buf: &mut String) {
    if !buf.is_empty() && !buf.ends_with(' ') {
        buf.push(' ');
    }
}

/// Writes a closed element into its parent.
fn sluit(ouder: &mut String, frame: Frame, plaats: Plaats) {
    let binnen = frame.buf.trim();
    match frame.soort {
        Soort::Nadruk if omsluitbaar(binnen) => {
            let _ = write!(ouder, "*{binnen}*");
        }
        Soort::Sterk if omsluitbaar(binnen) => {
            let _ = write!(ouder, "**{binnen}**");
        }
        Soort::Link(dest) if !binnen.is_empty() => {
            ouder.push('[');
            ouder.push_str(binnen);
            ouder.push_str("](");
            for c in dest.chars() {
                if matches!(c, '\\' | '(' | ')' | '<' | '>' | '&' | '|') {
                    ouder.push('\\');
                }
                ouder.push(c);
            }
            ouder.push(')');
        }
        Soort::Codeblok => {
            spatie(ouder);
            let regel = binnen
                .split_ascii_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            code(ouder, &regel, plaats);
            ouder.push(' ');
        }
        // Emphasis that could not be written unambiguously, an empty link, or
        // another element: the text stays.
        _ => ouder.push_str(&frame.buf),
    }
}

/// Whether `*` and `**` around `binnen` open and close wherever it stands: it
/// starts and ends with a letter or digit, or with emphasis of its own.
fn omsluitbaar(binnen: &str) -> bool {
    let goed = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '*');
    goed(binnen.chars().next()) && goed(binnen.chars().next_back())
}

/// A code span that holds `inhoud` literally: fenced by one backtick more than its
/// longest run, with a space inside when it starts or ends with a backtick or a
/// space. In a table cell a `|` is escaped (GitHub's tables take `\|` as `|` there).
fn code(uit: &mut String, inhoud: &str, plaats: Plaats) {
    if inhoud.is_empty() {
        return;
    }
    let mut langste = 0;
    let mut run = 0;
    for c in inhoud.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        langste = langste.max(run);
    }
    let hek = "`".repeat(langste + 1);
    let opvulling = inhoud.starts_with(['`', ' ']) || inhoud.ends_with(['`', ' ']);
    let inhoud = inhoud.replace(['\n', '\r'], " ");
    let inhoud = if plaats == Plaats::Cel {
        inhoud.replace('|', "\\|")
    } else {
        inhoud
    };
    uit.push_str(&hek);
    if opvulling {
        uit.push(' ');
    }
    uit.push_str(&inhoud);
    if opvulling {
        uit.push(' ');
    }
    uit.push_str(&hek);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every link destination and every HTML node of `md` read as CommonMark
    /// with every extension pulldown-cmark knows.
    fn lees(md: &str) -> (Vec<String>, Vec<String>, String) {
        let mut links = Vec::new();
        let mut html = Vec::new();
        let mut tekst = String::new();
        for e in Parser::new_ext(md, Options::all() - Options::ENABLE_SMART_PUNCTUATION) {
            match e {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    links.push(dest_url.to_string());
                }
                Event::Html(h) | Event::InlineHtml(h) => html.push(h.to_string()),
                Event::Text(t) | Event::Code(t) => tekst.push_str(&t),
                Event::SoftBreak | Event::HardBreak => tekst.push(' '),
                _ => {}
            }
        }
        (links, html, tekst)
    }

    #[test]
    fn plain_text_reads_as_itself() {
        for s in [
            "a <b> & c",
            "*niet* _schuin_ `code` [link](x) ![x](y) ~~weg~~ $x$ {=html} | \\",
            "# kop",
            "- lijst",
            "1986. jaar",
            "---",
            "&amp; &#106; &lt;",
            "javascript:alert(1)",
            "> citaat",
        ] {
            let md = letterlijk(s);
            let (links, html, tekst) = lees(&md);
            assert!(links.is_empty(), "{s:?} → {md:?}");
            assert!(html.is_empty(), "{s:?} → {md:?}");
            assert_eq!(tekst, s, "{s:?} → {md:?}");
        }
        // A block marker is only escaped where it is one.
        assert_eq!(letterlijk("-1.250"), "-1.250");
        assert_eq!(letterlijk("2.410"), "2.410");
        assert_eq!(letterlijk("+12"), "+12");
        assert_eq!(letterlijk("- 3"), "\\- 3");
        assert_eq!(letterlijk("12) x"), "12\\) x");
        assert_eq!(
            letterlijk("minister van Asiel en Migratie"),
            "minister van Asiel en Migratie"
        );
    }

    #[test]
    fn line_breaks_join_lines_also_a_lone_carriage_return() {
        assert_eq!(letterlijk(" a \r\n  b \n"), "a b");
        assert_eq!(letterlijk("a\r# b\r<c>"), "a # b \\<c\\>");
        assert_eq!(
            tekst("a\r# b"),
            "a b",
            "in Markdown a carriage return ends a line"
        );
    }

    #[test]
    fn markdown_keeps_emphasis_code_and_safe_links() {
        assert_eq!(
            tekst("een *korte* en **sterke** tekst"),
            "een *korte* en **sterke** tekst"
        );
        assert_eq!(tekst("zie `a|b`"), "zie `a|b`");
        assert_eq!(cel("zie `a|b` | c"), "zie `a\\|b` \\| c");
        assert_eq!(
            tekst("[de wet](https://wetten.overheid.nl/BWBR0035303)"),
            "[de wet](https://wetten.overheid.nl/BWBR0035303)"
        );
        assert_eq!(tekst("[notitie](notitie.md)"), "[notitie](notitie.md)");
        assert_eq!(
            tekst("<info@example.nl>"),
            "[info@example.nl](mailto:info@example.nl)"
        );
        assert_eq!(
            tekst("a&b: [x](https://e.nl/?a=1&b=2)"),
            "a\\&b: [x](https://e.nl/?a=1\\&b=2)"
        );
    }

    #[test]
    fn script_links_lose_their_link_however_written() {
        for dest in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "%6Aavascript:alert(1)",
            "java%09script:alert(1)",
            "<java\tscript:alert(1)>",
            " vbscript:x",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "\\\\server\\share",
        ] {
            for md in [
                format!("[klik]({dest})"),
                format!("![beeld]({dest})"),
                format!("[klik][r]\n\n[r]: {dest}"),
                format!("<{dest}>"),
            ] {
                let uit = tekst(&md);
                let (links, html, _) = lees(&uit);
                assert!(links.is_empty(), "{md:?} → {uit:?}");
                assert!(html.is_empty(), "{md:?} → {uit:?}");
                let h = document_html(&uit);
                assert!(!h.contains("href"), "{md:?} → {h:?}");
            }
        }
    }

    #[test]
    fn html_and_blocks_in_markdown_become_text() {
        let md = "<script>alert(1)</script>\n\n# Kop\n\n- a\n- b\n\n<div onclick=\"x\">blok</div>\n\n    code\n\n> citaat";
        let uit = tekst(md);
        let (links, html, tekst) = lees(&uit);
        assert!(links.is_empty() && html.is_empty(), "{uit:?}");
        assert!(tekst.contains("<script>alert(1)</script>"), "{tekst:?}");
        assert!(tekst.contains("<div onclick=\"x\">blok</div>"), "{tekst:?}");
        assert!(!uit.contains('\n'), "{uit:?}");
        assert_eq!(
            lees(&format!("- {uit}\n- volgende")).2,
            format!("{tekst}volgende"),
            "the text stays inside its list item"
        );
    }

    #[test]
    fn extension_syntax_is_escaped() {
        let uit = tekst("`<script>`{=html} [x](https://e.nl){onclick=y} $\\href{x}$ ~~s~~");
        assert!(uit.contains("`\\{=html\\}"), "{uit}");
        assert!(uit.contains("\\{onclick=y\\}"), "{uit}");
        assert!(uit.contains("\\$"), "{uit}");
        assert!(uit.contains("\\~\\~"), "{uit}");
    }

    /// `md` as a paragraph of a document, written as HTML.
    fn document_html(md: &str) -> String {
        let doc = crate::document::parse(&format!("# T\n\n{md}\n"), &Default::default())
            .unwrap_or_else(|e| panic!("{md:?} breaks the document: {e}"));
        crate::document::to_html(&doc)
    }

    #[test]
    fn html_in_a_field_is_text_in_the_document() {
        let out = document_html(&tekst(
            "Tekst <script>alert(1)</script> en <b onclick=\"x()\">vet</b>",
        ));
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<b "), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn text_never_reads_as_a_convention_of_the_document() {
        for s in [
            "Tabel: een tabel zonder tabel",
            "Grafiek: een bijschrift zonder grafiek",
            "Grafiek 2: ook niet",
            "\\newpage",
            "\\pagina",
            "## Bijlage: nergens",
            "tekst {#id .klasse}",
            "![grafiek](grafiek-1-bandbreedte.svg)",
            "![x](elders.svg)",
        ] {
            for md in [letterlijk(s), tekst(s), cel(s)] {
                let html = document_html(&md);
                assert!(
                    !html.contains("<img") && !html.contains("<figure"),
                    "{s:?} → {html}"
                );
            }
        }
    }

    mod eigenschappen {
        use super::*;
        use proptest::prelude::*;

        /// Text heavy in everything that means something in some Markdown.
        fn tekens() -> impl Strategy<Value = String> {
            proptest::collection::vec(
                prop_oneof![
                    8 => proptest::sample::select(
                        "\\`*_[]<>|~{}$^&:#-+=!()\"' \n\r\t.;/%@0123456789aAjsvx"
                            .chars()
                            .collect::<Vec<_>>()
                    )
                    .prop_map(String::from),
                    2 => proptest::sample::select(vec![
                        "javascript:", "&#106;", "http://e.nl", "<script>", "](", "[x]: ", "```",
                        "    ", "1. ", "&amp;", "<div>", "<!--", "\n\n", "![", "<java",
                    ])
                    .prop_map(String::from),
                    1 => any::<char>()
                        .prop_filter("no NUL", |c| *c != '\0')
                        .prop_map(String::from),
                ],
                0..40,
            )
            .prop_map(|v| v.concat())
        }

        /// Whitespace runs as one space, trimmed: what a reader sees of a text.
        fn genormaliseerd(s: &str) -> String {
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        }

        /// `md` in each place a value stands in the templates: its own line, after
        /// text, a list item, a table cell, bold.
        fn plaatsen(md: &str, cel: &str) -> Vec<String> {
            vec![
                format!("{md}\n"),
                format!("Tekst: {md} en meer.\n"),
                format!("- {md}\n- volgende\n"),
                format!("| a | b |\n| --- | --- |\n| {cel} | x |\n"),
                format!("**{md}**\n\nNa.\n"),
            ]
        }

        /// The same places in a document of the project's flavour, and a table
        /// caption and a memo header field besides: every one must parse.
        fn document_plaatsen(md: &str, cel: &str) -> Vec<String> {
            vec![
                format!("# T\n\n{md}\n"),
                format!("# T\n\nTekst: {md} en meer.\n"),
                format!("# T\n\n- {md}\n- volgende\n"),
                format!("# T\n\nTabel: Kop {md}\n\n| a | b |\n| --- | ---: |\n| {cel} | x |\n"),
                format!("# T\n\n**{md}**\n\nNa.\n"),
                format!("# T\n\n- **Veld:** waarde {md}\n"),
            ]
        }

        /// Parses as a document whose HTML, CommonMark and Word hold no markup
        /// and no link but an allowed one.
        fn veilig_document(doc: &str) -> Result<(), TestCaseError> {
            let model = crate::document::parse(doc, &Default::default());
            prop_assert!(model.is_ok(), "{doc:?}: {:?}", model.err());
            let model = model.expect("checked");
            let html = crate::document::to_html(&model).to_ascii_lowercase();
            // Only the elements the writer makes of text, lists and tables.
            const ELEMENTEN: [&str; 22] = [
                "h1", "h2", "p", "ul", "li", "strong", "em", "code", "a", "br", "div", "table",
                "caption", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "hr",
            ];
            for tag in html
                .split('<')
                .skip(1)
                .map(|t| t.split('>').next().unwrap_or(""))
            {
                let naam = tag
                    .trim_start_matches('/')
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                prop_assert!(ELEMENTEN.contains(&naam), "<{naam}> in {html}");
                prop_assert!(
                    tag.split_whitespace().skip(1).all(|a| !a.starts_with("on")),
                    "{html}"
                );
            }
            for href in html
                .split("href=\"")
                .skip(1)
                .map(|h| h.split('"').next().unwrap_or(""))
            {
                // The attribute as the browser reads it: the writer escapes `"`, `&`,
                // `<` and `>` in it (a link to `"` is a harmless relative link).
                let href = href
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&");
                prop_assert!(veilige_url(&href).is_some(), "{href:?} in {html}");
            }
            veilig(&crate::document::to_markdown(&model))
        }

        fn veilig(doc: &str) -> Result<(), TestCaseError> {
            let (links, html, _) = lees(doc);
            prop_assert!(html.is_empty(), "HTML in {doc:?}: {html:?}");
            for l in links {
                prop_assert!(
                    veilige_url(&l).as_deref() == Some(l.as_str()),
                    "link {l:?} in {doc:?}"
                );
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn plain_text_reads_as_itself_wherever_it_stands(s in tekens()) {
                let md = letterlijk(&s);
                prop_assert!(!md.contains(['\n', '\r']), "{md:?}");
                let (links, html, tekst) = lees(&md);
                prop_assert!(links.is_empty() && html.is_empty(), "{s:?} → {md:?}");
                prop_assert_eq!(genormaliseerd(&tekst), genormaliseerd(&s), "{:?}", md);
                for doc in plaatsen(&md, &md) {
                    veilig(&doc)?;
                    let (links, _, _) = lees(&doc);
                    prop_assert!(links.is_empty(), "{doc:?}");
                }
                for doc in document_plaatsen(&md, &md) {
                    veilig_document(&doc)?;
                }
                // It stays inside its list item and its table cell.
                let items = Parser::new(&format!("- {md}\n- volgende\n"))
                    .filter(|e| matches!(e, Event::Start(Tag::Item)))
                    .count();
                prop_assert_eq!(items, 2, "{:?}", md);
            }

            #[test]
            fn markdown_text_is_safe_wherever_it_stands(s in tekens()) {
                let md = tekst(&s);
                let c = cel(&s);
                prop_assert!(!md.contains(['\n', '\r']) && !c.contains(['\n', '\r']));
                for doc in plaatsen(&md, &c) {
                    veilig(&doc)?;
                }
                for doc in document_plaatsen(&md, &c) {
                    veilig_document(&doc)?;
                }
                let cellen = Parser::new_ext(
                    &format!("| a | b |\n| --- | --- |\n| {c} | x |\n"),
                    Options::ENABLE_TABLES,
                )
                .filter(|e| matches!(e, Event::Start(Tag::TableCell)))
                .count();
                prop_assert_eq!(cellen, 4, "{:?}", c);
                let items = Parser::new(&format!("- {md}\n- volgende\n"))
                    .filter(|e| matches!(e, Event::Start(Tag::Item)))
                    .count();
                prop_assert_eq!(items, 2, "{:?}", md);
            }
        }
    }

    #[test]
    fn plain_text_is_only_trimmed() {
        assert_eq!(letterlijk("  2.410 "), "2.410");
        assert_eq!(letterlijk(""), "");
        assert_eq!(tekst("sep. 2024"), "sep. 2024");
        assert_eq!(cel("sep. 2024"), "sep. 2024");
    }
}
