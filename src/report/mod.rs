//! Writing a run's results: CSV, JSON and charts, every file atomically.
//!
//! A file is written to a temporary name in its destination directory, flushed, synced and then
//! renamed over the final name, so a killed run never leaves a truncated file under a complete
//! file's name. Nothing here invents data: it formats what [`crate::sim`] recorded.

pub mod animation;
pub mod charts;
pub mod html;
pub mod maps;
mod raster;
pub mod visual;

use crate::metrics::{DistrictRow, TickRow};
use crate::sim::RunOutput;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file or directory could not be created or written.
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Rows could not be formatted as CSV.
    #[error("cannot format {path} as CSV: {source}")]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    /// A chart could not be drawn.
    #[error("cannot draw chart {path}: {message}")]
    Chart { path: PathBuf, message: String },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Write `bytes` to `path` through a temporary file in the same directory and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io_err(path))
}

/// Format rows as CSV with a header line.
pub fn csv_bytes<T: Serialize>(rows: &[T], path: &Path) -> Result<Vec<u8>, ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).map_err(|source| ReportError::Csv {
            path: path.to_path_buf(),
            source,
        })?;
    }
    w.into_inner().map_err(|e| ReportError::Io {
        path: path.to_path_buf(),
        source: e.into_error(),
    })
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Final, mean, min and max of one metric over a run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stat {
    pub r#final: f64,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

/// The whole-map metrics as (name, value) pairs, in CSV column order.
pub fn tick_metrics(row: &TickRow) -> Vec<(&'static str, f64)> {
    vec![
        ("population", row.population as f64),
        ("quiescent", row.quiescent as f64),
        ("active", row.active as f64),
        ("detained", row.detained as f64),
        ("incidents", row.incidents as f64),
        ("detentions", row.detentions as f64),
        ("harm_incidents", row.harm_incidents as f64),
        ("mean_trust", row.mean_trust),
        ("mean_hardship", row.mean_hardship),
        ("mean_grievance", row.mean_grievance),
        ("security_coverage", row.security_coverage),
        ("aid_coverage", row.aid_coverage),
        ("athena_coverage", row.athena_coverage),
        ("stability", row.stability),
        ("supply_level", row.supply_level),
        ("units_operating", row.units_operating as f64),
        ("units_fielded", row.units_fielded as f64),
        ("convoys_arrived", row.convoys_arrived as f64),
        ("convoys_lost", row.convoys_lost as f64),
        ("cost", row.cost),
        ("cost_cumulative", row.cost_cumulative),
        ("partner_trust", row.partner_trust),
        ("info_coverage", row.info_coverage),
        ("shared_reports", row.shared_reports as f64),
        ("misconduct_incidents", row.misconduct_incidents as f64),
        ("casualties", row.casualties as f64),
        ("partners_engaged", row.partners_engaged as f64),
        ("mean_commitment", row.mean_commitment),
        ("mission_credibility", row.mission_credibility),
        ("group_a", row.group_a as f64),
        ("group_b", row.group_b as f64),
        ("killings", row.killings as f64),
        ("births", row.births as f64),
    ]
}

/// Summary statistics of every whole-map metric, by name (sorted, so JSON is stable).
pub fn summarize(ticks: &[TickRow]) -> BTreeMap<&'static str, Stat> {
    let mut out = BTreeMap::new();
    let Some(last) = ticks.last() else {
        return out;
    };
    // One pass over the rows: sums (in tick order, as before), minima and maxima per metric.
    let finals = tick_metrics(last);
    let k = finals.len();
    let (mut sum, mut min, mut max) = (
        vec![0.0; k],
        vec![f64::INFINITY; k],
        vec![f64::NEG_INFINITY; k],
    );
    for row in ticks {
        for (i, (_, v)) in tick_metrics(row).into_iter().enumerate() {
            sum[i] += v;
            min[i] = min[i].min(v);
            max[i] = max[i].max(v);
        }
    }
    for (i, (name, fin)) in finals.into_iter().enumerate() {
        out.insert(
            name,
            Stat {
                r#final: fin,
                mean: sum[i] / ticks.len() as f64,
                min: min[i],
                max: max[i],
            },
        );
    }
    out
}

/// What identifies a run, for the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct RunIdentity {
    pub peacesim_version: &'static str,
    pub scenario_name: String,
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub seed: u64,
    pub run: u64,
    pub ticks: u32,
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

#[derive(Serialize)]
struct Manifest<'a> {
    #[serde(flatten)]
    identity: &'a RunIdentity,
    files: BTreeMap<String, String>,
}

/// Write every output of one run into `dir` (created if needed), with `extra` files (maps,
/// animation frames; names may hold a subfolder) among them. Returns the files written.
pub fn write_run(
    dir: &Path,
    identity: &RunIdentity,
    output: &RunOutput,
    extra: Vec<(String, Vec<u8>)>,
) -> Result<Vec<PathBuf>, ReportError> {
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let ts = dir.join("timeseries.csv");
    files.push(("timeseries.csv".into(), csv_bytes(&output.ticks, &ts)?));
    let ds = dir.join("districts.csv");
    files.push(("districts.csv".into(), csv_bytes(&output.districts, &ds)?));
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
    files.push(("summary.json".into(), json));
    // Charts, maps and frames come in `extra` (they need the scenario: events, units).
    files.extend(extra);

    let mut written = Vec::new();
    let mut hashes = BTreeMap::new();
    for (name, bytes) in &files {
        let path = dir.join(name);
        if let Some(sub) = path.parent().filter(|p| *p != dir) {
            std::fs::create_dir_all(sub).map_err(io_err(sub))?;
        }
        write_atomic(&path, bytes)?;
        hashes.insert(name.clone(), sha256_hex(bytes));
        written.push(path);
    }
    let manifest = Manifest {
        identity,
        files: hashes,
    };
    let mut json = serde_json::to_vec_pretty(&manifest).expect("manifest serializes");
    json.push(b'\n');
    let path = dir.join("manifest.json");
    write_atomic(&path, &json)?;
    written.push(path);
    Ok(written)
}
