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
    Cell, Citizen, Conduct, Config, DisplacementRng, DistrictState, Exposure, Grid, RiskAversion,
    Roster, Tally,
};
use bevy_ecs::prelude::*;
use rand::RngExt;

/// Draws of a random cell of the district before a returning citizen waits another tick.
pub const PLACE_TRIES: u32 = 16;

/// What displacement reads of the rest of the tick.
#[derive(bevy_ecs::system::SystemParam)]
pub struct Danger<'w> {
    config: Res<'w, Config>,
    roster: Res<'w, Roster>,
    districts: Res<'w, DistrictState>,
    exposure: Res<'w, Exposure>,
}

/// Buffers kept between ticks: who is away (ids, ascending) and this tick's candidates.
#[derive(Default)]
pub struct Away {
    /// Citizens this system sent away and has not seen back (the dead among them are dropped
    /// when next visited).
    ids: Vec<u32>,
    candidates: Vec<u32>,
}

pub fn displacement(
    danger: Danger,
    mut grid: ResMut<Grid>,
    mut rng: ResMut<DisplacementRng>,
    mut tally: ResMut<Tally>,
    mut away: Local<Away>,
    mut citizens: Query<(&mut Cell, &mut Conduct, &RiskAversion), With<Citizen>>,
) {
    let Danger {
        config,
        roster,
        districts,
        exposure,
    } = danger;
    let p = &config.0.displacement;
    let spoilers = districts.spoilers.iter().any(|&s| s > 0.0);
    let fleeing = p.flight_rate > 0.0 && (spoilers || exposure.any_harm());
    if !fleeing && away.ids.is_empty() {
        return;
    }
    // Who may draw this tick, in id order. With spoilers anywhere, everyone. Without, only
    // those within reach of this tick's incidents and those away: nobody else has a chance
    // to flee or return, so visiting only them draws exactly the same numbers.
    let Away { ids, candidates } = &mut *away;
    candidates.clear();
    if spoilers {
        candidates.extend(0..roster.citizens.len() as u32);
    } else {
        if fleeing {
            for &(site, radius) in exposure.sites() {
                grid.for_each_in_square(site, radius, |c| candidates.extend(grid.citizens_in(c)));
            }
        }
        candidates.extend_from_slice(ids);
        candidates.sort_unstable();
        candidates.dedup();
    }
    let rng = &mut rng.0;
    let grid = &mut *grid;
    for &id in candidates.iter() {
        let (mut cell, mut conduct, risk) = citizens
            .get_mut(roster.citizens[id as usize])
            .expect("roster lists citizens");
        match *conduct {
            Conduct::Quiescent if p.flight_rate > 0.0 => {
                let c = cell.0;
                let d = grid.district[c as usize] as usize;
                let exposed = districts.spoilers[d] * (grid.patrol_sight(c) == 0) as u8 as f64;
                let harmed = p.harm_weight * (exposure.harm(c as usize) > 0) as u8 as f64;
                let chance = p.flight_rate * risk.0 as f64 * (exposed + harmed).min(1.0);
                if chance > 0.0 && rng.random_bool(chance.min(1.0)) {
                    grid.remove_citizen(id, c, false);
                    *conduct = Conduct::Displaced;
                    ids.push(id);
                    tally.fled += 1;
                }
            }
            Conduct::Displaced => {
                let d = grid.district[cell.0 as usize] as usize;
                let s = districts.spoilers[d];
                let safe = if s < p.return_threshold {
                    1.0 - s / p.return_threshold
                } else {
                    0.0
                };
                let chance = p.return_rate * safe;
                if chance <= 0.0 || !rng.random_bool(chance.min(1.0)) {
                    continue;
                }
                let place = if grid.is_empty(cell.0) {
                    Some(cell.0)
                } else {
                    let cells = &districts.cells[d];
                    (0..PLACE_TRIES)
                        .map(|_| cells[rng.random_range(0..cells.len())])
                        .find(|&c| grid.is_empty(c))
                };
                if let Some(c) = place {
                    grid.insert_citizen(id, c, false);
                    cell.0 = c;
                    *conduct = Conduct::Quiescent;
                    tally.returned += 1;
                }
            }
            _ => {}
        }
    }
    // Keep the ids of those still away (the returned and the dead drop out), ascending.
    ids.sort_unstable();
    ids.dedup();
    ids.retain(|&id| {
        citizens
            .get(roster.citizens[id as usize])
            .is_ok_and(|(_, conduct, _)| *conduct == Conduct::Displaced)
    });
}
