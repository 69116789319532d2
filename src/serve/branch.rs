//! A what-if branch as data: a scenario text, a seed and the interventions made from the page,
//! each a timed `[[events]]` entry. The branch's scenario is the text [`Branch::export`] writes,
//! parsed and validated like any file, so `peacesim run` of the export is the same run as the
//! page's, and a lever out of range is refused by the scenario's own validation.

use crate::scenario::{
    self, AidPolicy, CoordinationMechanism, EventKind, FieldPath, Neutrality, PatrolPolicy,
    Posture, Scenario, ScenarioError, SharingPolicy, Technology,
};
use serde::{Deserialize, Serialize};
use std::path::Path;

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
    /// intervention appended as an `[[events]]` entry at its tick.
    pub fn export(&self) -> String {
        let mut text = with_seed(&self.base, self.seed);
        if !self.added.is_empty() {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&format!(
                "\n{EXPORT_MARK}: levers and events, each applied at the start of its tick.\n\
                 # Run it with: peacesim run FILE (the same time series as the page showed).\n\n"
            ));
            let events = toml::to_string(&EventsTable {
                events: &self.added,
            })
            .expect("events serialize to TOML");
            text.push_str(&events);
        }
        text
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

/// `text` with `[scenario] seed` set to `seed` (the line is rewritten, or added under the
/// `[scenario]` header when the file leaves the seed to its default).
pub fn with_seed(text: &str, seed: u64) -> String {
    let path = FieldPath::default().key("scenario").key("seed");
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    if let Some((line, column)) = scenario::locate_in(text, &path)
        && let Some(l) = lines.get_mut(line - 1)
        && column <= l.len() + 1
        // A missing key is located at its table: make sure this is the seed's own line.
        && l[..column - 1].trim_start().starts_with("seed")
        && l[..column - 1].trim_end().ends_with('=')
    {
        let start = column - 1;
        let value_len = l[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '+'))
            .unwrap_or(l.len() - start);
        l.replace_range(start..start + value_len, &seed.to_string());
    } else if let Some(header) = scenario::top_level_table_line(text, "scenario") {
        lines.insert(header, format!("seed = {seed}"));
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_is_replaced_or_added() {
        let t = "[scenario]\nname = \"x\"\nseed = 2026 # the seed\nticks = 3\n";
        assert_eq!(
            with_seed(t, 7),
            "[scenario]\nname = \"x\"\nseed = 7 # the seed\nticks = 3\n"
        );
        let t = "# c\n[scenario]\nname = \"x\"\n";
        assert_eq!(with_seed(t, 9), "# c\n[scenario]\nseed = 9\nname = \"x\"\n");
    }
}
