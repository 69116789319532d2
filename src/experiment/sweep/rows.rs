//! The rows a sweep writes, as typed structs: [`RunRow`] (one finished run: `runs.csv`, the
//! journal, the parts) and [`PointRow`] (one point's means and intervals: `points.csv`). The
//! columns that repeat what the sweep already knows (run id, run index, seed, parameter values)
//! are derived from the sweep when writing and checked against it when reading back.

use super::plan::Sweep;
use crate::experiment::replication::{run_index, summary_names};
use crate::report::Record;
use crate::stats::Estimate;

/// One finished run: which run it is, and its summary (final and whole-run mean of every
/// metric, in [`summary_names`] order).
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    pub point: u32,
    pub replication: u32,
    pub summary: Vec<f64>,
}

/// The identity columns before the parameters and the summary.
const IDENTITY: [&str; 5] = ["run_id", "point", "replication", "run_index", "seed"];

/// A parameter value as written in a CSV field (strings without TOML quotes).
pub fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl RunRow {
    /// `pPPPPP-rRRRR`.
    pub fn run_id(&self) -> String {
        run_id(self.point, self.replication)
    }

    /// Read a row back from its CSV fields, checking every column against the sweep: the
    /// message names the column and what was expected.
    pub fn parse<S: AsRef<str>>(sweep: &Sweep, fields: &[S]) -> Result<RunRow, String> {
        let header = RunRow::header(sweep);
        if fields.len() != header.len() {
            return Err(format!(
                "{} fields, expected {} ({} …)",
                fields.len(),
                header.len(),
                header[..IDENTITY.len()].join(",")
            ));
        }
        let field = |i: usize| fields[i].as_ref();
        let whole = |i: usize, below: u64| -> Result<u32, String> {
            match field(i).parse::<u32>() {
                Ok(v) if (v as u64) < below => Ok(v),
                _ => Err(format!(
                    "column {}: \"{}\" is not a whole number below {below}",
                    header[i],
                    field(i)
                )),
            }
        };
        let point = whole(1, sweep.scenarios.len() as u64)?;
        let replication = whole(2, sweep.meta.replications as u64)?;
        let row = RunRow {
            point,
            replication,
            summary: Vec::new(),
        };
        let expected = row.fields(sweep);
        for i in [0, 3, 4]
            .into_iter()
            .chain(IDENTITY.len()..IDENTITY.len() + sweep.parameter_paths.len())
        {
            if field(i) != expected[i] {
                return Err(format!(
                    "column {}: \"{}\", but run {} of this sweep has \"{}\"",
                    header[i],
                    field(i).escape_debug(),
                    row.run_id(),
                    expected[i].escape_debug()
                ));
            }
        }
        let first = IDENTITY.len() + sweep.parameter_paths.len();
        let summary = (first..fields.len())
            .map(|i| {
                field(i).parse::<f64>().map_err(|_| {
                    format!(
                        "column {}: \"{}\" is not a number",
                        header[i],
                        field(i).escape_debug()
                    )
                })
            })
            .collect::<Result<Vec<f64>, String>>()?;
        Ok(RunRow { summary, ..row })
    }
}

/// Every row of a `runs.csv` (or a part) of `sweep`, with its line number, in file order. The
/// message names the line and the column.
pub fn read_runs(sweep: &Sweep, bytes: &[u8]) -> Result<Vec<(u64, RunRow)>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let found: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(String::from)
        .collect();
    if found != RunRow::header(sweep) {
        return Err("its header is not this sweep's run columns".into());
    }
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        let fields: Vec<&str> = rec.iter().collect();
        let row = RunRow::parse(sweep, &fields)
            .map_err(|m| format!("row {} (line {line}): {m}", i + 1))?;
        rows.push((line, row));
    }
    Ok(rows)
}

/// `pPPPPP-rRRRR`: a run's id in messages and in `runs.csv`.
pub fn run_id(point: u32, replication: u32) -> String {
    format!("p{point:05}-r{replication:04}")
}

impl Record for RunRow {
    type Schema = Sweep;
    fn header(sweep: &Sweep) -> Vec<String> {
        let mut h: Vec<String> = IDENTITY.map(String::from).to_vec();
        h.extend(sweep.parameter_paths.iter().cloned());
        h.extend(summary_names());
        h
    }
    /// Values printed in Rust's shortest round-trip form.
    fn fields(&self, sweep: &Sweep) -> Vec<String> {
        let (p, r) = (self.point, self.replication);
        let mut f = vec![
            self.run_id(),
            p.to_string(),
            r.to_string(),
            run_index(p, r, sweep.meta.crn).to_string(),
            sweep.seed.to_string(),
        ];
        f.extend(sweep.point_values[p as usize].iter().map(value_text));
        f.extend(self.summary.iter().map(|v| v.to_string()));
        f
    }
}

/// One point's mean and 95 % interval of every summary column over its replications.
pub struct PointRow {
    pub point: usize,
    pub replications: usize,
    /// In [`summary_names`] order.
    pub estimates: Vec<Estimate>,
}

impl Record for PointRow {
    type Schema = Sweep;
    fn header(sweep: &Sweep) -> Vec<String> {
        let mut h = vec!["point".to_string()];
        h.extend(sweep.parameter_paths.iter().cloned());
        h.push("replications".into());
        for n in summary_names() {
            let (low, high) = (format!("{n}_ci_low"), format!("{n}_ci_high"));
            h.extend([n, low, high]);
        }
        h
    }
    fn fields(&self, sweep: &Sweep) -> Vec<String> {
        let mut f = vec![self.point.to_string()];
        f.extend(sweep.point_values[self.point].iter().map(value_text));
        f.push(self.replications.to_string());
        for e in &self.estimates {
            f.extend([e.mean.to_string(), e.low.to_string(), e.high.to_string()]);
        }
        f
    }
}
