//! Epstein's decision rule (a citizen is active when G − R·P > T) and the flips it causes, for
//! both activation schemes: one citizen at its activation (random-sequential), or every citizen
//! from the same snapshot in two memory-order passes (simultaneous).

use super::{Rule, UnrestScratch};
use crate::scenario::ArrestRatio;
use crate::world::{Conduct, Grid, Tally};

/// P = 1 − exp(−k·r) for the integer ratios 0..len (patrols seen can never exceed the table).
pub(super) fn probability_table(k: f32, len: usize) -> Vec<f32> {
    (0..len).map(|r| 1.0 - (-k * r as f32).exp()).collect()
}

/// Estimated arrest probability P = 1 − exp(−k·r(C/A)).
pub fn arrest_probability(k: f32, ratio: ArrestRatio, cops: u32, actives: u32) -> f32 {
    let q = cops as f32 / actives.max(1) as f32;
    let r = match ratio {
        ArrestRatio::Floor => q.floor(),
        ArrestRatio::Round => q.round_ties_even(),
        ArrestRatio::Exact => q,
    };
    1.0 - (-k * r).exp()
}

/// Whether citizen `i` would be active given the grid as it is now (`drop`: election
/// volatility lowering the threshold per district). Actives in sight come from the incremental
/// counts (random-sequential) or from this tick's snapshot (simultaneous).
fn decide(sc: &UnrestScratch, grid: &Grid, rule: &Rule, drop: &[f32], i: u32) -> bool {
    let cell = sc.cell[i as usize];
    let seen = if grid.track_sight() {
        grid.active_sight(cell) as u32
    } else {
        sc.snapshot.actives_in_sight(grid, cell)
    };
    decide_seeing(sc, grid, rule, drop, i, cell, seen)
}

/// What a decision on `cell` needs besides the citizen: the estimated arrest probability P for
/// someone who sees `seen` actives there, and the threshold (lowered by election volatility).
#[inline]
fn cell_terms(
    sc: &UnrestScratch,
    grid: &Grid,
    rule: &Rule,
    drop: &[f32],
    cell: u32,
    seen: u32,
) -> (f32, f32) {
    let cops = grid.patrol_sight(cell) as u32;
    let actives = 1 + seen;
    let p = match rule.ratio {
        ArrestRatio::Floor => sc.p_table[(cops / actives) as usize],
        ArrestRatio::Round | ArrestRatio::Exact => {
            arrest_probability(rule.k, rule.ratio, cops, actives)
        }
    };
    (
        p,
        rule.threshold - drop[grid.site(cell).district() as usize],
    )
}

/// [`decide`] for citizen `i`, standing on `cell`, who sees `seen` actives.
#[inline]
fn decide_seeing(
    sc: &UnrestScratch,
    grid: &Grid,
    rule: &Rule,
    drop: &[f32],
    i: u32,
    cell: u32,
    seen: u32,
) -> bool {
    if !rule.enabled {
        return false;
    }
    let (p, threshold) = cell_terms(sc, grid, rule, drop, cell, seen);
    let (grievance, risk) = sc.mind[i as usize];
    grievance - risk * p > threshold
}

/// Simultaneous activation: every free citizen whose decision (from this tick's counts)
/// differs from its conduct, into `out`, in id order. Two parallel passes, both in memory
/// order: first each occupied cell's terms (P and threshold; the snapshot's rows are read in
/// order), then the citizens by id, each reading its cell's terms once. The same arithmetic as
/// [`decide`], so the same decisions at any thread count.
pub(super) fn simultaneous_flips(
    sc: &mut UnrestScratch,
    grid: &Grid,
    rule: &Rule,
    drop: &[f32],
    out: &mut Vec<u32>,
) {
    use rayon::prelude::*;
    let w = grid.width as usize;
    let mut terms = std::mem::take(&mut sc.terms);
    terms.resize(grid.cells(), (0.0, 0.0));
    let mut seen = std::mem::take(&mut sc.seen);
    seen.resize(grid.cells(), 0);
    let shared = &*sc;
    terms
        .par_chunks_mut(w)
        .zip(seen.par_chunks_mut(w))
        .enumerate()
        .with_min_len(16)
        .for_each(|(y, (row, seen))| {
            if !grid.track_sight() {
                shared.snapshot.row_sight(grid, y, seen);
            }
            for (x, t) in row.iter_mut().enumerate() {
                let cell = (y * w + x) as u32;
                if grid.free_here(cell) == 0 {
                    continue;
                }
                let seen = if grid.track_sight() {
                    grid.active_sight(cell) as u32
                } else {
                    seen[x]
                };
                *t = cell_terms(shared, grid, rule, drop, cell, seen);
            }
        });
    sc.seen = seen;
    let shared = &*sc;
    let chunks: Vec<Vec<u32>> = (0..shared.conduct.len())
        .into_par_iter()
        .with_min_len(4096)
        .fold(Vec::new, |mut v, i| {
            if let Some(active) = shared.conduct[i].free_active() {
                let (p, threshold) = terms[shared.cell[i] as usize];
                let (grievance, risk) = shared.mind[i];
                if (rule.enabled && grievance - risk * p > threshold) != active {
                    v.push(i as u32);
                }
            }
            v
        })
        .collect();
    out.clear();
    for c in chunks {
        out.extend(c);
    }
    sc.terms = terms;
}

pub(super) fn flip(sc: &mut UnrestScratch, grid: &mut Grid, tally: &mut Tally, i: u32) {
    let iu = i as usize;
    let c = sc.cell[iu] as usize;
    if sc.conduct[iu] == Conduct::Active {
        sc.conduct[iu] = Conduct::Quiescent;
        grid.turn_quiet(c as u32);
    } else {
        sc.conduct[iu] = Conduct::Active;
        grid.turn_active(c as u32);
        tally.incidents += 1;
    }
}

pub(super) fn citizen_decide(
    sc: &mut UnrestScratch,
    grid: &mut Grid,
    rule: &Rule,
    drop: &[f32],
    tally: &mut Tally,
    i: u32,
) {
    let iu = i as usize;
    let Some(active) = sc.conduct[iu].free_active() else {
        return;
    };
    if decide(sc, grid, rule, drop, i) != active {
        flip(sc, grid, tally, i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrest_probability_rules_differ_as_published() {
        // 1 cop, 2 actives: floor → 0 (no deterrence), round → 0 (0.5 ties to even), exact → 0.5.
        assert_eq!(arrest_probability(2.3, ArrestRatio::Floor, 1, 2), 0.0);
        assert_eq!(arrest_probability(2.3, ArrestRatio::Round, 1, 2), 0.0);
        let exact = arrest_probability(2.3, ArrestRatio::Exact, 1, 2);
        assert!((exact - (1.0 - (-1.15f32).exp())).abs() < 1e-6);
        // 3 cops, 2 actives: floor → 1, round(1.5) → 2.
        let f = arrest_probability(2.3, ArrestRatio::Floor, 3, 2);
        let r = arrest_probability(2.3, ArrestRatio::Round, 3, 2);
        assert!((f - (1.0 - (-2.3f32).exp())).abs() < 1e-6);
        assert!((r - (1.0 - (-4.6f32).exp())).abs() < 1e-6);
        assert_eq!(arrest_probability(2.3, ArrestRatio::Floor, 0, 1), 0.0);
    }
}
