//! Per-tick means and 95 % intervals of one configuration over its replications, without
//! holding the replications: what `compare` writes to `aggregate.csv`.
//!
//! The numbers are the same, bit for bit, as [`crate::stats::mean_ci`] over the values held in
//! memory: the first pass adds each run's values to per-(tick, metric) sums in replication
//! order (the same left fold as `iter().sum()`), the second pass reads the runs back from disk
//! in the same order and adds the squared deviations from the now-known means (the two-pass
//! variance of `stats::variance`). Memory is one sum per (tick, metric), whatever the number
//! of runs; the order of the additions is fixed, so the result does not depend on the threads.

use crate::stats::{Estimate, interval};

/// The additive identity `iter().sum::<f64>()` starts from, so sums fold exactly as it does.
fn zero() -> f64 {
    std::iter::empty::<f64>().sum()
}

/// Sums over the runs of one configuration, tick-major (`[tick * metrics + metric]`).
pub struct TickStats {
    metrics: usize,
    /// Tick numbers of the first run.
    labels: Vec<u32>,
    sums: Vec<f64>,
    /// Σ (x − mean)², filled by the second pass.
    squares: Vec<f64>,
    means: Vec<f64>,
    runs: usize,
    /// The fewest ticks any run of this configuration had.
    shortest: usize,
}

impl TickStats {
    pub fn new(metrics: usize) -> Self {
        TickStats {
            metrics,
            labels: Vec::new(),
            sums: Vec::new(),
            squares: Vec::new(),
            means: Vec::new(),
            runs: 0,
            shortest: usize::MAX,
        }
    }

    /// First pass: add one run (`values[tick * metrics + metric]`), runs in replication order.
    pub fn add_run(&mut self, labels: &[u32], values: &[f64]) {
        debug_assert_eq!(labels.len() * self.metrics, values.len());
        if self.runs == 0 {
            self.labels = labels.to_vec();
        }
        if self.sums.len() < values.len() {
            self.sums.resize(values.len(), zero());
        }
        for (s, x) in self.sums.iter_mut().zip(values) {
            *s += x;
        }
        self.runs += 1;
        self.shortest = self.shortest.min(labels.len());
    }

    /// Ticks every run of this configuration reached.
    pub fn ticks(&self) -> usize {
        if self.runs == 0 { 0 } else { self.shortest }
    }

    /// Between the passes: fix the means of the first `ticks` ticks.
    pub fn start_second_pass(&mut self, ticks: usize) {
        let n = self.runs as f64;
        self.means = self.sums[..ticks * self.metrics]
            .iter()
            .map(|s| s / n)
            .collect();
        self.squares = vec![zero(); self.means.len()];
    }

    /// Second pass: add one run's squared deviations, runs in the same order as the first.
    pub fn add_deviations(&mut self, values: &[f64]) {
        for ((q, m), x) in self.squares.iter_mut().zip(&self.means).zip(values) {
            *q += (x - m) * (x - m);
        }
    }

    /// Tick number, and the estimate of `metric` at tick index `t` (after the second pass).
    pub fn estimate(&self, t: usize, metric: usize) -> (u32, Estimate) {
        let i = t * self.metrics + metric;
        let m = self.means[i];
        let e = if self.runs < 2 {
            Estimate {
                mean: m,
                low: m,
                high: m,
            }
        } else {
            interval(m, self.squares[i] / (self.runs - 1) as f64, self.runs)
        };
        (self.labels[t], e)
    }

    pub fn runs(&self) -> usize {
        self.runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::mean_ci;

    #[test]
    fn two_passes_give_the_in_memory_interval_bit_for_bit() {
        // Values whose sums round differently in different orders.
        let runs: Vec<Vec<f64>> = (0..7)
            .map(|r| {
                (0..6)
                    .map(|i| ((r * 37 + i * 11) % 17) as f64 * 0.1 + 1e-9 * r as f64)
                    .collect()
            })
            .collect();
        let labels = [0, 1, 2];
        let mut s = TickStats::new(2);
        for r in &runs {
            s.add_run(&labels, r);
        }
        s.start_second_pass(s.ticks());
        for r in &runs {
            s.add_deviations(r);
        }
        for t in 0..3 {
            for m in 0..2 {
                let xs: Vec<f64> = runs.iter().map(|r| r[t * 2 + m]).collect();
                let (tick, e) = s.estimate(t, m);
                assert_eq!(tick, labels[t]);
                let want = mean_ci(&xs);
                assert_eq!(e.mean.to_bits(), want.mean.to_bits());
                assert_eq!(e.low.to_bits(), want.low.to_bits());
                assert_eq!(e.high.to_bits(), want.high.to_bits());
            }
        }
    }
}
