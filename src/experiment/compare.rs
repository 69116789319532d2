//! `peacesim compare`: R replications of each configuration, in parallel, with per-tick means
//! and 95 % intervals, and a table of differences to the first configuration (Welch interval and
//! Cohen's d) for end-of-run and whole-run values.

use super::compare_runs::{
    CompareSchema, FinishedRun, RUNS_PER_THREAD_IN_FLIGHT, RunTickRow, SUMMARY_COLUMNS, read_back,
};
use super::error::ExperimentError;
pub use super::key_metrics::{KEY_METRICS, better, has_run_mean, range};
use super::progress::Progress;
use super::replication::{MEMORY_BUDGET, pool, run_index, run_one};
use super::tick_stats::TickStats;
use crate::report::{
    Bundle, Hold, Manifest, Record, StreamedFile, csv_line, lock_folder, sha256_hex, tick_metrics,
};
use crate::scenario::LoadedScenario;
use crate::stats::{Estimate, cohens_d, deterministic, mean_ci, paired_diff, welch_diff};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct CompareOptions {
    pub configs: Vec<LoadedScenario>,
    pub runs: u32,
    pub threads: usize,
    pub seed: Option<u64>,
    pub crn: bool,
    pub out: PathBuf,
    pub quiet: bool,
    pub command_line: Vec<String>,
}

/// One row of the comparison table.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    pub config: String,
    pub metric: String,
    /// "final" (end of run) or "run_mean" (mean over all ticks).
    pub statistic: String,
    pub n: usize,
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub diff_vs_first: f64,
    pub diff_ci_low: f64,
    pub diff_ci_high: f64,
    /// "paired" (common random numbers: replication i of each configuration shares its
    /// streams) or "welch" (independent replications).
    pub diff_method: &'static str,
    /// Cohen's d; empty for a deterministic metric (every replication gives the same value).
    pub cohens_d: Option<f64>,
    /// "deterministic" when no replication differs from another, else "random".
    pub variation: &'static str,
    /// Which direction is better for this metric: "higher" or "lower".
    pub better: &'static str,
    /// "better", "worse" or "no clear difference" (the interval holds 0), relative to the first.
    pub verdict: &'static str,
}

/// Mean and 95 % interval of one metric at one tick of one configuration: `aggregate.csv`.
struct AggregateRow<'a> {
    config: &'a str,
    tick: u32,
    metric: &'a str,
    n: usize,
    estimate: Estimate,
}

impl Record for AggregateRow<'_> {
    type Schema = ();
    fn header(_: &()) -> Vec<String> {
        ["config", "tick", "metric", "n", "mean", "ci_low", "ci_high"]
            .map(String::from)
            .to_vec()
    }
    fn fields(&self, _: &()) -> Vec<String> {
        vec![
            self.config.to_string(),
            self.tick.to_string(),
            self.metric.to_string(),
            self.n.to_string(),
            self.estimate.mean.to_string(),
            self.estimate.low.to_string(),
            self.estimate.high.to_string(),
        ]
    }
}

/// The compare-specific part of the manifest.
#[derive(Serialize)]
struct CompareDetails {
    configs: Vec<ConfigIdentity>,
    runs_per_config: usize,
    common_random_numbers: bool,
    run_index: &'static str,
}

#[derive(Serialize)]
struct ConfigIdentity {
    name: String,
    file: String,
    sha256: String,
    /// What this configuration's file sets differently from the first's (`config_diff`).
    differs_from_first: Vec<String>,
}

/// What a comparison produced (also written to disk).
pub struct CompareResult {
    pub dir: PathBuf,
    pub table: Vec<ComparisonRow>,
    pub files: Vec<PathBuf>,
}

/// Builds the comparison table's rows of one metric and statistic, one per configuration.
struct TableRows<'a> {
    names: &'a [String],
    crn: bool,
}

