//! Editing a scenario's TOML by parameter path: dot-separated keys; inside an array of tables a
//! segment is either an index (`units.0.count`) or the `name` of an element
//! (`partners.un_mission.resupply`).

/// Set `value` at a dotted `path` in a TOML table (see the module docs for the syntax).
pub fn set_path(root: &mut toml::Table, path: &str, value: toml::Value) -> Result<(), String> {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "\"{path}\" has an empty segment; write keys separated by single dots"
        ));
    }
    let mut table = root;
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if last {
            table.insert(seg.to_string(), value);
            return Ok(());
        }
        let next = table
            .entry(seg.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        table = match next {
            toml::Value::Table(t) => t,
            toml::Value::Array(items) => {
                let sel = segments[i + 1];
                let idx = match sel.parse::<usize>() {
                    Ok(n) if n < items.len() => n,
                    Ok(n) => {
                        return Err(format!(
                            "{seg} has {} entries; index {n} is past the end",
                            items.len()
                        ));
                    }
                    Err(_) => items
                        .iter()
                        .position(|v| v.get("name").and_then(|n| n.as_str()) == Some(sel))
                        .ok_or_else(|| {
                            let names: Vec<String> = items
                                .iter()
                                .filter_map(|v| v.get("name").and_then(|n| n.as_str()))
                                .map(|n| format!("\"{n}\""))
                                .collect();
                            format!(
                                "no entry of {seg} is named \"{sel}\"; names: {}",
                                names.join(", ")
                            )
                        })?,
                };
                if i + 2 == segments.len() {
                    return Err(format!(
                        "\"{path}\" ends at an entry of {seg}; name one of its fields"
                    ));
                }
                // Skip the selector segment: continue inside the selected table.
                return set_path_from(items, idx, &segments[i + 2..], value, path);
            }
            _ => {
                return Err(format!(
                    "\"{seg}\" is a value, not a table, so it has no \"{}\"",
                    segments[i + 1]
                ));
            }
        };
    }
    Ok(())
}

fn set_path_from(
    items: &mut [toml::Value],
    idx: usize,
    rest: &[&str],
    value: toml::Value,
    full: &str,
) -> Result<(), String> {
    match &mut items[idx] {
        toml::Value::Table(t) => set_path(t, &rest.join("."), value),
        _ => Err(format!(
            "\"{full}\" selects an array entry that is not a table"
        )),
    }
}

/// Integers stay integers: a float written where the base has an integer is rounded.
pub fn coerce(existing: Option<&toml::Value>, v: toml::Value) -> toml::Value {
    match (existing, v) {
        (Some(toml::Value::Integer(_)), toml::Value::Float(f)) => {
            toml::Value::Integer(f.round() as i64)
        }
        (_, v) => v,
    }
}

pub fn get_path<'a>(root: &'a toml::Table, path: &str) -> Option<&'a toml::Value> {
    let mut cur: Option<&toml::Value> = None;
    let mut table = Some(root);
    let mut array: Option<&Vec<toml::Value>> = None;
    for seg in path.split('.') {
        cur = match (table, array) {
            (Some(t), _) => t.get(seg),
            (_, Some(a)) => match seg.parse::<usize>() {
                Ok(n) => a.get(n),
                Err(_) => a
                    .iter()
                    .find(|v| v.get("name").and_then(|n| n.as_str()) == Some(seg)),
            },
            _ => None,
        };
        table = None;
        array = None;
        match cur? {
            toml::Value::Table(t) => table = Some(t),
            toml::Value::Array(a) => array = Some(a),
            _ => {}
        }
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_path_by_name_and_index() {
        let mut t: toml::Table = toml::from_str(
            "[[partners]]\nname = \"a\"\nsupply = 1\n[[partners]]\nname = \"b\"\nsupply = 2\n[[units]]\ncount = 3\n",
        )
        .unwrap();
        set_path(&mut t, "partners.b.supply", toml::Value::Integer(9)).unwrap();
        set_path(&mut t, "units.0.count", toml::Value::Integer(7)).unwrap();
        set_path(&mut t, "trust.aid_gain", toml::Value::Float(0.5)).unwrap();
        assert_eq!(
            get_path(&t, "partners.b.supply"),
            Some(&toml::Value::Integer(9))
        );
        assert_eq!(
            get_path(&t, "units.0.count"),
            Some(&toml::Value::Integer(7))
        );
        assert_eq!(
            get_path(&t, "trust.aid_gain"),
            Some(&toml::Value::Float(0.5))
        );
        let err = set_path(&mut t, "partners.c.supply", toml::Value::Integer(1)).unwrap_err();
        assert!(err.contains("\"a\", \"b\""), "{err}");
        assert!(set_path(&mut t, "units.4.count", toml::Value::Integer(1)).is_err());
    }
}
