//! The map as a resource: districts per cell and the per-cell counts every spatial question goes
//! through (who stands where, how many patrols see a cell, how many actives are in it).
//!
//! Citizens who are free (not detained) are kept in an intrusive linked list per cell
//! (`head[cell]` → `next[citizen]`), so "who is in this cell" is O(occupants) with no allocation.
//! The unrest system keeps these counts up to date as agents move; see docs/MODEL.md, "Space".

use crate::scenario::{MapSpec, VisionShape};
use bevy_ecs::prelude::Resource;

/// Marks an empty list slot.
pub const NONE: u32 = u32::MAX;

/// The eight neighbouring cells' offsets (Moore neighbourhood), in row order.
pub const NEIGHBOURS: [(i32, i32); 8] = [
    (-1, -1),
    (0, -1),
    (1, -1),
    (-1, 0),
    (1, 0),
    (-1, 1),
    (0, 1),
    (1, 1),
];

#[derive(Resource, Debug, Clone)]
pub struct Grid {
    pub width: u32,
    pub height: u32,
    pub torus: bool,
    /// District index per cell.
    pub district: Vec<u16>,
    /// Cell offsets an agent sees (its own cell excluded), in a fixed order.
    pub vision: Vec<(i32, i32)>,
    /// The same offsets as index differences `dy · width + dx`, valid for interior cells.
    pub vision_linear: Vec<i32>,
    /// Largest |dx| or |dy| of the vision.
    pub reach: i32,
    /// First free citizen in each cell, or [`NONE`].
    pub head: Vec<u32>,
    /// Next free citizen in the same cell, indexed by citizen id.
    pub next: Vec<u32>,
    /// Free citizens per cell.
    pub free_here: Vec<u16>,
    /// Active citizens per cell.
    pub active_here: Vec<u16>,
    /// Active citizens whose vision covers the cell: the actives a citizen standing here sees
    /// (vision is symmetric). Kept up to date by every change of activity or position, so
    /// Epstein's A is read in O(1).
    pub active_sight: Vec<u16>,
    /// Operating patrols per cell.
    pub patrols_here: Vec<u16>,
    /// Operating patrols whose vision covers the cell (the C of Epstein's rule for a citizen here).
    pub patrol_sight: Vec<u16>,
    /// Keep `active_sight` up to date on every change (random-sequential activation needs it;
    /// simultaneous activation counts from a per-tick snapshot instead, see `SightSnapshot`).
    pub track_sight: bool,
    /// Half-width of the vision in each row dy = −v..=v (every shape is row-convex), for
    /// snapshot counting.
    pub row_half: Vec<i32>,
}

/// For each row offset dy = −v..=v, the largest |dx| in the shape (0 for rows with only dx = 0;
/// −1 would mean an empty row, which no shape has).
pub fn row_half_widths(shape: VisionShape, r: f64) -> Vec<i32> {
    let v = r.floor() as i32;
    (-v..=v)
        .map(|dy| match shape {
            VisionShape::Cross => {
                if dy == 0 {
                    v
                } else {
                    0
                }
            }
            VisionShape::Diamond => v - dy.abs(),
            VisionShape::Square => v,
            VisionShape::Disk => (0..=v)
                .filter(|dx| ((dx * dx + dy * dy) as f64) <= r * r + 1e-9)
                .max()
                .unwrap_or(0),
        })
        .collect()
}

/// Offsets of a vision shape of radius `r`, own cell excluded, in row-major order. A disk uses
/// the radius as given (1.7 reaches the diagonal neighbours, as NetLogo's `in-radius 1.7`);
/// the other shapes use its whole part.
pub fn vision_offsets(shape: VisionShape, r: f64) -> Vec<(i32, i32)> {
    let v = r.floor() as i32;
    let mut out = Vec::new();
    for dy in -v..=v {
        for dx in -v..=v {
            if dx == 0 && dy == 0 {
                continue;
            }
            let inside = match shape {
                VisionShape::Cross => dx == 0 || dy == 0,
                VisionShape::Diamond => dx.abs() + dy.abs() <= v,
                VisionShape::Disk => ((dx * dx + dy * dy) as f64) <= r * r + 1e-9,
                VisionShape::Square => true,
            };
            if inside {
                out.push((dx, dy));
            }
        }
    }
    out
}

