//! Simultaneous activation's patrols: they move, then enforce, one at a time in an order that
//! sweeps the map band by band (docs/MODEL.md §3.3), each drawing from its own counter-based
//! stream of (tick, patrol).
//!
//! The map's rows are cut into bands of [`BAND_ROWS`]; a patrol belongs to the band of the row it
//! stands on when the loop starts. Whatever a patrol reads or changes lies within `reach` rows of
//! where it started (its vision, or its drones' square), so two bands more than `2·reach` rows
//! apart never touch a common cell. [`BandPhases`] groups the bands into such phases
//! ("colours"). The order is: phase by phase, band by band within a phase, and within a band by
//! each patrol's priority (the first draw of its stream, the id breaking ties). Bands of one
//! phase are independent, so running them side by side gives what running them in this order
//! gives.

use super::patrols::{
    Enforcing, Report, for_each_cell_with_actives, patrol_enforce, patrol_move, patrol_target,
};
use super::{PatrolState, Rule, UnrestScratch};
use crate::rng::Keyed;
use crate::world::geometry::Geometry;
use crate::world::grid::RawGrid;
use crate::world::{Conduct, Grid, Intel, Tally};
use rayon::prelude::*;

/// Rows of the map per band (fixed, so the order does not depend on the threads).
pub(super) const BAND_ROWS: usize = 8;

/// Bands of [`BAND_ROWS`] rows grouped into phases such that the cells two bands of one phase
/// can reach (their rows and `reach` rows either side) never overlap: band `b` is in phase
/// `b % colours` with `colours = 1 + ⌈2·reach / BAND_ROWS⌉`. On a torus the last bands touch
/// the first the other way round, so only the first `whole` bands (whole rounds of colours, far
/// enough from the first) are shared out; the rest form a phase each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BandPhases {
    pub(super) bands: usize,
    pub(super) colours: usize,
    pub(super) whole: usize,
}

impl BandPhases {
    pub(super) fn of(height: usize, reach: usize, torus: bool) -> Self {
        let bands = height.div_ceil(BAND_ROWS);
        let colours = 1 + (2 * reach).div_ceil(BAND_ROWS);
        let whole = if torus {
            // Two bands of a phase `d` bands apart leave `height − (d + 1)·BAND_ROWS` rows
            // between them the other way round, which must be at least 2·reach; the widest
            // spread in a phase is `whole − colours`.
            let fit = (height.saturating_sub(2 * reach) / BAND_ROWS + colours).saturating_sub(1);
            let whole = fit.min(bands);
            whole - whole % colours
        } else {
            bands
        };
        BandPhases {
            bands,
            colours: colours.min(whole),
            whole,
        }
    }

    /// How many phases there are.
    pub(super) fn count(&self) -> usize {
        self.colours + (self.bands - self.whole)
    }

    /// The phase band `b` is in.
    #[inline]
    pub(super) fn phase_of(&self, b: usize) -> usize {
        if b < self.whole {
            b % self.colours
        } else {
            self.colours + (b - self.whole)
        }
    }

    /// The bands of each phase, in order: `f(phase, bands)`.
    pub(super) fn for_each_phase(&self, mut f: impl FnMut(&mut dyn Iterator<Item = usize>)) {
        for colour in 0..self.colours {
            f(&mut (colour..self.whole).step_by(self.colours));
        }
        for b in self.whole..self.bands {
            f(&mut std::iter::once(b));
        }
    }
}

/// A patrol's turn in one loop of one tick: its priority (the first draw of its stream of
/// (`key`, tick, patrol), with the patrol in the low 32 bits so that priorities are distinct)
/// and the rest of that stream, for its picks.
#[derive(Debug, Clone)]
pub(super) struct Turn {
    priority: u64,
    draws: Keyed,
}

impl Turn {
    fn of(key: u64, tick: u32, j: u32) -> Turn {
        let mut draws = Keyed::new(key, tick, j);
        let priority = (draws.next_u64() & !0xFFFF_FFFF) | j as u64;
        Turn { priority, draws }
    }

    /// The patrol whose turn it is.
    fn patrol(&self) -> usize {
        self.priority as u32 as usize
    }
}

/// Every turn of `bands`, in the order of `phases` (one at a time).
fn for_each_turn(phases: &BandPhases, bands: &[Vec<Turn>], mut f: impl FnMut(usize, &mut Keyed)) {
    phases.for_each_phase(|phase| {
        for b in phase {
            for turn in &bands[b] {
                f(turn.patrol(), &mut turn.draws.clone());
            }
        }
    });
}