impl TableRows<'_> {
    fn push(
        &self,
        table: &mut Vec<ComparisonRow>,
        metric: &str,
        statistic: &str,
        values: &dyn Fn(usize) -> Vec<f64>,
    ) {
        let first = values(0);
        let (lo, hi) = range(metric);
        let good = if better(metric) == "higher" {
            1.0
        } else {
            -1.0
        };
        for (c, name) in self.names.iter().enumerate() {
            let xs = values(c);
            let e = mean_ci(&xs).within(lo, hi);
            // The reference against itself differs by exactly nothing: no interval to estimate
            // (a two-sample interval of one sample against itself is not 0 wide).
            let d = if c == 0 {
                crate::stats::Estimate {
                    mean: 0.0,
                    low: 0.0,
                    high: 0.0,
                }
            } else if self.crn {
                paired_diff(&first, &xs)
            } else {
                welch_diff(&first, &xs)
            }
            // Two values in [lo, hi] differ by at most hi − lo either way (two shares by ±1).
            .within(lo - hi, hi - lo);
            let fixed = deterministic(&[&first, &xs]);
            let verdict = if c == 0 {
                "reference"
            } else if !(d.above_zero() || d.below_zero()) {
                "no clear difference"
            } else if d.mean * good > 0.0 {
                "better"
            } else {
                "worse"
            };
            table.push(ComparisonRow {
                config: name.clone(),
                metric: metric.to_string(),
                statistic: statistic.to_string(),
                n: xs.len(),
                mean: e.mean,
                ci_low: e.low,
                ci_high: e.high,
                diff_vs_first: d.mean,
                diff_ci_low: d.low,
                diff_ci_high: d.high,
                diff_method: if self.crn { "paired" } else { "welch" },
                cohens_d: (!fixed).then(|| cohens_d(&first, &xs)),
                variation: if fixed { "deterministic" } else { "random" },
                better: better(metric),
                verdict,
            });
        }
    }
}

