//! The mission's patrols as Epstein's cops: who operates this tick and what its partner allows
//! (presence, synced to the grid), hotspot assignment, moves, and enforcement (reporting what
//! they see, detaining, harming civilians).

use super::moves::{MoveRule, random_empty_cell};
use super::{PatrolState, Rule, UnitView, UnrestScratch, UnrestSetting};
use crate::scenario::{Posture, Technology, UnitKind};
use crate::world::{Conduct, Grid, Intel, Tally};
use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Patrol presence: the operating patrols in roster order, with what their partners allow them,
/// synced to the grid; then hotspot patrols are assigned their sectors.
///
/// The grid still holds last tick's operating patrols at their final cells; only when logistics
/// changed which patrols operate is it rebuilt (marking costs O(vision) per patrol, a large
/// share of a small world's tick).
pub(super) fn presence(
    sc: &mut UnrestScratch,
    setting: &UnrestSetting,
    units: &Query<UnitView>,
    grid: &mut Grid,
    sectors: usize,
) {
    let s = &setting.config.0;
    sc.patrols.clear();
    sc.patrol_cells.clear();
    for &e in &setting.roster.units {
        let (unit, cell, operating) = units.get(e).expect("roster lists units");
        if unit.kind != UnitKind::Patrol || !operating.0 {
            continue;
        }
        let partner = setting
            .partners
            .get(setting.roster.partners[unit.partner as usize])
            .expect("roster lists partners");
        let posture = match partner.posture {
            Posture::Restrained => &s.security.restrained,
            Posture::Robust => &s.security.robust,
        };
        sc.patrol_cells.push(cell.0);
        sc.patrols.push(PatrolState {
            entity: e,
            partner: unit.partner as u16,
            district: unit.district,
            detentions_per_tick: if partner.refuses_detain {
                0
            } else {
                posture.detentions_per_tick
            },
            harm_probability: posture.harm_probability,
            hotspot: !sc.targets[unit.partner as usize].is_empty(),
            goal: None,
            drones: partner.has(Technology::Drones),
        });
    }
    grid.sync_patrols(&sc.patrol_cells);
    assign_hotspots(sc, grid, sectors, s.intel.patrols_per_hotspot);
}

pub(super) fn patrol_move(
    sc: &mut UnrestScratch,
    grid: &mut Grid,
    rng: &mut ChaCha8Rng,
    rule: &Rule,
    j: usize,
) {
    let ps = sc.patrols[j];
    let refused = std::mem::take(&mut sc.refused[ps.partner as usize]);
    let moves = MoveRule {
        district: ps.district,
        refused: Some(&refused),
        step: rule.step,
        all: ps.goal.is_some(),
    };
    let mut to = random_empty_cell(sc, grid, rng, grid.patrol_cell(j), moves);
    sc.refused[ps.partner as usize] = refused;
    if let Some(goal) = ps.goal
        && to.is_some()
    {
        // Predictive policy: of the empty cells in vision, the one nearest the hotspot this
        // patrol was assigned (Chebyshev distance; first in vision order on ties).
        to = sc
            .candidates
            .iter()
            .copied()
            .min_by_key(|&c| grid.chebyshev(c, goal));
    }
    if let Some(to) = to {
        grid.move_patrol(j, to);
    }
}

/// Deconfliction of hotspot patrols: in patrol order, each heads for the nearest hotspot its
/// partner knows that fewer than `need` patrols are already heading for (ties: first known);
/// when every known hotspot has the patrols it needs, it patrols at random instead of
/// bunching up.
fn assign_hotspots(sc: &mut UnrestScratch, grid: &Grid, sectors: usize, need: u32) {
    sc.claimed.clear();
    sc.claimed.resize(sectors, 0);
    for j in 0..sc.patrols.len() {
        let ps = sc.patrols[j];
        if !ps.hotspot {
            continue;
        }
        let here = grid.patrol_cell(j);
        let best = sc.targets[ps.partner as usize]
            .iter()
            .filter(|(sector, _)| sc.claimed[*sector as usize] < need)
            .min_by_key(|(_, centre)| grid.chebyshev(here, *centre))
            .copied();
        if let Some((sector, centre)) = best {
            sc.claimed[sector as usize] += 1;
            sc.patrols[j].goal = Some(centre);
        }
    }
}

