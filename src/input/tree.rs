//! A YAML document as a tree of nodes that know their field path and their place in
//! the text, so that a period file can be changed by editing its text: comments,
//! layout and quoting stay as the author wrote them.
//!
//! Built from the parser events of `granit-parser` (re-exported by `serde-saphyr`,
//! so no extra dependency). Anchors and aliases are not followed: period files do
//! not use them, and an alias simply shows up as an empty node.

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span, StructureStyle};

/// A place in the text: byte offset, 1-based line, 0-based column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub offset: usize,
    pub line: usize,
    pub col: usize,
}

/// One node of the document.
#[derive(Debug, Clone)]
pub struct Node {
    /// Field path as the validator names it: `scenario_2.categorieen[1].beslissingen`.
    pub path: String,
    pub start: Mark,
    /// Where the node's text ends (exclusive).
    pub end: Mark,
    pub content: Content,
}

#[derive(Debug, Clone)]
pub enum Content {
    Scalar {
        value: String,
        style: ScalarStyle,
    },
    Sequence {
        flow: bool,
        items: Vec<Node>,
    },
    Map {
        flow: bool,
        fields: Vec<(String, Node)>,
    },
}

impl Node {
    /// The node at a path relative to this one: `besluit.taakstelling`, `historie[2]`.
    pub fn find(&self, path: &str) -> Option<&Node> {
        let mut k = self;
        for part in path.split('.').filter(|d| !d.is_empty()) {
            let (name, index) = match part.split_once('[') {
                Some((n, rest)) => (n, rest.strip_suffix(']')?.parse::<usize>().ok()),
                None => (part, None),
            };
            if !name.is_empty() {
                k = k.field(name)?;
            }
            if let Some(i) = index {
                k = k.items()?.get(i)?;
            }
        }
        Some(k)
    }