/// How far (in rows) what a patrol reads or changes in one loop can lie from where it stood at
/// the start: its vision (moves, arrests, arrest sites), twice that if it may detain again after
/// moving onto an arrest site, or its drones' square.
pub(super) fn reach(grid: &Grid, sc: &UnrestScratch, rule: &Rule) -> usize {
    let vision = grid.reach as usize;
    let again = rule.move_to_arrest && sc.patrols.iter().any(|p| p.detentions_per_tick > 1);
    let drones = sc.patrols.iter().any(|p| p.drones);
    (vision * if again { 2 } else { 1 }).max(if drones {
        rule.drone_radius as usize
    } else {
        0
    })
}

/// Every patrol in the order of the module notes, for a loop drawing from `key`: fills
/// `sc.patrol_bands` (per band, the turns by priority) and returns the phases.
pub(super) fn sort_into_bands(
    sc: &mut UnrestScratch,
    grid: &Grid,
    key: u64,
    tick: u32,
    reach: usize,
) -> BandPhases {
    let phases = BandPhases::of(grid.height as usize, reach, grid.torus);
    sc.patrol_bands.resize_with(phases.bands, Vec::new);
    for band in &mut sc.patrol_bands {
        band.clear();
    }
    let w = grid.width;
    for j in 0..sc.patrols.len() as u32 {
        let row = grid.patrol_cell(j as usize) / w;
        sc.patrol_bands[row as usize / BAND_ROWS].push(Turn::of(key, tick, j));
    }
    for band in &mut sc.patrol_bands {
        band.sort_unstable_by_key(|t| t.priority);
    }
    phases
}

/// What one band did during its phase besides changing the grid: applied after the phase, in
/// the band's order.
#[derive(Default)]
pub(super) struct BandEffects {
    /// (partner, sector): what the band's patrols reported, in order ([`Intel::note`]; a report
    /// repeating the one before it is left out, as noting it again changes nothing).
    reports: Vec<(u16, u32)>,
    harm_sites: Vec<u32>,
    detentions: u32,
    /// The band's buffer of candidate cells for moves.
    candidates: Vec<u32>,
}

impl BandEffects {
    /// Patrol `j` of partner `p` sees actives on `c` at `tick` ([`Intel::detect`], kept for later).
    #[inline]
    fn report(&mut self, intel: &Intel, (p, j, tick, prob): Report, c: u32) {
        if let Some(s) = intel.sees(j, c, tick, prob)
            && self.reports.last() != Some(&(p, s))
        {
            self.reports.push((p, s));
        }
    }
}

/// The citizens' conduct as a raw pointer, for bands detaining side by side (the same promise
/// as [`RawGrid`]: a band touches only citizens standing within its reach).
struct RawConduct {
    conduct: *mut Conduct,
    len: usize,
}

// SAFETY: see `RawGrid`'s notes; the pointer comes from a vector borrowed mutably meanwhile.
unsafe impl Send for RawConduct {}
unsafe impl Sync for RawConduct {}

/// One band's patrols enforcing on the grid itself (see [`Enforcing`]), side by side with the
/// other bands of its phase.
struct RawBand<'a> {
    grid: &'a RawGrid<'a>,
    conduct: &'a RawConduct,
    cell: &'a [u32],
    patrols: &'a [PatrolState],
    intel: &'a Intel,
    jailed_block: bool,
    fx: &'a mut BandEffects,
}

// SAFETY (every `unsafe` block below): the band reads and changes only cells within its reach,
// the citizens standing there and its own patrols; no other band of the phase comes within
// reach of them (`BandPhases`), and phases are separated by rayon's joins.
impl Enforcing for RawBand<'_> {
    fn geometry(&self) -> &Geometry {
        self.grid.geometry()
    }
    #[inline]
    fn active_here(&self, c: u32) -> u16 {
        unsafe { self.grid.active_here(c) }
    }
    fn nth_active_in(&self, c: u32, k: u32) -> Option<u32> {
        let conduct = self.conduct;
        let active = |id: u32| {
            assert!((id as usize) < conduct.len);
            unsafe { *conduct.conduct.add(id as usize) == Conduct::Active }
        };
        unsafe { self.grid.nth_citizen_in(c, active, k) }
    }
    fn cell_of(&self, id: u32) -> u32 {
        self.cell[id as usize]
    }
    fn patrol(&self, j: usize) -> PatrolState {
        self.patrols[j]
    }
    fn patrol_cell(&self, j: usize) -> u32 {
        unsafe { self.grid.patrol_cell(j) }
    }
    fn count_and_report(&mut self, here: u32, report: Option<Report>) -> u32 {
        let (grid, intel, fx) = (self.grid, self.intel, &mut *self.fx);
        let active_here = |c: u32| unsafe { grid.active_here(c) };
        let mut seen = 0;
        for_each_cell_with_actives(grid.geometry(), active_here, here, |c, n| {
            if let Some(r) = report {
                fx.report(intel, r, c);
            }
            seen += n;
        });
        seen
    }
    fn report_square(&mut self, here: u32, radius: u32, r: Report) {
        let (grid, intel, fx) = (self.grid, self.intel, &mut *self.fx);
        grid.geometry().for_each_in_square(here, radius, |c| {
            if unsafe { grid.active_here(c) } > 0 {
                fx.report(intel, r, c);
            }
        });
    }
    fn detain(&mut self, id: u32, site: u32, term: u16) {
        assert!((id as usize) < self.conduct.len);
        unsafe {
            *self.conduct.conduct.add(id as usize) = Conduct::Detained(term);
            if self.jailed_block {
                self.grid.turn_quiet(site);
            } else {
                self.grid.remove_citizen(id, site, true);
            }
        }
        self.fx.detentions += 1;
    }
    fn move_patrol(&mut self, j: usize, to: u32) {
        unsafe { self.grid.move_patrol(j, to) }
    }
    fn harm(&mut self, site: u32) {
        self.fx.harm_sites.push(site);
    }
}

