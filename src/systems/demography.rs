//! Demography (Epstein's Model II only): citizens age, die at their drawn lifespan, and have
//! children on empty neighbouring cells. Runs right after unrest; does nothing unless
//! `violence.enabled`.
//!
//! ```text
//! each tick, for each living citizen in id order:
//!   age ← age + 1;  dead when age ≥ lifespan,  lifespan ~ U{0, …, max_age − 1}
//!   if free: with probability `violence.reproduction`, a child of the same group is born on a
//!   uniformly random empty one of the eight neighbouring cells (none empty: no child)
//! ```
//! A child draws hardship, risk aversion and lifespan as at the start; its trust (legitimacy) is
//! its district's initial trust. Children are new entities with the next ids; the dead keep
//! theirs (state `Dead`), so ids stay stable.

use crate::world::{
    Age, AgentId, Cell, Citizen, Conduct, Config, DemographyRng, Grid, Group, Hardship, Home,
    LastAid, RiskAversion, Roster, Tally, Trust,
};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use rand::RngExt;

/// Where births and deaths are registered: new entities, the roster of ids, and the grid's
/// occupancy.
#[derive(SystemParam)]
pub struct Register<'w, 's> {
    commands: Commands<'w, 's>,
    roster: ResMut<'w, Roster>,
    grid: ResMut<'w, Grid>,
}

pub fn demography(
    config: Res<Config>,
    register: Register,
    mut rng: ResMut<DemographyRng>,
    mut tally: ResMut<Tally>,
    mut citizens: Query<(&Cell, &mut Conduct, &mut Age, &Group), With<Citizen>>,
    mut empty: Local<Vec<u32>>,
) {
    let s = &config.0;
    if !s.violence.enabled {
        return;
    }
    let Register {
        mut commands,
        mut roster,
        mut grid,
    } = register;
    let jailed_block = s.unrest.jailed_block_cell;
    let rng = &mut rng.0;
    let living = roster.citizens.len();
    for id in 0..living {
        let e = roster.citizens[id];
        let (cell, mut conduct, mut age, group) =
            citizens.get_mut(e).expect("roster lists citizens");
        if *conduct == Conduct::Dead {
            continue;
        }
        age.age += 1;
        let in_grid = conduct.free_active().is_some()
            || (jailed_block && matches!(*conduct, Conduct::Detained(_)));
        if age.age >= age.max {
            if in_grid {
                grid.remove_citizen(id as u32, cell.0, *conduct == Conduct::Active);
            }
            *conduct = Conduct::Dead;
            continue;
        }
        if conduct.free_active().is_none() || !rng.random_bool(s.violence.reproduction) {
            continue;
        }
        empty.clear();
        for (dx, dy) in crate::world::geometry::NEIGHBOURS {
            if let Some(c) = grid.offset(cell.0, dx, dy).filter(|&c| grid.is_empty(c)) {
                empty.push(c);
            }
        }
        if empty.is_empty() {
            continue;
        }
        let place = empty[rng.random_range(0..empty.len())];
        let group = *group;
        let d = grid.district[place as usize] as usize;
        let spec = &s.districts[d];
        let spread = s.citizens.hardship_spread;
        let h = (spec.hardship + spread * (2.0 * rng.random::<f64>() - 1.0)).clamp(0.0, 1.0);
        let r: f64 = rng.random();
        let max = rng.random_range(0..s.violence.max_age);
        let child = roster.citizens.len() as u32;
        let entity = commands
            .spawn((
                Citizen,
                AgentId(child),
                Cell(place),
                Home(d as u16),
                Hardship {
                    current: h as f32,
                    baseline: h as f32,
                },
                RiskAversion(r as f32),
                Trust(spec.initial_trust as f32),
                Conduct::Quiescent,
                LastAid::default(),
                group,
                Age { age: 0, max },
            ))
            .id();
        roster.citizens.push(entity);
        grid.insert_citizen(child, place, false);
        tally.births += 1;
    }
}
