//! The charts of one run (trust, coverage, stability with its components over time, event
//! markers), drawn with [`super::charts`].
//!
//! Over 500 lines: `run_charts` is one long list of chart specifications, kept together so a run's
//! chart set reads in one place.

use super::ReportError;
use super::charts::*;
use crate::scenario::kinds::in_words;
use crate::sim::RunOutput;
use plotters::prelude::*;
use std::ops::Range;
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

/// One line of a run chart: a column of `timeseries.csv` (see [`super::tick_metrics`]), as is or
/// divided by the population, optionally as a trailing mean.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub column: &'static str,
    pub label: &'static str,
    pub per_population: bool,
    pub smooth: usize,
    pub colour: RGBColor,
}

const fn line(column: &'static str, label: &'static str, colour: RGBColor) -> Line {
    Line {
        column,
        label,
        per_population: false,
        smooth: 1,
        colour,
    }
}

/// The components of stability (docs/MODEL.md §3.15), drawn under it: each is in [0, 1] with 1
/// the stable end, and stability is their weighted mean.
pub const STABILITY_COMPONENTS: &[Line] = &[
    line("calm", "calm (1 − active share)", PALETTE[1]),
    line("liberty", "liberty (1 − detained share)", PALETTE[3]),
    line("trust", "consent (mean trust)", PALETTE[2]),
    line(
        "security_coverage",
        "security (free with a patrol in sight)",
        PALETTE[5],
    ),
    line(
        "spoiler_strength",
        "spoiler strength (safety = 1 − this)",
        PALETTE[4],
    ),
    line("settled", "settled (1 − displaced share)", PALETTE[6]),
];

/// A y range fitted to the values: padded by 8 %, at least `min_span` wide, kept inside
/// `bounds` (e.g. 0–1 for shares).
pub fn fit_range(
    values: impl Iterator<Item = f64>,
    bounds: Range<f64>,
    min_span: f64,
) -> Range<f64> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return bounds;
    }
    let pad = ((hi - lo) * 0.08).max((min_span - (hi - lo)).max(0.0) / 2.0);
    let (mut lo, mut hi) = (lo - pad, hi + pad);
    if lo < bounds.start {
        hi += bounds.start - lo;
        lo = bounds.start;
    }
    if hi > bounds.end {
        lo = (lo - (hi - bounds.end)).max(bounds.start);
        hi = bounds.end;
    }
    lo..hi
}

