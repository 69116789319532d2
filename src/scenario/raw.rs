//! The scenario file as written: serde types that mirror the TOML one to one.
//!
//! Every struct denies unknown fields so that a typo (`patrol` for `patrols`) is an error with a
//! line number rather than a silently ignored setting. Defaults live here, next to the field they
//! belong to, and are documented in `docs/MODEL.md`. Nothing in this file checks ranges or
//! cross-references: that is [`super::validate`]'s job, which turns a [`ScenarioFile`] into a
//! checked [`super::Scenario`].

use super::limits::{MAX_RADIUS, MAX_TICKS};
use super::{
    Activation, AidPolicy, ArrestRatio, CoordinationMechanism, EventKind, Neutrality, PartnerKind,
    PatrolPolicy, Posture, SharingPolicy, Technology, UnitKind, VisionShape,
};
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
    #[serde(default)]
    pub coordination: CoordinationFile,
    #[serde(default)]
    pub intel: IntelFile,
    #[serde(default)]
    pub logistics: LogisticsFile,
    #[serde(default)]
    pub politics: PoliticsFile,
    #[serde(default)]
    pub events: Vec<EventFile>,
    #[serde(default)]
    pub violence: ViolenceFile,
    #[serde(default)]
    pub stability: super::StabilityFile,
    #[serde(default)]
    pub spoilers: super::SpoilersFile,
    #[serde(default)]
    pub standing: super::StandingFile,
    #[serde(default)]
    pub mechanisms: super::MechanismsFile,
    #[serde(default)]
    pub consent: super::ConsentFile,
    #[serde(default)]
    pub displacement: super::DisplacementFile,
}

/// Epstein's Model II: two groups, inter-group killing, births and deaths.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViolenceFile {
    /// Switch Model II on.
    #[serde(default)]
    pub enabled: bool,
    /// Share of citizens in the second group (the first is the rest).
    #[serde(default = "d_half")]
    pub group_b_share: f64,
    /// Probability per tick that a free citizen has a child on an empty neighbouring cell.
    #[serde(default = "d_reproduction")]
    pub reproduction: f64,
    /// Each citizen dies at an age drawn uniformly from 0..max_age ticks.
    #[serde(default = "d_max_age")]
    pub max_age: u32,
}

impl Default for ViolenceFile {
    fn default() -> Self {
        Self {
            enabled: false,
            group_b_share: d_half(),
            reproduction: d_reproduction(),
            max_age: d_max_age(),
        }
    }
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
    /// "district": citizens move only within their home district; "anywhere": Epstein's free
    /// movement (the same on a one-district map).
    #[serde(default)]
    pub roam: Roam,
}

/// Where citizens may move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Roam {
    #[default]
    District,
    Anywhere,
}

