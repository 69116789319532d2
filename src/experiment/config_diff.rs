//! What a configuration of a comparison sets differently from the first, read from the two
//! scenario files: the settings a reader needs to know what the comparison measures
//! ("partners.regional_force.posture: \"robust\" → \"restrained\"").
//!
//! The files are compared as TOML trees, not as text, so comments, order and layout do not
//! count. Entries of `[[districts]]` and `[[partners]]` are matched by `name`, other arrays of
//! tables (units, events) by position. A setting written in one file only is shown against
//! "(default)": the other file leaves it at the model's default, which may be the same value.

use toml::{Table, Value};

/// Lines shown at most per configuration (the rest are counted).
const MAX_LINES: usize = 40;

/// The settings `other` writes differently from `reference`, one line each, in path order; its
/// name and description are left out (they always differ). Unparsable text gives no lines (the
/// files were validated before any run).
pub fn differences(reference: &str, other: &str) -> Vec<String> {
    let (Ok(mut a), Ok(mut b)) = (reference.parse::<Table>(), other.parse::<Table>()) else {
        return Vec::new();
    };
    // A table or field left out runs with its default: fill those in, so a file that states
    // the defaults and one that leaves them out do not differ.
    let defaults = crate::scenario::raw::default_tables();
    with_defaults(&mut a, &defaults);
    with_defaults(&mut b, &defaults);
    let mut lines = Vec::new();
    diff_tables("", &a, &b, &mut lines);
    lines.retain(|l| !l.starts_with("scenario.name:") && !l.starts_with("scenario.description:"));
    if lines.len() > MAX_LINES {
        let more = lines.len() - MAX_LINES;
        lines.truncate(MAX_LINES);
        lines.push(format!("… and {more} more"));
    }
    lines
}

/// `file` with every default table and field it leaves out added (its own values kept).
fn with_defaults(file: &mut Table, defaults: &Table) {
    for (key, d) in defaults {
        match (file.get_mut(key), d) {
            (None, _) => {
                file.insert(key.clone(), d.clone());
            }
            (Some(Value::Table(t)), Value::Table(dt)) => {
                for (k, v) in dt {
                    t.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            _ => {}
        }
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// A value as a scenario file writes it, on one line.
fn shown(v: Option<&Value>) -> String {
    match v {
        None => "(default)".to_string(),
        Some(Value::Table(t)) => {
            let inner: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{k} = {}", shown(Some(v))))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        Some(v) => v.to_string(),
    }
}

fn diff_tables(prefix: &str, a: &Table, b: &Table, out: &mut Vec<String>) {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        diff_values(&join(prefix, k), a.get(k), b.get(k), out);
    }
}

fn diff_values(path: &str, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<String>) {
    match (a, b) {
        (Some(Value::Table(x)), Some(Value::Table(y))) => diff_tables(path, x, y, out),
        (Some(Value::Array(x)), Some(Value::Array(y))) if is_tables(x) && is_tables(y) => {
            diff_arrays(path, x, y, out)
        }
        // Entries of an array of tables one file has and the other does not, one line each.
        (None, Some(Value::Array(y))) if is_tables(y) => diff_arrays(path, &[], y, out),
        (Some(Value::Array(x)), None) if is_tables(x) => diff_arrays(path, x, &[], out),
        (x, y) if !same(x, y) => out.push(format!("{path}: {} → {}", shown(x), shown(y))),
        _ => {}
    }
}

/// Equal as a scenario reads them: `1` and `1.0` are the same number.
fn same(x: Option<&Value>, y: Option<&Value>) -> bool {
    match (x, y) {
        (Some(Value::Integer(i)), Some(Value::Float(f)))
        | (Some(Value::Float(f)), Some(Value::Integer(i))) => *i as f64 == *f,
        _ => x == y,
    }
}

fn is_tables(xs: &[Value]) -> bool {
    !xs.is_empty() && xs.iter().all(Value::is_table)
}

fn name_of(v: &Value) -> Option<&str> {
    v.get("name").and_then(Value::as_str)
}

/// Arrays of tables: by `name` where every entry of both has one, else by position.
fn diff_arrays(path: &str, a: &[Value], b: &[Value], out: &mut Vec<String>) {
    let named = a.iter().chain(b).all(|v| name_of(v).is_some());
    if named {
        let mut names: Vec<&str> = a.iter().filter_map(name_of).collect();
        for n in b.iter().filter_map(name_of) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        for n in names {
            let find = |xs: &[Value]| xs.iter().find(|v| name_of(v) == Some(n)).cloned();
            let (x, y) = (find(a), find(b));
            match (&x, &y) {
                (Some(Value::Table(x)), Some(Value::Table(y))) => {
                    diff_tables(&join(path, n), x, y, out)
                }
                _ => out.push(format!(
                    "{}: {} → {}",
                    join(path, n),
                    x.as_ref().map_or("(none)".into(), |v| shown(Some(v))),
                    y.as_ref().map_or("(none)".into(), |v| shown(Some(v)))
                )),
            }
        }
        return;
    }
    for i in 0..a.len().max(b.len()) {
        let here = format!("{path}[{i}]");
        match (a.get(i), b.get(i)) {
            (Some(Value::Table(x)), Some(Value::Table(y))) => diff_tables(&here, x, y, out),
            (x, y) => out.push(format!(
                "{here}: {} → {}",
                x.map_or("(none)".into(), |v| shown(Some(v))),
                y.map_or("(none)".into(), |v| shown(Some(v)))
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::differences;

    #[test]
    fn names_what_differs_and_nothing_else() {
        let a = "[scenario]\nname = \"a\"\nticks = 10\n\n# a comment\n[[partners]]\nname = \"un\"\nposture = \"robust\"\n\n[[partners]]\nname = \"ngo\"\n";
        let b = "[scenario]\nname = \"b\"\nticks = 10\n\n[[partners]]\nname = \"ngo\"\n\n[[partners]]\nname = \"un\"\nposture = \"restrained\"\n\n[[events]]\ntick = 5\nkind = \"attack\"\n\n[logistics]\npooled = [\"un\"]\n";
        assert_eq!(
            differences(a, b),
            vec![
                "events[0]: (none) → {kind = \"attack\", tick = 5}".to_string(),
                "logistics.pooled: [] → [\"un\"]".to_string(),
                "partners.un.posture: \"robust\" → \"restrained\"".to_string(),
            ]
        );
        assert!(differences(a, a).is_empty());
    }
}