impl Grid {
    pub fn new(map: &MapSpec, shape: VisionShape, vision: f64, citizens: usize) -> Self {
        let cells = map.district_of_cell.len();
        Grid {
            width: map.width,
            height: map.height,
            torus: map.torus,
            district: map.district_of_cell.clone(),
            vision: vision_offsets(shape, vision),
            vision_linear: vision_offsets(shape, vision)
                .iter()
                .map(|&(dx, dy)| dy * map.width as i32 + dx)
                .collect(),
            reach: vision.floor() as i32,
            track_sight: true,
            row_half: row_half_widths(shape, vision),
            head: vec![NONE; cells],
            next: vec![NONE; citizens],
            free_here: vec![0; cells],
            active_here: vec![0; cells],
            active_sight: vec![0; cells],
            patrols_here: vec![0; cells],
            patrol_sight: vec![0; cells],
        }
    }

    pub fn cells(&self) -> usize {
        self.district.len()
    }

    /// The cell at offset (dx, dy) from `cell`, or `None` off a bounded map's edge.
    #[inline]
    pub fn offset(&self, cell: u32, dx: i32, dy: i32) -> Option<u32> {
        let (w, h) = (self.width as i32, self.height as i32);
        let mut x = (cell % self.width) as i32 + dx;
        let mut y = (cell / self.width) as i32 + dy;
        if self.torus {
            x = x.rem_euclid(w);
            y = y.rem_euclid(h);
        } else if x < 0 || y < 0 || x >= w || y >= h {
            return None;
        }
        Some((y * w + x) as u32)
    }

    /// Whether the whole vision square around `cell` lies inside the map (no wrap, no clip),
    /// so that [`Grid::vision_linear`] applies.
    #[inline]
    pub fn interior(&self, cell: u32) -> bool {
        let (x0, y0) = ((cell % self.width) as i32, (cell / self.width) as i32);
        x0 >= self.reach
            && y0 >= self.reach
            && x0 + self.reach < self.width as i32
            && y0 + self.reach < self.height as i32
    }

    /// Visit every cell in vision of `cell` (own cell excluded), in a fixed order.
    #[inline]
    pub fn for_each_in_vision(&self, cell: u32, mut f: impl FnMut(u32)) {
        if self.interior(cell) {
            for &d in &self.vision_linear {
                f((cell as i32 + d) as u32);
            }
            return;
        }
        let (w, h) = (self.width as i32, self.height as i32);
        let (x0, y0) = ((cell % self.width) as i32, (cell / self.width) as i32);
        if self.torus {
            for &(dx, dy) in &self.vision {
                let mut x = x0 + dx;
                let mut y = y0 + dy;
                // Vision is at most 100 and validated maps are ≥ 1 wide: one wrap may not be
                // enough on tiny maps, so use the general form there.
                if x < 0 || x >= w {
                    x = x.rem_euclid(w);
                }
                if y < 0 || y >= h {
                    y = y.rem_euclid(h);
                }
                f((y * w + x) as u32);
            }
        } else {
            for &(dx, dy) in &self.vision {
                let (x, y) = (x0 + dx, y0 + dy);
                if x >= 0 && y >= 0 && x < w && y < h {
                    f((y * w + x) as u32);
                }
            }
        }
    }

    /// Visit every cell within Chebyshev distance `r` of `cell`, own cell included.
    pub fn for_each_in_square(&self, cell: u32, r: u32, mut f: impl FnMut(u32)) {
        let (rx, ry) = self.square_reach(r);
        for dy in -ry..=ry {
            for dx in -rx..=rx {
                if let Some(c) = self.offset(cell, dx, dy) {
                    f(c);
                }
            }
        }
    }

    /// Half-sides of a square of radius `r` (on a small torus, clipped so it does not wrap onto
    /// itself).
    fn square_reach(&self, r: u32) -> (i32, i32) {
        let r = r as i32;
        if self.torus {
            (
                r.min((self.width as i32 - 1) / 2).max(0),
                r.min((self.height as i32 - 1) / 2).max(0),
            )
        } else {
            (r, r)
        }
    }

    /// True if no free citizen and no patrol stands on the cell.
    #[inline]
    pub fn is_empty(&self, cell: u32) -> bool {
        self.free_here[cell as usize] == 0 && self.patrols_here[cell as usize] == 0
    }

    pub fn insert_citizen(&mut self, id: u32, cell: u32, active: bool) {
        let c = cell as usize;
        self.next[id as usize] = self.head[c];
        self.head[c] = id;
        self.free_here[c] += 1;
        if active {
            self.mark_active(cell, 1);
        }
    }

