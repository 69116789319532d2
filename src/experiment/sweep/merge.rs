//! `peacesim merge`: join the parts of a sharded sweep into the files an unsharded sweep
//! writes, refusing parts of another sweep, incomplete or overlapping sets, and rows that do not
//! belong to the sweep.

use super::finalize::finalize;
use super::plan::Sweep;
use super::rows::{RunRow, read_runs, run_id};
use crate::experiment::error::ExperimentError as Error;
use crate::report::folder::remove_stale_temporaries;
use crate::report::{Hold, lock_folder, sha256_hex};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What a shard's part records about itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartInfo {
    pub sweep: String,
    pub sweep_sha256: String,
    pub shard: u32,
    pub shards: u32,
    pub runs_total: u64,
    pub runs_in_part: u64,
    /// SHA-256 of the part's CSV: merge refuses a part whose CSV does not match it.
    #[serde(default)]
    pub csv_sha256: String,
}

/// Join the parts under `dir` into the final outputs, refusing incomplete or overlapping sets.
pub fn merge(sweep: &Sweep, dir: &Path, command_line: Vec<String>) -> Result<Vec<PathBuf>, Error> {
    let parts = dir.join("parts");
    // Held for the whole merge: refused while a shard or another merge writes here.
    let _lock = lock_folder(dir, Hold::Exclusive)?;
    crate::report::refuse_other_results(dir, "sweep")?;
    remove_stale_temporaries(&parts, None)?;
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
                info.sweep_sha256.get(..12).unwrap_or(&info.sweep_sha256),
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
    let mut rows: BTreeMap<u64, RunRow> = BTreeMap::new();
    let mut duplicated = BTreeSet::new();
    for (path, info) in &infos {
        let csv_path = path.with_extension("csv");
        // Exit status 1, as for missing, overlapping or foreign parts: the parts on disk cannot
        // be merged (the arguments were fine).
        let bad = |what: String| {
            Error::Failed(format!(
                "refusing to merge: {}: {what}; re-run that shard (peacesim sweep … --shard {}/{}) \
                 after deleting its part and journal",
                csv_path.display(),
                info.shard,
                info.shards
            ))
        };
        let bytes = std::fs::read(&csv_path)
            .map_err(|e| Error::Failed(format!("{}: {e}", csv_path.display())))?;
        if info.csv_sha256.is_empty() {
            return Err(bad(format!(
                "{} has no checksum (written by an older peacesim?)",
                path.display()
            )));
        }
        if sha256_hex(&bytes) != info.csv_sha256 {
            return Err(bad(format!(
                "its SHA-256 does not match the one in {}: the file changed after it was written",
                path.display()
            )));
        }
        if info.runs_total != sweep.runs() || info.shards == 0 || info.shard >= info.shards {
            return Err(bad(format!(
                "{} describes shard {}/{} of {} runs; this sweep has {} runs",
                path.display(),
                info.shard,
                info.shards,
                info.runs_total,
                sweep.runs()
            )));
        }
        let mut count = 0u64;
        for (line, row) in read_runs(sweep, &bytes).map_err(bad)? {
            let k = sweep.run_number(row.point, row.replication);
            if k % info.shards as u64 != info.shard as u64 {
                return Err(bad(format!(
                    "line {line}: run {} does not belong to shard {}/{}",
                    row.run_id(),
                    info.shard,
                    info.shards
                )));
            }
            if rows.insert(k, row).is_some() {
                duplicated.insert(k);
            }
            count += 1;
        }
        if count != info.runs_in_part {
            return Err(bad(format!(
                "{count} rows, but {} says {}",
                path.display(),
                info.runs_in_part
            )));
        }
    }
    let id = |k: u64| {
        let (p, r) = sweep.split(k);
        run_id(p, r)
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
    finalize(sweep, dir, rows.into_values().collect(), command_line)
}
