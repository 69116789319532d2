//! `peacesim sweep`: vary scenario parameters over a design (full grid or Latin hypercube), run
//! replications of every point in parallel, and write one row per run and one per point.
//!
//! A sweep file names a base scenario and parameters by their *path* in the scenario's TOML:
//! dot-separated keys; inside an array of tables a segment is either an index (`units.0.count`)
//! or the `name` of an element (`partners.un_mission.resupply`). Every point is built and
//! validated before any run starts; a bad path or value is reported with the sweep file's line.
//!
//! Work is split into runs numbered `k = point × replications + replication`. A shard `I/N`
//! runs the runs with `k mod N = I` (round-robin: shards get equal shares of every point, so
//! they finish together). Each finished run is appended as one line to the shard's journal
//! (`parts/shard-I-of-N.journal`), ending in an FNV-1a checksum of the line: a line cut short by
//! a kill is detected and dropped, so a run is either fully recorded or absent, and re-running
//! the same command skips what is recorded. A finished shard writes `parts/part-I-of-N.csv` and
//! `.json`; [`merge`] joins parts into exactly the files an unsharded sweep writes, through the
//! same [`finalize`] — or refuses, naming missing or duplicated run ids.

use super::error::ExperimentError as Error;
use super::progress::Progress;
use super::{pool, run_index, run_one, summarize_run, summary_names};
use crate::report::charts::{LineChart, PALETTE, Series, render_both};
use crate::report::{ReportError, sha256_hex, write_atomic};
use crate::rng::{self, Purpose};
use crate::scenario::{self, FieldPath, ScenarioError, line_col};
use crate::stats::mean_ci;
use rand::RngExt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The sweep file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    pub sweep: SweepMeta,
    pub parameters: Vec<ParameterFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepMeta {
    /// Output folder name: letters, digits, '-' and '_'.
    pub name: String,
    /// Base scenario, relative to the sweep file.
    pub base: String,
    /// Experiment seed (default: the base scenario's).
    pub seed: Option<u64>,
    #[serde(default = "d_reps")]
    pub replications: u32,
    #[serde(default)]
    pub design: Design,
    /// Latin hypercube: number of points.
    pub samples: Option<u32>,
    /// Override the base scenario's ticks.
    pub ticks: Option<u32>,
    /// Common random numbers across points (run index = replication).
    #[serde(default)]
    pub crn: bool,
    /// Summary column shown in the heatmap (two parameters) or line chart (one parameter).
    #[serde(default = "d_metric")]
    pub metric: String,
}

fn d_reps() -> u32 {
    5
}
fn d_metric() -> String {
    "mean_stability".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Design {
    #[default]
    Grid,
    LatinHypercube,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterFile {
    pub path: String,
    /// Explicit values (numbers, strings or booleans).
    pub values: Option<Vec<toml::Value>>,
    /// Evenly spaced numbers, ends included.
    pub range: Option<RangeFile>,
    /// Latin hypercube only: a uniform distribution `[low, high]`.
    pub uniform: Option<[f64; 2]>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeFile {
    pub from: f64,
    pub to: f64,
    pub steps: u32,
}

/// A sweep ready to run: every point built and validated.
pub struct Sweep {
    /// The sweep file's and the base scenario's text, saved beside the parts for merge.
    pub text: String,
    pub base_text: String,
    pub meta: SweepMeta,
    pub parameter_paths: Vec<String>,
    /// Per point, the value of each parameter as written into the scenario.
    pub point_values: Vec<Vec<toml::Value>>,
    pub scenarios: Vec<Arc<scenario::Scenario>>,
    pub seed: u64,
    /// SHA-256 over the sweep file and the base scenario text: parts must agree on it.
    pub hash: String,
    pub base_sha256: String,
}

impl Sweep {
    pub fn runs(&self) -> u64 {
        self.scenarios.len() as u64 * self.meta.replications as u64
    }
    /// (point, replication) of run `k`.
    pub fn split(&self, k: u64) -> (u32, u32) {
        let r = self.meta.replications as u64;
        ((k / r) as u32, (k % r) as u32)
    }
}

fn located(file: &Path, text: &str, path: FieldPath, message: String) -> Error {
    let (line, column) = crate::scenario::locate_in(text, &path).unwrap_or((1, 1));
    Error::Usage(format!(
        "{}:{line}:{column}: {path}: {message}",
        file.display()
    ))
}

/// Set `value` at a dotted `path` in a TOML table (see the module docs for the syntax).
pub fn set_path(root: &mut toml::Table, path: &str, value: toml::Value) -> Result<(), String> {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "\"{path}\" has an empty segment; write keys separated by single dots"
        ));
    }
    let mut table = root;
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if last {
            table.insert(seg.to_string(), value);
            return Ok(());
        }
        let next = table
            .entry(seg.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        table = match next {
            toml::Value::Table(t) => t,
            toml::Value::Array(items) => {
                let sel = segments[i + 1];
                let idx = match sel.parse::<usize>() {
                    Ok(n) if n < items.len() => n,
                    Ok(n) => {
                        return Err(format!(
                            "{seg} has {} entries; index {n} is past the end",
                            items.len()
                        ));
                    }
                    Err(_) => items
                        .iter()
                        .position(|v| v.get("name").and_then(|n| n.as_str()) == Some(sel))
                        .ok_or_else(|| {
                            let names: Vec<String> = items
                                .iter()
                                .filter_map(|v| v.get("name").and_then(|n| n.as_str()))
                                .map(|n| format!("\"{n}\""))
                                .collect();
                            format!(
                                "no entry of {seg} is named \"{sel}\"; names: {}",
                                names.join(", ")
                            )
                        })?,
                };
                if i + 2 == segments.len() {
                    return Err(format!(
                        "\"{path}\" ends at an entry of {seg}; name one of its fields"
                    ));
                }
                // Skip the selector segment: continue inside the selected table.
                return set_path_from(items, idx, &segments[i + 2..], value, path);
            }
            _ => {
                return Err(format!(
                    "\"{seg}\" is a value, not a table, so it has no \"{}\"",
                    segments[i + 1]
                ));
            }
        };
    }
    Ok(())
}

