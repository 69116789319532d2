//! Writing results: CSV, JSON and charts, every file atomically ([`bundle`]); one run's bundle
//! in [`run`], column lists in [`columns`], charts in [`charts`].
//!
//! A file is written to a temporary name in its destination directory, flushed, synced and then
//! renamed over the final name, so a killed run never leaves a truncated file under a complete
//! file's name. Nothing here invents data: it formats what [`crate::sim`] recorded.

pub mod animation;
pub mod bundle;
pub mod categorical;
pub mod charts;
pub mod columns;
pub mod compare_charts;
pub mod folder;
pub mod html;
pub mod maps;
mod raster;
pub mod run;
pub mod run_charts;
pub mod stream;
pub mod visual;

pub use bundle::{Bundle, Manifest};
pub use columns::{Record, csv_line, records_csv, tick_metrics};
pub use folder::{FolderLock, Hold, lock_folder, refuse_other_results, write_atomic};
pub use run::{RunIdentity, write_run};
pub use stream::{Streamed, StreamedFile};

use crate::metrics::TickRow;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file or directory could not be created or written.
    #[error("cannot write {path}: {}", why_not_written(path, source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Rows could not be formatted as CSV.
    #[error("cannot format {path} as CSV: {source}")]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    /// A chart could not be drawn.
    #[error("cannot draw chart {path}: {message}")]
    Chart { path: PathBuf, message: String },
    /// Another peacesim command holds the output folder (or shard).
    #[error(
        "{path}: another peacesim command is writing this {what} now; wait for it to finish, \
         or give this one another --out"
    )]
    Locked { path: PathBuf, what: String },
    /// A folder's files are not the ones its manifest lists (edited, removed or unreadable):
    /// nothing is rebuilt from them.
    #[error("{path}: {problem}; nothing was rewritten (run the comparison or sweep again)")]
    Unverified { path: PathBuf, problem: String },
    /// The output folder holds another command's results, which writing would remove.
    #[error(
        "{path} holds the results of {holds}; give this {kind} another --out, or remove that \
         folder first (nothing was replaced)"
    )]
    Occupied {
        path: PathBuf,
        holds: String,
        kind: String,
    },
}

/// What an I/O error means for the user. A folder on the way that is a file (`--out results`
/// where `results` is a file) gets its name and the fix instead of "Not a directory".
fn why_not_written(path: &Path, source: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let file_on_the_way = matches!(
        source.kind(),
        ErrorKind::NotADirectory | ErrorKind::AlreadyExists
    )
    .then(|| path.ancestors().find(|a| a.is_file()))
    .flatten();
    match file_on_the_way {
        Some(file) => format!(
            "{} is a file, not a folder; name a folder instead (it is created if missing), or \
             move the file away",
            file.display()
        ),
        None => source.to_string(),
    }
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Format rows as CSV with a header line.
pub fn csv_bytes<T: Serialize>(rows: &[T], path: &Path) -> Result<Vec<u8>, ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).map_err(|source| ReportError::Csv {
            path: path.to_path_buf(),
            source,
        })?;
    }
    w.into_inner().map_err(|e| ReportError::Io {
        path: path.to_path_buf(),
        source: e.into_error(),
    })
}

/// `n` and `noun`, plural unless `n` is 1: "1 district", "4 districts" (regular nouns).
pub fn counted(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Why a file a manifest lists cannot be trusted ([`read_as_listed`]).
pub enum NotAsListed {
    /// It cannot be read (missing, a folder, no permission).
    Unreadable(std::io::Error),
    /// Its SHA-256 is not the manifest's: edited since it was written.
    Altered,
}

/// The bytes of `dir/name` if their SHA-256 is `sha`, the manifest's record of that file. Every
/// reader of a folder's data (its page, its charts drawn again) reads it through this.
pub fn read_as_listed(dir: &Path, name: &str, sha: &str) -> Result<Vec<u8>, NotAsListed> {
    let bytes = std::fs::read(dir.join(name)).map_err(NotAsListed::Unreadable)?;
    if sha256_hex(&bytes) != sha {
        return Err(NotAsListed::Altered);
    }
    Ok(bytes)
}

/// Is `name` (a file listed in a manifest) a plain file name in its folder: one normal path
/// component, no folder, no `..`, no root or drive? Anything else is never read or written.
pub fn is_plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(
        (parts.next(), parts.next()),
        (Some(std::path::Component::Normal(_)), None)
    ) && !name.contains(['/', '\\', ':'])
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Final, mean, min and max of one metric over a run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stat {
    pub r#final: f64,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

/// Summary statistics of every whole-map metric, by name (sorted, so JSON is stable).
pub fn summarize(ticks: &[TickRow]) -> BTreeMap<&'static str, Stat> {
    let mut out = BTreeMap::new();
    let Some(last) = ticks.last() else {
        return out;
    };
    // One pass over the rows: sums (in tick order, as before), minima and maxima per metric.
    let finals = tick_metrics(last);
    let k = finals.len();
    let (mut sum, mut min, mut max) = (
        vec![0.0; k],
        vec![f64::INFINITY; k],
        vec![f64::NEG_INFINITY; k],
    );
    for row in ticks {
        for (i, (_, v)) in tick_metrics(row).into_iter().enumerate() {
            sum[i] += v;
            min[i] = min[i].min(v);
            max[i] = max[i].max(v);
        }
    }
    for (i, (name, fin)) in finals.into_iter().enumerate() {
        out.insert(
            name,
            Stat {
                r#final: fin,
                mean: sum[i] / ticks.len() as f64,
                min: min[i],
                max: max[i],
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(super::counted(1u64, "district"), "1 district");
        assert_eq!(super::counted(0u64, "district"), "0 districts");
        assert_eq!(super::counted(4u32, "partner"), "4 partners");
    }
}
