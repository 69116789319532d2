//! The scenario file as written: serde types that mirror the TOML one to one.
//!
//! Every struct denies unknown fields so that a typo (`patrol` for `patrols`) is an error with a
//! line number rather than a silently ignored setting. Defaults live here, next to the field they
//! belong to, and are documented in `docs/MODEL.md`; the parameter tables are declared with
//! [`params!`](super::params), which states each field's default, range and meaning once.
//! Cross-references and rules between fields are [`super::validate`]'s job, which turns a
//! [`ScenarioFile`] into a checked [`super::Scenario`].
//!
//! Over 500 lines: it mirrors the whole file format one to one, table by table; the parameter
//! tables are one line per field.

use super::limits::{MAX_RADIUS, MAX_TICKS};
use super::params::{ParamDoc, check_range};
use super::{
    Activation, AidPolicy, ArrestRatio, CoordinationMechanism, EventKind, FieldPath, Neutrality,
    PartnerKind, PatrolPolicy, Posture, SharingPolicy, Technology, UnitKind, VisionShape,
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

/// Every table of a scenario file that has a default for each of its fields, as the TOML a file
/// would write to state them all: what a file that leaves a table or field out runs with
/// (`experiment::config_diff` fills them in before comparing two files).
pub fn default_tables() -> toml::Table {
    fn put<T: serde::Serialize>(t: &mut toml::Table, key: &str, value: T) {
        if let Ok(v) = toml::Value::try_from(value) {
            t.insert(key.to_string(), v);
        }
    }
    let mut t = toml::Table::new();
    put(&mut t, "citizens", CitizensFile::default());
    put(&mut t, "unrest", UnrestFile::default());
    put(&mut t, "security", SecurityFile::default());
    put(&mut t, "aid", AidFile::default());
    put(&mut t, "trust", TrustFile::default());
    put(&mut t, "coordination", CoordinationFile::default());
    put(&mut t, "intel", IntelFile::default());
    put(&mut t, "logistics", LogisticsFile::default());
    put(&mut t, "politics", PoliticsFile::default());
    put(&mut t, "violence", ViolenceFile::default());
    put(&mut t, "stability", super::StabilityFile::default());
    put(&mut t, "spoilers", super::SpoilersFile::default());
    put(&mut t, "standing", super::StandingFile::default());
    put(&mut t, "mechanisms", super::MechanismsFile::default());
    put(&mut t, "consent", super::ConsentFile::default());
    put(&mut t, "displacement", super::DisplacementFile::default());
    t
}

params! {
    /// `[violence]`: Epstein's Model II: two groups, inter-group killing, births and deaths
    /// (docs/MODEL.md §3.14).
    pub struct ViolenceFile {
        enabled: bool = false, "switch Model II on";
        group_b_share: f64 = 0.5, 0.0..=1.0, "share of citizens in the second group (the first is the rest)";
        reproduction: f64 = 0.05, 0.0..=1.0, "probability per tick that a free citizen has a child on an empty neighbouring cell";
        max_age: u32 = 200, 1..=(u32::MAX) ticks, "each citizen dies at an age drawn uniformly from 0..max_age ticks";
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

params! {
    /// `[citizens]`: how citizens' hardship and trust spread and change (docs/MODEL.md §3.0, §3.5).
    pub struct CitizensFile {
        hardship_spread: f64 = 0.5, 0.0..=1.0, "individual hardship is the district mean ± this half-width (uniform), clamped to [0, 1]";
        trust_spread: f64 = 0.0, 0.0..=1.0, "individual initial trust is the district mean ± this half-width (uniform), clamped to [0, 1]";
        hardship_recovery: f64 = 0.01, 0.0..=1.0, "per tick, hardship relaxes toward the citizen's baseline by this fraction of the gap";
        roam: Roam = Roam::default(), "\"district\": citizens move only within their home district; \"anywhere\": Epstein's free movement (the same on a one-district map)";
    }
}

/// Where citizens may move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Roam {
    #[default]
    District,
    Anywhere,
}

params! {
    /// `[unrest]`: Epstein's (2002) Model I and the published conventions of its
    /// implementations (docs/MODEL.md §3.3).
    pub struct UnrestFile {
        enabled: bool = true, "with false, every citizen stays quiescent";
        threshold: f64 = 0.1, -1.0..=1.0, "Epstein's threshold: a citizen turns active when G − R·P exceeds it";
        k: f64 = 2.3, 0.0..=100.0, "Epstein's k in the estimated arrest probability P = 1 − exp(−k·r(C/A))";
        vision: f64 = 7.0, 1.0..=100.0, "vision radius in cells, for citizens and patrols; may be fractional (1.7 in Model II)";
        vision_shape: VisionShape = VisionShape::default(), "\"cross\" (Epstein's paper), \"diamond\" (Mesa), \"disk\" (NetLogo) or \"square\"";
        arrest_ratio: ArrestRatio = ArrestRatio::default(), "\"floor\" (NetLogo), \"round\" (Mesa, ties to even) or \"exact\" (the paper's printed rule)";
        activation: Activation = Activation::default(), "\"random_sequential\" (Epstein, NetLogo) or \"simultaneous\"";
        max_jail_term: u32 = 30, 1..=65_535 ticks, "detention terms are drawn uniformly from 0..max_jail_term, as jail_terms says";
        movement: Movement = Movement::default(), "\"jump\": to a random empty cell in vision (Epstein, NetLogo, Mesa); \"step\": to a random empty neighbouring cell";
        jail_terms: JailTerms = JailTerms::default(), "\"netlogo\": terms in 0..J−1; \"mesa\": terms in 0..J";
        jailed_block_cell: bool = false, "detained citizens keep occupying their cell (Mesa) instead of leaving it free (NetLogo)";
        patrol_moves_to_arrest: bool = true, "the patrol moves onto the arrest site (NetLogo) or stays where it is (Mesa)";
        order: Order = Order::default(), "\"move_then_act\" (NetLogo: move, then decide or arrest) or \"act_then_move\" (Mesa)";
        placement: Placement = Placement::default(), "\"exact\" (the scenario's counts on distinct random cells) or \"bernoulli\" (Mesa: each cell independently holds a citizen, a patrol or nothing)";
        jail_accounting: JailAccounting = JailAccounting::default(), "\"end_of_tick\" (NetLogo: every detainee serves one tick at the end of each tick) or \"activation\" (Mesa: a detainee serves one tick per own activation and is released at the activation after its term reaches 0)";
    }
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

params! {
    /// `[security]`: coverage, the reach of civilian harm, and what each posture allows
    /// (docs/MODEL.md §3.3, §3.4).
    pub struct SecurityFile {
        troops_per_patrol: f64 = 1.0, 1e-9..=1e6, "troops a patrol stands for, for the troops-per-1,000-residents coverage measure";
        nominal_troops_per_1000: f64 = 25.0, 1e-9..=1e6, "troops per 1,000 residents that give 2/3 coverage (Athena's nominal calibration)";
        harm_radius: u32 = 3, 0..=MAX_RADIUS cells, "cells within this radius (Chebyshev) of a civilian-harm incident lose trust";
        restrained: PostureFile = PostureFile::RESTRAINED, "`[security.restrained]`: what a restrained posture allows a patrol";
        robust: PostureFile = PostureFile::ROBUST, "`[security.robust]`: what a robust posture allows a patrol";
    }
}

/// `[security.restrained]` and `[security.robust]`: what a posture allows a patrol. A posture
/// table states both fields (the defaults are [`Self::RESTRAINED`] and [`Self::ROBUST`]), so
/// this is not a `params!` table, which would fill a missing field with one default for both.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PostureFile {
    /// Active citizens a patrol may detain per tick.
    pub detentions_per_tick: u32,
    /// Probability that a detention harms civilians (an incident that cuts trust nearby).
    pub harm_probability: f64,
}

impl PostureFile {
    /// The restrained posture's default.
    pub const RESTRAINED: Self = Self {
        detentions_per_tick: 1,
        harm_probability: 0.01,
    };

    /// The robust posture's default.
    pub const ROBUST: Self = Self {
        detentions_per_tick: 3,
        harm_probability: 0.05,
    };

    /// Both fields: range and meaning (`default` is the restrained posture's).
    pub const DOCS: &'static [ParamDoc] = &[
        ParamDoc {
            name: "detentions_per_tick",
            default: Self::RESTRAINED.detentions_per_tick as f64,
            min: 0.0,
            max: 1000.0,
            whole: true,
            unit: "detentions",
            meaning: "active citizens a patrol may detain per tick",
        },
        ParamDoc {
            name: "harm_probability",
            default: Self::RESTRAINED.harm_probability,
            min: 0.0,
            max: 1.0,
            whole: false,
            unit: "",
            meaning: "probability that a detention harms civilians, an incident that cuts trust nearby",
        },
    ];

    /// Record every field outside its range under `table`.
    pub fn check(&self, issues: &mut Vec<(FieldPath, String)>, table: &FieldPath) {
        let values = [self.detentions_per_tick as f64, self.harm_probability];
        check_range(issues, table, Self::DOCS, &values);
    }
}

params! {
    /// `[aid]`params! {
    /// `[aid]`: how aid teams reach citizens and how NGOs accept escorts (docs/MODEL.md §3.4).
    pub struct AidFile {
        radius: u32 = 2, 0..=MAX_RADIUS cells, "aid teams reach citizens within this radius (square) of their cell, in cells";
        effect: f64 = 0.05, 0.0..=1.0, "each tick of aid multiplies a reached citizen's hardship by (1 − effect)";
        coverage_window: u32 = 30, 1..=MAX_TICKS ticks, "aid coverage counts citizens reached within this many past ticks";
        move_radius: u32 = 3, 0..=MAX_RADIUS cells, "cells an aid team may move per tick";
        escort_access: f64 = 0.25, 0.0..=1.0, "how much an escort lowers the security an NGO team needs (coordinated NGOs only)";
        escort_trust: f64 = 0.4, 0.0..=1.0, "trust τ an NGO needs in a force before it accepts that force's escorts";
        coordinated_credit: f64 = 0.5, 0.0..=1.0, "share of the usual trust credit communities give a coordinated NGO's aid";
    }
}

params! {
    /// `[trust]`: how citizens' trust in the mission moves (docs/MODEL.md §3.7).
    pub struct TrustFile {
        enabled: bool = true, "with false, trust stays at its initial value (Epstein's fixed legitimacy)";
        security_gain: f64 = 0.003, 0.0..=1.0, "gain per tick toward 1 while a patrol is in sight (felt security)";
        aid_gain: f64 = 0.01, 0.0..=1.0, "gain per tick toward 1 on a tick the citizen receives aid";
        harm_loss: f64 = 0.02, 0.0..=1.0, "loss per tick, as a fraction of trust, per civilian-harm incident nearby";
        need_loss: f64 = 0.001, 0.0..=1.0, "loss per tick, as a fraction of trust, per unit of hardship above need_tolerance";
        need_tolerance: f64 = 0.5, 0.0..=1.0, "hardship a citizen tolerates before unmet need erodes trust";
        neighbour_weight: f64 = 0.01, 0.0..=1.0, "pull per tick toward the district's mean trust (neighbours' influence)";
        multinational_bonus: f64 = 0.3, 0.0..=1.0, "largest credibility gain from multinational presence, reached as the effective number of contributing forces grows (diminishing returns)";
        association: f64 = 0.3, 0.0..=1.0, "credibility gain lent by reputable local organisations and coordinated NGOs associated with the mission";
        cultural_competence: f64 = 1.0, 0.0..=1.0, "extra share of trust gains where a local organisation works (cultural competence)";
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

params! {
    /// `[coordination]`: the mission's coordination mechanism and trust between partners
    /// (docs/MODEL.md §3.11).
    pub struct CoordinationFile {
        mechanism: CoordinationMechanism = CoordinationMechanism::default(), "\"none\", \"liaison_officers\", \"cimic_cell\" or \"integrated_hq\" (their numbers: `[mechanisms]`)";
        initial_trust: f64 = 0.5, 0.0..=1.0, "initial trust between two partners of the same side (military or civilian)";
        civil_military_trust: f64 = 0.3, 0.0..=1.0, "initial trust between a military and a civilian partner";
        growth: f64 = 0.004, 0.0..=1.0, "base growth per tick of trust between engaged partners";
    }
}

params! {
    /// `[intel]`: what partners learn of hotspots and how fast they share it (docs/MODEL.md §3.9).
    pub struct IntelFile {
        sector: u32 = 5, 1..=1000 cells, "side, in cells, of the square sectors hotspots are reported by";
        memory: u32 = 10, 1..=MAX_TICKS ticks, "ticks a hotspot stays known after it was last seen";
        base_delay: u32 = 3, 0..=1000 ticks, "ticks for shared information to arrive, before telecom and coordination shorten it";
        drone_range: u32 = 7, 0..=MAX_RADIUS cells, "extra detection radius of a patrol with drones, in cells";
        patrols_per_hotspot: u32 = 4, 1..=10000 patrols, "hotspot patrols one known hotspot draws (deconfliction); the rest patrol at random";
        detect_patrol: f64 = 0.2, 0.0..=1.0, "probability per tick that a patrol reports a sector where it sees active citizens";
        detect_drone: f64 = 0.5, 0.0..=1.0, "the same for a patrol's drones, over the drone radius";
        detect_civilian: f64 = 0.6, 0.0..=1.0, "the same for aid and liaison teams: communities tell civilians what they hide from troops";
        early_warning: f64 = 0.1, 0.0..=1.0, "grievance H·(1 − T) above which an aid or liaison team reports a citizen's sector as a hotspot before anyone there turns active (1: no early warning)";
    }
}

params! {
    /// `[logistics]`: the depot, convoys' routes, pooling and regulatory friction
    /// (docs/MODEL.md §3.2).
    pub struct LogisticsFile {
        pooled: Vec<String> = Vec::new(), "partners whose supply is pooled (shared stock, no regulatory friction, lower unit cost)";
        pooling_saving: f64 = 0.2, 0.0..=1.0, "fraction of the cost per unit-day saved by partners in the pool";
        friction_delay: u32 = 3, 0..=MAX_TICKS ticks, "extra ticks a convoy trip takes between partners of different frameworks";
        friction_loss: f64 = 0.15, 0.0..=1.0, "extra probability a convoy's cargo is lost between partners of different frameworks";
        depot: Option<String> = None, "district of the supply depot convoys leave from (default: the first district)";
        // At 0.5 cells a tick or faster, a round trip over the longest map side stays far from
        // u32::MAX ticks (trip_length adds trip_ticks and friction_delay to it).
        convoy_speed: f64 = 20.0, 0.5..=1e6, "cells a convoy covers per tick on its route";
        ambush: f64 = 0.5, 0.0..=1.0, "loss probability added per unit of the worst route insecurity, spoilers × (1 − σ)";
        detour_cut: f64 = 0.5, 0.0..=1.0, "share of a route district's ambush risk a convoy avoids by detouring when its operator or client knows where that district's spoilers are (0: information does not change routes)";
        detour_delay: u32 = 1, 0..=MAX_TICKS ticks, "extra ticks a trip takes while it detours around a known threat";
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

fn d_withdraw() -> f64 {
    0.2
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
fn d_true() -> bool {
    true
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