fn set_path_from(
    items: &mut [toml::Value],
    idx: usize,
    rest: &[&str],
    value: toml::Value,
    full: &str,
) -> Result<(), String> {
    match &mut items[idx] {
        toml::Value::Table(t) => set_path(t, &rest.join("."), value),
        _ => Err(format!(
            "\"{full}\" selects an array entry that is not a table"
        )),
    }
}

/// Parameter values per point for the chosen design.
fn design_points(
    file: &Path,
    text: &str,
    sf: &SweepFile,
    seed: u64,
) -> Result<Vec<Vec<toml::Value>>, Error> {
    let p = FieldPath::default().key("parameters");
    if sf.parameters.is_empty() {
        return Err(located(
            file,
            text,
            p,
            "no parameters; add at least one [[parameters]]".into(),
        ));
    }
    let mut axes: Vec<Vec<toml::Value>> = Vec::new();
    for (i, par) in sf.parameters.iter().enumerate() {
        let here = p.index(i);
        let given = [
            par.values.is_some(),
            par.range.is_some(),
            par.uniform.is_some(),
        ];
        if given.iter().filter(|&&g| g).count() != 1 {
            return Err(located(
                file,
                text,
                here,
                "give exactly one of values, range or uniform".into(),
            ));
        }
        let axis = if let Some(v) = &par.values {
            if v.is_empty() {
                return Err(located(
                    file,
                    text,
                    here.key("values"),
                    "an empty list of values".into(),
                ));
            }
            v.clone()
        } else if let Some(r) = par.range {
            if r.steps == 0 || !r.from.is_finite() || !r.to.is_finite() {
                return Err(located(
                    file,
                    text,
                    here.key("range"),
                    "steps must be ≥ 1 and the ends finite".into(),
                ));
            }
            (0..r.steps)
                .map(|k| {
                    let f = if r.steps == 1 {
                        0.0
                    } else {
                        k as f64 / (r.steps - 1) as f64
                    };
                    toml::Value::Float(r.from + f * (r.to - r.from))
                })
                .collect()
        } else {
            if sf.sweep.design == Design::Grid {
                return Err(located(
                    file,
                    text,
                    here.key("uniform"),
                    "a distribution needs design = \"latin_hypercube\"; a grid takes values or range".into(),
                ));
            }
            Vec::new()
        };
        axes.push(axis);
    }
    match sf.sweep.design {
        Design::Grid => {
            let mut points: Vec<Vec<toml::Value>> = vec![Vec::new()];
            for axis in &axes {
                points = points
                    .into_iter()
                    .flat_map(|prefix| {
                        axis.iter().map(move |v| {
                            let mut p = prefix.clone();
                            p.push(v.clone());
                            p
                        })
                    })
                    .collect();
            }
            Ok(points)
        }
        Design::LatinHypercube => {
            let n = sf.sweep.samples.unwrap_or(0);
            if n == 0 {
                return Err(located(
                    file,
                    text,
                    FieldPath::default().key("sweep").key("samples"),
                    "a Latin hypercube needs samples = N (N ≥ 1)".into(),
                ));
            }
            // One stratified, shuffled column per parameter (McKay, Beckman & Conover 1979).
            let mut rng = rng::stream(seed, 0, Purpose::Design);
            let mut points = vec![Vec::new(); n as usize];
            for (i, par) in sf.parameters.iter().enumerate() {
                let mut strata: Vec<u32> = (0..n).collect();
                crate::world::shuffle(&mut strata, &mut rng);
                for (k, &s) in strata.iter().enumerate() {
                    let u = (s as f64 + rng.random::<f64>()) / n as f64;
                    let v = if let Some([lo, hi]) = par.uniform {
                        toml::Value::Float(lo + u * (hi - lo))
                    } else if let Some(r) = par.range {
                        toml::Value::Float(r.from + u * (r.to - r.from))
                    } else {
                        let vals = &axes[i];
                        vals[((u * vals.len() as f64) as usize).min(vals.len() - 1)].clone()
                    };
                    points[k].push(v);
                }
            }
            Ok(points)
        }
    }
}

