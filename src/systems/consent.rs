//! Host-government consent (docs/MODEL.md §3.19): PSOM's consent of the host as a state. Runs
//! after standing, before politics (which it presses).
//!
//! ```text
//! C ← clamp(C + r·(T̄ − C) − h·1000·m / R − v·D̄, 0, 1)
//! ```
//! T̄ = the population's mean trust in the mission, m = incidents of harm by the mission this
//! tick (all districts), R = residents, D̄ = mean mandate divergence over pairs of engaged
//! partners. Below `consent.floor`, politics erodes every engaged partner's commitment.

use crate::world::{Config, DistrictState, Exposure, HostConsent, Intel, Politics, Roster};
use bevy_ecs::prelude::*;

pub fn consent(
    config: Res<Config>,
    roster: Res<Roster>,
    districts: Res<DistrictState>,
    exposure: Res<Exposure>,
    intel: Res<Intel>,
    mut consent: ResMut<HostConsent>,
    politics: Query<&Politics>,
) {
    let p = &config.0.consent;
    let residents: u32 = districts.residents.iter().sum();
    if residents == 0 {
        return;
    }
    let trust = (0..districts.residents.len())
        .map(|d| districts.mean_trust[d] * districts.residents[d] as f64)
        .sum::<f64>()
        / residents as f64;
    let harm: u32 = (0..districts.residents.len())
        .map(|d| exposure.mission_harm(d))
        .sum();
    // Pairs of engaged partners, without collecting them (nothing allocated in the tick loop).
    let engaged = |i: usize| {
        politics
            .get(roster.partners[i])
            .expect("roster lists partners")
            .engaged
    };
    let n = roster.partners.len();
    let (mut sum, mut pairs) = (0.0, 0u32);
    for i in (0..n).filter(|&i| engaged(i)) {
        for j in (i + 1..n).filter(|&j| engaged(j)) {
            sum += intel.divergence[i * n + j];
            pairs += 1;
        }
    }
    let divergence = if pairs == 0 { 0.0 } else { sum / pairs as f64 };
    let c = consent.0;
    consent.0 = (c + p.responsiveness * (trust - c)
        - p.harm_loss * 1000.0 * harm as f64 / residents as f64
        - p.divergence_loss * divergence)
        .clamp(0.0, 1.0);
}
