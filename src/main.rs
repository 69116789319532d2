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
            let mut said = e.to_string();
            eprintln!("error: {said}");
            // Causes the message does not already say (most errors quote their cause).
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                let cause = s.to_string();
                if !said.contains(&cause) {
                    eprintln!("  caused by: {cause}");
                    said.push_str(&cause);
                }
                source = s.source();
            }
            ExitCode::from(e.exit_code())
        }
    }
}
