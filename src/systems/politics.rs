//! Politics at home: casualties and spending erode each partner's commitment; below its
//! threshold a partner withdraws (its units stop, its information stops). Runs last before
//! metrics.
//!
//! ```text
//! casualty: each operating patrol, each tick, with probability casualty_rate × S_d (spoiler
//!           strength of its district, `systems/spoilers.rs`)
//! c ← c − a_cas · casualties − a_cost · cost_tick / budget      (no budget: no cost term)
//!       − consent.commitment_loss · max(0, consent.floor − C)    (host consent C, §3.19)
//! withdraw when c < withdraw_below
//! ```
//! Home-politics events subtract from c directly (see `systems/events.rs`).

use crate::scenario::UnitKind;
use crate::world::{
    Cell, Config, DistrictState, Grid, HostConsent, Operating, Politics, PoliticsRng, Roster,
    Tally, Unit,
};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use rand::RngExt;

/// What presses on commitment from the theatre: spoiler strength where the patrols are (the map
/// says which district a cell is in) and the host government's consent.
#[derive(SystemParam)]
pub struct Pressures<'w> {
    grid: Res<'w, Grid>,
    districts: Res<'w, DistrictState>,
    consent: Res<'w, HostConsent>,
}

pub fn politics(
    config: Res<Config>,
    roster: Res<Roster>,
    pressures: Pressures,
    mut rng: ResMut<PoliticsRng>,
    mut tally: ResMut<Tally>,
    units: Query<(&Unit, &Cell, &Operating)>,
    mut partners: Query<&mut Politics>,
) {
    let Pressures {
        grid,
        districts,
        consent,
    } = pressures;
    let s = &config.0;
    let rate = s.politics.casualty_rate;
    if rate > 0.0 {
        for &e in &roster.units {
            let (unit, cell, op) = units.get(e).expect("roster lists units");
            if unit.kind != UnitKind::Patrol || !op.0 {
                continue;
            }
            let spoilers = districts.spoilers[grid.district[cell.0 as usize] as usize];
            if spoilers > 0.0 && rng.0.random_bool((rate * spoilers).min(1.0)) {
                let mut pol = partners
                    .get_mut(roster.partners[unit.partner as usize])
                    .expect("roster lists partners");
                pol.new_casualties += 1;
            }
        }
    }
    for &e in &roster.partners {
        let mut pol = partners.get_mut(e).expect("roster lists partners");
        let cas = pol.new_casualties;
        pol.casualties += cas;
        pol.new_casualties = 0;
        tally.casualties += cas;
        if !pol.engaged {
            continue;
        }
        let mut c = pol.commitment
            - s.politics.casualty_sensitivity * cas as f64
            - s.consent.commitment_loss * (s.consent.floor - consent.0).max(0.0);
        if let Some(budget) = pol.budget {
            // Spending up to the budget costs `cost_sensitivity` of commitment in all.
            let share = (pol.spent.min(budget) - pol.spent_seen.min(budget)) / budget;
            c -= s.politics.cost_sensitivity * share;
        }
        pol.commitment = c.clamp(0.0, 1.0);
        pol.spent_seen = pol.spent;
        if pol.commitment < pol.withdraw_below {
            pol.engaged = false;
        }
    }
}
