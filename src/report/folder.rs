//! Output folders: who may write into one, and how a file gets its final name.
//!
//! - **Lock.** A command holds an advisory lock (`flock`, std's `File::try_lock`) on its output
//!   folder for as long as it runs: `run` on `OUT/<scenario>`, `compare` on its folder, an
//!   unsharded `sweep` and `merge` on the sweep folder (exclusive). Shards of one sweep share
//!   the sweep folder (shared lock) and each holds its own shard exclusively. A second command
//!   into a held folder stops at once with a message; nothing is written.
//! - **Temporaries.** A file is written to `.NAME.tmp-<random>`, created with `O_EXCL`
//!   (`create_new`), so an existing file or a symlink planted at that name is never followed or
//!   overwritten; it is synced and renamed over `NAME` (a rename replaces a symlink, not its
//!   target). Temporaries left by a killed command are removed by the next command that holds
//!   the folder.

use super::{ReportError, io_err};
use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

/// How a folder is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// This command alone writes there.
    Exclusive,
    /// Several cooperating commands (shards of one sweep) write there, each its own files.
    Shared,
}

/// A held output folder (or shard); released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

/// Create `dir` if needed and lock it, or refuse with a message naming it.
/// Refuse to write results of `kind` ("run", "compare" or "sweep") into `dir` when it holds
/// another kind's: its manifest names another kind, or, with no manifest, it holds a sweep's
/// `parts/` (a sweep not finished or not merged). Writing there would remove that command's
/// files (a bundle replaces what the folder's manifest lists). Call once the folder is held.
pub fn refuse_other_results(dir: &Path, kind: &str) -> Result<(), ReportError> {
    let listed = std::fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|m| m["kind"].as_str().map(String::from));
    let noun = |k: &str| match k {
        "compare" => "comparison",
        "run" => "run",
        "sweep" => "sweep",
        _ => "",
    };
    let holds = match listed {
        Some(other) if other != kind => Some(match noun(&other) {
            "" => format!("another command (its manifest's kind is {other:?})"),
            n => format!("a {n}"),
        }),
        Some(_) => None,
        None if kind != "sweep" && dir.join("parts").is_dir() => {
            Some("a sweep not yet finished or merged (its parts/ folder)".to_string())
        }
        None => None,
    };
    match holds {
        Some(holds) => Err(ReportError::Occupied {
            path: dir.to_path_buf(),
            holds,
            kind: noun(kind).to_string(),
        }),
        None => Ok(()),
    }
}

pub fn lock_folder(dir: &Path, hold: Hold) -> Result<FolderLock, ReportError> {
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let file = File::open(dir).map_err(io_err(dir))?;
    try_hold(file, hold, dir, "folder")
}

/// Lock the file `path` (created if needed, never truncated), e.g. one shard of a sweep.
pub fn lock_file(path: &Path, hold: Hold) -> Result<FolderLock, ReportError> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io_err(path))?;
    try_hold(file, hold, path, "shard")
}

fn try_hold(file: File, hold: Hold, path: &Path, what: &str) -> Result<FolderLock, ReportError> {
    let held = match hold {
        Hold::Exclusive => file.try_lock(),
        Hold::Shared => file.try_lock_shared(),
    };
    match held {
        Ok(()) => Ok(FolderLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(ReportError::Locked {
            path: path.to_path_buf(),
            what: what.to_string(),
        }),
        // A file system without locks (some network mounts): go on unlocked, but say so.
        Err(std::fs::TryLockError::Error(e))
            if e.kind() == std::io::ErrorKind::Unsupported
                || matches!(e.raw_os_error(), Some(37 | 95)) =>
        {
            eprintln!(
                "warning: {}: cannot lock ({e}); nothing stops another command writing here",
                path.display()
            );
            Ok(FolderLock { _file: file })
        }
        Err(std::fs::TryLockError::Error(e)) => Err(ReportError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

/// Is `name` a temporary of this module (of `of`, when given)?
fn is_temporary(name: &str, of: Option<&str>) -> bool {
    match name.strip_prefix('.').and_then(|n| n.rsplit_once(".tmp-")) {
        Some((final_name, _)) => of.is_none_or(|o| o == final_name),
        None => false,
    }
}

/// Remove temporaries left in `dir` by killed commands: all of them, or only those of the
/// files named in `only`. Call it only while holding the folder (or those files' shard).
pub fn remove_stale_temporaries(dir: &Path, only: Option<&[&str]>) -> Result<usize, ReportError> {
    remove_stale_temporaries_except(dir, only, &[])
}

/// [`remove_stale_temporaries`], keeping the temporaries in `keep` (files this command is
/// still streaming, see [`super::stream`]).
pub fn remove_stale_temporaries_except(
    dir: &Path,
    only: Option<&[&str]>,
    keep: &[PathBuf],
) -> Result<usize, ReportError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(0);
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = match only {
            None => is_temporary(name, None),
            Some(names) => names.iter().any(|n| is_temporary(name, Some(n))),
        };
        // `file_type` does not follow symlinks: a planted link is removed, not its target.
        if ours && entry.file_type().is_ok_and(|t| !t.is_dir()) {
            let path = entry.path();
            if keep.contains(&path) {
                continue;
            }
            std::fs::remove_file(&path).map_err(io_err(&path))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// A name nobody can guess: a random 64-bit value from std's randomly keyed hasher.
fn random_suffix() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    format!("{:016x}", h.finish())
}

/// Write `bytes` to `path` through an exclusive, unpredictable temporary file in the same
/// directory, synced, then renamed over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (tmp, mut file) = create_temporary(dir, &name).map_err(io_err(path))?;
    let result = (|| {
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io_err(path))
}

pub(super) fn create_temporary(dir: &Path, name: &str) -> std::io::Result<(PathBuf, File)> {
    let mut last = None;
    for _ in 0..16 {
        let tmp = dir.join(format!(".{name}.tmp-{}", random_suffix()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporaries_are_recognised_by_their_final_name() {
        assert!(is_temporary(".runs.csv.tmp-0123abcd", None));
        assert!(is_temporary(".runs.csv.tmp-0123abcd", Some("runs.csv")));
        assert!(!is_temporary(".runs.csv.tmp-0123abcd", Some("points.csv")));
        assert!(!is_temporary("runs.csv", None));
        assert_ne!(random_suffix(), random_suffix());
    }
}
