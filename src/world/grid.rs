//! What stands on the map: the per-cell counts every spatial question goes through (who stands
//! where, how many patrols see a cell, how many actives are in it), over the fixed
//! [`Geometry`] (which `Grid` dereferences to, read-only).
//!
//! The counts are private and change only through methods that keep them consistent: a citizen
//! enters or leaves a cell (`insert_citizen`, `remove_citizen`), one standing there turns active
//! or quiet (`turn_active`, `turn_quiet`), the operating patrols are synced
//! (`sync_patrols`) or one moves (`move_patrol`). Every one of them updates the sight counts
//! around the cell, so no caller can forget to.
//!
//! The cell record a move probes (list head, occupants, patrols) is packed in 8 bytes, eight
//! cells to a cache line; active counts and sight counts, scanned or written over whole vision
//! areas, stay in their own dense arrays. Free citizens are kept in an intrusive linked list per cell
//! (`head` → `next[citizen]`), so "who is in this cell" is O(occupants) with no allocation.
//! See docs/MODEL.md, "Space".

use super::citizens::Conduct;
use super::geometry::Geometry;
use crate::scenario::{MapSpec, VisionShape};
use bevy_ecs::prelude::Resource;

/// Marks an empty list slot.
pub const NONE: u32 = u32::MAX;

/// What a move looks at in one cell, packed together in 8 bytes (eight cells to a cache line).
#[derive(Debug, Clone, Copy)]
struct Site {
    /// First free citizen here, or [`NONE`].
    head: u32,
    /// Free citizens here.
    free: u16,
    /// Operating patrols here.
    patrols: u16,
}

impl Site {
    /// True if no free citizen and no patrol stands here.
    #[inline]
    pub fn is_empty(&self) -> bool {
        // One test, not two branches: moves probe random cells, where each branch mispredicts.
        (self.free | self.patrols) == 0
    }
}

#[derive(Resource, Debug, Clone)]
pub struct Grid {
    geometry: Geometry,
    sites: Vec<Site>,
    /// Active citizens per cell, apart from the sites: enforcement and the sight counts scan
    /// these over whole vision areas, and 2 bytes a cell keep them in cache.
    active: Vec<u16>,
    /// Next free citizen in the same cell, indexed by citizen id.
    next: Vec<u32>,
    /// Active citizens whose vision covers the cell: the actives a citizen standing here sees
    /// (vision is symmetric), so Epstein's A is read in O(1). Kept only with `track_sight`.
    active_sight: Vec<u16>,
    /// Operating patrols whose vision covers the cell (the C of Epstein's rule for a citizen here).
    patrol_sight: Vec<u16>,
    /// Cells of the operating patrols as last synced, in the caller's patrol order.
    patrol_cells: Vec<u32>,
    /// Keep `active_sight` up to date on every change (random-sequential activation needs it;
    /// simultaneous activation counts from a per-tick snapshot instead, see `SightSnapshot`).
    track_sight: bool,
    /// Patrol moves leave `patrol_sight` as it is until [`Grid::settle_patrol_sight`] recounts
    /// it (see [`Grid::defer_patrol_sight`]).
    sight_deferred: bool,
    /// Scratch of the recount: patrol cells by row, and where each row starts.
    by_row: Vec<u32>,
    row_start: Vec<u32>,
}

impl std::ops::Deref for Grid {
    type Target = Geometry;
    fn deref(&self) -> &Geometry {
        &self.geometry
    }
}

impl Grid {
    /// An empty grid for `citizens` citizens (ids 0..citizens; more may be inserted later).
    /// `simultaneous`: actives in sight are counted from a per-tick snapshot where that is exact.
    pub fn new(
        map: &MapSpec,
        shape: VisionShape,
        vision: f64,
        citizens: usize,
        simultaneous: bool,
    ) -> Self {
        let geometry = Geometry::new(map, shape, vision);
        let cells = geometry.cells();
        Grid {
            sites: vec![
                Site {
                    head: NONE,
                    free: 0,
                    patrols: 0,
                };
                cells
            ],
            active: vec![0; cells],
            track_sight: !(simultaneous && SightSnapshot::applies(&geometry)),
            geometry,
            next: vec![NONE; citizens],
            active_sight: vec![0; cells],
            patrol_sight: vec![0; cells],
            patrol_cells: Vec::new(),
            sight_deferred: false,
            by_row: Vec::new(),
            row_start: Vec::new(),
        }
    }

