//! The ECS world of a run: components (small, data-only), resources, and the one function that
//! spawns every entity from a validated [`Scenario`]. Nothing else creates agents.
//!
//! Entities: citizens (the local communities), partners (organisations) and the units partners
//! field (patrols, aid teams, convoys). `Entity` ids are not stable agent ids in bevy_ecs 0.20,
//! so every agent carries its own dense [`AgentId`]; the [`Roster`] resource maps ids to entities
//! so that systems can visit agents in id order.

pub mod grid;

pub use grid::Grid;

use crate::rng::{self, Purpose};
use crate::scenario::{PartnerKind, Posture, Scenario, UnitKind};
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
}

/// The tick (plus one) when the citizen last received aid; 0 = never.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct LastAid(pub u32);

/// An organisation taking part in the mission.
#[derive(Component, Debug, Clone)]
pub struct Partner {
    pub name: String,
    pub kind: PartnerKind,
    pub posture: Posture,
    pub cost_per_unit_day: f64,
    pub resupply: f64,
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
}

/// Counters of what happened during the current tick (reset at its start).
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct Tally {
    /// Citizens who turned active this tick (Epstein's outbursts are runs of these).
    pub incidents: u32,
    pub detentions: u32,
    pub harm_incidents: u32,
    pub aid_contacts: u32,
    pub convoys_arrived: u32,
    pub convoys_lost: u32,
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
    let total_pop: u32 = s.districts.iter().map(|d| d.population).sum();
    let mut grid = Grid::new(
        &s.map,
        s.unrest.vision_shape,
        s.unrest.vision,
        total_pop as usize,
    );
    let mut roster = Roster::default();

    // Cells of each district, in row-major order, for placement without replacement.
    let mut district_cells: Vec<Vec<u32>> = vec![Vec::new(); s.districts.len()];
    for (cell, &d) in s.map.district_of_cell.iter().enumerate() {
        district_cells[d as usize].push(cell as u32);
    }
    for cells in &mut district_cells {
        shuffle(cells, &mut rng);
    }
    // Cells are taken from the end of each district's shuffled list; what is left is empty.
    let mut next_citizen = 0u32;
    for (d, spec) in s.districts.iter().enumerate() {
        for _ in 0..spec.population {
            let cell = district_cells[d]
                .pop()
                .expect("validation checked the district fits");
            let spread = s.citizens.hardship_spread;
            let h = (spec.hardship + spread * (2.0 * rng.random::<f64>() - 1.0)).clamp(0.0, 1.0);
            let t = (spec.initial_trust
                + s.citizens.trust_spread * (2.0 * rng.random::<f64>() - 1.0))
                .clamp(0.0, 1.0);
            let r: f64 = rng.random();
            let id = next_citizen;
            next_citizen += 1;
            let e = world
                .spawn((
                    Citizen,
                    AgentId(id),
                    Cell(cell),
                    Hardship {
                        current: h as f32,
                        baseline: h as f32,
                    },
                    RiskAversion(r as f32),
                    Trust(t as f32),
                    Conduct::Quiescent,
                    LastAid::default(),
                ))
                .id();
            grid.insert_citizen(id, cell, false);
            roster.citizens.push(e);
        }
    }

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
    let mut patrol_cells: Vec<Vec<u32>> = vec![Vec::new(); s.units.len()];
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
    let mut unit_id = 0u32;
    for (i, u) in s.units.iter().enumerate() {
        for k in 0..u.count as usize {
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
    };
    for (d, spec) in s.districts.iter().enumerate() {
        districts.residents[d] = spec.population;
    }

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
    world.insert_resource(Config(scenario));
    world
}

impl<const P: u64> MechanismRng<P> {
    pub fn new(rng: ChaCha8Rng) -> Self {
        MechanismRng(rng)
    }
}

/// Fisher–Yates shuffle with the given stream (documented so the order is reproducible).
pub fn shuffle<T>(items: &mut [T], rng: &mut impl Rng) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}
