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

/// Line and column (both from 1; the column counts bytes) of a byte offset in `text`. An
/// offset past the end or inside a character is moved back to a character boundary.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(offset)
}

/// Where lines start in a text, for many [`line_col`] look-ups in O(log lines) each.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        (line, offset - self.starts[line - 1] + 1)
    }
}

/// Byte offset of the deepest part of `path` present in `text` (the value if it is there, else
/// the nearest enclosing table or array), or `None` when the text does not parse.
pub fn locate(text: &str, path: &FieldPath) -> Option<usize> {
    let root = DeTable::parse(text).ok()?;
    locate_in_table(root.get_ref(), path)
}

/// [`locate`] in a parse tree already built (parse once, locate many).
pub fn locate_in_table(root: &DeTable, path: &FieldPath) -> Option<usize> {
    let mut best = None;
    let mut table: Option<&DeTable> = Some(root);
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

/// The field path whose value contains byte `offset` (the deepest one), for errors that come
/// with a position but no path (serde's "unknown variant", "invalid type", …).
pub fn path_at(text: &str, offset: usize) -> Option<FieldPath> {
    let root = DeTable::parse(text).ok()?;
    // A key starts "at or before" the offset if its line does: a `[[partners]]` header's key
    // starts two characters into the header, where an error about that table points.
    let line_start = |at: usize| {
        text.get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1)
    };
    let mut path = FieldPath::default();
    let mut table: Option<&DeTable> = Some(root.get_ref());
    let mut array: Option<&[toml::Spanned<DeValue>]> = None;
    loop {
        // Table spans cover only their headers, so descend into the entry (or array item) that
        // starts last at or before the offset: its body is where the offset lies.
        let found = if let Some(t) = table {
            t.iter()
                .filter(|(k, _)| line_start(k.span().start) <= offset)
                .max_by_key(|(k, _)| k.span().start)
                .map(|(k, v)| (Step::Key(k.get_ref().to_string()), v))
        } else if let Some(a) = array {
            // Items of an inline list share a line: there, the last one starting at or before
            // the offset (`values = [18446744073709551615, 3]` points at the first, not the
            // last item of its line).
            let line = line_start(offset);
            let on_line = || {
                a.iter()
                    .enumerate()
                    .filter(|(_, v)| line_start(v.span().start) == line)
            };
            on_line()
                .filter(|(_, v)| v.span().start <= offset)
                .max_by_key(|(_, v)| v.span().start)
                .or_else(|| on_line().next())
                .or_else(|| {
                    a.iter()
                        .enumerate()
                        .filter(|(_, v)| line_start(v.span().start) <= offset)
                        .max_by_key(|(_, v)| v.span().start)
                })
                .map(|(i, v)| (Step::Index(i), v))
        } else {
            None
        };
        let Some((step, value)) = found else { break };
        path.0.push(step);
        table = None;
        array = None;
        match value.get_ref() {
            DeValue::Table(t) => table = Some(t),
            DeValue::Array(a) => array = Some(a.as_ref()),
            _ => break,
        }
    }
    (!path.0.is_empty()).then_some(path)
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
    fn path_at_finds_the_key_of_a_bad_value() {
        let text =
            "[unrest]\nvision_shape = \"circle\"\n\n[[units]]\ncount = 1\n[[units]]\ncount = -1\n";
        let off = text.find("circle").unwrap();
        assert_eq!(
            path_at(text, off).unwrap().to_string(),
            "unrest.vision_shape"
        );
        let off = text.rfind("-1").unwrap();
        assert_eq!(path_at(text, off).unwrap().to_string(), "units[1].count");
    }

    /// serde's "missing field" points at the table's header (`[[partners]]`, whose key starts
    /// inside it) or, for the document itself, at 0..0.
    #[test]
    fn path_at_a_table_header_is_that_table() {
        let text = "a = 1\n\n[[partners]]\nname = \"x\"\n\n[stability]\ncalm = 1\n";
        let at = text.find("[[partners]]").unwrap();
        assert_eq!(path_at(text, at).unwrap().to_string(), "partners[0]");
        let at = text.find("[stability]").unwrap();
        assert_eq!(path_at(text, at).unwrap().to_string(), "stability");
    }

    #[test]
    fn line_col_survives_offsets_inside_a_character_or_past_the_end() {
        let text = "a = \"é\"\nb = 1\n";
        let inside = text.find('é').unwrap() + 1;
        assert_eq!(line_col(text, inside), (1, 6));
        assert_eq!(line_col(text, 10_000), (3, 1));
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, text.find('b').unwrap()), (2, 1));
        assert_eq!(line_col("", 3), (1, 1));
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
