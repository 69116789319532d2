//! What an experiment (`compare`, `sweep`, `merge`) can fail with. The layer above
//! (`commands`) wraps it with `#[from]`; nothing here knows about the CLI.

use crate::report::ReportError;

/// Everything an experiment can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    /// The experiment file, its arguments or its parts are wrong (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// The experiment could not be completed, e.g. a merge with missing shards (exit status 1).
    #[error("{0}")]
    Failed(String),
    /// Results could not be written (exit status 1).
    #[error(transparent)]
    Report(#[from] ReportError),
}

impl ExperimentError {
    /// Exit status: 2 for bad input, 1 for failures while working.
    pub fn exit_code(&self) -> u8 {
        match self {
            ExperimentError::Usage(_) => 2,
            ExperimentError::Failed(_) | ExperimentError::Report(_) => 1,
        }
    }
}
