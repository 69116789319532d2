//! One replication of an experiment: its stream number, running it, and its summary row
//! (final and whole-run mean of every metric).

use crate::report::tick_metrics;
use crate::scenario::Scenario;
use crate::sim::{self, RunOutput};
use std::sync::Arc;

/// The ChaCha stream number of (point, replication).
pub fn run_index(point: u32, replication: u32, common_random_numbers: bool) -> u64 {
    if common_random_numbers {
        replication as u64
    } else {
        ((point as u64) << 32) | replication as u64
    }
}

/// Names of the per-run summary columns: `final_<metric>` and `mean_<metric>` for every
/// whole-map metric, in CSV order.
pub fn summary_names() -> Vec<String> {
    let probe = crate::metrics::TickRow::default();
    let names: Vec<&str> = tick_metrics(&probe).into_iter().map(|(n, _)| n).collect();
    let mut out: Vec<String> = names.iter().map(|n| format!("final_{n}")).collect();
    out.extend(names.iter().map(|n| format!("mean_{n}")));
    out
}

/// Final and whole-run mean of every whole-map metric, in [`summary_names`] order.
pub fn summarize_run(out: &RunOutput) -> Vec<f64> {
    let Some(last) = out.ticks.last() else {
        return vec![f64::NAN; summary_names().len()];
    };
    let finals: Vec<f64> = tick_metrics(last).into_iter().map(|(_, v)| v).collect();
    let mut sums = vec![0.0; finals.len()];
    for row in &out.ticks {
        for (s, (_, v)) in sums.iter_mut().zip(tick_metrics(row)) {
            *s += v;
        }
    }
    let n = out.ticks.len() as f64;
    let mut values = finals;
    values.extend(sums.into_iter().map(|s| s / n));
    values
}

/// Run `scenario` as run `index` of its seed for its own number of ticks.
pub fn run_one(scenario: &Arc<Scenario>, index: u64) -> RunOutput {
    sim::run(scenario.clone(), index, scenario.ticks)
}

/// Memory an experiment may plan to hold for its results (compare: every run's key-metric
/// summary, its per-tick rows being streamed to disk; sweep: every point's scenario and every
/// run's summary row). Over it, the experiment is
/// refused before it starts, with the estimate in the message.
pub const MEMORY_BUDGET: u64 = 2 << 30;

/// At most this many worker threads per available core: more only cost memory and start-up.
pub const THREADS_PER_CORE: usize = 4;

/// The number of worker threads for a request of `threads` (0 = all cores), and a note when
/// the request was capped at [`THREADS_PER_CORE`] × the available cores.
pub fn thread_count(threads: usize) -> (usize, Option<String>) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = cores * THREADS_PER_CORE;
    match threads {
        0 => (cores, None),
        t if t > cap => (
            cap,
            Some(format!(
                "note: --threads {t} capped to {cap} ({THREADS_PER_CORE} per available core); \
                 results do not depend on the thread count"
            )),
        ),
        t => (t, None),
    }
}

/// A rayon pool with `threads` threads (0 = all cores), capped by [`thread_count`] (the note
/// goes to stderr).
pub fn pool(threads: usize) -> Result<rayon::ThreadPool, String> {
    let (threads, note) = thread_count(threads);
    if let Some(note) = note {
        eprintln!("{note}");
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start {threads} worker threads: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_indices_are_distinct_unless_common() {
        assert_ne!(run_index(1, 0, false), run_index(0, 1, false));
        assert_eq!(run_index(1, 3, true), run_index(7, 3, true));
        assert_eq!(run_index(2, 5, false), (2u64 << 32) | 5);
    }

    #[test]
    fn summary_has_a_final_and_a_mean_per_metric() {
        let names = summary_names();
        assert!(names.contains(&"final_trust".to_string()));
        assert!(names.contains(&"mean_stability".to_string()));
        assert_eq!(names.len() % 2, 0);
    }
}
