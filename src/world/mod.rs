//! The ECS world of a run: components (small, data-only), resources, and the one function that
//! spawns every entity from a validated [`Scenario`]. Nothing else creates agents.
//!
//! Entities: citizens (the local communities), partners (organisations) and the units partners
//! field (patrols, aid teams, convoys). `Entity` ids are not stable agent ids in bevy_ecs 0.20,
//! so every agent carries its own dense [`AgentId`]; the [`Roster`] resource maps ids to entities
//! so that systems can visit agents in id order.

pub mod exposure;
pub mod fixed;
pub mod geometry;
pub mod grid;
pub mod intel;
pub mod routes;
pub mod standing;

pub use exposure::{Exposure, Perpetrator};
pub use fixed::FixedSum;
pub use grid::Grid;
pub use intel::{Intel, Report};
pub use routes::{Route, Routes};
pub use standing::Standing;

use crate::rng::{self, Purpose};
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

/// Marks a citizen of the local communities.
#[derive(Component, Debug, Clone, Copy)]
pub struct Citizen;

/// Grid cell an agent stands on (`y * width + x`).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell(pub u32);

/// The district a citizen lives in (where it was placed).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Home(pub u16);

/// Hardship H in [0, 1]: current value and the baseline it relaxes back to.
#[derive(Component, Debug, Clone, Copy)]
pub struct Hardship {
    pub current: f32,
    pub baseline: f32,
}

/// Risk aversion R in [0, 1] (fixed for life).
#[derive(Component, Debug, Clone, Copy)]
pub struct RiskAversion(pub f32);

/// Trust T in the mission, Epstein's legitimacy as this citizen perceives it.
#[derive(Component, Debug, Clone, Copy)]
pub struct Trust(pub f32);

/// A citizen's state in Epstein's model.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conduct {
    Quiescent,
    Active,
    /// Detained, with the ticks left to serve.
    Detained(u32),
    /// Killed or dead of age (Model II). The entity stays, so ids remain stable.
    Dead,
    /// Fled danger: off the map (not on any cell) until it returns to its district
    /// (docs/MODEL.md §3.20). `Cell` keeps the cell it fled from.
    Displaced,
}

impl Conduct {
    /// For a free citizen (on the grid, able to move and decide): whether it is active.
    /// `None` for the detained and the dead.
    pub fn free_active(self) -> Option<bool> {
        match self {
            Conduct::Quiescent => Some(false),
            Conduct::Active => Some(true),
            Conduct::Detained(_) | Conduct::Dead | Conduct::Displaced => None,
        }
    }
}

/// Which of Model II's two groups a citizen belongs to (0 or 1; always 0 outside Model II).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group(pub u8);

/// Age and the age at which the citizen dies (Model II; `max = u32::MAX` outside it).
#[derive(Component, Debug, Clone, Copy)]
pub struct Age {
    pub age: u32,
    pub max: u32,
}

/// When the citizen last received aid (tick ≥ 1; 0 = never) and how much communities credit
/// the aid given that tick (the giver's credibility; see the trust update).
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct LastAid {
    pub tick: u32,
    pub credit: f32,
}

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
    pub citizens: Vec<Entity>,
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

