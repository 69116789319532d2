//! Running a sweep (or one shard of it): the runs not yet in the journal, in parallel; then the
//! shard's part, and for an unsharded sweep the final outputs.

use super::finalize::finalize;
use super::journal;
use super::plan::Sweep;
use super::rows::RunRow;
use super::shard::Shard;
use crate::experiment::error::ExperimentError as Error;
use crate::experiment::progress::Progress;
use crate::experiment::replication::{pool, run_index, run_one, summarize_run};
use crate::report::folder::{lock_file, remove_stale_temporaries};
use crate::report::{Hold, ReportError, lock_folder, records_csv, sha256_hex, write_atomic};
use rayon::prelude::*;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Options of one sweep invocation.
pub struct SweepOptions {
    pub out: PathBuf,
    pub threads: usize,
    pub shard: Shard,
    pub quiet: bool,
    /// Recorded in the manifest.
    pub command_line: Vec<String>,
}

/// Run this shard's unfinished runs; when the shard is complete write its part, and when the
/// sweep is not sharded, the final outputs. Returns the files written last.
pub fn run(sweep: &Sweep, opts: &SweepOptions) -> Result<Vec<PathBuf>, Error> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Report(ReportError::Io { path, source })
    };
    let parts = opts.out.join("parts");
    let stem = opts.shard.stem();
    let own = [
        format!("shard-{stem}.journal"),
        format!("part-{stem}.csv"),
        format!("part-{stem}.json"),
    ];
    // Held for the whole command. An unsharded sweep owns the folder; shards of one sweep share
    // it and each owns its shard. Then temporaries of killed runs are removed: all of them by
    // the owner of the folder, a shard's own by a shard.
    let _folder = lock_folder(
        &opts.out,
        if opts.shard.count == 1 {
            Hold::Exclusive
        } else {
            Hold::Shared
        },
    )?;
    crate::report::refuse_other_results(&opts.out, "sweep")?;
    std::fs::create_dir_all(&parts).map_err(io(&parts))?;
    let _shard = lock_file(&parts.join(format!(".shard-{stem}.lock")), Hold::Exclusive)?;
    if opts.shard.count == 1 {
        remove_stale_temporaries(&parts, None)?;
    } else {
        let names: Vec<&str> = own.iter().map(String::as_str).collect();
        remove_stale_temporaries(&parts, Some(&names))?;
    }
    // Copies for merge; rewritten only when they differ, so running shards do not race on them.
    for (name, text) in [("sweep.toml", &sweep.text), ("base.toml", &sweep.base_text)] {
        let path = parts.join(name);
        if std::fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
            write_atomic(&path, text.as_bytes())?;
        }
    }
    let journal_path = parts.join(&own[0]);
    let mut done = journal::read(&journal_path, sweep, opts.shard)?;
    // Rewrite the journal with only intact lines, so appends follow a clean line.
    let mut clean = journal::header(sweep, opts.shard);
    for row in done.values() {
        clean.push_str(&journal::line(sweep, row));
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
    let journal_file = Mutex::new(
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
            let (point, replication) = sweep.split(k);
            let out = run_one(
                &sweep.scenarios[point as usize],
                run_index(point, replication, sweep.meta.crn),
            );
            // Only the summary is kept: memory does not grow with the number of runs.
            let row = RunRow {
                point,
                replication,
                summary: summarize_run(&out),
            };
            let line = journal::line(sweep, &row);
            let mut j = journal_file.lock().unwrap_or_else(|e| e.into_inner());
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
    journal_file
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .sync_all()
        .map_err(io(&journal_path))?;
    done = journal::read(&journal_path, sweep, opts.shard)?;

    // The part: this shard's rows in run order, and what it is.
    let rows: Vec<RunRow> = done.into_values().collect();
    let part_csv = parts.join(&own[1]);
    let csv = records_csv(sweep, &rows);
    write_atomic(&part_csv, &csv)?;
    let info = super::merge::PartInfo {
        sweep: sweep.meta.name.clone(),
        sweep_sha256: sweep.hash.clone(),
        shard: opts.shard.index,
        shards: opts.shard.count,
        runs_total: sweep.runs(),
        runs_in_part: rows.len() as u64,
        csv_sha256: sha256_hex(&csv),
    };
    let part_json = parts.join(&own[2]);
    write_atomic(
        &part_json,
        &serde_json::to_vec_pretty(&info).expect("part info serializes"),
    )?;
    if opts.shard.count == 1 {
        finalize(sweep, &opts.out, rows, opts.command_line.clone())
    } else {
        Ok(vec![part_csv, part_json])
    }
}