    /// True if no free citizen and no patrol stands on the cell.
    #[inline]
    pub fn is_empty(&self, cell: u32) -> bool {
        self.sites[cell as usize].is_empty()
    }
    #[inline]
    pub fn free_here(&self, cell: u32) -> u16 {
        self.sites[cell as usize].free
    }
    #[inline]
    pub fn active_here(&self, cell: u32) -> u16 {
        self.active[cell as usize]
    }
    #[inline]
    pub fn patrols_here(&self, cell: u32) -> u16 {
        self.sites[cell as usize].patrols
    }
    /// Operating patrols whose vision covers `cell` (own cell included).
    #[inline]
    pub fn patrol_sight(&self, cell: u32) -> u16 {
        self.patrol_sight[cell as usize]
    }
    /// Actives in vision of `cell`; only kept with [`Grid::track_sight`].
    #[inline]
    pub fn active_sight(&self, cell: u32) -> u16 {
        debug_assert!(self.track_sight);
        self.active_sight[cell as usize]
    }
    pub fn track_sight(&self) -> bool {
        self.track_sight
    }

    /// Start keeping actives in sight incrementally (rebuilt from the current counts).
    pub fn start_tracking_sight(&mut self) {
        self.track_sight = true;
        self.active_sight.fill(0);
        for cell in 0..self.sites.len() as u32 {
            let n = self.active[cell as usize] as i32;
            if n > 0 {
                self.add_active_sight(cell, n);
            }
        }
    }

    /// Free citizen `id` enters `cell` (active or not).
    pub fn insert_citizen(&mut self, id: u32, cell: u32, active: bool) {
        if id as usize >= self.next.len() {
            self.next.resize(id as usize + 1, NONE);
        }
        let site = &mut self.sites[cell as usize];
        self.next[id as usize] = site.head;
        site.head = id;
        site.free += 1;
        if active {
            self.turn_active(cell);
        }
    }

    /// Free citizen `id` leaves `cell` (`active`: as it was counted there).
    pub fn remove_citizen(&mut self, id: u32, cell: u32, active: bool) {
        let site = &mut self.sites[cell as usize];
        if site.head == id {
            site.head = self.next[id as usize];
        } else {
            let mut cur = site.head;
            while cur != NONE {
                let nxt = self.next[cur as usize];
                if nxt == id {
                    self.next[cur as usize] = self.next[id as usize];
                    break;
                }
                cur = nxt;
            }
        }
        self.next[id as usize] = NONE;
        site.free -= 1;
        if active {
            self.turn_quiet(cell);
        }
    }

    /// Free citizen `id` moves from `from` to `to`, keeping its activity.
    #[inline]
    pub fn move_citizen(&mut self, id: u32, from: u32, to: u32, active: bool) {
        self.remove_citizen(id, from, active);
        self.insert_citizen(id, to, active);
    }

    /// A citizen counted on `cell` turns active.
    pub fn turn_active(&mut self, cell: u32) {
        let active = &mut self.active[cell as usize];
        *active += 1;
        debug_assert!(
            *active <= self.sites[cell as usize].free,
            "more actives than occupants"
        );
        if self.track_sight {
            self.add_active_sight(cell, 1);
        }
    }

    /// An active citizen on `cell` turns quiet (or is detained where it stands).
    pub fn turn_quiet(&mut self, cell: u32) {
        self.active[cell as usize] -= 1;
        if self.track_sight {
            self.add_active_sight(cell, -1);
        }
    }

    fn add_active_sight(&mut self, cell: u32, delta: i32) {
        self.geometry
            .add_over_vision(cell, &mut self.active_sight, delta, false);
    }

