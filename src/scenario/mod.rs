//! Scenario files: TOML on disk → [`ScenarioFile`] (serde, as written) → [`Scenario`] (checked).
//!
//! Loading never panics on user input. A file that does not parse, or parses but breaks a rule,
//! yields a [`ScenarioError`] whose every problem names the file, line:column, the field path and
//! what would be valid. The CLI maps these errors to exit status 2.

pub mod kinds;
pub mod library;
pub mod limits;
mod locate;
#[macro_use]
pub mod params;
pub mod raw;
pub mod schema;
mod validate;

pub use kinds::{
    Activation, AidPolicy, ArrestRatio, CoordinationMechanism, EventKind, Neutrality, PartnerKind,
    PatrolPolicy, Posture, SharingPolicy, Technology, UnitKind, VisionShape,
};
pub use limits::{memory_budget, set_memory_budget};
pub use locate::{FieldPath, LineIndex, line_col};
pub use params::{
    ConsentFile, DisplacementFile, MechanismsFile, SpoilersFile, StabilityFile, StandingFile,
};
pub use raw::ScenarioFile;
pub use validate::{ConvoySpec, DistrictSpec, EventSpec, MapSpec, PartnerSpec, Scenario, UnitSpec};

use std::path::{Path, PathBuf};

/// One thing wrong with a scenario, located in its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    /// Field path, e.g. `units[2].partner`.
    pub field: String,
    /// What is wrong and what would be valid.
    pub message: String,
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// There is no such file and no bundled scenario of that name.
    #[error(
        "{file}: {}, and no bundled scenario of that name (bundled: {bundled}; \
         `peacesim list` describes them){}",
        if *folder { "a folder, not a scenario file" } else { "no such scenario file" },
        near.map_or(String::new(), |n| format!("; did you mean `{n}`?"))
    )]
    NotFound {
        file: PathBuf,
        bundled: String,
        /// The bundled name a typo is closest to, if any ([`library::closest`]).
        near: Option<&'static str>,
        /// The path names a folder (looked up once, where the error is made).
        folder: bool,
    },
    /// The file could not be read at all.
    #[error("{file}: cannot read the scenario file")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or does not fit the scenario schema.
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// The file parses but breaks one or more rules; all problems are listed.
    #[error("{}", render_problems(file, problems))]
    Invalid {
        file: PathBuf,
        problems: Vec<Problem>,
    },
}

fn render_problems(file: &Path, problems: &[Problem]) -> String {
    let mut out = format!(
        "{}: {} problem{} in the scenario:",
        file.display(),
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        out.push_str(&format!(
            "\n  {}:{}:{}: {}: {}",
            file.display(),
            p.line,
            p.column,
            p.field,
            p.message
        ));
    }
    out
}

/// Line and column of `path` in TOML `text` (any TOML file, e.g. a sweep file).
pub fn locate_in(text: &str, path: &FieldPath) -> Option<(usize, usize)> {
    locate::locate(text, path).map(|off| line_col(text, off))
}

/// The field path (`parameters[1].label`) of the entry at byte `offset` of TOML `text`.
pub fn path_at(text: &str, offset: usize) -> Option<String> {
    locate::path_at(text, offset).map(|p| p.to_string())
}

/// A scenario as loaded from disk, with the text it came from (for hashing into manifests).
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    pub path: PathBuf,
    pub text: String,
    pub scenario: Scenario,
}

/// Read, parse and validate a scenario file. A bare name that is not a file (`baseline`,
/// `epstein.toml`) names a bundled scenario (see [`library`]).
pub fn load(path: &Path) -> Result<LoadedScenario, ScenarioError> {
    // `<bundled>/NAME.toml` is how manifests record a bundled scenario.
    let bundled_name = path.to_str().and_then(library::recorded_name).or_else(|| {
        (path.components().count() == 1)
            .then(|| path.to_str())
            .flatten()
    });
    // A folder cannot be a scenario: one named like a bundled scenario (an output folder,
    // `output/baseline` seen from `output/`) does not hide it.
    if (!path.exists() || path.is_dir())
        && let Some(b) = bundled_name.and_then(library::find)
    {
        let shown = PathBuf::from(b.display_path());
        let scenario = parse_str(b.text, &shown)?;
        return Ok(LoadedScenario {
            path: shown,
            text: b.text.to_string(),
            scenario,
        });
    }
    if path.is_dir() {
        return Err(ScenarioError::NotFound {
            file: path.to_path_buf(),
            bundled: library::names(),
            near: None,
            folder: true,
        });
    }
    let bytes = std::fs::read(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound && path.components().count() == 1 {
            ScenarioError::NotFound {
                file: path.to_path_buf(),
                bundled: library::names(),
                near: library::closest(&path.to_string_lossy()),
                folder: false,
            }
        } else {
            ScenarioError::Io {
                file: path.to_path_buf(),
                source,
            }
        }
    })?;
    let text = utf8_text(bytes).map_err(|(line, column, valid)| ScenarioError::Parse {
        file: path.to_path_buf(),
        line,
        column,
        message: format!("byte {valid} is not UTF-8 text; save the scenario file as UTF-8"),
    })?;
    let scenario = parse_str(&text, path)?;
    Ok(LoadedScenario {
        path: path.to_path_buf(),
        text,
        scenario,
    })
}

/// The file's bytes as text, or the line, column (1-based, in bytes) and offset of the first
/// byte that is not UTF-8 (scenario and sweep files both need a located refusal).
pub fn utf8_text(bytes: Vec<u8>) -> Result<String, (usize, usize, usize)> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid
            - bytes[..valid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |nl| nl + 1)
            + 1;
        (line, column, valid)
    })
}

