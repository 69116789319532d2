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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one scenario and write CSV, JSON and charts under OUT/<scenario name>/.
    #[command(after_help = "Examples:\n  \
        peacesim run scenarios/baseline.toml\n  \
        peacesim run scenarios/baseline.toml --seed 7 --ticks 100 --out results")]
    Run {
        /// The scenario file (TOML).
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
    },
    /// Check scenario files and report every problem with file:line:column; writes nothing.
    #[command(after_help = "Examples:\n  \
        peacesim validate scenarios/baseline.toml\n  \
        peacesim validate scenarios/*.toml")]
    Validate {
        /// One or more scenario files.
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
}
