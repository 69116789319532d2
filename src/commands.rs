//! What each CLI command does, as library functions the binary and the tests share.
//!
//! Over 500 lines: one function per CLI command beside `dispatch`, which maps every subcommand in
//! one match; a file per command would scatter that table for little gain.

use crate::cli::Command;
use crate::experiment::ExperimentError;
use crate::report::animation::Window;
use crate::report::{self, ReportError, RunIdentity};
use crate::scenario::{self, ScenarioError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Write a line to standard output; a closed pipe (`peacesim list | head -1`) is not an error.
pub fn say(text: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

macro_rules! say_fmt {
    ($($arg:tt)*) => { say(format_args!($($arg)*)) };
}

/// Everything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A scenario file is unreadable or invalid (exit status 2).
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// Several scenario files were checked and at least one is invalid (exit status 2).
    #[error("{0} of the scenario files are invalid")]
    SomeInvalid(usize),
    /// Results could not be written (exit status 1).
    #[error(transparent)]
    Report(#[from] ReportError),
    /// Arguments are wrong (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// An experiment (compare, sweep, merge) failed; its own error says how and with which
    /// exit status.
    #[error(transparent)]
    Experiment(#[from] ExperimentError),
    /// A command could not be completed (exit status 1).
    #[error("{0}")]
    Failed(String),
}

impl Error {
    /// Exit status: 2 for bad input, 1 for failures while working.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_) | Error::SomeInvalid(_) | Error::Usage(_) => 2,
            Error::Report(_) | Error::Failed(_) => 1,
            Error::Experiment(e) => e.exit_code(),
        }
    }
}

/// Run a parsed command. `argv` is recorded in manifests.
pub fn dispatch(command: Command, argv: Vec<String>) -> Result<(), Error> {
    match command {
        Command::Run {
            scenario,
            seed,
            ticks,
            out,
            animate,
            animate_days,
        } => run(scenario, seed, ticks, out, (animate, animate_days), argv),
        Command::Validate { scenarios } => validate(&scenarios),
        Command::Serve {
            scenario,
            port,
            host,
            max_sessions,
            idle_seconds,
            session_memory,
        } => serve(
            scenario,
            port,
            host,
            max_sessions,
            idle_seconds,
            session_memory,
        ),
        Command::Report {
            dir,
            animate,
            animate_days,
        } => {
            let files = rebuild_report(&dir, (animate, animate_days))?;
            say_fmt!(
                "rebuilt {} in {}; open {}",
                report::counted(files.len() as u64, "file"),
                dir.display(),
                dir.join("report.html").display()
            );
            Ok(())
        }
        Command::List => {
            say(list().trim_end());
            Ok(())
        }
        Command::New { name, from, dir } => {
            let path = new_scenario(&name, &from, &dir)?;
            say_fmt!(
                "wrote {} (from the bundled {from}); edit it, then: peacesim run {}",
                path.display(),
                path.display()
            );
            Ok(())
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = crate::cli::Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "peacesim", &mut script);
            say(String::from_utf8_lossy(&script).trim_end());
            Ok(())
        }
        Command::Sweep {
            sweep,
            threads,
            shard,
            out,
            quiet,
        } => {
            use crate::experiment::sweep::{self as sw, Shard};
            let loaded = sw::load(&sweep)?;
            // Once per distinct set of notes (most sweeps move no event).
            let mut said = std::collections::BTreeSet::new();
            for (p, s) in loaded.scenarios.iter().enumerate() {
                let notes = event_notes(s);
                if !notes.is_empty() && said.insert(notes.clone()) {
                    say_notes(&notes, &format!("sweep point {p} (and any alike): "));
                }
            }
            let shard = match shard {
                Some(s) => Shard::parse(&s).map_err(Error::Usage)?,
                None => Shard::from_slurm(|k| std::env::var(k).ok())
                    .map_err(Error::Usage)?
                    .unwrap_or(Shard::WHOLE),
            };
            let out = out.unwrap_or_else(|| {
                PathBuf::from("output").join(format!("sweep-{}", loaded.meta.name))
            });
            let started = std::time::Instant::now();
            let files = sw::run(
                &loaded,
                &sw::SweepOptions {
                    out: out.clone(),
                    threads,
                    shard,
                    quiet,
                    command_line: argv,
                },
            )?;
            eprintln!(
                "{}: {} points × {} replications, shard {}/{}, in {:.1} s; wrote {} files to {}",
                loaded.meta.name,
                loaded.scenarios.len(),
                loaded.meta.replications,
                shard.index,
                shard.count,
                started.elapsed().as_secs_f64(),
                files.len(),
                out.display()
            );
            if shard.count == 1 {
                say_fmt!("open first: {}", out.join("report.html").display());
            }
            if shard.count > 1 {
                eprintln!(
                    "when every shard has finished: peacesim merge {}",
                    out.display()
                );
            }
            Ok(())
        }
        Command::Merge { dir } => {
            use crate::experiment::sweep as sw;
            let loaded = sw::load_saved(&dir)?;
            let files = sw::merge(&loaded, &dir, argv)?;
            let page = dir.join("report.html");
            eprintln!(
                "merged {} runs; wrote {} files to {}",
                loaded.runs(),
                files.len(),
                dir.display()
            );
            say_fmt!("open first: {}", page.display());
            Ok(())
        }
        Command::Compare {
            scenarios,
            runs,
            threads,
            seed,
            ticks,
            crn,
            out,
            quiet,
        } => {
            let mut configs = scenarios
                .iter()
                .map(|p| scenario::load(p))
                .collect::<Result<Vec<_>, _>>()?;
            same_length(&mut configs, ticks)?;
            for c in &configs {
                say_notes(&event_notes(&c.scenario), &format!("{}: ", c.scenario.name));
            }
            let names: Vec<String> = configs.iter().map(|c| c.scenario.name.clone()).collect();
            let out = out.unwrap_or_else(|| {
                crate::experiment::compare::default_dir(Path::new("output"), &names)
            });
            let result =
                crate::experiment::compare::compare(crate::experiment::compare::CompareOptions {
                    configs,
                    runs,
                    threads,
                    seed,
                    crn,
                    out,
                    quiet,
                    command_line: argv,
                })?;
            say(crate::experiment::compare::render_table(&result.table).trim_end());
            let page = result.dir.join("report.html");
            say_fmt!("open first: {}", page.display());
            eprintln!(
                "wrote {} files to {}",
                result.files.len(),
                result.dir.display()
            );
            Ok(())
        }
    }
}

