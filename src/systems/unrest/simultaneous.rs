//! Simultaneous activation's citizen moves: propose, resolve, apply (docs/MODEL.md §3.3).
//!
//! 1. Propose, in parallel: every free citizen i draws a target, a uniformly random cell in its
//!    vision (or among its eight neighbours with `movement = "step"`; within its home district
//!    unless citizens roam anywhere) that is empty in the grid as it stands before anyone moves,
//!    or none. Its draws come from the counter-based stream of (seed, run, tick, i)
//!    (`rng::Keyed`), so the proposal does not depend on who else proposes first.
//! 2. Resolve, in parallel: each target cell goes to the proposer of smallest priority
//!    π_i = ⌊u_i / 2³²⌋ · 2³² + i, where u_i is the first draw of i's stream (the id makes the
//!    priorities distinct). A per-cell `AtomicU64::fetch_min` computes the minimum, which does
//!    not depend on the order of the calls.
//! 3. Apply: winners move; losers stay. Only cells that were empty move in, and each gets one
//!    citizen, so the grid afterwards (lists included: removal keeps the order of the remaining
//!    occupants) does not depend on the order of the moves either. On large maps bands of rows
//!    apply theirs side by side (`apply_moves`); elsewhere in the order of the claimed cells.
//!
//! The proposal keeps the sequential move's sampling (`moves::probe_vision`: up to
//! `REJECTION_TRIES` uniform vision offsets), then a uniform pick among all acceptable cells
//! (counted, then found again by a second scan, so no buffer is needed per thread). Both paths
//! are uniform over the same set.

use super::moves::probe_vision;
use super::patrol_bands::{BAND_ROWS, BandPhases};
use super::{Rule, UnrestScratch};
use crate::rng::Keyed;
use crate::world::Grid;
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// Priority of citizen `id` given the first draw `u` of its stream (smaller wins).
#[inline]
fn priority(u: u64, id: u32) -> u64 {
    (u & !0xFFFF_FFFF) | id as u64
}

/// The stream of citizen `id` this tick, and its priority (the stream's first draw).
#[inline]
fn stream(key: u64, tick: u32, id: u32) -> (Keyed, u64) {
    let mut draws = Keyed::new(key, tick, id);
    let p = priority(draws.next_u64(), id);
    (draws, p)
}

/// Visit the cells a citizen on `from` may move to, in a fixed order: the eight neighbours with
/// `step`, else its vision.
#[inline]
fn for_each_target(grid: &Grid, from: u32, step: bool, mut f: impl FnMut(u32)) {
    if step {
        for (dx, dy) in crate::world::geometry::NEIGHBOURS {
            if let Some(c) = grid.offset(from, dx, dy) {
                f(c);
            }
        }
    } else {
        grid.for_each_in_vision(from, f);
    }
}

/// A uniformly random cell a citizen on `from` may move to that is empty in `grid` and lies in
/// `home` (if set), or `None`.
fn propose(
    grid: &Grid,
    draws: &mut Keyed,
    from: u32,
    home: Option<u16>,
    step: bool,
) -> Option<u32> {
    // Evaluated whole (`&`): one branch on the answer, not one per test (see `moves.rs`).
    let acceptable =
        |c: u32| grid.is_empty(c) & home.is_none_or(|h| grid.district[c as usize] == h);
    if !step {
        let draw = |len: usize| draws.below(len as u32) as usize;
        if let Some(c) = probe_vision(grid, from, &acceptable, draw) {
            return Some(c);
        }
    }
    let mut count = 0u32;
    for_each_target(grid, from, step, |c| count += acceptable(c) as u32);
    if count == 0 {
        return None;
    }
    let mut left = draws.below(count);
    let mut chosen = None;
    for_each_target(grid, from, step, |c| {
        if chosen.is_none() && acceptable(c) {
            if left == 0 {
                chosen = Some(c);
            }
            left = left.wrapping_sub(1);
        }
    });
    chosen
}

