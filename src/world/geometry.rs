//! The map's geometry, fixed when the world is spawned: size, wrap, the district of every cell
//! and the vision neighbourhood. Every "which cells does this cell see" question is answered
//! here, once, for torus and bounded maps alike. What stands on the cells changes every tick
//! and lives in [`super::Grid`], which owns a `Geometry` and lends it out read-only.

use crate::scenario::{MapSpec, VisionShape};

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

/// Division of a `u32` by a divisor fixed at construction, as one multiplication (Lemire,
/// Kaser & Kurz 2019, "Faster remainder by direct computation": with c = ⌈2⁶⁴/d⌉,
/// ⌊x/d⌋ = ⌊c·x / 2⁶⁴⌋ exactly for every 32-bit x). Cell ids become (x, y) on every probe of a
/// move and every vision visit, so the hardware division was a visible share of a tick.
#[derive(Debug, Clone, Copy)]
pub struct FastDiv {
    /// ⌈2⁶⁴/d⌉ (0 for d = 1, which divides by returning x).
    c: u64,
    d: u32,
}

impl FastDiv {
    pub fn new(d: u32) -> Self {
        assert!(d > 0, "division by zero");
        let c = if d == 1 { 0 } else { u64::MAX / d as u64 + 1 };
        FastDiv { c, d }
    }
    /// ⌊x / d⌋.
    #[inline]
    pub fn quotient(self, x: u32) -> u32 {
        if self.d == 1 {
            x
        } else {
            ((self.c as u128 * x as u128) >> 64) as u32
        }
    }
    /// (⌊x / d⌋, x mod d).
    #[inline]
    pub fn div_rem(self, x: u32) -> (u32, u32) {
        let q = self.quotient(x);
        (q, x - q * self.d)
    }
}

#[derive(Debug, Clone)]
pub struct Geometry {
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
    /// Half-width of the vision in each row dy = −v..=v (every shape is row-convex), for
    /// snapshot counting and the runs of [`Geometry::for_each_vision_run`].
    pub row_half: Vec<i32>,
    /// The vision never wraps onto itself (2v < width and height), so it is one run of
    /// consecutive cells per row, split in two where a torus wraps.
    runs_apply: bool,
    /// Division by the width (cell id → row).
    by_width: FastDiv,
    /// Every cell is in district 0 (a map of one district): [`Geometry::district_of`] reads
    /// nothing.
    one_district: bool,
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

/// Cells from which passes over the map go parallel (fixed, so the split never depends on the
/// threads; see [`Geometry::worth_parallel`]).
pub const PARALLEL_CELLS: usize = 1 << 16;

impl Geometry {
    pub fn new(map: &MapSpec, shape: VisionShape, vision: f64) -> Self {
        let offsets = vision_offsets(shape, vision);
        Geometry {
            width: map.width,
            height: map.height,
            torus: map.torus,
            district: map.district_of_cell.clone(),
            vision_linear: offsets
                .iter()
                .map(|&(dx, dy)| dy * map.width as i32 + dx)
                .collect(),
            vision: offsets,
            reach: vision.floor() as i32,
            row_half: row_half_widths(shape, vision),
            runs_apply: 2 * (vision.floor() as u32) < map.width
                && 2 * (vision.floor() as u32) < map.height,
            by_width: FastDiv::new(map.width.max(1)),
            one_district: map.district_of_cell.iter().all(|&d| d == 0),
        }
    }

    /// The district of `cell`. On a map of one district the answer is known without a read:
    /// passes over 10⁶ citizens would otherwise make a cache miss per citizen for it.
    #[inline]
    pub fn district_of(&self, cell: u32) -> u16 {
        if self.one_district {
            0
        } else {
            self.district[cell as usize]
        }
    }

    pub fn cells(&self) -> usize {
        self.district.len()
    }

    /// Column and row of `cell`.
    #[inline]
    pub fn xy(&self, cell: u32) -> (u32, u32) {
        let (y, x) = self.by_width.div_rem(cell);
        (x, y)
    }

