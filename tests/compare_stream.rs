//! `compare` with bounded memory: `aggregate.csv`, computed online from sums and a second pass
//! over `runs.csv`, is byte for byte what the in-memory statistics (`stats::mean_ci` over every
//! replication's values) give, across several chunks of runs in flight.

use crate::experiments::{BASE, ok, peacesim, setup};
use peacesim::experiment::compare::range;
use peacesim::report::{Record, records_csv};
use peacesim::stats::{Estimate, mean_ci};
use std::collections::BTreeMap;

/// `aggregate.csv` recomputed in memory from `runs.csv` (the pre-streaming algorithm).
fn in_memory_aggregate(runs_csv: &str) -> Vec<u8> {
    let mut r = csv::Reader::from_reader(runs_csv.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    // (config order, tick) → metric → values in replication order.
    let mut configs: Vec<String> = Vec::new();
    let mut cells: BTreeMap<(usize, u32), Vec<Vec<f64>>> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let c = match configs.iter().position(|n| n == &rec[0]) {
            Some(c) => c,
            None => {
                configs.push(rec[0].to_string());
                configs.len() - 1
            }
        };
        let tick: u32 = rec[4].parse().unwrap();
        let cell = cells
            .entry((c, tick))
            .or_insert_with(|| vec![Vec::new(); header.len() - 5]);
        for (m, v) in rec.iter().skip(5).enumerate() {
            cell[m].push(v.parse().unwrap());
        }
    }
    struct Row(String, u32, String, usize, Estimate);
    impl Record for Row {
        type Schema = ();
        fn header(_: &()) -> Vec<String> {
            ["config", "tick", "metric", "n", "mean", "ci_low", "ci_high"]
                .map(String::from)
                .to_vec()
        }
        fn fields(&self, _: &()) -> Vec<String> {
            vec![
                self.0.clone(),
                self.1.to_string(),
                self.2.clone(),
                self.3.to_string(),
                self.4.mean.to_string(),
                self.4.low.to_string(),
                self.4.high.to_string(),
            ]
        }
    }
    let mut rows = Vec::new();
    for ((c, tick), metrics) in &cells {
        for (m, xs) in metrics.iter().enumerate() {
            let name = &header[5 + m];
            let mut e = mean_ci(xs);
            let (lo, hi) = range(name);
            e = e.within(lo, hi);
            rows.push(Row(configs[*c].clone(), *tick, name.clone(), xs.len(), e));
        }
    }
    records_csv(&(), &rows)
}

#[test]
fn streamed_compare_equals_the_in_memory_statistics() {
    let (dir, _) = setup();
    let d = dir.path();
    std::fs::write(
        d.join("more.toml"),
        BASE.replace("name = \"tiny\"", "name = \"more\"")
            .replace("count = 8", "count = 20"),
    )
    .unwrap();
    // One thread: 8 runs in flight, so 11 runs per configuration span three chunks.
    for (threads, out) in [("1", "c1"), ("3", "c3")] {
        ok(peacesim(
            &[
                "compare",
                "base.toml",
                "more.toml",
                "--runs",
                "11",
                "--threads",
                threads,
                "--out",
                out,
                "--quiet",
            ],
            d,
        ));
    }
    let runs = std::fs::read_to_string(d.join("c1/runs.csv")).unwrap();
    assert_eq!(
        runs.lines().count(),
        1 + 2 * 11 * 30,
        "every run's every tick"
    );
    let want = in_memory_aggregate(&runs);
    assert_eq!(
        String::from_utf8(std::fs::read(d.join("c1/aggregate.csv")).unwrap()).unwrap(),
        String::from_utf8(want).unwrap()
    );
    for f in ["runs.csv", "aggregate.csv", "comparison.csv"] {
        assert_eq!(
            std::fs::read(d.join("c1").join(f)).unwrap(),
            std::fs::read(d.join("c3").join(f)).unwrap(),
            "{f}"
        );
    }
    // No temporary is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(d.join("c1"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
