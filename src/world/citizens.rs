//! The citizens of the local communities: one dense array per field, indexed by citizen id.
//!
//! This resource is the system of record for citizens (they are not ECS entities; the ECS keeps
//! partners and units, which are few and varied). Every pass over citizens reads the arrays in
//! id order, and ids follow the citizens' starting cells (`spawn.rs`), so a pass that walks the
//! map reads them almost in order too. A citizen costs the sum of its fields' sizes (34 B; 43 B
//! under Model II, which keeps groups and ages) and nothing more: no entity, no change ticks.
//!
//! Ids are stable: the dead keep theirs (state `Dead`); children of Model II get the next ids.

use bevy_ecs::prelude::Resource;

/// Hardship H in [0, 1]: current value and the baseline it relaxes back to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hardship {
    pub current: f32,
    pub baseline: f32,
}

impl Hardship {
    /// Epstein's grievance G = H·(1 − T) of a citizen with this hardship and trust `trust`.
    #[inline]
    pub fn grievance(&self, trust: f32) -> f32 {
        self.current * (1.0 - trust)
    }
}

/// A citizen's state in Epstein's model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conduct {
    Quiescent,
    Active,
    /// Detained, with the ticks left to serve (terms are below 2¹⁶, so a conduct takes 4 bytes).
    Detained(u16),
    /// Killed or dead of age (Model II). The id stays taken, so ids remain stable.
    Dead,
    /// Fled danger: off the map (not on any cell) until it returns to its district
    /// (docs/MODEL.md §3.20). The citizen's cell keeps the cell it fled from.
    Displaced,
}

impl Conduct {
    /// For a free citizen (on the grid, able to move and decide): whether it is active.
    /// `None` for the detained, the dead and the displaced.
    pub fn free_active(self) -> Option<bool> {
        match self {
            Conduct::Quiescent => Some(false),
            Conduct::Active => Some(true),
            Conduct::Detained(_) | Conduct::Dead | Conduct::Displaced => None,
        }
    }
}

/// Age and the age at which the citizen dies (Model II; `max = u32::MAX` outside it).
#[derive(Debug, Clone, Copy)]
pub struct Age {
    pub age: u32,
    pub max: u32,
}

/// When the citizen last received aid (tick ≥ 1; 0 = never) and how much communities credit
/// the aid given that tick (the giver's credibility; see the trust update).
#[derive(Debug, Clone, Copy, Default)]
pub struct LastAid {
    pub tick: u32,
    pub credit: f32,
}

/// A citizen as it enters the world (at spawn, or born under Model II).
#[derive(Debug, Clone, Copy)]
pub struct Newcomer {
    pub cell: u32,
    pub home: u16,
    pub hardship: f32,
    pub risk: f32,
    pub trust: f32,
    pub group: u8,
    pub age: Age,
}

/// Every citizen's state, field by field, indexed by id (see the module notes).
#[derive(Resource, Debug, Clone, Default)]
pub struct Citizens {
    /// Grid cell the citizen stands on (`y * width + x`); for the displaced, the cell it fled.
    pub cell: Vec<u32>,
    /// The district the citizen lives in (where it was placed or born).
    pub home: Vec<u16>,
    pub conduct: Vec<Conduct>,
    pub hardship: Vec<Hardship>,
    /// Risk aversion R in [0, 1] (fixed for life).
    pub risk: Vec<f32>,
    /// Trust T in the mission, Epstein's legitimacy as this citizen perceives it.
    pub trust: Vec<f32>,
    pub last_aid: Vec<LastAid>,
    /// Which of Model II's two groups the citizen belongs to (0 or 1). Kept only under Model II
    /// (`model_two`); empty otherwise, where everyone is of group 0 ([`Citizens::group_of`]).
    pub group: Vec<u8>,
    /// Age and lifespan, kept only under Model II; empty otherwise (nobody dies of age).
    pub age: Vec<Age>,
    /// Model II (inter-group violence and demography): whether `group` and `age` are kept.
    pub model_two: bool,
}

impl Citizens {
    /// Room for `n` citizens, so spawning does not grow (and transiently double) the arrays;
    /// `model_two`: keep groups and ages (Epstein's Model II).
    pub fn with_capacity(n: usize, model_two: bool) -> Self {
        let n2 = if model_two { n } else { 0 };
        Citizens {
            model_two,
            cell: Vec::with_capacity(n),
            home: Vec::with_capacity(n),
            conduct: Vec::with_capacity(n),
            hardship: Vec::with_capacity(n),
            risk: Vec::with_capacity(n),
            trust: Vec::with_capacity(n),
            last_aid: Vec::with_capacity(n),
            group: Vec::with_capacity(n2),
            age: Vec::with_capacity(n2),
        }
    }

