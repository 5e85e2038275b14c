//! Strict, bounded YAML reading with errors in the user's terms.
//!
//! Every input file goes through [`read_file`] (size limit, UTF-8) and
//! [`parse_yaml`] (serde-saphyr with explicit budgets against huge or hostile
//! documents). A parse error is turned into an [`InputError`] that names the
//! field by its path (`scenario_2.categorieen[1].inwilligingspercentage`, via
//! `serde_path_to_error`), says what was found and what was expected, and for a
//! misspelled key or value suggests the nearest valid one.

use std::cell::RefCell;
use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Error, MessageFormatter, UserMessageFormatter};

use super::fout::{Bron, InputError, InputErrors, Pos};
use super::tekens;

/// The largest input file read, in bytes. A period file is about 12 KB; a
/// population table about 20 KB. Anything much larger is a mistake (a wrong file,
/// or a generated one) and is refused before it is read whole.
pub const MAX_BESTAND: u64 = 1024 * 1024;

/// The most nodes (values) the parser reads from one file.
const MAX_KNOPEN: usize = 100_000;
/// The most events aliases may replay in one file.
const MAX_HERHAALD: usize = 100_000;
/// No list read from a file has more entries than this: each is a node, read or
/// replayed by an alias. The engine relies on it to prove that no sum overflows.
pub const MAX_ELEMENTEN: usize = MAX_KNOPEN + MAX_HERHAALD;

/// The limits the YAML parser works within: far above any real input, far below
/// what could exhaust memory or time (alias bombs, deep nesting, huge scalars).
pub fn opties() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_reader_input_bytes = Some(MAX_BESTAND as usize);
    budget.max_events = 200_000;
    budget.max_nodes = MAX_KNOPEN;
    budget.max_depth = 16;
    budget.flow_nesting_limit = 16;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = MAX_BESTAND as usize;
    budget.max_merge_keys = 100;
    budget.max_recorded_anchor_events = 100_000;
    budget.max_recorded_anchor_bytes = MAX_BESTAND as usize;
    let mut aliases = serde_saphyr::options::AliasLimits::default();
    aliases.max_total_replayed_events = MAX_HERHAALD;
    aliases.max_replay_stack_depth = 16;
    aliases.max_alias_expansions_per_anchor = 1_000;
    let mut opties = serde_saphyr::Options::default();
    opties.budget = Some(budget);
    opties.alias_limits = aliases;
    opties.strict_booleans = true;
    // Comments are not used, so the parser need not capture them (it still checks them).
    opties.emit_comments = false;
    opties
}

/// Why a file could not be read as text.
fn leesfout(path: &Path, message: String) -> InputErrors {
    InputErrors::een(InputError::new(
        &Bron::new(path, String::new()),
        None,
        "(file)",
        message,
    ))
}

/// Reads a file as UTF-8 text, refusing files over [`MAX_BESTAND`] before reading them whole.
pub fn read_file(path: &Path) -> Result<String, InputErrors> {
    let file = std::fs::File::open(path)
        .map_err(|e| leesfout(path, format!("cannot read the file: {e}")))?;
    let te_groot = || {
        leesfout(
            path,
            format!(
                "the file is larger than 1 MiB ({MAX_BESTAND} bytes), expected a period input of a few dozen KB; is this the right file?"
            ),
        )
    };
    if let Ok(meta) = file.metadata()
        && meta.len() > MAX_BESTAND
    {
        return Err(te_groot());
    }
    let mut bytes = Vec::new();
    // Read one byte past the limit, so a file that grows while read is refused too.
    file.take(MAX_BESTAND + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| leesfout(path, format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > MAX_BESTAND {
        return Err(te_groot());
    }
    text_from_bytes(path, bytes)
}

/// The bytes of a file as UTF-8 text (a leading byte order mark is dropped), or an
/// error that says where the first invalid byte is.
pub fn text_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<String, InputErrors> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
        let column = bytes[..valid]
            .rsplit(|b| *b == b'\n')
            .next()
            .map(|l| String::from_utf8_lossy(l).chars().count() + 1)
            .unwrap_or(1);
        leesfout(
            path,
            format!(
                "the file is not UTF-8 text: invalid byte 0x{:02X} at line {line}, column {column}; save it as UTF-8",
                bytes[valid]
            ),
        )
    })
}