/// Integers stay integers: a float written where the base has an integer is rounded.
fn coerce(existing: Option<&toml::Value>, v: toml::Value) -> toml::Value {
    match (existing, v) {
        (Some(toml::Value::Integer(_)), toml::Value::Float(f)) => {
            toml::Value::Integer(f.round() as i64)
        }
        (_, v) => v,
    }
}

fn get_path<'a>(root: &'a toml::Table, path: &str) -> Option<&'a toml::Value> {
    let mut cur: Option<&toml::Value> = None;
    let mut table = Some(root);
    let mut array: Option<&Vec<toml::Value>> = None;
    for seg in path.split('.') {
        cur = match (table, array) {
            (Some(t), _) => t.get(seg),
            (_, Some(a)) => match seg.parse::<usize>() {
                Ok(n) => a.get(n),
                Err(_) => a
                    .iter()
                    .find(|v| v.get("name").and_then(|n| n.as_str()) == Some(seg)),
            },
            _ => None,
        };
        table = None;
        array = None;
        match cur? {
            toml::Value::Table(t) => table = Some(t),
            toml::Value::Array(a) => array = Some(a),
            _ => {}
        }
    }
    cur
}

/// Read a sweep file, build every point and validate it. Nothing runs and nothing is written.
pub fn load(file: &Path) -> Result<Sweep, Error> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        Error::Usage(format!(
            "{}: cannot read the sweep file: {e}",
            file.display()
        ))
    })?;
    let base_of = |sf: &SweepFile| file.parent().unwrap_or(Path::new(".")).join(&sf.sweep.base);
    load_text(file, &text, &base_of)
}

/// Rebuild a sweep from the copies a shard saved in `dir/parts/` (used by merge).
pub fn load_saved(dir: &Path) -> Result<Sweep, Error> {
    let parts = dir.join("parts");
    let file = parts.join("sweep.toml");
    let text = std::fs::read_to_string(&file).map_err(|e| {
        Error::Failed(format!(
            "{}: {e}; is {} a sweep's output folder?",
            file.display(),
            dir.display()
        ))
    })?;
    load_text(&file, &text, &|_| parts.join("base.toml"))
}

