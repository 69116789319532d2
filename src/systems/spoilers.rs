//! Armed spoilers (Stedman's spoiler problem): a strength S_d ∈ [0, 1] per district that
//! recruits from grievance, is contained by security operations that depend on what the forces
//! know, and attacks civilians. Runs after demography and before the district picture (whose
//! security level σ_d, and so aid access, convoy ambush and patrol casualties, follow S_d).
//!
//! ```text
//! detection:   each operating patrol in d detects d's spoilers w.p. p_patrol·S_d,
//!              each aid or liaison team w.p. p_civilian·S_d (a shared report, §3.9)
//! K_d        = 1 if an engaged force knows where d's spoilers are (own or shared report within
//!              intel.memory), else blind_effectiveness
//! S_d ← clamp(S_d + r·g_d·S_d·(1 − S_d) − c·cov_d·K_d·S_d, 0, 1)
//! attacks:     one attack on civilians w.p. attack_rate·S_d per tick, at a random cell of d:
//!              a harm incident (trust falls within the harm radius)
//! ```
//! g_d = mean grievance of d's residents (last district picture), cov_d = Athena coverage of d.
//! Growth is logistic in S_d: a district with no spoilers never gets any, so Epstein's
//! scenarios are untouched. `recruitment = containment = 0` holds S_d at its initial value.

use crate::scenario::UnitKind;
use crate::world::{
    Cell, Clock, Config, DistrictState, Exposure, Grid, Intel, Operating, Partner, Perpetrator,
    Politics, Roster, SpoilersRng, Tally, Unit,
};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use rand::RngExt;

/// What the spoilers system reads: the scenario, the day, the map and who is who.
#[derive(SystemParam)]
pub struct SpoilersSetting<'w> {
    config: Res<'w, Config>,
    clock: Res<'w, Clock>,
    grid: Res<'w, Grid>,
    roster: Res<'w, Roster>,
}

/// What spoilers leave behind besides their strength: detections (what partners know of
/// them), the harm of their attacks, and counters.
#[derive(SystemParam)]
pub struct SpoilersTraces<'w> {
    intel: ResMut<'w, Intel>,
    exposure: ResMut<'w, Exposure>,
    tally: ResMut<'w, Tally>,
}

pub fn spoilers(
    setting: SpoilersSetting,
    mut state: ResMut<DistrictState>,
    traces: SpoilersTraces,
    mut rng: ResMut<SpoilersRng>,
    mut forces: Local<Vec<usize>>,
    partners: Query<(&Partner, &Politics)>,
    units: Query<(&Unit, &Cell, &Operating)>,
) {
    let SpoilersSetting {
        config,
        clock,
        grid,
        roster,
    } = setting;
    let SpoilersTraces {
        mut intel,
        mut exposure,
        mut tally,
    } = traces;
    let s = &config.0;
    let p = &s.spoilers;
    let state = &mut *state;
    let rng = &mut rng.0;
    if state.spoilers.iter().all(|&x| x <= 0.0) {
        return;
    }

    // Detection by units, in id order.
    for &e in &roster.units {
        let Ok((unit, cell, operating)) = units.get(e) else {
            continue;
        };
        if !operating.0 {
            continue;
        }
        let rate = match unit.kind {
            UnitKind::Patrol => p.detect_patrol,
            UnitKind::AidTeam | UnitKind::Liaison => p.detect_civilian,
            _ => continue,
        };
        let d = grid.district[cell.0 as usize] as usize;
        let strength = state.spoilers[d];
        if strength > 0.0 && rng.random_bool((rate * strength).min(1.0)) {
            intel.observe_spoilers(unit.partner as u16, d, clock.tick);
        }
    }

    // Which engaged forces are there to act on knowledge.
    forces.clear();
    forces.extend(
        roster
            .partners
            .iter()
            .enumerate()
            .filter(|&(_, &e)| {
                partners
                    .get(e)
                    .is_ok_and(|(partner, pol)| partner.is_force && pol.engaged)
            })
            .map(|(i, _)| i),
    );

    for d in 0..state.spoilers.len() {
        let strength = state.spoilers[d];
        if strength <= 0.0 {
            continue;
        }
        let entry = intel.spoiler_entry(d) as usize;
        let known = forces
            .iter()
            .any(|&f| intel.knows(f, entry, clock.tick, s.intel.memory));
        let k = if known { 1.0 } else { p.blind_effectiveness };
        let growth = p.recruitment * state.grievance[d] * strength * (1.0 - strength);
        let loss = p.containment * state.coverage[d] * k * strength;
        state.spoilers[d] = (strength + growth - loss).clamp(0.0, 1.0);

        let cells = &state.cells[d];
        if !cells.is_empty() && rng.random_bool((p.attack_rate * state.spoilers[d]).min(1.0)) {
            let c = cells[rng.random_range(0..cells.len())];
            exposure.harm_at(&grid, c, s.security.harm_radius, Perpetrator::Spoilers);
            tally.harm_incidents += 1;
            tally.spoiler_attacks += 1;
        }
    }
}