/// Parses the text of `bron` into `T`, with the limits of [`opties`].
pub fn parse_yaml<T: DeserializeOwned>(bron: &Bron) -> Result<T, InputErrors> {
    match parse_yaml_all::<T>(bron) {
        (Some(v), fouten) if fouten.is_empty() => Ok(v),
        (_, fouten) => Err(InputErrors {
            file: bron.naam.clone(),
            errors: fouten,
        }),
    }
}

/// At most this many unknown or duplicate keys are reported from one file.
const MAX_HERSTEL: usize = 50;

/// Parses the text of `bron` into `T`, reporting every unknown or duplicate key at once.
///
/// Serde stops at the first error. An unknown or duplicate key written on a line of its
/// own (block style) is reported, then blanked out with its value (replaced by spaces, so
/// that every other position stays the same) and the text is read again, up to
/// [`MAX_HERSTEL`] times. Any other error ends the reading. Returns the value when the
/// text read in the end, and the errors found on the way; the caller can then check the
/// meaning of the value and report those errors together.
pub fn parse_yaml_all<T: DeserializeOwned>(bron: &Bron) -> (Option<T>, Vec<InputError>) {
    if is_leeg(&bron.tekst) {
        let e = InputError::new(
            bron,
            None,
            "(file)",
            "the file is empty (or holds only comments), expected the inputs as YAML keys and values",
        );
        return (None, vec![e]);
    }
    if let Some(regel) = tweede_document(&bron.tekst) {
        let pos = Pos {
            line: regel as u64,
            column: 1,
            offset: 0,
            len: 3,
        };
        let e = InputError::new(
            bron,
            Some(pos),
            "(file)",
            "found a second YAML document (a `---` line), expected one document per file",
        );
        return (None, vec![e]);
    }
    let mut tekst = bron.tekst.as_bytes().to_vec();
    let mut fouten: Vec<InputError> = Vec::new();
    // Keys suggested for a misspelled one: when such a key is then missing, that is
    // the same mistake, already reported.
    let mut bedoeld: Vec<String> = Vec::new();
    loop {
        // Blanking replaces whole UTF-8 sequences by spaces, so the text stays UTF-8.
        let Ok(t) = std::str::from_utf8(&tekst) else {
            return (None, fouten);
        };
        let pad: RefCell<Option<serde_path_to_error::Path>> = RefCell::new(None);
        let result = serde_saphyr::with_deserializer_from_str_with_options(t, opties(), |de| {
            serde_path_to_error::deserialize::<_, T>(de).map_err(|e| {
                *pad.borrow_mut() = Some(e.path().clone());
                e.into_inner()
            })
        });
        let e = match result {
            Ok(v) => return (Some(v), fouten),
            Err(e) => e,
        };
        let fout = vertaal(bron, &e, pad.into_inner());
        if matches!(kern(&e), Error::SerdeMissingField { .. }) && bedoeld.contains(&fout.field) {
            return (None, fouten);
        }
        let herstelbaar = matches!(
            kern(&e),
            Error::SerdeUnknownField { .. } | Error::DuplicateMappingKey { .. }
        );
        if let Error::SerdeUnknownField {
            field, expected, ..
        } = kern(&e)
            && let Some(s) = suggestie_voor(field, expected)
        {
            // The field path ends with the key as shown.
            let mut pad = fout.field.clone();
            pad.truncate(pad.len().saturating_sub(tekens::zichtbaar(field).len()));
            bedoeld.push(format!("{pad}{s}"));
        }
        let pos = fout.pos;
        fouten.push(fout);
        if !herstelbaar || fouten.len() >= MAX_HERSTEL || !wis_sleutel(&mut tekst, pos) {
            return (None, fouten);
        }
    }
}