/// Spawn the world of one run: every entity and resource, from the validated scenario.
///
/// `run` selects the ChaCha stream (see [`crate::rng`]); the seed is the scenario's.
pub fn spawn(scenario: Arc<Scenario>, run: u64) -> World {
    let mut world = World::new();
    let s = &*scenario;
    let mut rng = rng::stream(s.seed, run, Purpose::Spawn);
    let bernoulli = s.unrest.placement == crate::scenario::raw::Placement::Bernoulli;

    // Cells of each district, in row-major order, for placement without replacement.
    let mut district_cells: Vec<Vec<u32>> = vec![Vec::new(); s.districts.len()];
    for (cell, &d) in s.map.district_of_cell.iter().enumerate() {
        district_cells[d as usize].push(cell as u32);
    }
    // The cells citizens (per district) and patrols (per units entry) start on.
    let mut citizen_cells: Vec<Vec<u32>> = vec![Vec::new(); s.districts.len()];
    let mut patrol_cells: Vec<Vec<u32>> = vec![Vec::new(); s.units.len()];
    if bernoulli {
        // Mesa's model `__init__`: one draw u per cell, in row-major order; a citizen if
        // u < its district's density, else a patrol of the first units entry whose cumulative
        // density (patrols / cells) exceeds u, else empty. Validation keeps the sum ≤ 1.
        let cells = s.map.district_of_cell.len().max(1) as f64;
        for (cell, &d) in s.map.district_of_cell.iter().enumerate() {
            let spec = &s.districts[d as usize];
            let citizen_p = spec.population as f64 / spec.cells.max(1) as f64;
            let u: f64 = rng.random();
            if u < citizen_p {
                citizen_cells[d as usize].push(cell as u32);
                continue;
            }
            let mut bound = citizen_p;
            for (i, unit) in s.units.iter().enumerate() {
                if unit.kind == UnitKind::Patrol {
                    bound += unit.count as f64 / cells;
                    if u < bound {
                        patrol_cells[i].push(cell as u32);
                        break;
                    }
                }
            }
        }
    } else {
        for cells in &mut district_cells {
            shuffle(cells, &mut rng);
        }
        // Cells are taken from the end of each district's shuffled list; what is left is empty.
        for (d, spec) in s.districts.iter().enumerate() {
            for _ in 0..spec.population {
                let cell = district_cells[d]
                    .pop()
                    .expect("validation checked the district fits");
                citizen_cells[d].push(cell);
            }
        }
    }
    let total_pop: usize = citizen_cells.iter().map(Vec::len).sum();
    // Simultaneous activation counts actives in sight from a per-tick snapshot instead.
    let mut grid = Grid::new(
        &s.map,
        s.unrest.vision_shape,
        s.unrest.vision,
        total_pop,
        s.unrest.activation == crate::scenario::Activation::Simultaneous,
    );
    let mut roster = Roster::default();

    let mut next_citizen = 0u32;
    for (d, spec) in s.districts.iter().enumerate() {
        for &cell in &citizen_cells[d] {
            let spread = s.citizens.hardship_spread;
            let h = (spec.hardship + spread * (2.0 * rng.random::<f64>() - 1.0)).clamp(0.0, 1.0);
            let t = (spec.initial_trust
                + s.citizens.trust_spread * (2.0 * rng.random::<f64>() - 1.0))
                .clamp(0.0, 1.0);
            let r: f64 = rng.random();
            // Model II draws group and lifespan; other runs draw nothing more (same streams).
            let (group, age) = if s.violence.enabled {
                let g = (rng.random::<f64>() < s.violence.group_b_share) as u8;
                let max = rng.random_range(0..s.violence.max_age);
                let age = if max == 0 {
                    0
                } else {
                    rng.random_range(0..max)
                };
                (g, Age { age, max })
            } else {
                (
                    0,
                    Age {
                        age: 0,
                        max: u32::MAX,
                    },
                )
            };
            let id = next_citizen;
            next_citizen += 1;
            let e = world
                .spawn((
                    Citizen,
                    AgentId(id),
                    Cell(cell),
                    Home(d as u16),
                    Hardship {
                        current: h as f32,
                        baseline: h as f32,
                    },
                    RiskAversion(r as f32),
                    Trust(t as f32),
                    Conduct::Quiescent,
                    LastAid::default(),
                    Group(group),
                    age,
                ))
                .id();
            grid.insert_citizen(id, cell, false);
            roster.citizens.push(e);
        }
    }

    let mut frameworks: Vec<&str> = s.partners.iter().map(|p| p.framework.as_str()).collect();
    frameworks.sort_unstable();
    frameworks.dedup();
    for (i, p) in s.partners.iter().enumerate() {
        let e = world
            .spawn((
                AgentId(i as u32),
                Partner {
                    name: p.name.clone(),
                    kind: p.kind,
                    posture: p.posture,
                    cost_per_unit_day: p.cost_per_unit_day,
                    resupply: p.resupply,
                    sharing: p.sharing,
                    sharing_threshold: p.sharing_threshold,
                    patrol_policy: p.patrol_policy,
                    aid_policy: p.aid_policy,
                    neutrality: p.neutrality,
                    framework: frameworks
                        .binary_search(&p.framework.as_str())
                        .unwrap_or_default() as u16,
                    technology: p.technology.clone(),
                    credibility: p.credibility,
                    misconduct_rate: p.misconduct_rate,
                    is_force: p.is_force,
                    pooled: p.pooled,
                    caveat_districts: p.caveat_districts.iter().map(|&d| d as u16).collect(),
                    refuses_detain: p.refuses_detain,
                    refuses_escort: p.refuses_escort,
                },
                Politics {
                    engaged: p.engaged,
                    commitment: p.commitment,
                    withdraw_below: p.withdraw_below,
                    budget: p.budget,
                    spent: 0.0,
                    spent_seen: 0.0,
                    casualties: 0,
                    new_casualties: 0,
                },
                Supply {
                    stock: p.supply,
                    capacity: p.supply_capacity,
                },
            ))
            .id();
        roster.partners.push(e);
    }

    // Units. Patrols take an empty cell each (Epstein's cops occupy a site): first those
    // assigned to a district, from that district's empty cells, then the rest from anywhere.
    // Aid teams and convoys do not occupy cells and may share them.
    let all_cells: Vec<Vec<u32>> = {
        let mut by_d: Vec<Vec<u32>> = vec![Vec::new(); s.districts.len()];
        for (cell, &d) in s.map.district_of_cell.iter().enumerate() {
            by_d[d as usize].push(cell as u32);
        }
        by_d
    };
    if !bernoulli {
        for (i, u) in s.units.iter().enumerate() {
            if let (UnitKind::Patrol, Some(d)) = (u.kind, u.district) {
                for _ in 0..u.count {
                    let c = district_cells[d]
                        .pop()
                        .expect("validation checked the district fits");
                    patrol_cells[i].push(c);
                }
            }
        }
        let mut spare: Vec<u32> = district_cells.into_iter().flatten().collect();
        shuffle(&mut spare, &mut rng);
        for (i, u) in s.units.iter().enumerate() {
            if let (UnitKind::Patrol, None) = (u.kind, u.district) {
                for _ in 0..u.count {
                    let c = spare.pop().expect("validation checked the map fits");
                    patrol_cells[i].push(c);
                }
            }
        }
    }
    let mut unit_id = 0u32;
    for (i, u) in s.units.iter().enumerate() {
        // Patrols: one per cell placed above (their count varies by run under Bernoulli
        // placement); other units: the entry's count.
        let count = match u.kind {
            UnitKind::Patrol => patrol_cells[i].len(),
            _ => u.count as usize,
        };
        for k in 0..count {
            let cell = match (u.kind, u.district) {
                (UnitKind::Patrol, _) => patrol_cells[i].get(k).copied().unwrap_or_default(),
                (_, Some(d)) => all_cells[d][rng.random_range(0..all_cells[d].len())],
                (_, None) => rng.random_range(0..grid.cells() as u32),
            };
            let mut entity = world.spawn((
                AgentId(unit_id),
                Unit {
                    partner: u.partner as u32,
                    kind: u.kind,
                    district: u.district.map(|d| d as u16),
                    withdrawn: false,
                },
                Cell(cell),
                Operating(false),
            ));
            if let Some(c) = &u.convoy {
                entity.insert(Convoy {
                    client: c.client as u32,
                    cargo: c.cargo,
                    trip_ticks: c.trip_ticks,
                    reliability: c.reliability,
                    // Stagger departures so convoys of one entry do not all arrive together.
                    elapsed: unit_id % c.trip_ticks,
                });
            }
            roster.units.push(entity.id());
            unit_id += 1;
        }
    }

    let n_d = s.districts.len();
    let mut districts = DistrictState {
        residents: vec![0; n_d],
        troops: vec![0.0; n_d],
        coverage: vec![0.0; n_d],
        security: vec![0.0; n_d],
        mean_trust: s.districts.iter().map(|d| d.initial_trust).collect(),
        active: vec![0; n_d],
        grievance: s
            .districts
            .iter()
            .map(|d| d.hardship * (1.0 - d.initial_trust))
            .collect(),
        spoilers: s.districts.iter().map(|d| d.spoilers).collect(),
        cells: {
            let mut cells = vec![Vec::new(); n_d];
            for (c, &d) in s.map.district_of_cell.iter().enumerate() {
                cells[d as usize].push(c as u32);
            }
            cells
        },
    };
    for (d, cells) in citizen_cells.iter().enumerate() {
        districts.residents[d] = cells.len() as u32;
    }

    let n_p = s.partners.len();
    let mut trust = PartnerTrust {
        n: n_p,
        tau: vec![1.0; n_p * n_p],
    };
    for i in 0..n_p {
        for j in (i + 1)..n_p {
            let same_side = s.partners[i].is_force == s.partners[j].is_force;
            trust.set(
                i,
                j,
                if same_side {
                    s.coordination.initial_trust
                } else {
                    s.coordination.civil_military_trust
                },
            );
        }
    }
    world.insert_resource(trust);
    world.insert_resource(Mission::default());
    world.insert_resource(HostConsent(s.consent.initial));
    world.insert_resource(Volatility {
        spells: Vec::new(),
        drop: vec![0.0; s.districts.len()],
    });
    world.insert_resource(Exposure::new(grid.cells(), s.districts.len()));
    let initial: Vec<f64> = s.districts.iter().map(|d| d.initial_trust).collect();
    world.insert_resource(Standing::new(s.partners.len(), &initial));
    let mut intel = Intel::new(s, &grid);
    intel.detect_key = rng::stream(s.seed, run, Purpose::Intel).random::<u64>() ^ 0x4445_5445_4354;
    world.insert_resource(intel);
    world.insert_resource(Routes::new(s, &grid));
    world.insert_resource(grid);
    world.insert_resource(roster);
    world.insert_resource(districts);
    world.insert_resource(Clock::default());
    world.insert_resource(Tally::default());
    world.insert_resource(Totals::default());
    world.insert_resource(UnrestRng::new(rng::stream(s.seed, run, Purpose::Unrest)));
    world.insert_resource(AidRng::new(rng::stream(s.seed, run, Purpose::Aid)));
    world.insert_resource(LogisticsRng::new(rng::stream(
        s.seed,
        run,
        Purpose::Logistics,
    )));
    world.insert_resource(IntelRng::new(rng::stream(s.seed, run, Purpose::Intel)));
    world.insert_resource(PoliticsRng::new(rng::stream(
        s.seed,
        run,
        Purpose::Politics,
    )));
    world.insert_resource(EventsRng::new(rng::stream(s.seed, run, Purpose::Events)));
    world.insert_resource(SpoilersRng::new(rng::stream(
        s.seed,
        run,
        Purpose::Spoilers,
    )));
    world.insert_resource(DemographyRng::new(rng::stream(
        s.seed,
        run,
        Purpose::Demography,
    )));
    // Inserted last: resources are entities too, and nothing before may shift.
    world.insert_resource(Coordination(s.coordination.mechanism));
    let s_seed = s.seed;
    world.insert_resource(Config(scenario));
    world.insert_resource(DisplacementRng::new(rng::stream(
        s_seed,
        run,
        Purpose::Displacement,
    )));
    world
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
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}
