//! `peacesim sweep`: vary scenario parameters over a design (full grid or Latin hypercube), run
//! replications of every point in parallel, and write one row per run and one per point.
//!
//! A sweep file names a base scenario and parameters by their *path* in the scenario's TOML
//! ([`toml_path`]). Every point is built and validated before any run starts ([`load`]); a bad
//! path or value is reported with the sweep file's line.
//!
//! Work is split into runs numbered `k = point × replications + replication`. A shard `I/N`
//! ([`shard`]) runs the runs with `k mod N = I` (round-robin: shards get equal shares of every
//! point, so they finish together). Each finished run is appended as one line to the shard's
//! journal ([`journal`]), ending in a checksum of the line: a line cut short by a kill is
//! detected and dropped, so a run is either fully recorded or absent, and re-running the same
//! command skips what is recorded ([`execute`]). A finished shard writes its part
//! (`parts/part-I-of-N.csv` and `.json`); [`merge`] joins parts into exactly the files an
//! unsharded sweep writes, through the same [`finalize`] — or refuses, naming missing or
//! duplicated run ids.
//!
//! One file per job:
//!
//! | file         | job                                                                 |
//! |--------------|---------------------------------------------------------------------|
//! | `file`       | the sweep file's schema                                             |
//! | `toml_path`  | reading and writing a scenario value by parameter path              |
//! | `design`     | the points: grid or Latin hypercube                                 |
//! | `plan`       | [`Sweep`]: a checked sweep, every point's scenario built             |
//! | `load`       | sweep file → checked [`Sweep`] with every point's scenario         |
//! | `shard`      | `--shard I/N` and Slurm job arrays                                  |
//! | `rows`       | [`RunRow`]: one run's identity and summary, as written and read back |
//! | `journal`    | the append-only, checksummed record of finished runs                |
//! | `execute`    | running a shard's unfinished runs and writing its part              |
//! | `merge`      | joining parts, refusing incomplete or foreign sets                  |
//! | `finalize`   | `runs.csv`, `points.csv` (means, 95 % intervals) and the manifest   |
//! | `charts`     | heatmap, line or scatter charts of the chosen metric                |

mod charts;
pub mod design;
pub mod execute;
pub mod file;
pub mod finalize;
pub mod journal;
pub mod load;
pub mod merge;
pub mod plan;
pub mod rows;
pub mod shard;
pub mod toml_path;

pub use execute::{SweepOptions, run};
pub use file::{Design, ParameterFile, RangeFile, SweepFile, SweepMeta};
pub use finalize::finalize;
pub use journal::fnv1a;
pub use load::{load, load_saved};
pub use merge::{PartInfo, merge};
pub use plan::Sweep;
pub use rows::RunRow;
pub use shard::Shard;
pub use toml_path::set_path;