/// Visit `cell` and then every cell in its vision, in vision order, where active free citizens
/// stand, with their number there.
#[inline]
fn for_each_cell_with_actives(grid: &Grid, cell: u32, mut f: impl FnMut(u32, u32)) {
    let mut visit = |c: u32| {
        let n = grid.active_here(c);
        if n > 0 {
            f(c, n as u32);
        }
    };
    visit(cell);
    grid.for_each_in_vision(cell, visit);
}

/// The `k`-th active free citizen (from 0) on `cell` and in vision of it, counting in vision
/// order and, within a cell, in list order: the `k`-th entry of the list of every active in
/// sight, found without building it (a cell's count says whether to look inside).
fn kth_active_in_sight(grid: &Grid, conduct: &[Conduct], cell: u32, k: u32) -> u32 {
    let (mut left, mut found) = (k, None);
    for_each_cell_with_actives(grid, cell, |c, n| {
        if found.is_some() {
            return;
        }
        if left >= n {
            left -= n;
            return;
        }
        found = grid
            .citizens_in(c)
            .filter(|&id| conduct[id as usize] == Conduct::Active)
            .nth(left as usize);
    });
    found.expect("k is below the actives in sight")
}

pub(super) fn patrol_enforce(
    sc: &mut UnrestScratch,
    grid: &mut Grid,
    intel: &mut Intel,
    rng: &mut ChaCha8Rng,
    rule: &Rule,
    tally: &mut Tally,
    j: usize,
) {
    // What the patrol sees, it reports: sectors with active citizens in vision (with drones, in
    // the wider drone radius).
    let ps = sc.patrols[j];
    if ps.drones {
        grid.for_each_in_square(grid.patrol_cell(j), rule.drone_radius, |c| {
            if grid.active_here(c) > 0 {
                intel.detect(ps.partner, j as u32, c, rule.tick, rule.detect_drone);
            }
        });
    }
    for round in 0..sc.patrols[j].detentions_per_tick.max(1) {
        let (ps, here) = (sc.patrols[j], grid.patrol_cell(j));
        // Reports come in vision order, one per cell with actives (a sector's report is the same
        // whoever in it is seen, `Intel::detect`), and the actives in sight are counted.
        let report = round == 0 && !ps.drones;
        let mut seen = 0u32;
        for_each_cell_with_actives(grid, here, |c, n| {
            if report {
                intel.detect(ps.partner, j as u32, c, rule.tick, rule.detect_patrol);
            }
            seen += n;
        });
        if round >= sc.patrols[j].detentions_per_tick || seen == 0 {
            return;
        }
        // The same draw as a pick from the list of every active in sight (a `usize` range).
        let pick = rng.random_range(0..seen as usize) as u32;
        let suspect = kth_active_in_sight(grid, &sc.conduct, here, pick);
        let site = sc.cell[suspect as usize];
        let term = rng.random_range(0..rule.term_bound);
        // `max_jail_term` ≤ 65,535, so a term (below it, or equal under Mesa's terms) fits.
        sc.conduct[suspect as usize] = Conduct::Detained(term as u16);
        if rule.jailed_block {
            // Mesa: the detainee stays on (and blocks) its cell, no longer active.
            grid.turn_quiet(site);
        } else {
            grid.remove_citizen(suspect, site, true);
        }
        tally.detentions += 1;
        if rule.move_to_arrest && round == 0 && site != here {
            // NetLogo moves the cop onto the arrest site.
            grid.move_patrol(j, site);
        }
        if rng.random_bool(ps.harm_probability) {
            tally.harm_incidents += 1;
            sc.harm_sites.push(site);
        }
    }
}