    /// Free citizens standing in `cell`.
    pub fn citizens_in(&self, cell: u32) -> impl Iterator<Item = u32> + '_ {
        let mut cur = self.sites[cell as usize].head;
        std::iter::from_fn(move || {
            (cur != NONE).then(|| {
                let id = cur;
                cur = self.next[id as usize];
                id
            })
        })
    }

    /// Visit the free citizens standing on `cell`, each with whether it is active, in list
    /// order. `only_free`: the lists hold no detainee (`jailed_block_cell` off), so a lone
    /// occupant's activity is the cell's active count and its conduct is not looked up (one
    /// random access fewer per citizen in passes that walk the map); otherwise, and wherever
    /// several share the cell, each one's conduct is read from `conduct`.
    #[inline]
    pub fn for_each_free(
        &self,
        cell: u32,
        only_free: bool,
        conduct: &[Conduct],
        mut f: impl FnMut(u32, bool),
    ) {
        let site = self.sites[cell as usize];
        if site.free == 1 && only_free {
            f(site.head, self.active[cell as usize] == 1);
            return;
        }
        for id in self.citizens_in(cell) {
            if let Some(active) = conduct[id as usize].free_active() {
                f(id, active);
            }
        }
    }

    /// The operating patrols stand on `cells` (in the caller's patrol order, which
    /// [`Grid::move_patrol`] and [`Grid::patrol_cell`] index): re-marked only if they differ
    /// from the last sync (marking costs O(vision) per patrol).
    pub fn sync_patrols(&mut self, cells: &[u32]) {
        if cells == self.patrol_cells.as_slice() {
            return;
        }
        for c in std::mem::take(&mut self.patrol_cells) {
            self.mark_patrol(c, -1);
        }
        for &c in cells {
            self.mark_patrol(c, 1);
        }
        self.patrol_cells = cells.to_vec();
    }

    /// Where patrol `k` (of the last sync) stands.
    #[inline]
    pub fn patrol_cell(&self, k: usize) -> u32 {
        self.patrol_cells[k]
    }

    /// Patrol `k` (of the last sync) moves to `to`.
    pub fn move_patrol(&mut self, k: usize, to: u32) {
        let from = self.patrol_cells[k];
        self.mark_patrol(from, -1);
        self.mark_patrol(to, 1);
        self.patrol_cells[k] = to;
    }

    /// Place or remove a patrol's presence and sight (`delta` = +1 or −1).
    fn mark_patrol(&mut self, cell: u32, delta: i32) {
        let site = &mut self.sites[cell as usize];
        site.patrols = (site.patrols as i32 + delta) as u16;
        if !self.sight_deferred {
            self.geometry
                .add_over_vision(cell, &mut self.patrol_sight, delta, true);
        }
    }

    /// From now until [`Grid::settle_patrol_sight`], patrol moves change where patrols stand but
    /// not the patrol sight counts, which must not be read meanwhile (simultaneous activation's
    /// patrol loops read none): the recount costs one vision per patrol, by bands of rows in
    /// parallel, where the moves would each rewrite two visions in sequence. Only where the
    /// vision does not wrap onto itself; elsewhere nothing is deferred.
    pub fn defer_patrol_sight(&mut self) {
        self.sight_deferred = SightSnapshot::applies(&self.geometry);
    }

    /// Whether patrol sight is deferred now.
    pub fn sight_is_deferred(&self) -> bool {
        self.sight_deferred
    }

    /// Recount the patrol sight of every cell from where the patrols stand, if it was deferred:
    /// the counts the moves would have left (each patrol adds one over its vision, its own cell
    /// included).
    pub fn settle_patrol_sight(&mut self) {
        if !std::mem::take(&mut self.sight_deferred) {
            return;
        }
        use rayon::prelude::*;
        let (w, h) = (self.width as usize, self.height as usize);
        // Patrol cells by row (a counting sort; the order within a row does not matter).
        self.row_start.clear();
        self.row_start.resize(h + 1, 0);
        for &c in &self.patrol_cells {
            self.row_start[c as usize / w + 1] += 1;
        }
        for y in 0..h {
            self.row_start[y + 1] += self.row_start[y];
        }
        self.by_row.clear();
        self.by_row.resize(self.patrol_cells.len(), 0);
        // Place each patrol at its row's cursor (row_start[y] ends at row y + 1's start), then
        // shift the starts back.
        for &c in &self.patrol_cells {
            let y = c as usize / w;
            self.by_row[self.row_start[y] as usize] = c;
            self.row_start[y] += 1;
        }
        self.row_start.copy_within(0..h, 1);
        self.row_start[0] = 0;
        // Each band of rows counts the patrols within reach of it, over its own rows only.
        let (geometry, by_row, row_start) = (&self.geometry, &self.by_row, &self.row_start);
        let reach = geometry.reach as usize;
        let count_band = |(b, out): (usize, &mut [u16])| {
            out.fill(0);
            let (y0, y1) = (b * SETTLE_ROWS, ((b + 1) * SETTLE_ROWS).min(h));
            let mut source = |sy: usize| {
                let cells = &by_row[row_start[sy] as usize..row_start[sy + 1] as usize];
                for &c in cells {
                    geometry.for_each_vision_run(c, |first, len| {
                        let row = first as usize / w;
                        if (y0..y1).contains(&row) {
                            let at = first as usize - y0 * w;
                            for n in &mut out[at..at + len as usize] {
                                *n = n.wrapping_add(1);
                            }
                        }
                    });
                }
            };
            if y1 - y0 + 2 * reach >= h {
                (0..h).for_each(&mut source);
            } else if geometry.torus {
                (0..y1 - y0 + 2 * reach).for_each(|k| source((y0 + h - reach + k) % h));
            } else {
                (y0.saturating_sub(reach)..(y1 + reach).min(h)).for_each(&mut source);
            }
        };
        if !self.geometry.worth_parallel() {
            self.patrol_sight
                .chunks_mut(SETTLE_ROWS * w)
                .enumerate()
                .for_each(count_band);
        } else {
            self.patrol_sight
                .par_chunks_mut(SETTLE_ROWS * w)
                .enumerate()
                .for_each(count_band);
        }
    }

    /// The arrays that bands of rows change side by side, as raw pointers ([`RawGrid`]). Only
    /// where actives in sight are not tracked (simultaneous activation), so that a move or a
    /// detention changes nothing beyond its cells; patrols may move only while their sight is
    /// deferred.
    pub fn raw(&mut self) -> RawGrid<'_> {
        assert!(!self.track_sight, "a raw grid needs sight untracked");
        RawGrid {
            patrol_sight_deferred: self.sight_deferred,
            geometry: &self.geometry,
            sites: self.sites.as_mut_ptr(),
            active: self.active.as_mut_ptr(),
            next: self.next.as_mut_ptr(),
            patrol_cells: self.patrol_cells.as_mut_ptr(),
            cells: self.sites.len(),
            citizens: self.next.len(),
            patrols: self.patrol_cells.len(),
        }
    }
}