/// Events of `s` that will change nothing in its run, in words: joins of partners that never
/// left ([`scenario::inert_events`]) and events the run ends before (a file's own ticks, or
/// `--ticks` / a sweep's `ticks` cutting it short), which would otherwise pass silently.
fn event_notes(s: &scenario::Scenario) -> Vec<String> {
    let mut notes = scenario::inert_events(s);
    let late: Vec<String> = report::run_charts::event_markers(s)
        .into_iter()
        .filter(|(t, _)| *t > f64::from(s.ticks))
        .map(|(t, label)| format!("{label} (day {t})"))
        .collect();
    if !late.is_empty() {
        notes.push(format!(
            "{} after the run's last day ({}) will not happen: {}; run longer \
             (scenario.ticks or --ticks) to see {}",
            report::counted(late.len() as u64, "event"),
            s.ticks,
            late.join(", "),
            if late.len() == 1 { "it" } else { "them" }
        ));
    }
    notes
}

/// Each note on stderr; `who` names the configuration or sweep point when there are several.
fn say_notes(notes: &[String], who: &str) {
    for n in notes {
        eprintln!("note: {who}{n}");
    }
}

/// A comparison's configurations run equally long: `--ticks` sets every one (checked as
/// `run --ticks`), and without it different lengths are refused (their final values would be
/// compared at different days, silently).
fn same_length(configs: &mut [scenario::LoadedScenario], ticks: Option<u32>) -> Result<(), Error> {
    if let Some(t) = ticks {
        for c in configs.iter_mut() {
            check_ticks(&c.scenario, t as u64, &format!("--ticks {t}"))?;
            c.scenario.ticks = t;
        }
        return Ok(());
    }
    let first = &configs[0].scenario;
    if let Some(other) = configs.iter().find(|c| c.scenario.ticks != first.ticks) {
        return Err(Error::Usage(format!(
            "the configurations run for different lengths ({}: {} ticks, {}: {} ticks), so their \
             final values would be compared at different days; give them the same [scenario] \
             ticks, or pass --ticks N to run every one for N ticks",
            first.name, first.ticks, other.scenario.name, other.scenario.ticks
        )));
    }
    Ok(())
}

