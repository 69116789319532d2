use peacesim::scenario::{Scenario, parse_str};
use peacesim::sim::{self, RunOutput};
use std::path::Path;
use std::sync::Arc;

/// A small single-district scenario, with `extra` TOML appended (partners, units, overrides).
pub fn small(header: &str, extra: &str) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "small"
seed = 1
ticks = 60

[map]
width = 30
height = 30
torus = true

[[districts]]
name = "town"
density = 0.6
hardship = 0.5
initial_trust = 0.75
access = 0.2

{header}

[[partners]]
name = "blue"
kind = "un_agency"
supply = 1000
supply_capacity = 1000
resupply = 1000

{extra}
"#
    );
    parse_str(&text, Path::new("small.toml")).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Two districts side by side ("west", "east"), no partners: `header` adds tables
/// (e.g. `[coordination]`), `body` adds partners, units and events.
pub fn two_districts(header: &str, body: &str) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "lever"
seed = 1
ticks = 80

[map]
width = 40
height = 20

[[districts]]
name = "west"
density = 0.5
hardship = 0.5
initial_trust = 0.7
access = 0.2

[[districts]]
name = "east"
density = 0.5
hardship = 0.5
initial_trust = 0.7
access = 0.2

{header}

{body}
"#
    );
    parse_str(&text, Path::new("lever.toml")).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Run `scenario` with seeds 1..=n (in parallel: results do not depend on the thread) and map
/// each run's output through `f`.
pub fn over_seeds(scenario: &Scenario, n: u64, f: impl Fn(&RunOutput) -> f64 + Sync) -> Vec<f64> {
    use rayon::prelude::*;
    (1..=n)
        .into_par_iter()
        .map(|seed| {
            let mut s = scenario.clone();
            s.seed = seed;
            let ticks = s.ticks;
            f(&sim::run(Arc::new(s), 0, ticks))
        })
        .collect()
}

/// Mean of a per-tick metric over the second half of a run (after the initial transient).
pub fn late_mean(out: &RunOutput, f: impl Fn(&peacesim::metrics::TickRow) -> f64) -> f64 {
    let half = &out.ticks[out.ticks.len() / 2..];
    half.iter().map(&f).sum::<f64>() / half.len() as f64
}

/// `n` patrols of the partner "blue" (of [`small`]).
pub fn patrols(n: u32) -> String {
    format!("[[units]]\npartner = \"blue\"\nkind = \"patrol\"\ncount = {n}\n")
}

/// An NGO "relief" with ample supply and `n` aid teams.
pub fn aid_teams(n: u32) -> String {
    format!(
        "[[partners]]\nname = \"relief\"\nkind = \"ngo\"\nsupply = 1000\nsupply_capacity = 1000\n\
         resupply = 1000\n\n[[units]]\npartner = \"relief\"\nkind = \"aid_team\"\ncount = {n}\n"
    )
}

/// The smallest valid scenario: one district of 40 citizens, one partner, 4 patrols, 5 ticks.
pub const TINY: &str = r#"[scenario]
name = "tiny"
ticks = 5

[map]
width = 12
height = 10

[[districts]]
name = "d"
population = 40

[[partners]]
name = "blue"
kind = "un_agency"

[[units]]
partner = "blue"
kind = "patrol"
count = 4
"#;

/// Every file under `dir`, recursively, sorted.
pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    files.sort();
    files
}
