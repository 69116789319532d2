//! A sweep ready to run: the checked sweep file, every point's values and scenario, and the
//! numbering of its runs.

use super::file::SweepMeta;
use crate::scenario;
use std::sync::Arc;

/// A sweep ready to run: every point built and validated.
pub struct Sweep {
    /// The sweep file's and the base scenario's text, saved beside the parts for merge.
    pub text: String,
    pub base_text: String,
    pub meta: SweepMeta,
    pub parameter_paths: Vec<String>,
    /// Axis titles: "label (path)" where the sweep file labels a parameter, else the path.
    pub parameter_labels: Vec<String>,
    /// Per parameter, the values its `values` list names, in the file's order (empty for a
    /// range or a uniform distribution): a chart's categories follow it.
    pub listed_values: Vec<Vec<toml::Value>>,
    /// Per point, the value of each parameter as written into the scenario.
    pub point_values: Vec<Vec<toml::Value>>,
    pub scenarios: Vec<Arc<scenario::Scenario>>,
    pub seed: u64,
    /// SHA-256 over the sweep file and the base scenario text: parts must agree on it.
    pub hash: String,
    pub base_sha256: String,
}

impl Sweep {
    pub fn runs(&self) -> u64 {
        self.scenarios.len() as u64 * self.meta.replications as u64
    }
    /// (point, replication) of run `k`.
    pub fn split(&self, k: u64) -> (u32, u32) {
        let r = self.meta.replications as u64;
        ((k / r) as u32, (k % r) as u32)
    }
    /// Run number of (point, replication).
    pub fn run_number(&self, point: u32, replication: u32) -> u64 {
        point as u64 * self.meta.replications as u64 + replication as u64
    }
}
