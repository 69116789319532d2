//! Writing one run's result bundle: `timeseries.csv`, `districts.csv`, `summary.json`, the
//! charts and the manifest.

use super::run_charts;
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

/// Write every output of one run into `dir` (created if needed). Returns the files written.
pub fn write_run(
    dir: &Path,
    identity: &RunIdentity,
    output: &RunOutput,
    district_names: &[String],
) -> Result<Vec<PathBuf>, ReportError> {
    let mut bundle = Bundle::new(dir);
    bundle.add_csv("timeseries.csv", &output.ticks)?;
    bundle.add_csv("districts.csv", &output.districts)?;
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
    bundle.extend(run_charts::run_charts(
        &identity.scenario_name,
        output,
        district_names,
        dir,
    )?);
    bundle.write(Manifest::new(
        "run",
        identity.command_line.clone(),
        identity.seed,
        identity,
    ))
}
