//! The ECS world of a run: components (small, data-only) and resources; `spawn.rs` holds the
//! one function that spawns every entity from a validated [`Scenario`]. Nothing else creates
//! agents.
//!
//! Entities: partners (organisations) and the units partners field (patrols, aid teams,
//! convoys). `Entity` ids are not stable agent ids in bevy_ecs 0.20, so every agent carries its
//! own dense [`AgentId`]; the [`Roster`] resource maps ids to entities so that systems can visit
//! agents in id order. Citizens (the local communities) are not entities: the [`Citizens`]
//! resource holds their state in dense arrays indexed by id (`citizens.rs`).

pub mod citizens;
pub mod exposure;
pub mod fixed;
pub mod geometry;
pub mod grid;
pub mod intel;
pub mod routes;
mod spawn;
pub mod standing;

pub use citizens::{Age, Citizens, Conduct, Hardship, LastAid, Newcomer};
pub use exposure::{Exposure, Perpetrator};
pub use fixed::FixedSum;
pub use grid::Grid;
pub use intel::{Intel, Report};
pub use routes::{Route, Routes};
pub use spawn::spawn;
pub use standing::Standing;

use crate::rng::Purpose;
use crate::scenario::{
    AidPolicy, Neutrality, PartnerKind, PatrolPolicy, Posture, Scenario, SharingPolicy, Technology,
    UnitKind,
};
use bevy_ecs::prelude::*;
use rand::{Rng, RngExt};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// Dense id of an agent within its kind: citizens 0..N, units 0..U, partners 0..P.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AgentId(pub u32);

/// Grid cell an agent stands on (`y * width + x`).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell(pub u32);

/// An organisation taking part in the mission: what it is and the policies it follows.
/// Policies can change during a run through timeline events.
#[derive(Component, Debug, Clone)]
pub struct Partner {
    pub name: String,
    pub kind: PartnerKind,
    pub posture: Posture,
    pub cost_per_unit_day: f64,
    pub resupply: f64,
    pub sharing: SharingPolicy,
    pub sharing_threshold: f64,
    pub patrol_policy: PatrolPolicy,
    pub aid_policy: AidPolicy,
    pub neutrality: Neutrality,
    /// Regulatory framework (index into the scenario's distinct framework names).
    pub framework: u16,
    pub technology: Vec<Technology>,
    pub credibility: f64,
    pub misconduct_rate: f64,
    /// Fields patrols: the military side for civil–military trust.
    pub is_force: bool,
    /// Member of the logistics pool.
    pub pooled: bool,
    pub caveat_districts: Vec<u16>,
    pub refuses_detain: bool,
    pub refuses_escort: bool,
}

impl Partner {
    pub fn has(&self, t: Technology) -> bool {
        self.technology.contains(&t)
    }

    /// A civilian partner that can keep its distance from the forces: an NGO or a local
    /// organisation.
    pub fn civilian(&self) -> bool {
        matches!(self.kind, PartnerKind::Ngo | PartnerKind::LocalOrganisation)
    }

    /// Seen by communities as part of the mission: forces, agencies, contractors, and civilian
    /// partners that coordinate with the forces (`neutrality = "coordinated"`).
    pub fn associated(&self) -> bool {
        !self.civilian() || self.neutrality == Neutrality::Coordinated
    }
}

/// A partner's political standing at home.
#[derive(Component, Debug, Clone, Copy)]
pub struct Politics {
    /// Still taking part; a partner that withdraws stops all its units and its information.
    pub engaged: bool,
    pub commitment: f64,
    pub withdraw_below: f64,
    pub budget: Option<f64>,
    pub spent: f64,
    /// Spending already weighed by the politics system.
    pub spent_seen: f64,
    pub casualties: u32,
    /// Casualties suffered this tick, not yet weighed by the politics system.
    pub new_casualties: u32,
}

/// A partner's supply in unit-days (one unit operating one tick uses one).
#[derive(Component, Debug, Clone, Copy)]
pub struct Supply {
    pub stock: f64,
    pub capacity: f64,
}

/// A unit fielded by a partner.
#[derive(Component, Debug, Clone, Copy)]
pub struct Unit {
    /// The fielding partner's [`AgentId`].
    pub partner: u32,
    pub kind: UnitKind,
    /// District the unit is kept in, if assigned.
    pub district: Option<u16>,
    /// Sent home by a partial drawdown (`withdraw` with an amount below 1): never operates
    /// until its partner rejoins.
    pub withdrawn: bool,
}

/// Whether the unit operates this tick (its partner's supply covers it).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operating(pub bool);

/// A contractor convoy's trip state.
#[derive(Component, Debug, Clone, Copy)]
pub struct Convoy {
    pub client: u32,
    pub cargo: f64,
    pub trip_ticks: u32,
    pub reliability: f64,
    /// Ticks into the current trip.
    pub elapsed: u32,
}

/// The validated scenario, shared read-only by every system.
#[derive(Resource, Debug, Clone)]
pub struct Config(pub Arc<Scenario>);

/// The clock: the current tick (0 before the first step).
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct Clock {
    pub tick: u32,
}

/// Entities by dense id, for visits in id order.
#[derive(Resource, Debug, Clone, Default)]
pub struct Roster {
    pub units: Vec<Entity>,
    pub partners: Vec<Entity>,
}

/// A random stream owned by one mechanism (see [`crate::rng`]).
#[derive(Resource, Debug, Clone)]
pub struct MechanismRng<const P: u64>(pub ChaCha8Rng);

