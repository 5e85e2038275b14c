//! The `TE_VULLEN` marker: a value in a period file that must be filled in anew.
//!
//! `taakstelling new` writes the marker where a figure or text belongs to one
//! period; [`open_fields`] finds every such value, and loading refuses a file
//! that still has one, naming each open field with its line.

use super::tree;

/// The marker of a value that must be filled in anew.
pub const TE_VULLEN: &str = "TE_VULLEN";

/// A value in a period file that still holds [`TE_VULLEN`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenField {
    /// Field path, as validation errors name it.
    pub path: String,
    /// 1-based line and column.
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    pub len: usize,
}

impl OpenField {
    /// What the field needs, for the error message.
    pub fn message(&self) -> String {
        format!("still to be filled in: {}", expected(&self.path))
    }
}

/// Every value of a period file's text that still holds [`TE_VULLEN`], in file order.
/// Comments do not count. A text that is not valid YAML has none (parsing reports it).
pub fn open_fields(text: &str) -> Vec<OpenField> {
    if !text.contains(TE_VULLEN) {
        return Vec::new();
    }
    let Ok(root) = tree::parse(text) else {
        return Vec::new();
    };
    root.scalars()
        .into_iter()
        .filter(|k| k.scalar().is_some_and(|v| v.contains(TE_VULLEN)))
        .map(|k| OpenField {
            path: k.path.clone(),
            line: k.start.line,
            column: k.start.col + 1,
            offset: k.start.offset,
            len: k.end.offset.saturating_sub(k.start.offset),
        })
        .collect()
}

/// The last name in a path, without indexes: `scenario_2.categorieen[0].beslissingen` → `beslissingen`.
fn field_name(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

/// What a field marked [`TE_VULLEN`] expects.
pub fn expected(path: &str) -> &'static str {
    match field_name(path) {
        "taakstelling" => "the taakstelling the minister chose",
        "beslissingen" => "the planned decisions of this category",
        "inwilligingspercentage" => "the expected grant percentage of this category",
        "aantal" if path.starts_with("inwilligingen") => "the grants of this month",
        "aantal" if path.starts_with("uitstroom") => "the outflow to housing of this month",
        "plekken" if path.starts_with("amv.realisatie") => "the amv places realised on this date",
        "plekken" => "the amv places needed on this date",
        "prognose_per_maand" => "the expected grants per month not yet realised",
        "eerst_bekendgemaakt" => "the national taakstelling of this period",
        "verschil" if path.starts_with("verdeling.correctie") => {
            "the correction of the number distributed this period (or remove `correctie`)"
        }
        "verschil" => "this period's change agreed between the municipalities (art. 29 lid 2)",
        "achterstand" if path == "uitstroom.beginstand.achterstand" => {
            "the backlog on this 1 January: confirm the value the previous period computed (in the comment)"
        }
        "aantal" if path.starts_with("verdeling.achterstanden") => {
            "this municipality's backlog (+) or advance (-) from the previous period"
        }
        "aantal" | "achterstand" | "marge_procent" | "maanden" => "a number",
        _ => "this period's text (edit last period's text after TE_VULLEN, then remove the marker)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_open_fields_but_not_in_comments() {
        let t = "# TE_VULLEN in a comment\na: TE_VULLEN  # 2025-I: 5\nb:\n  - { x: 1, y: TE_VULLEN }\nc: >-\n  TE_VULLEN oude\n  tekst\nd: klaar\n";
        let open = open_fields(t);
        let paths: Vec<(&str, usize, usize)> = open
            .iter()
            .map(|o| (o.path.as_str(), o.line, o.column))
            .collect();
        assert_eq!(paths, [("a", 2, 4), ("b[0].y", 4, 16), ("c", 6, 3)]);
        assert!(open_fields("a: klaar\n").is_empty());
    }

    #[test]
    fn says_what_a_field_expects() {
        assert!(expected("besluit.taakstelling").contains("taakstelling"));
        assert!(expected("uitstroom.maanden[3].aantal").contains("outflow"));
        assert!(expected("amv.realisatie[1].plekken").contains("realised"));
        assert!(expected("inwilligingen.maanden[3].aantal").contains("grants"));
        assert!(expected("besluit.motivering").contains("text"));
    }
}