/// The scenario's timeline events as chart markers: (tick, short label), in the file's words.
pub fn event_markers(s: &crate::scenario::Scenario) -> Vec<(f64, String)> {
    s.events
        .iter()
        .map(|e| {
            let mut words = in_words(&e.kind);
            let mut whom: Vec<&str> = e
                .partner
                .iter()
                .chain(&e.partners)
                .filter_map(|&p| s.partners.get(p).map(|p| p.name.as_str()))
                .collect();
            if let Some(d) = e.district.and_then(|d| s.districts.get(d)) {
                whom.push(&d.name);
            }
            // What changed, where the event names it (a technology, a new policy).
            let what: Vec<String> = [
                e.technology.map(|t| in_words(&t)),
                e.sharing.map(|p| format!("sharing {}", in_words(&p))),
                e.posture.map(|p| format!("posture {}", in_words(&p))),
                e.patrol_policy.map(|p| format!("patrols {}", in_words(&p))),
                e.neutrality.map(|p| in_words(&p)),
                e.mechanism.map(|m| in_words(&m)),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !what.is_empty() {
                words = format!("{words} ({})", what.join(", "));
            }
            let label = if whom.is_empty() {
                words
            } else {
                format!("{words}: {}", whom.join(", "))
            };
            (e.tick as f64, label)
        })
        .collect()
}

type Points = Vec<(f64, f64)>;

/// Communities' trust in each partner over time: its standing in each district weighted by the
/// district's residents (partners.csv), one line per partner that was ever engaged. Partners
/// whose lines coincide (associated partners with no service of their own follow the mission's
/// trust alike) share one line, so no line hides another.
fn standing_series(s: &crate::scenario::Scenario, output: &RunOutput) -> Vec<Series> {
    use std::collections::BTreeMap;
    // (the partners sharing a line, its points)
    let mut lines: Vec<(Vec<String>, Points)> = Vec::new();
    let residents: BTreeMap<(u32, &str), u32> = output
        .districts
        .iter()
        .map(|r| ((r.tick, &*r.district), r.residents))
        .collect();
    for p in &s.partners {
        let mut by_tick: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
        for r in output.partners.iter().filter(|r| *r.partner == *p.name) {
            let w = residents.get(&(r.tick, &*r.district)).copied().unwrap_or(0) as f64;
            let e = by_tick.entry(r.tick).or_default();
            e.0 += w * r.community_trust;
            e.1 += w;
        }
        let points: Vec<(f64, f64)> = by_tick
            .into_iter()
            .filter(|(_, (_, w))| *w > 0.0)
            .map(|(t, (sum, w))| (t as f64, sum / w))
            .collect();
        if points.is_empty() {
            continue;
        }
        match lines.iter_mut().find(|(_, pts)| *pts == points) {
            Some((names, _)) => names.push(p.name.clone()),
            None => lines.push((vec![p.name.clone()], points)),
        }
    }
    // Colours after the one τ uses (PALETTE[4]).
    lines
        .into_iter()
        .enumerate()
        .map(|(i, (names, points))| {
            let colour = [0, 2, 1, 5, 6, 3, 7][i % 7];
            Series::line(format!("in {}", names.join(", ")), points, PALETTE[colour])
        })
        .collect()
}

/// The run charts: trust in the mission, trust between partners, coverage and stability with
/// its components, each over time with the scenario's events marked. Series that are constant
/// over the whole run or mean nothing for the scenario (aid with no aid teams) are left out,
/// and the chart says so. Each is written zoomed to its data (`<stem>.png`/`.svg`) and on the
/// full range of its quantities (`<stem>-full.png`).
pub fn run_charts(
    s: &crate::scenario::Scenario,
    output: &RunOutput,
    dir: &Path,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    use crate::scenario::UnitKind;
    let name = &s.name;
    let rows: Vec<Vec<(&'static str, f64)>> =
        output.ticks.iter().map(super::tick_metrics).collect();
    let xs: Vec<f64> = output.ticks.iter().map(|r| r.tick as f64).collect();
    let column = |l: &Line| -> Option<Vec<(f64, f64)>> {
        let mut pts = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let v = row.iter().find(|(n, _)| *n == l.column)?.1;
            let v = if l.per_population {
                let pop = output.ticks[i].population;
                if pop == 0 { 0.0 } else { v / pop as f64 }
            } else {
                v
            };
            pts.push((xs[i], v));
        }
        Some(if l.smooth > 1 {
            rolling_mean(&pts, l.smooth)
        } else {
            pts
        })
    };
    let fielded = |k: UnitKind| s.fields(k);
    let events = event_markers(s);
    let x_label = "time (days)".to_string();
    // Build a panel from lines, leaving out the missing and the constant ones.
    // A constant series is drawn only in a chart's headline panel (a chart never comes out empty).
    let panel = |headline: bool,
                 y_label: &str,
                 lines: &[Line],
                 bounds: Range<f64>,
                 left_out: &mut Vec<String>| {
        let mut series = Vec::new();
        for l in lines {
            let Some(pts) = column(l) else { continue };
            let (lo, hi) = pts
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                    (a.min(p.1), b.max(p.1))
                });
            if hi - lo < 1e-12 {
                if !headline {
                    left_out.push(format!("{} (constant {:.3})", l.label, lo));
                    continue;
                }
                left_out.push(format!("({} is constant over the run: {:.3})", l.label, lo));
            }
            series.push(Series::line(l.label, pts, l.colour));
        }
        LineChart {
            title: String::new(),
            x_label: x_label.clone(),
            y_label: y_label.into(),
            y_range: bounds,
            series,
        }
    };
    let note = |left_out: &[String]| {
        let (constant, dropped): (Vec<&String>, Vec<&String>) =
            left_out.iter().partition(|t| t.starts_with('('));
        let mut parts: Vec<String> = constant.into_iter().cloned().collect();
        if !dropped.is_empty() {
            let names: Vec<&str> = dropped.iter().map(|t| t.as_str()).collect();
            parts.push(format!("not drawn: {}", names.join("; ")));
        }
        (!parts.is_empty()).then(|| parts.join("  "))
    };
    let mut stacks: Vec<(&str, Stack)> = Vec::new();

    // Trust in the mission: all districts (bold) and each district.
    let mut lo_trust = Vec::new();
    let mut trust = panel(
        true,
        "mean trust (0 = none, 1 = full)",
        &[line("trust", "all districts", PALETTE[7])],
        0.0..1.0,
        &mut lo_trust,
    );
    for sr in &mut trust.series {
        sr.width = 3;
    }
    if s.districts.len() > 1 {
        for (i, d) in s.districts.iter().enumerate() {
            let points = output
                .districts
                .iter()
                .filter(|r| *r.district == *d.name)
                // Days when nobody lived there have no mean to draw.
                .filter_map(|r| Some((r.tick as f64, r.mean_trust?)))
                .collect();
            let colour = [0, 1, 2, 3, 5, 6][i % 6];
            trust
                .series
                .push(Series::line(d.name.clone(), points, PALETTE[colour]));
        }
    }
    stacks.push((
        "trust",
        Stack {
            title: format!("{name}: trust of citizens in the mission"),
            panels: vec![trust],
            events: events.clone(),
            note: note(&lo_trust),
        },
    ));

    // Trust between partners, and communities' trust in each partner (standing, §3.17): only
    // where there are partners.
    if !s.partners.is_empty() {
        let mut lo = Vec::new();
        let mut panels = Vec::new();
        if s.partners.len() >= 2 {
            let tau = panel(
                false,
                "mean τ (0–1)",
                &[line(
                    "partner_trust",
                    "between engaged partners (τ)",
                    PALETTE[4],
                )],
                0.0..1.0,
                &mut lo,
            );
            if !tau.series.is_empty() {
                panels.push(tau);
            }
        }
        let standing = standing_series(s, output);
        if !standing.is_empty() {
            panels.push(LineChart {
                title: String::new(),
                x_label: x_label.clone(),
                y_label: "communities' trust in it (0–1)".into(),
                y_range: 0.0..1.0,
                series: standing,
            });
        }
        if !panels.is_empty() {
            stacks.push((
                "partners",
                Stack {
                    title: format!(
                        "{name}: trust between partners, and communities' trust in each"
                    ),
                    panels,
                    events: events.clone(),
                    note: note(&lo),
                },
            ));
        }
    }

    // Coverage: one quantity per panel.
    let mut lo_cov = Vec::new();
    let mut shares = vec![line(
        "security_coverage",
        "security: free with a patrol in sight",
        PALETTE[0],
    )];
    if fielded(UnitKind::AidTeam) {
        shares.push(line(
            "aid_coverage",
            "aid: reached in the last window",
            PALETTE[2],
        ));
    } else {
        lo_cov.push("aid coverage (no aid teams in this scenario)".into());
    }
    let mut panels = vec![panel(
        true,
        "share of citizens",
        &shares,
        0.0..1.0,
        &mut lo_cov,
    )];
    if fielded(UnitKind::Patrol) {
        panels.push(panel(
            false,
            "troops (0–1)",
            &[line(
                "athena_coverage",
                "troop coverage (from troops per 1,000 residents)",
                PALETTE[6],
            )],
            0.0..f64::INFINITY,
            &mut lo_cov,
        ));
    }
    if s.partners.len() >= 2 {
        panels.push(panel(
            false,
            "hotspots known",
            &[Line {
                smooth: 7,
                ..line("info_coverage", "information (7-day mean)", PALETTE[4])
            }],
            0.0..1.0,
            &mut lo_cov,
        ));
    }
    panels.retain(|p| !p.series.is_empty());
    stacks.push((
        "coverage",
        Stack {
            title: format!("{name}: coverage"),
            panels,
            events: events.clone(),
            note: note(&lo_cov),
        },
    ));

    // Stability, with its components under it.
    let mut lo_st = Vec::new();
    let mut stab = panel(
        true,
        "stability (composite)",
        &[line("stability", "stability", PALETTE[0])],
        0.0..1.0,
        &mut lo_st,
    );
    for sr in &mut stab.series {
        sr.width = 3;
    }
    let parts = panel(
        false,
        "component (0–1)",
        STABILITY_COMPONENTS,
        0.0..1.0,
        &mut lo_st,
    );
    let mut panels = vec![stab];
    if !parts.series.is_empty() {
        panels.push(parts);
    }
    panels.retain(|p| !p.series.is_empty());
    stacks.push((
        "stability",
        Stack {
            title: format!("{name}: stability and its components"),
            panels,
            events,
            note: note(&lo_st),
        },
    ));

    let mut files = Vec::new();
    for (stem, stack) in stacks {
        files.extend(zoomed_and_full(stem, stack, dir)?);
    }
    Ok(files)
}

