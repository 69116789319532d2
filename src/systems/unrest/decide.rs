//! Epstein's decision rule (a citizen is active when G − R·P > T) and the flips it causes, for
//! both activation schemes: one citizen at its activation (random-sequential), or every citizen
//! from the same snapshot in one pass by bands of rows (simultaneous).

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
/// volatility lowering the threshold per district). Random-sequential activation only, which
/// always keeps actives in sight incrementally (simultaneous decisions are
/// [`simultaneous_flips`]).
fn decide(sc: &UnrestScratch, grid: &Grid, rule: &Rule, drop: &[f32], i: u32) -> bool {
    if !rule.enabled {
        return false;
    }
    let cell = sc.cell[i as usize];
    let seen = grid.active_sight(cell) as u32;
    let (p, threshold) = cell_terms(sc, grid, rule, drop, cell, seen);
    let (grievance, risk) = sc.mind(i as usize);
    grievance - risk * p > threshold
}

/// What a decision on `cell` needs besides the citizen: the estimated arrest probability P for
/// someone who sees `seen` actives there, and the threshold (lowered by election volatility).
#[inline(always)]
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
        // Fewer patrols than actives (the common case) needs no division.
        ArrestRatio::Floor if cops < actives => sc.p_table[0],
        ArrestRatio::Floor => sc.p_table[(cops / actives) as usize],
        // C/A ≤ ½ rounds to 0 (ties to even), and its f32 quotient does too (correctly rounded,
        // ½ exact): no division, no libm call, in the common case.
        ArrestRatio::Round if 2 * cops <= actives => sc.p_table[0],
        // The same f32 ratio as `arrest_probability`, rounded to a whole number: its table entry.
        ArrestRatio::Round => sc.p_table[(cops as f32 / actives as f32).round_ties_even() as usize],
        ArrestRatio::Exact => arrest_probability(rule.k, rule.ratio, cops, actives),
    };
    (
        p,
        rule.threshold - drop[grid.district[cell as usize] as usize],
    )
}

/// Rows of the map per band of the simultaneous decision pass (fixed, so independent of the
/// threads).
const DECIDE_ROWS: usize = 8;

/// One band of rows of the simultaneous decision pass: the actives in sight along the row being
/// decided, and the band's citizens whose decision differs from their conduct.
#[derive(Default)]
pub(super) struct DecideBand {
    seen: Vec<u32>,
    flips: Vec<u32>,
}

/// Simultaneous activation: every free citizen whose decision (from this tick's counts)
/// differs from its conduct, into `out`, in cell order. One pass by bands of rows, in parallel:
/// per row, the actives in sight of every cell at once (the snapshot's prefix rows read in
/// order), then per occupied cell its terms (P and threshold) and the decisions of the citizens
/// standing there. The same arithmetic as [`decide`], so the same decisions at any thread count;
/// flips commute (per-cell counts, own conduct, one counter), so their order does not matter.
pub(super) fn simultaneous_flips(
    sc: &mut UnrestScratch,
    grid: &Grid,
    rule: &Rule,
    drop: &[f32],
    out: &mut Vec<u32>,
) {
    use rayon::prelude::*;
    let (w, h) = (grid.width as usize, grid.height as usize);
    let mut bands = std::mem::take(&mut sc.decide_bands);
    bands.resize_with(h.div_ceil(DECIDE_ROWS), DecideBand::default);
    let shared = &*sc;
    bands.par_iter_mut().enumerate().for_each(|(b, band)| {
        band.flips.clear();
        band.seen.resize(w, 0);
        for y in b * DECIDE_ROWS..((b + 1) * DECIDE_ROWS).min(h) {
            if !grid.track_sight() {
                shared.snapshot.row_sight(grid, y, &mut band.seen);
            }
            for x in 0..w {
                let cell = (y * w + x) as u32;
                if grid.free_here(cell) == 0 {
                    continue;
                }
                let seen = if grid.track_sight() {
                    grid.active_sight(cell) as u32
                } else {
                    band.seen[x]
                };
                let (p, threshold) = cell_terms(shared, grid, rule, drop, cell, seen);
                let conduct = &shared.conduct;
                grid.for_each_free(cell, !rule.jailed_block, conduct, |id, active| {
                    let (grievance, risk) = shared.mind(id as usize);
                    if (rule.enabled && grievance - risk * p > threshold) != active {
                        band.flips.push(id);
                    }
                });
            }
        }
    });
    out.clear();
    for band in &bands {
        out.extend_from_slice(&band.flips);
    }
    sc.decide_bands = bands;
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

    /// `cell_terms` takes ratio 0 without dividing where 2·C ≤ A: the f32 quotient rounds (ties
    /// to even) to 0 there, and to more than 0 everywhere else.
    #[test]
    fn rounded_ratio_is_zero_exactly_when_twice_the_patrols_do_not_exceed_the_actives() {
        for actives in 1..=3000u32 {
            for cops in 0..=actives {
                let rounded = (cops as f32 / actives as f32).round_ties_even();
                assert_eq!(rounded == 0.0, 2 * cops <= actives, "{cops}/{actives}");
            }
        }
    }
}
