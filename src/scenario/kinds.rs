//! The scenario's vocabulary: the choices a file names by word (kinds of partner, unit and
//! event, policies, postures, technologies, the conventions of Epstein's rules), with what each
//! means and the defaults that follow from a kind.

use super::params::MechanismsFile;
use serde::{Deserialize, Serialize};

/// How a scenario file spells `value`, one of the words of this vocabulary
/// (`CoordinationMechanism::CimicCell` → `cimic_cell`), so reports, chart labels and the
/// classroom view say what the file says, never a Rust name.
pub fn spelled<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(word)) => word,
        // Every enum here is a set of unit variants, which serialize as their word.
        Ok(other) => other.to_string(),
        Err(e) => format!("({e})"),
    }
}

/// [`spelled`] as words: `cimic_cell` → `cimic cell` (chart labels, table cells).
pub fn in_words<T: Serialize>(value: &T) -> String {
    spelled(value).replace('_', " ")
}

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
    /// Default mandate weights: protection, stabilisation, humanitarian, commercial.
    pub fn default_mandate(self) -> [f64; 4] {
        match self {
            PartnerKind::CoalitionContingent => [1.0, 0.6, 0.1, 0.0],
            PartnerKind::RegionalOrganisation => [0.9, 0.8, 0.2, 0.0],
            PartnerKind::UnAgency => [0.7, 0.8, 0.6, 0.0],
            PartnerKind::Ngo => [0.1, 0.2, 1.0, 0.0],
            PartnerKind::Contractor => [0.2, 0.1, 0.0, 1.0],
            PartnerKind::LocalOrganisation => [0.2, 0.6, 0.8, 0.1],
        }
    }

    /// Default credibility with local communities (1 = neutral).
    pub fn default_credibility(self) -> f64 {
        match self {
            PartnerKind::CoalitionContingent => 0.9,
            PartnerKind::RegionalOrganisation => 1.1,
            PartnerKind::UnAgency => 1.2,
            PartnerKind::Ngo => 1.2,
            PartnerKind::Contractor => 0.6,
            PartnerKind::LocalOrganisation => 1.3,
        }
    }

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
    /// Local organisation's liaison team: cultural competence where it works, no aid.
    Liaison,
    /// Contractor telecom team: shortens the delay of shared information for its clients.
    Telecom,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Patrol => "patrol",
            UnitKind::AidTeam => "aid_team",
            UnitKind::Convoy => "convoy",
            UnitKind::Liaison => "liaison",
            UnitKind::Telecom => "telecom",
        }
    }

    /// Partner kinds allowed to field this unit kind.
    pub fn fielded_by(self) -> &'static [PartnerKind] {
        use PartnerKind::*;
        match self {
            UnitKind::Patrol => &[CoalitionContingent, RegionalOrganisation, UnAgency],
            UnitKind::AidTeam => &[Ngo, UnAgency, LocalOrganisation],
            UnitKind::Convoy | UnitKind::Telecom => &[Contractor],
            UnitKind::Liaison => &[LocalOrganisation],
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

/// With whom a partner shares the hotspots it knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SharingPolicy {
    None,
    /// Only with partners that field patrols, when trust exceeds the threshold.
    #[default]
    NeedToKnow,
    /// With every engaged partner, when trust exceeds the threshold.
    Open,
}

/// How a partner's patrols choose where to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PatrolPolicy {
    /// Random moves within vision (Epstein's cops).
    #[default]
    Uniform,
    /// Toward the nearest known hotspot (predictive analytics; needs the `analytics` technology).
    Hotspot,
}

/// How a partner's aid teams choose where to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AidPolicy {
    /// Random moves within `aid.move_radius` (wherever access allows).
    #[default]
    Roam,
    /// Toward the nearest hotspot the partner knows (its own or shared reports), a hotspot drawing
    /// at most `intel.patrols_per_hotspot` teams: information decides where aid goes.
    Need,
}

/// An NGO's stance toward the forces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Neutrality {
    /// Keeps its distance: no escorts, no information to forces, full community credit.
    #[default]
    Independent,
    /// Works with the forces: escorts lower the access bar, it shares openly, and communities
    /// credit its aid less.
    Coordinated,
}

