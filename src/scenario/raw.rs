//! The scenario file as written: serde types that mirror the TOML one to one.
//!
//! Every struct denies unknown fields so that a typo (`patrol` for `patrols`) is an error with a
//! line number rather than a silently ignored setting. Defaults live here, next to the field they
//! belong to, and are documented in `docs/MODEL.md`. Nothing in this file checks ranges or
//! cross-references: that is [`super::validate`]'s job, which turns a [`ScenarioFile`] into a
//! checked [`super::Scenario`].

use super::{Activation, ArrestRatio, PartnerKind, Posture, UnitKind, VisionShape};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub scenario: MetaFile,
    pub map: MapFile,
    pub districts: Vec<DistrictFile>,
    #[serde(default)]
    pub citizens: CitizensFile,
    #[serde(default)]
    pub unrest: UnrestFile,
    #[serde(default)]
    pub security: SecurityFile,
    #[serde(default)]
    pub aid: AidFile,
    #[serde(default)]
    pub trust: TrustFile,
    #[serde(default)]
    pub partners: Vec<PartnerFile>,
    #[serde(default)]
    pub units: Vec<UnitFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetaFile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "d_seed")]
    pub seed: u64,
    #[serde(default = "d_ticks")]
    pub ticks: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapFile {
    /// Side of the square block of cells that one character of `rows` stands for.
    #[serde(default = "d_block")]
    pub block: u32,
    /// The map drawn as text, one string per row of blocks, one character per block.
    #[serde(default)]
    pub rows: Vec<String>,
    /// Which district each character of `rows` belongs to.
    #[serde(default)]
    pub legend: BTreeMap<String, String>,
    /// Without `rows`: the grid's width in cells; districts are tiled in the order listed.
    pub width: Option<u32>,
    /// Without `rows`: the grid's height in cells.
    pub height: Option<u32>,
    /// Whether the map wraps around at its edges (Epstein's torus) or has hard borders.
    #[serde(default)]
    pub torus: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictFile {
    pub name: String,
    /// Number of citizen agents living in the district at the start.
    pub population: Option<i64>,
    /// Alternatively: the share of the district's cells that hold a citizen at the start.
    pub density: Option<f64>,
    /// Mean baseline hardship H in [0, 1].
    #[serde(default = "d_half")]
    pub hardship: f64,
    /// Mean initial trust T in the mission (Epstein's legitimacy L) in [0, 1].
    #[serde(default = "d_trust")]
    pub initial_trust: f64,
    /// Security level in [0, 1] an aid team needs before it can work here.
    #[serde(default = "d_access")]
    pub access: f64,
    /// Presence of armed spoilers in [0, 1]: lowers the district's security level.
    #[serde(default)]
    pub spoilers: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitizensFile {
    /// Individual hardship is the district mean ± this half-width (uniform), clamped to [0, 1].
    #[serde(default = "d_half")]
    pub hardship_spread: f64,
    /// Individual initial trust is the district mean ± this half-width (uniform).
    #[serde(default)]
    pub trust_spread: f64,
    /// Per tick, hardship relaxes toward the citizen's baseline by this fraction of the gap.
    #[serde(default = "d_recovery")]
    pub hardship_recovery: f64,
}

impl Default for CitizensFile {
    fn default() -> Self {
        Self {
            hardship_spread: d_half(),
            trust_spread: 0.0,
            hardship_recovery: d_recovery(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnrestFile {
    #[serde(default = "d_true")]
    pub enabled: bool,
    /// Epstein's threshold: a citizen turns active when G − R·P exceeds it.
    #[serde(default = "d_threshold")]
    pub threshold: f64,
    /// Epstein's k in P = 1 − exp(−k·⌊C/A⌋).
    #[serde(default = "d_k")]
    pub k: f64,
    /// Vision radius in cells, for citizens and patrols.
    #[serde(default = "d_vision")]
    pub vision: u32,
    /// "cross" (Epstein's paper), "diamond" (Mesa), "disk" (NetLogo) or "square".
    #[serde(default)]
    pub vision_shape: VisionShape,
    /// "floor" (NetLogo), "round" (Mesa, ties to even) or "exact" (the paper's printed rule).
    #[serde(default)]
    pub arrest_ratio: ArrestRatio,
    /// "random_sequential" (Epstein, NetLogo) or "simultaneous".
    #[serde(default)]
    pub activation: Activation,
    /// Detention terms are drawn uniformly from 0..max_jail_term (NetLogo's convention).
    #[serde(default = "d_jail")]
    pub max_jail_term: u32,
}

impl Default for UnrestFile {
    fn default() -> Self {
        Self {
            enabled: true,
            threshold: d_threshold(),
            k: d_k(),
            vision: d_vision(),
            vision_shape: VisionShape::default(),
            arrest_ratio: ArrestRatio::default(),
            activation: Activation::default(),
            max_jail_term: d_jail(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityFile {
    /// Troops a patrol stands for, for the troops-per-1,000-residents coverage measure.
    #[serde(default = "d_strength")]
    pub troops_per_patrol: f64,
    /// Troops per 1,000 residents that give 2/3 coverage (Athena's nominal calibration: 25).
    #[serde(default = "d_nominal")]
    pub nominal_troops_per_1000: f64,
    /// Cells within this radius of a civilian-harm incident lose trust.
    #[serde(default = "d_harm_radius")]
    pub harm_radius: u32,
    #[serde(default)]
    pub restrained: PostureFile,
    #[serde(default = "PostureFile::robust")]
    pub robust: PostureFile,
}

impl Default for SecurityFile {
    fn default() -> Self {
        Self {
            troops_per_patrol: d_strength(),
            nominal_troops_per_1000: d_nominal(),
            harm_radius: d_harm_radius(),
            restrained: PostureFile::default(),
            robust: PostureFile::robust(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostureFile {
    /// Active citizens a patrol may detain per tick.
    pub detentions_per_tick: u32,
    /// Probability that a detention harms civilians (an incident that cuts trust nearby).
    pub harm_probability: f64,
}

impl Default for PostureFile {
    fn default() -> Self {
        Self {
            detentions_per_tick: 1,
            harm_probability: 0.01,
        }
    }
}

impl PostureFile {
    fn robust() -> Self {
        Self {
            detentions_per_tick: 3,
            harm_probability: 0.05,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AidFile {
    /// Aid teams reach citizens within this radius (square) of their cell.
    #[serde(default = "d_aid_radius")]
    pub radius: u32,
    /// Each tick of aid multiplies a reached citizen's hardship by (1 − effect).
    #[serde(default = "d_aid_effect")]
    pub effect: f64,
    /// Aid coverage counts citizens reached within this many past ticks.
    #[serde(default = "d_window")]
    pub coverage_window: u32,
    /// Cells an aid team may move per tick.
    #[serde(default = "d_aid_move")]
    pub move_radius: u32,
}

impl Default for AidFile {
    fn default() -> Self {
        Self {
            radius: d_aid_radius(),
            effect: d_aid_effect(),
            coverage_window: d_window(),
            move_radius: d_aid_move(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustFile {
    /// With `false`, trust stays at its initial value (Epstein's fixed legitimacy).
    #[serde(default = "d_true")]
    pub enabled: bool,
    /// Gain per tick toward 1 while a patrol is in sight (felt security).
    #[serde(default = "d_sec_gain")]
    pub security_gain: f64,
    /// Gain per tick toward 1 on a tick the citizen receives aid.
    #[serde(default = "d_aid_gain")]
    pub aid_gain: f64,
    /// Loss per tick, as a fraction of trust, per civilian-harm incident nearby.
    #[serde(default = "d_harm_loss")]
    pub harm_loss: f64,
    /// Loss per tick, as a fraction of trust, per unit of hardship above `need_tolerance`.
    #[serde(default = "d_need_loss")]
    pub need_loss: f64,
    /// Hardship a citizen tolerates before unmet need erodes trust.
    #[serde(default = "d_need_tol")]
    pub need_tolerance: f64,
    /// Pull per tick toward the district's mean trust (neighbours' influence).
    #[serde(default = "d_neighbour")]
    pub neighbour_weight: f64,
}

impl Default for TrustFile {
    fn default() -> Self {
        Self {
            enabled: true,
            security_gain: d_sec_gain(),
            aid_gain: d_aid_gain(),
            harm_loss: d_harm_loss(),
            need_loss: d_need_loss(),
            need_tolerance: d_need_tol(),
            neighbour_weight: d_neighbour(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerFile {
    pub name: String,
    /// coalition_contingent, regional_organisation, un_agency, ngo, contractor, local_organisation.
    pub kind: PartnerKind,
    /// Supply in stock at the start, in unit-days (one unit operating for one tick uses one).
    #[serde(default = "d_supply")]
    pub supply: f64,
    /// Most supply the partner can hold, in unit-days.
    #[serde(default = "d_supply_cap")]
    pub supply_capacity: f64,
    /// Supply the partner's own logistics bring in each tick, in unit-days.
    #[serde(default)]
    pub resupply: f64,
    /// Cost of one unit operating for one tick (any currency, used consistently).
    #[serde(default = "d_one")]
    pub cost_per_unit_day: f64,
    /// "restrained" or "robust" (forces only).
    #[serde(default)]
    pub posture: Posture,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitFile {
    pub partner: String,
    /// patrol, aid_team or convoy.
    pub kind: UnitKind,
    #[serde(default = "d_one_u")]
    pub count: i64,
    /// Keeps the units inside this district (assigned-district policy); none: anywhere.
    pub district: Option<String>,
    /// Convoys: the partner they supply.
    pub client: Option<String>,
    /// Convoys: unit-days of supply carried per trip.
    #[serde(default = "d_cargo")]
    pub cargo: f64,
    /// Convoys: ticks for one round trip depot → client → depot.
    #[serde(default = "d_trip")]
    pub trip_ticks: u32,
    /// Convoys: probability a trip's cargo arrives.
    #[serde(default = "d_reliability")]
    pub reliability: f64,
}

fn d_seed() -> u64 {
    1
}
fn d_ticks() -> u32 {
    365
}
fn d_block() -> u32 {
    1
}
fn d_half() -> f64 {
    0.5
}
fn d_trust() -> f64 {
    0.8
}
fn d_access() -> f64 {
    0.3
}
fn d_recovery() -> f64 {
    0.01
}
fn d_true() -> bool {
    true
}
fn d_threshold() -> f64 {
    0.1
}
fn d_k() -> f64 {
    2.3
}
fn d_vision() -> u32 {
    7
}
fn d_jail() -> u32 {
    30
}
fn d_strength() -> f64 {
    1.0
}
fn d_nominal() -> f64 {
    25.0
}
fn d_harm_radius() -> u32 {
    3
}
fn d_aid_radius() -> u32 {
    2
}
fn d_aid_effect() -> f64 {
    0.05
}
fn d_window() -> u32 {
    30
}
fn d_aid_move() -> u32 {
    3
}
fn d_sec_gain() -> f64 {
    0.003
}
fn d_aid_gain() -> f64 {
    0.01
}
fn d_harm_loss() -> f64 {
    0.02
}
fn d_need_loss() -> f64 {
    0.001
}
fn d_need_tol() -> f64 {
    0.5
}
fn d_neighbour() -> f64 {
    0.01
}
fn d_supply() -> f64 {
    300.0
}
fn d_supply_cap() -> f64 {
    600.0
}
fn d_one() -> f64 {
    1.0
}
fn d_one_u() -> i64 {
    1
}
fn d_cargo() -> f64 {
    100.0
}
fn d_trip() -> u32 {
    5
}
fn d_reliability() -> f64 {
    0.95
}
