//! Information: what each partner knows of hotspots, and what it shares with whom.
//! Runs after aid (the last system that observes) and before the district picture's readers.
//!
//! The map is divided into square sectors of `intel.sector` cells. A partner *observes* a sector
//! when one of its units sees an active citizen there (patrols in vision, aid teams in reach,
//! drones in `vision + drone_range`). A sector is a *known hotspot* of partner p while
//! `tick − known_p[s] ≤ intel.memory`.
//!
//! Sharing (docs/MODEL.md, "Coordination and information sharing"): partner i forwards each fresh
//! observation to partner j when both are engaged and
//! ```text
//! none:          never
//! need_to_know:  j fields patrols  and τ_ij ≥ threshold_i
//! open:          τ_ij ≥ threshold_i
//! ```
//! An independent NGO never shares with forces; a coordinated NGO shares openly. The report
//! arrives after `delay = max(0, base_delay − telecom − coordination)` ticks (0 if both partners
//! have real-time data), and the receiver takes it up with probability `1 − d_ij`, d_ij being the
//! mandate divergence (disparate objectives lower joint effectiveness).

use crate::scenario::{Neutrality, Scenario, SharingPolicy, Technology};
use crate::world::{
    Clock, Config, Grid, IntelRng, Mission, Partner, PartnerTrust, Politics, Roster, Tally,
};
use bevy_ecs::prelude::*;
use rand::RngExt;

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
    /// `known[p][s]` = tick (≥ 1) the hotspot in sector s was last known to p; 0 = never.
    pub known: Vec<Vec<u32>>,
    /// First-hand observations of this tick, (partner, sector), in the order they happened.
    pub fresh: Vec<(u16, u32)>,
    /// Reports in transit, bucketed by arrival tick modulo the bucket count.
    pub in_transit: Vec<Vec<Report>>,
    /// Mandate divergence d_ij ∈ [0, 1], row-major P × P.
    pub divergence: Vec<f64>,
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
        Intel {
            sector,
            sectors_x,
            sectors_y,
            width: grid.width,
            known: vec![vec![0; (sectors_x * sectors_y) as usize]; n],
            fresh: Vec::new(),
            in_transit: vec![Vec::new(); s.intel.base_delay as usize + 1],
            divergence,
        }
    }

    pub fn sectors(&self) -> usize {
        (self.sectors_x * self.sectors_y) as usize
    }

    pub fn sector_of(&self, cell: u32) -> u32 {
        let (x, y) = (cell % self.width, cell / self.width);
        (y / self.sector) * self.sectors_x + x / self.sector
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
        let k = &mut self.known[p as usize][s as usize];
        if *k != tick {
            *k = tick;
            self.fresh.push((p, s));
        }
    }

    /// Whether partner `p` knows a hotspot in sector `s` at `tick`.
    pub fn knows(&self, p: usize, s: usize, tick: u32, memory: u32) -> bool {
        let k = self.known[p][s];
        k > 0 && tick - k <= memory
    }
}

/// Whether partner `i` forwards what it knows to partner `j`.
pub fn shares_with(i: &Partner, j: &Partner, tau_ij: f64) -> bool {
    let policy = match i.neutrality {
        Neutrality::Coordinated => SharingPolicy::Open,
        Neutrality::Independent if i.kind == crate::scenario::PartnerKind::Ngo && j.is_force => {
            SharingPolicy::None
        }
        Neutrality::Independent => i.sharing,
    };
    match policy {
        SharingPolicy::None => false,
        SharingPolicy::NeedToKnow => j.is_force && tau_ij >= i.sharing_threshold,
        SharingPolicy::Open => tau_ij >= i.sharing_threshold,
    }
}

/// Ticks a report from `i` to `j` takes.
pub fn delay(s: &Scenario, i: &Partner, j: &Partner, mission: &Mission) -> u32 {
    if i.has(Technology::RealTimeData) && j.has(Technology::RealTimeData) {
        return 0;
    }
    let telecom = (i.has(Technology::Telecom) || j.has(Technology::Telecom)) as u32
        + (mission.telecom_units > 0) as u32;
    let coordination = crate::systems::coordination::delay_cut(s.coordination.mechanism);
    s.intel.base_delay.saturating_sub(telecom + coordination)
}

#[expect(
    clippy::too_many_arguments,
    reason = "a system or kernel step takes its resources, queries and buffers as parameters"
)]
pub fn intel(
    config: Res<Config>,
    clock: Res<Clock>,
    roster: Res<Roster>,
    mission: Res<Mission>,
    trust: Res<PartnerTrust>,
    mut intel: ResMut<Intel>,
    mut rng: ResMut<IntelRng>,
    mut tally: ResMut<Tally>,
    mut immediate: Local<Vec<Report>>,
    partners: Query<(&Partner, &Politics)>,
) {
    let s = &config.0;
    let now = clock.tick;
    let view = |i: usize| {
        let (p, pol) = partners
            .get(roster.partners[i])
            .expect("roster lists partners");
        (p, pol.engaged)
    };
    let n = roster.partners.len();
    let buckets = intel.in_transit.len();

    // Forward this tick's first-hand observations.
    let fresh = std::mem::take(&mut intel.fresh);
    immediate.clear();
    for &(from, sector) in &fresh {
        let (pi, engaged_i) = view(from as usize);
        if !engaged_i {
            continue;
        }
        for to in 0..n {
            let (pj, engaged_j) = view(to);
            if to == from as usize
                || !engaged_j
                || !shares_with(pi, pj, trust.get(from as usize, to))
            {
                continue;
            }
            let report = Report {
                to: to as u16,
                from,
                sector,
                seen: now,
            };
            match delay(s, pi, pj, &mission) as usize {
                0 => immediate.push(report),
                d => intel.in_transit[(now as usize + d) % buckets].push(report),
            }
            tally.shared_reports += 1;
        }
    }
    intel.fresh = fresh;
    intel.fresh.clear();

    // Deliver what arrives now: this tick's bucket, then same-tick reports.
    let mut due = std::mem::take(&mut intel.in_transit[now as usize % buckets]);
    due.extend(immediate.drain(..));
    for r in &due {
        if !view(r.to as usize).1 || !view(r.from as usize).1 {
            continue;
        }
        let d = intel.divergence[r.from as usize * n + r.to as usize];
        if d > 0.0 && rng.0.random::<f64>() < d {
            continue;
        }
        let k = &mut intel.known[r.to as usize][r.sector as usize];
        *k = (*k).max(r.seen);
    }
    due.clear();
    intel.in_transit[now as usize % buckets] = due;
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