fn load_text(
    file: &Path,
    text: &str,
    base_of: &dyn Fn(&SweepFile) -> PathBuf,
) -> Result<Sweep, Error> {
    let text = text.to_string();
    let sf: SweepFile = toml::from_str(&text).map_err(|e| {
        let (line, col) = e.span().map_or((1, 1), |s| line_col(&text, s.start));
        Error::Usage(format!(
            "{}:{line}:{col}: {}",
            file.display(),
            e.message().trim()
        ))
    })?;
    let meta_path = FieldPath::default().key("sweep");
    let name_ok = !sf.sweep.name.is_empty()
        && sf
            .sweep
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !name_ok {
        return Err(located(
            file,
            &text,
            meta_path.key("name"),
            "use letters, digits, '-' and '_' only".into(),
        ));
    }
    if sf.sweep.replications == 0 {
        return Err(located(
            file,
            &text,
            meta_path.key("replications"),
            "use 1 or more".into(),
        ));
    }
    if !summary_names().contains(&sf.sweep.metric) {
        return Err(located(
            file,
            &text,
            meta_path.key("metric"),
            format!(
                "unknown summary column \"{}\"; use final_<metric> or mean_<metric>, e.g. mean_stability, final_mean_trust",
                sf.sweep.metric
            ),
        ));
    }
    let base_path = base_of(&sf);
    let base = scenario::load(&base_path).map_err(|e| {
        located(
            file,
            &text,
            meta_path.key("base"),
            format!("the base scenario does not load:\n{e}"),
        )
    })?;
    let base_table: toml::Table = toml::from_str(&base.text)
        .map_err(|e| Error::Usage(format!("{}: {e}", base_path.display())))?;
    let seed = sf.sweep.seed.unwrap_or(base.scenario.seed);
    let points = design_points(file, &text, &sf, seed)?;
    let mut scenarios = Vec::with_capacity(points.len());
    let mut point_values = Vec::with_capacity(points.len());
    for (k, values) in points.into_iter().enumerate() {
        let mut table = base_table.clone();
        let mut written = Vec::new();
        for (i, (par, v)) in sf.parameters.iter().zip(values).enumerate() {
            let v = coerce(get_path(&base_table, &par.path), v);
            set_path(&mut table, &par.path, v.clone()).map_err(|m| {
                located(
                    file,
                    &text,
                    FieldPath::default().key("parameters").index(i).key("path"),
                    m,
                )
            })?;
            written.push(v);
        }
        let scenario_text = toml::to_string(&table).map_err(|e| Error::Usage(e.to_string()))?;
        let mut s = scenario::parse_str(&scenario_text, &base_path).map_err(|e| {
            let settings: Vec<String> = sf
                .parameters
                .iter()
                .zip(&written)
                .map(|(p, v)| format!("{} = {v}", p.path))
                .collect();
            let problem = match e {
                ScenarioError::Invalid { problems, .. } => problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            };
            located(
                file,
                &text,
                FieldPath::default().key("parameters"),
                format!(
                    "point {k} ({}) makes an invalid scenario: {problem}",
                    settings.join(", ")
                ),
            )
        })?;
        s.seed = seed;
        if let Some(t) = sf.sweep.ticks {
            s.ticks = t;
        }
        scenarios.push(Arc::new(s));
        point_values.push(written);
    }
    let hash = sha256_hex(format!("{}\u{0}{}", text, base.text).as_bytes());
    Ok(Sweep {
        text: text.clone(),
        base_text: base.text.clone(),
        parameter_paths: sf.parameters.iter().map(|p| p.path.clone()).collect(),
        meta: sf.sweep,
        point_values,
        scenarios,
        seed,
        hash,
        base_sha256: sha256_hex(base.text.as_bytes()),
    })
}

/// Which part of the runs this process does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parse `I/N`.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("--shard {s}: write it as I/N, e.g. 0/4"))?;
        let (index, count) = (
            i.trim()
                .parse::<u32>()
                .map_err(|_| format!("--shard {s}: I must be a whole number"))?,
            n.trim()
                .parse::<u32>()
                .map_err(|_| format!("--shard {s}: N must be a whole number"))?,
        );
        if count == 0 || index >= count {
            return Err(format!("--shard {s}: need 0 ≤ I < N"));
        }
        Ok(Shard { index, count })
    }

    /// From Slurm's job-array variables, when they are set.
    pub fn from_slurm(env: impl Fn(&str) -> Option<String>) -> Result<Option<Shard>, String> {
        let Some(id) = env("SLURM_ARRAY_TASK_ID") else {
            return Ok(None);
        };
        let num = |k: &str| -> Result<Option<u32>, String> {
            env(k)
                .map(|v| {
                    v.trim()
                        .parse::<u32>()
                        .map_err(|_| format!("{k}={v} is not a whole number"))
                })
                .transpose()
        };
        let id = id
            .trim()
            .parse::<u32>()
            .map_err(|_| format!("SLURM_ARRAY_TASK_ID={id} is not a whole number"))?;
        let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        let count = match (num("SLURM_ARRAY_TASK_COUNT")?, num("SLURM_ARRAY_TASK_MAX")?) {
            (Some(c), _) => c,
            (None, Some(max)) => max.saturating_sub(min) + 1,
            (None, None) => return Err("SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX".into()),
        };
        let index = id
            .checked_sub(min)
            .ok_or("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN")?;
        if count == 0 || index >= count {
            return Err(format!(
                "Slurm array task {id} is outside {min}..{min}+{count}"
            ));
        }
        Ok(Some(Shard { index, count }))
    }

    pub fn owns(&self, k: u64) -> bool {
        k % self.count as u64 == self.index as u64
    }
    fn stem(&self) -> String {
        format!("{}-of-{}", self.index, self.count)
    }
}

/// 64-bit FNV-1a (Fowler–Noll–Vo) of `bytes`: the journal's per-line checksum.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Header of the run rows: identity, parameters, summary columns.
fn run_header(sweep: &Sweep) -> Vec<String> {
    let mut h: Vec<String> = ["run_id", "point", "replication", "run_index", "seed"]
        .map(String::from)
        .to_vec();
    h.extend(sweep.parameter_paths.iter().cloned());
    h.extend(summary_names());
    h
}

fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The CSV fields of run `k` (without newline): values printed in Rust's shortest round-trip form.
fn run_fields(sweep: &Sweep, k: u64, summary: &[f64]) -> Vec<String> {
    let (p, r) = sweep.split(k);
    let mut f = vec![
        format!("p{p:05}-r{r:04}"),
        p.to_string(),
        r.to_string(),
        run_index(p, r, sweep.meta.crn).to_string(),
        sweep.seed.to_string(),
    ];
    f.extend(sweep.point_values[p as usize].iter().map(value_text));
    f.extend(summary.iter().map(|v| v.to_string()));
    f
}

fn csv_line(fields: &[String]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(fields).expect("in-memory CSV write");
    String::from_utf8(w.into_inner().expect("in-memory CSV flush")).expect("UTF-8 fields")
}

fn parse_csv_line(line: &str) -> Option<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    let rec = r.records().next()?.ok()?;
    Some(rec.iter().map(String::from).collect())
}

/// Journal lines: `<csv fields>,<fnv1a hex of those fields' text>`.
fn journal_line(fields: &[String]) -> String {
    let body = csv_line(fields);
    let body = body.trim_end_matches('\n');
    format!("{body},{:016x}\n", fnv1a(body.as_bytes()))
}

/// Intact journal entries by run index; torn or foreign lines are dropped.
fn read_journal(
    path: &Path,
    sweep: &Sweep,
    shard: Shard,
    width: usize,
) -> Result<BTreeMap<u64, Vec<String>>, Error> {
    let mut done = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(done);
    };
    let mut lines = text.split_inclusive('\n');
    let expected = format!("# peacesim sweep {} shard {}\n", sweep.hash, shard.stem());
    match lines.next() {
        None => return Ok(done),
        Some(h) if h == expected => {}
        Some(_) => {
            return Err(Error::Usage(format!(
                "{} belongs to another sweep (its file or base scenario changed); \
                 delete it to start over, or use another --out",
                path.display()
            )));
        }
    }
    for line in lines {
        let Some(body) = line.strip_suffix('\n') else {
            break;
        }; // torn last line
        let Some((fields, sum)) = body.rsplit_once(',') else {
            continue;
        };
        if format!("{:016x}", fnv1a(fields.as_bytes())) != sum {
            continue;
        }
        let Some(f) = parse_csv_line(fields) else {
            continue;
        };
        let Ok(k) = f.get(1).zip(f.get(2)).map_or(Err(()), |(p, r)| {
            let (p, r) = (
                p.parse::<u64>().map_err(|_| ())?,
                r.parse::<u64>().map_err(|_| ())?,
            );
            Ok(p * sweep.meta.replications as u64 + r)
        }) else {
            continue;
        };
        if f.len() == width && k < sweep.runs() && shard.owns(k) {
            done.insert(k, f);
        }
    }
    Ok(done)
}

/// Options of one sweep invocation.
pub struct SweepOptions {
    pub out: PathBuf,
    pub threads: usize,
    pub shard: Shard,
    pub quiet: bool,
}

/// What a shard's part records about itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartInfo {
    pub sweep: String,
    pub sweep_sha256: String,
    pub shard: u32,
    pub shards: u32,
    pub runs_total: u64,
    pub runs_in_part: u64,
}