    /// The cell at offset (dx, dy) from `cell`, or `None` off a bounded map's edge.
    #[inline]
    pub fn offset(&self, cell: u32, dx: i32, dy: i32) -> Option<u32> {
        let (w, h) = (self.width as i32, self.height as i32);
        let (x0, y0) = self.xy(cell);
        let mut x = x0 as i32 + dx;
        let mut y = y0 as i32 + dy;
        if self.torus {
            if x < 0 || x >= w {
                x = x.rem_euclid(w);
            }
            if y < 0 || y >= h {
                y = y.rem_euclid(h);
            }
        } else if x < 0 || y < 0 || x >= w || y >= h {
            return None;
        }
        Some((y * w + x) as u32)
    }

    /// Whether [`Geometry::for_each_vision_run`] applies: the vision does not wrap onto itself
    /// (twice the reach below the width and the height).
    #[inline]
    pub fn vision_runs_apply(&self) -> bool {
        self.runs_apply
    }

    /// Whether a pass over every cell of this map is worth splitting across threads
    /// ([`PARALLEL_CELLS`] cells or more); smaller maps stay on the calling thread, where waking
    /// the pool costs more than the pass.
    #[inline]
    pub fn worth_parallel(&self) -> bool {
        self.cells() >= PARALLEL_CELLS
    }

    /// Whether the whole vision square around `cell` lies inside the map (no wrap, no clip),
    /// so that [`Grid::vision_linear`] applies.
    #[inline]
    pub fn interior(&self, cell: u32) -> bool {
        let (x0, y0) = self.xy(cell);
        let (x0, y0) = (x0 as i32, y0 as i32);
        x0 >= self.reach
            && y0 >= self.reach
            && x0 + self.reach < self.width as i32
            && y0 + self.reach < self.height as i32
    }

    /// The vision of `cell`, own cell included, as runs of consecutive cells `f(first, len)`, in
    /// the order [`Geometry::for_each_in_vision`] visits them (rows top to bottom, each left to
    /// right from the leftmost offset, wrapping or clipped at the edges). Only where the vision
    /// does not wrap onto itself (`runs_apply`).
    #[inline]
    pub fn for_each_vision_run(&self, cell: u32, mut f: impl FnMut(u32, u32)) {
        debug_assert!(self.runs_apply);
        let (w, h) = (self.width as i32, self.height as i32);
        let (x0, y0) = self.xy(cell);
        let (x0, y0) = (x0 as i32, y0 as i32);
        let v = self.reach;
        for (k, &half) in self.row_half.iter().enumerate() {
            let mut y = y0 + k as i32 - v;
            if y < 0 || y >= h {
                if !self.torus {
                    continue;
                }
                y += if y < 0 { h } else { -h };
            }
            let row = y * w;
            let (lo, hi) = (x0 - half, x0 + half);
            if !self.torus {
                let (lo, hi) = (lo.max(0), hi.min(w - 1));
                f((row + lo) as u32, (hi - lo + 1) as u32);
            } else if lo < 0 {
                f((row + lo + w) as u32, (-lo) as u32);
                f(row as u32, (hi + 1) as u32);
            } else if hi >= w {
                f((row + lo) as u32, (w - lo) as u32);
                f(row as u32, (hi - w + 1) as u32);
            } else {
                f((row + lo) as u32, (hi - lo + 1) as u32);
            }
        }
    }

    /// Add `delta` to `counts` over the vision of `cell` (and over `cell` itself if `own`): the
    /// sight counts kept per cell. Runs of cells where they apply (a tight loop per row).
    #[inline]
    pub fn add_over_vision(&self, cell: u32, counts: &mut [u16], delta: i32, own: bool) {
        let d = delta as u16;
        if self.runs_apply {
            self.for_each_vision_run(cell, |first, len| {
                let run = &mut counts[first as usize..(first + len) as usize];
                run.iter_mut().for_each(|c| *c = c.wrapping_add(d));
            });
            if !own {
                let c = &mut counts[cell as usize];
                *c = c.wrapping_sub(d);
            }
            return;
        }
        if own {
            counts[cell as usize] = counts[cell as usize].wrapping_add(d);
        }
        self.for_each_in_vision(cell, |n| {
            counts[n as usize] = counts[n as usize].wrapping_add(d);
        });
    }