/// Simultaneous activation's enforcement: every operating patrol enforces once, in the band
/// order of the module notes, with its own stream of (`key`, tick, patrol). The bands of a
/// phase enforce side by side on the grid itself (no two reach a common cell); reports, harm and
/// counts are gathered per band and applied after the phase in band order. The result is that
/// of enforcing one patrol after another in that order, at any number of threads.
pub(super) fn enforce_by_bands(
    sc: &mut UnrestScratch,
    grid: &mut Grid,
    intel: &mut Intel,
    tally: &mut Tally,
    rule: &Rule,
    key: u64,
    reach: usize,
) {
    let phases = sort_into_bands(sc, grid, key, rule.tick, reach);
    let bands = std::mem::take(&mut sc.patrol_bands);
    let mut effects = std::mem::take(&mut sc.band_effects);
    effects.resize_with(phases.bands, BandEffects::default);
    grid.defer_patrol_sight();
    if grid.sight_is_deferred() && !grid.track_sight() {
        // Out of the scratch, so that no reference to it exists while bands write through it.
        let mut conduct = std::mem::take(&mut sc.conduct);
        let raw_conduct = RawConduct {
            conduct: conduct.as_mut_ptr(),
            len: conduct.len(),
        };
        let raw = grid.raw();
        let (cell, patrols, known) = (&sc.cell, &sc.patrols, &*intel);
        let parallel = raw.geometry().worth_parallel();
        for phase in 0..phases.count() {
            let enforce_band = |(b, fx): (usize, &mut BandEffects)| {
                let mut view = RawBand {
                    grid: &raw,
                    conduct: &raw_conduct,
                    cell,
                    patrols,
                    intel: known,
                    jailed_block: rule.jailed_block,
                    fx,
                };
                for turn in &bands[b] {
                    patrol_enforce(&mut view, &mut turn.draws.clone(), rule, turn.patrol());
                }
            };
            in_phase(&mut effects, &phases, phase, parallel, enforce_band);
        }
        sc.conduct = conduct;
    } else {
        // A vision wrapping onto itself (tiny maps), or actives in sight tracked on every change
        // (a test compares them with the snapshot): one band at a time, on the grid directly.
        for_each_turn(&phases, &bands, |j, draws| {
            let mut direct = super::patrols::Direct {
                sc: &mut *sc,
                grid: &mut *grid,
                intel: &mut *intel,
                tally: &mut *tally,
                jailed_block: rule.jailed_block,
            };
            patrol_enforce(&mut direct, draws, rule, j);
        });
    }
    grid.settle_patrol_sight();
    // Reports, harm and counts, band by band in the order the bands acted.
    phases.for_each_phase(|phase| {
        for b in phase {
            let fx = &mut effects[b];
            for &(p, s) in &fx.reports {
                intel.note(p, s, rule.tick);
            }
            tally.detentions += fx.detentions;
            tally.harm_incidents += fx.harm_sites.len() as u32;
            sc.harm_sites.extend_from_slice(&fx.harm_sites);
            fx.reports.clear();
            fx.harm_sites.clear();
            fx.detentions = 0;
        }
    });
    sc.patrol_bands = bands;
    sc.band_effects = effects;
}

