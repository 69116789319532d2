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
//! its district's initial trust. Children get the next ids; the dead keep
//! theirs (state `Dead`), so ids stay stable.

use crate::world::{Age, Citizens, Conduct, Config, DemographyRng, Grid, Newcomer, Tally};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use rand::RngExt;

/// Where births and deaths are registered: the citizens and the grid's occupancy.
#[derive(SystemParam)]
pub struct Register<'w> {
    citizens: ResMut<'w, Citizens>,
    grid: ResMut<'w, Grid>,
}

pub fn demography(
    config: Res<Config>,
    register: Register,
    mut rng: ResMut<DemographyRng>,
    mut tally: ResMut<Tally>,
    mut empty: Local<Vec<u32>>,
) {
    let s = &config.0;
    if !s.violence.enabled {
        return;
    }
    let Register {
        mut citizens,
        mut grid,
    } = register;
    let jailed_block = s.unrest.jailed_block_cell;
    let rng = &mut rng.0;
    let living = citizens.len();
    for id in 0..living {
        let (cell, conduct) = (citizens.cell[id], citizens.conduct[id]);
        if conduct == Conduct::Dead {
            continue;
        }
        let age = &mut citizens.age[id];
        age.age += 1;
        let in_grid = conduct.free_active().is_some()
            || (jailed_block && matches!(conduct, Conduct::Detained(_)));
        if age.age >= age.max {
            if in_grid {
                grid.remove_citizen(id as u32, cell, conduct == Conduct::Active);
            }
            citizens.conduct[id] = Conduct::Dead;
            continue;
        }
        if conduct.free_active().is_none() || !rng.random_bool(s.violence.reproduction) {
            continue;
        }
        empty.clear();
        for (dx, dy) in crate::world::geometry::NEIGHBOURS {
            if let Some(c) = grid.offset(cell, dx, dy).filter(|&c| grid.is_empty(c)) {
                empty.push(c);
            }
        }
        if empty.is_empty() {
            continue;
        }
        let place = empty[rng.random_range(0..empty.len())];
        let group = citizens.group[id];
        let d = grid.district[place as usize] as usize;
        let spec = &s.districts[d];
        let spread = s.citizens.hardship_spread;
        let h = (spec.hardship + spread * (2.0 * rng.random::<f64>() - 1.0)).clamp(0.0, 1.0);
        let r: f64 = rng.random();
        let max = rng.random_range(0..s.violence.max_age);
        let child = citizens.push(Newcomer {
            cell: place,
            home: d as u16,
            hardship: h as f32,
            risk: r as f32,
            trust: spec.initial_trust as f32,
            group,
            age: Age { age: 0, max },
        });
        grid.insert_citizen(child, place, false);
        tally.births += 1;
    }
}
