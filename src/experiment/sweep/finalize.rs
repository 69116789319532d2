//! The final outputs of a sweep from every run's row, in run order: `runs.csv`, `points.csv`
//! (mean and 95 % interval of every summary column per point), the chart and the manifest —
//! the same bytes whether the rows come from one process or from merged shards.

use super::file::Design;
use super::plan::Sweep;
use super::rows::{PointRow, RunRow};
use crate::experiment::error::ExperimentError as Error;
use crate::experiment::replication::summary_names;
use crate::report::{Bundle, Manifest};
use crate::stats::mean_ci;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The sweep-specific part of the manifest.
#[derive(Serialize)]
struct SweepDetails<'a> {
    sweep: &'a str,
    sweep_sha256: &'a str,
    base_scenario_sha256: &'a str,
    design: Design,
    points: usize,
    replications: u32,
    runs: u64,
    common_random_numbers: bool,
    run_index: &'static str,
    parameters: &'a [String],
    /// What titles each parameter's chart axis and table column.
    parameter_labels: &'a [String],
    /// The summary column the chart shows.
    metric: &'a str,
}

/// Per point: the mean and 95 % interval of every summary column over its replications,
/// each interval clipped to its metric's range.
fn point_rows(sweep: &Sweep, rows: &[RunRow]) -> Vec<PointRow> {
    let names = summary_names();
    let mut per_point: Vec<Vec<Vec<f64>>> =
        vec![vec![Vec::new(); names.len()]; sweep.scenarios.len()];
    for row in rows {
        for (m, v) in row.summary.iter().enumerate() {
            per_point[row.point as usize][m].push(*v);
        }
    }
    per_point
        .iter()
        .enumerate()
        .map(|(p, cols)| PointRow {
            point: p,
            replications: cols[0].len(),
            estimates: cols
                .iter()
                .zip(&names)
                .map(|(xs, name)| {
                    let (lo, hi) = crate::experiment::key_metrics::range(name);
                    mean_ci(xs).within(lo, hi)
                })
                .collect(),
        })
        .collect()
}

/// The chart files of `sweep` drawn from all its `rows` (what [`finalize`] writes beside
/// `points.csv`): `peacesim report` redraws a lost chart with it.
pub fn charts(sweep: &Sweep, rows: &[RunRow], dir: &Path) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let estimates: Vec<Vec<_>> = point_rows(sweep, rows)
        .into_iter()
        .map(|p| p.estimates)
        .collect();
    Ok(super::charts::render(sweep, &estimates, dir)?)
}

/// Write the final outputs of `sweep` into `dir` from all its `rows`, in run order.
pub fn finalize(
    sweep: &Sweep,
    dir: &Path,
    rows: Vec<RunRow>,
    command_line: Vec<String>,
) -> Result<Vec<PathBuf>, Error> {
    let mut bundle = Bundle::new(dir);
    bundle.add_records("runs.csv", sweep, &rows);

    let points = point_rows(sweep, &rows);
    bundle.add_records("points.csv", sweep, &points);
    let estimates: Vec<Vec<_>> = points.into_iter().map(|p| p.estimates).collect();
    bundle.extend(super::charts::render(sweep, &estimates, dir)?);

    let details = SweepDetails {
        sweep: &sweep.meta.name,
        sweep_sha256: &sweep.hash,
        base_scenario_sha256: &sweep.base_sha256,
        design: sweep.meta.design,
        points: sweep.scenarios.len(),
        replications: sweep.meta.replications,
        runs: sweep.runs(),
        common_random_numbers: sweep.meta.crn,
        run_index: if sweep.meta.crn {
            "replication"
        } else {
            "(point << 32) | replication"
        },
        parameters: &sweep.parameter_paths,
        parameter_labels: &sweep.parameter_labels,
        metric: &sweep.meta.metric,
    };
    let manifest = Manifest::new("sweep", command_line, sweep.seed, details);
    bundle.add_folder_page(&manifest);
    Ok(bundle.write(manifest)?)
}
