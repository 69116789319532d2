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
        let message = plain(error.message().trim());
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

/// serde's "invalid type: string \"half\", expected f64" in words a scenario's author uses:
/// "invalid type: the text \"half\" where a number is expected, e.g. 0.5 (numbers take no
/// quotes)". Other messages pass unchanged.
fn plain(message: &str) -> String {
    if let Some(suggestion) = did_you_mean(message) {
        return format!("{message}; did you mean `{suggestion}`?");
    }
    if let Some(range) = out_of_range(message) {
        return range;
    }
    // The TOML reader's own words for numbers it cannot hold.
    match message {
        "floating-point number overflowed" => {
            return "a number too large to hold (numbers stop near 1.8e308); use a number \
                    within the field's range"
                .into();
        }
        "u64 value was too large" => {
            return "a whole number too large to hold here (at most 9223372036854775807); use a \
                    smaller one"
                .into();
        }
        _ => {}
    }
    let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    else {
        return message.to_string();
    };
    let found = if let Some(text) = found.strip_prefix("string ") {
        format!("the text {text}")
    } else if let Some(v) = found
        .strip_prefix("integer ")
        .or_else(|| found.strip_prefix("floating point "))
    {
        format!("the number {}", v.trim_matches('`'))
    } else if let Some(v) = found.strip_prefix("boolean ") {
        format!("the switch {}", v.trim_matches('`'))
    } else if found == "sequence" {
        "a list [...]".to_string()
    } else if found == "map" {
        "a table".to_string()
    } else {
        found.to_string()
    };
    let expected = match expected {
        "f64" | "f32" => "a number is expected, e.g. 0.5",
        "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" => {
            "a whole number is expected, e.g. 3"
        }
        "a boolean" => "true or false is expected (no quotes)",
        "a string" => "text in quotes is expected, e.g. \"name\"",
        "a sequence" => "a list is expected, e.g. [\"a\", \"b\"]",
        other => return format!("invalid type: {found} where {other} is expected"),
    };
    let quoted_number = found.starts_with("the text") && expected.contains("number");
    let hint = if quoted_number {
        " (numbers take no quotes)"
    } else {
        ""
    };
    format!("invalid type: {found} where {expected}{hint}")
}

/// serde's "invalid value: integer `4294967296`, expected u32" in a reader's words: the number,
/// and the whole numbers the field can hold.
fn out_of_range(message: &str) -> Option<String> {
    let rest = message.strip_prefix("invalid value: integer `")?;
    let (number, expected) = rest.split_once("`, expected ")?;
    let (lo, hi): (i128, i128) = match expected {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    };
    Some(format!(
        "the number {number} does not fit here: use a whole number from {lo} to {hi} (and \
         within the field's own range, which validation checks next)"
    ))
}

/// For serde's "unknown field `visoin`, expected one of `threshold`, `vision`, …" (and "unknown
/// variant"), the expected name closest to the one written, if it is close enough to be a typo:
/// at most a third of its letters (and at least one) to change, by edit distance (`strsim`).
fn did_you_mean(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (written, expected) = rest.split_once('`')?;
    let names = expected.split('`').skip(1).step_by(2);
    let (best, distance) = names
        .map(|n| (n, strsim::levenshtein(written, n)))
        .min_by_key(|&(_, d)| d)?;
    (distance > 0 && distance <= (written.chars().count() / 3).max(1)).then_some(best)
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

#[cfg(test)]
mod tests {
    use super::plain;

    /// A typo of a field or a value gets the closest expected name; a word that is no typo of
    /// any gets none (the list of names is still there).
    #[test]
    fn typos_get_the_closest_name() {
        let field =
            "unknown field `visoin`, expected one of `threshold`, `k`, `vision`, `vision_shape`";
        assert!(
            plain(field).ends_with("; did you mean `vision`?"),
            "{}",
            plain(field)
        );
        let variant =
            "unknown variant `simultanous`, expected `random_sequential` or `simultaneous`";
        assert!(plain(variant).ends_with("did you mean `simultaneous`?"));
        let unrelated = "unknown field `colour`, expected one of `threshold`, `k`, `vision`";
        assert_eq!(plain(unrelated), unrelated);
        let short = "unknown field `x`, expected one of `k`, `vision`";
        assert!(plain(short).ends_with("did you mean `k`?"));
    }

    /// A number too large or negative for its field says which whole numbers it can hold.
    #[test]
    fn numbers_too_large_to_hold_are_said_so() {
        assert!(plain("floating-point number overflowed").starts_with("a number too large"));
        assert!(plain("u64 value was too large").contains("at most 9223372036854775807"));
    }

    #[test]
    fn out_of_range_integers_name_the_range() {
        let m = plain("invalid value: integer `4294967296`, expected u32");
        assert!(
            m.starts_with("the number 4294967296 does not fit here")
                && m.contains("from 0 to 4294967295"),
            "{m}"
        );
        assert!(plain("invalid value: integer `-1`, expected u64").contains("from 0 to"));
    }
}