impl Default for CitizensFile {
    fn default() -> Self {
        Self {
            hardship_spread: d_half(),
            trust_spread: 0.0,
            hardship_recovery: d_recovery(),
            roam: Roam::default(),
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
    /// Vision radius in cells, for citizens and patrols; may be fractional (1.7 in Model II).
    #[serde(default = "d_vision_f")]
    pub vision: f64,
    /// "cross" (Epstein's paper), "diamond" (Mesa), "disk" (NetLogo) or "square".
    #[serde(default)]
    pub vision_shape: VisionShape,
    /// "floor" (NetLogo), "round" (Mesa, ties to even) or "exact" (the paper's printed rule).
    #[serde(default)]
    pub arrest_ratio: ArrestRatio,
    /// "random_sequential" (Epstein, NetLogo) or "simultaneous".
    #[serde(default)]
    pub activation: Activation,
    /// Detention terms are drawn uniformly from 0..max_jail_term (see `jail_terms`).
    #[serde(default = "d_jail")]
    pub max_jail_term: u32,
    /// "jump": to a random empty cell in vision (Epstein, NetLogo, Mesa); "step": to a random
    /// empty neighbouring cell.
    #[serde(default)]
    pub movement: Movement,
    /// "netlogo": terms in 0..J−1; "mesa": terms in 0..J.
    #[serde(default)]
    pub jail_terms: JailTerms,
    /// Detained citizens keep occupying their cell (Mesa) instead of leaving it free (NetLogo).
    #[serde(default)]
    pub jailed_block_cell: bool,
    /// The patrol moves onto the arrest site (NetLogo) or stays where it is (Mesa).
    #[serde(default = "d_true")]
    pub patrol_moves_to_arrest: bool,
    /// "move_then_act" (NetLogo: move, then decide or arrest) or "act_then_move" (Mesa).
    #[serde(default)]
    pub order: Order,
    /// "exact" (the scenario's counts on distinct random cells) or "bernoulli" (Mesa: each
    /// cell independently holds a citizen, a patrol or nothing).
    #[serde(default)]
    pub placement: Placement,
    /// "end_of_tick" (NetLogo: every detainee serves one tick at the end of each tick) or
    /// "activation" (Mesa: a detainee serves one tick per own activation and is released at the
    /// activation after its term reaches 0).
    #[serde(default)]
    pub jail_accounting: JailAccounting,
}

/// Order of an agent's moves and actions within its activation (Epstein's rules M, A and C).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Move, then decide (citizens) or arrest (patrols): NetLogo's `go`.
    #[default]
    MoveThenAct,
    /// Decide or arrest, then move: Mesa's `Citizen.step` and `Cop.step`.
    ActThenMove,
}

/// How citizens and patrols are put on the map at the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// Exactly the scenario's populations and patrol counts, each on a distinct random cell.
    #[default]
    Exact,
    /// Each cell independently: a citizen with the district's density, else a patrol with
    /// probability patrols / cells, else empty (Mesa's model `__init__`); counts vary by run.
    Bernoulli,
}

/// When detention terms are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JailAccounting {
    /// At the end of each tick, for every detainee (NetLogo's `go`): a term t is counted
    /// detained at the ends of max(t − 1, 0) ticks.
    #[default]
    EndOfTick,
    /// At the detainee's own activations (Mesa).
    Activation,
}

/// How agents move in Epstein's rule M.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    #[default]
    Jump,
    Step,
}

/// Which published convention draws jail terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JailTerms {
    #[default]
    Netlogo,
    Mesa,
}

