//! A what-if branch as data: a scenario text, a seed and the interventions made from the page,
//! each a timed `[[events]]` entry. The branch's scenario is the text [`Branch::export`] writes,
//! parsed and validated like any file, so `peacesim run` of the export is the same run as the
//! page's, and a lever out of range is refused by the scenario's own validation.

use crate::scenario::{
    self, AidPolicy, CoordinationMechanism, EventKind, Neutrality, PatrolPolicy, Posture, Scenario,
    ScenarioError, SharingPolicy, Technology,
};
use serde::{Deserialize, Serialize};
use std::path::Path;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

/// One lever moved or event injected from the page: the fields of a scenario `[[events]]`
/// entry (docs/MODEL.md §3.13). The server sets `tick` (the next tick to run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    #[serde(default)]
    pub tick: u32,
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technology: Option<Technology>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharing: Option<SharingPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posture: Option<Posture>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patrol_policy: Option<PatrolPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neutrality: Option<Neutrality>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aid_policy: Option<AidPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<CoordinationMechanism>,
}

/// A run as the page drives it: the base scenario text, the seed, and what was done to it.
#[derive(Debug, Clone)]
pub struct Branch {
    /// Where the base text came from (`<bundled>/baseline.toml`, an uploaded file's name).
    pub file: String,
    pub base: String,
    pub seed: u64,
    pub added: Vec<Intervention>,
}

#[derive(Serialize)]
struct EventsTable<'a> {
    events: &'a [Intervention],
}

/// The line that opens the appended events in an export.
pub const EXPORT_MARK: &str = "# ── Added in the classroom view (peacesim serve)";

impl Branch {
    /// The scenario file of this branch: the base text with the branch's seed, and every
    /// intervention appended as an `[[events]]` entry at its tick. The base is edited as a TOML
    /// document (`toml_edit`), so its comments and layout stay, and the seed and the events land
    /// wherever and however the file wrote them (a `[scenario]` table, dotted or quoted keys,
    /// inline tables, an inline `events = [...]` array).
    pub fn export(&self) -> String {
        // The base was validated when the session started; should it not parse, it is
        // returned as it is, and the scenario's own validation names the problem.
        let Ok(mut doc) = self.base.parse::<DocumentMut>() else {
            return self.base.clone();
        };
        set_seed(&mut doc, self.seed);
        append_events(&mut doc, &self.added);
        doc.to_string()
    }

    /// Parse and validate [`Self::export`] against `memory_budget` (bytes). The base text is
    /// checked first, so that problems in an uploaded file name the lines of that file.
    pub fn scenario(&self, memory_budget: u64) -> Result<Scenario, ScenarioError> {
        let file = Path::new(&self.file);
        let base = scenario::parse_str_with(&self.base, file, memory_budget)?;
        if self.added.is_empty() && base.seed == self.seed {
            return Ok(base);
        }
        scenario::parse_str_with(&self.export(), file, memory_budget)
    }
}

/// The largest seed a scenario file can hold: TOML integers are signed 64-bit.
pub const MAX_FILE_SEED: u64 = i64::MAX as u64;

/// The refusal of a seed (`seed`: as it was given, `-1`, `1.5`, a number above
/// [`MAX_FILE_SEED`]) that no scenario file could hold, so a branch with it could not export.
pub fn seed_refused(seed: impl std::fmt::Display) -> crate::serve::error::ApiError {
    crate::serve::error::ApiError::bad_request(format!(
        "seed {seed}: use a whole number from 0 to {MAX_FILE_SEED} (a scenario file holds no \
         larger one, and the page's run must export to a file)"
    ))
}

/// Set `[scenario] seed` to `seed`: its value rewritten in place (comments kept), or the key
/// added to the `scenario` table when the file leaves the seed to its default.
fn set_seed(doc: &mut DocumentMut, seed: u64) {
    // Seeds above MAX_FILE_SEED are refused before a branch gets one (serve's API).
    let new = Value::from(i64::try_from(seed).unwrap_or(i64::MAX));
    let Some(table) = doc
        .entry("scenario")
        .or_insert(toml_edit::table())
        .as_table_like_mut()
    else {
        return;
    };
    match table.get_mut("seed").and_then(Item::as_value_mut) {
        Some(old) => {
            let decor = old.decor().clone();
            *old = new;
            *old.decor_mut() = decor;
        }
        None => {
            table.insert("seed", Item::Value(new));
        }
    }
}