/// Move every free citizen by propose–resolve–apply (module notes), with the draws of `key`.
///
/// Citizens are visited by cell, in bands of [`BAND_ROWS`] rows (in parallel), so a citizen's
/// probes and bids fall near those of the citizens visited just before it; what each proposes
/// depends only on its id and the grid before the moves, so the visiting order does not matter.
/// Nothing is kept per proposal: after the bids, a claimed cell's smallest priority names its
/// winner (its low 32 bits are the id), and where the winner stands and whether it is active are
/// read back when the move is applied (nobody has moved or changed conduct yet).
pub(super) fn citizen_moves(sc: &mut UnrestScratch, grid: &mut Grid, rule: &Rule, key: u64) {
    let cells = grid.cells();
    if sc.claim.len() != cells {
        sc.claim = (0..cells).map(|_| AtomicU64::new(u64::MAX)).collect();
    }
    let (w, h) = (grid.width as usize, grid.height as usize);
    let (tick, step, only_free) = (rule.tick, rule.step, !rule.jailed_block);
    {
        let (g, shared) = (&*grid, &*sc);
        let (claim, conduct) = (&shared.claim, &shared.conduct);
        // Propose, and bid for the target at once: the minimum is the same whatever the order.
        (0..h.div_ceil(BAND_ROWS)).into_par_iter().for_each(|b| {
            let rows = b * BAND_ROWS..((b + 1) * BAND_ROWS).min(h);
            for from in (rows.start * w) as u32..(rows.end * w) as u32 {
                if g.free_here(from) == 0 {
                    continue;
                }
                g.for_each_free(from, only_free, conduct, |id, _| {
                    let (mut draws, prio) = stream(key, tick, id);
                    let home = shared.home_of(id as usize);
                    if let Some(to) = propose(g, &mut draws, from, home, step) {
                        let bid = &claim[to as usize];
                        if bid.load(Ordering::Relaxed) > prio {
                            bid.fetch_min(prio, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
    }
    apply_moves(sc, grid);
}

/// Apply the winning bids, and clear them: every claimed cell was empty and gets exactly its
/// winner, from a cell within reach; the losers stay where they are. The grid afterwards does
/// not depend on the order of the moves (module notes), so on large maps the bands of rows of
/// the claimed cells apply theirs side by side, phase by phase as the patrols' bands
/// (`patrol_bands::BandPhases`: no two bands of a phase reach a common cell); elsewhere, in the
/// order of the claimed cells.
fn apply_moves(sc: &mut UnrestScratch, grid: &mut Grid) {
    let (w, h) = (grid.width as usize, grid.height as usize);
    // Sight is untracked only where the vision does not wrap onto itself (`Grid::new`).
    if grid.track_sight() || !grid.worth_parallel() {
        for (to, bid) in sc.claim.iter().enumerate() {
            let prio = bid.load(Ordering::Relaxed);
            if prio == u64::MAX {
                continue;
            }
            bid.store(u64::MAX, Ordering::Relaxed);
            let (id, to) = (prio as u32, to as u32);
            let i = id as usize;
            let active = sc.conduct[i] == crate::world::Conduct::Active;
            grid.move_citizen(id, sc.cell[i], to, active);
            sc.cell[i] = to;
        }
        return;
    }
    let reach = grid.reach as usize;
    let phases = BandPhases::of(h, reach, grid.torus);
    let mut cell = std::mem::take(&mut sc.cell);
    let cells = RawCells {
        cell: cell.as_mut_ptr(),
        len: cell.len(),
    };
    let (claim, conduct, cells) = (&sc.claim, &sc.conduct, &cells);
    let raw = grid.raw();
    let apply_band = |b: usize| {
        let rows = b * BAND_ROWS..((b + 1) * BAND_ROWS).min(h);
        let first = rows.start * w;
        for (k, bid) in claim[first..rows.end * w].iter().enumerate() {
            let to = first + k;
            let prio = bid.load(Ordering::Relaxed);
            if prio == u64::MAX {
                continue;
            }
            bid.store(u64::MAX, Ordering::Relaxed);
            let id = prio as u32;
            let active = conduct[id as usize] == crate::world::Conduct::Active;
            assert!((id as usize) < cells.len);
            // SAFETY: the winner stood within reach of `to`, in this band's reach; no other
            // band of the phase reaches those cells or the citizens on them (`BandPhases`),
            // and phases are separated by rayon's joins.
            unsafe {
                let at = cells.cell.add(id as usize);
                raw.remove_citizen(id, *at, active);
                raw.insert_citizen(id, to as u32, active);
                *at = to as u32;
            }
        }
    };
    for phase in 0..phases.count() {
        (0..phases.bands)
            .into_par_iter()
            .filter(|&b| phases.phase_of(b) == phase)
            .for_each(apply_band);
    }
    sc.cell = cell;
}

/// The citizens' cells as a raw pointer, for bands applying moves side by side (each winner is
/// moved by the one band that holds its target).
struct RawCells {
    cell: *mut u32,
    len: usize,
}

// SAFETY: see `apply_moves`; the pointer comes from a vector held mutably meanwhile.
unsafe impl Send for RawCells {}
unsafe impl Sync for RawCells {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, counter_key};
    use crate::scenario::{MapSpec, VisionShape};
    use crate::world::Conduct;

    /// The fallback (count, then find the k-th) picks uniformly among the acceptable cells.
    #[test]
    fn proposals_are_uniform_over_empty_cells_in_vision_and_home() {
        let map = MapSpec {
            width: 9,
            height: 9,
            torus: false,
            district_of_cell: (0..81).map(|c| (c % 9 >= 5) as u16).collect(),
        };
        let mut g = Grid::new(&map, VisionShape::Square, 2.0, 100, true);
        // Citizen on (4, 4); occupy (3, 3) and (5, 4).
        g.insert_citizen(0, 4 * 9 + 4, false);
        g.insert_citizen(1, 3 * 9 + 3, false);
        g.insert_citizen(2, 4 * 9 + 5, false);
        let key = counter_key(3, 0, Purpose::Moves);
        let mut seen = std::collections::BTreeMap::new();
        for step in [false, true] {
            seen.clear();
            for t in 0..40_000 {
                let (mut d, _) = stream(key, t, 0);
                let c = propose(&g, &mut d, 4 * 9 + 4, Some(0), step).expect("room");
                assert!(g.is_empty(c) && map.district_of_cell[c as usize] == 0);
                *seen.entry(c).or_insert(0u32) += 1;
            }
            // District 0 is columns 0..=4. Vision 2 (square): columns 2..=4, rows 2..=6, minus
            // the own and (3, 3): 13 cells; step: 5 neighbours in columns 3..=4, minus (3, 3): 4.
            let want = if step { 4 } else { 13 };
            assert_eq!(seen.len(), want, "step {step}: {seen:?}");
            let mean = 40_000.0 / want as f64;
            for (&c, &k) in &seen {
                assert!(
                    (k as f64 - mean).abs() < 6.0 * mean.sqrt(),
                    "cell {c}: {k} vs {mean}"
                );
            }
        }
    }

    /// Every proposer of a cell loses to the one of smallest priority, and nobody moves into a
    /// cell that was occupied.
    #[test]
    fn conflicts_go_to_the_smallest_priority() {
        let map = MapSpec {
            width: 3,
            height: 1,
            torus: false,
            district_of_cell: vec![0; 3],
        };
        let key = counter_key(9, 0, Purpose::Moves);
        let mut winners = [0; 2];
        for tick in 0..40 {
            // Two citizens on the ends, one empty cell between them: both propose it.
            let mut g = Grid::new(&map, VisionShape::Square, 1.0, 2, true);
            g.insert_citizen(0, 0, false);
            g.insert_citizen(1, 2, true);
            let mut sc = UnrestScratch {
                cell: vec![0, 2],
                home: vec![0; 2],
                roam_anywhere: true,
                conduct: vec![Conduct::Quiescent, Conduct::Active],
                ..Default::default()
            };
            let rule = Rule {
                enabled: true,
                threshold: 0.1,
                k: 2.3,
                ratio: crate::scenario::ArrestRatio::Floor,
                harm_radius: 0,
                tick,
                drone_radius: 0,
                term_bound: 1,
                step: false,
                jailed_block: false,
                move_to_arrest: true,
                detect_patrol: 0.0,
                detect_drone: 0.0,
                act_first: false,
                own_release: false,
            };
            citizen_moves(&mut sc, &mut g, &rule, key);
            let winner = (0..2u32).min_by_key(|&i| stream(key, tick, i).1).unwrap();
            winners[winner as usize] += 1;
            let mut want = vec![0, 2];
            want[winner as usize] = 1;
            assert_eq!(sc.cell, want, "tick {tick}");
            assert_eq!((g.free_here(1), g.free_here(0) + g.free_here(2)), (1, 1));
            assert_eq!(g.active_here(1) as u32, winner);
            assert!(
                sc.claim
                    .iter()
                    .all(|c| c.load(Ordering::Relaxed) == u64::MAX)
            );
        }
        assert!(winners.iter().all(|&w| w > 5), "{winners:?}");
    }
}
