//! Where a mover goes: a uniformly random empty cell in vision (or among the eight neighbours)
//! that its district constraints accept. Citizens (random-sequential activation) and patrols
//! (both schemes) draw from [`UnrestRng`](crate::world::UnrestRng) here; simultaneous citizen
//! moves use the same acceptance rule with keyed draws (`simultaneous.rs`).

use super::UnrestScratch;
use crate::world::Grid;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

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

/// A uniformly random empty cell in vision (or among the eight neighbours with `step`) that
/// satisfies the district constraints, or `None`.
///
/// Rejection sampling first: draw offsets uniformly until one lands on an acceptable cell, up to
/// [`REJECTION_TRIES`] times (at Epstein's density 0.7 a draw succeeds about 30 % of the time, so
/// the fallback runs for ~0.3 % of moves). Then the full scan, with a uniform pick among all
/// acceptable cells. Each path yields a uniform choice over the same set, so their mixture is
/// uniform too. With `all`, the scan always runs and `sc.candidates` holds every acceptable cell
/// (the hotspot policy needs them).
/// The rejection-sampling step of a move: up to [`REJECTION_TRIES`] uniformly random cells of
/// the vision of `from` (offsets drawn by `draw(len)` in `0..len`), the first `acceptable` one.
/// Shared by the sequential moves (one ChaCha stream) and the simultaneous ones (a keyed stream
/// per citizen).
pub(super) fn probe_vision(
    grid: &Grid,
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

pub(super) fn random_empty_cell(
    sc: &mut UnrestScratch,
    grid: &Grid,
    rng: &mut ChaCha8Rng,
    from: u32,
    rule: MoveRule,
) -> Option<u32> {
    let MoveRule {
        district,
        refused,
        step,
        all,
    } = rule;
    let acceptable = |c: u32| {
        grid.is_empty(c) && {
            let d = grid.district[c as usize];
            district.is_none_or(|a| d == a) && refused.is_none_or(|r| !r[d as usize])
        }
    };
    if !step && !all {
        let draw = |len: usize| rng.random_range(0..len);
        if let Some(c) = probe_vision(grid, from, &acceptable, draw) {
            return Some(c);
        }
    }
    sc.candidates.clear();
    if step {
        for (dx, dy) in crate::world::geometry::NEIGHBOURS {
            if let Some(c) = grid.offset(from, dx, dy).filter(|&c| acceptable(c)) {
                sc.candidates.push(c);
            }
        }
    } else {
        grid.for_each_in_vision(from, |c| {
            if acceptable(c) {
                sc.candidates.push(c);
            }
        });
    }
    (!sc.candidates.is_empty()).then(|| sc.candidates[rng.random_range(0..sc.candidates.len())])
}
