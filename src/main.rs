//! The `peacesim` binary: parse the command line, call the library, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = peacesim::cli::Cli::parse();
    peacesim::scenario::set_memory_budget(cli.memory_budget);
    let argv: Vec<String> = std::env::args().collect();
    match peacesim::commands::dispatch(cli.command, argv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            ExitCode::from(e.exit_code())
        }
    }
}