    /// Visit every cell in vision of `cell` (own cell excluded), in a fixed order.
    #[inline]
    pub fn for_each_in_vision(&self, cell: u32, mut f: impl FnMut(u32)) {
        if self.runs_apply {
            self.for_each_vision_run(cell, |first, len| {
                for c in first..first + len {
                    if c != cell {
                        f(c);
                    }
                }
            });
            return;
        }
        // The vision wraps onto itself (tiny maps): offset by offset.
        for &(dx, dy) in &self.vision {
            if let Some(c) = self.offset(cell, dx, dy) {
                f(c);
            }
        }
    }

    /// Chebyshev distance from cell `c` to the point `t` (wrapping on a torus).
    pub fn chebyshev(&self, c: u32, t: (i32, i32)) -> i32 {
        let (w, h) = (self.width as i32, self.height as i32);
        let (x, y) = self.xy(c);
        let (x, y) = (x as i32, y as i32);
        let (mut dx, mut dy) = ((x - t.0).abs(), (y - t.1).abs());
        if self.torus {
            dx = dx.min(w - dx);
            dy = dy.min(h - dy);
        }
        dx.max(dy)
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `district_of` is the map's district of every cell, whether the map has one district (no
    /// read) or several.
    #[test]
    fn district_of_is_the_cells_district() {
        for districts in [vec![0u16; 12], vec![0, 0, 1, 1, 2, 2, 0, 1, 2, 2, 1, 0]] {
            let map = MapSpec {
                width: 4,
                height: 3,
                torus: false,
                district_of_cell: districts.clone(),
            };
            let g = Geometry::new(&map, VisionShape::Disk, 1.0);
            let read: Vec<u16> = (0..12).map(|c| g.district_of(c)).collect();
            assert_eq!(read, districts);
        }
    }

    #[test]
    fn fast_division_is_exact() {
        for d in [1u32, 2, 3, 7, 10, 40, 64, 1196, 65_535, 1 << 20, u32::MAX] {
            let f = FastDiv::new(d);
            let mut x = 0u32;
            for k in 0..100_000u32 {
                assert_eq!(f.div_rem(x), (x / d, x % d), "{x} / {d}");
                x = x.wrapping_add(k.wrapping_mul(2_654_435_761) | 1);
            }
            for x in [0, 1, d - 1, d, d.saturating_add(1), u32::MAX - 1, u32::MAX] {
                assert_eq!(f.div_rem(x), (x / d, x % d), "{x} / {d}");
            }
        }
    }

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
    fn torus_wraps_and_bounded_clips() {
        let mut map = MapSpec {
            width: 5,
            height: 4,
            torus: true,
            district_of_cell: vec![0; 20],
        };
        let g = Geometry::new(&map, VisionShape::Square, 1.0);
        assert_eq!(g.offset(0, -1, -1), Some(19));
        map.torus = false;
        let bounded = Geometry::new(&map, VisionShape::Square, 1.0);
        assert_eq!(bounded.offset(0, -1, 0), None);
        assert_eq!(bounded.offset(0, 1, 1), Some(6));
    }

    #[test]
    fn vision_visits_each_seen_cell_once_wrapped_or_clipped() {
        for torus in [true, false] {
            let map = MapSpec {
                width: 9,
                height: 7,
                torus,
                district_of_cell: vec![0; 63],
            };
            for (shape, r) in [
                (VisionShape::Disk, 2.5),
                (VisionShape::Diamond, 3.0),
                (VisionShape::Cross, 2.0),
                (VisionShape::Square, 4.0),
                (VisionShape::Disk, 1.7),
            ] {
                let g = Geometry::new(&map, shape, r);
                for cell in 0..63 {
                    let mut seen = Vec::new();
                    g.for_each_in_vision(cell, |c| seen.push(c));
                    let want: Vec<u32> = g
                        .vision
                        .iter()
                        .filter_map(|&(dx, dy)| g.offset(cell, dx, dy))
                        .collect();
                    assert_eq!(seen, want, "{shape:?} {r} torus {torus} cell {cell}");
                    // The sight counts a patrol (own cell) or an active (not) adds.
                    for own in [true, false] {
                        let mut counts = vec![0u16; 63];
                        g.add_over_vision(cell, &mut counts, 1, own);
                        let mut expect = vec![0u16; 63];
                        for &c in &want {
                            expect[c as usize] += 1;
                        }
                        expect[cell as usize] += own as u16;
                        assert_eq!(counts, expect, "{shape:?} {r} torus {torus} cell {cell}");
                    }
                }
            }
        }
    }
}
