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
    AgentId, Cell, Citizen, Conduct, Config, DisplacementRng, DistrictState, Exposure, Grid,
    RiskAversion, Roster, Tally,
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

pub fn displacement(
    danger: Danger,
    mut grid: ResMut<Grid>,
    mut rng: ResMut<DisplacementRng>,
    mut tally: ResMut<Tally>,
    mut displaced: Local<u32>,
    mut chances: Local<Vec<(u32, f64)>>,
    mut citizens: Query<(&AgentId, &mut Cell, &mut Conduct, &RiskAversion), With<Citizen>>,
) {
    let Danger {
        config,
        roster,
        districts,
        exposure,
    } = danger;
    let p = &config.0.displacement;
    let quiet = districts.spoilers.iter().all(|&s| s <= 0.0) && !exposure.any_harm();
    // Nothing to flee and nobody away (`displaced` counts those this system sent away and has
    // not seen back; the dead among them only make this shortcut rarer).
    if (p.flight_rate <= 0.0 || quiet) && *displaced == 0 {
        return;
    }
    let rng = &mut rng.0;
    let grid = &mut *grid;
    // Each chance depends only on this tick's spoilers, harm and patrol sight, which nothing
    // below changes: compute them in storage order (no lookup per citizen), then act on those
    // with a chance in id order, drawing exactly as a visit of every citizen by id would.
    chances.clear();
    for (id, cell, conduct, risk) in &citizens {
        let c = cell.0;
        let d = grid.district[c as usize] as usize;
        match *conduct {
            Conduct::Quiescent if p.flight_rate > 0.0 => {
                let exposed = districts.spoilers[d] * (grid.patrol_sight(c) == 0) as u8 as f64;
                let harmed = p.harm_weight * (exposure.harm(c as usize) > 0) as u8 as f64;
                let chance = p.flight_rate * risk.0 as f64 * (exposed + harmed).min(1.0);
                if chance > 0.0 {
                    chances.push((id.0, chance));
                }
            }
            Conduct::Displaced => {
                let s = districts.spoilers[d];
                let safe = if s < p.return_threshold {
                    1.0 - s / p.return_threshold
                } else {
                    0.0
                };
                // Never NaN: the rate is validated and `safe` is in [0, 1].
                let chance = p.return_rate * safe;
                if chance > 0.0 {
                    chances.push((id.0, chance));
                }
            }
            _ => {}
        }
    }
    chances.sort_unstable_by_key(|&(id, _)| id);
    for &(id, chance) in chances.iter() {
        let e = roster.citizens[id as usize];
        let (_, mut cell, mut conduct, _) = citizens.get_mut(e).expect("roster lists citizens");
        if *conduct == Conduct::Quiescent {
            if rng.random_bool(chance.min(1.0)) {
                grid.remove_citizen(id, cell.0, false);
                *conduct = Conduct::Displaced;
                *displaced += 1;
                tally.fled += 1;
            }
            continue;
        }
        // Displaced.
        if !rng.random_bool(chance.min(1.0)) {
            continue;
        }
        let d = grid.district[cell.0 as usize] as usize;
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
            *displaced = displaced.saturating_sub(1);
            tally.returned += 1;
        }
    }
}
