//! The three charts of one run (trust, coverage, stability over time), drawn with
//! [`super::charts`].

use super::ReportError;
use super::charts::{LineChart, PALETTE, Series, render_both};
use crate::sim::RunOutput;
use std::path::Path;

/// Trailing mean over the last `k` points (fewer at the start), for noisy ratios.
pub fn rolling_mean(points: &[(f64, f64)], k: usize) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len());
    let mut sum = 0.0;
    for (i, &(x, y)) in points.iter().enumerate() {
        sum += y;
        if i >= k {
            sum -= points[i - k].1;
        }
        out.push((x, sum / (i + 1).min(k) as f64));
    }
    out
}

/// The three charts of one run: trust, coverage and stability over time.
pub fn run_charts(
    name: &str,
    output: &RunOutput,
    district_names: &[String],
    dir: &Path,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let over = |f: &dyn Fn(&crate::metrics::TickRow) -> f64| -> Vec<(f64, f64)> {
        output.ticks.iter().map(|r| (r.tick as f64, f(r))).collect()
    };
    let x_label = "time (days)".to_string();

    let mut trust = vec![Series {
        width: 3,
        ..Series::line("all districts", over(&|r| r.mean_trust), PALETTE[7])
    }];
    trust.push(Series {
        width: 3,
        ..Series::line(
            "between partners (τ)",
            over(&|r| r.partner_trust),
            PALETTE[4],
        )
    });
    for (i, d) in district_names.iter().enumerate() {
        let points = output
            .districts
            .iter()
            .filter(|r| &r.district == d)
            .map(|r| (r.tick as f64, r.mean_trust))
            .collect();
        let colour = [0, 1, 2, 3, 5, 6][i % 6];
        trust.push(Series::line(d.clone(), points, PALETTE[colour]));
    }
    let trust = LineChart {
        title: format!("{name}: trust in the mission and between partners"),
        x_label: x_label.clone(),
        y_label: "mean trust (0 = none, 1 = full)".into(),
        y_range: 0.0..1.0,
        series: trust,
    };

    let coverage = LineChart {
        title: format!("{name}: security and aid coverage"),
        x_label: x_label.clone(),
        y_label: "share of citizens".into(),
        y_range: 0.0..1.0,
        series: vec![
            Series::line(
                "security: a patrol in sight",
                over(&|r| r.security_coverage),
                PALETTE[0],
            ),
            Series::line(
                "aid: reached in the last window",
                over(&|r| r.aid_coverage),
                PALETTE[2],
            ),
            Series::line(
                "Athena coverage (troops per 1,000)",
                over(&|r| r.athena_coverage),
                PALETTE[6],
            ),
            Series::line(
                "information: hotspots known (7-day mean)",
                rolling_mean(&over(&|r| r.info_coverage), 7),
                PALETTE[4],
            ),
        ],
    };

    let share = |x: u32, r: &crate::metrics::TickRow| {
        if r.population == 0 {
            0.0
        } else {
            x as f64 / r.population as f64
        }
    };
    let stability = LineChart {
        title: format!("{name}: stability"),
        x_label,
        y_label: "share of citizens".into(),
        y_range: 0.0..1.0,
        series: vec![
            Series {
                width: 3,
                ..Series::line(
                    "stability = 1 − active share",
                    over(&|r| r.stability),
                    PALETTE[0],
                )
            },
            Series::line(
                "active (in open rebellion)",
                over(&|r| share(r.active, r)),
                PALETTE[1],
            ),
            Series::line("detained", over(&|r| share(r.detained, r)), PALETTE[3]),
        ],
    };

    let mut files = Vec::new();
    for (stem, chart) in [
        ("trust", &trust),
        ("coverage", &coverage),
        ("stability", &stability),
    ] {
        files.extend(render_both(stem, chart, dir)?);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_mean_trails() {
        let pts: Vec<(f64, f64)> = (0..5).map(|i| (i as f64, i as f64)).collect();
        let m = rolling_mean(&pts, 2);
        assert_eq!(
            m.iter().map(|p| p.1).collect::<Vec<_>>(),
            vec![0.0, 0.5, 1.5, 2.5, 3.5]
        );
    }
}