/// Simultaneous activation's patrol moves: every operating patrol moves once, in the band order
/// of the module notes, with its own stream of (`key`, tick, patrol), onto a cell empty at its
/// turn. The bands of a phase move theirs side by side on the grid itself (no two reach a
/// common cell); patrol sight is recounted after the loop. The result is that of moving one
/// patrol after another in that order, at any number of threads.
pub(super) fn move_by_bands(
    sc: &mut UnrestScratch,
    grid: &mut Grid,
    rule: &Rule,
    key: u64,
    reach: usize,
) {
    let phases = sort_into_bands(sc, grid, key, rule.tick, reach);
    let bands = std::mem::take(&mut sc.patrol_bands);
    grid.defer_patrol_sight();
    if grid.sight_is_deferred() && !grid.track_sight() {
        let mut effects = std::mem::take(&mut sc.band_effects);
        effects.resize_with(phases.bands, BandEffects::default);
        let raw = grid.raw();
        let (patrols, refused) = (&sc.patrols, &sc.refused);
        let parallel = raw.geometry().worth_parallel();
        for phase in 0..phases.count() {
            let move_band = |(b, fx): (usize, &mut BandEffects)| {
                for turn in &bands[b] {
                    let (j, mut draws) = (turn.patrol(), turn.draws.clone());
                    let ps = patrols[j];
                    // SAFETY (both blocks): the band reads and moves only within its reach, which
                    // no other band of the phase comes near (`BandPhases`).
                    let from = unsafe { raw.patrol_cell(j) };
                    let empty = |c: u32| unsafe { raw.is_empty(c) };
                    let to = patrol_target(
                        raw.geometry(),
                        empty,
                        &mut fx.candidates,
                        &refused[ps.partner as usize],
                        ps,
                        &mut draws,
                        rule,
                        from,
                    );
                    if let Some(to) = to {
                        unsafe { raw.move_patrol(j, to) };
                    }
                }
            };
            in_phase(&mut effects, &phases, phase, parallel, move_band);
        }
        sc.band_effects = effects;
    } else {
        // A vision wrapping onto itself, or actives in sight tracked: one patrol at a time.
        for_each_turn(&phases, &bands, |j, draws| {
            patrol_move(sc, grid, draws, rule, j)
        });
    }
    grid.settle_patrol_sight();
    sc.patrol_bands = bands;
}

/// Run `f` on every band of `phase` with its own effects: side by side if `parallel`.
fn in_phase(
    effects: &mut [BandEffects],
    phases: &BandPhases,
    phase: usize,
    parallel: bool,
    f: impl Fn((usize, &mut BandEffects)) + Sync + Send,
) {
    if parallel {
        effects
            .par_iter_mut()
            .enumerate()
            .filter(|(b, _)| phases.phase_of(*b) == phase)
            .for_each(f);
    } else {
        effects
            .iter_mut()
            .enumerate()
            .filter(|(b, _)| phases.phase_of(*b) == phase)
            .for_each(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every band is in exactly one phase, and no two bands of one phase reach a common row
    /// (their rows and `reach` rows either side, wrapping on a torus).
    #[test]
    fn band_phases_cover_every_band_once_and_never_share_a_row() {
        for height in [1, 5, 8, 9, 17, 24, 40, 100, 1196] {
            for reach in [1, 2, 7, 8, 20] {
                for torus in [false, true] {
                    let p = BandPhases::of(height, reach, torus);
                    let mut phases: Vec<Vec<usize>> = Vec::new();
                    p.for_each_phase(|bands| phases.push(bands.collect()));
                    assert_eq!(phases.len(), p.count());
                    for (k, phase) in phases.iter().enumerate() {
                        assert!(phase.iter().all(|&b| p.phase_of(b) == k), "{phase:?}");
                    }
                    let mut all: Vec<usize> = phases.concat();
                    all.sort_unstable();
                    assert_eq!(all, (0..p.bands).collect::<Vec<_>>(), "{height} {reach}");
                    let rows_of = |b: usize| -> Vec<usize> {
                        let (lo, hi) = (b * BAND_ROWS, ((b + 1) * BAND_ROWS).min(height));
                        let h = height as isize;
                        (lo as isize - reach as isize..(hi + reach) as isize)
                            .filter_map(|r| {
                                if torus {
                                    Some(r.rem_euclid(h) as usize)
                                } else {
                                    (0..h).contains(&r).then_some(r as usize)
                                }
                            })
                            .collect()
                    };
                    for phase in &phases {
                        let mut seen = vec![false; height];
                        for &b in phase {
                            let mut rows = rows_of(b);
                            rows.sort_unstable();
                            rows.dedup();
                            for r in rows {
                                assert!(!seen[r], "{height} {reach} {torus}: row {r} twice");
                                seen[r] = true;
                            }
                        }
                    }
                }
            }
        }
    }
}