    /// An active citizen appears at (`delta` = +1) or leaves (−1) `cell`, or one standing there
    /// turns active or quiet: update the cell's count and the sight counts around it.
    pub fn mark_active(&mut self, cell: u32, delta: i32) {
        let c = cell as usize;
        self.active_here[c] = (self.active_here[c] as i32 + delta) as u16;
        if !self.track_sight {
            return;
        }
        if self.interior(cell) {
            for &d in &self.vision_linear {
                let n = (cell as i32 + d) as usize;
                self.active_sight[n] = (self.active_sight[n] as i32 + delta) as u16;
            }
            return;
        }
        let (w, h) = (self.width as i32, self.height as i32);
        let (x0, y0) = ((cell % self.width) as i32, (cell / self.width) as i32);
        for &(dx, dy) in &self.vision {
            let (mut x, mut y) = (x0 + dx, y0 + dy);
            if self.torus {
                x = x.rem_euclid(w);
                y = y.rem_euclid(h);
            } else if x < 0 || y < 0 || x >= w || y >= h {
                continue;
            }
            let n = (y * w + x) as usize;
            self.active_sight[n] = (self.active_sight[n] as i32 + delta) as u16;
        }
    }

    pub fn remove_citizen(&mut self, id: u32, cell: u32, active: bool) {
        let c = cell as usize;
        if self.head[c] == id {
            self.head[c] = self.next[id as usize];
        } else {
            let mut cur = self.head[c];
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
        self.free_here[c] -= 1;
        if active {
            self.mark_active(cell, -1);
        }
    }

    /// Free citizens standing in `cell`.
    pub fn citizens_in(&self, cell: u32) -> impl Iterator<Item = u32> + '_ {
        let mut cur = self.head[cell as usize];
        std::iter::from_fn(move || {
            (cur != NONE).then(|| {
                let id = cur;
                cur = self.next[id as usize];
                id
            })
        })
    }

    /// Place or remove a patrol's presence and sight (`delta` = +1 or −1).
    pub fn mark_patrol(&mut self, cell: u32, delta: i32) {
        let c = cell as usize;
        self.patrols_here[c] = (self.patrols_here[c] as i32 + delta) as u16;
        self.patrol_sight[c] = (self.patrol_sight[c] as i32 + delta) as u16;
        if self.interior(cell) {
            for &d in &self.vision_linear {
                let n = (cell as i32 + d) as usize;
                self.patrol_sight[n] = (self.patrol_sight[n] as i32 + delta) as u16;
            }
            return;
        }
        for i in 0..self.vision.len() {
            let (dx, dy) = self.vision[i];
            if let Some(n) = self.offset(cell, dx, dy) {
                let n = n as usize;
                self.patrol_sight[n] = (self.patrol_sight[n] as i32 + delta) as u16;
            }
        }
    }
}

/// Row prefix sums of `active_here`, built once per tick, answering "actives in vision of a
/// cell" in 2v + 1 lookups. Used by simultaneous activation, where every citizen decides from the
/// same snapshot; gives exactly the offset scan's count whenever the vision does not wrap onto
/// itself (2v + 1 ≤ width and height), and is not used otherwise.
#[derive(Debug, Clone, Default)]
pub struct SightSnapshot {
    /// `prefix[y * (w + 1) + x]` = actives in row y at columns < x.
    prefix: Vec<u32>,
}

impl SightSnapshot {
    /// Whether snapshots are exact for this grid.
    pub fn applies(grid: &Grid) -> bool {
        let v = (grid.row_half.len() / 2) as u32;
        2 * v < grid.width && 2 * v < grid.height
    }

    pub fn rebuild(&mut self, grid: &Grid) {
        let (w, h) = (grid.width as usize, grid.height as usize);
        self.prefix.clear();
        self.prefix.reserve(h * (w + 1));
        for y in 0..h {
            let mut acc = 0u32;
            self.prefix.push(0);
            for x in 0..w {
                acc += grid.active_here[y * w + x] as u32;
                self.prefix.push(acc);
            }
        }
    }

    /// Sum over columns lo..=hi of row y (lo ≤ hi, both within the row).
    #[inline]
    fn span(&self, w: usize, y: usize, lo: usize, hi: usize) -> u32 {
        let row = y * (w + 1);
        self.prefix[row + hi + 1] - self.prefix[row + lo]
    }

