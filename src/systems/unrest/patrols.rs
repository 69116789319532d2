//! The mission's patrols as Epstein's cops: who operates this tick and what its partner allows
//! (presence, synced to the grid), hotspot assignment, moves, and enforcement (reporting what
//! they see, detaining, harming civilians).

use super::moves::{Draw, MoveRule, random_empty_cell_in};
use super::{PatrolState, Rule, UnitView, UnrestScratch, UnrestSetting};
use crate::scenario::{Posture, Technology, UnitKind};
use crate::world::geometry::Geometry;
use crate::world::{Conduct, Grid, Intel, Tally};
use bevy_ecs::prelude::*;

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
    rng: &mut impl Draw,
    rule: &Rule,
    j: usize,
) {
    let ps = sc.patrols[j];
    let refused = std::mem::take(&mut sc.refused[ps.partner as usize]);
    let (from, g) = (grid.patrol_cell(j), &*grid);
    let empty = |c: u32| g.is_empty(c);
    let to = patrol_target(g, empty, &mut sc.candidates, &refused, ps, rng, rule, from);
    sc.refused[ps.partner as usize] = refused;
    if let Some(to) = to {
        grid.move_patrol(j, to);
    }
}

/// Where a patrol on `from` moves (see [`patrol_move`]): a random acceptable empty cell, or with
/// a hotspot goal the acceptable empty cell nearest it; emptiness as `is_empty` tells it.
#[allow(clippy::too_many_arguments)]
pub(super) fn patrol_target(
    geometry: &Geometry,
    is_empty: impl Fn(u32) -> bool,
    candidates: &mut Vec<u32>,
    refused: &[bool],
    ps: PatrolState,
    rng: &mut impl Draw,
    rule: &Rule,
    from: u32,
) -> Option<u32> {
    let moves = MoveRule {
        district: ps.district,
        refused: Some(refused),
        step: rule.step,
        all: ps.goal.is_some(),
    };
    let to = random_empty_cell_in(geometry, is_empty, candidates, rng, from, moves);
    match ps.goal {
        // Predictive policy: of the empty cells in vision, the one nearest the hotspot this
        // patrol was assigned (Chebyshev distance; first in vision order on ties).
        Some(goal) if to.is_some() => candidates
            .iter()
            .copied()
            .min_by_key(|&c| geometry.chebyshev(c, goal)),
        _ => to,
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

/// What enforcement reads and changes. [`Direct`]: the grid and the scratch themselves
/// (random-sequential activation, and simultaneous activation where bands cannot run side by
/// side). `patrol_bands::RawBand`: one band of simultaneous activation, on the live grid through
/// raw pointers beside the other bands of its phase, keeping its reports, harm and counts to
/// apply after the phase.
pub(super) trait Enforcing {
    fn geometry(&self) -> &Geometry;
    /// Active free citizens on `c` now.
    fn active_here(&self, c: u32) -> u16;
    /// The `k`-th (from 0) active citizen on `c`, in list order.
    fn nth_active_in(&self, c: u32, k: u32) -> Option<u32>;
    fn cell_of(&self, id: u32) -> u32;
    fn patrol(&self, j: usize) -> PatrolState;
    fn patrol_cell(&self, j: usize) -> u32;
    /// Actives on `here` and in vision of it; with `report` = (partner, patrol, tick,
    /// probability), each cell with actives is reported in vision order ([`Intel::detect`]).
    fn count_and_report(&mut self, here: u32, report: Option<Report>) -> u32;
    /// A patrol with drones reports every cell with actives in the square of `radius` around
    /// `here` ([`Intel::detect`]).
    fn report_square(&mut self, here: u32, radius: u32, report: Report);
    /// Citizen `id`, active on `site`, is detained for `term` ticks.
    fn detain(&mut self, id: u32, site: u32, term: u16);
    fn move_patrol(&mut self, j: usize, to: u32);
    /// A detention on `site` harmed civilians.
    fn harm(&mut self, site: u32);
}

/// Who reports what they see: (partner, patrol, tick, detection probability).
pub(super) type Report = (u16, u32, u32, f64);

/// Enforcement acting on the grid and the scratch at once.
pub(super) struct Direct<'a> {
    pub(super) sc: &'a mut UnrestScratch,
    pub(super) grid: &'a mut Grid,
    pub(super) intel: &'a mut Intel,
    pub(super) tally: &'a mut Tally,
    pub(super) jailed_block: bool,
}

impl Enforcing for Direct<'_> {
    fn geometry(&self) -> &Geometry {
        self.grid
    }
    #[inline]
    fn active_here(&self, c: u32) -> u16 {
        self.grid.active_here(c)
    }
    fn nth_active_in(&self, c: u32, k: u32) -> Option<u32> {
        let conduct = &self.sc.conduct;
        self.grid
            .citizens_in(c)
            .filter(|&id| conduct[id as usize] == Conduct::Active)
            .nth(k as usize)
    }
    fn cell_of(&self, id: u32) -> u32 {
        self.sc.cell[id as usize]
    }
    fn patrol(&self, j: usize) -> PatrolState {
        self.sc.patrols[j]
    }
    fn patrol_cell(&self, j: usize) -> u32 {
        self.grid.patrol_cell(j)
    }
    fn count_and_report(&mut self, here: u32, report: Option<Report>) -> u32 {
        let (grid, intel) = (&*self.grid, &mut *self.intel);
        // Where actives in sight are kept (the vision is symmetric, so the actives a patrol on
        // `here` sees are those whose vision holds `here`), a patrol that sees none has nothing
        // to report or count: no scan.
        if grid.track_sight() && grid.active_here(here) == 0 && grid.active_sight(here) == 0 {
            return 0;
        }
        let mut seen = 0;
        for_each_cell_with_actives(
            grid,
            |c| grid.active_here(c),
            here,
            |c, n| {
                if let Some((p, j, tick, prob)) = report {
                    intel.detect(p, j, c, tick, prob);
                }
                seen += n;
            },
        );
        seen
    }
    fn report_square(&mut self, here: u32, radius: u32, (p, j, tick, prob): Report) {
        let (grid, intel) = (&*self.grid, &mut *self.intel);
        grid.for_each_in_square(here, radius, |c| {
            if grid.active_here(c) > 0 {
                intel.detect(p, j, c, tick, prob);
            }
        });
    }
    fn detain(&mut self, id: u32, site: u32, term: u16) {
        detain(
            self.sc,
            self.grid,
            self.tally,
            self.jailed_block,
            id,
            site,
            term,
        );
    }
    fn move_patrol(&mut self, j: usize, to: u32) {
        self.grid.move_patrol(j, to);
    }
    fn harm(&mut self, site: u32) {
        self.tally.harm_incidents += 1;
        self.sc.harm_sites.push(site);
    }
}

