//! Where a mover goes: a uniformly random empty cell in vision (or among the eight neighbours)
//! that its district constraints accept. Citizens (random-sequential activation) and patrols
//! (both schemes) draw from [`UnrestRng`](crate::world::UnrestRng) here; simultaneous citizen
//! moves use the same acceptance rule with keyed draws (`simultaneous.rs`).

use super::UnrestScratch;
use crate::rng::Keyed;
use crate::world::Grid;
use crate::world::geometry::Geometry;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// The random numbers a mover or a patrol draws: from the run's sequential [`UnrestRng`] stream
/// (random-sequential activation; these are the calls it always made, so its outputs are
/// unchanged) or from a counter-based stream of (tick, patrol) (simultaneous activation, where
/// patrols act by bands of rows; see `patrols.rs`).
///
/// [`UnrestRng`]: crate::world::UnrestRng
pub(super) trait Draw {
    /// Uniform in `0..len` (`len` ≥ 1).
    fn index(&mut self, len: usize) -> usize;
    /// Uniform in `0..bound` (`bound` ≥ 1).
    fn below(&mut self, bound: u32) -> u32;
    /// True with probability `p` in [0, 1].
    fn chance(&mut self, p: f64) -> bool;
}

impl Draw for ChaCha8Rng {
    #[inline]
    fn index(&mut self, len: usize) -> usize {
        // `random_range(0..len)`'s draws (`rng::below`), inlined; lists are far below 2³².
        match u32::try_from(len) {
            Ok(n) => crate::rng::below(self, n) as usize,
            Err(_) => self.random_range(0..len),
        }
    }
    #[inline]
    fn below(&mut self, bound: u32) -> u32 {
        crate::rng::below(self, bound)
    }
    #[inline]
    fn chance(&mut self, p: f64) -> bool {
        self.random_bool(p)
    }
}

impl Draw for Keyed {
    #[inline]
    fn index(&mut self, len: usize) -> usize {
        Keyed::below(self, len as u32) as usize
    }
    #[inline]
    fn below(&mut self, bound: u32) -> u32 {
        Keyed::below(self, bound)
    }
    #[inline]
    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }
}

/// Where a mover may go (see [`random_empty_cell`]): only within `district` if set, never into
/// a district `refused` marks (a patrol's caveats); one of the eight neighbours with `step`, else
/// anywhere in vision; with `all`, every acceptable cell is collected.
#[derive(Clone, Copy)]
pub(super) struct MoveRule<'a> {
    pub(super) district: Option<u16>,
    pub(super) refused: Option<&'a [bool]>,
    pub(super) step: bool,
    pub(super) all: bool,
}

/// Draws of a random vision offset before falling back to a full scan of the vision.
pub(super) const REJECTION_TRIES: u32 = 16;

/// The rejection-sampling step of a move: up to [`REJECTION_TRIES`] uniformly random cells of
/// the vision of `from` (offsets drawn by `draw(len)` in `0..len`), the first `acceptable` one.
/// Shared by the sequential moves (one ChaCha stream) and the simultaneous ones (a keyed stream
/// per citizen).
pub(super) fn probe_vision(
    grid: &Geometry,
    from: u32,
    acceptable: &impl Fn(u32) -> bool,
    mut draw: impl FnMut(usize) -> usize,
) -> Option<u32> {
    if grid.vision.is_empty() {
        return None;
    }
    let interior = grid.interior(from);
    for _ in 0..REJECTION_TRIES {
        let k = draw(grid.vision.len());
        let c = if interior {
            Some((from as i32 + grid.vision_linear[k]) as u32)
        } else {
            let (dx, dy) = grid.vision[k];
            grid.offset(from, dx, dy)
        };
        if let Some(c) = c.filter(|&c| acceptable(c)) {
            return Some(c);
        }
    }
    None
}

/// A uniformly random empty cell in vision (or among the eight neighbours with `step`) that
/// satisfies the district constraints, or `None`.
///
/// Rejection sampling first: draw offsets uniformly until one lands on an acceptable cell, up to
/// [`REJECTION_TRIES`] times (at Epstein's density 0.7 a draw succeeds about 30 % of the time, so
/// the fallback runs for ~0.3 % of moves). Then the full scan, with a uniform pick among all
/// acceptable cells. Each path yields a uniform choice over the same set, so their mixture is
/// uniform too. With `all`, the scan always runs and `candidates` holds every acceptable cell
/// (the hotspot policy needs them).
pub(super) fn random_empty_cell(
    sc: &mut UnrestScratch,
    grid: &Grid,
    rng: &mut impl Draw,
    from: u32,
    rule: MoveRule,
) -> Option<u32> {
    let empty = |c: u32| grid.is_empty(c);
    random_empty_cell_in(grid, empty, &mut sc.candidates, rng, from, rule)
}

/// [`random_empty_cell`] on `geometry`, with emptiness as `is_empty` tells it (a band of patrols
/// reads it from the grid it shares with other bands) and its own `candidates` buffer.
pub(super) fn random_empty_cell_in(
    geometry: &Geometry,
    is_empty: impl Fn(u32) -> bool,
    candidates: &mut Vec<u32>,
    rng: &mut impl Draw,
    from: u32,
    rule: MoveRule,
) -> Option<u32> {
    let MoveRule {
        district,
        refused,
        step,
        all,
    } = rule;
    let grid = geometry;
    // Evaluated whole (`&`, not `&&`): one branch on the answer instead of one per test, each of
    // which would mispredict on random cells (the district is read even for an occupied cell).
    let acceptable = |c: u32| {
        let d = grid.district[c as usize];
        is_empty(c) & district.is_none_or(|a| d == a) & refused.is_none_or(|r| !r[d as usize])
    };
    if !step && !all {
        let draw = |len: usize| rng.index(len);
        if let Some(c) = probe_vision(grid, from, &acceptable, draw) {
            return Some(c);
        }
    }
    candidates.clear();
    if step {
        for (dx, dy) in crate::world::geometry::NEIGHBOURS {
            if let Some(c) = grid.offset(from, dx, dy).filter(|&c| acceptable(c)) {
                candidates.push(c);
            }
        }
    } else {
        grid.for_each_in_vision(from, |c| {
            if acceptable(c) {
                candidates.push(c);
            }
        });
    }
    (!candidates.is_empty()).then(|| candidates[rng.index(candidates.len())])
}