pub fn compare(opts: CompareOptions) -> Result<CompareResult, ExperimentError> {
    let names: Vec<String> = opts
        .configs
        .iter()
        .map(|c| c.scenario.name.clone())
        .collect();
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            return Err(ExperimentError::Usage(format!(
                "two configurations are named \"{n}\"; give each scenario its own [scenario] name"
            )));
        }
    }
    // Only each run's key-metric summary is held (for the table): refuse what cannot fit.
    let standing_bytes = 2 * opts.configs[0].scenario.partners.len() * 8 + 24;
    let estimate = opts.configs.len() as u64
        * opts.runs as u64
        * (SUMMARY_COLUMNS * 8 + 48 + standing_bytes) as u64;
    if estimate > MEMORY_BUDGET {
        return Err(ExperimentError::Usage(format!(
            "{} configurations × {} runs would hold about {} MiB of per-run summaries in memory \
             (budget {} MiB); use fewer --runs",
            opts.configs.len(),
            opts.runs,
            estimate >> 20,
            MEMORY_BUDGET >> 20
        )));
    }
    // Held for the whole comparison: a second command into the same folder stops here.
    let _lock = lock_folder(&opts.out, Hold::Exclusive)?;
    crate::report::refuse_other_results(&opts.out, "compare")?;
    let seed = opts.seed.unwrap_or(opts.configs[0].scenario.seed);
    let scenarios: Vec<Arc<_>> = opts
        .configs
        .iter()
        .map(|c| {
            let mut s = c.scenario.clone();
            s.seed = seed;
            Arc::new(s)
        })
        .collect();
    let (c_n, r_n) = (scenarios.len(), opts.runs as usize);
    let progress = Progress::new("compare", (c_n * r_n) as u64, opts.quiet);
    let workers = pool(opts.threads).map_err(ExperimentError::Usage)?;
    let dir = opts.out.clone();
    let metric_names: Vec<&str> = tick_metrics(&Default::default())
        .iter()
        .map(|m| m.0)
        .collect();
    let mut bundle = Bundle::new(&dir);
    // Partners of the first configuration that every configuration declares (by name).
    let partners: Vec<String> = scenarios[0]
        .partners
        .iter()
        .map(|p| p.name.clone())
        .filter(|n| {
            scenarios
                .iter()
                .all(|s| s.partners.iter().any(|q| &q.name == n))
        })
        .collect();
    let schema = CompareSchema {
        names: &names,
        seed,
        crn: opts.crn,
        metrics: &metric_names,
        partners: &partners,
    };

    // Runs go in chunks of a few per thread; each chunk's results are folded in (configuration,
    // replication) order, whatever thread ran them, and dropped: `runs.csv` is streamed to disk
    // and the per-tick statistics are sums (see `tick_stats`).
    let mut runs_csv = StreamedFile::create(&dir, "runs.csv")?;
    runs_csv.append(csv_line(&RunTickRow::header(&schema)).as_bytes())?;
    let mut stats: Vec<TickStats> = (0..c_n)
        .map(|_| TickStats::new(metric_names.len()))
        .collect();
    let mut summaries: Vec<[f64; SUMMARY_COLUMNS]> = Vec::with_capacity(c_n * r_n);
    let mut standing: Vec<Vec<f64>> = Vec::with_capacity(c_n * r_n);
    let chunk = workers.current_num_threads() * RUNS_PER_THREAD_IN_FLIGHT;
    for first in (0..c_n * r_n).step_by(chunk) {
        let done: Vec<FinishedRun> = workers.install(|| {
            (first..(first + chunk).min(c_n * r_n))
                .into_par_iter()
                .map(|k| {
                    let (c, r) = (k / r_n, k % r_n);
                    let out = run_one(&scenarios[c], run_index(c as u32, r as u32, opts.crn));
                    progress.tick();
                    FinishedRun::new(&out, c, r as u32, &schema)
                })
                .collect()
        });
        for (k, run) in (first..).zip(done) {
            runs_csv.append(run.csv.as_bytes())?;
            stats[k / r_n].add_run(&run.labels, &run.values);
            summaries.push(run.summary);
            standing.push(run.standing);
        }
    }
    progress.finish();

    // Per configuration, tick and metric: mean and 95 % interval over replications. The second
    // pass reads the runs back from `runs.csv` (numbers there round-trip exactly).
    runs_csv.flush()?;
    let ticks = stats.iter().map(TickStats::ticks).min().unwrap_or(0);
    for s in &mut stats {
        s.start_second_pass(ticks);
    }
    read_back(
        runs_csv.temporary(),
        metric_names.len(),
        ticks,
        |k, values| stats[k / r_n].add_deviations(values),
    )?;
    bundle.add_streamed("runs.csv", runs_csv.finish()?);
    let mut bands: BTreeMap<(usize, &str), Vec<(f64, Estimate)>> = BTreeMap::new();
    let mut aggregate = Vec::new();
    for (c, name) in names.iter().enumerate() {
        for t in 0..ticks {
            for (m, metric) in metric_names.iter().enumerate() {
                let (tick, e) = stats[c].estimate(t, m);
                let (lo, hi) = range(metric);
                let key = KEY_METRICS.contains(metric);
                let e = e.within(lo, hi);
                aggregate.push(AggregateRow {
                    config: name,
                    tick,
                    metric,
                    n: stats[c].runs(),
                    estimate: e,
                });
                if key {
                    bands.entry((c, metric)).or_default().push((tick as f64, e));
                }
            }
        }
    }
    bundle.add_records("aggregate.csv", &(), &aggregate);

    // The comparison table: the key metrics, then each partner's standing where every run of
    // every configuration has it.
    let mut table = Vec::new();
    let rows = TableRows {
        names: &names,
        crn: opts.crn,
    };
    for (i, metric) in KEY_METRICS.into_iter().enumerate() {
        for (statistic, column) in [("final", i), ("run_mean", KEY_METRICS.len() + i)] {
            if statistic == "run_mean" && !has_run_mean(metric) {
                continue;
            }
            let values = |c: usize| -> Vec<f64> {
                summaries[c * r_n..(c + 1) * r_n]
                    .iter()
                    .map(|v| v[column])
                    .collect()
            };
            rows.push(&mut table, metric, statistic, &values);
        }
    }
    let p_n = partners.len();
    for (k, partner) in partners.iter().enumerate() {
        if standing.iter().any(|v| v[k].is_nan()) {
            continue;
        }
        let metric = format!("community_trust:{partner}");
        for (statistic, column) in [("final", k), ("run_mean", p_n + k)] {
            let values = |c: usize| -> Vec<f64> {
                standing[c * r_n..(c + 1) * r_n]
                    .iter()
                    .map(|v| v[column])
                    .collect()
            };
            rows.push(&mut table, &metric, statistic, &values);
        }
    }
    bundle.add_csv("comparison.csv", &table)?;

    // Charts with CI bands and each scenario's events.
    let chart_configs: Vec<crate::report::compare_charts::Config> = opts
        .configs
        .iter()
        .zip(&names)
        .map(|(c, name)| crate::report::compare_charts::Config {
            name,
            scenario: &c.scenario,
        })
        .collect();
    let band = |c: usize, metric: &str| {
        bands
            .range((c, "")..)
            .take_while(|((k, _), _)| *k == c)
            .find(|((_, m), _)| *m == metric)
            .map(|(_, v)| v.as_slice())
    };
    bundle.extend(crate::report::compare_charts::compare_charts(
        &chart_configs,
        r_n,
        &band,
        &dir,
    )?);

    let details = CompareDetails {
        configs: opts
            .configs
            .iter()
            .map(|c| ConfigIdentity {
                name: c.scenario.name.clone(),
                file: c.path.display().to_string(),
                sha256: sha256_hex(c.text.as_bytes()),
                differs_from_first: {
                    let mut lines = super::config_diff::differences(&opts.configs[0].text, &c.text);
                    // Every configuration runs equally long (the command refuses others, or
                    // `--ticks` sets them all): the files' own lengths do not tell them apart.
                    lines.retain(|l| !l.starts_with("scenario.ticks:"));
                    lines
                },
            })
            .collect(),
        runs_per_config: r_n,
        common_random_numbers: opts.crn,
        run_index: if opts.crn {
            "replication"
        } else {
            "(config << 32) | replication"
        },
    };
    let manifest = Manifest::new("compare", opts.command_line, seed, details);
    bundle.add_folder_page(&manifest);
    let written = bundle.write(manifest)?;
    Ok(CompareResult {
        dir,
        table,
        files: written,
    })
}