/// Rows per band of [`Grid::settle_patrol_sight`]'s recount (fixed; the counts do not depend on
/// it or on the threads).
const SETTLE_ROWS: usize = 16;

/// The grid as bands of patrols change it side by side (`systems/unrest/patrol_bands.rs`): the
/// sites, active counts, citizens' list links and patrol cells, as raw pointers, and the fixed
/// geometry. Borrowed mutably from the grid (nothing else reads or writes it meanwhile).
///
/// # Safety
///
/// Every method reading or changing a cell, a citizen's link or a patrol's cell requires that no
/// other thread touch the same cell, citizen or patrol while it runs. Patrol bands guarantee it:
/// a band touches only cells within reach of its rows, the citizens standing there and its own
/// patrols, and no two bands of a phase come within reach of a common row. Indices are checked.
pub struct RawGrid<'a> {
    patrol_sight_deferred: bool,
    geometry: &'a Geometry,
    sites: *mut Site,
    active: *mut u16,
    next: *mut u32,
    patrol_cells: *mut u32,
    cells: usize,
    citizens: usize,
    patrols: usize,
}

// SAFETY: see the type's notes; the pointers come from a grid borrowed mutably for `'a`.
unsafe impl Send for RawGrid<'_> {}
unsafe impl Sync for RawGrid<'_> {}

