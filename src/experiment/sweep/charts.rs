//! The sweep's chart of its chosen metric: a heatmap for a two-parameter grid, a line with its
//! 95 % band for one parameter, one scatter per parameter for a Latin hypercube or more than two
//! parameters. A parameter of words (or one whose values are not all numbers) is drawn along a
//! categorical axis instead: dots with their 95 % intervals for one parameter, each point's
//! mean as a dot per category in the scatters.

use super::file::Design;
use super::plan::Sweep;
use super::rows::value_text;
use crate::experiment::replication::summary_names;
use crate::report::ReportError;
use crate::report::categorical::{Dots, dots_both};
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
    // What the metric can take: the dots' axis stays within it.
    let bounds = {
        let (lo, hi) = crate::experiment::key_metrics::range(&sweep.meta.metric);
        lo..hi
    };
    if sweep.meta.design == Design::Grid && sweep.parameter_paths.len() == 2 {
        let (xs, x_labels) = distinct(sweep, 0);
        let (ys, y_labels) = distinct(sweep, 1);
        let cell = |p: usize| {
            let v = &sweep.point_values[p];
            (category(&xs, &v[0]), category(&ys, &v[1]))
        };
        let values: Vec<(usize, usize, f64)> = (0..estimates.len())
            .map(|p| {
                let (i, j) = cell(p);
                (i, j, estimates[p][m].mean)
            })
            .collect();
        let title = format!("{}: {metric}", sweep.meta.name);
        // One replication has no interval: no "± 0.000" under its value.
        let one = sweep.meta.replications < 2;
        let half_widths: Vec<f64> = if one {
            Vec::new()
        } else {
            estimates
                .iter()
                .map(|e| (e[m].high - e[m].low) / 2.0)
                .collect()
        };
        let note = if one {
            "each cell: one run (one replication: no confidence interval)".to_string()
        } else {
            format!(
                "each cell: mean of {} replications ± half-width of its 95% confidence interval",
                sweep.meta.replications
            )
        };
        let hm = crate::report::categorical::Heatmap {
            title: &title,
            x_label: &sweep.parameter_labels[0],
            y_label: &sweep.parameter_labels[1],
            xs: &x_labels,
            ys: &y_labels,
            values: &values,
            half_widths: &half_widths,
            note: &note,
        };
        files.extend(crate::report::categorical::heatmap_both(
            "heatmap", &hm, dir,
        )?);
    } else if sweep.meta.design == Design::LatinHypercube || sweep.parameter_paths.len() > 2 {
        // One scatter per parameter: each point's mean of the metric against its value.
        for (i, path) in sweep.parameter_labels.iter().enumerate() {
            let title = format!("{}: {metric} by {path}", sweep.meta.name);
            let y_label = format!("{metric}, mean of replications");
            let stem = format!("scatter_{i}");
            let Some(xs) = numbers(sweep, i) else {
                let (values, categories) = distinct(sweep, i);
                let pts: Vec<(usize, Estimate)> = (0..estimates.len())
                    .map(|p| {
                        let mean = estimates[p][m].mean;
                        (
                            category(&values, &sweep.point_values[p][i]),
                            Estimate {
                                mean,
                                low: mean,
                                high: mean,
                            },
                        )
                    })
                    .collect();
                let note = format!(
                    "{}; each dot: one point's mean over its replications{}",
                    crate::report::counted(pts.len() as u64, "point"),
                    if sweep.parameter_paths.len() > 1 {
                        " (the other parameters vary between dots)"
                    } else {
                        ""
                    }
                );
                let dots = Dots {
                    title: &title,
                    x_label: path,
                    y_label: &y_label,
                    categories: &categories,
                    points: &pts,
                    labelled: false,
                    bounds: bounds.clone(),
                    note: &note,
                };
                files.extend(dots_both(&stem, &dots, dir)?);
                continue;
            };
            let pts: Vec<(f64, f64)> = xs
                .into_iter()
                .zip(estimates)
                .map(|(x, e)| (x, e[m].mean))
                .collect();
            if pts.is_empty() {
                continue;
            }
            let chart = LineChart {
                title,
                x_label: path.clone(),
                y_label,
                y_range: 0.0..1.0,
                series: vec![Series {
                    markers: true,
                    ..Series::line(format!("{} points", pts.len()), pts, PALETTE[0])
                }],
            };
            files.extend(zoomed_and_full(&stem, chart, dir)?);
        }
    } else if sweep.parameter_paths.len() == 1 {
        let label = &sweep.parameter_labels[0];
        let title = format!("{}: {metric} by {label}", sweep.meta.name);
        let Some(xs) = numbers(sweep, 0) else {
            let (values, categories) = distinct(sweep, 0);
            let pts: Vec<(usize, Estimate)> = (0..estimates.len())
                .map(|p| {
                    (
                        category(&values, &sweep.point_values[p][0]),
                        estimates[p][m],
                    )
                })
                .collect();
            let note = if sweep.meta.replications < 2 {
                "each dot: one run (one replication: no confidence interval)".to_string()
            } else {
                format!(
                    "each dot: mean of {} replications, with the 95% confidence interval of \
                     the mean",
                    sweep.meta.replications
                )
            };
            let dots = Dots {
                title: &title,
                x_label: label,
                y_label: &if sweep.meta.replications < 2 {
                    format!("{metric}: one run")
                } else {
                    format!("{metric}: mean, 95% CI")
                },
                categories: &categories,
                points: &pts,
                labelled: true,
                bounds,
                note: &note,
            };
            files.extend(dots_both("dots", &dots, dir)?);
            return Ok(files);
        };
        let mut pts: Vec<(f64, Estimate)> = xs
            .into_iter()
            .zip(estimates)
            .map(|(x, e)| (x, e[m]))
            .collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        if !pts.is_empty() {
            let chart = LineChart {
                title,
                x_label: label.clone(),
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

/// Parameter `i`'s value at every point as a number, if each is one (else it is drawn along a
/// categorical axis).
fn numbers(sweep: &Sweep, i: usize) -> Option<Vec<f64>> {
    sweep
        .point_values
        .iter()
        .map(|v| v[i].as_float().or(v[i].as_integer().map(|x| x as f64)))
        .collect()
}

/// The values of parameter `i` as an axis: (values, their labels). Those its `values` list
/// names come first, in the file's order (a Latin hypercube may sample some late or never: an
/// empty column says so), then any others the points hold, in first-seen order. Values of
/// different types are different categories, even where their labels read the same (the
/// number 1 and the word "1").
fn distinct(sweep: &Sweep, i: usize) -> (Vec<&toml::Value>, Vec<String>) {
    let mut values: Vec<&toml::Value> = Vec::new();
    // Only words and true/false: a listed number may be written into the scenario as
    // another type (2 as 2.0 for a decimal field) and would then be a second column.
    for v in &sweep.listed_values[i] {
        let word = matches!(v, toml::Value::String(_) | toml::Value::Boolean(_));
        if word && !values.contains(&v) {
            values.push(v);
        }
    }
    for p in &sweep.point_values {
        if !values.contains(&&p[i]) {
            values.push(&p[i]);
        }
    }
    let labels = values.iter().map(|v| value_text(v)).collect();
    (values, labels)
}

/// The column of `value` on an axis of `values` (from [`distinct`]).
fn category(values: &[&toml::Value], value: &toml::Value) -> usize {
    values.iter().position(|v| *v == value).unwrap_or(0)
}
