//! Coordination: trust between partners grows while they work together, faster under a
//! coordination mechanism and slower across disparate mandates; the mechanism costs money.
//! Runs after trust, before politics.
//!
//! ```text
//! τ_ij ← τ_ij + g · m · (1 − d_ij) · (1 − τ_ij)     for engaged i ≠ j
//! ```
//! g = `coordination.growth`, m = the mechanism's multiplier, d_ij = mandate divergence.
//! Joint-training events add to τ directly (see `systems/events.rs`).

use crate::world::{Config, Coordination, Intel, PartnerTrust, Politics, Roster, Tally, Totals};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

/// What coordination reads: the scenario, the mechanism in force, who is who, and the mandate
/// divergence between partners (kept with what they know, in `Intel`).
#[derive(SystemParam)]
pub struct CoordinationSetting<'w> {
    config: Res<'w, Config>,
    mechanism: Res<'w, Coordination>,
    roster: Res<'w, Roster>,
    intel: Res<'w, Intel>,
}

pub fn coordination(
    setting: CoordinationSetting,
    mut trust: ResMut<PartnerTrust>,
    mut tally: ResMut<Tally>,
    mut totals: ResMut<Totals>,
    mut politics: Query<&mut Politics>,
    mut engaged: Local<Vec<bool>>,
) {
    let CoordinationSetting {
        config,
        mechanism,
        roster,
        intel,
    } = setting;
    let s = &config.0;
    let (mult, _, cost_each) = mechanism.0.effect(&s.mechanisms);
    engaged.clear();
    engaged.extend(
        roster
            .partners
            .iter()
            .map(|&e| politics.get(e).expect("roster lists partners").engaged),
    );
    let n = engaged.len();
    let g = s.coordination.growth * mult;
    for i in 0..n {
        for j in (i + 1)..n {
            if engaged[i] && engaged[j] {
                let t = trust.get(i, j);
                let d = intel.divergence[i * n + j];
                trust.set(i, j, t + g * (1.0 - d) * (1.0 - t));
            }
        }
    }
    // The mechanism's cost is borne by every engaged partner.
    if cost_each > 0.0 {
        for (p, &e) in roster.partners.iter().enumerate() {
            if engaged[p] {
                let mut pol = politics.get_mut(e).expect("roster lists partners");
                pol.spent += cost_each;
                tally.cost += cost_each;
                totals.cost += cost_each;
            }
        }
    }
}
