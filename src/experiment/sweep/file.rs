//! The sweep file's schema (serde): `[sweep]` and `[[parameters]]`. What the fields mean and
//! their limits are checked in [`super::load`]; [`located`] places an error in the file.

use crate::experiment::error::ExperimentError as Error;
use crate::scenario::FieldPath;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Limits of a sweep file, checked before anything is built or allocated. Each point is a whole
/// scenario built and validated before the first run, and every run's summary row is kept until
/// the end, so the size of a sweep is bounded up front rather than by an allocation failure.
pub mod limits {
    /// `[sweep] ticks`: as for a scenario.
    pub const MAX_TICKS: u32 = 1_000_000;
    /// `[sweep] replications`.
    pub const MAX_REPLICATIONS: u32 = 100_000;
    /// `range.steps`, `samples`, and the length of a `values` list.
    pub const MAX_AXIS: u64 = 100_000;
    /// Points of the design (the product of the axes for a grid): building and validating one
    /// takes about 0.4 ms, so this many take a few seconds.
    pub const MAX_POINTS: u64 = 10_000;
    /// Memory a sweep may plan to hold (point scenarios plus one summary row per run).
    pub const MEMORY_BUDGET: u64 = crate::experiment::replication::MEMORY_BUDGET;
    /// Bytes held per run until the final statistics (its summary row and bookkeeping).
    pub const BYTES_PER_RUN: u64 = 640;
    /// Bytes per built point beyond its scenario text (validated scenario, values, row labels).
    pub const BYTES_PER_POINT: u64 = 16 << 10;
}

/// The sweep file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    pub sweep: SweepMeta,
    pub parameters: Vec<ParameterFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepMeta {
    /// Output folder name: letters, digits, '-' and '_'.
    pub name: String,
    /// Base scenario, relative to the sweep file.
    pub base: String,
    /// Experiment seed (default: the base scenario's).
    pub seed: Option<u64>,
    #[serde(default = "d_reps")]
    pub replications: u32,
    #[serde(default)]
    pub design: Design,
    /// Latin hypercube: number of points.
    pub samples: Option<u32>,
    /// Override the base scenario's ticks.
    pub ticks: Option<u32>,
    /// Common random numbers across points (run index = replication).
    #[serde(default)]
    pub crn: bool,
    /// Summary column shown in the heatmap (two parameters) or line chart (one parameter).
    #[serde(default = "d_metric")]
    pub metric: String,
}

fn d_reps() -> u32 {
    5
}
fn d_metric() -> String {
    "mean_stability".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Design {
    #[default]
    Grid,
    LatinHypercube,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterFile {
    pub path: String,
    /// What the parameter means, for charts and reports (e.g. "UN patrols"); the path otherwise.
    pub label: Option<String>,
    /// Explicit values (numbers, strings or booleans).
    pub values: Option<Vec<toml::Value>>,
    /// Evenly spaced numbers, ends included.
    pub range: Option<RangeFile>,
    /// Latin hypercube only: a uniform distribution `[low, high]`.
    pub uniform: Option<[f64; 2]>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeFile {
    pub from: f64,
    pub to: f64,
    pub steps: u32,
}

/// An error at `path` of the sweep file, with its line and column.
pub fn located(file: &Path, text: &str, path: FieldPath, message: String) -> Error {
    let (line, column) = crate::scenario::locate_in(text, &path).unwrap_or((1, 1));
    Error::Usage(format!(
        "{}:{line}:{column}: {path}: {message}",
        file.display()
    ))
}