/// Replaces a block-style key at `pos` and its value (the lines after it that are
/// indented deeper, or a list at the same indentation) by spaces, keeping line breaks.
/// Returns false when the key is not alone at the start of its line.
fn wis_sleutel(tekst: &mut [u8], pos: Option<Pos>) -> bool {
    let Some(pos) = pos else { return false };
    let regels: Vec<(usize, usize)> = {
        let mut v = Vec::new();
        let mut begin = 0;
        for (i, b) in tekst.iter().enumerate() {
            if *b == b'\n' {
                v.push((begin, i));
                begin = i + 1;
            }
        }
        v.push((begin, tekst.len()));
        v
    };
    let Some(&(begin, eind)) = regels.get(pos.line.saturating_sub(1) as usize) else {
        return false;
    };
    let inspring = tekst[begin..eind]
        .iter()
        .take_while(|b| **b == b' ')
        .count();
    if pos.column != inspring as u64 + 1 || begin + inspring >= eind {
        return false;
    }
    let mut laatste = pos.line as usize - 1;
    for (i, &(b, e)) in regels.iter().enumerate().skip(laatste + 1) {
        let regel = &tekst[b..e];
        let i_r = regel.iter().take_while(|c| **c == b' ').count();
        let leeg = regel.iter().all(u8::is_ascii_whitespace);
        let lijst = i_r == inspring && regel[i_r..].starts_with(b"- ");
        if leeg || i_r > inspring || lijst {
            laatste = i;
        } else {
            break;
        }
    }
    let (van, _) = regels[pos.line as usize - 1];
    let (_, tot) = regels[laatste];
    for b in &mut tekst[van..tot] {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
    true
}

/// True when the text holds no YAML content: only blank lines and comments.
fn is_leeg(tekst: &str) -> bool {
    tekst.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

/// The line (1-based) of a `---` that starts a second document: a document start marker
/// after content. Such a line at column 0 cannot be inside a value of a key, whose
/// continuation lines are indented.
fn tweede_document(tekst: &str) -> Option<usize> {
    let mut inhoud = false;
    for (i, l) in tekst.lines().enumerate() {
        let start = l == "---" || l.starts_with("--- ") || l.starts_with("---\t");
        if start && inhoud {
            return Some(i + 1);
        }
        let t = l.trim();
        if !start && !t.is_empty() && !t.starts_with('#') && !t.starts_with('%') {
            inhoud = true;
        }
    }
    None
}

/// The error itself, without the wrappers that carry a snippet or an alias.
fn kern(mut e: &Error) -> &Error {
    loop {
        match e {
            Error::WithSnippet { error, .. } | Error::AliasError { error, .. } => e = error,
            _ => return e,
        }
    }
}

/// The field path in the form the documentation uses: `a.b[1].c`.
fn veldpad(pad: Option<&serde_path_to_error::Path>) -> Vec<String> {
    use serde_path_to_error::Segment;
    let mut out: Vec<String> = Vec::new();
    let Some(pad) = pad else { return out };
    for s in pad {
        match s {
            Segment::Seq { index } => match out.last_mut() {
                Some(last) => last.push_str(&format!("[{index}]")),
                None => out.push(format!("[{index}]")),
            },
            // `Spanned<T>` is read as a mapping with the value under `value`: not a key of
            // the input (the schema's keys are Dutch, none is named `value`).
            Segment::Map { key } if key == "value" => {}
            Segment::Map { key } => out.push(key.clone()),
            Segment::Enum { variant } => out.push(variant.clone()),
            Segment::Unknown => {}
        }
    }
    out
}

fn join(pad: &[String]) -> String {
    if pad.is_empty() {
        "(top level)".to_string()
    } else {
        pad.join(".")
    }
}

/// The nearest of `kandidaten` to `gevonden`, when it is near enough to be a likely typo.
pub fn suggestie<'a>(gevonden: &str, kandidaten: &[&'a str]) -> Option<&'a str> {
    let g = gevonden.to_lowercase();
    kandidaten
        .iter()
        .map(|k| {
            (
                strsim::normalized_damerau_levenshtein(&g, &k.to_lowercase()),
                *k,
            )
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// As [`suggestie`], but first what the reader meant when `gevonden` holds an
/// invisible or look-alike character (`minis\u{200B}ter` is `minister`).
fn suggestie_voor<'a>(gevonden: &str, kandidaten: &[&'a str]) -> Option<&'a str> {
    let bedoeld = tekens::bedoeld(gevonden);
    kandidaten
        .iter()
        .find(|k| **k == bedoeld)
        .copied()
        .or_else(|| suggestie(gevonden, kandidaten))
}