impl RawGrid<'_> {
    pub fn geometry(&self) -> &Geometry {
        self.geometry
    }

    /// # Safety
    /// No other thread changes `cell` meanwhile (the type's notes).
    #[inline]
    pub unsafe fn active_here(&self, cell: u32) -> u16 {
        assert!((cell as usize) < self.cells);
        // SAFETY: in bounds; no concurrent writer (the caller's promise).
        unsafe { *self.active.add(cell as usize) }
    }

    /// The `k`-th (from 0) free citizen on `cell`, in list order, among those `keep` accepts.
    ///
    /// # Safety
    /// No other thread changes `cell` or its citizens meanwhile.
    pub unsafe fn nth_citizen_in(
        &self,
        cell: u32,
        keep: impl Fn(u32) -> bool,
        mut k: u32,
    ) -> Option<u32> {
        assert!((cell as usize) < self.cells);
        // SAFETY: in bounds; no concurrent writer.
        let mut cur = unsafe { (*self.sites.add(cell as usize)).head };
        while cur != NONE {
            assert!((cur as usize) < self.citizens);
            if keep(cur) {
                if k == 0 {
                    return Some(cur);
                }
                k -= 1;
            }
            // SAFETY: in bounds; the link belongs to a citizen on `cell`.
            cur = unsafe { *self.next.add(cur as usize) };
        }
        None
    }

    /// An active citizen on `cell` turns quiet or is detained where it stands.
    ///
    /// # Safety
    /// No other thread touches `cell` meanwhile.
    pub unsafe fn turn_quiet(&self, cell: u32) {
        assert!((cell as usize) < self.cells);
        // SAFETY: in bounds; no concurrent access.
        unsafe { *self.active.add(cell as usize) -= 1 };
    }

    /// Free citizen `id` leaves `cell` (`active`: as it was counted there), as
    /// [`Grid::remove_citizen`] (sight is not tracked).
    ///
    /// # Safety
    /// No other thread touches `cell` or the citizens on it meanwhile.
    pub unsafe fn remove_citizen(&self, id: u32, cell: u32, active: bool) {
        assert!((cell as usize) < self.cells && (id as usize) < self.citizens);
        // SAFETY: in bounds; the site and the links touched belong to `cell` and its citizens.
        unsafe {
            let site = &mut *self.sites.add(cell as usize);
            let next = |i: u32| self.next.add(i as usize);
            if site.head == id {
                site.head = *next(id);
            } else {
                let mut cur = site.head;
                while cur != NONE {
                    assert!((cur as usize) < self.citizens);
                    let nxt = *next(cur);
                    if nxt == id {
                        *next(cur) = *next(id);
                        break;
                    }
                    cur = nxt;
                }
            }
            *next(id) = NONE;
            site.free -= 1;
            if active {
                *self.active.add(cell as usize) -= 1;
            }
        }
    }

    /// True if no free citizen and no patrol stands on `cell`.
    ///
    /// # Safety
    /// No other thread changes `cell` meanwhile.
    #[inline]
    pub unsafe fn is_empty(&self, cell: u32) -> bool {
        assert!((cell as usize) < self.cells);
        // SAFETY: in bounds; no concurrent writer.
        unsafe { (*self.sites.add(cell as usize)).is_empty() }
    }

    /// Free citizen `id` enters `cell` (active or not), as [`Grid::insert_citizen`] for a
    /// citizen the grid already has room for (sight is not tracked).
    ///
    /// # Safety
    /// No other thread touches `cell` or the citizens on it meanwhile, nor citizen `id`.
    pub unsafe fn insert_citizen(&self, id: u32, cell: u32, active: bool) {
        assert!((cell as usize) < self.cells && (id as usize) < self.citizens);
        // SAFETY: in bounds; the site and the links touched belong to `cell` and `id`.
        unsafe {
            let site = &mut *self.sites.add(cell as usize);
            *self.next.add(id as usize) = site.head;
            site.head = id;
            site.free += 1;
            if active {
                *self.active.add(cell as usize) += 1;
            }
        }
    }

    /// Where patrol `k` stands.
    ///
    /// # Safety
    /// No other thread moves patrol `k` meanwhile.
    #[inline]
    pub unsafe fn patrol_cell(&self, k: usize) -> u32 {
        assert!(k < self.patrols);
        // SAFETY: in bounds; no concurrent writer.
        unsafe { *self.patrol_cells.add(k) }
    }

    /// Patrol `k` moves to `to` (sight deferred: only the two sites and its cell change).
    ///
    /// # Safety
    /// No other thread touches patrol `k`, its cell or `to` meanwhile.
    pub unsafe fn move_patrol(&self, k: usize, to: u32) {
        assert!(self.patrol_sight_deferred && k < self.patrols && (to as usize) < self.cells);
        // SAFETY: in bounds; no concurrent access.
        unsafe {
            let from = *self.patrol_cells.add(k);
            (*self.sites.add(from as usize)).patrols -= 1;
            (*self.sites.add(to as usize)).patrols += 1;
            *self.patrol_cells.add(k) = to;
        }
    }
}

