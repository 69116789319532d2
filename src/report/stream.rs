//! A file of a bundle too big to hold in memory (a compare's `runs.csv` over thousands of
//! runs): written as it is produced to an exclusive temporary in the destination folder,
//! hashed on the way, and renamed to its final name only when the bundle is written, with the
//! other files (see [`super::Bundle::add_streamed`]). The run's agent pictures (4 MB each at
//! 10⁶ citizens) are encoded straight into theirs. A killed command leaves only the
//! temporary, which the next command holding the folder removes.

use super::folder::create_temporary;
use super::{ReportError, io_err};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written in pieces; see the module documentation.
pub struct StreamedFile {
    path: PathBuf,
    tmp: PathBuf,
    /// `None` once finished.
    out: Option<BufWriter<File>>,
    hash: Sha256,
}

/// A finished [`StreamedFile`]: synced, closed, waiting for its rename.
pub struct Streamed {
    pub(super) path: PathBuf,
    pub(super) tmp: PathBuf,
    pub(super) sha256: String,
}

impl Streamed {
    /// The bytes written (read back from the temporary, e.g. to embed a picture in a page).
    pub fn read_back(&self) -> Result<Vec<u8>, ReportError> {
        std::fs::read(&self.tmp).map_err(io_err(&self.path))
    }
}

impl StreamedFile {
    /// Start `dir/name` (the folder must exist and be held by the caller).
    pub fn create(dir: &Path, name: &str) -> Result<Self, ReportError> {
        let path = dir.join(name);
        let (tmp, file) = create_temporary(dir, name).map_err(io_err(&path))?;
        Ok(StreamedFile {
            path,
            tmp,
            out: Some(BufWriter::with_capacity(1 << 16, file)),
            hash: Sha256::new(),
        })
    }

    /// Append `bytes` (all of them; [`Write::write`] is the `io::Write` form for encoders).
    pub fn append(&mut self, bytes: &[u8]) -> Result<(), ReportError> {
        self.hash.update(bytes);
        let out = self.out.as_mut().expect("open until finished");
        out.write_all(bytes).map_err(io_err(&self.path))
    }

    /// The temporary being written (to read it back before the bundle is written).
    pub fn temporary(&self) -> &Path {
        &self.tmp
    }

    /// Flush and sync everything written so far (before reading the temporary back).
    pub fn flush(&mut self) -> Result<(), ReportError> {
        let out = self.out.as_mut().expect("open until finished");
        out.flush().map_err(io_err(&self.path))
    }

    /// Flush, sync and close the temporary.
    pub fn finish(mut self) -> Result<Streamed, ReportError> {
        let out = self.out.take().expect("open until finished");
        let file = out
            .into_inner()
            .map_err(|e| io_err(&self.path)(e.into_error()))?;
        file.sync_all().map_err(io_err(&self.path))?;
        drop(file);
        let sha256 = std::mem::take(&mut self.hash)
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        // The temporary now belongs to the bundle: dropping `self` must not remove it.
        let tmp = std::mem::take(&mut self.tmp);
        Ok(Streamed {
            path: self.path.clone(),
            tmp,
            sha256,
        })
    }
}

/// An encoder can write straight into the temporary (a picture is never held in memory whole).
impl Write for StreamedFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let out = self.out.as_mut().expect("open until finished");
        let n = out.write(bytes)?;
        self.hash.update(&bytes[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.as_mut().expect("open until finished").flush()
    }
}

impl Drop for Streamed {
    /// A finished stream that was never renamed into place (a later write failed, e.g. on a
    /// full disk) leaves nothing behind either; [`super::Bundle`] clears `tmp` once renamed.
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

impl Drop for StreamedFile {
    /// An abandoned stream (an error before the bundle was written) leaves nothing behind.
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
