//! The command line: clap derive definitions only. What each command does is in
//! [`crate::commands`]; `main.rs` parses, dispatches and maps errors to exit codes.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Agent-based simulation of multi-partner peacekeeping missions.
#[derive(Debug, Parser)]
#[command(name = "peacesim", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Refuse scenarios whose estimated memory for one run exceeds this (e.g. 8G, 512M).
    #[arg(long, global = true, value_name = "SIZE", default_value = "2G",
          value_parser = crate::scenario::limits::parse_size)]
    pub memory_budget: u64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one scenario and write CSV, JSON and charts under OUT/<scenario name>/.
    #[command(after_help = "Examples:\n  \
        peacesim run baseline                 (a bundled scenario, by name: see `peacesim list`)\n  \
        peacesim run scenarios/baseline.toml\n  \
        peacesim run my-mission.toml --seed 7 --ticks 100 --out results\n  \
        peacesim run epstein --animate        (also animation.gif of the agents)\n  \
        peacesim run baseline --animate-days 100..160   (animate days 100 to 160 only)")]
    Run {
        /// The scenario file (TOML), or the name of a bundled scenario (`peacesim list`).
        scenario: PathBuf,
        /// Override the scenario's seed.
        #[arg(long)]
        seed: Option<u64>,
        /// Override the scenario's number of ticks (days).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        ticks: Option<u32>,
        /// Directory under which the run's folder is created.
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// Also draw the agents every k-th tick (at most 150 frames) as frames/*.png and
        /// animation.gif.
        #[arg(long)]
        animate: bool,
        /// Animate only days FROM to TO (implies --animate): every day of a window up to 150
        /// days long, so a short burst is not lost between frames. `FROM..` runs to the end.
        #[arg(long, value_name = "FROM..TO")]
        animate_days: Option<String>,
    },
    /// Run R replications of each scenario in parallel and compare them with confidence
    /// intervals: per-tick means, a table of differences to the first, charts with CI bands.
    #[command(after_help = "Examples:\n  \
        peacesim compare scenarios/baseline.toml scenarios/withdrawal-shock.toml --runs 30\n  \
        peacesim compare a.toml b.toml c.toml --runs 50 --threads 2 --crn --out results/abc")]
    Compare {
        /// Two or more scenario files; the first is the reference.
        #[arg(required = true, num_args = 2..)]
        scenarios: Vec<PathBuf>,
        /// Replications per configuration.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(2..=1_000_000))]
        runs: u32,
        /// Worker threads (0 = all cores). Results do not depend on it.
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Experiment seed (default: the first scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Run every configuration for this many ticks (days) instead of its file's; without it
        /// the configurations must run equally long.
        #[arg(long)]
        ticks: Option<u32>,
        /// Common random numbers: replication r of every configuration uses the same streams.
        #[arg(long)]
        crn: bool,
        /// Output directory (default: output/compare-<a>-vs-<b>…).
        #[arg(long)]
        out: Option<PathBuf>,
        /// No progress output.
        #[arg(long)]
        quiet: bool,
    },
    /// Run a parameter sweep (grid or Latin hypercube) with replications, in parallel; resumable,
    /// and shardable across machines (Slurm job arrays are detected).
    #[command(after_help = "Examples:\n  \
        peacesim sweep scenarios/sweeps/patrols-aid.toml\n  \
        peacesim sweep scenarios/sweeps/patrols-aid.toml --threads 2 --out results/pa\n  \
        peacesim sweep scenarios/sweeps/patrols-aid.toml --shard 1/4 --out results/pa   (then: peacesim merge results/pa)\n\n\
        Re-running the same command after an interruption skips the runs already recorded.\n\
        Inside a Slurm job array, SLURM_ARRAY_TASK_ID/COUNT (or MIN/MAX) choose the shard.")]
    Sweep {
        /// The sweep file (TOML).
        sweep: PathBuf,
        /// Worker threads (0 = all cores). Results do not depend on it.
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Run only shard I of N (runs whose index mod N = I).
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
        /// Output directory (default: output/sweep-<name>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// No progress output.
        #[arg(long)]
        quiet: bool,
    },
    /// Join the parts of a sharded sweep into the files an unsharded sweep writes; refuses,
    /// listing run ids, when parts are missing, overlap or come from another sweep.
    #[command(after_help = "Example:\n  peacesim merge results/pa")]
    Merge {
        /// The sweep's output directory (holding parts/).
        dir: PathBuf,
    },
    /// Rebuild a folder's report.html and pictures. A run folder: re-runs the scenario and seed
    /// its manifest records, after checking the scenario file is unchanged, and refuses if the
    /// results would differ from the recorded ones. A compare or sweep folder: draws lost or
    /// altered charts again from its verified data files (and, for a comparison, its unchanged
    /// scenario files) and rewrites the page; refuses if a chart would not come out as recorded.
    #[command(after_help = "Examples:\n  \
        peacesim report output/baseline\n  \
        peacesim report output/epstein --animate\n  \
        peacesim report output/baseline --animate-days 100..160\n  \
        peacesim report output/compare-baseline-vs-withdrawal-shock")]
    Report {
        /// A folder written by `peacesim run`, `compare`, `sweep` or `merge` (holding
        /// manifest.json).
        dir: PathBuf,
        /// Also draw the animation (frames/*.png and animation.gif) of a run folder; a run drawn
        /// with `--animate` is always rebuilt with its animation (the same days). Compare and
        /// sweep folders have none.
        #[arg(long)]
        animate: bool,
        /// Animate only days FROM to TO of a run folder (implies --animate), replacing the
        /// days it animated before.
        #[arg(long, value_name = "FROM..TO")]
        animate_days: Option<String>,
    },
    /// Check scenario files and report every problem with file:line:column; writes nothing.
    #[command(after_help = "Examples:\n  \
        peacesim validate scenarios/baseline.toml\n  \
        peacesim validate scenarios/*.toml")]
    Validate {
        /// One or more scenario files (or bundled scenario names).
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
    /// List the bundled scenarios (they are compiled in: `peacesim run NAME` works anywhere).
    #[command(after_help = "Example:\n  peacesim list")]
    List,
    /// Write a new, annotated scenario file NAME.toml to start from (a copy of a bundled
    /// scenario with its comments, renamed). Never overwrites a file.
    #[command(after_help = "Examples:\n  \
        peacesim new my-mission                       (writes my-mission.toml from the baseline)\n  \
        peacesim new drawdown --from withdrawal-shock --dir scenarios")]
    New {
        /// The scenario's name: letters, digits, '-' and '_' (the file is NAME.toml).
        name: String,
        /// The bundled scenario to start from.
        #[arg(long, default_value = "baseline")]
        from: String,
        /// Folder to write NAME.toml into (made if missing).
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
    /// Start the classroom view: a local web page with the map, live charts, step / play /
    /// pause, the partnership levers, injected events and what-if branches; prints its address.
    #[command(after_help = "Examples:\n  \
        peacesim serve                        (the bundled baseline; open the printed address)\n  \
        peacesim serve my-mission.toml --port 8000\n  \
        peacesim serve epstein --port 0       (0 picks a free port)\n\n\
        Each browser tab gets its own simulation. Export a branch as a scenario file and\n\
        `peacesim run` it to get the same time series as the page showed.")]
    Serve {
        /// The scenario to open first: a file, or the name of a bundled scenario.
        #[arg(default_value = "baseline")]
        scenario: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Address to listen on; the default keeps the server on this machine.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Most simulations running at once (every tab and branch is one).
        #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        max_sessions: u32,
        /// A simulation without a request for this many seconds is dropped.
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=86_400))]
        idle_seconds: u64,
        /// Largest estimated memory of one simulation (as --memory-budget: e.g. 256M, 1G).
        #[arg(long, value_name = "SIZE", default_value = "256M",
              value_parser = crate::scenario::limits::parse_size)]
        session_memory: u64,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "Examples:\n  \
        peacesim completions bash > ~/.local/share/bash-completion/completions/peacesim\n  \
        peacesim completions zsh > ~/.zfunc/_peacesim")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}