    pub fn field(&self, name: &str) -> Option<&Node> {
        match &self.content {
            Content::Map { fields, .. } => fields.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[Node]> {
        match &self.content {
            Content::Sequence { items, .. } => Some(items),
            _ => None,
        }
    }

    pub fn scalar(&self) -> Option<&str> {
        match &self.content {
            Content::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// Every scalar value under this node, in document order (keys excluded).
    pub fn scalars(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        fn walk<'a>(k: &'a Node, out: &mut Vec<&'a Node>) {
            match &k.content {
                Content::Scalar { .. } => out.push(k),
                Content::Sequence { items, .. } => items.iter().for_each(|i| walk(i, out)),
                Content::Map { fields, .. } => fields.iter().for_each(|(_, v)| walk(v, out)),
            }
        }
        walk(self, &mut out);
        out
    }
}

fn mark(m: &serde_saphyr::granit_parser::Marker) -> Mark {
    Mark {
        offset: m.byte_offset().unwrap_or(0),
        line: m.line(),
        col: m.col(),
    }
}

/// A syntax error, with the parser's message.
#[derive(Debug, Clone)]
pub struct SyntaxError(pub String);

/// The comments of `text`: byte ranges from `#` to the end of the line.
pub fn comments(text: &str) -> Vec<(usize, usize)> {
    Parser::new_from_str(text)
        .map_while(Result::ok)
        .filter(|(e, _)| matches!(e, Event::Comment(..)))
        .filter_map(|(_, s)| Some((s.start.byte_offset()?, s.end.byte_offset()?)))
        .collect()
}

/// Parses the first document of `text` into a tree. The root has the empty path.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut events: Vec<(Event<'_>, Span)> = Vec::new();
    for e in Parser::new_from_str(text) {
        let (event, span) = e.map_err(|e| SyntaxError(e.to_string()))?;
        match event {
            Event::Scalar(..)
            | Event::SequenceStart(..)
            | Event::SequenceEnd
            | Event::MappingStart(..)
            | Event::MappingEnd
            | Event::Alias(_) => events.push((event, span)),
            Event::DocumentEnd => break,
            _ => {}
        }
    }
    let mut i = 0;
    if events.is_empty() {
        let p = Mark {
            offset: 0,
            line: 1,
            col: 0,
        };
        return Ok(Node {
            path: String::new(),
            start: p,
            end: p,
            content: Content::Map {
                flow: false,
                fields: Vec::new(),
            },
        });
    }
    node(&events, &mut i, String::new())
        .ok_or_else(|| SyntaxError("unexpected end of the document".into()))
}

fn node(events: &[(Event<'_>, Span)], i: &mut usize, path: String) -> Option<Node> {
    let (event, span) = events.get(*i)?;
    *i += 1;
    match event {
        Event::Scalar(v, style, ..) => Some(Node {
            path,
            start: mark(&span.start),
            end: mark(&span.end),
            content: Content::Scalar {
                value: v.to_string(),
                style: *style,
            },
        }),
        Event::Alias(_) => Some(Node {
            path,
            start: mark(&span.start),
            end: mark(&span.end),
            content: Content::Scalar {
                value: String::new(),
                style: ScalarStyle::Plain,
            },
        }),
        Event::SequenceStart(style, ..) => {
            let flow = *style == StructureStyle::Flow;
            let mut items = Vec::new();
            loop {
                let (e, end) = events.get(*i)?;
                if matches!(e, Event::SequenceEnd) {
                    *i += 1;
                    let end_mark = if flow {
                        mark(&end.end)
                    } else {
                        items.last().map_or(mark(&span.start), |k: &Node| k.end)
                    };
                    return Some(Node {
                        path,
                        start: mark(&span.start),
                        end: end_mark,
                        content: Content::Sequence { flow, items },
                    });
                }
                let n = items.len();
                items.push(node(events, i, format!("{path}[{n}]"))?);
            }
        }
        Event::MappingStart(style, ..) => {
            let flow = *style == StructureStyle::Flow;
            let mut fields: Vec<(String, Node)> = Vec::new();
            loop {
                let (e, end) = events.get(*i)?;
                if matches!(e, Event::MappingEnd) {
                    *i += 1;
                    let end_mark = if flow {
                        mark(&end.end)
                    } else {
                        fields.last().map_or(mark(&span.start), |(_, k)| k.end)
                    };
                    return Some(Node {
                        path,
                        start: mark(&span.start),
                        end: end_mark,
                        content: Content::Map { flow, fields },
                    });
                }
                let key = node(events, i, String::new())?;
                let name = key.scalar().unwrap_or_default().to_string();
                let sub = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                let value = node(events, i, sub)?;
                fields.push((name, value));
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# c\nperiode: 2025-I  # x\nlijst:\n  - { maand: 2023-03, aantal: 2410 }\n  - { maand: 2023-04, aantal: 2380 }\ncats:\n  - name: Asiel\n    beslissingen: 28000\ntekst: >-\n  De minister\n  kiest.\neind: 1\n";

    #[test]
    fn knows_paths_and_places() {
        let root = parse(TEXT).unwrap();
        let p = root.find("periode").unwrap();
        assert_eq!(p.scalar(), Some("2025-I"));
        assert_eq!((p.start.line, p.start.col), (2, 9));
        assert_eq!(&TEXT[p.start.offset..p.end.offset], "2025-I");
        let a = root.find("lijst[1].aantal").unwrap();
        assert_eq!(a.path, "lijst[1].aantal");
        assert_eq!(&TEXT[a.start.offset..a.end.offset], "2380");
        let item = root.find("lijst[0]").unwrap();
        assert_eq!(
            &TEXT[item.start.offset..item.end.offset],
            "{ maand: 2023-03, aantal: 2410 }"
        );
        assert_eq!(
            root.find("cats[0].beslissingen").unwrap().scalar(),
            Some("28000")
        );
        let t = root.find("tekst").unwrap();
        assert_eq!(t.scalar(), Some("De minister kiest."));
        assert!(TEXT[t.start.offset..].starts_with("De minister"));
        assert_eq!(root.find("lijst").unwrap().items().unwrap().len(), 2);
        assert!(root.find("nergens").is_none());
        assert_eq!(root.scalars().len(), 9);
    }

    #[test]
    fn reports_syntax_errors() {
        assert!(parse("a: [1, 2\n").is_err());
    }
}
