//! The district picture: after unrest has moved everyone, count residents, troops and actives per
//! district and derive Athena coverage and the security level that aid access is checked against.
//! Also takes each district's mean trust before this tick's trust update (neighbour influence).
//!
//! ```text
//! x_d   = 1000 · troops_d / residents_d                  troops per 1,000 residents
//! cov_d = 1 − exp(−λ·x_d),  λ = ln 3 / nominal           Athena: cov(nominal) = 2/3
//! σ_d   = cov_d · (1 − active_d / residents_d) · (1 − S_d)    S_d: spoiler strength
//! g_d   = mean grievance H·(1 − T) of the residents             (spoilers recruit from it)
//! ```

use crate::scenario::UnitKind;
use crate::world::citizens::fold_chunks;
use crate::world::{
    Cell, Citizens, Conduct, Config, DistrictState, FixedSum, Grid, Operating, Unit,
};
use bevy_ecs::prelude::*;

/// Athena's saturating coverage for `troops_per_1000`, calibrated so that `nominal` gives 2/3.
pub fn athena_coverage(troops_per_1000: f64, nominal: f64) -> f64 {
    1.0 - (-(3f64.ln() / nominal) * troops_per_1000).exp()
}

/// One district's residents within a chunk of citizens: how many, how many active, and their
/// trust and grievance summed.
#[derive(Clone, Copy, Default)]
pub struct Resident {
    n: u32,
    active: u32,
    trust: FixedSum,
    grievance: FixedSum,
}

pub fn district_picture(
    config: Res<Config>,
    grid: Res<Grid>,
    mut state: ResMut<DistrictState>,
    mut parts: Local<Vec<Vec<Resident>>>,
    citizens: Res<Citizens>,
    units: Query<(&Unit, &Cell, &Operating)>,
) {
    let s = &config.0;
    let n = s.districts.len();
    let state = &mut *state;
    // Counts accumulate straight into the resource's vectors (sized at spawn): no allocation.
    state.residents.iter_mut().for_each(|x| *x = 0);
    state.active.iter_mut().for_each(|x| *x = 0);
    state.troops.iter_mut().for_each(|x| *x = 0.0);
    let c = &*citizens;
    // Per chunk of citizens (in parallel for large worlds), then merged: counts and fixed-point
    // sums, so the same bits in any order.
    fold_chunks(c.len(), &mut parts, |ids, part| {
        part.clear();
        part.resize(n, Resident::default());
        for i in ids {
            let conduct = c.conduct[i];
            // The displaced have left: they are not residents until they return.
            if matches!(conduct, Conduct::Dead | Conduct::Displaced) {
                continue;
            }
            let r = &mut part[grid.district_of(c.cell[i]) as usize];
            r.n += 1;
            r.active += (conduct == Conduct::Active) as u32;
            r.trust.add(c.trust[i] as f64);
            r.grievance.add(c.grievance(i) as f64);
        }
    });
    let (sums, rest) = parts.split_first_mut().expect("one chunk at least");
    for part in rest.iter() {
        for (all, r) in sums.iter_mut().zip(part) {
            all.n += r.n;
            all.active += r.active;
            all.trust.merge(r.trust);
            all.grievance.merge(r.grievance);
        }
    }
    for (d, r) in sums.iter().enumerate() {
        state.residents[d] = r.n;
        state.active[d] = r.active;
    }
    for (unit, cell, operating) in &units {
        if unit.kind == UnitKind::Patrol && operating.0 {
            state.troops[grid.district[cell.0 as usize] as usize] += s.security.troops_per_patrol;
        }
    }
    for (d, sums) in sums.iter().enumerate() {
        let r = state.residents[d];
        state.coverage[d] = if r == 0 {
            if state.troops[d] > 0.0 { 1.0 } else { 0.0 }
        } else {
            athena_coverage(
                1000.0 * state.troops[d] / r as f64,
                s.security.nominal_troops_per_1000,
            )
        };
        let active_share = if r == 0 {
            0.0
        } else {
            state.active[d] as f64 / r as f64
        };
        state.security[d] = state.coverage[d] * (1.0 - active_share) * (1.0 - state.spoilers[d]);
        if r > 0 {
            state.mean_trust[d] = sums.trust.mean(r as u64);
            state.grievance[d] = sums.grievance.mean(r as u64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn athena_calibration_point() {
        assert!((athena_coverage(25.0, 25.0) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(athena_coverage(0.0, 25.0), 0.0);
        assert!(athena_coverage(50.0, 25.0) > athena_coverage(25.0, 25.0));
    }
}