/// Append `added` to the document's events, after any it has: as `[[events]]` tables, or as
/// inline tables when the file wrote `events = [...]`. The first added entry carries
/// [`EXPORT_MARK`].
fn append_events(doc: &mut DocumentMut, added: &[Intervention]) {
    if added.is_empty() {
        return;
    }
    let text = toml::to_string(&EventsTable { events: added }).expect("events serialize to TOML");
    let parsed: DocumentMut = text.parse().expect("serialized events parse back");
    let Some(new) = parsed.get("events").and_then(Item::as_array_of_tables) else {
        return;
    };
    let mark = format!(
        "{EXPORT_MARK}: levers and events, each applied at the start of its tick.\n\
         # Run it with: peacesim run FILE (the same time series as the page showed).\n"
    );
    // New tables go after every table of the file (toml_edit writes tables in the order of
    // their positions), so the additions and their mark end the export, as they came last.
    let end = last_position(doc.as_table()) + 1;
    let placed = |k: usize, table: &Table| {
        let mut table = table.clone();
        table.set_position(Some(end + k as isize));
        if k == 0 {
            table.decor_mut().set_prefix(format!("\n{mark}\n"));
        }
        table
    };
    match doc.get_mut("events") {
        Some(Item::Value(Value::Array(array))) => {
            // What followed the last item (`, # the flood\n`) stays before the first addition.
            let before = array.trailing().as_str().unwrap_or("").to_string();
            for (k, table) in new.iter().enumerate() {
                let mut inline = table.clone().into_inline_table();
                inline.fmt();
                let mut value = Value::InlineTable(inline);
                let prefix = if k == 0 {
                    format!(
                        "{}\n  {}\n  ",
                        before.trim_end_matches([' ', '\n']),
                        mark.trim_end().replace('\n', "\n  ")
                    )
                } else {
                    "\n  ".to_string()
                };
                value.decor_mut().set_prefix(prefix);
                array.push_formatted(value);
            }
            array.set_trailing("\n");
            array.set_trailing_comma(true);
        }
        // `[[events]]`, or no events yet (anything else the base's validation refuses).
        _ => {
            let tables = doc
                .entry("events")
                .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
            if let Some(tables) = tables.as_array_of_tables_mut() {
                for (k, table) in new.iter().enumerate() {
                    tables.push(placed(k, table));
                }
            }
        }
    }
}

/// The largest document position of `table` and the tables under it (0 if none has one).
fn last_position(table: &Table) -> isize {
    let own = table.position().unwrap_or(0);
    table
        .iter()
        .map(|(_, item)| match item {
            Item::Table(t) => last_position(t),
            Item::ArrayOfTables(a) => a.iter().map(last_position).max().unwrap_or(0),
            _ => 0,
        })
        .fold(own, isize::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_is_replaced_or_added() {
        let with_seed = |base: &str, seed| {
            Branch {
                file: "x.toml".into(),
                base: base.into(),
                seed,
                added: Vec::new(),
            }
            .export()
        };
        let t = "[scenario]\nname = \"x\"\nseed = 2026 # the seed\nticks = 3\n";
        assert_eq!(
            with_seed(t, 7),
            "[scenario]\nname = \"x\"\nseed = 7 # the seed\nticks = 3\n"
        );
        let t = "# c\n[scenario]\nname = \"x\"\n";
        assert_eq!(with_seed(t, 9), "# c\n[scenario]\nname = \"x\"\nseed = 9\n");
    }

    /// Every TOML spelling of the seed and the events gives an export that parses, with the
    /// branch's seed and the base's events followed by the added ones, in order.
    #[test]
    fn every_toml_form_of_seed_and_events_exports() {
        let forms = [
            "[scenario]\nseed = 3\nname = \"x\"\n",
            "[scenario]\n\"seed\" = 3 # quoted\nname = \"x\"\n",
            "scenario.seed = 3\nscenario.name = \"x\"\n",
            "scenario = { seed = 3, name = \"x\" }\n",
            "scenario.name = \"x\"\n",
            "[scenario]\nname = \"x\"\n[[events]]\ntick = 1\nkind = \"disaster\"\n[map]\nblock = 1\n",
            "events = [{ tick = 1, kind = \"disaster\" }]\n[scenario]\nname = \"x\"\n",
            "events = [\n  { tick = 1, kind = \"disaster\" }, # one\n]\n[scenario]\nname = \"x\"\n",
        ];
        let added = |tick, kind: &str| Intervention {
            tick,
            kind: serde_json::from_str(&format!("\"{kind}\"")).unwrap(),
            partner: None,
            partners: Vec::new(),
            district: Some("capital".into()),
            amount: Some(0.25),
            duration: None,
            technology: None,
            sharing: None,
            posture: None,
            patrol_policy: None,
            neutrality: None,
            aid_policy: None,
            mechanism: None,
        };
        for base in forms {
            let branch = Branch {
                file: "x.toml".into(),
                base: base.into(),
                seed: 7,
                added: vec![added(4, "disaster"), added(9, "attack")],
            };
            let text = branch.export();
            let value: toml::Table =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{base}\n→\n{text}\n{e}"));
            assert_eq!(
                value["scenario"]["seed"].as_integer(),
                Some(7),
                "{base}\n→\n{text}"
            );
            assert_eq!(value["scenario"]["name"].as_str(), Some("x"), "{text}");
            let ticks: Vec<i64> = value["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["tick"].as_integer().unwrap())
                .collect();
            let before = usize::from(base.contains("disaster"));
            assert_eq!(ticks, [&[1][..before], &[4, 9]].concat(), "{text}");
            assert!(text.contains(EXPORT_MARK), "{text}");
            assert_eq!(
                text.contains("# one"),
                base.contains("# one"),
                "a comment of the base is kept: {text}"
            );
        }
    }
}