/// Citizen `id`, active on `site`, is detained for `term` ticks: it stays on (and blocks) its
/// cell with `jailed_block` (Mesa), else it leaves the grid.
pub(super) fn detain(
    sc: &mut UnrestScratch,
    grid: &mut Grid,
    tally: &mut Tally,
    jailed_block: bool,
    id: u32,
    site: u32,
    term: u16,
) {
    sc.conduct[id as usize] = Conduct::Detained(term);
    if jailed_block {
        grid.turn_quiet(site);
    } else {
        grid.remove_citizen(id, site, true);
    }
    tally.detentions += 1;
}

/// Visit `cell` and then every cell in its vision, in vision order, where active free citizens
/// stand (by `active_here`), with their number there.
#[inline]
pub(super) fn for_each_cell_with_actives(
    grid: &Geometry,
    active_here: impl Fn(u32) -> u16,
    cell: u32,
    mut f: impl FnMut(u32, u32),
) {
    let mut visit = |c: u32| {
        let n = active_here(c);
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
fn kth_active_in_sight(e: &impl Enforcing, cell: u32, k: u32) -> u32 {
    let (mut left, mut found) = (k, None);
    for_each_cell_with_actives(
        e.geometry(),
        |c| e.active_here(c),
        cell,
        |c, n| {
            if found.is_some() {
                return;
            }
            if left >= n {
                left -= n;
                return;
            }
            found = e.nth_active_in(c, left);
        },
    );
    found.expect("k is below the actives in sight")
}

/// Patrol `j` reports what it sees and detains up to its posture's detentions per tick.
pub(super) fn patrol_enforce(e: &mut impl Enforcing, rng: &mut impl Draw, rule: &Rule, j: usize) {
    // What the patrol sees, it reports: sectors with active citizens in vision (with drones, in
    // the wider drone radius).
    let ps = e.patrol(j);
    if ps.drones {
        let here = e.patrol_cell(j);
        let report = (ps.partner, j as u32, rule.tick, rule.detect_drone);
        e.report_square(here, rule.drone_radius, report);
    }
    for round in 0..ps.detentions_per_tick.max(1) {
        let here = e.patrol_cell(j);
        // Reports come in vision order, one per cell with actives (a sector's report is the same
        // whoever in it is seen, `Intel::detect`), and the actives in sight are counted.
        let report = (round == 0 && !ps.drones).then_some((
            ps.partner,
            j as u32,
            rule.tick,
            rule.detect_patrol,
        ));
        let seen = e.count_and_report(here, report);
        if round >= ps.detentions_per_tick || seen == 0 {
            return;
        }
        // The same draw as a pick from the list of every active in sight (a `usize` range).
        let pick = rng.index(seen as usize) as u32;
        let suspect = kth_active_in_sight(e, here, pick);
        let site = e.cell_of(suspect);
        // `max_jail_term` ≤ 65,535, so a term (below it, or equal under Mesa's terms) fits.
        let term = rng.below(rule.term_bound);
        e.detain(suspect, site, term as u16);
        if rule.move_to_arrest && round == 0 && site != here {
            // NetLogo moves the cop onto the arrest site.
            e.move_patrol(j, site);
        }
        if rng.chance(ps.harm_probability) {
            e.harm(site);
        }
    }
}
