//! `compare`'s per-run side: the lines of `runs.csv`, what a finished run leaves for the
//! statistics (its values and key-metric summary; the run itself is dropped at once), and
//! reading `runs.csv` back for the second pass of the per-tick intervals (see `tick_stats`).

use super::error::ExperimentError;
use super::key_metrics::KEY_METRICS;
use super::replication::{run_index, summarize_run};
use crate::metrics::TickRow;
use crate::report::{Record, csv_line, tick_metrics};
use crate::sim::RunOutput;
use std::path::Path;

/// One tick of one run, a line of `runs.csv`.
pub(super) struct RunTickRow<'a> {
    pub(super) config: usize,
    pub(super) replication: u32,
    pub(super) row: &'a TickRow,
}

/// What names the columns of `runs.csv` and fills its identity fields.
pub(super) struct CompareSchema<'a> {
    pub(super) names: &'a [String],
    pub(super) seed: u64,
    pub(super) crn: bool,
    pub(super) metrics: &'a [&'static str],
    /// Partners whose standing (community trust in them, docs/MODEL.md §3.17) every
    /// configuration can report: those of the first configuration that all of them declare.
    pub(super) partners: &'a [String],
}

impl<'a> Record for RunTickRow<'a> {
    type Schema = CompareSchema<'a>;
    fn header(schema: &Self::Schema) -> Vec<String> {
        let mut h: Vec<String> = ["config", "replication", "run_index", "seed", "tick"]
            .map(String::from)
            .to_vec();
        h.extend(schema.metrics.iter().map(|m| m.to_string()));
        h
    }
    fn fields(&self, schema: &Self::Schema) -> Vec<String> {
        let mut f = vec![
            schema.names[self.config].clone(),
            self.replication.to_string(),
            run_index(self.config as u32, self.replication, schema.crn).to_string(),
            schema.seed.to_string(),
            self.row.tick.to_string(),
        ];
        f.extend(
            tick_metrics(self.row)
                .into_iter()
                .map(|(_, v)| v.to_string()),
        );
        f
    }
}

fn metric_index(name: &str) -> usize {
    tick_metrics(&Default::default())
        .iter()
        .position(|(n, _)| *n == name)
        .expect("key metrics are tick metrics")
}

/// Runs in flight per worker thread: results are folded in order a chunk of
/// `threads × RUNS_PER_THREAD_IN_FLIGHT` runs at a time, so at most that many are held.
pub(super) const RUNS_PER_THREAD_IN_FLIGHT: usize = 8;

/// Per run, the final and whole-run mean of each key metric (`KEY_METRICS` order, finals first).
pub(super) const SUMMARY_COLUMNS: usize = 2 * KEY_METRICS.len();

/// What a finished run leaves for the comparison: its `runs.csv` lines, its per-tick values
/// (`values[tick * metrics + metric]`) and its key-metric summary. The run itself is dropped.
pub(super) struct FinishedRun {
    pub(super) csv: String,
    pub(super) labels: Vec<u32>,
    pub(super) values: Vec<f64>,
    pub(super) summary: [f64; SUMMARY_COLUMNS],
    /// Per partner of the schema, the community's trust in it averaged over districts: at the
    /// last tick it was engaged (first half), over every engaged tick (second half); NaN for a
    /// partner never engaged in this run.
    pub(super) standing: Vec<f64>,
}

impl FinishedRun {
    pub(super) fn new(
        out: &RunOutput,
        config: usize,
        replication: u32,
        schema: &CompareSchema,
    ) -> Self {
        let mut csv = String::new();
        let mut values = Vec::with_capacity(out.ticks.len() * schema.metrics.len());
        for row in &out.ticks {
            let line = RunTickRow {
                config,
                replication,
                row,
            };
            csv.push_str(&csv_line(&line.fields(schema)));
            values.extend(tick_metrics(row).into_iter().map(|(_, v)| v));
        }
        let all = summarize_run(out);
        let mut summary = [0.0; SUMMARY_COLUMNS];
        for (i, metric) in KEY_METRICS.into_iter().enumerate() {
            let m = metric_index(metric);
            summary[i] = all[m];
            summary[KEY_METRICS.len() + i] = all[schema.metrics.len() + m];
        }
        FinishedRun {
            csv,
            labels: out.ticks.iter().map(|r| r.tick).collect(),
            values,
            summary,
            standing: standing_summary(out, schema.partners),
        }
    }
}

/// Each partner's standing in one run: finals (mean over districts at the last tick the
/// partner was engaged) then whole-run means (over every engaged tick and district), in
/// `partners` order; NaN where it never was engaged. Sums run in row order: deterministic.
fn standing_summary(out: &RunOutput, partners: &[String]) -> Vec<f64> {
    let p = partners.len();
    let mut v = vec![f64::NAN; 2 * p];
    for (k, name) in partners.iter().enumerate() {
        let (mut sum, mut n) = (0.0, 0u32);
        let (mut last, mut last_sum, mut last_n) = (0u32, 0.0, 0u32);
        for r in out.partners.iter().filter(|r| *r.partner == **name) {
            sum += r.community_trust;
            n += 1;
            if r.tick != last {
                (last, last_sum, last_n) = (r.tick, 0.0, 0);
            }
            last_sum += r.community_trust;
            last_n += 1;
        }
        if n > 0 {
            v[k] = last_sum / last_n as f64;
            v[p + k] = sum / n as f64;
        }
    }
    v
}

/// Read `runs.csv` back from `path` and give each run's values of its first `ticks` ticks to
/// `each(run number, values)`, runs in file order (a run is a change of config or replication).
pub(super) fn read_back(
    path: &Path,
    metrics: usize,
    ticks: usize,
    mut each: impl FnMut(usize, &[f64]),
) -> Result<(), ExperimentError> {
    let failed = |e: &dyn std::fmt::Display| {
        ExperimentError::Failed(format!("cannot read back {}: {e}", path.display()))
    };
    let mut reader = csv::Reader::from_path(path).map_err(|e| failed(&e))?;
    let (mut run, mut current) = (0, None);
    let mut values = Vec::with_capacity(ticks * metrics);
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(|e| failed(&e))? {
        let id = (record[0].to_string(), record[1].to_string());
        if current.as_ref().is_some_and(|c| *c != id) {
            each(run, &values);
            values.clear();
            run += 1;
        }
        current = Some(id);
        if values.len() < ticks * metrics {
            for field in record.iter().skip(5) {
                values.push(field.parse().map_err(|e| failed(&e))?);
            }
        }
    }
    if current.is_some() {
        each(run, &values);
    }
    Ok(())
}
