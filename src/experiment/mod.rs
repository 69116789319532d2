//! Experiments: many runs of one or more configurations, in parallel, with identities and
//! seeds that do not depend on which thread, process or machine runs them.
//!
//! Run identity: a run is (point, replication). Its random streams are those of
//! `rng::stream(experiment seed, run index, purpose)` with
//!
//! ```text
//! run index = (point << 32) | replication          independent streams (default)
//! run index = replication                          common random numbers (--crn / crn = true)
//! ```
//!
//! so replication r of every point draws from the same streams under common random numbers — a
//! variance-reduction technique for comparisons — and from disjoint ones otherwise.

pub mod compare;
mod compare_runs;
pub mod config_diff;
pub mod error;
mod key_metrics;
pub mod progress;
pub mod redraw;
pub mod replication;
pub mod sweep;
pub mod tick_stats;

pub use error::ExperimentError;
pub use replication::{pool, run_index, run_one, summarize_run, summary_names};