/// A number of ticks given outside the scenario file (`what`: where, for the message), checked
/// as the file's own would be ([`scenario::limits::check_ticks`]).
fn check_ticks(s: &scenario::Scenario, t: u64, what: &str) -> Result<(), Error> {
    scenario::limits::check_ticks(s, t).map_err(|m| Error::Usage(format!("{what}: {m}")))
}

/// `--animate` and `--animate-days` as given: whether to animate, and which days.
type AnimateOptions = (bool, Option<String>);

/// The days to animate of a run of `ticks` days: the window `--animate-days` names, the whole
/// run with `--animate`, else `recorded` (the days a rebuilt run animated before).
fn animation(
    (animate, days): AnimateOptions,
    ticks: u32,
    recorded: Option<Window>,
) -> Result<Option<Window>, Error> {
    match days {
        Some(text) => Window::parse(&text, ticks)
            .map(Some)
            .map_err(|m| Error::Usage(format!("--animate-days {m}"))),
        None if animate => Ok(Some(recorded.unwrap_or(Window::whole(ticks)))),
        None => Ok(recorded),
    }
}

fn run(
    path: PathBuf,
    seed: Option<u64>,
    ticks: Option<u32>,
    out: PathBuf,
    animate: AnimateOptions,
    argv: Vec<String>,
) -> Result<(), Error> {
    let loaded = scenario::load(&path)?;
    let mut s = loaded.scenario.clone();
    if let Some(seed) = seed {
        s.seed = seed;
    }
    if let Some(t) = ticks {
        check_ticks(&s, t as u64, &format!("--ticks {t}"))?;
        s.ticks = t;
    }
    let animate = animation(animate, s.ticks, None)?;
    say_notes(&event_notes(&s), "");
    let identity = RunIdentity {
        scenario_name: s.name.clone(),
        scenario_file: loaded.path.display().to_string(),
        scenario_sha256: report::sha256_hex(loaded.text.as_bytes()),
        seed: s.seed,
        run: 0,
        ticks: s.ticks,
        command_line: argv,
    };
    let dir = out.join(&s.name);
    // Held until the run's files are written: a second run into the same folder stops here.
    let _lock = report::lock_folder(&dir, report::Hold::Exclusive)?;
    report::refuse_other_results(&dir, "run")?;
    refuse_other_scenarios_results(&dir, &identity)?;
    // Aid coverage means nothing without aid teams (the charts leave it out too).
    let has_aid = s.fields(scenario::UnitKind::AidTeam);
    let written = report::visual::run_and_write(Arc::new(s), &identity, &dir, animate)?;
    let (output, files, elapsed) = (written.output, written.files, written.simulated_in);
    if let Some(last) = output.ticks.last() {
        say_fmt!(
            "{}: {} ticks in {:.4} s (seed {}); final trust {:.3}, security coverage {:.3}, \
             {}stability {:.3}",
            identity.scenario_name,
            identity.ticks,
            elapsed.as_secs_f64(),
            identity.seed,
            last.mean_trust,
            last.security_coverage,
            if has_aid {
                format!("aid coverage {:.3}, ", last.aid_coverage)
            } else {
                String::new()
            },
            last.stability
        );
    }
    say_fmt!("wrote {} files to {}", files.len(), dir.display());
    say_fmt!(
        "open first: {} (every chart, map and table in one page; numbers in timeseries.csv)",
        dir.join("report.html").display()
    );
    Ok(())
}

