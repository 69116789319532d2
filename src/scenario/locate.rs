//! Find where a field path (`units[2].partner`) stands in the scenario's TOML text.
//!
//! Validation works on typed values that have forgotten their position; this module walks the
//! spanned parse tree of the same text to give every error a line and column.

use toml::de::{DeTable, DeValue};

/// One step of a field path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A field path such as `districts[1].population`, built by validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Step>);

impl FieldPath {
    pub fn key(&self, k: &str) -> FieldPath {
        let mut steps = self.0.clone();
        steps.push(Step::Key(k.to_string()));
        FieldPath(steps)
    }
    pub fn index(&self, i: usize) -> FieldPath {
        let mut steps = self.0.clone();
        steps.push(Step::Index(i));
        FieldPath(steps)
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(k) if i == 0 => write!(f, "{k}")?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Line and column (both from 1) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(offset, |nl| offset - nl - 1) + 1;
    (line, col)
}

/// Byte offset of the deepest part of `path` present in `text` (the value if it is there, else
/// the nearest enclosing table or array), or `None` when the text does not parse.
pub fn locate(text: &str, path: &FieldPath) -> Option<usize> {
    let root = DeTable::parse(text).ok()?;
    let mut best = None;
    let mut table: Option<&DeTable> = Some(root.get_ref());
    let mut array: Option<&[toml::Spanned<DeValue>]> = None;
    for step in &path.0 {
        let value = match (step, table, array) {
            (Step::Key(k), Some(t), _) => t
                .iter()
                .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                .map(|(key, v)| {
                    // Point at the key when the value is a table (a header line reads better).
                    best = Some(key.span().start);
                    v
                }),
            (Step::Index(i), _, Some(a)) => a.get(*i),
            _ => None,
        };
        let Some(value) = value else { break };
        if !matches!(value.get_ref(), DeValue::Table(_)) {
            best = Some(value.span().start);
        }
        table = None;
        array = None;
        match value.get_ref() {
            DeValue::Table(t) => {
                if matches!(step, Step::Index(_)) {
                    best = Some(value.span().start);
                }
                table = Some(t);
            }
            DeValue::Array(a) => array = Some(a.as_ref()),
            _ => {}
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_value_in_array_of_tables() {
        let text = "[scenario]\nname = \"x\"\n\n[[units]]\npartner = \"a\"\n\n[[units]]\npartner = \"b\"\n";
        let path = FieldPath::default().key("units").index(1).key("partner");
        let off = locate(text, &path).expect("located");
        assert_eq!(line_col(text, off), (8, 11));
    }

    #[test]
    fn missing_leaf_falls_back_to_parent() {
        let text = "[map]\nblock = 2\n";
        let path = FieldPath::default().key("map").key("rows");
        let off = locate(text, &path).expect("located");
        assert_eq!(line_col(text, off).0, 1);
    }

    #[test]
    fn path_display() {
        let p = FieldPath::default()
            .key("districts")
            .index(3)
            .key("population");
        assert_eq!(p.to_string(), "districts[3].population");
    }
}
