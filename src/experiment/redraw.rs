//! `peacesim report DIR` of a compare or sweep folder: charts the manifest lists that are
//! missing or altered are drawn again from the folder's data, and kept only if every chart drawn
//! is byte for byte the one the manifest records (a chart is never replaced by a different one).
//!
//! - compare: from `aggregate.csv` (its verified copy) and each configuration's scenario file,
//!   found where the manifest records it and checked against its SHA-256 (the chart marks the
//!   scenario's events and leaves out aid where there are no aid teams);
//! - sweep: from `runs.csv` (verified) and the sweep saved in `parts/` when it ran.
//!
//! The page (`report.html`) is rewritten afterwards by [`crate::report::html::write_folder_page`].

use super::error::ExperimentError as Error;
use super::key_metrics::KEY_METRICS;
use crate::report::compare_charts::{Config, compare_charts};
use crate::report::{NotAsListed, sha256_hex, write_atomic};
use crate::stats::Estimate;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Is `name` a chart file of a folder (drawn, not data), named as a plain file in it?
fn is_chart(name: &str) -> bool {
    (name.ends_with(".png") || name.ends_with(".svg")) && crate::report::is_plain_name(name)
}

/// Redraw the charts of the compare or sweep folder `dir` (whose parsed `manifest.json` is
/// `manifest`) that are missing or differ from their recorded SHA-256. Returns the files
/// written; none when every chart is intact. The caller holds the folder.
pub fn repair_charts(dir: &Path, manifest: &Value) -> Result<Vec<PathBuf>, Error> {
    let mut listed: BTreeMap<String, String> = BTreeMap::new();
    for (name, sha) in manifest
        .get("files")
        .and_then(|f| f.as_object())
        .into_iter()
        .flatten()
    {
        let Some(sha) = sha.as_str() else {
            return Err(Error::Failed(format!(
                "{}: manifest.json records no SHA-256 text for {name} (edited by hand?); \
                 nothing was rewritten",
                dir.display()
            )));
        };
        listed.insert(name.clone(), sha.to_string());
    }
    let damaged: Vec<&String> = listed
        .iter()
        .filter(|(name, sha)| {
            is_chart(name)
                && std::fs::read(dir.join(name.as_str())).map_or(true, |b| sha256_hex(&b) != **sha)
        })
        .map(|(name, _)| name)
        .collect();
    if damaged.is_empty() {
        return Ok(Vec::new());
    }
    let what = format!(
        "{} {} missing or changed",
        damaged
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        if damaged.len() == 1 { "is" } else { "are" }
    );
    let rerun: Vec<String> = manifest
        .get("command_line")
        .and_then(|c| c.as_array())
        .map(|c| {
            c.iter()
                .filter_map(|w| w.as_str())
                .map(crate::report::html::shell_word)
                .collect()
        })
        .unwrap_or_default();
    let again = if rerun.is_empty() {
        "run the command that wrote it again".to_string()
    } else {
        format!("run the command again: {}", rerun.join(" "))
    };
    let refuse = |why: String| {
        Error::Failed(format!(
            "{}: {what}, and {why}; nothing was rewritten ({again})",
            dir.display()
        ))
    };
    // Every data file the page is drawn from is checked before anything is written, so a
    // refusal further on (the page's own check) never follows restored charts.
    let data = verified(dir, &listed);
    for name in listed.keys().filter(|n| n.ends_with(".csv")) {
        data(name).map_err(&refuse)?;
    }
    let drawn = match manifest.get("kind").and_then(|k| k.as_str()) {
        Some("compare") => compare_folder_charts(dir, manifest, &data).map_err(&refuse)?,
        Some("sweep") => sweep_folder_charts(dir, manifest, &data).map_err(&refuse)?,
        _ => return Err(refuse("this is not a compare or sweep folder".into())),
    };
    // Every chart drawn must be the recorded one, not only the damaged: the same data and
    // code give the same bytes, so any difference means another version or other data.
    for (name, bytes) in &drawn {
        if listed
            .get(name)
            .is_some_and(|sha| *sha != sha256_hex(bytes))
        {
            return Err(refuse(format!(
                "drawing {name} again gives another picture than the recorded one (written by \
                 another peacesim version?)"
            )));
        }
    }
    // Every damaged chart must be among those drawn before the first is written.
    let mut restore = Vec::new();
    for name in damaged {
        let Some((_, bytes)) = drawn.iter().find(|(n, _)| n == name) else {
            return Err(refuse(format!(
                "{name} is not drawn from this folder's data"
            )));
        };
        restore.push((dir.join(name), bytes));
    }
    let mut written = Vec::new();
    for (path, bytes) in restore {
        write_atomic(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// A data file of the folder as the manifest records it: its bytes, or why they cannot be
/// trusted.
type Verified<'a> = dyn Fn(&str) -> Result<Vec<u8>, String> + 'a;

fn verified<'a>(dir: &'a Path, listed: &'a BTreeMap<String, String>) -> Box<Verified<'a>> {
    Box::new(move |name: &str| {
        let sha = listed
            .get(name)
            .ok_or_else(|| format!("the manifest lists no {name}"))?;
        crate::report::read_as_listed(dir, name, sha).map_err(|e| match e {
            NotAsListed::Unreadable(e) => format!("{name}: {e}"),
            NotAsListed::Altered => {
                format!("{name} differs from the manifest's SHA-256 (edited since it was written?)")
            }
        })
    })
}

/// The comparison's charts from `aggregate.csv` and the configurations' scenario files.
fn compare_folder_charts(
    dir: &Path,
    manifest: &Value,
    data: &Verified,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let configs = manifest
        .get("configs")
        .and_then(|c| c.as_array())
        .ok_or("the manifest lists no configurations")?;
    let mut names = Vec::new();
    let mut scenarios = Vec::new();
    for c in configs {
        let field = |k: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or_default();
        let file = field("file");
        if file.is_empty() {
            return Err("the manifest names no scenario file for a configuration".into());
        }
        // A bundled scenario is recorded as `<bundled>/NAME.toml`; any other path must be
        // found as recorded (relative to where the comparison started), never replaced by a
        // bundled namesake.
        let bundled = crate::scenario::library::recorded_name(file).is_some();
        if !bundled && !Path::new(file).is_file() {
            return Err(format!(
                "its scenario file {file} is not found from here (the manifest records it \
                 relative to the directory the comparison was started in: run `peacesim \
                 report` from there)"
            ));
        }
        let loaded = crate::scenario::load(Path::new(file))
            .map_err(|e| format!("its scenario file cannot be read ({e})"))?;
        if sha256_hex(loaded.text.as_bytes()) != field("sha256") {
            return Err(format!("{file} changed since the comparison ran"));
        }
        names.push(field("name").to_string());
        scenarios.push(loaded.scenario);
    }
    let runs = manifest
        .get("runs_per_config")
        .and_then(|r| r.as_u64())
        .ok_or("the manifest has no runs_per_config")? as usize;
    let bytes = data("aggregate.csv")?;
    let mut bands: BTreeMap<(usize, String), Vec<(f64, Estimate)>> = BTreeMap::new();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    for (i, rec) in reader.records().enumerate() {
        let bad = |why: &str| format!("aggregate.csv line {}: {why}", i + 2);
        let rec = rec.map_err(|e| bad(&e.to_string()))?;
        let (Some(config), Some(tick), Some(metric)) = (rec.get(0), rec.get(1), rec.get(2)) else {
            return Err(bad("too few fields"));
        };
        if !KEY_METRICS.contains(&metric) {
            continue;
        }
        let c = names
            .iter()
            .position(|n| n == config)
            .ok_or_else(|| bad("a configuration the manifest does not list"))?;
        let number = |k: usize| -> Result<f64, String> {
            rec.get(k)
                .and_then(|v| v.parse::<f64>().ok())
                .ok_or_else(|| bad("not a number"))
        };
        let e = Estimate {
            mean: number(4)?,
            low: number(5)?,
            high: number(6)?,
        };
        bands
            .entry((c, metric.to_string()))
            .or_default()
            .push((number(1).map_err(|_| bad(tick))?, e));
    }
    let chart_configs: Vec<Config> = names
        .iter()
        .zip(&scenarios)
        .map(|(name, scenario)| Config { name, scenario })
        .collect();
    let band = |c: usize, metric: &str| bands.get(&(c, metric.to_string())).map(|v| v.as_slice());
    compare_charts(&chart_configs, runs, &band, dir).map_err(|e| e.to_string())
}

/// The sweep's chart from `runs.csv` and the sweep file saved in `parts/`.
fn sweep_folder_charts(
    dir: &Path,
    manifest: &Value,
    data: &Verified,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let sweep = super::sweep::load_saved(dir).map_err(|e| e.to_string())?;
    if manifest.get("sweep_sha256").and_then(|h| h.as_str()) != Some(sweep.hash.as_str()) {
        return Err("the sweep saved in parts/ is not the one that wrote this folder".into());
    }
    let bytes = data("runs.csv")?;
    let rows: Vec<_> = super::sweep::rows::read_runs(&sweep, &bytes)
        .map_err(|e| format!("runs.csv: {e}"))?
        .into_iter()
        .map(|(_, row)| row)
        .collect();
    super::sweep::finalize::charts(&sweep, &rows, dir).map_err(|e| e.to_string())
}
