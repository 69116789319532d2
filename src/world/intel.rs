//! What each partner knows of hotspots: the [`Intel`] resource (sectors, last-known ticks,
//! reports in transit) and this tick's first-hand observations. The sharing rules that move
//! knowledge between partners are in `systems/intel.rs`.

use crate::scenario::Scenario;
use crate::world::Grid;
use crate::world::geometry::FastDiv;
use bevy_ecs::prelude::*;

/// One shared report on its way.
#[derive(Debug, Clone, Copy)]
pub struct Report {
    pub to: u16,
    pub from: u16,
    pub sector: u32,
    pub seen: u32,
}

/// Hotspot knowledge of every partner.
#[derive(Resource, Debug, Clone)]
pub struct Intel {
    pub sector: u32,
    pub sectors_x: u32,
    pub sectors_y: u32,
    pub width: u32,
    /// Division by the width and by the sector side (`sector_of` runs for every active seen).
    by_width: FastDiv,
    by_sector: FastDiv,
    /// `known[p][s]` = tick (≥ 1) the hotspot in sector s was last known to p; 0 = never.
    pub known: Vec<Vec<u32>>,
    /// First-hand observations of this tick, (partner, sector), in the order they happened.
    pub fresh: Vec<(u16, u32)>,
    /// Reports in transit, bucketed by arrival tick modulo the bucket count.
    pub in_transit: Vec<Vec<Report>>,
    /// Mandate divergence d_ij ∈ [0, 1], row-major P × P.
    pub divergence: Vec<f64>,
    /// Key of this run's detection draws (from the seed and run index; see [`Intel::detect`]).
    pub detect_key: u64,
}

/// Mandate divergence: Euclidean distance of the mandate vectors, normalised to [0, 1] by the
/// largest possible distance (√4 = 2, all-zeros to all-ones).
pub fn mandate_divergence(a: &[f64; 4], b: &[f64; 4]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
        / 2.0
}

impl Intel {
    pub fn new(s: &Scenario, grid: &Grid) -> Self {
        let sector = s.intel.sector;
        let sectors_x = grid.width.div_ceil(sector);
        let sectors_y = grid.height.div_ceil(sector);
        let n = s.partners.len();
        let mut divergence = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                divergence[i * n + j] =
                    mandate_divergence(&s.partners[i].mandate, &s.partners[j].mandate);
            }
        }
        // Hotspot sectors first, then one entry per district for its spoilers' whereabouts.
        let entries = (sectors_x * sectors_y) as usize + s.districts.len();
        Intel {
            sector,
            sectors_x,
            sectors_y,
            width: grid.width,
            by_width: FastDiv::new(grid.width.max(1)),
            by_sector: FastDiv::new(sector.max(1)),
            known: vec![vec![0; entries]; n],
            fresh: Vec::new(),
            in_transit: vec![Vec::new(); s.intel.base_delay as usize + 1],
            divergence,
            detect_key: 0,
        }
    }

    /// Hotspot sectors (the knowledge entries that follow are districts' spoilers).
    pub fn sectors(&self) -> usize {
        (self.sectors_x * self.sectors_y) as usize
    }

    /// The knowledge entry for the whereabouts of district `d`'s spoilers.
    pub fn spoiler_entry(&self, d: usize) -> u32 {
        (self.sectors() + d) as u32
    }

    /// Partner `p` detects district `d`'s spoilers at `tick` (shared like a hotspot).
    pub fn observe_spoilers(&mut self, p: u16, d: usize, tick: u32) {
        let e = self.spoiler_entry(d);
        self.note(p, e, tick);
    }

    pub fn sector_of(&self, cell: u32) -> u32 {
        let (y, x) = self.by_width.div_rem(cell);
        self.by_sector.quotient(y) * self.sectors_x + self.by_sector.quotient(x)
    }

    /// Centre cell of a sector (clamped to the map).
    pub fn centre(&self, sector: u32, height: u32) -> (i32, i32) {
        let (sx, sy) = (sector % self.sectors_x, sector / self.sectors_x);
        let x = (sx * self.sector + self.sector / 2).min(self.width - 1);
        let y = (sy * self.sector + self.sector / 2).min(height - 1);
        (x as i32, y as i32)
    }

    /// Partner `p` sees an active citizen at `cell` at `tick`.
    pub fn observe(&mut self, p: u16, cell: u32, tick: u32) {
        let s = self.sector_of(cell);
        self.note(p, s, tick);
    }

    /// Unit `unit` of partner `p` sees an active citizen at `cell` at `tick`, and reports the
    /// sector with probability `prob` (partial sensing). The draw is a hash of (run key, tick,
    /// unit, sector), not a stream: it is the same however often the unit sees that sector this
    /// tick, and it shifts no mechanism's random numbers.
    pub fn detect(&mut self, p: u16, unit: u32, cell: u32, tick: u32, prob: f64) {
        if let Some(s) = self.sees(unit, cell, tick, prob) {
            self.note(p, s, tick);
        }
    }

    /// The sector [`Intel::detect`] would report, if any (it changes nothing: the draw is a
    /// hash). Then [`Intel::note`] of that sector is the report.
    #[inline]
    pub fn sees(&self, unit: u32, cell: u32, tick: u32, prob: f64) -> Option<u32> {
        if prob <= 0.0 {
            return None;
        }
        let s = self.sector_of(cell);
        if prob < 1.0 {
            let mut state = self.detect_key
                ^ ((tick as u64) << 32 | s as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ (unit as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
            let u = (crate::rng::splitmix64(&mut state) >> 11) as f64 / (1u64 << 53) as f64;
            if u >= prob {
                return None;
            }
        }
        Some(s)
    }

    /// First-hand knowledge of entry `e` (a sector or a district's spoilers) at `tick`.
    pub fn note(&mut self, p: u16, e: u32, tick: u32) {
        let k = &mut self.known[p as usize][e as usize];
        if *k != tick {
            *k = tick;
            self.fresh.push((p, e));
        }
    }

    /// Whether partner `p` knows a hotspot in sector `s` at `tick`.
    pub fn knows(&self, p: usize, s: usize, tick: u32, memory: u32) -> bool {
        let k = self.known[p][s];
        k > 0 && tick - k <= memory
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divergence_is_zero_for_equal_and_one_for_opposite_mandates() {
        assert_eq!(
            mandate_divergence(&[1.0, 0.5, 0.0, 0.0], &[1.0, 0.5, 0.0, 0.0]),
            0.0
        );
        assert_eq!(mandate_divergence(&[0.0; 4], &[1.0; 4]), 1.0);
    }
}