/// `peacesim serve`: check the scenario, then serve the classroom view until stopped.
fn serve(
    path: PathBuf,
    port: u16,
    host: String,
    max_sessions: u32,
    idle_seconds: u64,
    session_memory: u64,
) -> Result<(), Error> {
    use crate::serve::{ServeOptions, branch::Branch, session::Limits};
    let memory_budget = session_memory.min(scenario::memory_budget());
    let loaded = scenario::load(&path)?;
    scenario::parse_str_with(&loaded.text, &loaded.path, memory_budget)?;
    let default = Branch {
        file: loaded.path.display().to_string(),
        seed: loaded.scenario.seed,
        base: loaded.text,
        added: Vec::new(),
    };
    let opts = ServeOptions {
        host,
        port,
        limits: Limits {
            max_sessions: max_sessions as usize,
            idle: std::time::Duration::from_secs(idle_seconds),
            memory_budget,
        },
    };
    crate::serve::serve(default, opts, |url| {
        say_fmt!("peacesim serve: open {url} (Ctrl-C stops the server)");
    })
    .map_err(|e| Error::Failed(e.to_string()))
}

/// `peacesim report DIR`: re-run what `DIR/manifest.json` records and rewrite the folder,
/// refusing when the scenario file changed or the results would differ from the recorded ones.
pub fn rebuild_report(dir: &Path, animate: AnimateOptions) -> Result<Vec<PathBuf>, Error> {
    let path = dir.join("manifest.json");
    if !path.is_file() {
        return Err(not_a_results_folder(dir, &path));
    }
    // Held while the folder is rewritten, like `run` holds it (the agent views are streamed to
    // temporaries there, which another command holding the folder would remove). The manifest
    // is read once held: a merge finishing meanwhile cannot leave it stale.
    let _lock = report::lock_folder(dir, report::Hold::Exclusive)?;
    let text = std::fs::read_to_string(&path).map_err(report::io_err(&path))?;
    let m: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    match m.get("kind").and_then(|k| k.as_str()) {
        Some("run") => {}
        Some("compare" | "sweep") => {
            // Lost charts are drawn again from the folder's data, and its page from its files.
            if animate.0 || animate.1.is_some() {
                eprintln!("note: --animate is for run folders; a comparison or sweep has none");
            }
            let mut written = crate::experiment::redraw::repair_charts(dir, &m)?;
            written.push(report::html::write_folder_page(dir)?);
            return Ok(written);
        }
        other => {
            return Err(Error::Usage(format!(
                "{}: not a manifest peacesim wrote (its \"kind\" is {}, not run, compare or \
                 sweep); nothing was rewritten",
                path.display(),
                other.map_or("missing".to_string(), |k| format!("{k:?}"))
            )));
        }
    }
    let field = |k: &str| {
        m.get(k)
            .ok_or_else(|| Error::Usage(format!("{}: no \"{k}\"", path.display())))
    };
    let file = field("scenario_file")?
        .as_str()
        .unwrap_or_default()
        .to_string();
    let recorded = Path::new(&file);
    if recorded.is_relative()
        && scenario::library::recorded_name(&file).is_none()
        && !recorded.exists()
    {
        // Manifests record the path as the run was given it: relative to where it started.
        return Err(Error::Usage(format!(
            "{}: the scenario file {file} is not found from here; the manifest records it \
             relative to the directory `peacesim run` was started in: run `peacesim report` \
             from there",
            dir.display()
        )));
    }
    let loaded = scenario::load(recorded)?;
    let sha = report::sha256_hex(loaded.text.as_bytes());
    if field("scenario_sha256")?.as_str() != Some(sha.as_str()) {
        return Err(Error::Usage(format!(
            "{file} changed since this run (its SHA-256 differs from the manifest's): run it \
             again with peacesim run"
        )));
    }
    let number = |k: &str| -> Result<u64, Error> {
        field(k)?
            .as_u64()
            .ok_or_else(|| Error::Usage(format!("{}: \"{k}\" is not a number", path.display())))
    };
    let mut s = loaded.scenario.clone();
    s.seed = number("seed")?;
    let ticks = number("ticks")?;
    // The manifest is a file like any input: its ticks are checked as `run --ticks` would be.
    check_ticks(
        &s,
        ticks,
        &format!("{}: \"ticks\": {ticks}", path.display()),
    )?;
    s.ticks = ticks as u32;
    let identity = RunIdentity {
        scenario_name: s.name.clone(),
        scenario_file: file,
        scenario_sha256: sha,
        seed: s.seed,
        run: number("run")?,
        ticks: s.ticks,
        command_line: field("command_line")?
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
    };
    // A run drawn with `--animate` is rebuilt with its animation, of the same days (its first
    // and last frames say which): otherwise the rebuild would drop animation.gif and the
    // frames the manifest lists (and remove them from the folder).
    let recorded = m
        .get("files")
        .and_then(|f| f.as_object())
        .and_then(|f| Window::of_run(f.keys().map(|k| k.as_str()), s.ticks));
    let animate = animation(animate, s.ticks, recorded)?;
    let report::visual::Drawn {
        output,
        files: extra,
        pictures,
        ..
    } = report::visual::draw(Arc::new(s), &identity, dir, animate)?;
    let ts = report::run::with_identity(
        &report::csv_bytes(&output.ticks, &dir.join("timeseries.csv"))?,
        &identity,
    );
    let recorded = m
        .get("files")
        .and_then(|f| f.get("timeseries.csv"))
        .and_then(|v| v.as_str());
    if recorded != Some(report::sha256_hex(&ts).as_str()) {
        return Err(Error::Failed(format!(
            "{}: re-running gives other results than the recorded ones (another peacesim \
             version?); nothing was rewritten",
            dir.display()
        )));
    }
    Ok(report::write_run(dir, &identity, &output, extra, pictures)?)
}