/// The source text at a position, when it is a short single-line value.
fn brontekst(bron: &Bron, pos: Option<Pos>) -> Option<String> {
    let p = pos?;
    let t = bron.toon.get(p.offset..p.offset + p.len)?;
    let t = t.lines().next()?.trim();
    if t.is_empty() || t.chars().count() > 60 {
        return None;
    }
    Some(format!("`{t}`"))
}

/// Serde's description of an expected type, in the user's terms.
fn verwacht(expected: &str) -> String {
    let e = expected.trim();
    match e {
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" | "isize"
        | "usize" | "integer" | "signed integer" | "unsigned integer" => {
            "a whole number (such as 2900)".to_string()
        }
        "f32" | "f64" | "floating point" => "a number (such as 64.5)".to_string(),
        "a string" | "string" | "str" => "a text".to_string(),
        "a boolean" | "bool" | "boolean" => "true or false".to_string(),
        "a sequence" | "sequence" | "seq" => "a list (lines starting with `- `)".to_string(),
        "map" | "a map" => "a mapping (`key: value` lines)".to_string(),
        _ if e.starts_with("struct ") => "a mapping (`key: value` lines)".to_string(),
        _ if e.starts_with("enum ") => "one of the listed words".to_string(),
        _ => e.to_string(),
    }
}

/// Serde's description of an unexpected value, in the user's terms.
fn gevonden(unexpected: &str) -> String {
    let u = unexpected.trim();
    if let Some(rest) = u.strip_prefix("string ") {
        format!("the text {rest}")
    } else if let Some(rest) = u.strip_prefix("integer ") {
        format!("the number {}", rest.trim_matches('`'))
    } else if let Some(rest) = u.strip_prefix("floating point ") {
        format!("the number {}", rest.trim_matches('`'))
    } else if let Some(rest) = u.strip_prefix("boolean ") {
        format!("the value {}", rest.trim_matches('`'))
    } else {
        match u {
            "unit value" | "null" | "unit" => "an empty value".to_string(),
            "map" | "a map" => "a mapping (`key: value` lines)".to_string(),
            "sequence" | "seq" | "a sequence" => "a list".to_string(),
            _ => u.to_string(),
        }
    }
}