/// Run this shard's unfinished runs; when the shard is complete write its part, and when the
/// sweep is not sharded, the final outputs. Returns the files written last.
pub fn run(sweep: &Sweep, opts: &SweepOptions) -> Result<Vec<PathBuf>, Error> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Report(ReportError::Io { path, source })
    };
    let parts = opts.out.join("parts");
    std::fs::create_dir_all(&parts).map_err(io(&parts))?;
    write_atomic(&parts.join("sweep.toml"), sweep.text.as_bytes())?;
    write_atomic(&parts.join("base.toml"), sweep.base_text.as_bytes())?;
    let header = run_header(sweep);
    let journal_path = parts.join(format!("shard-{}.journal", opts.shard.stem()));
    let mut done = read_journal(&journal_path, sweep, opts.shard, header.len())?;
    // Rewrite the journal with only intact lines, so appends follow a clean line.
    let mut clean = format!(
        "# peacesim sweep {} shard {}\n",
        sweep.hash,
        opts.shard.stem()
    );
    for f in done.values() {
        clean.push_str(&journal_line(f));
    }
    write_atomic(&journal_path, clean.as_bytes())?;
    let todo: Vec<u64> = (0..sweep.runs())
        .filter(|&k| opts.shard.owns(k) && !done.contains_key(&k))
        .collect();
    if !done.is_empty() && !opts.quiet {
        eprintln!(
            "{}: resuming; {} runs already recorded, {} to do",
            sweep.meta.name,
            done.len(),
            todo.len()
        );
    }
    let journal = Mutex::new(
        std::fs::OpenOptions::new()
            .append(true)
            .open(&journal_path)
            .map_err(io(&journal_path))?,
    );
    let progress = Progress::new(&sweep.meta.name, todo.len() as u64, opts.quiet);
    let workers = pool(opts.threads).map_err(Error::Usage)?;
    let failed: Mutex<Option<std::io::Error>> = Mutex::new(None);
    workers.install(|| {
        todo.par_iter().for_each(|&k| {
            let (p, r) = sweep.split(k);
            let out = run_one(
                &sweep.scenarios[p as usize],
                run_index(p, r, sweep.meta.crn),
            );
            // Only the summary is kept: memory does not grow with the number of runs.
            let line = journal_line(&run_fields(sweep, k, &summarize_run(&out)));
            let mut j = journal.lock().unwrap_or_else(|e| e.into_inner());
            if let Err(e) = j.write_all(line.as_bytes()).and_then(|_| j.flush()) {
                failed
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert(e);
            }
            progress.tick();
        })
    });
    progress.finish();
    if let Some(e) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(Error::Report(ReportError::Io {
            path: journal_path,
            source: e,
        }));
    }
    journal
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .sync_all()
        .map_err(io(&journal_path))?;
    done = read_journal(&journal_path, sweep, opts.shard, header.len())?;

    // The part: this shard's rows in run order, and what it is.
    let rows: Vec<Vec<String>> = done.into_values().collect();
    let mut csv = csv_line(&header);
    for f in &rows {
        csv.push_str(&csv_line(f));
    }
    let part_csv = parts.join(format!("part-{}.csv", opts.shard.stem()));
    write_atomic(&part_csv, csv.as_bytes())?;
    let info = PartInfo {
        sweep: sweep.meta.name.clone(),
        sweep_sha256: sweep.hash.clone(),
        shard: opts.shard.index,
        shards: opts.shard.count,
        runs_total: sweep.runs(),
        runs_in_part: rows.len() as u64,
    };
    let part_json = parts.join(format!("part-{}.json", opts.shard.stem()));
    write_atomic(
        &part_json,
        &serde_json::to_vec_pretty(&info).expect("part info serializes"),
    )?;
    if opts.shard.count == 1 {
        finalize(sweep, &opts.out, rows)
    } else {
        Ok(vec![part_csv, part_json])
    }
}

/// Join the parts under `dir` into the final outputs, refusing incomplete or overlapping sets.
pub fn merge(sweep: &Sweep, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let parts = dir.join("parts");
    let mut infos = Vec::new();
    let entries = std::fs::read_dir(&parts).map_err(|e| {
        Error::Failed(format!(
            "{}: cannot read the parts folder: {e}",
            parts.display()
        ))
    })?;
    let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    for path in names {
        let is_part = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("part-") && n.ends_with(".json"));
        if !is_part {
            continue;
        }
        let info: PartInfo = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                Error::Failed(format!(
                    "{}: not a readable part description",
                    path.display()
                ))
            })?;
        if info.sweep_sha256 != sweep.hash {
            return Err(Error::Failed(format!(
                "{} comes from a different sweep (hash {}…, expected {}…): the sweep file or its base \
                 scenario changed since it ran; re-run that shard",
                path.display(),
                &info.sweep_sha256[..12],
                &sweep.hash[..12]
            )));
        }
        infos.push((path, info));
    }
    if infos.is_empty() {
        return Err(Error::Failed(format!(
            "{}: no parts to merge",
            parts.display()
        )));
    }
    let header = run_header(sweep);
    let mut rows: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    let mut duplicated = BTreeSet::new();
    for (path, _) in &infos {
        let csv_path = path.with_extension("csv");
        let text = std::fs::read_to_string(&csv_path)
            .map_err(|e| Error::Failed(format!("{}: {e}", csv_path.display())))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        for rec in reader.records() {
            let rec = rec.map_err(|e| Error::Failed(format!("{}: {e}", csv_path.display())))?;
            let f: Vec<String> = rec.iter().map(String::from).collect();
            let (Some(p), Some(r)) = (
                f.get(1).and_then(|x| x.parse::<u64>().ok()),
                f.get(2).and_then(|x| x.parse::<u64>().ok()),
            ) else {
                return Err(Error::Failed(format!(
                    "{}: a row without point and replication",
                    csv_path.display()
                )));
            };
            if f.len() != header.len() {
                return Err(Error::Failed(format!(
                    "{}: a row with {} fields, expected {}",
                    csv_path.display(),
                    f.len(),
                    header.len()
                )));
            }
            let k = p * sweep.meta.replications as u64 + r;
            if rows.insert(k, f).is_some() {
                duplicated.insert(k);
            }
        }
    }
    let id = |k: u64| {
        let (p, r) = sweep.split(k);
        format!("p{p:05}-r{r:04}")
    };
    let missing: Vec<u64> = (0..sweep.runs())
        .filter(|k| !rows.contains_key(k))
        .collect();
    if !missing.is_empty() || !duplicated.is_empty() {
        let list = |ks: &mut dyn Iterator<Item = u64>| {
            let v: Vec<String> = ks.map(id).collect();
            if v.len() > 40 {
                format!("{} … ({} in all)", v[..40].join(", "), v.len())
            } else {
                v.join(", ")
            }
        };
        let mut msg = String::from("refusing to merge:");
        if !missing.is_empty() {
            let _ = write!(
                msg,
                "\n  {} runs missing: {}",
                missing.len(),
                list(&mut missing.iter().copied())
            );
            let shards: BTreeSet<u32> = infos.iter().map(|(_, i)| i.shards).collect();
            if let Some(&n) = shards.iter().next() {
                let have: BTreeSet<u32> = infos.iter().map(|(_, i)| i.shard).collect();
                let absent: Vec<String> = (0..n)
                    .filter(|s| !have.contains(s))
                    .map(|s| format!("{s}/{n}"))
                    .collect();
                if !absent.is_empty() {
                    let _ = write!(msg, "\n  shards without a part: {}", absent.join(", "));
                }
            }
        }
        if !duplicated.is_empty() {
            let _ = write!(
                msg,
                "\n  {} runs in more than one part: {}",
                duplicated.len(),
                list(&mut duplicated.iter().copied())
            );
        }
        return Err(Error::Failed(msg));
    }
    finalize(sweep, dir, rows.into_values().collect())
}