/// Why `dir` cannot be rebuilt by `report` when its `manifest.json` cannot be read (`e`), and
/// what to do instead.
fn not_a_results_folder(dir: &Path, manifest: &Path) -> Error {
    let shown = dir.display();
    let which = "name a folder written by peacesim run, compare, sweep or merge (it holds \
                 manifest.json)";
    let parts = dir.join("parts");
    Error::Usage(if !dir.exists() {
        format!("{shown}: no such folder; {which}")
    } else if !dir.is_dir() {
        let toml = dir.extension().is_some_and(|x| x == "toml");
        format!(
            "{shown} is a file, not a folder; {which}{}",
            if toml {
                format!(
                    " (a scenario file runs with `peacesim run {shown}`, a sweep file with \
                     `peacesim sweep {shown}`)"
                )
            } else {
                String::new()
            }
        )
    } else if manifest.exists() {
        format!("{} is not a file; {which}", manifest.display())
    } else if parts.join("sweep.toml").is_file() {
        // Parts of more than one shard: merge them; otherwise the sweep itself resumes.
        let sharded = std::fs::read_dir(&parts).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.starts_with("part-")
                    && name.ends_with(".json")
                    && !name.ends_with("-of-1.json")
            })
        });
        if sharded {
            format!(
                "{shown} holds the parts of a sharded sweep, not merged yet: once every shard \
                 has finished, run `peacesim merge {shown}` (it writes the page)"
            )
        } else {
            format!(
                "{shown} holds a sweep that did not finish: run its `peacesim sweep` command \
                 again (each shard with its own --shard) to resume it; finished runs are kept"
            )
        }
    } else {
        // A folder of results folders (`output/`): name them.
        let mut inside: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join("manifest.json").is_file())
            .map(|e| e.path().display().to_string())
            .collect();
        inside.sort();
        if inside.is_empty() {
            format!(
                "{shown} holds no manifest.json, so no peacesim command finished writing it (a \
                 run stopped early leaves none); {which}, or run the command again"
            )
        } else {
            let more = inside.len().saturating_sub(5);
            inside.truncate(5);
            format!(
                "{shown} holds results folders, not results: name one of them ({}{})",
                inside.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )
        }
    })
}

/// Folders are named by `[scenario] name`: a run never silently replaces the results of another
/// scenario file that has the same name (a copy of `baseline.toml` still called "baseline").
/// The same file (edited or not) or the same text (the bundled copy) may replace them.
fn refuse_other_scenarios_results(dir: &Path, id: &RunIdentity) -> Result<(), Error> {
    let Ok(bytes) = std::fs::read(dir.join("manifest.json")) else {
        return Ok(());
    };
    let Ok(m) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Ok(());
    };
    let (file, sha) = (m["scenario_file"].as_str(), m["scenario_sha256"].as_str());
    match (file, sha) {
        (Some(f), Some(h)) if f != id.scenario_file && h != id.scenario_sha256 => {
            Err(Error::Usage(format!(
                "{} holds the results of {f}, another scenario file named \"{}\"; give this run \
                 another --out, or another name in its [scenario] table (nothing was replaced)",
                dir.display(),
                id.scenario_name
            )))
        }
        _ => Ok(()),
    }
}

