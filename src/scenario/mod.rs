//! Scenario files: TOML on disk → [`ScenarioFile`] (serde, as written) → [`Scenario`] (checked).
//!
//! Loading never panics on user input. A file that does not parse, or parses but breaks a rule,
//! yields a [`ScenarioError`] whose every problem names the file, line:column, the field path and
//! what would be valid. The CLI maps these errors to exit status 2.

mod locate;
pub mod raw;
mod validate;

pub use locate::{FieldPath, line_col};
pub use raw::ScenarioFile;
pub use validate::{ConvoySpec, DistrictSpec, MapSpec, PartnerSpec, Scenario, UnitSpec};

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Which cells an agent sees (see docs/MODEL.md, "Vision").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VisionShape {
    /// The four compass lines, as Epstein (2002) describes vision.
    Cross,
    /// Manhattan distance ≤ v (Mesa's von Neumann neighbourhood).
    Diamond,
    /// Euclidean distance ≤ v (NetLogo's `in-radius`).
    #[default]
    Disk,
    /// Chebyshev distance ≤ v (Moore neighbourhood).
    Square,
}

/// How the cop-to-active ratio enters the arrest probability P = 1 − exp(−k·r(C/A)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrestRatio {
    /// r = ⌊C/A⌋ (NetLogo's Rebellion).
    #[default]
    Floor,
    /// r = round(C/A), ties to even (Mesa's Python `round`).
    Round,
    /// r = C/A (the rule as printed in the paper).
    Exact,
}

/// Order in which citizens and patrols act within a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// Every agent acts in a fresh random order and sees the changes of those before it.
    #[default]
    RandomSequential,
    /// All citizens decide from the state at the start of the tick.
    Simultaneous,
}

/// The organisations the seed document names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    CoalitionContingent,
    RegionalOrganisation,
    UnAgency,
    Ngo,
    Contractor,
    LocalOrganisation,
}

impl PartnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PartnerKind::CoalitionContingent => "coalition_contingent",
            PartnerKind::RegionalOrganisation => "regional_organisation",
            PartnerKind::UnAgency => "un_agency",
            PartnerKind::Ngo => "ngo",
            PartnerKind::Contractor => "contractor",
            PartnerKind::LocalOrganisation => "local_organisation",
        }
    }
}

/// What a unit does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Armed presence: deters and detains active citizens (Epstein's cops).
    Patrol,
    /// Humanitarian team: lowers hardship where security allows access.
    AidTeam,
    /// Contractor supply run from the depot to a client partner.
    Convoy,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Patrol => "patrol",
            UnitKind::AidTeam => "aid_team",
            UnitKind::Convoy => "convoy",
        }
    }

    /// Partner kinds allowed to field this unit kind.
    pub fn fielded_by(self) -> &'static [PartnerKind] {
        use PartnerKind::*;
        match self {
            UnitKind::Patrol => &[CoalitionContingent, RegionalOrganisation, UnAgency],
            UnitKind::AidTeam => &[Ngo, UnAgency, LocalOrganisation],
            UnitKind::Convoy => &[Contractor],
        }
    }
}

/// Security posture of a force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Posture {
    #[default]
    Restrained,
    Robust,
}

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
    /// The file could not be read at all.
    #[error("{file}: cannot read the scenario file: {source}")]
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

/// A scenario as loaded from disk, with the text it came from (for hashing into manifests).
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    pub path: PathBuf,
    pub text: String,
    pub scenario: Scenario,
}

/// Read, parse and validate a scenario file.
pub fn load(path: &Path) -> Result<LoadedScenario, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    let scenario = parse_str(&text, path)?;
    Ok(LoadedScenario {
        path: path.to_path_buf(),
        text,
        scenario,
    })
}

/// Parse and validate scenario text; `file` is only used in messages.
pub fn parse_str(text: &str, file: &Path) -> Result<Scenario, ScenarioError> {
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
    let raw: ScenarioFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        ScenarioError::Parse {
            file: file.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    validate::validate(raw).map_err(|issues| ScenarioError::Invalid {
        file: file.to_path_buf(),
        problems: issues
            .into_iter()
            .map(|(path, message)| {
                let (line, column) =
                    locate::locate(text, &path).map_or((1, 1), |off| line_col(text, off));
                Problem {
                    line,
                    column,
                    field: path.to_string(),
                    message,
                }
            })
            .collect(),
    })
}
