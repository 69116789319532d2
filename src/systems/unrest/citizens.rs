//! A citizen's acts in random-sequential activation (serving a term at its own activation,
//! moving, killing under Model II) and the end-of-tick release of detainees; deciding is in
//! `decide.rs`.

use super::moves::{MoveRule, random_empty_cell};
use super::{Rule, UnrestScratch};
use crate::world::{Conduct, Grid, Tally};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Mesa's jail accounting (`Citizen.step`: `if self.jail_sentence: self.jail_sentence -= 1;
/// return`): a detainee with ticks left spends its activation serving one, and `true` is
/// returned; one with none left is released now and goes on to act in this same activation.
pub(super) fn serve_term(sc: &mut UnrestScratch, grid: &mut Grid, rule: &Rule, i: u32) -> bool {
    let iu = i as usize;
    match sc.conduct[iu] {
        Conduct::Detained(left) if left > 0 => {
            sc.conduct[iu] = Conduct::Detained(left - 1);
            true
        }
        Conduct::Detained(_) => {
            sc.conduct[iu] = Conduct::Quiescent;
            if !rule.jailed_block {
                grid.insert_citizen(i, sc.cell[iu], false);
            }
            false
        }
        _ => false,
    }
}

pub(super) fn citizen_move(
    sc: &mut UnrestScratch,
    grid: &mut Grid,
    rng: &mut ChaCha8Rng,
    rule: &Rule,
    i: u32,
) {
    let iu = i as usize;
    let Some(active) = sc.conduct[iu].free_active() else {
        return;
    };
    let from = sc.cell[iu];
    let home = sc.home_of(iu);
    let moves = MoveRule {
        district: home,
        refused: None,
        step: rule.step,
        all: false,
    };
    if let Some(to) = random_empty_cell(sc, grid, rng, from, moves) {
        grid.move_citizen(i, from, to, active);
        sc.cell[iu] = to;
    }
}

/// Model II: an active citizen kills a random free member of the other group in vision.
pub(super) fn kill(
    sc: &mut UnrestScratch,
    grid: &mut Grid,
    rng: &mut ChaCha8Rng,
    tally: &mut Tally,
    i: u32,
) {
    let iu = i as usize;
    if sc.conduct[iu] != Conduct::Active {
        return;
    }
    let (cell, group) = (sc.cell[iu], sc.group[iu]);
    sc.candidates.clear();
    let conduct = &sc.conduct;
    let groups = &sc.group;
    let candidates = &mut sc.candidates;
    let mut collect = |c: u32| {
        candidates.extend(grid.citizens_in(c).filter(|&id| {
            groups[id as usize] != group && conduct[id as usize].free_active().is_some()
        }))
    };
    collect(cell);
    grid.for_each_in_vision(cell, collect);
    if sc.candidates.is_empty() {
        return;
    }
    let victim = sc.candidates[rng.random_range(0..sc.candidates.len())];
    let vu = victim as usize;
    grid.remove_citizen(victim, sc.cell[vu], sc.conduct[vu] == Conduct::Active);
    sc.conduct[vu] = Conduct::Dead;
    tally.killings += 1;
}

/// Terms are served at the end of the tick (NetLogo: terms 0 and 1 both free next tick), unless
/// detainees serve them at their own activations (Mesa, [`serve_term`]).
///
/// Every term goes down at once, chunk by chunk of citizens (in parallel for large worlds: each
/// citizen's term is its own), each chunk listing whom it released; the released then return to
/// their cells in id order, as one loop over the citizens would put them back.
pub(super) fn serve_terms_at_end(sc: &mut UnrestScratch, grid: &mut Grid, rule: &Rule) {
    use crate::world::citizens::{CHUNK, PARALLEL_FROM};
    use rayon::prelude::*;
    if rule.own_release {
        return;
    }
    let mut released = std::mem::take(&mut sc.released);
    let chunks = sc.conduct.len().div_ceil(CHUNK);
    released.resize_with(chunks, Vec::new);
    let serve = |(k, (chunk, out)): (usize, (&mut [Conduct], &mut Vec<u32>))| {
        out.clear();
        for (j, conduct) in chunk.iter_mut().enumerate() {
            if let Conduct::Detained(t) = *conduct {
                let left = t.saturating_sub(1);
                *conduct = if left == 0 {
                    out.push((k * CHUNK + j) as u32);
                    Conduct::Quiescent
                } else {
                    Conduct::Detained(left)
                };
            }
        }
    };
    if sc.conduct.len() < PARALLEL_FROM {
        let pairs = sc.conduct.chunks_mut(CHUNK).zip(released.iter_mut());
        pairs.enumerate().for_each(serve);
    } else {
        let pairs = sc
            .conduct
            .par_chunks_mut(CHUNK)
            .zip(released.par_iter_mut());
        pairs.enumerate().for_each(serve);
    }
    if !rule.jailed_block {
        for &i in released.iter().flatten() {
            grid.insert_citizen(i, sc.cell[i as usize], false);
        }
    }
    sc.released = released;
}