/// The final outputs from every run's row, in run order: `runs.csv`, `points.csv`, a chart
/// (heatmap for two parameters, line with CI band for one) and `manifest.json`.
pub fn finalize(sweep: &Sweep, dir: &Path, rows: Vec<Vec<String>>) -> Result<Vec<PathBuf>, Error> {
    let header = run_header(sweep);
    let mut runs_csv = csv_line(&header);
    for f in &rows {
        runs_csv.push_str(&csv_line(f));
    }
    let first_summary = 5 + sweep.parameter_paths.len();
    let names = summary_names();
    let mut files: Vec<(String, Vec<u8>)> = vec![("runs.csv".into(), runs_csv.into_bytes())];

    // Per point: mean and 95 % interval of every summary column over replications.
    let mut per_point: Vec<Vec<Vec<f64>>> =
        vec![vec![Vec::new(); names.len()]; sweep.scenarios.len()];
    for f in &rows {
        let p: usize = f[1].parse().expect("validated row");
        for (m, v) in f[first_summary..].iter().enumerate() {
            per_point[p][m].push(v.parse::<f64>().unwrap_or(f64::NAN));
        }
    }
    let mut header = vec!["point".to_string()];
    header.extend(sweep.parameter_paths.iter().cloned());
    header.push("replications".into());
    for n in &names {
        header.extend([n.to_string(), format!("{n}_ci_low"), format!("{n}_ci_high")]);
    }
    let mut points_csv = csv_line(&header);
    let mut estimates = Vec::new();
    for (p, cols) in per_point.iter().enumerate() {
        let mut f = vec![p.to_string()];
        f.extend(sweep.point_values[p].iter().map(value_text));
        f.push(cols[0].len().to_string());
        let mut row = Vec::new();
        for xs in cols {
            let e = mean_ci(xs);
            f.extend([e.mean.to_string(), e.low.to_string(), e.high.to_string()]);
            row.push(e);
        }
        points_csv.push_str(&csv_line(&f));
        estimates.push(row);
    }
    files.push(("points.csv".into(), points_csv.into_bytes()));

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
        let title = format!(
            "{}: {} ({} replications per point)",
            sweep.meta.name, sweep.meta.metric, sweep.meta.replications
        );
        let hm = crate::report::charts::Heatmap {
            title: &title,
            x_label: &sweep.parameter_paths[0],
            y_label: &sweep.parameter_paths[1],
            xs: &xs,
            ys: &ys,
            values: &values,
        };
        files.extend(crate::report::charts::heatmap_both("heatmap", &hm, dir)?);
    } else if sweep.meta.design == Design::LatinHypercube || sweep.parameter_paths.len() > 2 {
        // One scatter per numeric parameter: each point's mean of the metric against it.
        let lo = estimates
            .iter()
            .map(|e| e[m].mean)
            .fold(f64::INFINITY, f64::min)
            .min(0.0);
        let hi = estimates
            .iter()
            .map(|e| e[m].mean)
            .fold(f64::NEG_INFINITY, f64::max)
            .max(1.0);
        for (i, path) in sweep.parameter_paths.iter().enumerate() {
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
                title: format!("{}: {} by {}", sweep.meta.name, sweep.meta.metric, path),
                x_label: path.clone(),
                y_label: format!("{} (mean over replications)", sweep.meta.metric),
                y_range: lo..hi,
                series: vec![Series {
                    markers: true,
                    ..Series::line(format!("{} points", pts.len()), pts, PALETTE[0])
                }],
            };
            files.extend(render_both(&format!("scatter_{i}"), &chart, dir)?);
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
            let lo = pts
                .iter()
                .map(|p| p.1.low)
                .fold(f64::INFINITY, f64::min)
                .min(0.0);
            let hi = pts
                .iter()
                .map(|p| p.1.high)
                .fold(f64::NEG_INFINITY, f64::max)
                .max(1.0);
            let chart = LineChart {
                title: format!(
                    "{}: {} by {}",
                    sweep.meta.name, sweep.meta.metric, sweep.parameter_paths[0]
                ),
                x_label: sweep.parameter_paths[0].clone(),
                y_label: format!("{} (mean, 95% CI)", sweep.meta.metric),
                y_range: lo..hi,
                series: vec![Series {
                    band: pts.iter().map(|(x, e)| (*x, e.low, e.high)).collect(),
                    ..Series::line(
                        sweep.meta.metric.clone(),
                        pts.iter().map(|(x, e)| (*x, e.mean)).collect(),
                        PALETTE[0],
                    )
                }],
            };
            files.extend(render_both("line", &chart, dir)?);
        }
    }

    let manifest = serde_json::json!({
        "peacesim_version": env!("CARGO_PKG_VERSION"),
        "kind": "sweep",
        "sweep": sweep.meta.name,
        "sweep_sha256": sweep.hash,
        "base_scenario_sha256": sweep.base_sha256,
        "seed": sweep.seed,
        "design": sweep.meta.design,
        "points": sweep.scenarios.len(),
        "replications": sweep.meta.replications,
        "runs": sweep.runs(),
        "common_random_numbers": sweep.meta.crn,
        "run_index": if sweep.meta.crn { "replication" } else { "(point << 32) | replication" },
        "parameters": sweep.parameter_paths,
        "files": files.iter().map(|(n, b)| (n.clone(), sha256_hex(b))).collect::<BTreeMap<_, _>>(),
    });
    let mut json = serde_json::to_vec_pretty(&manifest).expect("manifest serializes");
    json.push(b'\n');
    files.push(("manifest.json".into(), json));
    let mut written = Vec::new();
    for (name, bytes) in &files {
        let path = dir.join(name);
        write_atomic(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_path_by_name_and_index() {
        let mut t: toml::Table = toml::from_str(
            "[[partners]]\nname = \"a\"\nsupply = 1\n[[partners]]\nname = \"b\"\nsupply = 2\n[[units]]\ncount = 3\n",
        )
        .unwrap();
        set_path(&mut t, "partners.b.supply", toml::Value::Integer(9)).unwrap();
        set_path(&mut t, "units.0.count", toml::Value::Integer(7)).unwrap();
        set_path(&mut t, "trust.aid_gain", toml::Value::Float(0.5)).unwrap();
        assert_eq!(
            get_path(&t, "partners.b.supply"),
            Some(&toml::Value::Integer(9))
        );
        assert_eq!(
            get_path(&t, "units.0.count"),
            Some(&toml::Value::Integer(7))
        );
        assert_eq!(
            get_path(&t, "trust.aid_gain"),
            Some(&toml::Value::Float(0.5))
        );
        let err = set_path(&mut t, "partners.c.supply", toml::Value::Integer(1)).unwrap_err();
        assert!(err.contains("\"a\", \"b\""), "{err}");
        assert!(set_path(&mut t, "units.4.count", toml::Value::Integer(1)).is_err());
    }

    #[test]
    fn shards_cover_every_run_once() {
        let shards: Vec<Shard> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        for k in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.owns(k)).count(), 1);
        }
        assert_eq!(Shard::parse("2/5"), Ok(Shard { index: 2, count: 5 }));
        assert!(Shard::parse("5/5").is_err());
    }

    #[test]
    fn slurm_variables_select_a_shard() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let s = Shard::from_slurm(env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]))
        .unwrap();
        assert_eq!(s, Some(Shard { index: 3, count: 4 }));
        let s = Shard::from_slurm(env(&[
            ("SLURM_ARRAY_TASK_ID", "11"),
            ("SLURM_ARRAY_TASK_MIN", "10"),
            ("SLURM_ARRAY_TASK_MAX", "13"),
        ]))
        .unwrap();
        assert_eq!(s, Some(Shard { index: 1, count: 4 }));
        assert_eq!(Shard::from_slurm(env(&[])).unwrap(), None);
    }

    #[test]
    fn fnv_detects_changes() {
        assert_ne!(fnv1a(b"p00001,0.5"), fnv1a(b"p00001,0.6"));
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    }
}