/// The table as aligned text for the terminal: differences to the first configuration.
pub fn render_table(rows: &[ComparisonRow]) -> String {
    let method = rows.first().map_or("welch", |r| r.diff_method);
    let mut out = format!(
        "{:<22} {:<18} {:<9} {:>10} {:>22} {:>11} {:>24} {:>8}  {}\n",
        "config",
        "metric",
        "stat",
        "mean",
        "95% CI",
        "diff",
        format!("diff 95% CI ({method})"),
        "d",
        "verdict (better is)"
    );
    for r in rows {
        let d = r
            .cohens_d
            .map_or_else(|| "determ.".to_string(), |d| format!("{d:.2}"));
        let _ = writeln!(
            out,
            "{:<22} {:<18} {:<9} {:>10.4} {:>22} {:>+11.4} {:>24} {:>8}  {} ({})",
            r.config,
            r.metric,
            r.statistic,
            r.mean,
            format!("[{:.4}, {:.4}]", r.ci_low, r.ci_high),
            r.diff_vs_first,
            format!("[{:+.4}, {:+.4}]", r.diff_ci_low, r.diff_ci_high),
            d,
            if r.config == rows[0].config {
                "reference"
            } else {
                r.verdict
            },
            r.better
        );
    }
    out
}

/// Default output directory of a comparison: `output/compare-<a>-vs-<b>…`.
pub fn default_dir(base: &Path, names: &[String]) -> PathBuf {
    base.join(format!("compare-{}", names.join("-vs-")))
}