/// Events of a valid scenario that will change nothing when they fire, in words: a `join` of a
/// partner that is in the mission from the start, with no withdraw (of some of it) before. Not
/// an error: a sweep may set `engaged` either way (arrive later, or be there from the start).
pub fn inert_events(s: &Scenario) -> Vec<String> {
    // One pass in the order events apply (tick, then file order): which partners a withdraw
    // (of some of it) has taken out so far.
    let mut withdrawn = vec![false; s.partners.len()];
    let mut notes = Vec::new();
    for e in &s.events {
        let Some(p) = e.partner.filter(|&p| p < s.partners.len()) else {
            continue;
        };
        match e.kind {
            EventKind::Withdraw if e.amount > 0.0 => withdrawn[p] = true,
            EventKind::Join if s.partners[p].engaged && !withdrawn[p] => notes.push(format!(
                "the join of \"{}\" on day {} changes nothing: it is in the mission from the \
                 start and nothing withdraws it before (declare it engaged = false to have it \
                 arrive that day)",
                s.partners[p].name, e.tick
            )),
            _ => {}
        }
    }
    notes
}

/// The line (1-based) of a top-level `[name]` table header in TOML `text`, if any: tells a
/// file of the wrong kind (a sweep given as a scenario, or the reverse) before its fields are
/// reported as unknown.
pub fn top_level_table_line(text: &str, name: &str) -> Option<usize> {
    let header = format!("[{name}]");
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with(&header)
                && l[header.len()..]
                    .trim_start()
                    .chars()
                    .next()
                    .is_none_or(|c| c == '#')
        })
        .map(|i| i + 1)
}

/// Parse and validate scenario text against the memory budget in force ([`set_memory_budget`]);
/// `file` is only used in messages.
pub fn parse_str(text: &str, file: &Path) -> Result<Scenario, ScenarioError> {
    parse_str_with(text, file, memory_budget())
}

/// [`parse_str`] with an explicit memory budget in bytes.
pub fn parse_str_with(
    text: &str,
    file: &Path,
    memory_budget: u64,
) -> Result<Scenario, ScenarioError> {
    if text.trim().is_empty() {
        return Err(ScenarioError::Parse {
            file: file.to_path_buf(),
            line: 1,
            column: 1,
            message: "the file is empty; a scenario needs at least the [scenario] and [map] \
                      tables and one [[districts]] entry (see scenarios/baseline.toml)"
                .into(),
        });
    }
    if let Some(line) = top_level_table_line(text, "sweep") {
        return Err(ScenarioError::Parse {
            file: file.to_path_buf(),
            line,
            column: 1,
            message: "this is a sweep file (it has a [sweep] table), not a scenario: run it with \
                      `peacesim sweep FILE`"
                .into(),
        });
    }
    let (raw, schema_problems) = schema::deserialize_all::<ScenarioFile>(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        let field = e.span().and_then(|s| locate::path_at(text, s.start));
        let mut message = e.message().trim().to_string();
        if message == "duplicate key"
            && let Some(key) = e.span().and_then(|s| text.get(s)).map(str::trim)
        {
            // TOML's own words name neither the key nor the fix.
            message = format!(
                "`{key}` is defined twice (a repeated key or table); keep one and edit it there \
                 (a file made with `peacesim new` already has every table)"
            );
        }
        ScenarioError::Parse {
            file: file.to_path_buf(),
            line,
            column,
            message: match field {
                Some(f) if !message.contains(&f.to_string()) => format!("{f}: {message}"),
                _ => message,
            },
        }
    })?;
    // Parse the spans once for all problems: locating stays linear in the file.
    let lines = LineIndex::new(text);
    let mut problems: Vec<Problem> = schema_problems
        .into_iter()
        .map(|p| {
            let (line, column) = lines.line_col(p.span.start);
            // A missing field is named by where it belongs: the table serde points at (the
            // document itself at 0..0), then the field.
            let missing = p
                .message
                .strip_prefix("missing field `")
                .and_then(|m| m.split('`').next());
            let at = if missing.is_some() && p.span == (0..0) {
                None
            } else {
                locate::path_at(text, p.span.start)
            };
            let field = match (at, missing) {
                (Some(t), Some(m)) => t.key(m).to_string(),
                (None, Some(m)) => m.to_string(),
                (Some(t), None) => t.to_string(),
                (None, None) => String::new(),
            };
            let message = match missing {
                Some(m) => format!(
                    "missing field `{m}`; add it (see `peacesim new` for a file with every field)"
                ),
                None => p.message,
            };
            Problem {
                line,
                column,
                field,
                message,
            }
        })
        .collect();
    let issues = match raw.map(|raw| validate::validate(raw, memory_budget)) {
        Some(Ok(scenario)) if problems.is_empty() => return Ok(scenario),
        Some(Err(issues)) => issues,
        _ => Vec::new(),
    };
    let tree = toml::de::DeTable::parse(text).ok();
    problems.extend(issues.into_iter().map(|(path, message)| {
        let (line, column) = tree
            .as_ref()
            .and_then(|t| locate::locate_in_table(t.get_ref(), &path))
            .map_or((1, 1), |off| lines.line_col(off));
        Problem {
            line,
            column,
            field: path.to_string(),
            message,
        }
    }));
    // In file order, as an editor shows them (stable: problems at one place keep their order).
    problems.sort_by_key(|p| (p.line, p.column));
    Err(ScenarioError::Invalid {
        file: file.to_path_buf(),
        problems,
    })
}
