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
pub struct Plek {
    pub offset: usize,
    pub line: usize,
    pub col: usize,
}

/// One node of the document.
#[derive(Debug, Clone)]
pub struct Knoop {
    /// Field path as the validator names it: `scenario_2.categorieen[1].beslissingen`.
    pub pad: String,
    pub begin: Plek,
    /// Where the node's text ends (exclusive).
    pub eind: Plek,
    pub inhoud: Inhoud,
}

#[derive(Debug, Clone)]
pub enum Inhoud {
    Scalar {
        waarde: String,
        stijl: ScalarStyle,
    },
    Reeks {
        flow: bool,
        items: Vec<Knoop>,
    },
    Map {
        flow: bool,
        velden: Vec<(String, Knoop)>,
    },
}

impl Knoop {
    /// The node at a path relative to this one: `besluit.taakstelling`, `historie[2]`.
    pub fn zoek(&self, pad: &str) -> Option<&Knoop> {
        let mut k = self;
        for deel in pad.split('.').filter(|d| !d.is_empty()) {
            let (naam, index) = match deel.split_once('[') {
                Some((n, rest)) => (n, rest.strip_suffix(']')?.parse::<usize>().ok()),
                None => (deel, None),
            };
            if !naam.is_empty() {
                k = k.veld(naam)?;
            }
            if let Some(i) = index {
                k = k.items()?.get(i)?;
            }
        }
        Some(k)
    }

