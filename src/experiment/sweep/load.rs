//! Loading a sweep: parse the file, check `[sweep]`, load the base scenario, build every point
//! of the design and validate it as a scenario. Nothing runs and nothing is written.

use super::design::design_points;
use super::file::{SweepFile, limits, located};
use super::plan::Sweep;
use super::toml_path::{coerce, get_path, set_path};
use crate::experiment::error::ExperimentError as Error;
use crate::experiment::replication::summary_names;
use crate::report::sha256_hex;
use crate::scenario::{self, FieldPath, ScenarioError, line_col};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Read a sweep file, build every point and validate it.
pub fn load(file: &Path) -> Result<Sweep, Error> {
    let bytes = std::fs::read(file).map_err(|e| {
        Error::Usage(format!(
            "{}: cannot read the sweep file: {e}",
            file.display()
        ))
    })?;
    let text = crate::scenario::utf8_text(bytes).map_err(|(line, col, valid)| {
        Error::Usage(format!(
            "{}:{line}:{col}: byte {valid} is not UTF-8 text; save the sweep file as UTF-8",
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
    if let Some(line) = crate::scenario::top_level_table_line(&text, "scenario") {
        return Err(Error::Usage(format!(
            "{}:{line}:1: this is a scenario file (it has a [scenario] table), not a sweep: run \
             it with `peacesim run FILE`, or write a sweep file whose `base` names it (see \
             scenarios/sweeps/patrols-aid.toml)",
            file.display()
        )));
    }
    // Every unknown field and wrong-typed value at once, each at its line and column.
    let (sf, problems) =
        crate::scenario::schema::deserialize_all::<SweepFile>(&text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(&text, s.start));
            Error::Usage(format!(
                "{}:{line}:{col}: {}",
                file.display(),
                e.message().trim()
            ))
        })?;
    let sf = match sf {
        Some(sf) if problems.is_empty() => sf,
        _ => {
            let mut found: Vec<(usize, usize, String)> = problems
                .iter()
                .map(|p| {
                    let (line, col) = line_col(&text, p.span.start);
                    let field = crate::scenario::path_at(&text, p.span.start)
                        .map(|f| format!("{f}: "))
                        .unwrap_or_default();
                    (line, col, format!("{field}{}", p.message))
                })
                .collect();
            found.sort();
            let lines: Vec<String> = found
                .iter()
                .map(|(line, col, m)| format!("{}:{line}:{col}: {m}", file.display()))
                .collect();
            return Err(Error::Usage(format!(
                "{} in the sweep file:\n{}",
                crate::report::counted(lines.len() as u64, "problem"),
                lines.join("\n")
            )));
        }
    };
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
    if sf.sweep.replications == 0 || sf.sweep.replications > limits::MAX_REPLICATIONS {
        return Err(located(
            file,
            &text,
            meta_path.key("replications"),
            format!(
                "{} replications; use 1 to {}",
                sf.sweep.replications,
                limits::MAX_REPLICATIONS
            ),
        ));
    }
    if let Some(t) = sf.sweep.ticks
        && (t == 0 || t > limits::MAX_TICKS)
    {
        return Err(located(
            file,
            &text,
            meta_path.key("ticks"),
            format!(
                "{t} ticks; use 1 to {} (as in a scenario), or leave it out to keep the base scenario's",
                limits::MAX_TICKS
            ),
        ));
    }
    for (i, par) in sf.parameters.iter().enumerate() {
        if let Some(l) = &par.label
            && (l.trim().is_empty() || l.chars().count() > 80 || l.contains(['\n', '\r']))
        {
            return Err(located(
                file,
                &text,
                FieldPath::default().key("parameters").index(i).key("label"),
                "a label is one line of 1 to 80 characters (it titles a chart axis)".into(),
            ));
        }
    }
    if !summary_names().contains(&sf.sweep.metric) {
        return Err(located(
            file,
            &text,
            meta_path.key("metric"),
            match renamed_metric(&sf.sweep.metric) {
                Some(now) => format!(
                    "\"{}\" was renamed: use \"{now}\" (readable column names)",
                    sf.sweep.metric
                ),
                None => format!(
                    "unknown summary column \"{}\"; use final_<metric> or mean_<metric>, e.g. \
                     mean_stability, final_trust",
                    sf.sweep.metric
                ),
            },
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
    check_parameters(file, &text, &sf, &base_table)?;
    let points = design_points(file, &text, &sf, seed)?;
    // Memory: every point's scenario is built before the first run, and every run's summary
    // row is held until the final statistics.
    let runs = points.len() as u64 * sf.sweep.replications as u64;
    let estimate = points.len() as u64 * (base.text.len() as u64 * 4 + limits::BYTES_PER_POINT)
        + runs * limits::BYTES_PER_RUN;
    if estimate > limits::MEMORY_BUDGET {
        return Err(located(
            file,
            &text,
            meta_path.key("replications"),
            format!(
                "{} points × {} replications = {runs} runs would need about {} MiB of memory \
                 (budget {} MiB); use fewer replications or points, or split the sweep into \
                 several sweep files",
                points.len(),
                sf.sweep.replications,
                estimate >> 20,
                limits::MEMORY_BUDGET >> 20
            ),
        ));
    }
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
            // The sweep's own ticks, checked as `run --ticks` checks its override.
            crate::scenario::limits::check_ticks(&s, t as u64).map_err(|m| {
                located(
                    file,
                    &text,
                    FieldPath::default().key("sweep").key("ticks"),
                    format!("{t} ticks: {m}"),
                )
            })?;
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
        parameter_labels: sf
            .parameters
            .iter()
            .map(|p| match &p.label {
                Some(l) => format!("{} ({})", l.trim(), p.path),
                None => p.path.clone(),
            })
            .collect(),
        listed_values: sf
            .parameters
            .iter()
            .map(|p| p.values.clone().unwrap_or_default())
            .collect(),
        meta: sf.sweep,
        point_values,
        scenarios,
        seed,
        hash,
        base_sha256: sha256_hex(base.text.as_bytes()),
    })
}

/// What a sweep's parameters cannot mean, refused before any run: a path set twice (the second
/// silently won while points.csv labelled the first), the seed or ticks of the base scenario
/// (the sweep sets both for every run: the parameter did nothing), and explicit values that
/// are not numbers (NaN ran as 0), repeat, or are fractions for a whole-number field (40.5
/// patrols ran as 41). Ranges and Latin-hypercube draws are rounded for whole-number fields,
/// as the sweep file's comments say.
fn check_parameters(
    file: &Path,
    text: &str,
    sf: &SweepFile,
    base: &toml::Table,
) -> Result<(), Error> {
    let at = |i: usize, key: &str| FieldPath::default().key("parameters").index(i).key(key);
    for (i, p) in sf.parameters.iter().enumerate() {
        if let Some(j) = sf.parameters[..i].iter().position(|q| q.path == p.path) {
            return Err(located(
                file,
                text,
                at(i, "path"),
                format!(
                    "\"{}\" is already swept by parameters[{j}]; sweep each path once (list all \
                     its values there)",
                    p.path
                ),
            ));
        }
        let own = match p.path.as_str() {
            "scenario.seed" => Some("seed = N in [sweep] (each run's seed follows from it)"),
            "scenario.ticks" => Some("ticks = N in [sweep]"),
            _ => None,
        };
        if let Some(fix) = own {
            return Err(located(
                file,
                text,
                at(i, "path"),
                format!(
                    "\"{}\" is set by the sweep itself for every run, so sweeping it changes \
                     nothing; use {fix}, or sweep another parameter",
                    p.path
                ),
            ));
        }
        let whole = matches!(get_path(base, &p.path), Some(toml::Value::Integer(_)));
        // A range whose values repeat (rounded to whole numbers, or from = to) would run the
        // same point several times, each with its own row and interval, as if they differed.
        // (Past the axis limit, the design refuses the steps themselves.)
        if let Some(r) = p.range.filter(|r| {
            r.steps > 1
                && u64::from(r.steps) <= limits::MAX_AXIS
                && r.from.is_finite()
                && r.to.is_finite()
        }) {
            // The values as each point will set them (`coerce`: rounded for a whole number).
            let existing = get_path(base, &p.path);
            let values: Vec<toml::Value> = super::design::range_values(&r)
                .into_iter()
                .map(|x| coerce(existing, toml::Value::Float(x)))
                .collect();
            if let Some(k) = (1..values.len()).find(|&k| values[..k].contains(&values[k])) {
                let list: Vec<String> = values.iter().map(|v| v.to_string()).collect();
                let distinct = if whole {
                    (r.to.round() - r.from.round()).abs() as u64 + 1
                } else {
                    1
                };
                let why = if whole {
                    format!(
                        " (\"{}\" is a whole number in the base scenario, so values are \
                         rounded)",
                        p.path
                    )
                } else {
                    String::new()
                };
                return Err(located(
                    file,
                    text,
                    at(i, "range"),
                    format!(
                        "{} steps from {} to {} give {}{why}: {} repeats, so points would repeat; \
                         use at most {}, or list the values",
                        r.steps,
                        r.from,
                        r.to,
                        list.join(", "),
                        values[k],
                        crate::report::counted(distinct, "step")
                    ),
                ));
            }
        }
        for (k, v) in p.values.iter().flatten().enumerate() {
            let problem = match v {
                toml::Value::Float(f) if !f.is_finite() => {
                    Some(format!("{f} is not a number; use finite numbers"))
                }
                toml::Value::Float(f) if whole && f.fract() != 0.0 => Some(format!(
                    "{f} for \"{}\", a whole number in the base scenario; use whole numbers",
                    p.path
                )),
                _ => None,
            }
            .or_else(|| {
                let values = p.values.as_deref().unwrap_or_default();
                // 40 and 40.0 are one value: the scenario reads both as the same number.
                let same = |a: &toml::Value| match (a, v) {
                    (toml::Value::Integer(i), toml::Value::Float(f))
                    | (toml::Value::Float(f), toml::Value::Integer(i)) => *i as f64 == *f,
                    _ => a == v,
                };
                values[..k].iter().find(|a| same(a)).map(|a| {
                    if a == v {
                        format!("{v} is listed twice; list each value once")
                    } else {
                        format!("{v} is listed twice (as {a} before); list each value once")
                    }
                })
            });
            if let Some(m) = problem {
                return Err(located(file, text, at(i, "values"), m));
            }
        }
    }
    Ok(())
}

/// The summary column an old name (before the readable names) is now called, if it is one.
fn renamed_metric(old: &str) -> Option<String> {
    const RENAMED: [(&str, &str); 6] = [
        ("mean_trust", "trust"),
        ("mean_hardship", "hardship"),
        ("mean_grievance", "grievance"),
        ("mean_commitment", "partner_commitment"),
        ("group_a", "living_first_group"),
        ("group_b", "living_second_group"),
    ];
    let (stat, metric) = old.split_once('_')?;
    RENAMED
        .iter()
        .find(|(was, _)| *was == metric)
        .map(|(_, now)| format!("{stat}_{now}"))
}