/// Row prefix sums of `active_here`, built once per tick, answering "actives in vision of a
/// cell" in 2v + 1 lookups, or for a whole row at once ([`SightSnapshot::row_sight`]). Used by
/// simultaneous activation, where every citizen decides from the same snapshot; gives exactly the
/// offset scan's count whenever the vision does not wrap onto itself (2v + 1 ≤ width and
/// height), and is not used otherwise.
///
/// Each row's prefix runs over the columns −v..w + v (wrapped on a torus, zero off a bounded
/// map), so a vision row's span is one subtraction without a branch.
#[derive(Debug, Clone, Default)]
pub struct SightSnapshot {
    /// `prefix[y * stride + j]` = actives in row y at padded columns < j − v (j = 0..=w + 2v).
    prefix: Vec<u32>,
    /// Entries per row: w + 2v + 1.
    stride: usize,
    /// The vision radius v (the padding on each side).
    pad: usize,
}

impl SightSnapshot {
    /// Whether snapshots are exact for this grid.
    pub fn applies(grid: &Geometry) -> bool {
        grid.vision_runs_apply()
    }

    /// Rebuild from the grid's active counts, rows in parallel for large maps (each row's
    /// prefix depends only on that row).
    pub fn rebuild(&mut self, grid: &Grid) {
        use rayon::prelude::*;
        let (w, h) = (grid.width as usize, grid.height as usize);
        let v = grid.reach as usize;
        self.pad = v;
        self.stride = w + 2 * v + 1;
        self.prefix.resize(h * self.stride, 0);
        let torus = grid.torus;
        let fill = |(y, out): (usize, &mut [u32])| {
            let row = &grid.active[y * w..(y + 1) * w];
            let mut acc = 0u32;
            out[0] = 0;
            for (j, o) in out[1..].iter_mut().enumerate() {
                let x = j as isize - v as isize;
                let here = if (0..w as isize).contains(&x) {
                    row[x as usize]
                } else if torus {
                    row[x.rem_euclid(w as isize) as usize]
                } else {
                    0
                };
                acc += here as u32;
                *o = acc;
            }
        };
        if !grid.worth_parallel() {
            self.prefix
                .chunks_mut(self.stride)
                .enumerate()
                .for_each(fill);
        } else {
            self.prefix
                .par_chunks_mut(self.stride)
                .enumerate()
                .with_min_len(16)
                .for_each(fill);
        }
    }

    /// The row of the map `dy` rows from `y`, or `None` off a bounded map.
    #[inline]
    fn row_at(grid: &Geometry, y: usize, dy: isize) -> Option<usize> {
        let (h, r) = (grid.height as isize, y as isize + dy);
        if grid.torus {
            Some(r.rem_euclid(h) as usize)
        } else {
            (0..h).contains(&r).then_some(r as usize)
        }
    }

    /// Actives in vision of `cell`, own cell excluded (one cell at a time; the tick uses
    /// [`SightSnapshot::row_sight`], this checks it).
    #[cfg(test)]
    fn actives_in_sight(&self, grid: &Grid, cell: u32) -> u32 {
        let (x, y) = grid.xy(cell);
        let (x, y) = (x as usize, y as usize);
        let v = self.pad as isize;
        let mut total = 0u32;
        for (k, &half) in grid.row_half.iter().enumerate() {
            let Some(r) = Self::row_at(grid, y, k as isize - v) else {
                continue;
            };
            let row = &self.prefix[r * self.stride..(r + 1) * self.stride];
            let half = half as usize;
            total += row[x + self.pad + half + 1] - row[x + self.pad - half];
        }
        total - grid.active_here(cell) as u32
    }

