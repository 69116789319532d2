//! The sweep's chart of its chosen metric: a heatmap for a two-parameter grid, a line with its
//! 95 % band for one parameter, one scatter per parameter for a Latin hypercube or more than two
//! parameters.

use super::file::Design;
use super::plan::Sweep;
use super::rows::value_text;
use crate::experiment::replication::summary_names;
use crate::report::ReportError;
use crate::report::charts::{LineChart, PALETTE, Series, Stack};
use crate::report::columns::summary_label;
use crate::stats::Estimate;
use std::path::Path;

/// The chart files (SVG and PNG) for per-point `estimates` (in [`summary_names`] order).
pub fn render(
    sweep: &Sweep,
    estimates: &[Vec<Estimate>],
    dir: &Path,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let names = summary_names();
    let metric = summary_label(&sweep.meta.metric);
    let mut files = Vec::new();
    let m = names
        .iter()
        .position(|n| *n == sweep.meta.metric)
        .expect("validated metric");
    if sweep.meta.design == Design::Grid && sweep.parameter_paths.len() == 2 {
        let xs = distinct(&sweep.point_values, 0);
        let ys = distinct(&sweep.point_values, 1);
        let cell = |p: usize| {
            let v = &sweep.point_values[p];
            (
                xs.iter().position(|x| *x == value_text(&v[0])).unwrap_or(0),
                ys.iter().position(|y| *y == value_text(&v[1])).unwrap_or(0),
            )
        };
        let values: Vec<(usize, usize, f64)> = (0..estimates.len())
            .map(|p| {
                let (i, j) = cell(p);
                (i, j, estimates[p][m].mean)
            })
            .collect();
        let title = format!("{}: {metric}", sweep.meta.name);
        let half_widths: Vec<f64> = estimates
            .iter()
            .map(|e| (e[m].high - e[m].low) / 2.0)
            .collect();
        let note = format!(
            "each cell: mean of {} replications ± half-width of its 95% confidence interval",
            sweep.meta.replications
        );
        let hm = crate::report::charts::Heatmap {
            title: &title,
            x_label: &sweep.parameter_labels[0],
            y_label: &sweep.parameter_labels[1],
            xs: &xs,
            ys: &ys,
            values: &values,
            half_widths: &half_widths,
            note: &note,
        };
        files.extend(crate::report::charts::heatmap_both("heatmap", &hm, dir)?);
    } else if sweep.meta.design == Design::LatinHypercube || sweep.parameter_paths.len() > 2 {
        // One scatter per numeric parameter: each point's mean of the metric against it.
        for (i, path) in sweep.parameter_labels.iter().enumerate() {
            let pts: Vec<(f64, f64)> = (0..estimates.len())
                .filter_map(|p| {
                    let v = &sweep.point_values[p][i];
                    v.as_float()
                        .or(v.as_integer().map(|x| x as f64))
                        .map(|x| (x, estimates[p][m].mean))
                })
                .collect();
            if pts.is_empty() {
                continue;
            }
            let chart = LineChart {
                title: format!("{}: {metric} by {path}", sweep.meta.name),
                x_label: path.clone(),
                y_label: format!("{metric}, mean of replications"),
                y_range: 0.0..1.0,
                series: vec![Series {
                    markers: true,
                    ..Series::line(format!("{} points", pts.len()), pts, PALETTE[0])
                }],
            };
            files.extend(zoomed_and_full(&format!("scatter_{i}"), chart, dir)?);
        }
    } else if sweep.parameter_paths.len() == 1 {
        let mut pts: Vec<(f64, crate::stats::Estimate)> = (0..estimates.len())
            .filter_map(|p| {
                sweep.point_values[p][0]
                    .as_float()
                    .or(sweep.point_values[p][0].as_integer().map(|i| i as f64))
                    .map(|x| (x, estimates[p][m]))
            })
            .collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        if !pts.is_empty() {
            let chart = LineChart {
                title: format!(
                    "{}: {metric} by {}",
                    sweep.meta.name, sweep.parameter_labels[0]
                ),
                x_label: sweep.parameter_labels[0].clone(),
                y_label: format!("{metric}: mean, 95% CI"),
                y_range: 0.0..1.0,
                series: vec![Series {
                    band: pts.iter().map(|(x, e)| (*x, e.low, e.high)).collect(),
                    ..Series::line(
                        metric.clone(),
                        pts.iter().map(|(x, e)| (*x, e.mean)).collect(),
                        PALETTE[0],
                    )
                }],
            };
            files.extend(zoomed_and_full("line", chart, dir)?);
        }
    }

    Ok(files)
}

/// A sweep chart zoomed to its points and bands (`<stem>.png`, `.svg`) and on the range from 0
/// to at least 1 (`<stem>-full.png`).
fn zoomed_and_full(
    stem: &str,
    chart: LineChart,
    dir: &Path,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let values: Vec<f64> = chart
        .series
        .iter()
        .flat_map(|s| {
            let band = s.band.iter().flat_map(|b| [b.1, b.2]);
            s.points.iter().map(|p| p.1).chain(band)
        })
        .filter(|v| v.is_finite())
        .collect();
    let lo = values.iter().copied().fold(0.0, f64::min);
    let hi = values.iter().copied().fold(1.0, f64::max);
    let stack = Stack {
        title: chart.title.clone(),
        panels: vec![LineChart {
            y_range: lo..hi,
            ..chart
        }],
        events: Vec::new(),
        note: None,
    };
    crate::report::run_charts::zoomed_and_full(stem, stack, dir)
}

/// Distinct values of parameter `i` over the points, in first-seen order.
fn distinct(points: &[Vec<toml::Value>], i: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in points {
        let v = value_text(&p[i]);
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}