impl Default for UnrestFile {
    fn default() -> Self {
        Self {
            enabled: true,
            threshold: d_threshold(),
            k: d_k(),
            vision: d_vision_f(),
            vision_shape: VisionShape::default(),
            arrest_ratio: ArrestRatio::default(),
            activation: Activation::default(),
            max_jail_term: d_jail(),
            movement: Movement::default(),
            jail_terms: JailTerms::default(),
            jailed_block_cell: false,
            patrol_moves_to_arrest: true,
            order: Order::default(),
            placement: Placement::default(),
            jail_accounting: JailAccounting::default(),
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

params! {
    /// `[aid]`: how aid teams reach citizens and how NGOs accept escorts (docs/MODEL.md §3.4).
    pub struct AidFile {
        radius: u32 = 2, 0..=MAX_RADIUS, "aid teams reach citizens within this radius (square) of their cell, in cells";
        effect: f64 = 0.05, 0.0..=1.0, "each tick of aid multiplies a reached citizen's hardship by (1 − effect)";
        coverage_window: u32 = 30, 1..=MAX_TICKS, "aid coverage counts citizens reached within this many past ticks";
        move_radius: u32 = 3, 0..=MAX_RADIUS, "cells an aid team may move per tick";
        escort_access: f64 = 0.25, 0.0..=1.0, "how much an escort lowers the security an NGO team needs (coordinated NGOs only)";
        escort_trust: f64 = 0.4, 0.0..=1.0, "trust τ an NGO needs in a force before it accepts that force's escorts";
        coordinated_credit: f64 = 0.5, 0.0..=1.0, "share of the usual trust credit communities give a coordinated NGO's aid";
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
    /// Largest credibility gain from multinational presence, reached as the effective number of
    /// contributing forces grows (diminishing returns; see `multinational_factor`).
    #[serde(default = "d_multinational")]
    pub multinational_bonus: f64,
    /// Credibility gain lent by reputable local organisations and coordinated NGOs associated
    /// with the mission (see `association_factor`).
    #[serde(default = "d_association")]
    pub association: f64,
    /// Extra share of trust gains where a local organisation works (cultural competence).
    #[serde(default = "d_one")]
    pub cultural_competence: f64,
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
            multinational_bonus: d_multinational(),
            association: d_association(),
            cultural_competence: d_one(),
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
    /// Weights on protection, stabilisation, humanitarian and commercial aims; default by kind.
    pub mandate: Option<MandateFile>,
    /// Money the home government will spend; commitment erodes as spending approaches it.
    pub budget: Option<f64>,
    /// Political commitment at the start, in [0, 1].
    #[serde(default = "d_one")]
    pub commitment: f64,
    /// The partner withdraws when its commitment falls below this.
    #[serde(default = "d_withdraw")]
    pub withdraw_below: f64,
    /// Districts and tasks the partner refuses.
    #[serde(default)]
    pub caveats: CaveatsFile,
    /// "none", "need_to_know" (only partners that field patrols) or "open".
    #[serde(default)]
    pub sharing: SharingPolicy,
    /// Inter-partner trust above which this partner shares what it knows.
    #[serde(default = "d_half")]
    pub sharing_threshold: f64,
    /// "uniform" (random patrolling) or "hotspot" (toward known hotspots; needs analytics).
    #[serde(default)]
    pub patrol_policy: PatrolPolicy,
    /// "roam" (aid teams move at random) or "need" (toward the hotspots the partner knows).
    #[serde(default)]
    pub aid_policy: AidPolicy,
    /// NGOs: "independent" or "coordinated" (escorts and shared information).
    #[serde(default)]
    pub neutrality: Neutrality,
    /// Regulatory framework; convoys between partners of different frameworks meet friction.
    pub framework: Option<String>,
    /// Technologies the partner has from the start.
    #[serde(default)]
    pub technology: Vec<Technology>,
    /// How much communities credit this partner's presence; default by kind.
    pub credibility: Option<f64>,
    /// Contractors: probability per operating unit and tick of a misconduct incident.
    #[serde(default)]
    pub misconduct_rate: f64,
    /// District its supplies are delivered to (default: where most of its units are assigned,
    /// else the depot's district).
    pub base: Option<String>,
    /// `false`: the partner is declared but joins later through a `join` event.
    #[serde(default = "d_true")]
    pub engaged: bool,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MandateFile {
    #[serde(default)]
    pub protection: f64,
    #[serde(default)]
    pub stabilisation: f64,
    #[serde(default)]
    pub humanitarian: f64,
    #[serde(default)]
    pub commercial: f64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaveatsFile {
    /// Districts the partner's units will not enter.
    #[serde(default)]
    pub districts: Vec<String>,
    /// Tasks the partner refuses: "detain" (patrols deter but never detain), "escort".
    #[serde(default)]
    pub tasks: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoordinationFile {
    /// "none", "liaison_officers", "cimic_cell" or "integrated_hq".
    #[serde(default)]
    pub mechanism: CoordinationMechanism,
    /// Initial trust between two partners of the same side (military or civilian).
    #[serde(default = "d_half")]
    pub initial_trust: f64,
    /// Initial trust between a military and a civilian partner.
    #[serde(default = "d_civmil")]
    pub civil_military_trust: f64,
    /// Base growth per tick of trust between engaged partners.
    #[serde(default = "d_growth")]
    pub growth: f64,
}

impl Default for CoordinationFile {
    fn default() -> Self {
        Self {
            mechanism: CoordinationMechanism::default(),
            initial_trust: d_half(),
            civil_military_trust: d_civmil(),
            growth: d_growth(),
        }
    }
}

params! {
    /// `[intel]`: what partners learn of hotspots and how fast they share it (docs/MODEL.md §3.9).
    pub struct IntelFile {
        sector: u32 = 5, 1..=1000, "side, in cells, of the square sectors hotspots are reported by";
        memory: u32 = 10, 1..=MAX_TICKS, "ticks a hotspot stays known after it was last seen";
        base_delay: u32 = 3, 0..=1000, "ticks for shared information to arrive, before telecom and coordination shorten it";
        drone_range: u32 = 7, 0..=MAX_RADIUS, "extra detection radius of a patrol with drones, in cells";
        patrols_per_hotspot: u32 = 4, 1..=10000, "hotspot patrols one known hotspot draws (deconfliction); the rest patrol at random";
        detect_patrol: f64 = 0.2, 0.0..=1.0, "probability per tick that a patrol reports a sector where it sees active citizens";
        detect_drone: f64 = 0.5, 0.0..=1.0, "the same for a patrol's drones, over the drone radius";
        detect_civilian: f64 = 0.6, 0.0..=1.0, "the same for aid and liaison teams: communities tell civilians what they hide from troops";
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogisticsFile {
    /// Partners whose supply is pooled (shared stock, no regulatory friction, lower unit cost).
    #[serde(default)]
    pub pooled: Vec<String>,
    /// Fraction of the cost per unit-day saved by partners in the pool.
    #[serde(default = "d_saving")]
    pub pooling_saving: f64,
    /// Extra ticks a convoy trip takes between partners of different frameworks.
    #[serde(default = "d_friction_delay")]
    pub friction_delay: u32,
    /// Extra probability a convoy's cargo is lost between partners of different frameworks.
    #[serde(default = "d_friction_loss")]
    pub friction_loss: f64,
    /// District of the supply depot convoys leave from (default: the first district).
    pub depot: Option<String>,
    /// Cells a convoy covers per tick on its route.
    #[serde(default = "d_speed")]
    pub convoy_speed: f64,
    /// Loss probability added per unit of the worst route insecurity, spoilers × (1 − σ).
    #[serde(default = "d_half")]
    pub ambush: f64,
}

impl Default for LogisticsFile {
    fn default() -> Self {
        Self {
            pooled: Vec::new(),
            pooling_saving: d_saving(),
            friction_delay: d_friction_delay(),
            friction_loss: d_friction_loss(),
            depot: None,
            convoy_speed: d_speed(),
            ambush: d_half(),
        }
    }
}

params! {
    /// `[politics]`: how casualties and cost erode partners' commitment at home (docs/MODEL.md §3.12).
    pub struct PoliticsFile {
        casualty_sensitivity: f64 = 0.01, 0.0..=1.0, "commitment lost per casualty";
        cost_sensitivity: f64 = 0.5, 0.0..=10.0, "commitment lost when spending reaches the budget (in proportion before that)";
        casualty_rate: f64 = 0.001, 0.0..=1.0, "probability per operating patrol and tick of a casualty, times the district's spoilers";
    }
}

/// Something that happens at a given tick. Which fields a kind needs is checked in validation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    pub tick: u32,
    pub kind: EventKind,
    pub partner: Option<String>,
    #[serde(default)]
    pub partners: Vec<String>,
    pub district: Option<String>,
    pub amount: Option<f64>,
    pub duration: Option<u32>,
    pub technology: Option<Technology>,
    pub sharing: Option<SharingPolicy>,
    pub posture: Option<Posture>,
    pub patrol_policy: Option<PatrolPolicy>,
    pub neutrality: Option<Neutrality>,
    pub aid_policy: Option<AidPolicy>,
    /// `coordination` events: the new mechanism.
    pub mechanism: Option<CoordinationMechanism>,
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

fn d_multinational() -> f64 {
    0.3
}
fn d_association() -> f64 {
    0.3
}
fn d_speed() -> f64 {
    20.0
}
fn d_reproduction() -> f64 {
    0.05
}
fn d_max_age() -> u32 {
    200
}
fn d_withdraw() -> f64 {
    0.2
}
fn d_civmil() -> f64 {
    0.3
}
fn d_growth() -> f64 {
    0.004
}
fn d_saving() -> f64 {
    0.2
}
fn d_friction_delay() -> u32 {
    3
}
fn d_friction_loss() -> f64 {
    0.15
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
fn d_vision_f() -> f64 {
    7.0
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