    /// Actives in vision of every cell of row `y` (own cells excluded), into `out` (length w):
    /// the same counts as the per-cell scan `actives_in_sight` (test-only), one vision row at a time over
    /// the whole map row (the inner loop has no branch and reads two prefix rows in order).
    pub fn row_sight(&self, grid: &Grid, y: usize, out: &mut [u32]) {
        let w = grid.width as usize;
        let v = self.pad as isize;
        out.fill(0);
        for (k, &half) in grid.row_half.iter().enumerate() {
            let Some(r) = Self::row_at(grid, y, k as isize - v) else {
                continue;
            };
            let row = &self.prefix[r * self.stride..(r + 1) * self.stride];
            let half = half as usize;
            let hi = &row[self.pad + half + 1..self.pad + half + 1 + w];
            let lo = &row[self.pad - half..self.pad - half + w];
            for ((o, &a), &b) in out.iter_mut().zip(hi).zip(lo) {
                *o += a - b;
            }
        }
        for (o, &a) in out.iter_mut().zip(&grid.active[y * w..(y + 1) * w]) {
            *o -= a as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deferred patrol sight, recounted by bands, equals the counts kept move by move: on a
    /// torus and a bounded map, wide and narrow (where the bands' reach wraps onto itself), with
    /// several patrols on one cell.
    #[test]
    fn settled_patrol_sight_equals_the_incremental_counts() {
        for (w, h, torus, vision) in [
            (40, 40, true, 7.0),
            (40, 40, false, 7.0),
            (23, 70, true, 3.0),
            (60, 17, false, 2.5),
            (15, 15, true, 7.0),
        ] {
            let map = MapSpec {
                width: w,
                height: h,
                torus,
                district_of_cell: vec![0; (w * h) as usize],
            };
            let cells = w * h;
            let start: Vec<u32> = (0..50u32).map(|k| (k * 7919) % cells).collect();
            let mut kept = Grid::new(&map, VisionShape::Disk, vision, 0, true);
            let mut deferred = kept.clone();
            kept.sync_patrols(&start);
            deferred.sync_patrols(&start);
            deferred.defer_patrol_sight();
            assert!(deferred.sight_is_deferred());
            for step in 0..200u32 {
                let k = (step * 31 % 50) as usize;
                let to = (step * 104_729 + 17) % cells;
                kept.move_patrol(k, to);
                deferred.move_patrol(k, to);
            }
            deferred.settle_patrol_sight();
            assert_eq!(
                kept.patrol_sight, deferred.patrol_sight,
                "{w}x{h} torus {torus}"
            );
            assert!(kept.patrol_sight.iter().any(|&n| n > 1));
        }
    }

    #[test]
    fn snapshot_counts_equal_the_offset_scan() {
        for shape in [
            VisionShape::Cross,
            VisionShape::Diamond,
            VisionShape::Disk,
            VisionShape::Square,
        ] {
            for torus in [true, false] {
                let map = MapSpec {
                    width: 23,
                    height: 17,
                    torus,
                    district_of_cell: vec![0; 23 * 17],
                };
                let mut g = Grid::new(&map, shape, 3.5, 0, true);
                let mut id = 0;
                for c in 0..g.cells() as u32 {
                    let n = (c * 7919 % 5 == 0) as u32 + (c * 31 % 11 == 0) as u32;
                    for _ in 0..n {
                        g.insert_citizen(id, c, true);
                        id += 1;
                    }
                }
                let mut snap = SightSnapshot::default();
                assert!(SightSnapshot::applies(&g));
                snap.rebuild(&g);
                let mut tracked = g.clone();
                tracked.start_tracking_sight();
                for c in 0..g.cells() as u32 {
                    let mut scan = 0u32;
                    g.for_each_in_vision(c, |n| scan += g.active_here(n) as u32);
                    assert_eq!(
                        snap.actives_in_sight(&g, c),
                        scan,
                        "{shape:?} torus {torus} cell {c}"
                    );
                    assert_eq!(tracked.active_sight(c) as u32, scan);
                    let (w, y) = (g.width as usize, (c / g.width) as usize);
                    let mut row = vec![0; w];
                    snap.row_sight(&g, y, &mut row);
                    assert_eq!(row[(c % g.width) as usize], scan);
                }
            }
        }
    }

    #[test]
    fn citizen_lists_track_insert_and_remove() {
        let map = MapSpec {
            width: 3,
            height: 3,
            torus: false,
            district_of_cell: vec![0; 9],
        };
        let mut g = Grid::new(&map, VisionShape::Square, 1.0, 3, false);
        g.insert_citizen(0, 4, false);
        g.insert_citizen(1, 4, true);
        g.insert_citizen(2, 4, false);
        assert_eq!(g.active_sight(0), 1);
        assert_eq!(g.active_sight(4), 0, "own cell is not in one's vision");
        g.remove_citizen(1, 4, true);
        assert_eq!(g.active_sight(0), 0);
        let ids: Vec<u32> = g.citizens_in(4).collect();
        assert_eq!(ids, vec![2, 0]);
        assert_eq!(g.free_here(4), 2);
        assert_eq!(g.active_here(4), 0);
        g.sync_patrols(&[0]);
        assert_eq!(g.patrol_sight(4), 1);
        assert_eq!(g.patrol_sight(8), 0);
        assert!(!g.is_empty(0));
        g.move_patrol(0, 8);
        assert_eq!((g.patrol_sight(0), g.patrol_sight(8)), (0, 1));
        assert!(g.is_empty(0) && !g.is_empty(8));
        assert_eq!(g.patrol_cell(0), 8);
    }
}
