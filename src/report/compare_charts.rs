//! The charts of a comparison: trust, coverage and stability with its components over time,
//! one line per configuration (mean and 95 % band over replications), each scenario's events
//! marked and labelled, drawn zoomed to the data and on the full range like the run charts
//! ([`super::run_charts::zoomed_and_full`]). Series that mean nothing for a configuration (aid
//! coverage without aid teams) or are constant in every configuration are left out, and the
//! chart says so.

use super::ReportError;
use super::charts::{LineChart, PALETTE, Series, Stack};
use super::run_charts::{event_markers, zoomed_and_full};
use crate::scenario::{Scenario, UnitKind};
use crate::stats::Estimate;
use std::path::Path;

/// One configuration of the comparison: its name and scenario.
pub struct Config<'a> {
    pub name: &'a str,
    pub scenario: &'a Scenario,
}

/// Per (configuration, metric): the mean and 95 % interval at each tick.
pub type Bands<'a> = dyn Fn(usize, &str) -> Option<&'a [(f64, Estimate)]> + 'a;

/// Every configuration's events as chart markers, labelled with the scenario's name (one label
/// for an event that several configurations share).
pub fn compare_events(configs: &[Config]) -> Vec<(f64, String)> {
    let mut out: Vec<(f64, String, Vec<&str>)> = Vec::new();
    for c in configs {
        for (x, label) in event_markers(c.scenario) {
            match out.iter_mut().find(|e| e.0 == x && e.1 == label) {
                Some(e) => e.2.push(c.name),
                None => out.push((x, label, vec![c.name])),
            }
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    let all = configs.len();
    out.into_iter()
        .map(|(x, label, names)| {
            if all == 1 || names.len() == all {
                (x, label)
            } else {
                (x, format!("{}: {label}", names.join(", ")))
            }
        })
        .collect()
}

/// The components of stability, as (column, short axis name, what it is).
const COMPONENTS: [(&str, &str, &str); 6] = [
    ("calm", "calm", "1 − active share"),
    ("liberty", "liberty", "1 − detained share"),
    ("trust", "consent", "mean trust"),
    (
        "security_coverage",
        "security",
        "free with a patrol in sight",
    ),
    (
        "spoiler_strength",
        "spoilers",
        "spoiler strength; safety = 1 − this",
    ),
    ("settled", "settled", "1 − displaced share"),
];

/// The comparison charts (`compare_trust`, `compare_coverage`, `compare_stability`, each
/// `.png` + `.svg` zoomed and `-full.png`).
pub fn compare_charts(
    configs: &[Config],
    runs: usize,
    bands: &Bands,
    dir: &Path,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let events = compare_events(configs);
    let x_label = "time (days)".to_string();
    // One panel of `metric`, a line per configuration `keep` admits; constant lines are left
    // out of all but headline panels (noted in `left_out`).
    let panel = |metric: &str,
                 y_label: &str,
                 headline: bool,
                 keep: &dyn Fn(&Config) -> bool,
                 left_out: &mut Vec<String>| {
        let mut series = Vec::new();
        for (c, cfg) in configs.iter().enumerate() {
            let Some(pts) = bands(c, metric).filter(|_| keep(cfg)) else {
                continue;
            };
            let (lo, hi) = pts.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |a, p| {
                (a.0.min(p.1.mean), a.1.max(p.1.mean))
            });
            if hi - lo < 1e-12 && !headline {
                left_out.push(format!("{y_label} of {} (constant {lo:.3})", cfg.name));
                continue;
            }
            series.push(Series {
                band: pts.iter().map(|(x, e)| (*x, e.low, e.high)).collect(),
                ..Series::line(
                    cfg.name.to_string(),
                    pts.iter().map(|(x, e)| (*x, e.mean)).collect(),
                    PALETTE[c % PALETTE.len()],
                )
            });
        }
        LineChart {
            title: String::new(),
            x_label: x_label.clone(),
            y_label: y_label.to_string(),
            y_range: 0.0..1.0,
            series,
        }
    };
    let note = |left_out: Vec<String>, extra: Option<String>| {
        let mut parts: Vec<String> = extra.into_iter().collect();
        if !left_out.is_empty() {
            parts.push(format!("not drawn: {}", left_out.join("; ")));
        }
        (!parts.is_empty()).then(|| parts.join("  "))
    };
    let all = |_: &Config| true;
    let title = |what: &str| format!("{what}: mean and 95% CI of {runs} runs per configuration");
    let mut files = Vec::new();

    let mut lo = Vec::new();
    let trust = panel("trust", "mean trust (0–1)", true, &all, &mut lo);
    let stack = Stack {
        title: title("Trust of citizens in the mission"),
        panels: vec![trust],
        events: events.clone(),
        note: note(lo, None),
    };
    files.extend(zoomed_and_full("compare_trust", stack, dir)?);

    let mut lo = Vec::new();
    let aid = |c: &Config| c.scenario.fields(UnitKind::AidTeam);
    for c in configs.iter().filter(|c| !aid(c)) {
        lo.push(format!("aid coverage of {} (no aid teams)", c.name));
    }
    let mut panels = vec![panel(
        "security_coverage",
        "security (share)",
        true,
        &all,
        &mut lo,
    )];
    panels.push(panel("aid_coverage", "aid (share)", false, &aid, &mut lo));
    panels.retain(|p| !p.series.is_empty());
    let stack = Stack {
        title: title("Coverage"),
        panels,
        events: events.clone(),
        note: note(
            lo,
            Some("security: share of the free with a patrol in sight; aid: share reached".into()),
        ),
    };
    files.extend(zoomed_and_full("compare_coverage", stack, dir)?);

    let mut lo = Vec::new();
    let mut panels = vec![panel("stability", "stability", true, &all, &mut lo)];
    for (column, short, _) in COMPONENTS {
        panels.push(panel(column, short, false, &all, &mut lo));
    }
    panels.retain(|p| !p.series.is_empty());
    let meaning: Vec<String> = COMPONENTS
        .iter()
        .map(|(_, short, what)| format!("{short} = {what}"))
        .collect();
    let stack = Stack {
        title: title("Stability (composite) and its components"),
        panels,
        events,
        note: note(lo, Some(meaning.join(", "))),
    };
    files.extend(zoomed_and_full("compare_stability", stack, dir)?);
    Ok(files)
}