/// Mission-wide coordination mechanism (cost and effect in docs/MODEL.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoordinationMechanism {
    #[default]
    None,
    LiaisonOfficers,
    CimicCell,
    IntegratedHq,
}

impl CoordinationMechanism {
    /// In plain words, with the scenario file's value (for pages a reader learns the file from).
    pub fn describe(self) -> &'static str {
        match self {
            CoordinationMechanism::None => "none (mechanism = \"none\" in [coordination])",
            CoordinationMechanism::LiaisonOfficers => {
                "liaison officers (mechanism = \"liaison_officers\" in [coordination])"
            }
            CoordinationMechanism::CimicCell => {
                "a CIMIC cell (mechanism = \"cimic_cell\" in [coordination])"
            }
            CoordinationMechanism::IntegratedHq => {
                "an integrated headquarters (mechanism = \"integrated_hq\" in [coordination])"
            }
        }
    }

    /// (trust-growth multiplier, ticks cut from information delay, cost per engaged partner and
    /// tick), as the scenario's `[mechanisms]` table sets them.
    pub fn effect(self, m: &MechanismsFile) -> (f64, u32, f64) {
        match self {
            CoordinationMechanism::None => (1.0, 0, 0.0),
            CoordinationMechanism::LiaisonOfficers => (
                m.liaison_officers_growth,
                m.liaison_officers_delay_cut,
                m.liaison_officers_cost,
            ),
            CoordinationMechanism::CimicCell => (
                m.cimic_cell_growth,
                m.cimic_cell_delay_cut,
                m.cimic_cell_cost,
            ),
            CoordinationMechanism::IntegratedHq => (
                m.integrated_hq_growth,
                m.integrated_hq_delay_cut,
                m.integrated_hq_cost,
            ),
        }
    }

    /// Ticks the mechanism cuts from the delay of shared information.
    pub fn delay_cut(self, m: &MechanismsFile) -> u32 {
        self.effect(m).1
    }
}

/// Technologies the seed names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Technology {
    /// Widen patrols' detection of hotspots by `intel.drone_range` cells.
    Drones,
    /// Predictive analytics: enables the hotspot patrol policy.
    Analytics,
    /// Communications: shared information arrives one tick sooner per telecom level.
    Telecom,
    /// Real-time data: shared information arrives the same tick.
    RealTimeData,
}

/// What a timeline event does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// `partner` leaves: its units stop, its information stops.
    Withdraw,
    /// `partner` (declared with `engaged = false`) joins.
    Join,
    /// `partner`'s resupply is multiplied by `amount` (and its budget too, if it has one).
    Funding,
    /// Spoilers attack `district`: `amount` × 10 harm incidents and casualties among patrols.
    Attack,
    /// Election in `district` (or everywhere): the activation threshold drops by `amount` for
    /// `duration` ticks (volatility).
    Election,
    /// Natural disaster in `district` (or everywhere): hardship rises by `amount`.
    Disaster,
    /// `partner` (or every partner) deploys `technology`.
    Technology,
    /// `partner` changes its `sharing`, `posture`, `patrol_policy` or `neutrality`.
    Policy,
    /// The `partners` train together: their mutual trust rises by `amount` of the gap to 1.
    JointTraining,
    /// Home politics: `partner`'s commitment falls by `amount`.
    HomePolitics,
    /// Citizens' trust in `district` (or everywhere) is set to `amount` (Epstein's legitimacy).
    Legitimacy,
    /// The mission changes its coordination `mechanism` (none, liaison officers, CIMIC cell,
    /// integrated HQ): trust growth, information delay and cost from then on.
    Coordination,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Users read the file's words, never Rust's variant names.
    #[test]
    fn words_are_spelled_as_in_the_file() {
        assert_eq!(spelled(&CoordinationMechanism::CimicCell), "cimic_cell");
        assert_eq!(spelled(&Posture::Restrained), "restrained");
        assert_eq!(spelled(&EventKind::JointTraining), "joint_training");
        assert_eq!(in_words(&SharingPolicy::NeedToKnow), "need to know");
        assert_eq!(in_words(&Technology::RealTimeData), "real time data");
        // And each spelling reads back as the same value.
        let back: SharingPolicy = serde_json::from_str("\"need_to_know\"").unwrap();
        assert_eq!(back, SharingPolicy::NeedToKnow);
    }
}