/// The bundled scenarios, one per line: name and title.
pub fn list() -> String {
    use crate::scenario::library::BUNDLED;
    let width = BUNDLED.iter().map(|b| b.name.len()).max().unwrap_or(0);
    let mut out = String::from(
        "Bundled scenarios (run one with `peacesim run NAME`, copy one with `peacesim new MY-NAME --from NAME`):\n",
    );
    // Each title, then what the scenario teaches, wrapped under it.
    let indent = " ".repeat(width + 4);
    for b in BUNDLED {
        out.push_str(&format!("  {:width$}  {}\n", b.name, b.title()));
        let mut line = String::new();
        for word in b.teaches().split(' ') {
            if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > 96 {
                out.push_str(&format!("{indent}{line}\n"));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            out.push_str(&format!("{indent}{line}\n"));
        }
    }
    out
}

/// Write `dir/NAME.toml`, a renamed copy of the bundled scenario `from`; never overwrites.
pub fn new_scenario(name: &str, from: &str, dir: &Path) -> Result<PathBuf, Error> {
    use crate::scenario::library;
    use std::io::Write;
    let name = name.strip_suffix(".toml").unwrap_or(name);
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::Usage(format!(
            "\"{name}\" cannot name a scenario: use 1 to 64 letters, digits, '-' and '_' \
             (it also names the output folder)"
        )));
    }
    let Some(b) = library::find(from) else {
        return Err(Error::Usage(format!(
            "--from {from}: no bundled scenario of that name; bundled: {}",
            library::names()
        )));
    };
    let text = library::renamed(b, name);
    let path = dir.join(format!("{name}.toml"));
    let io = |e: std::io::Error| {
        Error::Report(ReportError::Io {
            path: path.clone(),
            source: e,
        })
    };
    // The folder is made if missing, as --out's are.
    std::fs::create_dir_all(dir).map_err(report::io_err(dir))?;
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Usage(format!(
                "{} already exists; choose another name or --dir (peacesim never overwrites it)",
                path.display()
            )));
        }
        Err(e) => return Err(io(e)),
    };
    if let Err(e) = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
    {
        drop(file);
        let _ = std::fs::remove_file(&path);
        return Err(io(e));
    }
    Ok(path)
}

fn validate(paths: &[PathBuf]) -> Result<(), Error> {
    let mut bad = 0;
    let mut last_err = None;
    for path in paths {
        match scenario::load(path) {
            Ok(l) => {
                let s = &l.scenario;
                let citizens: u32 = s.districts.iter().map(|d| d.population).sum();
                let units: u32 = s.units.iter().map(|u| u.count).sum();
                // Bernoulli placement draws each cell, so these are expected counts.
                let about = match s.unrest.placement {
                    crate::scenario::raw::Placement::Bernoulli => "about ",
                    crate::scenario::raw::Placement::Exact => "",
                };
                let n = |n: usize| n as u64;
                say_fmt!(
                    "ok: {} — \"{}\": {}×{} map, {}, {about}{}, {}, {about}{}, {}",
                    path.display(),
                    s.name,
                    s.map.width,
                    s.map.height,
                    report::counted(n(s.districts.len()), "district"),
                    report::counted(citizens, "citizen"),
                    report::counted(n(s.partners.len()), "partner"),
                    report::counted(units, "unit"),
                    report::counted(s.ticks, "tick")
                );
                say_notes(&event_notes(s), "");
            }
            Err(e) => {
                bad += 1;
                if paths.len() > 1 {
                    eprintln!("error: {e}");
                }
                last_err = Some(e);
            }
        }
    }
    match (bad, last_err) {
        (0, _) => Ok(()),
        (1, Some(e)) if paths.len() == 1 => Err(Error::Scenario(e)),
        (n, _) => Err(Error::SomeInvalid(n)),
    }
}
