//! The validated scenario: what the rest of the crate reads, every range and reference checked.

use super::*;

/// A validated scenario: every range and reference has been checked.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub seed: u64,
    pub ticks: u32,
    pub map: MapSpec,
    pub districts: Vec<DistrictSpec>,
    pub citizens: CitizensFile,
    pub unrest: UnrestFile,
    pub security: SecurityFile,
    pub aid: AidFile,
    pub trust: TrustFile,
    pub partners: Vec<PartnerSpec>,
    pub units: Vec<UnitSpec>,
    pub coordination: CoordinationFile,
    pub intel: IntelFile,
    pub logistics: LogisticsFile,
    pub politics: PoliticsFile,
    pub violence: crate::scenario::raw::ViolenceFile,
    pub stability: crate::scenario::StabilityFile,
    pub spoilers: crate::scenario::SpoilersFile,
    pub standing: crate::scenario::StandingFile,
    pub mechanisms: crate::scenario::MechanismsFile,
    pub consent: crate::scenario::ConsentFile,
    pub displacement: crate::scenario::DisplacementFile,
    /// District of the supply depot.
    pub depot: usize,
    /// Timeline events, sorted by tick (stable: same-tick events keep file order).
    pub events: Vec<EventSpec>,
}

impl Scenario {
    /// Whether the scenario fields any unit of `kind` (an entry with a positive count): a
    /// series that needs them (aid coverage without aid teams) means nothing otherwise.
    pub fn fields(&self, kind: UnitKind) -> bool {
        self.units.iter().any(|u| u.kind == kind && u.count > 0)
    }
}

/// A checked timeline event: names resolved to indices.
#[derive(Debug, Clone)]
pub struct EventSpec {
    pub tick: u32,
    pub kind: EventKind,
    pub partner: Option<usize>,
    pub partners: Vec<usize>,
    pub district: Option<usize>,
    pub amount: f64,
    pub duration: u32,
    pub technology: Option<Technology>,
    pub sharing: Option<SharingPolicy>,
    pub posture: Option<Posture>,
    pub patrol_policy: Option<PatrolPolicy>,
    pub neutrality: Option<Neutrality>,
    pub aid_policy: Option<crate::scenario::AidPolicy>,
    pub mechanism: Option<CoordinationMechanism>,
}

/// The grid: which district each cell belongs to, row-major.
#[derive(Debug, Clone)]
pub struct MapSpec {
    pub width: u32,
    pub height: u32,
    pub torus: bool,
    /// District index of each cell, `y * width + x`.
    pub district_of_cell: Vec<u16>,
}

#[derive(Debug, Clone)]
pub struct DistrictSpec {
    pub name: String,
    pub population: u32,
    pub hardship: f64,
    pub initial_trust: f64,
    pub access: f64,
    pub spoilers: f64,
    pub cells: u32,
}

#[derive(Debug, Clone)]
pub struct PartnerSpec {
    pub name: String,
    pub kind: PartnerKind,
    pub supply: f64,
    pub supply_capacity: f64,
    pub resupply: f64,
    pub cost_per_unit_day: f64,
    pub posture: Posture,
    /// Protection, stabilisation, humanitarian, commercial.
    pub mandate: [f64; 4],
    pub budget: Option<f64>,
    pub commitment: f64,
    pub withdraw_below: f64,
    pub caveat_districts: Vec<usize>,
    pub refuses_detain: bool,
    pub refuses_escort: bool,
    pub sharing: SharingPolicy,
    pub sharing_threshold: f64,
    pub patrol_policy: PatrolPolicy,
    pub aid_policy: AidPolicy,
    pub neutrality: Neutrality,
    pub framework: String,
    pub technology: Vec<Technology>,
    pub credibility: f64,
    pub misconduct_rate: f64,
    pub engaged: bool,
    /// Fields patrols (the military side for civil–military trust).
    pub is_force: bool,
    /// Member of the logistics pool.
    pub pooled: bool,
    /// District its supplies are delivered to.
    pub base: usize,
}

#[derive(Debug, Clone)]
pub struct UnitSpec {
    pub partner: usize,
    pub kind: UnitKind,
    pub count: u32,
    pub district: Option<usize>,
    pub convoy: Option<ConvoySpec>,
}

#[derive(Debug, Clone)]
pub struct ConvoySpec {
    pub client: usize,
    pub cargo: f64,
    pub trip_ticks: u32,
    pub reliability: f64,
}