    pub fn veld(&self, naam: &str) -> Option<&Knoop> {
        match &self.inhoud {
            Inhoud::Map { velden, .. } => velden.iter().find(|(k, _)| k == naam).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[Knoop]> {
        match &self.inhoud {
            Inhoud::Reeks { items, .. } => Some(items),
            _ => None,
        }
    }

    pub fn scalar(&self) -> Option<&str> {
        match &self.inhoud {
            Inhoud::Scalar { waarde, .. } => Some(waarde),
            _ => None,
        }
    }

    /// Every scalar value under this node, in document order (keys excluded).
    pub fn scalars(&self) -> Vec<&Knoop> {
        let mut out = Vec::new();
        fn walk<'a>(k: &'a Knoop, out: &mut Vec<&'a Knoop>) {
            match &k.inhoud {
                Inhoud::Scalar { .. } => out.push(k),
                Inhoud::Reeks { items, .. } => items.iter().for_each(|i| walk(i, out)),
                Inhoud::Map { velden, .. } => velden.iter().for_each(|(_, v)| walk(v, out)),
            }
        }
        walk(self, &mut out);
        out
    }
}

fn plek(m: &serde_saphyr::granit_parser::Marker) -> Plek {
    Plek {
        offset: m.byte_offset().unwrap_or(0),
        line: m.line(),
        col: m.col(),
    }
}

/// A syntax error, with the parser's message.
#[derive(Debug, Clone)]
pub struct SyntaxFout(pub String);

/// The comments of `text`: byte ranges from `#` to the end of the line.
pub fn commentaren(text: &str) -> Vec<(usize, usize)> {
    Parser::new_from_str(text)
        .map_while(Result::ok)
        .filter(|(e, _)| matches!(e, Event::Comment(..)))
        .filter_map(|(_, s)| Some((s.start.byte_offset()?, s.end.byte_offset()?)))
        .collect()
}

/// Parses the first document of `text` into a tree. The root has the empty path.
pub fn lees(text: &str) -> Result<Knoop, SyntaxFout> {
    let mut events: Vec<(Event<'_>, Span)> = Vec::new();
    for e in Parser::new_from_str(text) {
        let (event, span) = e.map_err(|e| SyntaxFout(e.to_string()))?;
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
        let p = Plek {
            offset: 0,
            line: 1,
            col: 0,
        };
        return Ok(Knoop {
            pad: String::new(),
            begin: p,
            eind: p,
            inhoud: Inhoud::Map {
                flow: false,
                velden: Vec::new(),
            },
        });
    }
    knoop(&events, &mut i, String::new())
        .ok_or_else(|| SyntaxFout("unexpected end of the document".into()))
}

fn knoop(events: &[(Event<'_>, Span)], i: &mut usize, pad: String) -> Option<Knoop> {
    let (event, span) = events.get(*i)?;
    *i += 1;
    match event {
        Event::Scalar(v, stijl, ..) => Some(Knoop {
            pad,
            begin: plek(&span.start),
            eind: plek(&span.end),
            inhoud: Inhoud::Scalar {
                waarde: v.to_string(),
                stijl: *stijl,
            },
        }),
        Event::Alias(_) => Some(Knoop {
            pad,
            begin: plek(&span.start),
            eind: plek(&span.end),
            inhoud: Inhoud::Scalar {
                waarde: String::new(),
                stijl: ScalarStyle::Plain,
            },
        }),
        Event::SequenceStart(style, ..) => {
            let flow = *style == StructureStyle::Flow;
            let mut items = Vec::new();
            loop {
                let (e, end) = events.get(*i)?;
                if matches!(e, Event::SequenceEnd) {
                    *i += 1;
                    let eind = if flow {
                        plek(&end.end)
                    } else {
                        items.last().map_or(plek(&span.start), |k: &Knoop| k.eind)
                    };
                    return Some(Knoop {
                        pad,
                        begin: plek(&span.start),
                        eind,
                        inhoud: Inhoud::Reeks { flow, items },
                    });
                }
                let n = items.len();
                items.push(knoop(events, i, format!("{pad}[{n}]"))?);
            }
        }
        Event::MappingStart(style, ..) => {
            let flow = *style == StructureStyle::Flow;
            let mut velden: Vec<(String, Knoop)> = Vec::new();
            loop {
                let (e, end) = events.get(*i)?;
                if matches!(e, Event::MappingEnd) {
                    *i += 1;
                    let eind = if flow {
                        plek(&end.end)
                    } else {
                        velden.last().map_or(plek(&span.start), |(_, k)| k.eind)
                    };
                    return Some(Knoop {
                        pad,
                        begin: plek(&span.start),
                        eind,
                        inhoud: Inhoud::Map { flow, velden },
                    });
                }
                let sleutel = knoop(events, i, String::new())?;
                let naam = sleutel.scalar().unwrap_or_default().to_string();
                let sub = if pad.is_empty() {
                    naam.clone()
                } else {
                    format!("{pad}.{naam}")
                };
                let waarde = knoop(events, i, sub)?;
                velden.push((naam, waarde));
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# c\nperiode: 2025-I  # x\nlijst:\n  - { maand: 2023-03, aantal: 2410 }\n  - { maand: 2023-04, aantal: 2380 }\ncats:\n  - naam: Asiel\n    beslissingen: 28000\ntekst: >-\n  De minister\n  kiest.\neind: 1\n";

    #[test]
    fn knows_paths_and_places() {
        let root = lees(TEXT).unwrap();
        let p = root.zoek("periode").unwrap();
        assert_eq!(p.scalar(), Some("2025-I"));
        assert_eq!((p.begin.line, p.begin.col), (2, 9));
        assert_eq!(&TEXT[p.begin.offset..p.eind.offset], "2025-I");
        let a = root.zoek("lijst[1].aantal").unwrap();
        assert_eq!(a.pad, "lijst[1].aantal");
        assert_eq!(&TEXT[a.begin.offset..a.eind.offset], "2380");
        let item = root.zoek("lijst[0]").unwrap();
        assert_eq!(
            &TEXT[item.begin.offset..item.eind.offset],
            "{ maand: 2023-03, aantal: 2410 }"
        );
        assert_eq!(
            root.zoek("cats[0].beslissingen").unwrap().scalar(),
            Some("28000")
        );
        let t = root.zoek("tekst").unwrap();
        assert_eq!(t.scalar(), Some("De minister kiest."));
        assert!(TEXT[t.begin.offset..].starts_with("De minister"));
        assert_eq!(root.zoek("lijst").unwrap().items().unwrap().len(), 2);
        assert!(root.zoek("nergens").is_none());
        assert_eq!(root.scalars().len(), 9);
    }

    #[test]
    fn reports_syntax_errors() {
        assert!(lees("a: [1, 2\n").is_err());
    }
}