fn lijst(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A parse error as an [`InputError`]: file, line, column, field path, found and expected.
fn vertaal(bron: &Bron, e: &Error, pad: Option<serde_path_to_error::Path>) -> InputError {
    let k = kern(e);
    let pos = e.location().as_ref().and_then(Pos::of);
    let mut pad = veldpad(pad.as_ref());
    let mut help: Option<String> = None;
    let message = match k {
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            // serde_path_to_error stops at the mapping; name the key itself.
            if pad.last().map(String::as_str) == Some(field.as_str()) {
                pad.pop();
            }
            let waar = if pad.is_empty() {
                "at the top level of the file".to_string()
            } else {
                format!("of `{}`", join(&pad))
            };
            let getoond = tekens::zichtbaar(field);
            pad.push(getoond.clone());
            help = Some(format!("the keys here are {}", lijst(expected)));
            // A key that looks right but holds an invisible or look-alike character:
            // name that character, or the reader sees two equal names.
            let uitleg = tekens::uitleg(field)
                .map(|u| format!(", which {u}"))
                .unwrap_or_default();
            match suggestie_voor(field, expected) {
                Some(s) => format!("unknown key `{getoond}`{uitleg}; did you mean `{s}`?"),
                None => format!("unknown key `{getoond}`{uitleg}, not a key {waar}"),
            }
        }
        Error::SerdeMissingField { field, .. } => {
            let binnen = join(&pad);
            pad.push(field.to_string());
            if binnen == "(top level)" {
                format!("the key `{field}` is missing, expected it at the top level of the file")
            } else {
                format!("the key `{field}` is missing, expected it in `{binnen}`")
            }
        }
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => match (
            suggestie_voor(variant, expected),
            tekens::zichtbaar(variant),
            tekens::uitleg(variant)
                .map(|u| format!(", which {u};"))
                .unwrap_or_else(|| ",".to_string()),
        ) {
            (Some(s), v, uitleg) => format!(
                "found `{v}`{uitleg} expected one of {}; did you mean `{s}`?",
                lijst(expected)
            ),
            (None, v, uitleg) => format!("found `{v}`{uitleg} expected one of {}", lijst(expected)),
        },
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => format!(
            "found {}, expected {}",
            brontekst(bron, pos)
                .filter(|_| !matches!(unexpected.as_str(), "map" | "sequence" | "unit value"))
                .unwrap_or_else(|| gevonden(unexpected)),
            verwacht(expected)
        ),
        Error::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => format!(
            "found {}, expected {}",
            brontekst(bron, pos).unwrap_or_else(|| gevonden(unexpected)),
            verwacht(expected)
        ),
        Error::InvalidScalar { ty, .. } => format!(
            "found {}, expected {}",
            brontekst(bron, pos).unwrap_or_else(|| "a value".to_string()),
            verwacht(ty)
        ),
        Error::Unexpected { expected, .. } => {
            let wat = match *expected {
                "sequence start" => "a list (lines starting with `- `)",
                "mapping start" | "empty mapping start" => "a mapping (`key: value` lines)",
                "string scalar" | "scalar" => "a single value",
                "mapping end" | "empty mapping end" => "the end of the mapping",
                other => other,
            };
            let found = brontekst(bron, pos)
                .filter(|t| !t.ends_with(":`"))
                .unwrap_or_else(|| "something else".to_string());
            format!("found {found}, expected {wat}")
        }
        Error::InvalidBooleanStrict { .. } => format!(
            "found {}, expected true or false",
            brontekst(bron, pos).unwrap_or_else(|| "a value".to_string())
        ),
        Error::NullIntoString { .. } => "found an empty value, expected a text".to_string(),
        Error::DuplicateMappingKey { key, .. } => match key {
            Some(key) => {
                pad.push(key.clone());
                format!("the key `{key}` appears twice here, expected each key once")
            }
            None => "a key appears twice here, expected each key once".to_string(),
        },
        Error::Eof { .. } => "the file ends too early, expected more YAML".to_string(),
        Error::MultipleDocuments { .. } => {
            "found a second YAML document (a `---` or `...` line), expected one document per file"
                .to_string()
        }
        Error::Budget { .. }
        | Error::AliasReplayCounterOverflow { .. }
        | Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => format!(
            "the YAML is too large or too deeply nested to be an input ({}); expected a plain file like inputs/2025-I.yaml",
            UserMessageFormatter.format_message(k)
        ),
        Error::ExternalMessage { msg, .. } if msg.contains("recursion limit") => format!(
            "the YAML is too deeply nested to be an input ({msg}); expected a plain file like inputs/2025-I.yaml"
        ),
        Error::ExternalMessage { msg, .. } => {
            format!("the YAML syntax is not valid here: {msg}")
        }
        Error::UnknownAnchor { .. } => {
            "found an alias (`*name`) without a matching anchor (`&name`)".to_string()
        }
        _ => format!(
            "the YAML cannot be read: {}",
            UserMessageFormatter.format_message(k)
        ),
    };
    let field = if pad.is_empty() {
        match k {
            Error::SerdeInvalidType { .. }
            | Error::SerdeMissingField { .. }
            | Error::Unexpected { .. } => "(top level)".to_string(),
            _ => "(yaml)".to_string(),
        }
    } else {
        join(&pad)
    };
    let mut err = InputError::new(bron, pos, field, message);
    if matches!(k, Error::SerdeMissingField { .. }) {
        err.label = "the mapping without it ends here".to_string();
    }
    match help {
        Some(h) => err.with_help(h),
        None => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_saphyr::Spanned;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Top {
        naam: String,
        rijen: Vec<Rij>,
        #[serde(default)]
        vrij: Option<serde::de::IgnoredAny>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rij {
        aantal: Spanned<i64>,
        procent: Spanned<f64>,
    }

    fn fout(tekst: &str) -> InputError {
        let bron = Bron::new(Path::new("t.yaml"), tekst.to_string());
        let mut e = parse_yaml::<Top>(&bron).unwrap_err();
        assert_eq!(e.errors.len(), 1);
        e.errors.remove(0)
    }

    #[test]
    fn names_the_field_path_and_what_was_found() {
        let e = fout(
            "naam: x\nrijen:\n  - { aantal: 1, procent: 2 }\n  - { aantal: 1, procent: abc }\n",
        );
        assert_eq!(e.field, "rijen[1].procent");
        assert_eq!(e.location, "t.yaml:4:27");
        assert!(e.message.contains("found `abc`"), "{}", e.message);
        assert!(e.message.contains("expected a number"), "{}", e.message);
    }

    #[test]
    fn suggests_the_nearest_key() {
        let e = fout("naam: x\nrijen:\n  - { aantal: 1, procnet: 2 }\n");
        assert_eq!(e.field, "rijen[0].procnet");
        assert!(
            e.message.contains("did you mean `procent`?"),
            "{}",
            e.message
        );
    }

    #[test]
    fn reports_every_unknown_or_duplicate_key_at_once() {
        let t = "naam: x\nfoo: 1\nrijen: []\nbar:\n  - 1\n  - 2\nnaam: y\n";
        let bron = Bron::new(Path::new("t.yaml"), t.to_string());
        let (waarde, fouten) = parse_yaml_all::<Top>(&bron);
        assert!(waarde.is_some(), "the rest of the file still reads");
        let velden: Vec<_> = fouten.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(velden, ["foo", "bar", "naam"]);
        assert_eq!(fouten[1].location, "t.yaml:4:1");
    }

    #[test]
    fn a_misspelled_required_key_is_one_error() {
        let e = parse_yaml::<Top>(&Bron::new(
            Path::new("t.yaml"),
            "nam: x\nrijen: []\n".into(),
        ))
        .unwrap_err();
        assert_eq!(e.errors.len(), 1, "{:?}", e.errors);
        assert!(e.errors[0].message.contains("did you mean `naam`?"));
    }

    #[test]
    fn names_a_missing_key() {
        let e = fout("naam: x\nrijen:\n  - { aantal: 1 }\n");
        assert_eq!(e.field, "rijen[0].procent");
        assert!(e.message.contains("missing"), "{}", e.message);
    }

    #[test]
    fn refuses_an_alias_bomb() {
        // A billion laughs: 10^12 strings if expanded.
        let mut t =
            String::from("naam: x\nrijen: []\nvrij:\n  - &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            t.push_str(&format!(
                "  - &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = fout(&t);
        assert!(e.message.contains("too large"), "{}", e.message);
    }

    #[test]
    fn refuses_deep_nesting() {
        let t = format!(
            "naam: x\nrijen: []\nvrij: {}{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let e = fout(&t);
        assert!(e.message.contains("too deeply nested"), "{}", e.message);
    }

    #[test]
    fn suggestion_only_when_near() {
        assert_eq!(
            suggestie("prognose_per_maan", &["prognose_per_maand", "venster"]),
            Some("prognose_per_maand")
        );
        assert_eq!(suggestie("xyz", &["prognose_per_maand", "venster"]), None);
    }
}