pub type UnrestRng = MechanismRng<{ Purpose::Unrest as u64 }>;
pub type AidRng = MechanismRng<{ Purpose::Aid as u64 }>;
pub type LogisticsRng = MechanismRng<{ Purpose::Logistics as u64 }>;
pub type IntelRng = MechanismRng<{ Purpose::Intel as u64 }>;
pub type PoliticsRng = MechanismRng<{ Purpose::Politics as u64 }>;
pub type EventsRng = MechanismRng<{ Purpose::Events as u64 }>;
pub type DemographyRng = MechanismRng<{ Purpose::Demography as u64 }>;
pub type SpoilersRng = MechanismRng<{ Purpose::Spoilers as u64 }>;
pub type DisplacementRng = MechanismRng<{ Purpose::Displacement as u64 }>;

/// The key of a run's counter-based draws for one purpose (see [`crate::rng::Keyed`]): draws
/// keyed by (tick, agent), independent of the order agents are visited in.
#[derive(Resource, Debug, Clone, Copy)]
pub struct CounterKey<const P: u64>(pub u64);

/// Simultaneous activation's citizen moves (`systems/unrest/simultaneous.rs`).
pub type MovesKey = CounterKey<{ Purpose::Moves as u64 }>;

/// Per-district state derived each tick and read by later systems.
#[derive(Resource, Debug, Clone, Default)]
pub struct DistrictState {
    /// Citizens standing in the district (free or detained).
    pub residents: Vec<u32>,
    /// Troops of operating patrols standing in the district.
    pub troops: Vec<f64>,
    /// Athena coverage of the district, from troops per 1,000 residents.
    pub coverage: Vec<f64>,
    /// Security level σ in [0, 1] that aid access is checked against.
    pub security: Vec<f64>,
    /// Mean trust of the district's residents at the end of the previous tick.
    pub mean_trust: Vec<f64>,
    /// Active citizens in the district at the end of the previous tick.
    pub active: Vec<u32>,
    /// Mean grievance H·(1 − T) of the district's residents (district picture).
    pub grievance: Vec<f64>,
    /// Strength S_d in [0, 1] of the armed spoiler groups in the district (`systems/spoilers.rs`).
    pub spoilers: Vec<f64>,
    /// The cells of each district, in row order (fixed at spawn).
    pub cells: Vec<Vec<u32>>,
}

/// Trust τ between partners, a row-major P × P matrix (τ_ij = τ_ji).
#[derive(Resource, Debug, Clone, Default)]
pub struct PartnerTrust {
    pub n: usize,
    pub tau: Vec<f64>,
}

impl PartnerTrust {
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.tau[i * self.n + j]
    }
    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.tau[i * self.n + j] = v;
        self.tau[j * self.n + i] = v;
    }
}

/// The host government's consent to the mission, in [0, 1] (docs/MODEL.md §3.19). Written only
/// by `systems/consent.rs`; politics reads it.
#[derive(Resource, Debug, Clone, Copy)]
pub struct HostConsent(pub f64);

/// The mission-wide coordination mechanism in force: the scenario's `coordination.mechanism`
/// at spawn; changed only by `coordination` timeline events (systems/events.rs); read by
/// coordination (trust growth, cost) and intel (delay).
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct Coordination(pub crate::scenario::CoordinationMechanism);

/// Mission-wide state derived each tick by logistics.
#[derive(Resource, Debug, Clone, Default)]
pub struct Mission {
    /// Credibility of the operating forces (weighted by patrols) × the multinational factor.
    pub credibility: f64,
    /// Engaged forces that accept escort tasks and have operating patrols (partner ids, ascending): an NGO is escorted by one it trusts enough.
    pub escort_forces: Vec<usize>,
    /// Operating contractor telecom teams.
    pub telecom_units: u32,
}

/// Election volatility in force: (district or everywhere, threshold drop, last tick).
#[derive(Resource, Debug, Clone, Default)]
pub struct Volatility {
    pub spells: Vec<(Option<u16>, f64, u32)>,
    /// Current drop of the activation threshold per district.
    pub drop: Vec<f32>,
}

/// Counters of what happened during the current tick (reset at its start).
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct Tally {
    /// Citizens who turned active this tick (Epstein's outbursts are runs of these).
    pub incidents: u32,
    pub detentions: u32,
    pub harm_incidents: u32,
    /// Spoiler attacks on civilians (also counted in `harm_incidents`).
    pub spoiler_attacks: u32,
    pub aid_contacts: u32,
    pub convoys_arrived: u32,
    pub convoys_lost: u32,
    pub misconduct: u32,
    pub casualties: u32,
    pub killings: u32,
    pub births: u32,
    /// Citizens who fled their homes this tick, and who came back.
    pub fled: u32,
    pub returned: u32,
    pub shared_reports: u32,
    pub cost: f64,
}

/// Running totals over the whole run.
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct Totals {
    pub cost: f64,
}

impl<const P: u64> MechanismRng<P> {
    pub fn new(rng: ChaCha8Rng) -> Self {
        MechanismRng(rng)
    }
}

/// Take a reusable buffer out of a system's `Local` state, emptied but with its capacity, so
/// that steady-state ticks allocate nothing; put it back when done.
pub fn reuse<T>(buffer: &mut Vec<T>) -> Vec<T> {
    let mut v = std::mem::take(buffer);
    v.clear();
    v
}

/// Fisher–Yates shuffle with the given stream (documented so the order is reproducible).
pub fn shuffle<T>(items: &mut [T], rng: &mut impl Rng) {
    for i in (1..items.len()).rev() {
        // `random_range(0..=i)`'s draws (`rng::below`), inlined for lists below 2³² items.
        let j = match u32::try_from(i + 1) {
            Ok(n) => crate::rng::below(rng, n) as usize,
            Err(_) => rng.random_range(0..=i),
        };
        items.swap(i, j);
    }
}