    /// Actives in vision of `cell`, own cell excluded.
    pub fn actives_in_sight(&self, grid: &Grid, cell: u32) -> u32 {
        let (w, h) = (grid.width as i32, grid.height as i32);
        let (x0, y0) = ((cell % grid.width) as i32, (cell / grid.width) as i32);
        let v = (grid.row_half.len() / 2) as i32;
        let mut total = 0u32;
        for (k, &half) in grid.row_half.iter().enumerate() {
            let mut y = y0 + k as i32 - v;
            if grid.torus {
                y = y.rem_euclid(h);
            } else if y < 0 || y >= h {
                continue;
            }
            let (lo, hi) = (x0 - half, x0 + half);
            let y = y as usize;
            if grid.torus {
                if lo < 0 {
                    total += self.span(w as usize, y, 0, hi as usize)
                        + self.span(w as usize, y, (lo + w) as usize, w as usize - 1);
                } else if hi >= w {
                    total += self.span(w as usize, y, lo as usize, w as usize - 1)
                        + self.span(w as usize, y, 0, (hi - w) as usize);
                } else {
                    total += self.span(w as usize, y, lo as usize, hi as usize);
                }
            } else {
                total += self.span(w as usize, y, lo.max(0) as usize, hi.min(w - 1) as usize);
            }
        }
        total - grid.active_here[cell as usize] as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vision_sizes_match_published_neighbourhoods() {
        // Mesa's von Neumann radius-7 neighbourhood has 112 cells.
        assert_eq!(vision_offsets(VisionShape::Diamond, 7.0).len(), 112);
        assert_eq!(vision_offsets(VisionShape::Cross, 7.0).len(), 28);
        assert_eq!(vision_offsets(VisionShape::Square, 7.0).len(), 224);
        // NetLogo's in-radius 7: 149 patches including the centre.
        assert_eq!(vision_offsets(VisionShape::Disk, 7.0).len(), 148);
        // Model II's vision 1.7: the eight neighbours.
        assert_eq!(vision_offsets(VisionShape::Disk, 1.7).len(), 8);
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
                let mut g = Grid::new(&map, shape, 3.5, 0);
                for c in 0..g.cells() {
                    g.active_here[c] = ((c * 7919) % 5 == 0) as u16 + ((c * 31) % 11 == 0) as u16;
                }
                let mut snap = SightSnapshot::default();
                assert!(SightSnapshot::applies(&g));
                snap.rebuild(&g);
                for c in 0..g.cells() as u32 {
                    let mut scan = 0u32;
                    g.for_each_in_vision(c, |n| scan += g.active_here[n as usize] as u32);
                    assert_eq!(
                        snap.actives_in_sight(&g, c),
                        scan,
                        "{shape:?} torus {torus} cell {c}"
                    );
                }
            }
        }
    }

    #[test]
    fn torus_wraps_and_bounded_clips() {
        let map = MapSpec {
            width: 5,
            height: 4,
            torus: true,
            district_of_cell: vec![0; 20],
        };
        let g = Grid::new(&map, VisionShape::Square, 1.0, 0);
        assert_eq!(g.offset(0, -1, -1), Some(19));
        let bounded = Grid { torus: false, ..g };
        assert_eq!(bounded.offset(0, -1, 0), None);
        assert_eq!(bounded.offset(0, 1, 1), Some(6));
    }

    #[test]
    fn citizen_lists_track_insert_and_remove() {
        let map = MapSpec {
            width: 3,
            height: 3,
            torus: false,
            district_of_cell: vec![0; 9],
        };
        let mut g = Grid::new(&map, VisionShape::Square, 1.0, 3);
        g.insert_citizen(0, 4, false);
        g.insert_citizen(1, 4, true);
        g.insert_citizen(2, 4, false);
        assert_eq!(g.active_sight[0], 1);
        assert_eq!(g.active_sight[4], 0, "own cell is not in one's vision");
        g.remove_citizen(1, 4, true);
        assert_eq!(g.active_sight[0], 0);
        let ids: Vec<u32> = g.citizens_in(4).collect();
        assert_eq!(ids, vec![2, 0]);
        assert_eq!(g.free_here[4], 2);
        assert_eq!(g.active_here[4], 0);
        g.mark_patrol(0, 1);
        assert_eq!(g.patrol_sight[4], 1);
        assert_eq!(g.patrol_sight[8], 0);
        assert!(!g.is_empty(0));
    }
}
