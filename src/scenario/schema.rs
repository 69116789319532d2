//! Every schema problem of a TOML file in one pass: unknown fields and values of the wrong
//! type, each at its byte offset, instead of serde's first error only.
//!
//! The document is parsed once into its spanned tree ([`DeTable`]); the typed value is
//! deserialized from that tree, and each error that points at a key or value is recorded and
//! that entry taken out of the tree before deserializing again. An entry taken out can only be
//! an unknown key or a bad value, so the rest of the file is still checked; a required field
//! whose value was bad stops the walk (its absence is the same problem, already reported).

use serde::de::DeserializeOwned;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// At most this many problems are collected from one file.
const MAX_PROBLEMS: usize = 100;

/// One problem: the span it points at and serde's message (which names the fix, e.g. the
/// fields that are expected).
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaProblem {
    pub span: Range<usize>,
    pub message: String,
}

/// Deserialize `T` from `text`. A syntax error is returned as is (`Err`); otherwise every
/// schema problem found, and the value when the file deserializes once its unknown fields and
/// bad optional values are left out (so that validation can report its problems too).
pub fn deserialize_all<T: DeserializeOwned>(
    text: &str,
) -> Result<(Option<T>, Vec<SchemaProblem>), toml::de::Error> {
    let mut tree = DeTable::parse(text)?;
    let mut problems = Vec::new();
    let mut removed_keys: Vec<String> = Vec::new();
    while problems.len() < MAX_PROBLEMS {
        let error = match T::deserialize(toml::de::Deserializer::from(tree.clone())) {
            Ok(value) => return Ok((Some(value), problems)),
            Err(e) => e,
        };
        let message = error.message().trim().to_string();
        let span = error.span().unwrap_or(0..0);
        if let Some(key) = message.strip_prefix("missing field `") {
            // A required field whose bad value was reported: not a second problem.
            let key = key.split('`').next().unwrap_or_default();
            if !removed_keys.iter().any(|k| k == key) {
                problems.push(SchemaProblem { span, message });
            }
            break;
        }
        let removed = remove_at(tree.get_mut(), &span);
        problems.push(SchemaProblem { span, message });
        match removed {
            Some(key) => removed_keys.push(key),
            None => break,
        }
    }
    Ok((None, problems))
}

/// Take out of `table` (at any depth) the entry whose key or value is at `span`; an array
/// with a bad element goes as a whole. Returns the key taken out.
fn remove_at(table: &mut DeTable, span: &Range<usize>) -> Option<String> {
    let found = table
        .iter()
        .find(|(k, v)| {
            let hit = k.span() == *span || v.span() == *span;
            let in_array = matches!(v.get_ref(), DeValue::Array(a)
                if a.iter().any(|e| e.span() == *span && !matches!(e.get_ref(), DeValue::Table(_))));
            let scalar_around = !matches!(v.get_ref(), DeValue::Table(_) | DeValue::Array(_))
                && v.span().start <= span.start
                && span.end <= v.span().end;
            hit || in_array || scalar_around
        })
        .map(|(k, _)| k.clone());
    if let Some(key) = found {
        table.remove(&key);
        return Some(key.get_ref().to_string());
    }
    for (_, v) in table.iter_mut() {
        match v.get_mut() {
            DeValue::Table(t) => {
                if let Some(k) = remove_at(t, span) {
                    return Some(k);
                }
            }
            DeValue::Array(a) => {
                for e in a.iter_mut() {
                    if let DeValue::Table(t) = e.get_mut()
                        && let Some(k) = remove_at(t, span)
                    {
                        return Some(k);
                    }
                }
            }
            _ => {}
        }
    }
    None
}