    /// Citizens ever placed or born (the dead included).
    pub fn len(&self) -> usize {
        self.conduct.len()
    }

    pub fn is_empty(&self) -> bool {
        self.conduct.is_empty()
    }

    /// A new citizen, quiescent and never aided; returns its id (the next one).
    pub fn push(&mut self, n: Newcomer) -> u32 {
        let id = self.len() as u32;
        self.cell.push(n.cell);
        self.home.push(n.home);
        self.conduct.push(Conduct::Quiescent);
        self.hardship.push(Hardship {
            current: n.hardship,
            baseline: n.hardship,
        });
        self.risk.push(n.risk);
        self.trust.push(n.trust);
        self.last_aid.push(LastAid::default());
        if self.model_two {
            self.group.push(n.group);
            self.age.push(n.age);
        }
        id
    }

    /// Model II group of citizen `i` (0 outside Model II).
    #[inline]
    pub fn group_of(&self, i: usize) -> u8 {
        self.group.get(i).copied().unwrap_or(0)
    }

    /// Grievance G = H·(1 − T) of citizen `i`.
    #[inline]
    pub fn grievance(&self, i: usize) -> f32 {
        self.hardship[i].grievance(self.trust[i])
    }
}

/// Citizens per chunk of a pass over every citizen (fixed, so the split never depends on the
/// number of threads).
pub const CHUNK: usize = 16_384;
/// From this many citizens a pass runs its chunks in parallel (below, waking the thread pool
/// costs more than it saves).
pub const PARALLEL_FROM: usize = 65_536;

/// Fold the citizens `0..n` chunk by chunk ([`CHUNK`] ids each) into `parts`, one accumulator
/// per chunk, kept from tick to tick so a pass allocates nothing: `fold(ids, part)` resets the
/// part and accumulates the chunk's citizens into it. The chunks run in parallel from
/// [`PARALLEL_FROM`] citizens; the caller merges the parts, in order. With order-independent
/// accumulators (counts, `FixedSum`) the result is the same bits however the chunks ran.
pub fn fold_chunks<A: Send + Default>(
    n: usize,
    parts: &mut Vec<A>,
    fold: impl Fn(std::ops::Range<usize>, &mut A) + Sync,
) {
    use rayon::prelude::*;
    let k = n.div_ceil(CHUNK).max(1);
    parts.truncate(k);
    parts.resize_with(k, A::default);
    let run = |(c, part): (usize, &mut A)| fold(c * CHUNK..((c + 1) * CHUNK).min(n), part);
    if n < PARALLEL_FROM {
        parts.iter_mut().enumerate().for_each(run);
    } else {
        parts.par_iter_mut().enumerate().for_each(run);
    }
}

/// Apply `f(first id, chunk)` to a per-citizen array chunk by chunk ([`CHUNK`] ids each), in
/// parallel from [`PARALLEL_FROM`] citizens. For updates where each element depends only on
/// its own citizen, so the order does not matter; a chunk lets the caller zip the other arrays'
/// matching slices (no bounds check per element).
pub fn for_each_chunk_mut<T: Send>(xs: &mut [T], f: impl Fn(usize, &mut [T]) + Sync) {
    use rayon::prelude::*;
    if xs.len() < PARALLEL_FROM {
        xs.chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(k, chunk)| f(k * CHUNK, chunk));
    } else {
        xs.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(k, chunk)| f(k * CHUNK, chunk));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a citizen costs: the element sizes of the arrays themselves (the memory target is
    /// per citizen), outside Model II.
    #[test]
    fn a_citizen_is_small() {
        fn element<T>(_: &[T]) -> usize {
            std::mem::size_of::<T>()
        }
        assert_eq!(std::mem::size_of::<Conduct>(), 4);
        let c = Citizens::with_capacity(0, false);
        let fields = [
            element(&c.cell),
            element(&c.home),
            element(&c.conduct),
            element(&c.hardship),
            element(&c.risk),
            element(&c.trust),
            element(&c.last_aid),
        ];
        assert_eq!(fields.iter().sum::<usize>(), 34);
        let mut c = Citizens::with_capacity(2, false);
        let newcomer = Newcomer {
            cell: 3,
            home: 0,
            hardship: 0.5,
            risk: 0.2,
            trust: 0.8,
            group: 1,
            age: Age { age: 0, max: 9 },
        };
        assert_eq!(c.push(newcomer), 0);
        assert!(c.group.is_empty() && c.age.is_empty(), "Model II only");
        assert_eq!(c.group_of(0), 0);
        let mut m2 = Citizens::with_capacity(1, true);
        m2.push(newcomer);
        assert_eq!((m2.group_of(0), m2.age[0].max), (1, 9));
    }
}