/// A stacked chart twice: on the full range of its quantities (`<stem>-full.png`: each panel's
/// bounds, 0 to the largest value when unbounded) and zoomed to the data, bands included
/// (`<stem>.png` and `.svg`). A stack with no panel draws nothing.
pub fn zoomed_and_full(
    stem: &str,
    mut stack: Stack,
    dir: &Path,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let mut files = Vec::new();
    if stack.panels.is_empty() {
        return Ok(files);
    }
    let values = |p: &LineChart| -> Vec<f64> {
        p.series
            .iter()
            .flat_map(|s| {
                let band = s.band.iter().flat_map(|b| [b.1, b.2]);
                s.points.iter().map(|q| q.1).chain(band)
            })
            .collect()
    };
    for p in &mut stack.panels {
        let max = values(p).into_iter().fold(0.0, f64::max);
        let end = if p.y_range.end.is_finite() {
            p.y_range.end
        } else {
            max * 1.05
        };
        p.y_range = p.y_range.start..end.max(p.y_range.start + 1e-6);
    }
    files.push(render_stack_png(&format!("{stem}-full"), &stack, dir)?);
    for p in &mut stack.panels {
        let span = (p.y_range.end - p.y_range.start) * 0.02;
        p.y_range = fit_range(values(p).into_iter(), p.y_range.clone(), span);
    }
    files.extend(render_stack(stem, &stack, dir)?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Event markers name kinds and policies in the file's words ("need to know", not
    /// "needtoknow" or `NeedToKnow`).
    #[test]
    fn event_markers_use_the_files_words() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/baseline.toml"
        ))
        .unwrap();
        let text = format!(
            "{text}\n[[events]]\ntick = 5\nkind = \"policy\"\npartner = \"{p}\"\n\
             sharing = \"need_to_know\"\n\n[[events]]\ntick = 6\nkind = \"technology\"\n\
             partner = \"{p}\"\ntechnology = \"real_time_data\"\n",
            p = "un_mission"
        );
        let s = crate::scenario::parse_str(&text, Path::new("baseline.toml")).unwrap();
        let labels: Vec<String> = event_markers(&s).into_iter().map(|m| m.1).collect();
        assert!(
            labels.contains(&"policy (sharing need to know): un_mission".to_string()),
            "{labels:?}"
        );
        assert!(
            labels.contains(&"technology (real time data): un_mission".to_string()),
            "{labels:?}"
        );
    }

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
