//! Writing one run's result bundle: `timeseries.csv`, `districts.csv`, `summary.json`, the
//! charts and the manifest.

use super::{Bundle, Manifest, ReportError, Stat, summarize};
use crate::metrics::DistrictRow;
use crate::sim::RunOutput;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What identifies a run, for the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct RunIdentity {
    pub scenario_name: String,
    pub scenario_file: String,
    pub scenario_sha256: String,
    /// In the manifest's common fields.
    #[serde(skip)]
    pub seed: u64,
    pub run: u64,
    pub ticks: u32,
    /// In the manifest's common fields.
    #[serde(skip)]
    pub command_line: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_tidied_and_rows_identified() {
        assert_eq!(tidy_number("160.80000000000007"), "160.8");
        assert_eq!(tidy_number("0.8199999928474426"), "0.82");
        assert_eq!(tidy_number("1e-9"), "0");
        assert_eq!(tidy_number("42"), "42");
        assert_eq!(tidy_number("east"), "east");
        let id = RunIdentity {
            scenario_name: "x".into(),
            scenario_file: String::new(),
            scenario_sha256: String::new(),
            seed: 7,
            run: 2,
            ticks: 1,
            command_line: Vec::new(),
        };
        let out = with_identity(b"tick,a\n1,0.5000000001\n", &id);
        assert_eq!(out, b"scenario,seed,run,tick,a\nx,7,2,1,0.5\n");
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    scenario: &'a str,
    seed: u64,
    ticks: u32,
    metrics: BTreeMap<&'static str, Stat>,
    /// Outbursts of rebellion (see `analysis`): runs of ticks with ≥ 5 % of citizens active.
    outbursts: crate::analysis::OutburstSummary,
    districts_final: Vec<&'a DistrictRow>,
}

/// Prefix every line of a run's CSV with the columns that identify the run (`scenario`, `seed`,
/// `run`), so rows from many runs can be joined, and write fractional numbers with at most six
/// decimals (`160.8`, not `160.80000000000007`; trust is held in single precision, so more
/// digits would only show rounding noise). Scenario and district names are letters, digits,
/// '-' and '_' (validated), so no field needs quoting.
pub fn with_identity(csv: &[u8], id: &RunIdentity) -> Vec<u8> {
    let text = String::from_utf8_lossy(csv);
    let mut out = String::with_capacity(csv.len() + csv.len() / 8);
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            out.push_str("scenario,seed,run,");
            out.push_str(line);
        } else {
            out.push_str(&format!("{},{},{}", id.scenario_name, id.seed, id.run));
            for field in line.split(',') {
                out.push(',');
                out.push_str(&tidy_number(field));
            }
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// A fractional number with at most six decimals and no trailing zeros; anything else as is.
fn tidy_number(field: &str) -> std::borrow::Cow<'_, str> {
    let fractional = field.contains('.') || field.contains('e');
    match field.parse::<f64>() {
        Ok(x) if fractional && x.is_finite() => {
            let s = format!("{x:.6}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            std::borrow::Cow::Owned(if s == "-0" { "0".into() } else { s.into() })
        }
        _ => std::borrow::Cow::Borrowed(field),
    }
}

/// Write every output of one run into `dir` (created if needed). Returns the files written.
pub fn write_run(
    dir: &Path,
    identity: &RunIdentity,
    output: &RunOutput,
    extra: Vec<(String, Vec<u8>)>,
    streamed: Vec<(String, super::Streamed)>,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut bundle = Bundle::new(dir);
    let ts = super::csv_bytes(&output.ticks, &dir.join("timeseries.csv"))?;
    bundle.add("timeseries.csv", with_identity(&ts, identity));
    let ds = super::csv_bytes(&output.districts, &dir.join("districts.csv"))?;
    bundle.add("districts.csv", with_identity(&ds, identity));
    let ps = super::csv_bytes(&output.partners, &dir.join("partners.csv"))?;
    bundle.add("partners.csv", with_identity(&ps, identity));
    let last_tick = output.ticks.last().map_or(0, |r| r.tick);
    let summary = Summary {
        scenario: &identity.scenario_name,
        seed: identity.seed,
        ticks: identity.ticks,
        metrics: summarize(&output.ticks),
        outbursts: crate::analysis::summarize(
            &output
                .ticks
                .iter()
                .map(|r| (r.tick, r.active))
                .collect::<Vec<_>>(),
            output.ticks.first().map_or(0, |r| r.population),
        ),
        districts_final: output
            .districts
            .iter()
            .filter(|d| d.tick == last_tick)
            .collect(),
    };
    let mut json = serde_json::to_vec_pretty(&summary).expect("summary serializes");
    json.push(b'\n');
    bundle.add("summary.json", json);
    // Charts, maps, agent views, frames and report.html come in `extra` (they need the
    // scenario: events, units); names may hold a subfolder (`frames/`).
    bundle.extend(extra);
    for (name, file) in streamed {
        bundle.add_streamed(name, file);
    }
    bundle.write(Manifest::new(
        "run",
        identity.command_line.clone(),
        identity.seed,
        identity,
    ))
}
