//! Displacement: citizens flee danger and come back when their district is safe again
//! (docs/MODEL.md §3.20). Runs right after the district picture, so it sees this tick's spoiler
//! strength and every incident of harm the tick has had (attacks, harmful detentions,
//! misconduct, spoiler attacks).
//!
//! ```text
//! danger_i = min(1, S_d·(1 − protected_i) + w_h·[incident within the harm radius this tick])
//! flee:      a quiescent citizen flees w.p. flight_rate · R_i · danger_i
//! return:    a displaced citizen returns w.p. return_rate · max(0, 1 − S_d / return_threshold)
//! ```
//! S_d = spoiler strength of the district, protected_i = an operating patrol has the citizen in
//! sight, R_i = risk aversion (the same trait that makes it fear arrest in Epstein's rule). The
//! displaced leave the map: they hold no cell, do not act, are not residents of any district and
//! cannot be reached by aid; their trust is held until they return. A returning citizen takes
//! the cell it left if that is empty, else a random empty cell of its district (up to
//! [`PLACE_TRIES`] draws; none empty: it waits). Active and detained citizens do not flee.
//! Source: UNHCR's IDP definition (fleeing armed conflict and violations of rights); FSI's
//! "refugees and IDPs" indicator; flight driven by danger and individual risk tolerance as in
//! agent-based flight models (Suleimenova, Bell & Groen 2017, FLEE).

use crate::world::{
    Citizens, Conduct, Config, DisplacementRng, DistrictState, Exposure, Grid, Tally,
};
use bevy_ecs::prelude::*;
use rand::RngExt;

/// Draws of a random cell of the district before a returning citizen waits another tick.
pub const PLACE_TRIES: u32 = 16;

/// What displacement reads of the rest of the tick.
#[derive(bevy_ecs::system::SystemParam)]
pub struct Danger<'w> {
    config: Res<'w, Config>,
    districts: Res<'w, DistrictState>,
    exposure: Res<'w, Exposure>,
}

/// Buffers kept between ticks: who is away (ids, ascending), this tick's candidates and their
/// chances.
#[derive(Default)]
pub struct Away {
    /// Citizens this system sent away and has not seen back (the dead among them are dropped
    /// at the end of the tick).
    ids: Vec<u32>,
    candidates: Vec<u32>,
    /// (id, chance of fleeing or returning) of everyone with a chance this tick.
    chances: Vec<(u32, f64)>,
}

/// This tick's chance that a citizen flees (quiescent) or returns (displaced); 0 for anyone
/// else. It depends only on this tick's spoilers, harm and patrol sight, which displacement
/// itself does not change, so every chance can be computed before any draw.
fn chance(danger: &Danger, grid: &Grid, cell: u32, conduct: Conduct, risk: f32) -> f64 {
    let p = &danger.config.0.displacement;
    let d = grid.district_of(cell) as usize;
    let spoilers = danger.districts.spoilers[d];
    match conduct {
        Conduct::Quiescent if p.flight_rate > 0.0 => {
            let exposed = spoilers * (grid.patrol_sight(cell) == 0) as u8 as f64;
            let harmed = p.harm_weight * (danger.exposure.harm(cell as usize) > 0) as u8 as f64;
            p.flight_rate * risk as f64 * (exposed + harmed).min(1.0)
        }
        Conduct::Displaced => {
            let safe = if spoilers < p.return_threshold {
                1.0 - spoilers / p.return_threshold
            } else {
                0.0
            };
            p.return_rate * safe
        }
        _ => 0.0,
    }
}

pub fn displacement(
    danger: Danger,
    mut grid: ResMut<Grid>,
    mut rng: ResMut<DisplacementRng>,
    mut tally: ResMut<Tally>,
    mut away: Local<Away>,
    mut citizens: ResMut<Citizens>,
) {
    let p = &danger.config.0.displacement;
    let spoilers = danger.districts.spoilers.iter().any(|&s| s > 0.0);
    let fleeing = p.flight_rate > 0.0 && (spoilers || danger.exposure.any_harm());
    if !fleeing && away.ids.is_empty() {
        return;
    }
    let Away {
        ids,
        candidates,
        chances,
    } = &mut *away;
    let grid = &mut *grid;
    // Who has a chance this tick. With spoilers anywhere, anyone may: one pass over everyone.
    // Without, only those within reach of this tick's incidents and those away.
    chances.clear();
    let c = &mut *citizens;
    if spoilers {
        for (id, ((&cell, &conduct), &risk)) in
            c.cell.iter().zip(&c.conduct).zip(&c.risk).enumerate()
        {
            let x = chance(&danger, grid, cell, conduct, risk);
            if x > 0.0 {
                chances.push((id as u32, x));
            }
        }
    } else {
        candidates.clear();
        if fleeing {
            for &(site, radius) in danger.exposure.sites() {
                grid.for_each_in_square(site, radius, |c| candidates.extend(grid.citizens_in(c)));
            }
        }
        candidates.extend_from_slice(ids);
        candidates.sort_unstable();
        candidates.dedup();
        for &id in candidates.iter() {
            let i = id as usize;
            let x = chance(&danger, grid, c.cell[i], c.conduct[i], c.risk[i]);
            if x > 0.0 {
                chances.push((id, x));
            }
        }
    }
    // Draws and their effects in id order, exactly as a visit of every citizen by id would
    // (both paths above list the chances by ascending id).
    debug_assert!(chances.windows(2).all(|w| w[0].0 < w[1].0));
    let rng = &mut rng.0;
    for &(id, x) in chances.iter() {
        let i = id as usize;
        if !rng.random_bool(x.min(1.0)) {
            continue;
        }
        let (cell, conduct) = (&mut c.cell[i], &mut c.conduct[i]);
        if *conduct == Conduct::Quiescent {
            grid.remove_citizen(id, *cell, false);
            *conduct = Conduct::Displaced;
            ids.push(id);
            tally.fled += 1;
            continue;
        }
        let d = grid.district[*cell as usize] as usize;
        let place = if grid.is_empty(*cell) {
            Some(*cell)
        } else {
            let cells = &danger.districts.cells[d];
            (0..PLACE_TRIES)
                .map(|_| cells[rng.random_range(0..cells.len())])
                .find(|&c| grid.is_empty(c))
        };
        if let Some(to) = place {
            grid.insert_citizen(id, to, false);
            *cell = to;
            *conduct = Conduct::Quiescent;
            tally.returned += 1;
        }
    }
    // Keep the ids of those still away (the returned and the dead drop out), ascending.
    ids.sort_unstable();
    ids.dedup();
    ids.retain(|&id| c.conduct[id as usize] == Conduct::Displaced);
}
