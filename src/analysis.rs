//! Analyses of a run's time series that Epstein's validation needs: outbursts of rebellion.
//!
//! An *outburst* is a maximal run of consecutive ticks in which the number of active citizens
//! is at least `threshold` (default: 5 % of the population, [`default_threshold`]). Its *peak*
//! is the largest active count in it and its *activation* the sum of active counts over its
//! ticks (citizen-ticks of open rebellion). The *waiting time* between two outbursts is the
//! number of ticks from the end of one to the start of the next.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Outburst {
    pub start: u32,
    pub end: u32,
    pub peak: u32,
    pub activation: u64,
}

/// Outburst threshold for a population: 5 % of it, at least 1.
pub fn default_threshold(population: u32) -> u32 {
    (population as f64 * 0.05).ceil().max(1.0) as u32
}

/// Outbursts in a series of (tick, active) pairs.
pub fn outbursts(series: &[(u32, u32)], threshold: u32) -> Vec<Outburst> {
    let mut out = Vec::new();
    let mut cur: Option<Outburst> = None;
    for &(tick, active) in series {
        match (&mut cur, active >= threshold) {
            (Some(o), true) => {
                o.end = tick;
                o.peak = o.peak.max(active);
                o.activation += active as u64;
            }
            (None, true) => {
                cur = Some(Outburst {
                    start: tick,
                    end: tick,
                    peak: active,
                    activation: active as u64,
                })
            }
            (Some(_), false) => out.extend(cur.take()),
            (None, false) => {}
        }
    }
    out.extend(cur);
    out
}

/// Waiting times between consecutive outbursts.
pub fn waiting_times(bursts: &[Outburst]) -> Vec<u32> {
    bursts.windows(2).map(|w| w[1].start - w[0].end).collect()
}

/// Summary of a run's outbursts, for summary.json.
#[derive(Debug, Clone, Serialize)]
pub struct OutburstSummary {
    pub threshold: u32,
    pub count: usize,
    pub mean_waiting_time: Option<f64>,
    pub mean_peak: Option<f64>,
    pub mean_activation: Option<f64>,
    pub outbursts: Vec<Outburst>,
}

pub fn summarize(series: &[(u32, u32)], population: u32) -> OutburstSummary {
    let threshold = default_threshold(population);
    let bursts = outbursts(series, threshold);
    let waits = waiting_times(&bursts);
    let mean = |xs: &[f64]| (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
    OutburstSummary {
        threshold,
        count: bursts.len(),
        mean_waiting_time: mean(&waits.iter().map(|&w| w as f64).collect::<Vec<_>>()),
        mean_peak: mean(&bursts.iter().map(|b| b.peak as f64).collect::<Vec<_>>()),
        mean_activation: mean(
            &bursts
                .iter()
                .map(|b| b.activation as f64)
                .collect::<Vec<_>>(),
        ),
        outbursts: bursts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_runs_above_threshold() {
        let s: Vec<(u32, u32)> = [0, 5, 12, 30, 8, 0, 0, 15, 16, 2, 11]
            .iter()
            .enumerate()
            .map(|(t, &a)| (t as u32 + 1, a))
            .collect();
        let b = outbursts(&s, 10);
        assert_eq!(b.len(), 3);
        assert_eq!(
            (b[0].start, b[0].end, b[0].peak, b[0].activation),
            (3, 4, 30, 42)
        );
        assert_eq!((b[1].start, b[1].end), (8, 9));
        assert_eq!((b[2].start, b[2].end), (11, 11));
        assert_eq!(waiting_times(&b), vec![4, 2]);
        assert_eq!(default_threshold(1120), 56);
    }
}
