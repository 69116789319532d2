//! One way to write a result bundle: `run`, `compare` and `sweep` (and `merge`) all collect
//! their files as (name, bytes) in a [`Bundle`] and write them with one manifest type,
//! [`Manifest`]: the same common fields everywhere (version, kind, command line, seed, files and
//! their SHA-256), then the kind's own details.
//!
//! Every file is written to a temporary name in its destination directory and renamed over the
//! final name, so a final name never holds a partial file; the manifest goes last, after the
//! old one was removed first, so a manifest always matches the files beside it.

use super::columns::{Record, records_csv};
use super::folder::{remove_stale_temporaries, remove_stale_temporaries_except, write_atomic};
use super::stream::Streamed;
use super::{ReportError, csv_bytes, io_err, sha256_hex};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The manifest of a result bundle: what produced it and the hash of every file it describes.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest<D: Serialize> {
    pub peacesim_version: &'static str,
    /// "run", "compare" or "sweep".
    pub kind: &'static str,
    /// The command that wrote the bundle (for a merged sweep: the merge).
    pub command_line: Vec<String>,
    /// The experiment seed.
    pub seed: u64,
    /// What is particular to the kind (scenario, configurations, sweep design).
    #[serde(flatten)]
    pub details: D,
    /// File name → hex SHA-256 of its bytes, for every file of the bundle but the manifest.
    pub files: BTreeMap<String, String>,
}

impl<D: Serialize> Manifest<D> {
    pub fn new(kind: &'static str, command_line: Vec<String>, seed: u64, details: D) -> Self {
        Manifest {
            peacesim_version: env!("CARGO_PKG_VERSION"),
            kind,
            command_line,
            seed,
            details,
            files: BTreeMap::new(),
        }
    }
}

/// The files of one result bundle, collected in memory and written together.
pub struct Bundle {
    dir: PathBuf,
    files: Vec<(String, Vec<u8>)>,
    /// Files already written to temporaries (see [`super::stream`]), renamed by `write`.
    streamed: Vec<(String, Streamed)>,
}

impl Bundle {
    /// An empty bundle for `dir`.
    pub fn new(dir: &Path) -> Self {
        Bundle {
            dir: dir.to_path_buf(),
            files: Vec::new(),
            streamed: Vec::new(),
        }
    }

    /// The directory the bundle is written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Add a file.
    pub fn add(&mut self, name: impl Into<String>, bytes: Vec<u8>) {
        self.files.push((name.into(), bytes));
    }

    /// Add files (e.g. a chart's SVG and PNG).
    pub fn extend(&mut self, files: impl IntoIterator<Item = (String, Vec<u8>)>) {
        self.files.extend(files);
    }

    /// Add a file streamed to its temporary (it is renamed to `name` when the bundle is
    /// written, before the manifest; files added with `add` are written first).
    pub fn add_streamed(&mut self, name: impl Into<String>, file: Streamed) {
        self.streamed.push((name.into(), file));
    }

    /// Add a CSV of fixed-column rows.
    pub fn add_csv<T: Serialize>(&mut self, name: &str, rows: &[T]) -> Result<(), ReportError> {
        let bytes = csv_bytes(rows, &self.dir.join(name))?;
        self.add(name, bytes);
        Ok(())
    }

    /// Add a CSV of records whose columns `schema` names.
    pub fn add_records<'r, R: Record + 'r>(
        &mut self,
        name: &str,
        schema: &R::Schema,
        rows: impl IntoIterator<Item = &'r R>,
    ) {
        self.add(name, records_csv(schema, rows));
    }

    /// Add `report.html` of a compare or sweep folder, drawn from the files added so far and
    /// `manifest` (so the manifest lists the page like every other file).
    pub fn add_folder_page<D: Serialize>(&mut self, manifest: &Manifest<D>) {
        let value = serde_json::to_value(manifest).expect("manifest serializes");
        let name = super::html::folder_name(&self.dir);
        let page = super::html::folder_page_of(&name, &value, &self.files);
        self.add("report.html", page);
    }

    /// Write the bundle as a set: remove temporaries left by killed commands and the folder's
    /// old `manifest.json` (so no manifest ever describes files this command did not write),
    /// write every file, then `manifest.json` describing exactly those files. The caller holds
    /// the folder (see [`super::folder`]). Returns the paths written, the manifest last.
    pub fn write<D: Serialize>(
        mut self,
        mut manifest: Manifest<D>,
    ) -> Result<Vec<PathBuf>, ReportError> {
        std::fs::create_dir_all(&self.dir).map_err(io_err(&self.dir))?;
        manifest.files = self
            .files
            .iter()
            .map(|(n, b)| (n.clone(), sha256_hex(b)))
            .chain(
                self.streamed
                    .iter()
                    .map(|(n, s)| (n.clone(), s.sha256.clone())),
            )
            .collect();
        let mut json = serde_json::to_vec_pretty(&manifest).expect("manifest serializes");
        json.push(b'\n');
        let keep: Vec<_> = self.streamed.iter().map(|(_, s)| s.tmp.clone()).collect();
        remove_stale_temporaries_except(&self.dir, None, &keep)?;
        let old = self.dir.join("manifest.json");
        let replaced = files_listed_in(&old);
        match std::fs::remove_file(&old) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_err(&old)(e)),
            _ => {}
        }
        // What the folder's previous bundle wrote and this one does not (a rerun with fewer
        // ticks has fewer agent pictures) goes, so the folder holds one run's files only; files
        // no manifest of ours listed are never touched.
        for name in replaced.iter().filter(|n| !manifest.files.contains_key(*n)) {
            let path = self.dir.join(name);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(io_err(&path)(e));
                }
                _ => {}
            }
        }
        let mut written = Vec::new();
        for (name, bytes) in &self.files {
            let path = self.dir.join(name);
            // A name may hold a subfolder (a run's `frames/`): create it, clear its leftovers.
            if let Some(sub) = path.parent().filter(|p| *p != self.dir) {
                std::fs::create_dir_all(sub).map_err(io_err(sub))?;
                remove_stale_temporaries(sub, None)?;
            }
            write_atomic(&path, bytes)?;
            written.push(path);
        }
        for (_, file) in &mut self.streamed {
            std::fs::rename(&file.tmp, &file.path).map_err(io_err(&file.path))?;
            // Renamed: the temporary is the file now, and dropping `file` must not remove it.
            file.tmp = PathBuf::new();
            written.push(file.path.clone());
        }
        let path = self.dir.join("manifest.json");
        write_atomic(&path, &json)?;
        written.push(path);
        Ok(written)
    }
}

/// The files a folder's `manifest.json` at `path` lists, if it is one of ours; only plain
/// relative names (at most one subfolder deep, no `..`), so a hand-edited manifest cannot make a
/// bundle remove anything outside its folder.
fn files_listed_in(path: &Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Vec::new();
    };
    let Some(files) = value.get("files").and_then(|f| f.as_object()) else {
        return Vec::new();
    };
    files
        .keys()
        .filter(|n| {
            let parts: Vec<&str> = n.split('/').collect();
            parts.len() <= 2
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && *p != "." && *p != ".." && !p.contains('\\'))
        })
        .cloned()
        .collect()
}
